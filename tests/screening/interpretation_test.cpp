#include "osteo/screening/interpretation.h"

#include <gtest/gtest.h>

namespace osteo::screening {
namespace {

ModelAnswer answer(double pn, double pp, double po, double t) { return {{pn, pp, po}, t}; }

TEST(Interpretation, CategoryIsMostProbableClass) {
  EXPECT_EQ(interpret(answer(0.2, 0.5, 0.3, -1.8), 0.9, 0.5, std::nullopt).category, WhoCategory::kOsteopenia);
  EXPECT_EQ(interpret(answer(0.7, 0.2, 0.1, 0.0), 0.9, 0.5, std::nullopt).category, WhoCategory::kNormal);
}

TEST(Interpretation, IntervalUsesResidualSdOrFallback) {
  const auto r = interpret(answer(0.2, 0.5, 0.3, -2.0), 0.5, 0.5, std::nullopt);
  EXPECT_DOUBLE_EQ(r.t_low, -2.0 - 1.96 * 0.5);
  EXPECT_DOUBLE_EQ(r.t_high, -2.0 + 1.96 * 0.5);
  const auto wide = interpret(answer(0.2, 0.5, 0.3, -2.0), 0.5, std::nullopt, std::nullopt);
  EXPECT_DOUBLE_EQ(wide.t_high - wide.t_low, 2 * 1.96 * 1.0);
}

TEST(Interpretation, BandIsSymmetricInLogOdds) {
  // threshold 0.2: logit −1.386; margin 0.5 → p in (0.1324, 0.2921).
  EXPECT_TRUE(interpret(answer(0.5, 0.3, 0.2, -2), 0.2, 0.5, std::nullopt).indeterminate);
  EXPECT_TRUE(interpret(answer(0.5, 0.22, 0.28, -2), 0.2, 0.5, std::nullopt).indeterminate);
  EXPECT_TRUE(interpret(answer(0.6, 0.26, 0.14, -2), 0.2, 0.5, std::nullopt).indeterminate);
  const auto positive = interpret(answer(0.3, 0.4, 0.30, -2), 0.2, 0.5, std::nullopt);
  EXPECT_FALSE(positive.indeterminate);
  EXPECT_TRUE(positive.screen_positive);
  EXPECT_EQ(positive.recommendation_code, "refer_dexa");
  const auto negative = interpret(answer(0.6, 0.27, 0.13, -2), 0.2, 0.5, std::nullopt);
  EXPECT_FALSE(negative.indeterminate);
  EXPECT_FALSE(negative.screen_positive);
  EXPECT_EQ(negative.recommendation_code, "screen_negative");
}

TEST(Interpretation, IndeterminateNeverReassures) {
  const auto r = interpret(answer(0.5, 0.3, 0.2, -2), 0.2, 0.5, std::nullopt);
  EXPECT_EQ(r.recommendation_code, "indeterminate_refer_dexa");
  EXPECT_NE(r.recommendation_text.find("DEXA"), std::string::npos);
  EXPECT_FALSE(r.screen_positive);
}

TEST(Interpretation, HighOstaOverridesNegativeScreen) {
  const auto high = osta(80.0, 45.0);
  const auto r = interpret(answer(0.9, 0.08, 0.02, 0.5), 0.3, 0.5, high);
  EXPECT_EQ(r.recommendation_code, "consider_dexa_osta");
  const auto low = osta(50.0, 80.0);
  EXPECT_EQ(interpret(answer(0.9, 0.08, 0.02, 0.5), 0.3, 0.5, low).recommendation_code, "screen_negative");
}

TEST(Interpretation, ExtremeProbabilitiesStayFinite) {
  const auto r = interpret(answer(0.0, 0.0, 1.0, -4), 0.5, 0.5, std::nullopt);
  EXPECT_TRUE(r.screen_positive);
  const auto z = interpret(answer(1.0, 0.0, 0.0, 1), 0.5, 0.5, std::nullopt);
  EXPECT_FALSE(z.indeterminate);
  EXPECT_FALSE(z.screen_positive);
}

}  // namespace
}  // namespace osteo::screening
