#include "cli/train_options.h"

#include <spdlog/spdlog.h>

namespace osteo::cli {

void add_train_options(CLI::App& sub, TrainCliOptions& opt, const std::string& covariates_help) {
  auto& t = opt.train;
  sub.add_option("--manifest", opt.source.manifest,
                 "Knee-format manifest CSV (patient-level stratified split); default: the --db store");
  sub.add_option("--split", opt.source.scheme, "Split scheme of the --db store")->capture_default_str();
  sub.add_option("--test-fraction", opt.source.split.test_fraction, "Manifest: fraction of patients in test")
      ->capture_default_str();
  sub.add_option("--val-fraction", opt.source.split.val_fraction, "Manifest: fraction of patients in val")
      ->capture_default_str();
  sub.add_option("--epochs", t.epochs, "Maximum epochs")->capture_default_str();
  sub.add_option("--image-size", t.preprocess.input_size, "Square model input, pixels")->capture_default_str();
  sub.add_option("--batch-size", t.batch_size, "Images per optimisation step")->capture_default_str();
  sub.add_option("--lr", t.lr, "Peak learning rate (AdamW, warm-up + cosine)")->capture_default_str();
  sub.add_option("--weight-decay", t.weight_decay, "AdamW decoupled weight decay")->capture_default_str();
  sub.add_option("--warmup-epochs", t.warmup_epochs, "Linear warm-up length in epochs")->capture_default_str();
  sub.add_option("--patience", t.patience, "Early stopping: epochs without val AUROC gain (0 = off)")
      ->capture_default_str();
  sub.add_option("--target-sensitivity", t.target_sensitivity, "Operating threshold: sensitivity target on validation")
      ->capture_default_str();
  sub.add_option("--seed", t.seed, "Seed of the split, initialisation, shuffling and augmentation")
      ->capture_default_str();
  sub.add_option("--covariates", opt.covariates, covariates_help);
  sub.add_option("--roi", opt.roi, "Region of interest: whole (knees) or proximal_femur (hips)")
      ->check(CLI::IsMember({"whole", "proximal_femur", "box"}))
      ->capture_default_str();
  sub.add_flag("--canonicalize-laterality", opt.canonicalize,
               "Mirror left hips to look like right hips (then horizontal flips are used as augmentation)");
  sub.add_option("--backbone-torchscript", t.backbone_torchscript,
                 "TorchScript feature extractor exported from Python (docs/torchscript.md) to train instead of --arch; "
                 "copied into the checkpoint");
}

int finish_train_options(TrainCliOptions& opt, const GlobalOptions& global) {
  auto& t = opt.train;
  t.threads = global.threads;
  t.progress = !global.quiet;
  opt.source.db = global.db;
  opt.source.split.seed = t.seed;
  auto covariates = ml::parse_covariate_list(opt.covariates);
  if (!covariates) {
    spdlog::error("{}", covariates.error().to_string());
    return kExitUsage;
  }
  t.covariates = *covariates;
  t.preprocess.roi = opt.roi == "whole" ? RoiMode::kWholeImage
                     : opt.roi == "box" ? RoiMode::kBox
                                        : RoiMode::kProximalFemur;
  t.preprocess.canonicalize_laterality = opt.canonicalize;
  // A horizontal flip turns a right hip into a left one: only for side-less anatomy (knees)
  // or hips already canonicalised to one side.
  t.augment.flip_probability = (t.preprocess.roi != RoiMode::kProximalFemur || opt.canonicalize) ? 0.5 : 0.0;
  if (auto ok = t.validate(); !ok) {
    spdlog::error("{}", ok.error().to_string());
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace osteo::cli
