#include "osteo/eval/regression.h"

#include <cmath>

#include <gtest/gtest.h>

#include "osteo/core/error.h"

namespace osteo::eval {
namespace {

TEST(Regression, MaeByHand) {
  // |−1.5 − −1| + |−2 − −2| + |−2 − −3| = 0.5 + 0 + 1 → 1.5 / 3 = 0.5 T-score units.
  EXPECT_DOUBLE_EQ(mean_absolute_error({-1, -2, -3}, {-1.5, -2, -2}), 0.5);
  EXPECT_TRUE(std::isnan(mean_absolute_error({}, {})));
  EXPECT_THROW(mean_absolute_error({1}, {1, 2}), OsteoError);
  EXPECT_THROW(mean_absolute_error({1}, {INFINITY}), OsteoError);
}

TEST(Regression, PearsonByHand) {
  // dx = {−1.5, −.5, .5, 1.5}, dy = {−3, −1, 0, 4}: Sxy = 4.5 + .5 + 0 + 6 = 11, Sxx = 5,
  // Syy = 26 → r = 11/√130 = 0.9647638.
  EXPECT_NEAR(pearson_r({1, 2, 3, 4}, {2, 4, 5, 9}), 11.0 / std::sqrt(130.0), 1e-12);
  EXPECT_NEAR(pearson_r({1, 2, 3}, {3, 2, 1}), -1.0, 1e-12);
  EXPECT_TRUE(std::isnan(pearson_r({1, 1, 1}, {1, 2, 3})));
  EXPECT_TRUE(std::isnan(pearson_r({1}, {1})));
}

TEST(Regression, FisherZInterval) {
  // atanh(0.5) = 0.549306, half width 1.959964/√25 = 0.391993 →
  // tanh(0.157313) = 0.156028, tanh(0.941299) = 0.735818.
  const auto ci = fisher_z_interval(0.5, 28);
  EXPECT_NEAR(ci.low, 0.156028, 1e-5);
  EXPECT_NEAR(ci.high, 0.735818, 1e-5);
  EXPECT_TRUE(std::isnan(fisher_z_interval(0.5, 3).low));
}

}  // namespace
}  // namespace osteo::eval
