#include "osteo/eval/evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "osteo/eval/regression.h"

namespace osteo::eval {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
nlohmann::json pair(double lo, double hi) { return nlohmann::json::array({num(lo), num(hi)}); }

Status check_sample(const EvalSample& s, std::size_t i) {
  const std::string at = "evaluation sample " + std::to_string(i);
  if (s.patient_id.empty()) return fail(ErrorCode::kInvalidArgument, at + ": empty patient_id");
  const int cat = static_cast<int>(s.true_category);
  if (cat < 0 || cat > 2) return fail(ErrorCode::kInvalidArgument, at + ": true_category out of range");
  for (auto [name, p] : {std::pair<const char*, double>{"p_normal", s.p_normal},
                         {"p_osteopenia", s.p_osteopenia},
                         {"p_osteoporosis", s.p_osteoporosis}})
    if (!(p >= 0.0 && p <= 1.0))
      return fail(ErrorCode::kInvalidArgument, at + " (patient " + s.patient_id + "): " + name +
                                                   " is NaN or outside [0, 1]");
  for (auto [name, v] : {std::pair<const char*, double>{"true_t_score", s.true_t_score},
                         {"predicted_t_score", s.predicted_t_score},
                         {"age", s.age}})
    if (std::isinf(v))
      return fail(ErrorCode::kInvalidArgument, at + " (patient " + s.patient_id + "): " + name + " is infinite");
  return {};
}

}  // namespace

std::vector<double> osteoporosis_scores(const std::vector<EvalSample>& samples) {
  std::vector<double> out;
  for (const auto& s : samples) out.push_back(s.p_osteoporosis);
  return out;
}
std::vector<int> osteoporosis_labels(const std::vector<EvalSample>& samples) {
  std::vector<int> out;
  for (const auto& s : samples) out.push_back(s.true_category == WhoCategory::kOsteoporosis ? 1 : 0);
  return out;
}
std::vector<double> low_bmd_scores(const std::vector<EvalSample>& samples) {
  std::vector<double> out;
  for (const auto& s : samples) out.push_back(s.p_osteopenia + s.p_osteoporosis);
  return out;
}
std::vector<int> low_bmd_labels(const std::vector<EvalSample>& samples) {
  std::vector<int> out;
  for (const auto& s : samples) out.push_back(s.true_category != WhoCategory::kNormal ? 1 : 0);
  return out;
}

Result<EvaluationResult> evaluate(const std::vector<EvalSample>& samples, const EvaluationOptions& options) {
  if (samples.empty()) return fail(ErrorCode::kInvalidArgument, "evaluation: no samples");
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (auto st = check_sample(samples[i], i); !st) return tl::unexpected(st.error());
  if (options.threshold && std::isnan(*options.threshold))
    return fail(ErrorCode::kInvalidArgument, "evaluation: the given threshold is NaN");
  try {
    EvaluationResult r;
    r.bootstrap = options.bootstrap;
    r.n = static_cast<long>(samples.size());
    std::vector<std::string> groups;
    for (const auto& s : samples) groups.push_back(s.patient_id);
    r.n_patients = static_cast<long>(std::unordered_set<std::string>(groups.begin(), groups.end()).size());

    const auto task = [&](const std::vector<double>& scores, const std::vector<int>& labels) {
      TaskResult t;
      t.n_positive = static_cast<long>(std::count(labels.begin(), labels.end(), 1));
      t.auroc = bootstrap_auroc(scores, labels, groups, options.bootstrap);
      t.roc = roc_curve(scores, labels);
      return t;
    };
    const std::vector<double> op_scores = osteoporosis_scores(samples);
    const std::vector<int> op_labels = osteoporosis_labels(samples);
    r.osteoporosis = task(op_scores, op_labels);
    r.low_bmd = task(low_bmd_scores(samples), low_bmd_labels(samples));

    // T-score regression on the samples that have both values.
    std::vector<double> t_true, t_pred;
    std::vector<std::string> t_groups;
    for (const auto& s : samples)
      if (!std::isnan(s.true_t_score) && !std::isnan(s.predicted_t_score)) {
        t_true.push_back(s.true_t_score);
        t_pred.push_back(s.predicted_t_score);
        t_groups.push_back(s.patient_id);
      }
    r.t_score_n = static_cast<long>(t_true.size());
    const auto t_metric = [&](double (*fn)(const std::vector<double>&, const std::vector<double>&)) {
      return bootstrap_ci(
          t_groups,
          [&, fn](const Resample& idx) {
            std::vector<double> a, b;
            a.reserve(idx.size());
            b.reserve(idx.size());
            for (auto i : idx) {
              a.push_back(t_true[i]);
              b.push_back(t_pred[i]);
            }
            return fn(a, b);
          },
          options.bootstrap);
    };
    r.t_score_mae = t_metric(&mean_absolute_error);
    r.t_score_r = t_metric(&pearson_r);

    r.target_sensitivity = options.target_sensitivity;
    double threshold = kNaN;
    if (options.threshold) {
      threshold = *options.threshold;
      r.threshold_source = "given";
    } else {
      threshold = threshold_for_sensitivity(op_scores, op_labels, options.target_sensitivity).threshold;
      r.threshold_source = "chosen_on_evaluated_data";
    }
    if (std::isnan(threshold)) {
      r.operating_point = BinaryMetrics{};
      r.operating_point.threshold = kNaN;
      for (Proportion* p : {&r.operating_point.sensitivity, &r.operating_point.specificity, &r.operating_point.ppv,
                            &r.operating_point.npv})
        p->value = p->low = p->high = kNaN;
    } else {
      r.operating_point = binary_metrics_at(op_scores, op_labels, threshold, options.bootstrap.confidence);
    }

    std::vector<WhoCategory> truth, predicted;
    for (const auto& s : samples) {
      truth.push_back(s.true_category);
      predicted.push_back(argmax_category(s.p_normal, s.p_osteopenia, s.p_osteoporosis));
    }
    r.confusion = confusion_matrix(truth, predicted);

    r.reliability = reliability_bins(op_scores, op_labels, options.calibration_bins);
    r.ece = expected_calibration_error(op_scores, op_labels, options.calibration_bins);
    r.calibration = calibration_fit(op_scores, op_labels);

    std::vector<std::string> sex, age;
    for (const auto& s : samples) {
      sex.push_back(sex_level(s.sex));
      age.push_back(age_band(s.age, options.age_band_edges));
    }
    std::vector<std::string> age_order = age_band_labels(options.age_band_edges);
    age_order.push_back(kUnknownLevel);
    const std::vector<double> lb_scores = low_bmd_scores(samples);
    const std::vector<int> lb_labels = low_bmd_labels(samples);
    const auto add = [&](const char* variable, const std::vector<std::string>& levels,
                         const std::vector<std::string>& order) {
      const auto op = auroc_by_group(levels, op_scores, op_labels, order);
      const auto lb = auroc_by_group(levels, lb_scores, lb_labels, order);
      for (std::size_t i = 0; i < op.size(); ++i)  // same levels, same order in both
        r.subgroups.push_back(
            {variable, op[i].level, op[i].n, op[i].n_positive, lb[i].n_positive, op[i].auroc, lb[i].auroc});
    };
    add("sex", sex, {"F", "M", kUnknownLevel});
    add("age_band", age, age_order);
    return r;
  } catch (const OsteoError& e) {
    return tl::unexpected(e.error());
  }
}

nlohmann::json evaluation_to_json(const EvaluationResult& r) {
  using nlohmann::json;
  json j;
  j["n"] = r.n;
  j["n_patients"] = r.n_patients;
  j["n_osteoporosis"] = r.osteoporosis.n_positive;
  j["n_low_bmd"] = r.low_bmd.n_positive;
  j["auroc_osteoporosis"] = num(r.osteoporosis.auroc.estimate);
  j["auroc_osteoporosis_ci"] = pair(r.osteoporosis.auroc.low, r.osteoporosis.auroc.high);
  j["auroc_low_bmd"] = num(r.low_bmd.auroc.estimate);
  j["auroc_low_bmd_ci"] = pair(r.low_bmd.auroc.low, r.low_bmd.auroc.high);
  j["t_score_n"] = r.t_score_n;
  j["t_score_mae"] = num(r.t_score_mae.estimate);
  j["t_score_mae_ci"] = pair(r.t_score_mae.low, r.t_score_mae.high);
  j["t_score_r"] = num(r.t_score_r.estimate);
  j["t_score_r_ci"] = pair(r.t_score_r.low, r.t_score_r.high);
  const BinaryMetrics& op = r.operating_point;
  j["threshold"] = num(op.threshold);
  j["threshold_source"] = r.threshold_source;
  j["target_sensitivity"] = r.target_sensitivity;
  for (auto [name, p] : {std::pair<const char*, const Proportion*>{"sensitivity", &op.sensitivity},
                         {"specificity", &op.specificity},
                         {"ppv", &op.ppv},
                         {"npv", &op.npv}}) {
    j[name] = num(p->value);
    j[std::string(name) + "_ci"] = pair(p->low, p->high);
  }
  j["counts"] = {{"tp", op.counts.tp}, {"fp", op.counts.fp}, {"tn", op.counts.tn}, {"fn", op.counts.fn}};
  json rows = json::array();
  for (const auto& row : r.confusion.counts) rows.push_back(json(row));
  j["confusion_matrix"] = {{"labels", {"normal", "osteopenia", "osteoporosis"}}, {"counts", rows}};
  j["accuracy"] = num(r.confusion.accuracy());
  const auto recall = r.confusion.recall();
  j["per_class_recall"] = {{"normal", num(recall[0])}, {"osteopenia", num(recall[1])}, {"osteoporosis", num(recall[2])}};
  j["ece"] = num(r.ece);
  j["calibration_slope"] = num(r.calibration.slope);
  j["calibration_intercept"] = num(r.calibration.intercept);
  json bins = json::array();
  for (const auto& b : r.reliability)
    bins.push_back({{"lower", b.lower},
                    {"upper", b.upper},
                    {"mean_predicted", num(b.mean_predicted)},
                    {"observed_frequency", num(b.observed_frequency)},
                    {"count", b.count}});
  j["reliability"] = bins;
  const auto roc = [](const std::vector<RocPoint>& curve) {
    json fpr = json::array(), tpr = json::array(), thr = json::array();
    for (const auto& p : curve) {
      fpr.push_back(p.fpr);
      tpr.push_back(p.tpr);
      thr.push_back(num(p.threshold));
    }
    return json{{"fpr", fpr}, {"tpr", tpr}, {"threshold", thr}};
  };
  j["roc_osteoporosis"] = roc(r.osteoporosis.roc);
  j["roc_low_bmd"] = roc(r.low_bmd.roc);
  json subs = json::array();
  for (const auto& s : r.subgroups)
    subs.push_back({{"variable", s.variable},
                    {"level", s.level},
                    {"n", s.n},
                    {"n_osteoporosis", s.n_osteoporosis},
                    {"n_low_bmd", s.n_low_bmd},
                    {"auroc_osteoporosis", num(s.auroc_osteoporosis)},
                    {"auroc_low_bmd", num(s.auroc_low_bmd)}});
  j["subgroups"] = subs;
  j["bootstrap"] = {{"resamples", r.bootstrap.resamples},
                    {"confidence", r.bootstrap.confidence},
                    {"seed", r.bootstrap.seed},
                    {"unit", "patient"},
                    {"skipped",
                     {{"auroc_osteoporosis", r.osteoporosis.auroc.resamples_skipped},
                      {"auroc_low_bmd", r.low_bmd.auroc.resamples_skipped},
                      {"t_score_mae", r.t_score_mae.resamples_skipped},
                      {"t_score_r", r.t_score_r.resamples_skipped}}}};
  return j;
}

}  // namespace osteo::eval
