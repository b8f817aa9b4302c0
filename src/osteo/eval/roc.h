#pragma once
/// @file
/// Area under the ROC curve and the curve itself, for a binary label and a real-valued score
/// where a higher score means "more likely positive".
///
/// Conventions shared by every function here:
///  - labels are 0 (negative) or 1 (positive); scores are finite. Anything else throws
///    OsteoError(kInvalidArgument) — that is a caller bug, not a data condition.
///  - with only one class present (or no samples) the AUROC is undefined and returned as a
///    quiet NaN (serialised as JSON null). Callers test with std::isnan.
#include <cstddef>
#include <vector>

namespace osteo::eval {

/// AUROC = P(score⁺ > score⁻) + ½·P(score⁺ = score⁻), the Mann–Whitney U statistic divided by
/// n⁺·n⁻ (midranks for ties, so a tie between a positive and a negative counts ½). Identical to
/// the trapezoid area under roc_curve(). O(n log n). Unitless, in [0, 1]; NaN with one class.
double auroc(const std::vector<double>& scores, const std::vector<int>& labels);

/// Midranks (1-based; tied values share the mean of their ranks) of `values`. O(n log n).
std::vector<double> midranks(const std::vector<double>& values);

/// One operating point: predict positive when score ≥ threshold.
struct RocPoint {
  double fpr = 0.0;        ///< false-positive rate, FP / n⁻
  double tpr = 0.0;        ///< true-positive rate (sensitivity), TP / n⁺
  double threshold = 0.0;  ///< +infinity for the first point (nothing predicted positive)
};

/// The empirical ROC curve: (0,0) at threshold +∞, then one point per distinct score in
/// descending order (tied scores move together, giving a diagonal segment), ending at (1,1).
/// Empty when either class is absent.
std::vector<RocPoint> roc_curve(const std::vector<double>& scores, const std::vector<int>& labels);

/// Trapezoid area under a curve from roc_curve() (equals auroc() on the same data).
double roc_area(const std::vector<RocPoint>& curve);

}  // namespace osteo::eval
