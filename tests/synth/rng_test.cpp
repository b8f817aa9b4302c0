#include "osteo/synth/rng.h"

#include <gtest/gtest.h>

#include <cmath>

namespace osteo::synth {
namespace {

TEST(SynthRng, SameSeedSameStream) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const double x = a.normal();
    EXPECT_EQ(x, b.normal());
    differs |= x != c.normal();
  }
  EXPECT_TRUE(differs);
}

TEST(SynthRng, DerivedSeedsDependOnEveryPathElement) {
  EXPECT_EQ(derive_seed(7, {1, 2, 3}), derive_seed(7, {1, 2, 3}));
  EXPECT_NE(derive_seed(7, {1, 2, 3}), derive_seed(7, {1, 3, 2}));
  EXPECT_NE(derive_seed(7, {1, 2, 3}), derive_seed(8, {1, 2, 3}));
  EXPECT_NE(derive_seed(7, {1, 2}), derive_seed(7, {1, 2, 0}));
}

TEST(SynthRng, DistributionsHaveTheirMoments) {
  Rng rng(3);
  const int n = 200000;
  double sum = 0, sq = 0, usum = 0;
  int lo = 0, hi = 0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    sq += z * z;
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    usum += u;
    const int k = rng.uniform_int(-2, 2);
    ASSERT_GE(k, -2);
    ASSERT_LE(k, 2);
    lo += k == -2;
    hi += k == 2;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sq / n, 1.0, 0.02);
  EXPECT_NEAR(usum / n, 0.5, 0.005);
  EXPECT_NEAR(lo / double(n), 0.2, 0.01);
  EXPECT_NEAR(hi / double(n), 0.2, 0.01);
}

TEST(SynthRng, PickFollowsWeights) {
  Rng rng(5);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 30000; ++i) ++counts[rng.pick({1.0, 0.0, 3.0})];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[2] / 30000.0, 0.75, 0.02);
}

}  // namespace
}  // namespace osteo::synth
