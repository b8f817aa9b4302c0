#pragma once
/// @file
/// Calibration of predicted probabilities against binary outcomes.
#include <vector>

namespace osteo::eval {

/// One bin of a reliability diagram. Bins are equal-width on [0, 1]: bin k covers
/// [k/B, (k+1)/B), the last one also includes 1.
struct ReliabilityBin {
  double lower = 0.0;
  double upper = 0.0;
  double mean_predicted = 0.0;      ///< mean probability in the bin; NaN when empty
  double observed_frequency = 0.0;  ///< share of positives in the bin; NaN when empty
  long count = 0;
};

/// The B bins (B ≥ 1, default 15), empty ones included (count 0). Throws
/// OsteoError(kInvalidArgument) on a length mismatch, probabilities outside [0, 1], labels not 0/1
/// or B < 1.
std::vector<ReliabilityBin> reliability_bins(const std::vector<double>& probabilities, const std::vector<int>& labels,
                                             int bins = 15);

/// Expected calibration error: Σ_k (n_k / N)·|mean_predicted_k − observed_frequency_k| over the
/// non-empty equal-width bins (default 15). In [0, 1]; NaN when there are no samples. Same
/// errors as reliability_bins().
double expected_calibration_error(const std::vector<double>& probabilities, const std::vector<int>& labels,
                                  int bins = 15);

/// Logistic recalibration: the fit of logit P(y=1) = intercept + slope·logit(p), p clamped to
/// [1e-6, 1 − 1e-6], by Newton–Raphson without penalty. A perfectly calibrated model has
/// slope 1 and intercept 0; slope < 1 means over-confident (predictions too extreme), slope > 1
/// under-confident. (This is the joint fit; "calibration-in-the-large" with the slope fixed at 1
/// is a different number.)
struct CalibrationFit {
  double slope = 0.0;
  double intercept = 0.0;
  bool converged = false;  ///< false on one class only or (quasi-)separation; slope/intercept NaN then
};
CalibrationFit calibration_fit(const std::vector<double>& probabilities, const std::vector<int>& labels);

/// log(p / (1 − p)) after clamping p to [1e-6, 1 − 1e-6].
double clamped_logit(double p);

}  // namespace osteo::eval
