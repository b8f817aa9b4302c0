// osteoscreen evaluate: a checkpoint on a manifest or a cohort split -> metrics JSON + HTML report.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "osteo/ml/eval/evaluate_model.h"
#include "osteo/ml/train/dataset.h"

namespace osteo::cli {
namespace {

// Picks one split of the samples, or all of them.
Result<std::vector<ml::TrainSample>> pick(const ml::SplitSamples& s, const std::string& split) {
  if (split == "train") return s.train;
  if (split == "val") return s.val;
  if (split == "test") return s.test;
  std::vector<ml::TrainSample> all = s.train;
  all.insert(all.end(), s.val.begin(), s.val.end());
  all.insert(all.end(), s.test.begin(), s.test.end());
  return all;
}

}  // namespace

Runner setup_evaluate(CLI::App& sub, const GlobalOptions& global) {
  struct Options {
    std::string model;
    std::string manifest;
    std::string cohort;
    std::string scheme = "temporal";
    std::string split;
    StratifiedSplitOptions manifest_split{0.2, 0.2, 42};
    bool json = false;
    std::string report;
    std::string data_source;
    std::string reference_standard;
    int resamples = 2000;
  };
  auto opt = std::make_shared<Options>();
  sub.add_option("--model", opt->model, "Checkpoint directory written by osteoscreen train")->required();
  auto* manifest = sub.add_option("--manifest", opt->manifest, "Labelled manifest CSV (the knee labels.csv format)");
  auto* cohort = sub.add_option("--cohort", opt->cohort, "Cohort store (SQLite file) with a split scheme");
  manifest->excludes(cohort);
  sub.add_option("--scheme", opt->scheme, "Cohort: split scheme")->capture_default_str();
  sub.add_option("--split", opt->split, "all, train, val or test (default: all for a manifest, test for a cohort)")
      ->check(CLI::IsMember({"all", "train", "val", "test"}));
  auto* split_seed = sub.add_option("--split-seed", opt->manifest_split.seed,
                                    "Manifest: seed of the patient-level split (default: the model card's seed, as train uses)");
  sub.add_option("--test-fraction", opt->manifest_split.test_fraction, "Manifest: test fraction (as in train)")
      ->capture_default_str();
  sub.add_option("--val-fraction", opt->manifest_split.val_fraction, "Manifest: val fraction (as in train)")
      ->capture_default_str();
  sub.add_flag("--json", opt->json, "Print the metrics as one JSON object");
  sub.add_option("--report", opt->report, "Write a self-contained HTML report here");
  sub.add_option("--data-source", opt->data_source, "Data source named in the report");
  sub.add_option("--reference-standard", opt->reference_standard, "Reference standard named in the report");
  sub.add_option("--resamples", opt->resamples, "Bootstrap resamples for the CIs")->check(CLI::Range(100, 100000))
      ->capture_default_str();

  return [opt, &global, split_seed]() -> int {
    if (opt->manifest.empty() == opt->cohort.empty()) {
      spdlog::error("invalid_argument: give one of --manifest or --cohort");
      return kExitUsage;
    }
    auto checkpoint = ml::load_checkpoint(opt->model);
    if (!checkpoint) {
      spdlog::error("{}", checkpoint.error().to_string());
      return kExitFailure;
    }
    if (split_seed->count() == 0 && checkpoint->card.contains("seed") && checkpoint->card["seed"].is_number_unsigned()) {
      opt->manifest_split.seed = checkpoint->card["seed"].get<std::uint64_t>();
    }
    const bool from_manifest = !opt->manifest.empty();
    const std::string split = !opt->split.empty() ? opt->split : from_manifest ? "all" : "test";
    Result<ml::SplitSamples> samples = fail(ErrorCode::kInternal, "unreachable");
    if (from_manifest) {
      samples = ml::samples_from_manifest(opt->manifest, opt->manifest_split, global.threads);
    } else {
      // A store that cannot be opened is reported by main's handler (exit 1), like any OsteoError.
      const auto store = value_or_throw(open_store(opt->cohort));
      samples = ml::samples_from_store(*store, opt->scheme, opt->cohort);
    }
    if (!samples) {
      spdlog::error("{}", samples.error().to_string());
      return kExitFailure;
    }
    auto chosen = pick(*samples, split);
    ml::PredictOptions predict;
    predict.threads = global.threads;
    predict.progress = !global.quiet;
    auto eval_samples = ml::evaluation_samples(*checkpoint, *chosen, predict);
    if (!eval_samples) {
      spdlog::error("{}", eval_samples.error().to_string());
      return kExitFailure;
    }
    eval::EvaluationOptions options;
    options.threshold = checkpoint->threshold;  // chosen on validation at training time
    options.bootstrap.resamples = opt->resamples;
    options.bootstrap.threads = global.threads;
    auto result = eval::evaluate(*eval_samples, options);
    if (!result) {
      spdlog::error("{}", result.error().to_string());
      return kExitFailure;
    }
    auto json = eval::evaluation_to_json(*result);
    json["split"] = split;
    json["model"] = opt->model;
    if (!opt->report.empty()) {
      report::ReportContext ctx;
      ctx.title = "OsteoScreen evaluation: " + checkpoint->card.value("arch", std::string("model"));
      ctx.data_source = !opt->data_source.empty() ? opt->data_source
                        : from_manifest ? "manifest " + opt->manifest
                                        : "cohort store " + opt->cohort + ", scheme " + opt->scheme;
      ctx.reference_standard = !opt->reference_standard.empty() ? opt->reference_standard
                               : from_manifest ? "the T-scores recorded in the manifest (for the knee set: quantitative "
                                                 "ultrasound T-scores, not DEXA)"
                                               : "DEXA T-score matched within the cohort's window (osteoscreen match)";
      ctx.split = split + " split";
      ctx.model_card = checkpoint->card;
      ml::training_curves(opt->model, ctx.loss_curves, ctx.metric_curves);
      if (auto s = report::write_report(opt->report, report::render_evaluation_report(*result, ctx)); !s) {
        spdlog::error("{}", s.error().to_string());
        return kExitFailure;
      }
      json["report"] = opt->report;
    }
    if (opt->json) {
      std::cout << json.dump() << "\n";
    } else {
      std::cout << "n " << json["n"] << "  AUROC osteoporosis " << json["auroc_osteoporosis"] << " "
                << json.value("auroc_osteoporosis_ci", nlohmann::json()) << "  AUROC low BMD " << json["auroc_low_bmd"]
                << "  T-score MAE " << json["t_score_mae"] << "  r " << json["t_score_r"] << "\n";
      if (!opt->report.empty()) std::cout << "report: " << opt->report << "\n";
    }
    return kExitOk;
  };
}

}  // namespace osteo::cli
