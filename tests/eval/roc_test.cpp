#include "osteo/eval/roc.h"

#include <cmath>

#include <gtest/gtest.h>

#include "osteo/core/error.h"

namespace osteo::eval {
namespace {

TEST(Auroc, TiesCountHalf) {
  // Positive/negative pairs: (0.4 vs 0.1) win, (0.4 vs 0.4) tie = ½, (0.8 vs 0.1) win,
  // (0.8 vs 0.4) win → (1 + ½ + 1 + 1) / 4 = 0.875.
  EXPECT_DOUBLE_EQ(auroc({0.1, 0.4, 0.4, 0.8}, {0, 0, 1, 1}), 0.875);
}

struct AurocCase {
  const char* name;
  std::vector<double> scores;
  std::vector<int> labels;
  double expected;
};

class AurocCases : public ::testing::TestWithParam<AurocCase> {};

TEST_P(AurocCases, MatchesHandValue) {
  const auto& c = GetParam();
  const double got = auroc(c.scores, c.labels);
  if (std::isnan(c.expected))
    EXPECT_TRUE(std::isnan(got)) << got;
  else
    EXPECT_NEAR(got, c.expected, 1e-12);
  // The trapezoid under the curve is the same number (or the curve is empty with one class).
  const auto curve = roc_curve(c.scores, c.labels);
  if (std::isnan(c.expected))
    EXPECT_TRUE(curve.empty());
  else
    EXPECT_NEAR(roc_area(curve), c.expected, 1e-12);
}

INSTANTIATE_TEST_SUITE_P(
    Hand, AurocCases,
    ::testing::Values(AurocCase{"perfect", {0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}, 1.0},
                      AurocCase{"inverted", {0.9, 0.8, 0.2, 0.1}, {0, 0, 1, 1}, 0.0},
                      AurocCase{"all_tied", {0.5, 0.5, 0.5, 0.5, 0.5}, {0, 1, 0, 1, 1}, 0.5},
                      // pos {0.3, 0.7}, neg {0.5, 0.6, 0.7}: 0.3 beats none; 0.7 beats 0.5, 0.6 and
                      // ties 0.7 → (0 + 2.5) / 6 = 5/12.
                      AurocCase{"mixed_tie", {0.3, 0.5, 0.6, 0.7, 0.7}, {1, 0, 0, 1, 0}, 5.0 / 12.0},
                      AurocCase{"one_class_pos", {0.1, 0.2}, {1, 1}, std::nan("")},
                      AurocCase{"one_class_neg", {0.1, 0.2}, {0, 0}, std::nan("")},
                      AurocCase{"empty", {}, {}, std::nan("")}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Auroc, RejectsBadInput) {
  EXPECT_THROW(auroc({0.1, 0.2}, {0}), OsteoError);
  EXPECT_THROW(auroc({0.1, 0.2}, {0, 2}), OsteoError);
  EXPECT_THROW(auroc({0.1, std::nan("")}, {0, 1}), OsteoError);
}

TEST(Midranks, TiesShareTheMeanRank) {
  // Sorted: 1 (rank 1), 2 (rank 2), 5, 5 (ranks 3 and 4 → 3.5 each).
  EXPECT_EQ(midranks({5, 1, 5, 2}), (std::vector<double>{3.5, 1, 3.5, 2}));
}

TEST(RocCurve, PointsOfTheTieExample) {
  // Descending: 0.8 (pos) → tpr ½; 0.4 (pos + neg together) → (½, 1); 0.1 (neg) → (1, 1).
  const auto c = roc_curve({0.1, 0.4, 0.4, 0.8}, {0, 0, 1, 1});
  ASSERT_EQ(c.size(), 4u);
  EXPECT_TRUE(std::isinf(c[0].threshold));
  EXPECT_DOUBLE_EQ(c[0].fpr, 0.0);
  EXPECT_DOUBLE_EQ(c[0].tpr, 0.0);
  EXPECT_DOUBLE_EQ(c[1].threshold, 0.8);
  EXPECT_DOUBLE_EQ(c[1].fpr, 0.0);
  EXPECT_DOUBLE_EQ(c[1].tpr, 0.5);
  EXPECT_DOUBLE_EQ(c[2].threshold, 0.4);
  EXPECT_DOUBLE_EQ(c[2].fpr, 0.5);
  EXPECT_DOUBLE_EQ(c[2].tpr, 1.0);
  EXPECT_DOUBLE_EQ(c[3].threshold, 0.1);
  EXPECT_DOUBLE_EQ(c[3].fpr, 1.0);
  EXPECT_DOUBLE_EQ(c[3].tpr, 1.0);
}

}  // namespace
}  // namespace osteo::eval
