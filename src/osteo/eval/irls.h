#pragma once
/// @file
/// The Newton–Raphson (IRLS) solver behind logistic regression and logistic recalibration.
/// Internal to eval: callers use LogisticModel or calibration_fit().
#include <vector>

namespace osteo::eval {

struct IrlsOptions {
  double l2 = 0.0;          ///< ridge on the slopes (never on the intercept), on the mean loss
  int max_iterations = 100;
  double tolerance = 1e-10;  ///< stop when the largest coefficient step is below this
};

struct IrlsFit {
  std::vector<double> beta;  ///< intercept first, then one slope per feature
  bool converged = false;
  int iterations = 0;
  double loss = 0.0;  ///< mean negative log-likelihood + (l2/2)·Σ slopes²
};

/// Minimises the penalised logistic loss of y (0/1) on the rows of x (each row one sample's
/// features, no intercept column). Newton steps with step halving, so the loss never rises.
/// Does not throw on separable data: it stops at max_iterations with converged = false.
IrlsFit fit_irls(const std::vector<std::vector<double>>& x, const std::vector<int>& y, const IrlsOptions& options);

/// Numerically safe logistic function 1 / (1 + e^−t).
double sigmoid(double t);

}  // namespace osteo::eval
