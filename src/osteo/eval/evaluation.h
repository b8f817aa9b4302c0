#pragma once
/// @file
/// The evaluation of one model on one labelled set, and its JSON contract (`--json` output,
/// model cards, the HTML report). Everything here is a composition of the metric functions.
///
/// Tasks (labels from true_category, NOT re-derived from true_t_score):
///  - osteoporosis: category osteoporosis (T ≤ −2.5) vs the rest; score = p_osteoporosis.
///  - low BMD: osteopenia or osteoporosis (T < −1) vs normal; score = p_osteopenia + p_osteoporosis.
/// The operating point, calibration and the 3-class confusion matrix concern the osteoporosis
/// task / the arg-max category. All CIs are patient-level bootstrap percentile intervals except
/// sensitivity/specificity/PPV/NPV, which are Wilson intervals (they are image-level
/// proportions; with several images per patient they are somewhat too narrow).
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"
#include "osteo/core/types.h"
#include "osteo/eval/bootstrap.h"
#include "osteo/eval/calibration.h"
#include "osteo/eval/confusion.h"
#include "osteo/eval/roc.h"
#include "osteo/eval/subgroups.h"
#include "osteo/eval/threshold.h"

namespace osteo::eval {

/// One evaluated image (or exam).
struct EvalSample {
  std::string patient_id;            ///< groups samples for the bootstrap; must be non-empty
  double true_t_score = std::nan("");  ///< reference T-score (SD units); NaN = unknown
  WhoCategory true_category = WhoCategory::kNormal;
  double p_normal = 0.0;  ///< each probability in [0, 1]; they need not sum to 1 (a baseline may
  double p_osteopenia = 0.0;  ///< fill only p_osteoporosis), but p_osteopenia + p_osteoporosis is the
  double p_osteoporosis = 0.0;  ///< low-BMD score
  double predicted_t_score = std::nan("");  ///< NaN when the model has no T-score head
  std::string sex;                       ///< "F"/"M"; anything else is "unknown"
  double age = std::nan("");             ///< years; NaN = unknown
};

struct EvaluationOptions {
  BootstrapOptions bootstrap;  ///< resamples, confidence (used for every CI), seed, threads
  double target_sensitivity = 0.90;
  /// The osteoporosis decision threshold chosen on VALIDATION data. When absent it is chosen
  /// on the evaluated data itself (optimistic; the JSON says so in "threshold_source").
  std::optional<double> threshold;
  int calibration_bins = 15;
  std::vector<double> age_band_edges = kDefaultAgeEdges;
};

/// A binary task's discrimination.
struct TaskResult {
  long n_positive = 0;
  BootstrapCi auroc;
  std::vector<RocPoint> roc;
};

/// One row of the subgroup table.
struct SubgroupRow {
  std::string variable;  ///< "sex" or "age_band"
  std::string level;     ///< "F", "M", "<60", "60-69", …, "unknown"
  long n = 0;
  long n_osteoporosis = 0;
  long n_low_bmd = 0;
  double auroc_osteoporosis = 0.0;  ///< NaN when the subgroup has one class
  double auroc_low_bmd = 0.0;
};

struct EvaluationResult {
  long n = 0;
  long n_patients = 0;
  TaskResult osteoporosis;
  TaskResult low_bmd;
  long t_score_n = 0;     ///< samples with both a reference and a predicted T-score
  BootstrapCi t_score_mae;  ///< T-score units; NaN when t_score_n = 0
  BootstrapCi t_score_r;
  double target_sensitivity = 0.9;
  std::string threshold_source;  ///< "given" or "chosen_on_evaluated_data"
  BinaryMetrics operating_point;  ///< osteoporosis task at the threshold (NaN threshold: no positives)
  ConfusionMatrix confusion;      ///< true category × arg-max category
  double ece = 0.0;
  std::vector<ReliabilityBin> reliability;
  CalibrationFit calibration;
  std::vector<SubgroupRow> subgroups;
  BootstrapOptions bootstrap;  ///< as used, for the record
};

/// Checks every sample (kInvalidArgument naming the sample index and field: empty patient id,
/// probability outside [0, 1] or NaN, infinite T-score or age) and computes everything above.
/// An empty input is kInvalidArgument. One class only is NOT an error: the AUROCs are NaN.
Result<EvaluationResult> evaluate(const std::vector<EvalSample>& samples, const EvaluationOptions& options = {});

/// The `--json` object. Top-level numbers: n, n_patients, n_osteoporosis, n_low_bmd,
/// auroc_osteoporosis, auroc_low_bmd, t_score_mae, t_score_r, t_score_n, threshold,
/// target_sensitivity, sensitivity, specificity, ppv, npv, accuracy, ece, calibration_slope,
/// calibration_intercept; each CI as "<name>_ci": [low, high]; "threshold_source";
/// "counts": {tp, fp, tn, fn}; "confusion_matrix": {labels, counts (rows = truth)};
/// "per_class_recall": {normal, osteopenia, osteoporosis}; "reliability": [{lower, upper,
/// mean_predicted, observed_frequency, count}]; "roc_osteoporosis"/"roc_low_bmd": {fpr, tpr,
/// threshold}; "subgroups": [{variable, level, n, n_osteoporosis, n_low_bmd,
/// auroc_osteoporosis, auroc_low_bmd}]; "bootstrap": {resamples, confidence, seed, skipped:
/// {auroc_osteoporosis, …}}. Every undefined value (NaN, ±∞) is null.
nlohmann::json evaluation_to_json(const EvaluationResult& result);

/// Inverse of evaluation_to_json() (nulls become NaN), so a saved evaluation can be rendered
/// later. kInvalidArgument naming the first missing or mistyped key.
Result<EvaluationResult> evaluation_from_json(const nlohmann::json& j);

/// Scores of the two binary tasks and their labels, as evaluate() builds them.
std::vector<double> osteoporosis_scores(const std::vector<EvalSample>& samples);
std::vector<int> osteoporosis_labels(const std::vector<EvalSample>& samples);
std::vector<double> low_bmd_scores(const std::vector<EvalSample>& samples);
std::vector<int> low_bmd_labels(const std::vector<EvalSample>& samples);

}  // namespace osteo::eval
