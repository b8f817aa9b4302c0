#include "osteo/synth/population.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>

namespace osteo::synth {
namespace {

std::vector<SynthPatient> plan(int n, std::uint64_t seed = 1, const FlawRates& rates = {}) {
  std::vector<SynthPatient> out;
  for (int i = 0; i < n; ++i) out.push_back(plan_patient(seed, i, rates, 256));
  return out;
}

bool valid_uid(const std::string& uid) {
  static const std::regex kUid("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
  return uid.size() <= 64 && std::regex_match(uid, kUid);
}

TEST(SynthPopulation, PlanIsAPureFunctionOfSeedAndIndex) {
  const SynthPatient a = plan_patient(9, 17, {}, 256);
  const SynthPatient b = plan_patient(9, 17, {}, 256);
  EXPECT_EQ(a.id, "SYN000018");
  EXPECT_EQ(a.birth_date, b.birth_date);
  EXPECT_EQ(a.base_neck_t, b.base_neck_t);
  ASSERT_EQ(a.studies.size(), b.studies.size());
  ASSERT_EQ(a.dexa.size(), b.dexa.size());
  for (std::size_t i = 0; i < a.studies.size(); ++i) EXPECT_EQ(a.studies[i].study_uid, b.studies[i].study_uid);
  const SynthPatient c = plan_patient(10, 17, {}, 256);
  EXPECT_NE(a.base_neck_t, c.base_neck_t);
}

TEST(SynthPopulation, UidsAreValidAndUnique) {
  std::map<std::string, int> seen;
  for (const SynthPatient& p : plan(300)) {
    for (const SynthStudy& st : p.studies) {
      EXPECT_TRUE(valid_uid(st.study_uid)) << st.study_uid;
      ++seen[st.study_uid];
      for (const SynthImage& im : st.images) {
        EXPECT_TRUE(valid_uid(im.sop_uid)) << im.sop_uid;
        EXPECT_TRUE(valid_uid(im.series_uid)) << im.series_uid;
        ++seen[im.sop_uid];
        ++seen[im.series_uid];
      }
    }
  }
  for (const auto& [uid, count] : seen) EXPECT_EQ(count, 1) << uid;
}

TEST(SynthPopulation, DatesAgesAndFollowUps) {
  int multi = 0;
  for (const SynthPatient& p : plan(500)) {
    if (p.studies.size() > 1) ++multi;
    for (std::size_t i = 0; i < p.studies.size(); ++i) {
      const SynthStudy& st = p.studies[i];
      EXPECT_GE(st.date.year, 2018);
      EXPECT_LE(st.date.year, 2022);
      const int age = p.age_on(st.date);
      EXPECT_GE(age, 50) << p.id;
      EXPECT_LE(age, 90) << p.id;
      if (i > 0) { EXPECT_GE(st.date.days_since_epoch() - p.studies[i - 1].date.days_since_epoch(), 548); }
    }
  }
  EXPECT_GT(multi, 50);  // follow-ups exist (≈32% of patients)
}

// Every WHO band must be well represented for a classifier to learn from: target ≈30/40/30.
TEST(SynthPopulation, CategoryBalance) {
  std::map<WhoCategory, int> counts;
  int images = 0;
  int female = 0;
  const auto patients = plan(3000);
  for (const SynthPatient& p : patients) {
    female += p.sex == 'F';
    for (const SynthStudy& st : p.studies)
      for (const SynthImage& im : st.images) {
        ++counts[who_category(neck_t_score(im.true_neck_bmd))];
        ++images;
      }
  }
  const double op = counts[WhoCategory::kOsteoporosis] / double(images);
  const double pen = counts[WhoCategory::kOsteopenia] / double(images);
  const double nor = counts[WhoCategory::kNormal] / double(images);
  EXPECT_NEAR(op, 0.30, 0.06);
  EXPECT_NEAR(pen, 0.40, 0.06);
  EXPECT_NEAR(nor, 0.30, 0.06);
  EXPECT_NEAR(female / 3000.0, 0.88, 0.03);
}

// Flaw rates are met within binomial noise (4 SD) on a large plan.
TEST(SynthPopulation, FlawRatesAreMet) {
  const FlawRates rates;
  const auto patients = plan(4000, 3, rates);
  int dexa_only = 0, studies = 0, oow = 0, no_dexa = 0, rows = 0;
  std::map<std::string, int> row_flaws;
  for (const SynthPatient& p : patients) {
    dexa_only += p.dexa_only;
    for (const SynthStudy& st : p.studies) {
      ++studies;
      oow += st.flaw == "out_of_window";
      no_dexa += st.flaw == "no_dexa";
      if (st.flaw == "out_of_window") {
        for (const SynthDexaRow& row : p.dexa) {
          if (row.linked_study != st.index) continue;
          EXPECT_GT(std::llabs(row.date.days_since_epoch() - st.date.days_since_epoch()), 183);
        }
      }
    }
    for (const SynthDexaRow& row : p.dexa) {
      ++rows;
      for (const auto& f : row.flaws) ++row_flaws[f];
      if (row.neck_bmd && row.neck_t) { EXPECT_NEAR(*row.neck_t, neck_t_score(*row.neck_bmd), 0.051); }
    }
  }
  auto near = [](int hits, int n, double p) {
    const double sd = std::sqrt(n * p * (1 - p));
    return std::abs(hits - n * p) <= 4 * sd + 1;
  };
  EXPECT_TRUE(near(dexa_only, 4000, rates.dexa_only_patient)) << dexa_only;
  EXPECT_TRUE(near(oow, studies, rates.out_of_window_study)) << oow;
  EXPECT_TRUE(near(no_dexa, studies, rates.no_dexa_study)) << no_dexa;
  EXPECT_TRUE(near(row_flaws["missing_neck_t"], rows, rates.missing_neck_t));
  EXPECT_TRUE(near(row_flaws["missing_total"], rows, rates.missing_total));
  EXPECT_TRUE(near(row_flaws["missing_wards"], rows, rates.missing_wards));
  EXPECT_TRUE(near(row_flaws["duplicate_row"], rows, rates.duplicate_row));
  EXPECT_GT(row_flaws["unparsable_number"], 0);
}

TEST(SynthPopulation, ZeroRatesGiveCleanRecords) {
  FlawRates none{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (const SynthPatient& p : plan(200, 4, none)) {
    EXPECT_FALSE(p.dexa_only);
    for (const SynthStudy& st : p.studies) {
      EXPECT_TRUE(st.flaw.empty());
      int linked = 0;
      for (const SynthDexaRow& row : p.dexa) {
        if (row.linked_study != st.index) continue;
        ++linked;
        EXPECT_LE(std::llabs(row.date.days_since_epoch() - st.date.days_since_epoch()), 180);
      }
      EXPECT_EQ(linked, 2);  // both hips
    }
    for (const SynthDexaRow& row : p.dexa) EXPECT_TRUE(row.flaws.empty());
  }
}

}  // namespace
}  // namespace osteo::synth
