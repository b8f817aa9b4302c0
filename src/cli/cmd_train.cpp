// osteoscreen train: adapter over osteo::ml::train_from_source.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "osteo/ml/models/registry.h"
#include "osteo/ml/train/trainer.h"

namespace osteo::cli {

Runner setup_train(CLI::App& sub, const GlobalOptions& global) {
  struct Options {
    ml::DataSource source;
    ml::TrainOptions train;
    std::string covariates;
    std::string roi = "whole";
    bool canonicalize = false;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  auto& t = opt->train;
  t.progress = true;
  sub.add_option("--manifest", opt->source.manifest,
                 "Knee-format manifest CSV (patient-level stratified split); default: the --db store");
  sub.add_option("--split", opt->source.scheme, "Split scheme of the --db store")->capture_default_str();
  sub.add_option("--test-fraction", opt->source.split.test_fraction, "Manifest: fraction of patients in test")
      ->capture_default_str();
  sub.add_option("--val-fraction", opt->source.split.val_fraction, "Manifest: fraction of patients in val")
      ->capture_default_str();
  sub.add_option("--arch", t.arch, "Architecture: " + ml::model_names())->capture_default_str();
  sub.add_option("--epochs", t.epochs, "Maximum epochs")->capture_default_str();
  sub.add_option("--image-size", t.preprocess.input_size, "Square model input, pixels")->capture_default_str();
  sub.add_option("--batch-size", t.batch_size, "Images per optimisation step")->capture_default_str();
  sub.add_option("--lr", t.lr, "Peak learning rate (AdamW, warm-up + cosine)")->capture_default_str();
  sub.add_option("--weight-decay", t.weight_decay, "AdamW decoupled weight decay")->capture_default_str();
  sub.add_option("--warmup-epochs", t.warmup_epochs, "Linear warm-up length in epochs")->capture_default_str();
  sub.add_option("--patience", t.patience, "Early stopping: epochs without val AUROC gain (0 = off)")
      ->capture_default_str();
  sub.add_option("--target-sensitivity", t.target_sensitivity,
                 "Operating threshold: sensitivity target on validation")
      ->capture_default_str();
  sub.add_option("--seed", t.seed, "Seed of the split, initialisation, shuffling and augmentation")
      ->capture_default_str();
  sub.add_option("--covariates", opt->covariates, "Clinical covariates fused into the head: any of age,sex,bmi");
  sub.add_option("--roi", opt->roi, "Region of interest: whole (knees) or proximal_femur (hips)")
      ->check(CLI::IsMember({"whole", "proximal_femur", "box"}))
      ->capture_default_str();
  sub.add_flag("--canonicalize-laterality", opt->canonicalize,
               "Mirror left hips to look like right hips (then horizontal flips are used as augmentation)");
  sub.add_option("--out", t.out_dir, "Checkpoint directory to write")->required();
  sub.add_flag("--resume", t.resume, "Continue from the last epoch saved in --out");
  sub.add_flag("--json", opt->json, "Print the model card as JSON on stdout");

  return [opt, &global]() -> int {
    auto& t = opt->train;
    t.threads = global.threads;
    t.progress = !global.quiet;
    opt->source.db = global.db;
    opt->source.split.seed = t.seed;
    auto covariates = ml::parse_covariate_list(opt->covariates);
    if (!covariates) {
      spdlog::error("{}", covariates.error().to_string());
      return kExitUsage;
    }
    t.covariates = *covariates;
    t.preprocess.roi = opt->roi == "whole" ? RoiMode::kWholeImage
                       : opt->roi == "box" ? RoiMode::kBox
                                           : RoiMode::kProximalFemur;
    t.preprocess.canonicalize_laterality = opt->canonicalize;
    // A horizontal flip turns a right hip into a left one: only for side-less anatomy (knees)
    // or hips already canonicalised to one side.
    t.augment.flip_probability = (t.preprocess.roi != RoiMode::kProximalFemur || opt->canonicalize) ? 0.5 : 0.0;
    if (auto ok = t.validate(); !ok) {
      spdlog::error("{}", ok.error().to_string());
      return kExitUsage;
    }
    auto result = ml::train_from_source(opt->source, t);
    if (!result) {
      spdlog::error("{}", result.error().to_string());
      return result.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
    }
    if (opt->json) {
      std::cout << result->card.dump(2) << "\n";
    } else {
      const auto& v = result->card["validation"];
      const auto& th = result->card["operating_threshold"];
      std::cout << "checkpoint: " << result->dir << "\n"
                << "best epoch: " << result->best_epoch << " of " << result->log.size()
                << (result->stopped_early ? " (early stop)" : "") << "\n"
                << "val AUROC osteoporosis: " << v["auroc_osteoporosis"].dump() << " (n=" << v["n"].dump()
                << ", positives " << v["n_osteoporosis"].dump() << ")\n"
                << "val AUROC low BMD: " << v["auroc_low_bmd"].dump() << " (positives " << v["n_low_bmd"].dump()
                << ")\n"
                << "threshold p_osteoporosis >= " << th["threshold"].dump() << " (target sensitivity "
                << th["target_sensitivity"].dump() << ")\n";
    }
    return kExitOk;
  };
}

}  // namespace osteo::cli
