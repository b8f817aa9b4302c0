#include "osteo/eval/regression.h"

#include <cmath>
#include <limits>
#include <string>

#include "osteo/core/error.h"
#include "osteo/eval/check.h"
#include "osteo/eval/normal.h"

namespace osteo::eval {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_pairs(const std::vector<double>& a, const std::vector<double>& b, const char* where) {
  check_same_size(a.size(), b.size(), where);
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!std::isfinite(a[i]) || !std::isfinite(b[i]))
      throw OsteoError(ErrorCode::kInvalidArgument, std::string(where) + ": value " + std::to_string(i) + " is not finite");
}
}  // namespace

double mean_absolute_error(const std::vector<double>& truth, const std::vector<double>& predicted) {
  check_pairs(truth, predicted, "mean_absolute_error");
  if (truth.empty()) return kNaN;
  double s = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) s += std::abs(predicted[i] - truth[i]);
  return s / static_cast<double>(truth.size());
}

double pearson_r(const std::vector<double>& x, const std::vector<double>& y) {
  check_pairs(x, y, "pearson_r");
  const std::size_t n = x.size();
  if (n < 2) return kNaN;
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0.0 || syy <= 0.0) return kNaN;
  return std::max(-1.0, std::min(1.0, sxy / std::sqrt(sxx * syy)));
}

Interval fisher_z_interval(double r, long n, double confidence) {
  const double z = two_sided_z(confidence);
  if (std::isnan(r) || n < 4) return {kNaN, kNaN};
  if (std::abs(r) >= 1.0) return {r, r};
  const double centre = std::atanh(r);
  const double half = z / std::sqrt(static_cast<double>(n - 3));
  return {std::tanh(centre - half), std::tanh(centre + half)};
}

}  // namespace osteo::eval
