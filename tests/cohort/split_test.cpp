// Split planners on hand-built cohorts: patient-level disjointness, temporal rules, balance.
#include "osteo/cohort/split.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace osteo {
namespace {

LabelledImage img(std::int64_t id, const std::string& patient, int year, WhoCategory c = WhoCategory::kNormal) {
  return {id, patient, Date{year, 6, 1}, c};
}

std::map<std::string, std::string> by_patient(const SplitPlan& plan) {
  std::map<std::string, std::string> m;
  for (const auto& a : plan.assignments) EXPECT_TRUE(m.emplace(a.patient_id, a.split).second) << a.patient_id;
  return m;
}

TEST(TemporalSplit, YearsDecideAndSpanningPatientsStayInTrain) {
  TemporalSplitOptions o;
  o.val_fraction = 0;
  const std::vector<LabelledImage> images = {img(1, "A", 2018), img(2, "A", 2021), img(3, "B", 2022),
                                             img(4, "C", 2020), img(5, "C", 2022), img(6, "D", 2023)};
  const auto plan = plan_temporal_split(images, o);
  const auto split = by_patient(plan);
  EXPECT_EQ(split.at("A"), "train");
  EXPECT_EQ(split.at("B"), "test");
  EXPECT_EQ(split.at("C"), "train");
  EXPECT_EQ(split.count("D"), 0u);  // only a 2023 image: in no split
  std::map<std::int64_t, std::string> excluded;
  for (const auto& e : plan.exclusions) excluded[e.image_id] = e.reason;
  EXPECT_EQ(excluded.at(5), "patient_in_train");  // C's 2022 image would leak C into test
  EXPECT_EQ(excluded.at(6), "outside_temporal_windows");
  EXPECT_EQ(excluded.size(), 2u);
  EXPECT_TRUE(check_disjoint(plan));
}

TEST(TemporalSplit, ImagesWithoutDateAreExcluded) {
  auto no_date = img(1, "A", 2019);
  no_date.study_date.reset();
  const auto plan = plan_temporal_split({no_date}, {});
  ASSERT_EQ(plan.exclusions.size(), 1u);
  EXPECT_EQ(plan.exclusions[0].reason, "no_study_date");
  EXPECT_TRUE(plan.assignments.empty());
}

TEST(TemporalSplit, ValidationIsCarvedFromTrainPerClass) {
  std::vector<LabelledImage> images;
  for (int i = 0; i < 100; ++i) {
    images.push_back(img(i, "P" + std::to_string(i), 2019, i < 40 ? WhoCategory::kOsteoporosis : WhoCategory::kNormal));
  }
  TemporalSplitOptions o;
  o.val_fraction = 0.25;
  const auto split = by_patient(plan_temporal_split(images, o));
  int val_op = 0, val_normal = 0;
  for (int i = 0; i < 100; ++i) {
    if (split.at("P" + std::to_string(i)) == "val") (i < 40 ? val_op : val_normal)++;
  }
  EXPECT_EQ(val_op, 10);      // 25% of 40
  EXPECT_EQ(val_normal, 15);  // 25% of 60
}

TEST(StratifiedSplit, KeepsClassBalanceAndPatientsTogether) {
  std::vector<LabelledImage> images;
  const WhoCategory classes[] = {WhoCategory::kNormal, WhoCategory::kOsteopenia, WhoCategory::kOsteoporosis};
  std::int64_t id = 0;
  for (int p = 0; p < 300; ++p) {
    // Every patient has two images; the class counts are 100 each.
    for (int k = 0; k < 2; ++k) images.push_back(img(id++, "P" + std::to_string(p), 2019 + k, classes[p % 3]));
  }
  StratifiedSplitOptions o;
  o.test_fraction = 0.2;
  o.val_fraction = 0.1;
  const auto plan = plan_stratified_split(images, o);
  const auto split = by_patient(plan);
  ASSERT_EQ(split.size(), 300u);
  std::map<std::string, std::map<int, int>> counts;
  for (int p = 0; p < 300; ++p) counts[split.at("P" + std::to_string(p))][p % 3]++;
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(counts["test"][c], 20);
    EXPECT_EQ(counts["val"][c], 10);
    EXPECT_EQ(counts["train"][c], 70);
  }
}

TEST(StratifiedSplit, PatientClassIsTheMostSevereLabel) {
  // One patient, normal then osteoporosis: counted as osteoporosis, so with test_fraction 1/2
  // and two osteoporosis patients exactly one of them goes to test.
  StratifiedSplitOptions o;
  o.test_fraction = 0.5;
  o.val_fraction = 0;
  const auto split = by_patient(plan_stratified_split(
      {img(1, "A", 2019, WhoCategory::kNormal), img(2, "A", 2020, WhoCategory::kOsteoporosis),
       img(3, "B", 2019, WhoCategory::kOsteoporosis)},
      o));
  EXPECT_NE(split.at("A"), split.at("B"));
}

TEST(StratifiedSplit, SameSeedSameSplitDifferentSeedDiffers) {
  std::vector<LabelledImage> images;
  for (int p = 0; p < 200; ++p) images.push_back(img(p, "P" + std::to_string(p), 2020));
  StratifiedSplitOptions a, b;
  b.seed = 7;
  EXPECT_EQ(by_patient(plan_stratified_split(images, a)), by_patient(plan_stratified_split(images, a)));
  EXPECT_NE(by_patient(plan_stratified_split(images, a)), by_patient(plan_stratified_split(images, b)));
}

TEST(SplitOptions, RejectsNonsense) {
  TemporalSplitOptions t;
  t.train_until_year = 2022;
  EXPECT_FALSE(validate(t));
  StratifiedSplitOptions s;
  s.test_fraction = 0.8;
  s.val_fraction = 0.3;
  EXPECT_FALSE(validate(s));
  s.test_fraction = 0;
  s.val_fraction = 0;
  EXPECT_FALSE(validate(s));
  EXPECT_TRUE(validate(StratifiedSplitOptions{}));
}

TEST(SplitPlan, CheckDisjointCatchesADoubleAssignment) {
  SplitPlan plan;
  plan.assignments = {{"A", "train"}, {"A", "test"}};
  EXPECT_FALSE(check_disjoint(plan));
}

}  // namespace
}  // namespace osteo
