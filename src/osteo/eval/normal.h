#pragma once
/// @file
/// The standard normal distribution, as the interval and test formulas need it.

namespace osteo::eval {

/// Φ(x), the standard normal CDF.
double normal_cdf(double x);

/// Φ⁻¹(p) for p in (0, 1); ±infinity at 0 and 1, NaN outside [0, 1].
/// Accurate to ~1e-15 (Acklam's rational approximation refined by one Halley step).
double normal_quantile(double p);

/// The two-sided critical value for a confidence level, e.g. 0.95 → 1.959964.
/// Throws OsteoError(kInvalidArgument) unless 0 < confidence < 1.
double two_sided_z(double confidence);

}  // namespace osteo::eval
