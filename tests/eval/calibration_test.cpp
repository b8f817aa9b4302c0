#include "osteo/eval/calibration.h"

#include <cmath>

#include <gtest/gtest.h>

#include "osteo/core/error.h"
#include "osteo/eval/irls.h"
#include "osteo/synth/rng.h"

namespace osteo::eval {
namespace {

TEST(Ece, HandBuiltExample) {
  // 15 bins of width 1/15: 0.05 → bin 0, 0.5 → bin 7 (7.5), 0.95 → bin 14 (14.25).
  // bin 0: mean 0.05, observed ½ → |−0.45|, 2 samples; bin 7: 0.5 vs 0 → 0.5, 2 samples;
  // bin 14: 0.95 vs 1 → 0.05, 2 samples. ECE = (2·0.45 + 2·0.5 + 2·0.05) / 6 = 2/6.
  const std::vector<double> p{0.05, 0.05, 0.5, 0.5, 0.95, 0.95};
  const std::vector<int> y{0, 1, 0, 0, 1, 1};
  EXPECT_NEAR(expected_calibration_error(p, y), 1.0 / 3.0, 1e-12);
  const auto bins = reliability_bins(p, y);
  ASSERT_EQ(bins.size(), 15u);
  EXPECT_EQ(bins[0].count, 2);
  EXPECT_DOUBLE_EQ(bins[0].observed_frequency, 0.5);
  EXPECT_EQ(bins[7].count, 2);
  EXPECT_DOUBLE_EQ(bins[7].mean_predicted, 0.5);
  EXPECT_EQ(bins[14].count, 2);
  EXPECT_EQ(bins[1].count, 0);
  EXPECT_TRUE(std::isnan(bins[1].mean_predicted));
  EXPECT_DOUBLE_EQ(bins[14].upper, 1.0);
}

TEST(Ece, ProbabilityOneGoesToLastBinAndBadInputThrows) {
  const auto bins = reliability_bins({1.0, 0.0}, {1, 0}, 4);
  EXPECT_EQ(bins[3].count, 1);
  EXPECT_EQ(bins[0].count, 1);
  EXPECT_DOUBLE_EQ(expected_calibration_error({1.0, 0.0}, {1, 0}, 4), 0.0);
  EXPECT_THROW(reliability_bins({1.2}, {1}), OsteoError);
  EXPECT_THROW(reliability_bins({0.2}, {1}, 0), OsteoError);
  EXPECT_TRUE(std::isnan(expected_calibration_error({}, {})));
}

// n outcomes drawn from p_true = σ(z), z ~ N(0, 1.5²); the model reports σ(k·z).
void simulate(double k, std::vector<double>& reported, std::vector<int>& y) {
  synth::Rng rng(11);
  for (int i = 0; i < 20000; ++i) {
    const double z = rng.normal(0.0, 1.5);
    y.push_back(rng.uniform() < sigmoid(z) ? 1 : 0);
    reported.push_back(sigmoid(k * z));
  }
}

TEST(CalibrationFit, PerfectlyCalibratedHasSlopeOneInterceptZero) {
  std::vector<double> p;
  std::vector<int> y;
  simulate(1.0, p, y);
  const auto fit = calibration_fit(p, y);
  ASSERT_TRUE(fit.converged);
  EXPECT_NEAR(fit.slope, 1.0, 0.06);
  EXPECT_NEAR(fit.intercept, 0.0, 0.05);
  EXPECT_LT(expected_calibration_error(p, y), 0.03);
}

TEST(CalibrationFit, OverconfidentHasSlopeBelowOne) {
  // Reported logits twice the true ones: the recalibration slope is ≈ ½.
  std::vector<double> p;
  std::vector<int> y;
  simulate(2.0, p, y);
  const auto fit = calibration_fit(p, y);
  ASSERT_TRUE(fit.converged);
  EXPECT_NEAR(fit.slope, 0.5, 0.05);
  std::vector<double> p2;
  std::vector<int> y2;
  simulate(0.5, p2, y2);  // under-confident → slope ≈ 2
  EXPECT_NEAR(calibration_fit(p2, y2).slope, 2.0, 0.15);
}

TEST(CalibrationFit, UndefinedCasesAreNaN) {
  const auto one_class = calibration_fit({0.2, 0.4}, {1, 1});
  EXPECT_FALSE(one_class.converged);
  EXPECT_TRUE(std::isnan(one_class.slope));
  // Perfect separation: the slope would be infinite.
  const auto separated = calibration_fit({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1});
  EXPECT_FALSE(separated.converged);
  EXPECT_TRUE(std::isnan(separated.slope));
  EXPECT_NEAR(clamped_logit(0.0), std::log(1e-6 / (1 - 1e-6)), 1e-9);
}

}  // namespace
}  // namespace osteo::eval
