#include <cmath>

#include <gtest/gtest.h>

#include "osteo/core/error.h"
#include "osteo/eval/normal.h"
#include "osteo/eval/proportion.h"
#include "osteo/eval/threshold.h"

namespace osteo::eval {
namespace {

TEST(Normal, KnownQuantiles) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-15);
  EXPECT_NEAR(normal_quantile(0.001), -3.090232306167813, 1e-11);
  EXPECT_NEAR(normal_cdf(1.959963984540054), 0.975, 1e-14);
  EXPECT_NEAR(two_sided_z(0.90), 1.6448536269514722, 1e-12);
  EXPECT_THROW(two_sided_z(1.0), OsteoError);
}

TEST(Wilson, EightOfTen) {
  // z = 1.95996, z² = 3.84146, n = 10: denom = 1.384146, centre = (0.8 + 0.192073)/denom = 0.716741,
  // half = z·√(0.016 + 0.0096037)/denom = 0.226584 → [0.490157, 0.943325].
  const Proportion p = wilson_interval(8, 10);
  EXPECT_DOUBLE_EQ(p.value, 0.8);
  EXPECT_NEAR(p.low, 0.490, 5e-4);
  EXPECT_NEAR(p.high, 0.943, 5e-4);
}

TEST(Wilson, ZeroAndAll) {
  // 0/10: centre = half = (3.84146/20)/1.384146 = 0.138767 → [0, 0.277535].
  const Proportion zero = wilson_interval(0, 10);
  EXPECT_EQ(zero.low, 0.0);
  EXPECT_NEAR(zero.high, 0.277535, 1e-5);
  const Proportion all = wilson_interval(10, 10);
  EXPECT_EQ(all.high, 1.0);
  EXPECT_NEAR(all.low, 1.0 - 0.277535, 1e-5);
}

TEST(Wilson, EmptyIsNaNAndBadCountsThrow) {
  EXPECT_TRUE(std::isnan(wilson_interval(0, 0).value));
  EXPECT_THROW(wilson_interval(3, 2), OsteoError);
  EXPECT_THROW(wilson_interval(-1, 2), OsteoError);
}

TEST(BinaryMetrics, CountsAndProportionsAtThreshold) {
  // score ≥ 0.5 → positive. pos {0.9, 0.6, 0.4}, neg {0.7, 0.5, 0.2, 0.1}:
  // TP = 2 (0.9, 0.6), FN = 1 (0.4), FP = 2 (0.7, 0.5: equality counts as positive), TN = 2.
  const auto m = binary_metrics_at({0.9, 0.6, 0.4, 0.7, 0.5, 0.2, 0.1}, {1, 1, 1, 0, 0, 0, 0}, 0.5);
  EXPECT_EQ(m.counts.tp, 2);
  EXPECT_EQ(m.counts.fn, 1);
  EXPECT_EQ(m.counts.fp, 2);
  EXPECT_EQ(m.counts.tn, 2);
  EXPECT_DOUBLE_EQ(m.sensitivity.value, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.specificity.value, 0.5);
  EXPECT_DOUBLE_EQ(m.ppv.value, 0.5);
  EXPECT_DOUBLE_EQ(m.npv.value, 2.0 / 3.0);
  EXPECT_LT(m.sensitivity.low, m.sensitivity.value);
  EXPECT_GT(m.sensitivity.high, m.sensitivity.value);
  // Nothing predicted positive: PPV is undefined.
  const auto none = binary_metrics_at({0.1, 0.2}, {0, 1}, 0.9);
  EXPECT_TRUE(std::isnan(none.ppv.value));
  EXPECT_DOUBLE_EQ(none.npv.value, 0.5);
}

TEST(Threshold, HighestThresholdReachingTarget) {
  // 10 positives; 0.9 × 10 = 9 must be found → the 9th highest positive score, 0.4.
  // Negatives below 0.4: {0.3, 0.1} → specificity 2/4.
  const std::vector<double> s{0.95, 0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.45, 0.4, 0.2, 0.85, 0.65, 0.3, 0.1};
  const std::vector<int> y{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
  const auto t = threshold_for_sensitivity(s, y, 0.90);
  EXPECT_DOUBLE_EQ(t.threshold, 0.4);
  EXPECT_DOUBLE_EQ(t.achieved_sensitivity, 0.9);
  EXPECT_DOUBLE_EQ(t.specificity, 0.5);
  // Any higher observed score misses the target.
  EXPECT_LT(binary_metrics_at(s, y, 0.45).sensitivity.value, 0.9);
  // Target 1 → the lowest positive; a tiny target → the highest positive.
  EXPECT_DOUBLE_EQ(threshold_for_sensitivity(s, y, 1.0).threshold, 0.2);
  EXPECT_DOUBLE_EQ(threshold_for_sensitivity(s, y, 0.01).threshold, 0.95);
}

TEST(Threshold, TiesAreNotSplit) {
  // pos {0.9, 0.5, 0.5, 0.2}, neg {0.5, 0.1}; target ½ needs 2 → 2nd highest positive = 0.5.
  // Both tied positives are detected (3/4 > target) and the tied negative is a false positive.
  const auto t = threshold_for_sensitivity({0.9, 0.5, 0.5, 0.2, 0.5, 0.1}, {1, 1, 1, 1, 0, 0}, 0.5);
  EXPECT_DOUBLE_EQ(t.threshold, 0.5);
  EXPECT_DOUBLE_EQ(t.achieved_sensitivity, 0.75);
  EXPECT_DOUBLE_EQ(t.specificity, 0.5);
}

TEST(Threshold, EdgeCases) {
  EXPECT_TRUE(std::isnan(threshold_for_sensitivity({0.1, 0.2}, {0, 0}).threshold));
  EXPECT_TRUE(std::isnan(threshold_for_sensitivity({0.1, 0.2}, {1, 1}).specificity));
  EXPECT_THROW(threshold_for_sensitivity({0.1}, {1}, 0.0), OsteoError);
  EXPECT_THROW(threshold_for_sensitivity({0.1}, {1}, 1.5), OsteoError);
}

}  // namespace
}  // namespace osteo::eval
