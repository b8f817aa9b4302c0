#pragma once
/// @file
/// Several models evaluated on the same samples, compared against the best one. Every
/// comparison must include the covariate-only baseline (see logistic.h).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"
#include "osteo/eval/delong.h"
#include "osteo/eval/evaluation.h"

namespace osteo::eval {

struct ComparedModel {
  std::string name;
  bool is_baseline = false;  ///< the covariate-only baseline
  std::vector<EvalSample> samples;  ///< same samples, same order, for every model
  std::optional<double> threshold;  ///< this model's validation threshold (see EvaluationOptions)
};

struct ComparisonRow {
  std::string name;
  bool is_baseline = false;
  bool is_best = false;
  EvaluationResult result;
  /// DeLong test of the best model (A) against this one (B) on the osteoporosis task; for the
  /// best model itself every field is NaN except its AUC.
  AucComparison delong_vs_best;
};

struct ComparisonResult {
  std::string best;  ///< the model with the highest osteoporosis AUROC (ties: listed first)
  std::vector<ComparisonRow> rows;  ///< in input order
};

/// Evaluates every model (options.threshold is ignored; each model's own is used) and runs
/// DeLong of the best against each other. kInvalidArgument when: fewer than 2 models, no model
/// flagged is_baseline, duplicate names, or the sample lists differ (length, or patient_id /
/// true_category at some index — the message names the model and the index). Any error of
/// evaluate() is passed on, prefixed with the model name.
Result<ComparisonResult> compare_models(const std::vector<ComparedModel>& models, const EvaluationOptions& options = {});

/// {"best": name, "models": [{"name", "is_baseline", "is_best", "evaluation": {...},
/// "delong_vs_best": {auc_a, auc_b, difference, se, z, p_value}}]}; NaN → null.
nlohmann::json comparison_to_json(const ComparisonResult& result);

}  // namespace osteo::eval
