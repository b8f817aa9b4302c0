#include "osteo/ml/eval/compare_archs.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <set>

#include "osteo/eval/threshold.h"
#include "osteo/ml/eval/evaluate_model.h"
#include "osteo/ml/models/registry.h"
#include "osteo/ml/models/torchscript_backbone.h"
#include "osteo/ml/train/checkpoint_dir.h"
#include "osteo/report/report.h"

namespace osteo::ml {
namespace {

namespace fs = std::filesystem;

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// The baseline's full feature row {age_years, female, bmi_kg_m2} (NaN = unknown).
std::vector<double> baseline_features(const TrainSample& s) {
  eval::Covariates c;
  c.age_years = s.covariates.age.value_or(std::nan(""));
  if (s.covariates.sex_female) c.sex = *s.covariates.sex_female >= 0.5 ? "F" : "M";
  c.bmi_kg_m2 = s.covariates.bmi.value_or(std::nan(""));
  return eval::covariate_features(c);
}

const char* const kBaselineFeatures[] = {"age_years", "female", "bmi_kg_m2"};
const eval::FeatureKind kBaselineKinds[] = {eval::FeatureKind::kContinuous, eval::FeatureKind::kCategorical,
                                            eval::FeatureKind::kContinuous};

// Rows restricted to the columns in `keep` (indices into kBaselineFeatures).
std::vector<std::vector<double>> baseline_matrix(const std::vector<TrainSample>& samples,
                                                 const std::vector<std::size_t>& keep) {
  std::vector<std::vector<double>> x;
  x.reserve(samples.size());
  for (const auto& s : samples) {
    const auto full = baseline_features(s);
    std::vector<double> row;
    for (auto k : keep) row.push_back(full[k]);
    x.push_back(std::move(row));
  }
  return x;
}

template <class T>
Result<T> prefixed(const std::string& prefix, Result<T> r) {
  if (!r) return fail(r.error().code, prefix + ": " + r.error().message);
  return r;
}

// Trains one entry into its directory and evaluates its checkpoint on the test split.
struct TrainedEntry {
  eval::ComparedModel model;
  std::string dir;
  nlohmann::json training;
  nlohmann::json card;
};

Result<TrainedEntry> train_and_predict(const ArchEntry& entry, const TrainData& data,
                                       const std::vector<TrainSample>& test, const CompareOptions& options) {
  TrainOptions t = options.train;
  t.arch = entry.arch == kTorchScriptArch ? options.train.arch : entry.arch;
  if (entry.arch != kTorchScriptArch) t.backbone_torchscript.clear();
  t.covariates = entry.with_covariates ? options.covariates : std::vector<std::string>{};
  t.out_dir = (fs::path(options.out_dir) / entry.dir_name()).string();
  spdlog::info("compare: training {} into {}", entry.name, t.out_dir);
  auto trained = prefixed(entry.name, train_model(data, t));
  if (!trained) return tl::unexpected(trained.error());
  // Evaluate what is on disk, exactly as osteoscreen evaluate would.
  auto checkpoint = prefixed(entry.name, load_checkpoint(t.out_dir));
  if (!checkpoint) return tl::unexpected(checkpoint.error());
  PredictOptions predict;
  predict.threads = t.threads;
  predict.progress = t.progress;
  auto samples = prefixed(entry.name, evaluation_samples(*checkpoint, test, predict));
  if (!samples) return tl::unexpected(samples.error());
  TrainedEntry out;
  out.model.name = entry.name;
  out.model.samples = std::move(*samples);
  const auto& threshold = checkpoint->card["operating_threshold"]["threshold"];
  if (threshold.is_number()) out.model.threshold = threshold.get<double>();
  out.dir = t.out_dir;
  const auto& tr = trained->card["training"];
  out.training = {{"seconds", tr["seconds"]},
                  {"train_images_per_second", tr["train_images_per_second"]},
                  {"inference_images_per_second", tr["inference_images_per_second"]},
                  {"epochs_run", tr["epochs_run"]},
                  {"best_epoch", tr["best_epoch"]},
                  {"stopped_early", tr["stopped_early"]},
                  {"threads", tr["threads"]},
                  {"parameters", trained->card["model"]["parameters"]},
                  {"covariates", t.covariates}};
  out.card = std::move(trained->card);
  return out;
}

}  // namespace

std::string ArchEntry::dir_name() const {
  std::string d = name;
  std::replace(d.begin(), d.end(), '+', '_');
  return d;
}

Result<std::vector<ArchEntry>> parse_arch_list(const std::string& text, bool allow_torchscript) {
  std::vector<ArchEntry> entries;
  std::set<std::string> seen;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = trim(text.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) return fail(ErrorCode::kInvalidArgument, "--archs '" + text + "' has an empty entry");
    ArchEntry e;
    e.name = item;
    e.arch = item;
    if (const auto plus = item.find('+'); plus != std::string::npos) {
      const std::string suffix = item.substr(plus + 1);
      if (suffix != "cov") {
        return fail(ErrorCode::kInvalidArgument,
                    "--archs entry '" + item + "': unknown suffix '+" + suffix + "' (only '+cov', image + covariates)");
      }
      e.arch = item.substr(0, plus);
      e.with_covariates = true;
    }
    if (e.arch == kTorchScriptArch) {
      if (!allow_torchscript) {
        return fail(ErrorCode::kInvalidArgument, "--archs entry '" + item + "' needs --backbone-torchscript FILE");
      }
    } else if (!find_model_spec(e.arch)) {
      return fail(ErrorCode::kInvalidArgument,
                  "--archs entry '" + item + "': unknown architecture '" + e.arch + "' (known: " + model_names() + ")");
    }
    if (!seen.insert(e.name).second) {
      return fail(ErrorCode::kInvalidArgument, "--archs lists '" + item + "' twice");
    }
    entries.push_back(e);
  }
  return entries;
}

nlohmann::json CovariateBaseline::to_json() const {
  return {{"type", "covariate-only baseline (L2 logistic regression)"},
          {"features", features},
          {"features_never_observed", dropped},
          {"fitted_on", "train + validation samples"},
          {"n_fit", n_fit},
          {"threshold", std::isfinite(threshold) ? nlohmann::json(threshold) : nlohmann::json()},
          {"threshold_chosen_on", "the fitting samples"},
          {"target_sensitivity", target_sensitivity},
          {"low_bmd_score", "max(p_low_bmd, p_osteoporosis) of two separate fits"},
          {"osteoporosis", osteoporosis.to_json()},
          {"low_bmd", low_bmd.to_json()}};
}

Result<CovariateBaseline> fit_baseline(const std::vector<TrainSample>& fit, double target_sensitivity) {
  CovariateBaseline b;
  // A covariate the data never records (the synthetic hospital has no BMI) cannot be imputed:
  // it is left out and named, rather than failing the comparison.
  std::vector<std::size_t> keep;
  std::vector<eval::FeatureKind> kinds;
  for (std::size_t k = 0; k < std::size(kBaselineFeatures); ++k) {
    const bool observed =
        std::any_of(fit.begin(), fit.end(), [&](const TrainSample& s) { return !std::isnan(baseline_features(s)[k]); });
    if (observed) {
      keep.push_back(k);
      b.features.push_back(kBaselineFeatures[k]);
      kinds.push_back(kBaselineKinds[k]);
    } else {
      b.dropped.push_back(kBaselineFeatures[k]);
    }
  }
  if (keep.empty()) {
    return fail(ErrorCode::kInvalidArgument, "covariate baseline: no sample records age, sex or BMI");
  }
  const auto x = baseline_matrix(fit, keep);
  std::vector<int> y_op, y_low;
  for (const auto& s : fit) {
    y_op.push_back(s.category == WhoCategory::kOsteoporosis);
    y_low.push_back(s.category != WhoCategory::kNormal);
  }
  auto op = prefixed("covariate baseline (osteoporosis)", eval::fit_logistic(x, y_op, b.features, kinds));
  if (!op) return tl::unexpected(op.error());
  auto low = prefixed("covariate baseline (low BMD)", eval::fit_logistic(x, y_low, b.features, kinds));
  if (!low) return tl::unexpected(low.error());
  b.osteoporosis = std::move(*op);
  b.low_bmd = std::move(*low);
  b.columns = keep;
  b.target_sensitivity = target_sensitivity;
  b.n_fit = static_cast<long>(fit.size());
  b.threshold = eval::threshold_for_sensitivity(b.osteoporosis.predict_rows(x), y_op, target_sensitivity).threshold;
  return b;
}

std::vector<eval::EvalSample> baseline_samples(const CovariateBaseline& baseline,
                                               const std::vector<TrainSample>& samples) {
  const auto x = baseline_matrix(samples, baseline.columns);
  const auto p_op = baseline.osteoporosis.predict_rows(x);
  const auto p_low = baseline.low_bmd.predict_rows(x);
  std::vector<eval::EvalSample> out;
  out.reserve(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    eval::EvalSample e = reference_sample(samples[i]);
    e.p_osteoporosis = p_op[i];
    e.p_osteopenia = std::max(0.0, p_low[i] - p_op[i]);  // low-BMD score = max(p_low, p_op)
    e.p_normal = std::max(0.0, 1.0 - e.p_osteoporosis - e.p_osteopenia);
    out.push_back(std::move(e));
  }
  return out;
}

Result<CompareResult> compare_architectures(const DataSource& source, const CompareOptions& options) {
  if (options.entries.empty()) return fail(ErrorCode::kInvalidArgument, "compare: no architectures given");
  if (options.out_dir.empty()) return fail(ErrorCode::kInvalidArgument, "compare: --out is required");
  TrainOptions protocol = options.train;
  protocol.out_dir = options.out_dir;
  if (auto ok = protocol.validate(); !ok) return tl::unexpected(ok.error());

  auto samples = load_samples(source, options.train.threads);
  if (!samples) return tl::unexpected(samples.error());
  if (samples->test.empty()) {
    return fail(ErrorCode::kInvalidArgument, "compare: the test split is empty (nothing to compare on)");
  }
  // The baseline first: a cohort it cannot be fitted on fails before any training.
  std::vector<TrainSample> fit = samples->train;
  fit.insert(fit.end(), samples->val.begin(), samples->val.end());
  auto baseline = fit_baseline(fit, options.train.target_sensitivity);
  if (!baseline) return tl::unexpected(baseline.error());

  auto data = prepare_train_data(*samples, options.train);
  if (!data) return tl::unexpected(data.error());
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) return fail(ErrorCode::kIoError, options.out_dir + ": cannot create: " + ec.message());

  std::vector<eval::ComparedModel> models;
  std::vector<TrainedEntry> trained;
  for (const auto& entry : options.entries) {
    auto t = train_and_predict(entry, *data, samples->test, options);
    if (!t) return tl::unexpected(t.error());
    models.push_back(t->model);
    trained.push_back(std::move(*t));
  }
  eval::ComparedModel base;
  base.name = kBaselineName;
  base.is_baseline = true;
  base.samples = baseline_samples(*baseline, samples->test);
  if (std::isfinite(baseline->threshold)) base.threshold = baseline->threshold;
  models.push_back(std::move(base));

  eval::EvaluationOptions eval_options;
  eval_options.target_sensitivity = options.train.target_sensitivity;
  eval_options.bootstrap.resamples = options.resamples;
  eval_options.bootstrap.threads = options.train.threads;
  auto comparison = eval::compare_models(models, eval_options);
  if (!comparison) return tl::unexpected(comparison.error());

  CompareResult result;
  result.comparison = std::move(*comparison);
  result.json = eval::comparison_to_json(result.comparison);
  nlohmann::json protocol_json = protocol.to_json();
  protocol_json.erase("arch");
  protocol_json.erase("covariates");
  result.json["protocol"] = {{"data_source", samples->source},
                             {"split_counts", samples->counts()},
                             {"evaluated_on", "test split"},
                             {"covariates_of_+cov_entries", options.covariates},
                             {"training", protocol_json}};
  result.json["baseline"] = baseline->to_json();
  for (auto& m : result.json["models"]) {
    for (const auto& t : trained) {
      if (m["name"] == t.model.name) {
        m["checkpoint"] = t.dir;
        m["training"] = t.training;
      }
    }
  }

  // Each image model's own evaluation report, next to its weights.
  report::ReportContext ctx;
  ctx.data_source = samples->source.dump();
  ctx.reference_standard = source.manifest.empty()
                               ? "DEXA T-score matched within the cohort's window (osteoscreen match)"
                               : "the T-scores recorded in the manifest (for the knee set: quantitative ultrasound "
                                 "T-scores, not DEXA)";
  ctx.split = "test split";
  for (std::size_t k = 0; k < trained.size(); ++k) {
    report::ReportContext c = ctx;
    c.title = "OsteoScreen evaluation: " + trained[k].model.name;
    c.model_card = trained[k].card;
    training_curves(trained[k].dir, c.loss_curves, c.metric_curves);
    const auto path = (fs::path(trained[k].dir) / "evaluation_report.html").string();
    if (auto ok = report::write_report(path, report::render_evaluation_report(result.comparison.rows[k].result, c));
        !ok) {
      return tl::unexpected(ok.error());
    }
  }

  result.json_path = (fs::path(options.out_dir) / "comparison.json").string();
  result.report_path =
      options.report_path.empty() ? (fs::path(options.out_dir) / "comparison.html").string() : options.report_path;
  result.json["report"] = result.report_path;
  if (auto ok = write_json_file(result.json_path, result.json); !ok) return tl::unexpected(ok.error());
  ctx.title = "OsteoScreen architecture comparison";
  nlohmann::json setup = result.json["protocol"];
  std::string features;
  for (const auto& f : baseline->features) features += (features.empty() ? "" : ", ") + f;
  std::string dropped;
  for (const auto& f : baseline->dropped) dropped += (dropped.empty() ? "" : ", ") + f;
  setup["baseline"] = "logistic regression on " + features + ", fitted on the train + validation samples" +
                      (dropped.empty() ? "" : " (never recorded in this data, left out: " + dropped + ")");
  nlohmann::json times = nlohmann::json::object();
  for (const auto& t : trained) times[t.model.name] = t.training;
  setup["training_per_model"] = times;
  ctx.model_card = setup;
  if (auto ok = report::write_report(result.report_path, report::render_comparison_report(result.comparison, ctx));
      !ok) {
    return tl::unexpected(ok.error());
  }
  return result;
}

}  // namespace osteo::ml
