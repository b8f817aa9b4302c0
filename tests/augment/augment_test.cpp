#include "osteo/augment/augment.h"

#include <gtest/gtest.h>

#include <numeric>

namespace osteo {
namespace {

std::vector<float> gradient(int size) {
  std::vector<float> p(static_cast<std::size_t>(size) * size);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) p[static_cast<std::size_t>(y) * size + x] = 0.1f + 0.8f * x / (size - 1);
  return p;
}

TEST(Augment, SameSeedSameResultDifferentSeedDiffers) {
  AugmentConfig c;
  auto a = gradient(32), b = gradient(32), d = gradient(32);
  AugmentRng r1(5), r2(5), r3(6);
  augment_in_place(a, 32, c, r1);
  augment_in_place(b, 32, c, r2);
  augment_in_place(d, 32, c, r3);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, d);
}

TEST(Augment, NoneIsTheIdentity) {
  auto a = gradient(32);
  const auto original = a;
  AugmentRng rng(1);
  augment_in_place(a, 32, AugmentConfig::none(), rng);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], original[i], 1e-6);
}

TEST(Augment, FlipMirrorsTheImage) {
  AugmentConfig c = AugmentConfig::none();
  c.flip_probability = 1.0;
  auto a = gradient(32);
  AugmentRng rng(1);
  augment_in_place(a, 32, c, rng);
  // The gradient now falls from left to right.
  EXPECT_GT(a[16 * 32 + 2], a[16 * 32 + 29]);
}

TEST(Augment, OutputStaysInUnitRangeUnderStrongSettings) {
  AugmentConfig c;
  c.brightness = 0.5;
  c.contrast = 0.9;
  c.noise_sigma = 0.3;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    auto a = gradient(24);
    AugmentRng rng(seed);
    augment_in_place(a, 24, c, rng);
    for (float v : a) {
      ASSERT_GE(v, 0.0f);
      ASSERT_LE(v, 1.0f);
    }
  }
}

TEST(Augment, IntensityStepsChangeTheMean) {
  AugmentConfig c = AugmentConfig::none();
  c.brightness = 0.2;
  double lowest = 1, highest = 0;
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    auto a = gradient(16);
    AugmentRng rng(seed);
    augment_in_place(a, 16, c, rng);
    const double mean = std::accumulate(a.begin(), a.end(), 0.0) / a.size();
    lowest = std::min(lowest, mean);
    highest = std::max(highest, mean);
  }
  EXPECT_GT(highest - lowest, 0.15);  // brightness ±0.2 spreads the mean
}

TEST(AugmentRng, UniformAndNormalMoments) {
  AugmentRng rng(42);
  double sum = 0, sum_sq = 0, usum = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    sum_sq += z * z;
    usum += rng.uniform(2.0, 4.0);
  }
  EXPECT_NEAR(sum / n, 0.0, 0.03);
  EXPECT_NEAR(sum_sq / n, 1.0, 0.05);
  EXPECT_NEAR(usum / n, 3.0, 0.02);
}

TEST(AugmentConfig, JsonRoundTripAndRangeChecks) {
  AugmentConfig c;
  c.flip_probability = 0.5;
  auto back = AugmentConfig::from_json(c.to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to_json(), c.to_json());
  auto j = c.to_json();
  j["flip_probability"] = 1.5;
  EXPECT_FALSE(AugmentConfig::from_json(j));
}

}  // namespace
}  // namespace osteo
