#include "osteo/eval/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "osteo/core/error.h"
#include "osteo/eval/check.h"
#include "osteo/eval/irls.h"

namespace osteo::eval {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double clamped_logit(double p) {
  const double q = std::clamp(p, 1e-6, 1.0 - 1e-6);
  return std::log(q / (1.0 - q));
}

std::vector<ReliabilityBin> reliability_bins(const std::vector<double>& probabilities, const std::vector<int>& labels,
                                             int bins) {
  check_binary_input(probabilities, labels, "reliability_bins");
  check_probabilities(probabilities, "reliability_bins");
  if (bins < 1) throw OsteoError(ErrorCode::kInvalidArgument, "reliability_bins: bins must be >= 1");
  std::vector<ReliabilityBin> out(static_cast<std::size_t>(bins));
  std::vector<double> sum_p(out.size(), 0.0), sum_y(out.size(), 0.0);
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    const auto k = static_cast<std::size_t>(std::min(bins - 1, static_cast<int>(probabilities[i] * bins)));
    sum_p[k] += probabilities[i];
    sum_y[k] += labels[i];
    ++out[k].count;
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    out[k].lower = static_cast<double>(k) / bins;
    out[k].upper = static_cast<double>(k + 1) / bins;
    const auto c = static_cast<double>(out[k].count);
    out[k].mean_predicted = out[k].count ? sum_p[k] / c : kNaN;
    out[k].observed_frequency = out[k].count ? sum_y[k] / c : kNaN;
  }
  return out;
}

double expected_calibration_error(const std::vector<double>& probabilities, const std::vector<int>& labels,
                                  int bins) {
  const auto table = reliability_bins(probabilities, labels, bins);
  if (probabilities.empty()) return kNaN;
  double ece = 0.0;
  for (const auto& b : table)
    if (b.count > 0) ece += static_cast<double>(b.count) * std::abs(b.mean_predicted - b.observed_frequency);
  return ece / static_cast<double>(probabilities.size());
}

CalibrationFit calibration_fit(const std::vector<double>& probabilities, const std::vector<int>& labels) {
  check_binary_input(probabilities, labels, "calibration_fit");
  check_probabilities(probabilities, "calibration_fit");
  CalibrationFit out{kNaN, kNaN, false};
  const auto positives = std::count(labels.begin(), labels.end(), 1);
  if (positives == 0 || positives == static_cast<long>(labels.size())) return out;
  std::vector<std::vector<double>> x(probabilities.size(), std::vector<double>(1));
  for (std::size_t i = 0; i < probabilities.size(); ++i) x[i][0] = clamped_logit(probabilities[i]);
  IrlsOptions options;
  options.max_iterations = 100;
  options.tolerance = 1e-9;
  const IrlsFit fit = fit_irls(x, labels, options);
  // Under separation the slope runs away; a converged fit has modest coefficients.
  if (!fit.converged || std::abs(fit.beta[1]) > 1e4) return out;
  out.intercept = fit.beta[0];
  out.slope = fit.beta[1];
  out.converged = true;
  return out;
}

}  // namespace osteo::eval
