// Matching edge cases on hand-built records: the pure matcher, no store.
#include "osteo/cohort/match.h"

#include <gtest/gtest.h>

namespace osteo {
namespace {

ImageRecord image(std::int64_t id, const std::string& patient, Date date, Side side = Side::kUnknown) {
  ImageRecord img;
  img.id = id;
  img.source = "dicom";
  img.meta.patient_id = patient;
  img.meta.study_date = date;
  img.meta.laterality = side;
  return img;
}

DexaRecord dexa(std::int64_t id, const std::string& patient, Date date, DexaSite site, std::optional<double> t,
                Side side = Side::kUnknown) {
  DexaRecord d;
  d.id = id;
  d.patient_id = patient;
  d.date = date;
  d.site = site;
  d.side = side;
  d.t_score = t;
  return d;
}

Date plus_days(Date d, int days) { return Date::from_days_since_epoch(d.days_since_epoch() + days); }

const Date kXray{2020, 6, 1};

TEST(Match, WindowIsInclusiveAt183Days) {
  for (int offset : {-183, 183}) {
    auto r = match_images({image(1, "P", kXray)}, {dexa(10, "P", plus_days(kXray, offset), DexaSite::kFemoralNeck, -2.0)}, {});
    ASSERT_EQ(r.matches.size(), 1u);
    EXPECT_EQ(r.matches[0].dexa_id, 10) << offset;
    EXPECT_EQ(r.matches[0].days_apart, 183);
  }
  for (int offset : {-184, 184}) {
    auto r = match_images({image(1, "P", kXray)}, {dexa(10, "P", plus_days(kXray, offset), DexaSite::kFemoralNeck, -2.0)}, {});
    EXPECT_FALSE(r.matches[0].dexa_id) << offset;
    EXPECT_EQ(r.matches[0].reason, "out_of_window");
  }
}

TEST(Match, CustomWindow) {
  MatchOptions o;
  o.window_days = 30;
  auto r = match_images({image(1, "P", kXray)}, {dexa(10, "P", plus_days(kXray, 31), DexaSite::kFemoralNeck, -2.0)}, o);
  EXPECT_EQ(r.matches[0].reason, "out_of_window");
}

TEST(Match, NearestExamWinsAndLabelFollowsWhoBands) {
  auto r = match_images({image(1, "P", kXray)},
                        {dexa(10, "P", plus_days(kXray, -100), DexaSite::kFemoralNeck, -1.0),
                         dexa(11, "P", plus_days(kXray, 20), DexaSite::kFemoralNeck, -2.5),
                         dexa(12, "P", plus_days(kXray, -60), DexaSite::kFemoralNeck, -3.0)},
                        {});
  ASSERT_EQ(r.labels.size(), 1u);
  EXPECT_EQ(r.labels[0].dexa_id, 11);
  EXPECT_DOUBLE_EQ(r.labels[0].t_score, -2.5);
  EXPECT_EQ(r.labels[0].category, WhoCategory::kOsteoporosis);  // T ≤ −2.5
  EXPECT_EQ(r.labels[0].site, "femoral_neck");
  EXPECT_EQ(r.report.categories["osteoporosis"], 1);
}

TEST(Match, EqualDistanceTakesTheEarlierExam) {
  auto r = match_images({image(1, "P", kXray)},
                        {dexa(11, "P", plus_days(kXray, 10), DexaSite::kFemoralNeck, -1.5),
                         dexa(10, "P", plus_days(kXray, -10), DexaSite::kFemoralNeck, -3.0)},
                        {});
  EXPECT_EQ(r.matches[0].dexa_id, 10);
}

TEST(Match, PrefersSameSideEvenWhenFartherInTime) {
  const std::vector<DexaRecord> rows = {dexa(10, "P", plus_days(kXray, 5), DexaSite::kFemoralNeck, -0.5, Side::kLeft),
                                        dexa(11, "P", plus_days(kXray, 90), DexaSite::kFemoralNeck, -2.8, Side::kRight)};
  auto right = match_images({image(1, "P", kXray, Side::kRight)}, rows, {});
  EXPECT_EQ(right.matches[0].dexa_id, 11);
  EXPECT_TRUE(right.matches[0].same_side);
  EXPECT_EQ(right.report.same_side, 1);
  auto left = match_images({image(1, "P", kXray, Side::kLeft)}, rows, {});
  EXPECT_EQ(left.matches[0].dexa_id, 10);
  // Unknown laterality: no preference, so the nearest exam.
  auto unknown = match_images({image(1, "P", kXray)}, rows, {});
  EXPECT_EQ(unknown.matches[0].dexa_id, 10);
  EXPECT_FALSE(unknown.matches[0].same_side);
}

TEST(Match, FallsBackToOppositeSideWhenOnlyThatIsInWindow) {
  auto r = match_images({image(1, "P", kXray, Side::kRight)},
                        {dexa(10, "P", plus_days(kXray, 5), DexaSite::kFemoralNeck, -1.2, Side::kLeft)}, {});
  EXPECT_EQ(r.matches[0].dexa_id, 10);
  EXPECT_FALSE(r.matches[0].same_side);
}

TEST(Match, NoTScoreAtReferenceSite) {
  auto r = match_images({image(1, "P", kXray)},
                        {dexa(10, "P", kXray, DexaSite::kFemoralNeck, std::nullopt),
                         dexa(11, "P", kXray, DexaSite::kTotalHip, -2.9)},
                        {});
  EXPECT_EQ(r.matches[0].reason, "no_t_score");
  EXPECT_TRUE(r.labels.empty());
  // ...but the total hip is usable when it is the reference site.
  MatchOptions o;
  o.reference_site = DexaSite::kTotalHip;
  EXPECT_EQ(match_images({image(1, "P", kXray)}, {dexa(11, "P", kXray, DexaSite::kTotalHip, -2.9)}, o).matches[0].dexa_id, 11);
}

TEST(Match, ExamWithoutTScoreDoesNotHideAUsableOne) {
  auto r = match_images({image(1, "P", kXray)},
                        {dexa(10, "P", plus_days(kXray, 1), DexaSite::kFemoralNeck, std::nullopt),
                         dexa(11, "P", plus_days(kXray, 150), DexaSite::kFemoralNeck, -1.7)},
                        {});
  EXPECT_EQ(r.matches[0].dexa_id, 11);
}

TEST(Match, LowestTakesTheMinimumAcrossHipSitesOnly) {
  MatchOptions o;
  o.reference_site = std::nullopt;
  auto r = match_images({image(1, "P", kXray)},
                        {dexa(10, "P", kXray, DexaSite::kFemoralNeck, -1.8), dexa(11, "P", kXray, DexaSite::kTotalHip, -2.6),
                         dexa(12, "P", kXray, DexaSite::kWards, -2.2), dexa(13, "P", kXray, DexaSite::kL1L4, -3.5)},
                        o);
  ASSERT_EQ(r.labels.size(), 1u);
  EXPECT_EQ(r.labels[0].dexa_id, 11);  // the spine's −3.5 is not a hip site
  EXPECT_EQ(r.labels[0].site, "total_hip");
  EXPECT_EQ(r.labels[0].category, WhoCategory::kOsteoporosis);
}

TEST(Match, UnmatchedReasonsAreCounted) {
  ImageRecord no_date = image(3, "P", kXray);
  no_date.meta.study_date.reset();
  ImageRecord manifest = image(5, "Q", kXray);
  manifest.source = "manifest";
  auto r = match_images({image(1, "P", kXray), image(2, "NOBODY", kXray), no_date, image(4, "", kXray), manifest},
                        {dexa(10, "P", kXray, DexaSite::kFemoralNeck, -1.1)}, {});
  EXPECT_EQ(r.report.images, 4);
  EXPECT_EQ(r.report.matched, 1);
  EXPECT_EQ(r.report.unmatched, 3);
  EXPECT_EQ(r.report.manifest_labelled, 1);
  EXPECT_EQ(r.report.reasons["matched"], 1);
  EXPECT_EQ(r.report.reasons["no_dexa"], 1);
  EXPECT_EQ(r.report.reasons["no_study_date"], 1);
  EXPECT_EQ(r.report.reasons["no_patient_id"], 1);
  EXPECT_EQ(r.matches.size(), 4u);
}

TEST(Match, OtherPatientsDexaIsNeverUsed) {
  auto r = match_images({image(1, "P", kXray)}, {dexa(10, "Q", kXray, DexaSite::kFemoralNeck, -3.0)}, {});
  EXPECT_EQ(r.matches[0].reason, "no_dexa");
}

TEST(Match, ParsesReferenceSite) {
  EXPECT_EQ(*parse_reference_site("lowest"), std::nullopt);
  EXPECT_EQ(*parse_reference_site("total_hip"), DexaSite::kTotalHip);
  EXPECT_FALSE(parse_reference_site("knee"));
}

}  // namespace
}  // namespace osteo
