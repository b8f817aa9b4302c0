#include <gtest/gtest.h>

#include <cmath>

#include "osteo/ml/train/covariates.h"

namespace osteo::ml {
namespace {

TEST(Covariates, ParsesListAndRejectsUnknownOrRepeated) {
  EXPECT_EQ(*parse_covariate_list("age, sex,bmi"), (std::vector<std::string>{"age", "sex", "bmi"}));
  EXPECT_TRUE(parse_covariate_list("")->empty());
  EXPECT_EQ(parse_covariate_list("age,height").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_covariate_list("age,age").error().code, ErrorCode::kInvalidArgument);
}

TEST(Covariates, StandardisesWithTrainingStatsAndImputesTheMean) {
  // ages 40, 60 → mean 50, population SD 10; sex F,M,unknown → mean 0.5, SD 0.5.
  std::vector<CovariateValues> train(3);
  train[0].age = 40;
  train[0].sex_female = 1;
  train[1].age = 60;
  train[1].sex_female = 0;
  auto n = CovariateNormaliser::fit({"age", "sex"}, train);
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_DOUBLE_EQ(n->mean[0], 50);
  EXPECT_DOUBLE_EQ(n->sd[0], 10);
  EXPECT_DOUBLE_EQ(n->mean[1], 0.5);
  EXPECT_DOUBLE_EQ(n->sd[1], 0.5);
  EXPECT_EQ(n->known[0], 2);
  CovariateValues v;
  v.age = 70;
  const auto x = n->apply(v);  // sex missing → imputed → 0
  ASSERT_EQ(x.size(), 2u);
  EXPECT_FLOAT_EQ(x[0], 2.0f);
  EXPECT_FLOAT_EQ(x[1], 0.0f);

  auto back = CovariateNormaliser::from_json(n->to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->names, n->names);
  EXPECT_EQ(back->apply(v), x);
}

TEST(Covariates, RejectsACovariateUnknownForEveryTrainingImage) {
  std::vector<CovariateValues> train(2);
  train[0].age = 50;
  auto n = CovariateNormaliser::fit({"bmi"}, train);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(n.error().message.find("bmi"), std::string::npos);
}

TEST(Covariates, ConstantCovariateGetsUnitSd) {
  std::vector<CovariateValues> train(2);
  train[0].bmi = 25;
  train[1].bmi = 25;
  auto n = CovariateNormaliser::fit({"bmi"}, train);
  ASSERT_TRUE(n);
  EXPECT_DOUBLE_EQ(n->sd[0], 1.0);
}

TEST(Covariates, ReadsManifestJsonAndDicomHeader) {
  ImageRecord manifest;
  manifest.covariates = {{"age", 61}, {"sex", "F"}, {"bmi", 22.5}};
  const auto a = covariates_of(manifest);
  EXPECT_EQ(a.age, 61);
  EXPECT_EQ(a.sex_female, 1.0);
  EXPECT_EQ(a.bmi, 22.5);
  ImageRecord dicom;
  dicom.meta.patient_age_years = 70;
  dicom.meta.patient_sex = "M";
  const auto b = covariates_of(dicom);
  EXPECT_EQ(b.age, 70);
  EXPECT_EQ(b.sex_female, 0.0);
  EXPECT_FALSE(b.bmi);
}

}  // namespace
}  // namespace osteo::ml
