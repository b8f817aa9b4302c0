#pragma once
/// @file
/// Agreement of predicted and reference T-scores (a continuous target, in SD units).
#include <vector>

namespace osteo::eval {

/// Mean absolute error, mean |predicted − truth|, in T-score units (SD). NaN when empty.
/// Throws OsteoError(kInvalidArgument) on a length mismatch or a non-finite value.
double mean_absolute_error(const std::vector<double>& truth, const std::vector<double>& predicted);

/// Pearson correlation r in [−1, 1]. NaN with fewer than 2 samples or when either vector is
/// constant. Same errors as mean_absolute_error().
double pearson_r(const std::vector<double>& x, const std::vector<double>& y);

/// Fisher z interval of a correlation from n independent pairs: tanh(atanh(r) ± z_{α/2}/√(n−3)).
/// {NaN, NaN} when n < 4 or r is NaN; r = ±1 gives the degenerate {r, r}. For several images per
/// patient prefer the patient-level bootstrap (the pairs are not independent).
struct Interval {
  double low = 0.0;
  double high = 0.0;
};
Interval fisher_z_interval(double r, long n, double confidence = 0.95);

}  // namespace osteo::eval
