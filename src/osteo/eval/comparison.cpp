#include "osteo/eval/comparison.h"

#include <cmath>
#include <limits>
#include <set>

namespace osteo::eval {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
}  // namespace

Result<ComparisonResult> compare_models(const std::vector<ComparedModel>& models, const EvaluationOptions& options) {
  if (models.size() < 2) return fail(ErrorCode::kInvalidArgument, "comparison: needs at least two models");
  bool has_baseline = false;
  std::set<std::string> names;
  for (const auto& m : models) {
    has_baseline = has_baseline || m.is_baseline;
    if (!names.insert(m.name).second)
      return fail(ErrorCode::kInvalidArgument, "comparison: duplicate model name \"" + m.name + "\"");
  }
  if (!has_baseline)
    return fail(ErrorCode::kInvalidArgument,
                "comparison: no model is flagged as the covariate-only baseline (every comparison must include it)");
  const auto& ref = models.front().samples;
  for (const auto& m : models) {
    if (m.samples.size() != ref.size())
      return fail(ErrorCode::kInvalidArgument, "comparison: model \"" + m.name + "\" has " +
                                                   std::to_string(m.samples.size()) + " samples, \"" +
                                                   models.front().name + "\" has " + std::to_string(ref.size()));
    for (std::size_t i = 0; i < ref.size(); ++i)
      if (m.samples[i].patient_id != ref[i].patient_id || m.samples[i].true_category != ref[i].true_category)
        return fail(ErrorCode::kInvalidArgument, "comparison: model \"" + m.name + "\" sample " + std::to_string(i) +
                                                     " is not the same sample as in \"" + models.front().name +
                                                     "\" (patient or reference category differ)");
  }
  ComparisonResult out;
  std::size_t best = 0;
  for (std::size_t k = 0; k < models.size(); ++k) {
    EvaluationOptions o = options;
    o.threshold = models[k].threshold;
    auto r = evaluate(models[k].samples, o);
    if (!r) return fail(r.error().code, "model \"" + models[k].name + "\": " + r.error().message);
    ComparisonRow row;
    row.name = models[k].name;
    row.is_baseline = models[k].is_baseline;
    row.result = std::move(*r);
    out.rows.push_back(std::move(row));
    const double a = out.rows[k].result.osteoporosis.auroc.estimate;
    const double b = out.rows[best].result.osteoporosis.auroc.estimate;
    if (k > 0 && (std::isnan(b) || a > b)) best = k;
  }
  out.best = models[best].name;
  const std::vector<int> labels = osteoporosis_labels(models[best].samples);
  const std::vector<double> best_scores = osteoporosis_scores(models[best].samples);
  for (std::size_t k = 0; k < models.size(); ++k) {
    ComparisonRow& row = out.rows[k];
    row.is_best = k == best;
    if (k == best) {
      row.delong_vs_best = {row.result.osteoporosis.auroc.estimate, row.result.osteoporosis.auroc.estimate, kNaN, kNaN,
                            kNaN, kNaN};
      continue;
    }
    try {
      row.delong_vs_best = delong_test(best_scores, osteoporosis_scores(models[k].samples), labels);
    } catch (const OsteoError& e) {
      return tl::unexpected(e.error());
    }
  }
  return out;
}

nlohmann::json comparison_to_json(const ComparisonResult& result) {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& row : result.rows) {
    const AucComparison& d = row.delong_vs_best;
    models.push_back({{"name", row.name},
                      {"is_baseline", row.is_baseline},
                      {"is_best", row.is_best},
                      {"evaluation", evaluation_to_json(row.result)},
                      {"delong_vs_best",
                       {{"auc_a", num(d.auc_a)},
                        {"auc_b", num(d.auc_b)},
                        {"difference", num(d.difference)},
                        {"se", num(d.se)},
                        {"z", num(d.z)},
                        {"p_value", num(d.p_value)}}}});
  }
  return {{"best", result.best}, {"models", models}};
}

}  // namespace osteo::eval
