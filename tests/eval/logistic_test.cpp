#include "osteo/eval/logistic.h"

#include <cmath>

#include <gtest/gtest.h>

#include "osteo/eval/irls.h"
#include "osteo/synth/rng.h"

namespace osteo::eval {
namespace {

// True model: logit P(y) = −3 + 0.05·x1 + 1.0·x2, x1 ~ N(50, 10²), x2 ~ Bernoulli(0.4).
void simulate(int n, std::vector<std::vector<double>>& x, std::vector<int>& y, std::uint64_t seed = 21) {
  synth::Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    const double x1 = rng.normal(50.0, 10.0);
    const double x2 = rng.chance(0.4) ? 1.0 : 0.0;
    x.push_back({x1, x2});
    y.push_back(rng.uniform() < sigmoid(-3.0 + 0.05 * x1 + 1.0 * x2) ? 1 : 0);
  }
}

const std::vector<std::string> kNames{"x1", "x2"};
const std::vector<FeatureKind> kKinds{FeatureKind::kContinuous, FeatureKind::kCategorical};

TEST(Logistic, RecoversKnownCoefficients) {
  std::vector<std::vector<double>> x;
  std::vector<int> y;
  simulate(20000, x, y);
  auto fit = fit_logistic(x, y, kNames, kKinds);
  ASSERT_TRUE(fit) << fit.error().to_string();
  ASSERT_TRUE(fit->converged());
  // Standard errors at n = 20000 are about 0.0017 (x1), 0.03 (x2), 0.09 (intercept): ±4 SE.
  const auto b = fit->raw_coefficients();
  EXPECT_NEAR(b[0], 0.05, 0.007);
  EXPECT_NEAR(b[1], 1.0, 0.12);
  EXPECT_NEAR(fit->raw_intercept(), -3.0, 0.36);
  // Prediction is the logistic of the raw linear predictor.
  EXPECT_NEAR(fit->predict({60.0, 1.0}), sigmoid(fit->raw_intercept() + 60.0 * b[0] + b[1]), 1e-12);
}

TEST(Logistic, ImputesFromTrainingMeanAndMode) {
  // x1 observed {1, 3, NaN, 5} → mean 3; x2 observed {0, 1, 1, NaN} → mode 1.
  const std::vector<std::vector<double>> x{{1, 0}, {3, 1}, {NAN, 1}, {5, NAN}};
  auto fit = fit_logistic(x, {0, 1, 0, 1}, kNames, kKinds, {0.1, 100, 1e-10});
  ASSERT_TRUE(fit) << fit.error().to_string();
  EXPECT_DOUBLE_EQ(fit->features()[0].impute_value, 3.0);
  EXPECT_DOUBLE_EQ(fit->features()[1].impute_value, 1.0);
  EXPECT_DOUBLE_EQ(fit->predict({NAN, NAN}), fit->predict({3.0, 1.0}));
}

TEST(Logistic, JsonRoundTripPredictsIdentically) {
  std::vector<std::vector<double>> x;
  std::vector<int> y;
  simulate(2000, x, y, 8);
  x[0][0] = NAN;
  auto fit = fit_logistic(x, y, kNames, kKinds);
  ASSERT_TRUE(fit);
  const std::string text = fit->to_json().dump();
  auto back = LogisticModel::from_json(nlohmann::json::parse(text));
  ASSERT_TRUE(back) << back.error().to_string();
  for (const auto& row : std::vector<std::vector<double>>{{40, 0}, {71.3, 1}, {NAN, 0}, {55, NAN}})
    EXPECT_EQ(back->predict(row), fit->predict(row));
  EXPECT_EQ(back->features()[1].kind, FeatureKind::kCategorical);
}

TEST(Logistic, FromJsonNamesTheProblem) {
  auto j = nlohmann::json::parse(R"({"type":"logistic_regression","version":1,"intercept":0.5,
    "features":[{"name":"age","kind":"continuous","impute_value":1,"mean":1,"sd":2}]})");
  auto r = LogisticModel::from_json(j);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("coefficient"), std::string::npos) << r.error().message;
  EXPECT_FALSE(LogisticModel::from_json(nlohmann::json::array()));
  // A mistyped optional field is an error value, not an exception.
  j["features"][0]["coefficient"] = 0.1;
  ASSERT_TRUE(LogisticModel::from_json(j));
  j["converged"] = "yes";
  EXPECT_FALSE(LogisticModel::from_json(j));
}

TEST(Logistic, RejectsBadTrainingData) {
  EXPECT_FALSE(fit_logistic({}, {}, kNames, kKinds));
  EXPECT_FALSE(fit_logistic({{1, 0}, {2, 1}}, {1, 1}, kNames, kKinds));        // one class
  EXPECT_FALSE(fit_logistic({{1, 0}, {2}}, {0, 1}, kNames, kKinds));           // ragged
  EXPECT_FALSE(fit_logistic({{NAN, 0}, {NAN, 1}}, {0, 1}, kNames, kKinds));    // never observed
  // Perfectly separable without a penalty: the slope diverges, reported as non-convergence.
  LogisticOptions o;
  o.l2 = 0.0;
  o.max_iterations = 50;
  auto sep = fit_logistic({{1, 0}, {2, 0}, {3, 1}, {4, 1}}, {0, 0, 1, 1}, kNames, kKinds, o);
  ASSERT_FALSE(sep);
  EXPECT_NE(sep.error().message.find("converge"), std::string::npos);
}

TEST(CovariateBaseline, FitsAgeSexBmi) {
  // Risk rises with age and female sex and falls with BMI.
  synth::Rng rng(4);
  std::vector<Covariates> rows;
  std::vector<int> y;
  for (int i = 0; i < 4000; ++i) {
    Covariates c{rng.uniform(45, 90), rng.chance(0.7) ? "F" : "M", rng.normal(27, 4)};
    const double eta = -4.0 + 0.08 * (c.age_years - 45) + (c.sex == "F" ? 0.8 : 0.0) - 0.1 * (c.bmi_kg_m2 - 27);
    y.push_back(rng.uniform() < sigmoid(eta) ? 1 : 0);
    if (i % 10 == 0) c.bmi_kg_m2 = NAN;  // some missing BMI
    if (i % 17 == 0) c.sex = "";
    rows.push_back(c);
  }
  auto fit = fit_covariate_baseline(rows, y);
  ASSERT_TRUE(fit) << fit.error().to_string();
  const auto b = fit->raw_coefficients();
  EXPECT_GT(b[0], 0.0);  // age
  EXPECT_GT(b[1], 0.0);  // female
  EXPECT_LT(b[2], 0.0);  // BMI
  EXPECT_EQ(fit->features()[1].name, "female");
  EXPECT_DOUBLE_EQ(fit->features()[1].impute_value, 1.0);  // mode: most are female
  const auto p = predict_covariate_baseline(*fit, {{80, "f", 22}, {50, "M", 32}});
  EXPECT_GT(p[0], p[1]);
  EXPECT_THROW(fit->predict({1.0}), OsteoError);
}

}  // namespace
}  // namespace osteo::eval
