#include "osteo/eval/delong.h"

#include <cmath>

#include <gtest/gtest.h>

#include "osteo/core/error.h"
#include "osteo/synth/rng.h"

namespace osteo::eval {
namespace {

// Samples in order P1 N1 P2 N2 P3 N3.
const std::vector<int> kLabels{1, 0, 1, 0, 1, 0};
// A: positives {0.9, 0.7, 0.4}, negatives {0.6, 0.3, 0.2}.
const std::vector<double> kA{0.9, 0.6, 0.7, 0.3, 0.4, 0.2};
// B: positives {0.8, 0.3, 0.6}, negatives {0.7, 0.5, 0.1}.
const std::vector<double> kB{0.8, 0.7, 0.3, 0.5, 0.6, 0.1};

TEST(DeLong, HandCheckedExample) {
  // Placement values (share of the other class beaten, ties ½):
  //  A: V10 = {1, 1, 2/3} (0.4 beats 0.3, 0.2 but not 0.6) → AUC_A = 8/9;
  //     V01 = {2/3, 1, 1} (0.6 is below 0.9, 0.7 only).
  //  B: V10 = {1, 1/3, 2/3} → AUC_B = 2/3;  V01 = {1/3, 2/3, 1}.
  // Sample (co)variances, divisor n−1 = 2:
  //  S10: var A = (1/81 + 1/81 + 4/81)/2 = 1/27; var B = (1/9 + 1/9)/2 = 1/9;
  //       cov = (1/9·1/3 − 1/9·1/3 + 0)/2 = 0.
  //  S01: var A = 1/27; var B = 1/9; cov = ((−2/9)(−1/3) + 0 + (1/9)(1/3))/2 = 1/18.
  // var(A − B) = (1/27 + 1/9 − 0)/3 + (1/27 + 1/9 − 1/9)/3 = 4/81 + 1/81 = 5/81.
  // se = √5/9 = 0.248452; diff = 2/9; z = 2/√5 = 0.894427; p = 2(1 − Φ(z)) = 0.371093.
  const auto c = delong_test(kA, kB, kLabels);
  EXPECT_NEAR(c.auc_a, 8.0 / 9.0, 1e-12);
  EXPECT_NEAR(c.auc_b, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(c.difference, 2.0 / 9.0, 1e-12);
  EXPECT_NEAR(c.se, std::sqrt(5.0) / 9.0, 1e-12);
  EXPECT_NEAR(c.z, 2.0 / std::sqrt(5.0), 1e-12);
  EXPECT_NEAR(c.p_value, 0.371093, 1e-6);
  // Swapping the models flips the sign only.
  const auto r = delong_test(kB, kA, kLabels);
  EXPECT_NEAR(r.z, -c.z, 1e-12);
  EXPECT_NEAR(r.p_value, c.p_value, 1e-12);
}

TEST(DeLong, IdenticalScoresGiveZeroAndPOne) {
  const auto c = delong_test(kA, kA, kLabels);
  EXPECT_EQ(c.difference, 0.0);
  EXPECT_EQ(c.z, 0.0);
  EXPECT_EQ(c.p_value, 1.0);
  // A monotone transform ranks identically: same AUC, same placements.
  std::vector<double> squashed;
  for (double s : kA) squashed.push_back(s * s);
  EXPECT_EQ(delong_test(kA, squashed, kLabels).p_value, 1.0);
}

TEST(DeLong, TooFewPerClassIsNaN) {
  const auto c = delong_test({0.1, 0.9, 0.3}, {0.2, 0.8, 0.1}, {0, 1, 0});
  EXPECT_DOUBLE_EQ(c.auc_a, 1.0);
  EXPECT_TRUE(std::isnan(c.p_value));
  EXPECT_THROW(delong_test({0.1}, {0.2, 0.3}, {0}), OsteoError);
}

TEST(DeLong, AgreesWithPairedBootstrap) {
  // Correlated models: B = A's signal plus extra noise. The DeLong SE and the bootstrap SD of
  // the difference estimate the same quantity.
  synth::Rng rng(5);
  std::vector<double> a, b;
  std::vector<int> y;
  std::vector<std::string> ids;
  for (int i = 0; i < 400; ++i) {
    y.push_back(i % 2);
    const double signal = rng.normal(y.back() ? 1.2 : 0.0, 1.0);
    a.push_back(signal);
    b.push_back(signal + rng.normal(0.0, 1.0));
    ids.push_back("p" + std::to_string(i));
  }
  const auto d = delong_test(a, b, y);
  BootstrapOptions o;
  o.resamples = 500;
  const auto pb = paired_bootstrap_auc(a, b, y, ids, o);
  EXPECT_DOUBLE_EQ(pb.comparison.difference, d.difference);
  EXPECT_NEAR(pb.comparison.se / d.se, 1.0, 0.2);
  EXPECT_GT(d.difference, 0.0);
  EXPECT_LT(d.p_value, 0.01);
  EXPECT_LT(pb.comparison.p_value, 0.02);
  EXPECT_GT(pb.interval.low, 0.0);
  const auto same = paired_bootstrap_auc(a, a, y, ids, o);
  EXPECT_EQ(same.comparison.z, 0.0);
  EXPECT_EQ(same.comparison.p_value, 1.0);
}

}  // namespace
}  // namespace osteo::eval
