#include "osteo/eval/evaluation.h"

#include <gtest/gtest.h>

#include "eval/eval_fixtures.h"
#include "osteo/eval/comparison.h"

namespace osteo::eval {
namespace {

using test::fast_options;
using test::synthetic_samples;

TEST(Evaluation, JsonContractHasTheAgreedKeys) {
  const auto samples = synthetic_samples(150, 0.6, 1);
  auto r = evaluate(samples, fast_options());
  ASSERT_TRUE(r) << r.error().to_string();
  const auto j = evaluation_to_json(*r);
  for (const char* key : {"auroc_osteoporosis", "auroc_low_bmd", "t_score_mae", "t_score_r", "n", "threshold",
                          "sensitivity", "specificity", "ppv", "npv", "ece", "calibration_slope",
                          "calibration_intercept", "accuracy"})
    EXPECT_TRUE(j.contains(key) && j[key].is_number()) << key;
  for (const char* key : {"auroc_osteoporosis_ci", "auroc_low_bmd_ci", "t_score_mae_ci", "t_score_r_ci",
                          "sensitivity_ci", "specificity_ci", "ppv_ci", "npv_ci"}) {
    ASSERT_TRUE(j[key].is_array() && j[key].size() == 2) << key;
    const std::string point = std::string(key).substr(0, std::string(key).size() - 3);
    EXPECT_LE(j[key][0].get<double>(), j[point].get<double>()) << key;
    EXPECT_GE(j[key][1].get<double>(), j[point].get<double>()) << key;
  }
  EXPECT_EQ(j["n"], 300);
  EXPECT_EQ(j["n_patients"], 150);
  EXPECT_EQ(j["threshold_source"], "chosen_on_evaluated_data");
  EXPECT_GE(j["sensitivity"].get<double>(), 0.9);
  const auto& c = j["counts"];
  EXPECT_EQ(c["tp"].get<long>() + c["fp"].get<long>() + c["tn"].get<long>() + c["fn"].get<long>(), 300);
  EXPECT_EQ(c["tp"].get<long>() + c["fn"].get<long>(), j["n_osteoporosis"].get<long>());
  long total = 0;
  for (const auto& row : j["confusion_matrix"]["counts"])
    for (const auto& v : row) total += v.get<long>();
  EXPECT_EQ(total, 300);
  EXPECT_EQ(j["reliability"].size(), 15u);
  EXPECT_EQ(j["roc_osteoporosis"]["fpr"].size(), j["roc_osteoporosis"]["threshold"].size());
  EXPECT_TRUE(j["roc_osteoporosis"]["threshold"][0].is_null());  // +infinity
  // A decent synthetic model: discriminates and correlates.
  EXPECT_GT(j["auroc_osteoporosis"].get<double>(), 0.8);
  EXPECT_GT(j["t_score_r"].get<double>(), 0.7);
  // Subgroups: F, M then the four age bands present in 50–92.
  std::vector<std::string> levels;
  for (const auto& s : j["subgroups"]) levels.push_back(s["level"]);
  EXPECT_EQ(levels, (std::vector<std::string>{"F", "M", "<60", "60-69", "70-79", ">=80"}));
  EXPECT_EQ(j["bootstrap"]["resamples"], 200);
  EXPECT_EQ(j["bootstrap"]["skipped"]["auroc_osteoporosis"], 0);
}

TEST(Evaluation, GivenThresholdIsUsed) {
  const auto samples = synthetic_samples(60, 0.6, 2);
  auto o = fast_options();
  o.threshold = 0.5;
  auto r = evaluate(samples, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->threshold_source, "given");
  EXPECT_DOUBLE_EQ(r->operating_point.threshold, 0.5);
  const auto direct = binary_metrics_at(osteoporosis_scores(samples), osteoporosis_labels(samples), 0.5);
  EXPECT_EQ(r->operating_point.counts.tp, direct.counts.tp);
  EXPECT_EQ(r->operating_point.counts.fp, direct.counts.fp);
}

TEST(Evaluation, OneClassAndMissingRegressionGiveNulls) {
  auto samples = synthetic_samples(30, 0.6, 3);
  for (auto& s : samples) {
    s.true_category = WhoCategory::kNormal;
    s.predicted_t_score = NAN;
  }
  auto r = evaluate(samples, fast_options());
  ASSERT_TRUE(r) << r.error().to_string();
  const auto j = evaluation_to_json(*r);
  EXPECT_TRUE(j["auroc_osteoporosis"].is_null());
  EXPECT_TRUE(j["auroc_osteoporosis_ci"][0].is_null());
  EXPECT_TRUE(j["auroc_low_bmd"].is_null());
  EXPECT_TRUE(j["threshold"].is_null());
  EXPECT_TRUE(j["sensitivity"].is_null());
  EXPECT_TRUE(j["t_score_mae"].is_null());
  EXPECT_EQ(j["t_score_n"], 0);
  EXPECT_TRUE(j["calibration_slope"].is_null());
  EXPECT_EQ(j["bootstrap"]["skipped"]["auroc_osteoporosis"], 200);
  // The serialised form is valid JSON (no NaN literals).
  EXPECT_EQ(j.dump().find("NaN"), std::string::npos);
}

TEST(Evaluation, RejectsInvalidSamplesNamingThem) {
  auto samples = synthetic_samples(5, 0.6, 4);
  samples[3].p_osteoporosis = 1.2;
  auto r = evaluate(samples, fast_options());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("sample 3"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("p_osteoporosis"), std::string::npos);
  samples[3].p_osteoporosis = 0.1;
  samples[1].patient_id.clear();
  EXPECT_FALSE(evaluate(samples, fast_options()));
  EXPECT_FALSE(evaluate({}, fast_options()));
}

TEST(Evaluation, JsonRoundTrip) {
  auto r = evaluate(synthetic_samples(40, 0.8, 5), fast_options());
  ASSERT_TRUE(r);
  const auto j = evaluation_to_json(*r);
  auto back = evaluation_from_json(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(evaluation_to_json(*back), j);
  auto broken = j;
  broken.erase("ece");
  auto bad = evaluation_from_json(broken);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("ece"), std::string::npos);
}

TEST(Comparison, BestModelDeLongAndBaselineRow) {
  std::vector<ComparedModel> models{{"resnet", false, synthetic_samples(100, 0.4, 10), std::nullopt},
                                    {"weak", false, synthetic_samples(100, 1.5, 11), 0.3},
                                    {"covariates", true, synthetic_samples(100, 3.0, 12), std::nullopt}};
  auto c = compare_models(models, fast_options());
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->best, "resnet");
  ASSERT_EQ(c->rows.size(), 3u);
  EXPECT_TRUE(c->rows[0].is_best);
  EXPECT_TRUE(std::isnan(c->rows[0].delong_vs_best.p_value));
  EXPECT_TRUE(c->rows[2].is_baseline);
  EXPECT_GT(c->rows[2].delong_vs_best.difference, 0.0);
  EXPECT_LT(c->rows[2].delong_vs_best.p_value, 0.05);
  EXPECT_DOUBLE_EQ(c->rows[1].result.operating_point.threshold, 0.3);
  const auto j = comparison_to_json(*c);
  EXPECT_EQ(j["best"], "resnet");
  EXPECT_TRUE(j["models"][0]["delong_vs_best"]["p_value"].is_null());
}

TEST(Comparison, RequiresBaselineAndMatchingSamples) {
  std::vector<ComparedModel> models{{"a", false, synthetic_samples(10, 0.4, 10), std::nullopt},
                                    {"b", false, synthetic_samples(10, 1.0, 11), std::nullopt}};
  auto no_baseline = compare_models(models, fast_options());
  ASSERT_FALSE(no_baseline);
  EXPECT_NE(no_baseline.error().message.find("baseline"), std::string::npos);
  models[1].is_baseline = true;
  models[1].samples[4].patient_id = "other";
  auto mismatch = compare_models(models, fast_options());
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.error().message.find("sample 4"), std::string::npos) << mismatch.error().message;
}

}  // namespace
}  // namespace osteo::eval
