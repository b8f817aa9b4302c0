// evaluation_from_json(): the reading half of the evaluation JSON contract.
#include <cmath>
#include <limits>
#include <string>

#include "osteo/eval/evaluation.h"

namespace osteo::eval {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using nlohmann::json;

// Readers throw OsteoError with the key path; evaluation_from_json turns it into a Result.
[[noreturn]] void bad(const std::string& path, const char* what) {
  throw OsteoError(ErrorCode::kInvalidArgument, "evaluation JSON: \"" + path + "\" " + what);
}

const json& at(const json& j, const std::string& key, const std::string& path = "") {
  if (!j.is_object() || !j.contains(key)) bad(path + key, "is missing");
  return j.at(key);
}

double number(const json& j, const std::string& key, const std::string& path = "") {
  const json& v = at(j, key, path);
  if (v.is_null()) return kNaN;
  if (!v.is_number()) bad(path + key, "is not a number or null");
  return v.get<double>();
}

long integer(const json& j, const std::string& key, const std::string& path = "") {
  const json& v = at(j, key, path);
  if (!v.is_number_integer()) bad(path + key, "is not an integer");
  return v.get<long>();
}

std::string text(const json& j, const std::string& key, const std::string& path = "") {
  const json& v = at(j, key, path);
  if (!v.is_string()) bad(path + key, "is not a string");
  return v.get<std::string>();
}

void interval(const json& j, const std::string& key, double& low, double& high) {
  const json& v = at(j, key);
  if (!v.is_array() || v.size() != 2) bad(key, "is not a [low, high] array");
  const auto one = [&](const json& e) {
    if (e.is_null()) return kNaN;
    if (!e.is_number()) bad(key, "holds a non-number");
    return e.get<double>();
  };
  low = one(v[0]);
  high = one(v[1]);
}

BootstrapCi ci(const json& j, const std::string& key, const char* skipped_key) {
  BootstrapCi c;
  c.estimate = number(j, key);
  interval(j, key + "_ci", c.low, c.high);
  const json& skipped = at(at(j, "bootstrap"), "skipped", "bootstrap.");
  c.resamples_skipped = skipped.contains(skipped_key) && skipped[skipped_key].is_number_integer()
                            ? skipped[skipped_key].get<int>()
                            : 0;
  c.resamples_used = static_cast<int>(integer(at(j, "bootstrap"), "resamples", "bootstrap.")) - c.resamples_skipped;
  return c;
}

std::vector<RocPoint> roc(const json& j, const std::string& key) {
  const json& r = at(j, key);
  const json& fpr = at(r, "fpr", key + ".");
  const json& tpr = at(r, "tpr", key + ".");
  const json& thr = at(r, "threshold", key + ".");
  if (!fpr.is_array() || !tpr.is_array() || !thr.is_array() || fpr.size() != tpr.size() || fpr.size() != thr.size())
    bad(key, "must hold equal-length arrays fpr, tpr, threshold");
  std::vector<RocPoint> out;
  for (std::size_t i = 0; i < fpr.size(); ++i) {
    if (!fpr[i].is_number() || !tpr[i].is_number()) bad(key, "holds a non-number");
    // Only the first point's threshold (+infinity) is written as null.
    out.push_back({fpr[i].get<double>(), tpr[i].get<double>(),
                   thr[i].is_number() ? thr[i].get<double>() : std::numeric_limits<double>::infinity()});
  }
  return out;
}

Proportion proportion(const json& j, const char* name, std::int64_t k, std::int64_t n) {
  Proportion p;
  p.successes = k;
  p.trials = n;
  p.value = number(j, name);
  interval(j, std::string(name) + "_ci", p.low, p.high);
  return p;
}

EvaluationResult read(const json& j) {
  EvaluationResult r;
  const json& b = at(j, "bootstrap");
  r.bootstrap.resamples = static_cast<int>(integer(b, "resamples", "bootstrap."));
  r.bootstrap.confidence = number(b, "confidence", "bootstrap.");
  if (!at(b, "seed", "bootstrap.").is_number_unsigned()) bad("bootstrap.seed", "is not an unsigned integer");
  r.bootstrap.seed = b["seed"].get<std::uint64_t>();
  r.n = integer(j, "n");
  r.n_patients = integer(j, "n_patients");
  r.osteoporosis.n_positive = integer(j, "n_osteoporosis");
  r.low_bmd.n_positive = integer(j, "n_low_bmd");
  r.osteoporosis.auroc = ci(j, "auroc_osteoporosis", "auroc_osteoporosis");
  r.low_bmd.auroc = ci(j, "auroc_low_bmd", "auroc_low_bmd");
  r.osteoporosis.roc = roc(j, "roc_osteoporosis");
  r.low_bmd.roc = roc(j, "roc_low_bmd");
  r.t_score_n = integer(j, "t_score_n");
  r.t_score_mae = ci(j, "t_score_mae", "t_score_mae");
  r.t_score_r = ci(j, "t_score_r", "t_score_r");
  r.target_sensitivity = number(j, "target_sensitivity");
  r.threshold_source = text(j, "threshold_source");
  BinaryMetrics& op = r.operating_point;
  op.threshold = number(j, "threshold");
  const json& c = at(j, "counts");
  op.counts = {integer(c, "tp", "counts."), integer(c, "fp", "counts."), integer(c, "tn", "counts."),
               integer(c, "fn", "counts.")};
  op.sensitivity = proportion(j, "sensitivity", op.counts.tp, op.counts.tp + op.counts.fn);
  op.specificity = proportion(j, "specificity", op.counts.tn, op.counts.tn + op.counts.fp);
  op.ppv = proportion(j, "ppv", op.counts.tp, op.counts.tp + op.counts.fp);
  op.npv = proportion(j, "npv", op.counts.tn, op.counts.tn + op.counts.fn);
  const json& cm = at(at(j, "confusion_matrix"), "counts", "confusion_matrix.");
  if (!cm.is_array() || cm.size() != 3) bad("confusion_matrix.counts", "is not a 3x3 array");
  for (std::size_t t = 0; t < 3; ++t) {
    if (!cm[t].is_array() || cm[t].size() != 3) bad("confusion_matrix.counts", "is not a 3x3 array");
    for (std::size_t p = 0; p < 3; ++p) {
      if (!cm[t][p].is_number_integer()) bad("confusion_matrix.counts", "holds a non-integer");
      r.confusion.counts[t][p] = cm[t][p].get<std::int64_t>();
    }
  }
  r.ece = number(j, "ece");
  r.calibration.slope = number(j, "calibration_slope");
  r.calibration.intercept = number(j, "calibration_intercept");
  r.calibration.converged = !std::isnan(r.calibration.slope);
  const json& bins = at(j, "reliability");
  if (!bins.is_array()) bad("reliability", "is not an array");
  for (const auto& e : bins) {
    ReliabilityBin bin;
    bin.lower = number(e, "lower", "reliability[].");
    bin.upper = number(e, "upper", "reliability[].");
    bin.mean_predicted = number(e, "mean_predicted", "reliability[].");
    bin.observed_frequency = number(e, "observed_frequency", "reliability[].");
    bin.count = integer(e, "count", "reliability[].");
    r.reliability.push_back(bin);
  }
  const json& subs = at(j, "subgroups");
  if (!subs.is_array()) bad("subgroups", "is not an array");
  for (const auto& e : subs) {
    const std::string p = "subgroups[].";
    r.subgroups.push_back({text(e, "variable", p), text(e, "level", p), integer(e, "n", p),
                           integer(e, "n_osteoporosis", p), integer(e, "n_low_bmd", p),
                           number(e, "auroc_osteoporosis", p), number(e, "auroc_low_bmd", p)});
  }
  return r;
}

}  // namespace

Result<EvaluationResult> evaluation_from_json(const json& j) {
  try {
    return read(j);
  } catch (const OsteoError& e) {
    return tl::unexpected(e.error());
  } catch (const json::exception& e) {
    return fail(ErrorCode::kInvalidArgument, std::string("evaluation JSON: ") + e.what());
  }
}

}  // namespace osteo::eval
