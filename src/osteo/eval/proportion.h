#pragma once
/// @file
/// A proportion k/n with its Wilson score interval.
#include <cstdint>

namespace osteo::eval {

/// k successes out of n trials. value, low, high are in [0, 1]; all three are NaN when n = 0.
struct Proportion {
  std::int64_t successes = 0;
  std::int64_t trials = 0;
  double value = 0.0;
  double low = 0.0;
  double high = 0.0;
};

/// Wilson score interval (no continuity correction) at a two-sided confidence level.
/// Unlike the Wald interval it stays inside [0, 1] and is sensible at k = 0 or k = n
/// (e.g. 8/10 at 95% → [0.490, 0.943]; 0/10 → [0, 0.278]).
/// Throws OsteoError(kInvalidArgument) if k < 0, k > n or confidence ∉ (0, 1).
Proportion wilson_interval(std::int64_t successes, std::int64_t trials, double confidence = 0.95);

}  // namespace osteo::eval
