#include "osteo/eval/subgroups.h"

#include <cmath>

#include <gtest/gtest.h>

#include "osteo/core/error.h"

namespace osteo::eval {
namespace {

TEST(AgeBands, DefaultLabelsAndBoundaries) {
  EXPECT_EQ(age_band_labels(kDefaultAgeEdges), (std::vector<std::string>{"<60", "60-69", "70-79", ">=80"}));
  EXPECT_EQ(age_band(59.9, kDefaultAgeEdges), "<60");
  EXPECT_EQ(age_band(60.0, kDefaultAgeEdges), "60-69");
  EXPECT_EQ(age_band(79.99, kDefaultAgeEdges), "70-79");
  EXPECT_EQ(age_band(80.0, kDefaultAgeEdges), ">=80");
  EXPECT_EQ(age_band(NAN, kDefaultAgeEdges), "unknown");
  EXPECT_EQ(age_band_labels({50, 65.5}), (std::vector<std::string>{"<50", "[50,65.5)", ">=65.5"}));
  EXPECT_THROW(age_band_labels({70, 60}), OsteoError);
  EXPECT_EQ(age_band(40, {}), "all");
}

TEST(Sex, Levels) {
  EXPECT_EQ(sex_level("f"), "F");
  EXPECT_EQ(sex_level(" Male "), "M");
  EXPECT_EQ(sex_level("O"), "unknown");
  EXPECT_EQ(sex_level(""), "unknown");
}

TEST(AurocByGroup, OrderCountsAndOneClassLevels) {
  // F: scores {0.9, 0.1} labels {1, 0} → AUROC 1. M: labels {0, 0} → one class, NaN. "X": other.
  const auto rows = auroc_by_group({"M", "F", "M", "F", "X"}, {0.3, 0.9, 0.4, 0.1, 0.5}, {0, 1, 0, 0, 1},
                                   {"F", "M", "unknown"});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].level, "F");
  EXPECT_EQ(rows[0].n, 2);
  EXPECT_EQ(rows[0].n_positive, 1);
  EXPECT_DOUBLE_EQ(rows[0].auroc, 1.0);
  EXPECT_EQ(rows[1].level, "M");
  EXPECT_TRUE(std::isnan(rows[1].auroc));
  EXPECT_EQ(rows[2].level, "X");  // not in `order`: appended
}

}  // namespace
}  // namespace osteo::eval
