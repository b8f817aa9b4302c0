// osteoscreen train: adapter over osteo::ml::train_from_source.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/train_options.h"
#include "osteo/ml/models/registry.h"
#include "osteo/ml/train/trainer.h"

namespace osteo::cli {

Runner setup_train(CLI::App& sub, const GlobalOptions& global) {
  struct Options {
    TrainCliOptions common;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  auto& t = opt->common.train;
  add_train_options(sub, opt->common, "Clinical covariates fused into the head: any of age,sex,bmi");
  sub.add_option("--arch", t.arch, "Architecture: " + ml::model_names())->capture_default_str();
  sub.add_option("--out", t.out_dir, "Checkpoint directory to write")->required();
  sub.add_flag("--resume", t.resume, "Continue from the last epoch saved in --out (give the same options)");
  sub.add_flag("--json", opt->json, "Print the model card as JSON on stdout");

  return [opt, &global]() -> int {
    if (const int rc = finish_train_options(opt->common, global); rc != kExitOk) return rc;
    auto result = ml::train_from_source(opt->common.source, opt->common.train);
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
