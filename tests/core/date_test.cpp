#include "osteo/core/date.h"

#include <gtest/gtest.h>

namespace osteo {
namespace {

TEST(Date, EpochAndKnownDayCounts) {
  EXPECT_EQ((Date{1970, 1, 1}.days_since_epoch()), 0);
  EXPECT_EQ((Date{1970, 1, 2}.days_since_epoch()), 1);
  EXPECT_EQ((Date{1969, 12, 31}.days_since_epoch()), -1);
  // 2000-03-01 is day 11017: 30 years incl. 7 leap days (1972..1996) + Jan/Feb 2000 (60 days).
  EXPECT_EQ((Date{2000, 3, 1}.days_since_epoch()), 30 * 365 + 7 + 60);
}

TEST(Date, RoundTripsEveryDayOverTwoCenturies) {
  for (std::int64_t d = -40000; d < 80000; d += 7) {
    EXPECT_EQ(Date::from_days_since_epoch(d).days_since_epoch(), d);
  }
}

TEST(Date, DifferencesAcrossLeapYears) {
  // 2020 is a leap year: 2020-01-01 .. 2021-01-01 is 366 days.
  EXPECT_EQ((Date{2021, 1, 1}.days_since_epoch() - Date{2020, 1, 1}.days_since_epoch()), 366);
  EXPECT_EQ((Date{1901, 1, 1}.days_since_epoch() - Date{1900, 1, 1}.days_since_epoch()), 365);  // 1900 not leap
}

TEST(Date, ParsesCommonFormats) {
  EXPECT_EQ(parse_date("2021-03-04"), (Date{2021, 3, 4}));
  EXPECT_EQ(parse_date("20210304"), (Date{2021, 3, 4}));
  EXPECT_EQ(parse_date("3/4/2021"), (Date{2021, 3, 4}));
  EXPECT_EQ(parse_date("3/4/2021", DateOrder::kDayFirst), (Date{2021, 4, 3}));
  EXPECT_EQ(parse_date("04.03.2021"), (Date{2021, 3, 4}));
  EXPECT_EQ(parse_date(" 2021-03-04 10:22 "), (Date{2021, 3, 4}));
  EXPECT_EQ(parse_date("2021-03-04T10:22:00"), (Date{2021, 3, 4}));
}

TEST(Date, RejectsImpossibleAndAmbiguousDates) {
  EXPECT_FALSE(parse_date(""));
  EXPECT_FALSE(parse_date("2021-02-30"));
  EXPECT_FALSE(parse_date("2021-13-01"));
  EXPECT_FALSE(parse_date("2019-02-29"));
  EXPECT_TRUE(parse_date("2020-02-29"));
  EXPECT_FALSE(parse_date("3/4/21"));  // two-digit year
  EXPECT_FALSE(parse_date("yesterday"));
  EXPECT_FALSE(parse_date("2021/03"));
  EXPECT_FALSE(parse_date("2021-0x-04"));
}

TEST(Date, AgeInYearsCountsBirthdays) {
  EXPECT_EQ(age_in_years({1950, 6, 15}, {2020, 6, 14}), 69);
  EXPECT_EQ(age_in_years({1950, 6, 15}, {2020, 6, 15}), 70);
  EXPECT_FALSE(age_in_years({2020, 1, 2}, {2020, 1, 1}));
}

TEST(Date, IsoFormatting) { EXPECT_EQ((Date{2022, 1, 9}.iso()), "2022-01-09"); }

}  // namespace
}  // namespace osteo
