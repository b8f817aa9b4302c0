#include "osteo/core/types.h"

#include <gtest/gtest.h>

namespace osteo {
namespace {

TEST(WhoCategory, BandEdgesFollowWho) {
  EXPECT_EQ(who_category(-2.5), WhoCategory::kOsteoporosis);  // T ≤ −2.5
  EXPECT_EQ(who_category(-2.4999), WhoCategory::kOsteopenia);
  EXPECT_EQ(who_category(-1.0001), WhoCategory::kOsteopenia);
  EXPECT_EQ(who_category(-1.0), WhoCategory::kNormal);  // T ≥ −1
  EXPECT_EQ(who_category(1.5), WhoCategory::kNormal);
  EXPECT_EQ(who_category(-4.0), WhoCategory::kOsteoporosis);
}

TEST(WhoCategory, NamesRoundTrip) {
  for (auto c : {WhoCategory::kNormal, WhoCategory::kOsteopenia, WhoCategory::kOsteoporosis}) {
    EXPECT_EQ(parse_who(who_name(c)), c);
  }
  EXPECT_EQ(parse_who(" Osteoporotic "), WhoCategory::kOsteoporosis);
  EXPECT_FALSE(parse_who("fine"));
}

TEST(Side, ParsesSpellings) {
  EXPECT_EQ(parse_side("L"), Side::kLeft);
  EXPECT_EQ(parse_side(" right "), Side::kRight);
  EXPECT_EQ(parse_side("Lt"), Side::kLeft);
  EXPECT_EQ(parse_side("B"), Side::kUnknown);
  EXPECT_EQ(parse_side(""), Side::kUnknown);
  EXPECT_STREQ(side_code(Side::kRight), "R");
}

TEST(DexaSite, StableNamesRoundTripAndExportSpellingsParse) {
  for (auto s : {DexaSite::kFemoralNeck, DexaSite::kTotalHip, DexaSite::kTrochanter, DexaSite::kWards,
                 DexaSite::kShaft, DexaSite::kL1, DexaSite::kL2, DexaSite::kL3, DexaSite::kL4,
                 DexaSite::kL1L4, DexaSite::kForearm, DexaSite::kOther}) {
    EXPECT_EQ(parse_site(site_name(s)), s) << site_name(s);
  }
  EXPECT_EQ(parse_site("Neck"), DexaSite::kFemoralNeck);
  EXPECT_EQ(parse_site("Ward's"), DexaSite::kWards);
  EXPECT_EQ(parse_site("Troch"), DexaSite::kTrochanter);
  EXPECT_EQ(parse_site("L1-L4"), DexaSite::kL1L4);
  EXPECT_FALSE(parse_site("elbow"));
  EXPECT_TRUE(is_hip_site(DexaSite::kWards));
  EXPECT_FALSE(is_hip_site(DexaSite::kL2));
}

}  // namespace
}  // namespace osteo
