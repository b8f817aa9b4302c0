// osteoscreen compare through the real binary on a small synthetic cohort: every entry trained
// under one protocol into its own checkpoint, the covariate-only baseline always a row, the
// JSON and HTML outputs, and argument errors caught before any training.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace osteo {
namespace {

namespace fs = std::filesystem;

class CompareCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    const auto demo = test::run_command(std::string(OSTEO_SOURCE_DIR) + "/scripts/demo.sh",
                                        {"--skip-build", "--cohort-only", "--bin", OSTEO_CLI_PATH, "--patients", "60",
                                         "--seed", "5", "--workdir", dir_->file("demo")});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    compare_ = new test::CommandResult(test::run_cli({"--db",         db(),
                                                      "--threads",    "2",
                                                      "-q",           "compare",
                                                      "--split",      "temporal",
                                                      "--archs",      "tiny,tiny+cov",
                                                      "--covariates", "age,sex",
                                                      "--image-size", "48",
                                                      "--epochs",     "2",
                                                      "--roi",        "proximal_femur",
                                                      "--resamples",  "200",
                                                      "--out",        dir_->file("cmp"),
                                                      "--json"}));
  }
  static void TearDownTestSuite() {
    delete compare_;
    delete dir_;
  }
  static std::string db() { return dir_->file("demo/cohort.db"); }

  static test::TempDir* dir_;
  static test::CommandResult* compare_;
};
test::TempDir* CompareCli::dir_ = nullptr;
test::CommandResult* CompareCli::compare_ = nullptr;

TEST_F(CompareCli, EveryEntryPlusTheBaselineUnderOneProtocol) {
  ASSERT_EQ(compare_->exit_code, 0) << compare_->err;
  const auto j = nlohmann::json::parse(compare_->out);
  ASSERT_EQ(j["models"].size(), 3u);
  EXPECT_EQ(j["models"][0]["name"], "tiny");
  EXPECT_EQ(j["models"][1]["name"], "tiny+cov");
  EXPECT_EQ(j["models"][2]["name"], "age+sex+BMI");
  EXPECT_TRUE(j["models"][2]["is_baseline"].get<bool>());
  int best = 0;
  for (const auto& m : j["models"]) {
    const auto& e = m["evaluation"];
    EXPECT_EQ(e["n"], j["models"][0]["evaluation"]["n"]) << "same test samples for every row";
    EXPECT_TRUE(e["auroc_osteoporosis"].is_number()) << m["name"];
    EXPECT_TRUE(e["auroc_osteoporosis_ci"].is_array()) << m["name"];
    best += m["is_best"].get<bool>();
    if (!m["is_best"].get<bool>()) {
      EXPECT_TRUE(m["delong_vs_best"]["p_value"].is_number()) << m["name"];
    }
  }
  EXPECT_EQ(best, 1);
  // The synthetic hospital records no BMI: the baseline says it left it out.
  EXPECT_EQ(j["baseline"]["features_never_observed"], nlohmann::json::array({"bmi_kg_m2"}));

  // One checkpoint per entry, identical protocol, covariates only for +cov (the --covariates list).
  const auto tiny = nlohmann::json::parse(test::read_file(dir_->file("cmp/tiny/model_card.json")));
  const auto cov = nlohmann::json::parse(test::read_file(dir_->file("cmp/tiny_cov/model_card.json")));
  EXPECT_EQ(tiny["training"]["options"]["covariates"], nlohmann::json::array());
  EXPECT_EQ(cov["training"]["options"]["covariates"], nlohmann::json::array({"age", "sex"}));
  EXPECT_EQ(cov["model"]["num_covariates"], 2);
  auto protocol = [](nlohmann::json card) {
    auto o = card["training"]["options"];
    o.erase("covariates");
    return o;
  };
  EXPECT_EQ(protocol(tiny), protocol(cov));
  EXPECT_EQ(tiny["data"], cov["data"]);
  EXPECT_EQ(j["models"][0]["checkpoint"], dir_->file("cmp/tiny"));
  EXPECT_GT(j["models"][0]["training"]["train_images_per_second"].get<double>(), 0.0);
  for (const char* f : {"cmp/tiny/evaluation_report.html", "cmp/tiny_cov/evaluation_report.html"}) {
    EXPECT_TRUE(fs::is_regular_file(dir_->file(f))) << f;
  }

  // comparison.json is the printed object; the report is self-contained.
  EXPECT_EQ(nlohmann::json::parse(test::read_file(dir_->file("cmp/comparison.json"))), j);
  const std::string html = test::read_file(dir_->file("cmp/comparison.html"));
  EXPECT_NE(html.find("covariate-only baseline"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("tiny+cov"), std::string::npos);
  EXPECT_EQ(html.find("No covariate-only baseline"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

TEST_F(CompareCli, UnknownArchitectureIsAUsageErrorBeforeTraining) {
  const auto r = test::run_cli(
      {"--db", db(), "-q", "compare", "--archs", "tiny,resnet99", "--epochs", "1", "--out", dir_->file("never")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("resnet99"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_->file("never")));
  const auto bad_suffix =
      test::run_cli({"--db", db(), "-q", "compare", "--archs", "tiny+bmi", "--out", dir_->file("never")});
  EXPECT_EQ(bad_suffix.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_->file("never")));
}

}  // namespace
}  // namespace osteo
