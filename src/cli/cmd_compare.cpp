// osteoscreen compare: adapter over osteo::ml::compare_architectures.
#include <spdlog/spdlog.h>

#include <cmath>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/train_options.h"
#include "osteo/ml/eval/compare_archs.h"
#include "osteo/ml/models/registry.h"

namespace osteo::cli {
namespace {

std::string auroc_text(const eval::BootstrapCi& ci) {
  if (!std::isfinite(ci.estimate)) return "n/a";
  std::string s = fmt::format("{:.3f}", ci.estimate);
  if (std::isfinite(ci.low) && std::isfinite(ci.high)) s += fmt::format(" [{:.3f}, {:.3f}]", ci.low, ci.high);
  return s;
}

}  // namespace

Runner setup_compare(CLI::App& sub, const GlobalOptions& global) {
  struct Options {
    TrainCliOptions common;
    std::string archs;
    std::string out;
    std::string report;
    int resamples = 2000;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  sub.add_option("--archs", opt->archs,
                 "Comma-separated entries: an architecture (" + ml::model_names() +
                     ", or torchscript with --backbone-torchscript), optionally with +cov for image + covariates; "
                     "e.g. resnet18,resnet18+cov")
      ->required();
  add_train_options(sub, opt->common,
                    "Covariates fused into the +cov entries: any of age,sex,bmi (default age,sex,bmi)");
  sub.add_option("--out", opt->out, "Output directory: one checkpoint per entry, comparison.json, comparison.html")
      ->required();
  sub.add_option("--report", opt->report, "Write the HTML comparison report here (default OUT/comparison.html)");
  sub.add_option("--resamples", opt->resamples, "Bootstrap resamples for the CIs")
      ->check(CLI::Range(100, 100000))
      ->capture_default_str();
  sub.add_flag("--json", opt->json, "Print the comparison as one JSON object");

  return [opt, &global]() -> int {
    // Every entry is checked before any data is read or any model trained.
    auto entries = ml::parse_arch_list(opt->archs, !opt->common.train.backbone_torchscript.empty());
    if (!entries) {
      spdlog::error("{}", entries.error().to_string());
      return kExitUsage;
    }
    opt->common.train.out_dir = opt->out;
    if (const int rc = finish_train_options(opt->common, global); rc != kExitOk) return rc;
    ml::CompareOptions options;
    options.entries = *entries;
    options.train = opt->common.train;
    if (!opt->common.covariates.empty()) options.covariates = opt->common.train.covariates;
    options.train.covariates.clear();
    options.out_dir = opt->out;
    options.report_path = opt->report;
    options.resamples = opt->resamples;
    auto result = ml::compare_architectures(opt->common.source, options);
    if (!result) {
      spdlog::error("{}", result.error().to_string());
      return result.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
    }
    if (opt->json) {
      std::cout << result->json.dump() << "\n";
      return kExitOk;
    }
    for (const auto& row : result->comparison.rows) {
      std::cout << row.name << (row.is_baseline ? " (covariate-only baseline)" : "") << (row.is_best ? " (best)" : "")
                << ": n " << row.result.n << "  AUROC osteoporosis " << auroc_text(row.result.osteoporosis.auroc)
                << "  AUROC low BMD " << auroc_text(row.result.low_bmd.auroc);
      if (!row.is_best && std::isfinite(row.delong_vs_best.p_value)) {
        std::cout << fmt::format("  DeLong p vs best {:.3g}", row.delong_vs_best.p_value);
      }
      std::cout << "\n";
    }
    std::cout << "comparison: " << result->json_path << "\nreport: " << result->report_path << "\n";
    return kExitOk;
  };
}

}  // namespace osteo::cli
