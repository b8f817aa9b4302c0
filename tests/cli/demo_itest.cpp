// The README's main command, end to end on a small synthetic hospital: scripts/demo.sh runs
// synth -> ingest -> match -> split -> train -> evaluate with the built binary; then the
// resulting store is checked against the generator's ground truth (truth.json), and the model
// directory and its evaluation report against what the demo printed.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "osteo/cohort/split.h"
#include "osteo/cohort/store.h"
#include "support/test_support.h"

namespace osteo {
namespace {

class DemoPipeline : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    result_ = new test::CommandResult(test::run_command(
        std::string(OSTEO_SOURCE_DIR) + "/scripts/demo.sh",
        {"--skip-build", "--bin", OSTEO_CLI_PATH, "--patients", "40", "--seed", "3", "--workdir", dir_->file("demo"),
         "--no-serve"}));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static std::unique_ptr<CohortStore> store() { return value_or_throw(open_store(dir_->file("demo/cohort.db"))); }
  static nlohmann::json truth() { return nlohmann::json::parse(test::read_file(dir_->file("demo/hospital/truth.json"))); }

  static test::TempDir* dir_;
  static test::CommandResult* result_;
};
test::TempDir* DemoPipeline::dir_ = nullptr;
test::CommandResult* DemoPipeline::result_ = nullptr;

TEST_F(DemoPipeline, RunsToTheCohortSummary) {
  ASSERT_EQ(result_->exit_code, 0) << result_->out << result_->err;
  EXPECT_NE(result_->out.find("split 'temporal'"), std::string::npos) << result_->out;
  EXPECT_NE(result_->out.find("not for clinical use"), std::string::npos);
}

// The demo ends with a trained model, its evaluation report inside the model directory (the
// server serves it from there) and the report path; the evaluation printed a numeric AUROC.
TEST_F(DemoPipeline, TrainsAndEvaluatesAModelEndingWithTheReportPath) {
  ASSERT_EQ(result_->exit_code, 0) << result_->out << result_->err;
  const std::string model = dir_->file("demo/model");
  const std::string report = model + "/evaluation_report.html";
  EXPECT_TRUE(std::filesystem::is_regular_file(model + "/model.pt"));
  const auto card = nlohmann::json::parse(test::read_file(model + "/model_card.json"));
  EXPECT_EQ(card["arch"], "tiny");
  ASSERT_TRUE(std::filesystem::is_regular_file(report));
  const std::string html = test::read_file(report);
  EXPECT_NE(html.find("not a diagnosis"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  std::smatch m;
  // A number, not null: the demo's test split holds both classes.
  ASSERT_TRUE(std::regex_search(result_->out, m, std::regex(R"(AUROC osteoporosis ([0-9]*\.?[0-9]+))")))
      << result_->out;
  const double auroc = std::stod(m[1].str());
  EXPECT_GE(auroc, 0.0);
  EXPECT_LE(auroc, 1.0);
  EXPECT_NE(result_->out.find("Report: " + report), std::string::npos) << result_->out;
}

TEST_F(DemoPipeline, EveryGeneratedImageIsIngested) {
  ASSERT_EQ(result_->exit_code, 0);
  std::size_t truth_images = 0;
  const auto t = truth();  // a named copy: ranging over truth()["patients"] would dangle
  for (const auto& p : t["patients"])
    for (const auto& s : p["studies"]) truth_images += s["images"].size();
  EXPECT_EQ(static_cast<std::size_t>(store()->counts().images), truth_images);
}

// Where the generator knows the DEXA a correct matcher must pick (same side, nearest within
// 183 days) and that row carries a parsable neck T-score, the stored label is exactly it.
TEST_F(DemoPipeline, LabelsAgreeWithTheGroundTruth) {
  ASSERT_EQ(result_->exit_code, 0);
  auto s = store();
  std::map<std::string, std::int64_t> image_by_uid;
  for (const auto& img : s->images()) image_by_uid[img.meta.sop_instance_uid] = img.id;
  std::map<std::int64_t, LabelRecord> label_by_image;
  for (const auto& l : s->labels()) label_by_image[l.image_id] = l;

  int checked = 0;
  const auto t = truth();
  for (const auto& p : t["patients"]) {
    for (const auto& st : p["studies"]) {
      for (const auto& im : st["images"]) {
        const auto& expected = im["expected_dexa"];
        if (expected.is_null() || expected["neck_t"].is_null()) continue;
        bool unparsable = false;
        for (const auto& row : p["dexa"]) {
          if (row["date"] == expected["date"] && row["side"] == expected["side"])
            for (const auto& f : row["flaws"]) unparsable |= f.get<std::string>().find("unparsable") != std::string::npos;
        }
        if (unparsable) continue;  // ingest rightly rejected that row
        const auto id = image_by_uid.at(im["sop_instance_uid"].get<std::string>());
        ASSERT_TRUE(label_by_image.count(id)) << im["path"];
        EXPECT_NEAR(label_by_image[id].t_score, expected["neck_t"].get<double>(), 1e-9) << im["path"];
        EXPECT_STREQ(who_name(label_by_image[id].category), expected["category"].get<std::string>().c_str());
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 30);
}

TEST_F(DemoPipeline, TemporalSplitKeepsPatientsApartAndTestIn2022) {
  ASSERT_EQ(result_->exit_code, 0);
  auto s = store();
  std::map<std::string, std::string> split_of;
  for (const auto& a : s->split_assignments("temporal")) ASSERT_TRUE(split_of.emplace(a.patient_id, a.split).second);
  std::set<std::int64_t> excluded;
  for (const auto& e : s->split_exclusions("temporal")) excluded.insert(e.image_id);
  std::map<std::string, int> images_per_split;
  for (const auto& img : labelled_images(*s)) {
    if (excluded.count(img.image_id) || !split_of.count(img.patient_id)) continue;
    const auto& split = split_of[img.patient_id];
    ++images_per_split[split];
    ASSERT_TRUE(img.study_date);
    if (split == "test") {
      EXPECT_EQ(img.study_date->year, 2022);
    } else {
      EXPECT_LE(img.study_date->year, 2021);
    }
  }
  EXPECT_GT(images_per_split["train"], 0);
  EXPECT_GT(images_per_split["test"], 0);
  const auto counts = nlohmann::json::parse(test::read_file(dir_->file("demo/split.json")));
  EXPECT_EQ(counts["splits"]["test"]["images"].get<int>(), images_per_split["test"]);
}

}  // namespace
}  // namespace osteo
