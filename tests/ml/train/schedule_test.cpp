#include <gtest/gtest.h>

#include <cmath>

#include "osteo/ml/train/schedule.h"

namespace osteo::ml {
namespace {

struct LrCase {
  std::int64_t step;
  double expected;
};

// base 1.0, 10 steps, 2 warm-up steps, floor 0.1. Warm-up: 0.5, 1.0. Cosine over 8 steps from
// step 2: lr = 0.1 + 0.9·½(1 + cos(π(s−2)/8)).
class CosineWarmupTest : public ::testing::TestWithParam<LrCase> {};

TEST_P(CosineWarmupTest, MatchesHandComputedValue) {
  CosineSchedule s{1.0, 10, 2, 0.1};
  EXPECT_NEAR(learning_rate_at(s, GetParam().step), GetParam().expected, 1e-12);
}

INSTANTIATE_TEST_SUITE_P(HandChecked, CosineWarmupTest,
                         ::testing::Values(LrCase{0, 0.5}, LrCase{1, 1.0},
                                           LrCase{2, 1.0},                                   // cos 0
                                           LrCase{4, 0.1 + 0.45 * (1 + std::sqrt(0.5))},     // cos π/4
                                           LrCase{6, 0.55},                                  // cos π/2
                                           LrCase{8, 0.1 + 0.45 * (1 - std::sqrt(0.5))},     // cos 3π/4
                                           LrCase{10, 0.1}, LrCase{25, 0.1}));               // past the end

TEST(CosineWarmup, NoWarmupStartsAtBaseAndDecreasesMonotonically) {
  CosineSchedule s{3e-4, 100, 0, 0.0};
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 0), 3e-4);
  for (int i = 1; i <= 100; ++i) EXPECT_LE(learning_rate_at(s, i), learning_rate_at(s, i - 1));
  EXPECT_NEAR(learning_rate_at(s, 100), 0.0, 1e-18);
}

TEST(CosineWarmup, WarmupLongerThanRunIsClamped) {
  CosineSchedule s{1.0, 4, 10, 0.0};  // warm-up clamped to 3 steps
  EXPECT_NEAR(learning_rate_at(s, 0), 1.0 / 3, 1e-12);
  EXPECT_NEAR(learning_rate_at(s, 2), 1.0, 1e-12);
  EXPECT_NEAR(learning_rate_at(s, 3), 1.0, 1e-12);
}

}  // namespace
}  // namespace osteo::ml
