// train -> evaluate through the real binary on a small synthetic cohort: the --json contract
// keys, the HTML report, and a tampered checkpoint refused with a typed error.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace osteo {
namespace {

class EvaluateCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    const auto demo = test::run_command(std::string(OSTEO_SOURCE_DIR) + "/scripts/demo.sh",
                                        {"--skip-build", "--cohort-only", "--bin", OSTEO_CLI_PATH, "--patients", "60", "--seed", "5",
                                         "--workdir", dir_->file("demo")});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    train_ = new test::CommandResult(test::run_cli({"--db", db(), "--threads", "2", "-q", "train", "--split", "temporal",
                                                    "--arch", "tiny", "--image-size", "64", "--epochs", "2", "--roi",
                                                    "proximal_femur", "--out", dir_->file("model")}));
  }
  static void TearDownTestSuite() {
    delete train_;
    delete dir_;
  }
  static std::string db() { return dir_->file("demo/cohort.db"); }

  static test::TempDir* dir_;
  static test::CommandResult* train_;
};
test::TempDir* EvaluateCli::dir_ = nullptr;
test::CommandResult* EvaluateCli::train_ = nullptr;

TEST_F(EvaluateCli, JsonContractAndReport) {
  ASSERT_EQ(train_->exit_code, 0) << train_->err;
  const auto r = test::run_cli({"--threads", "2", "-q", "evaluate", "--model", dir_->file("model"), "--cohort", db(),
                                "--split", "test", "--json", "--resamples", "200", "--report", dir_->file("report.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"auroc_osteoporosis", "auroc_low_bmd", "t_score_mae", "t_score_r", "n"}) {
    ASSERT_TRUE(j.contains(key)) << key;
    EXPECT_TRUE(j[key].is_number() || j[key].is_null()) << key;  // null only when a class is absent
  }
  EXPECT_GT(j["n"].get<int>(), 0);
  EXPECT_TRUE(j["t_score_mae"].is_number());
  EXPECT_GE(j["t_score_mae"].get<double>(), 0.0);
  EXPECT_EQ(j["split"], "test");
  EXPECT_EQ(j["threshold_source"], "given");  // the validation threshold from the model card
  const std::string html = test::read_file(dir_->file("report.html"));
  EXPECT_NE(html.find("not a diagnosis"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

TEST_F(EvaluateCli, TamperedWeightsAreRefused) {
  ASSERT_EQ(train_->exit_code, 0) << train_->err;
  {
    std::ofstream out(dir_->file("model/model.pt"), std::ios::binary | std::ios::app);
    out << "tampered";
  }
  const auto r = test::run_cli({"-q", "evaluate", "--model", dir_->file("model"), "--cohort", db(), "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("invalid_argument"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(EvaluateCli, NeedsExactlyOneDataSource) {
  const auto r = test::run_cli({"evaluate", "--model", dir_->file("model")});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace osteo
