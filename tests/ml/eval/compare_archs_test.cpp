// The pieces of osteoscreen compare that need no training: the --archs grammar and the
// covariate-only baseline row (fit on train+val, predictions as evaluation samples).
#include "osteo/ml/eval/compare_archs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "osteo/eval/roc.h"

namespace osteo::ml {
namespace {

TEST(ParseArchList, ImageOnlyAndCovariateEntries) {
  auto e = parse_arch_list(" tiny, resnet18,resnet18+cov ", false);
  ASSERT_TRUE(e) << e.error().to_string();
  ASSERT_EQ(e->size(), 3u);
  EXPECT_EQ((*e)[0].name, "tiny");
  EXPECT_EQ((*e)[0].arch, "tiny");
  EXPECT_FALSE((*e)[0].with_covariates);
  EXPECT_EQ((*e)[2].name, "resnet18+cov");
  EXPECT_EQ((*e)[2].arch, "resnet18");
  EXPECT_TRUE((*e)[2].with_covariates);
  EXPECT_EQ((*e)[2].dir_name(), "resnet18_cov");
}

TEST(ParseArchList, ErrorsNameTheEntry) {
  struct Case {
    const char* text;
    const char* needle;
  };
  for (const auto& c :
       {Case{"resnet18,resnet99", "resnet99"}, Case{"tiny+age", "+age"}, Case{"tiny,,resnet18", "empty"},
        Case{"", "empty"}, Case{"tiny,tiny", "twice"}, Case{"torchscript", "--backbone-torchscript"}}) {
    const auto r = parse_arch_list(c.text, false);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.text;
    EXPECT_NE(r.error().message.find(c.needle), std::string::npos) << c.text << ": " << r.error().message;
  }
  const auto known = parse_arch_list("resnet99", false);
  EXPECT_NE(known.error().message.find("resnet18"), std::string::npos) << "lists the known architectures";
  const auto ts = parse_arch_list("torchscript,torchscript+cov", true);
  ASSERT_TRUE(ts) << ts.error().to_string();
  EXPECT_EQ((*ts)[1].arch, "torchscript");
}

// Samples whose osteoporosis risk rises with age and falls with BMI, as in the clinic.
std::vector<TrainSample> clinical_samples(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  std::vector<TrainSample> out;
  for (int i = 0; i < n; ++i) {
    TrainSample s;
    s.patient_id = "P" + std::to_string(seed) + "_" + std::to_string(i);
    const double age = 65 + 10 * z(rng);
    const double bmi = 26 + 4 * z(rng);
    const bool female = i % 3 != 0;
    s.t_score = -1.0 - 0.08 * (age - 65) + 0.15 * (bmi - 26) - (female ? 0.5 : 0.0) + 0.6 * z(rng);
    s.category = s.t_score <= -2.5  ? WhoCategory::kOsteoporosis
                 : s.t_score < -1.0 ? WhoCategory::kOsteopenia
                                    : WhoCategory::kNormal;
    s.covariates.age = age;
    s.covariates.sex_female = female ? 1.0 : 0.0;
    if (i % 7 != 0) s.covariates.bmi = bmi;  // some BMIs unknown: imputed
    out.push_back(s);
  }
  return out;
}

TEST(CovariateBaseline, LearnsFromAgeSexBmiAndScoresBothTasks) {
  const auto fit = clinical_samples(300, 1);
  const auto test = clinical_samples(200, 2);
  auto b = fit_baseline(fit, 0.9);
  ASSERT_TRUE(b) << b.error().to_string();
  EXPECT_EQ(b->n_fit, 300);
  EXPECT_TRUE(std::isfinite(b->threshold));
  // Older → higher risk, heavier → lower risk (slopes in original units).
  const auto slopes = b->osteoporosis.raw_coefficients();
  EXPECT_GT(slopes[0], 0.0);
  EXPECT_LT(slopes[2], 0.0);

  const auto samples = baseline_samples(*b, test);
  ASSERT_EQ(samples.size(), test.size());
  std::vector<double> p_op, p_low;
  std::vector<int> y_op, y_low;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto& s = samples[i];
    EXPECT_EQ(s.patient_id, test[i].patient_id);
    EXPECT_EQ(s.true_category, test[i].category);
    EXPECT_DOUBLE_EQ(s.true_t_score, test[i].t_score);
    EXPECT_EQ(s.sex, i % 3 != 0 ? "F" : "M");
    EXPECT_TRUE(std::isnan(s.predicted_t_score));  // the baseline has no T-score head
    for (double p : {s.p_normal, s.p_osteopenia, s.p_osteoporosis}) {
      EXPECT_GE(p, 0.0);
      EXPECT_LE(p, 1.0);
    }
    // The low-BMD score is the low-BMD model's probability (or the osteoporosis one, if larger).
    const double p_low_model = b->low_bmd.predict(
        {*test[i].covariates.age, *test[i].covariates.sex_female, test[i].covariates.bmi.value_or(std::nan(""))});
    EXPECT_NEAR(s.p_osteopenia + s.p_osteoporosis, std::max(p_low_model, s.p_osteoporosis), 1e-12);
    p_op.push_back(s.p_osteoporosis);
    p_low.push_back(s.p_osteopenia + s.p_osteoporosis);
    y_op.push_back(test[i].category == WhoCategory::kOsteoporosis);
    y_low.push_back(test[i].category != WhoCategory::kNormal);
  }
  EXPECT_GT(eval::auroc(p_op, y_op), 0.75);
  EXPECT_GT(eval::auroc(p_low, y_low), 0.75);
  const auto j = b->to_json();
  EXPECT_EQ(j["n_fit"], 300);
  EXPECT_TRUE(j["osteoporosis"].contains("features"));
}

// A cohort that never records BMI (the synthetic hospital) still gets its baseline, on age and sex.
TEST(CovariateBaseline, LeavesOutACovariateThatIsNeverRecorded) {
  auto fit = clinical_samples(200, 4);
  auto test = clinical_samples(50, 5);
  for (auto* set : {&fit, &test})
    for (auto& s : *set) s.covariates.bmi.reset();
  auto b = fit_baseline(fit);
  ASSERT_TRUE(b) << b.error().to_string();
  EXPECT_EQ(b->features, (std::vector<std::string>{"age_years", "female"}));
  EXPECT_EQ(b->dropped, (std::vector<std::string>{"bmi_kg_m2"}));
  EXPECT_EQ(b->to_json()["features_never_observed"][0], "bmi_kg_m2");
  const auto samples = baseline_samples(*b, test);
  ASSERT_EQ(samples.size(), 50u);
  EXPECT_NEAR(samples[0].p_osteoporosis,
              b->osteoporosis.predict({*test[0].covariates.age, *test[0].covariates.sex_female}), 1e-12);

  for (auto& s : fit) s.covariates = CovariateValues{};
  const auto none = fit_baseline(fit);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
}

TEST(CovariateBaseline, OneClassIsATypedError) {
  auto fit = clinical_samples(20, 3);
  for (auto& s : fit) s.category = WhoCategory::kNormal;
  const auto b = fit_baseline(fit);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(b.error().message.find("covariate baseline"), std::string::npos) << b.error().message;
}

}  // namespace
}  // namespace osteo::ml
