#include "osteo/eval/proportion.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "osteo/core/error.h"
#include "osteo/eval/normal.h"

namespace osteo::eval {

Proportion wilson_interval(std::int64_t successes, std::int64_t trials, double confidence) {
  if (successes < 0 || successes > trials)
    throw OsteoError(ErrorCode::kInvalidArgument, "wilson_interval: need 0 <= k <= n, got k=" +
                                                      std::to_string(successes) + " n=" + std::to_string(trials));
  const double z = two_sided_z(confidence);
  Proportion p;
  p.successes = successes;
  p.trials = trials;
  if (trials == 0) {
    p.value = p.low = p.high = std::numeric_limits<double>::quiet_NaN();
    return p;
  }
  const double n = static_cast<double>(trials);
  const double phat = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / n;
  const double centre = (phat + z2 / (2.0 * n)) / denom;
  const double half = z * std::sqrt(phat * (1.0 - phat) / n + z2 / (4.0 * n * n)) / denom;
  p.value = phat;
  // At k = 0 or k = n the bound is exactly 0 or 1 mathematically; clamp away rounding.
  p.low = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  p.high = successes == trials ? 1.0 : std::min(1.0, centre + half);
  return p;
}

}  // namespace osteo::eval
