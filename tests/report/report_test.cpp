#include "osteo/report/report.h"

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "eval/eval_fixtures.h"
#include "support/test_support.h"

namespace osteo::report {
namespace {

using test::count_occurrences;

ReportContext context() {
  ReportContext c;
  c.title = "Knee model <v1>";
  c.data_source = "Knee X-ray Osteoporosis Database (Wani & Arora 2023)";
  c.reference_standard = "quantitative ultrasound T-scores, not DEXA";
  c.split = "test split";
  c.model_card = {{"architecture", "resnet18"},
                  {"input", {{"size", 384}, {"channels", 1}}},
                  {"labels", {"normal", "osteopenia", "osteoporosis"}},
                  {"note", "<script>alert(1)</script>"}};
  c.loss_curves = {{"train loss", {1, 2, 3, 4}, {0.9, 0.7, 0.6, 0.55}}, {"val loss", {1, 2, 3, 4}, {0.95, 0.8, 0.7, 0.69}}};
  c.metric_curves = {{"val AUROC", {1, 2, 3, 4}, {0.6, 0.7, 0.75, 0.77}}};
  return c;
}

// Well-formed enough for a browser and for archiving: one document, balanced blocks, nothing
// fetched from anywhere, no script.
void expect_self_contained(const std::string& html) {
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(count_occurrences(html, "<svg"), count_occurrences(html, "</svg>"));
  EXPECT_EQ(count_occurrences(html, "<table"), count_occurrences(html, "</table>"));
  EXPECT_EQ(count_occurrences(html, "<tr"), count_occurrences(html, "</tr>"));
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find(kNotice), std::string::npos);
}

// Set OSTEO_REPORT_OUT=<dir> to keep the rendered files (e.g. to screenshot them).
void maybe_keep(const std::string& name, const std::string& html) {
  if (const char* dir = std::getenv("OSTEO_REPORT_OUT")) {
    ASSERT_TRUE(write_report(std::string(dir) + "/" + name, html));
  }
}

TEST(EvaluationReport, SelfContainedWithEverySection) {
  auto r = eval::evaluate(eval::test::synthetic_samples(120, 0.6, 1), eval::test::fast_options());
  ASSERT_TRUE(r);
  const std::string html = render_evaluation_report(*r, context());
  expect_self_contained(html);
  EXPECT_NE(html.find("quantitative ultrasound T-scores, not DEXA"), std::string::npos);
  EXPECT_NE(html.find("Wani &amp; Arora 2023"), std::string::npos);
  EXPECT_NE(html.find("Knee model &lt;v1&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find(">architecture<"), std::string::npos);
  EXPECT_NE(html.find("normal, osteopenia, osteoporosis"), std::string::npos);
  // ROC, reliability, loss and metric charts.
  EXPECT_EQ(count_occurrences(html, "<svg"), 4u);
  for (const char* section : {"Metrics", "Confusion matrix", "Subgroups", "Model card", "Training"})
    EXPECT_NE(html.find(std::string(">") + section + "</h2>"), std::string::npos) << section;
  EXPECT_NE(html.find("AUROC osteoporosis"), std::string::npos);
  EXPECT_NE(html.find(">70-79<"), std::string::npos);
  maybe_keep("evaluation_report.html", html);

  test::TempDir dir;
  const std::string path = dir.file("report.html");
  ASSERT_TRUE(write_report(path, html));
  EXPECT_EQ(test::read_file(path), html);
}

TEST(EvaluationReport, OneClassDataRendersNa) {
  auto samples = eval::test::synthetic_samples(20, 0.6, 2);
  for (auto& s : samples) s.true_category = WhoCategory::kNormal;
  auto r = eval::evaluate(samples, eval::test::fast_options());
  ASSERT_TRUE(r);
  ReportContext c;  // nothing stated, no card, no curves
  const std::string html = render_evaluation_report(*r, c);
  expect_self_contained(html);
  EXPECT_NE(html.find("n/a"), std::string::npos);
  EXPECT_NE(html.find("not stated"), std::string::npos);
  EXPECT_EQ(html.find("Model card"), std::string::npos);
}

TEST(ComparisonReport, TableRocsDeLongAndBaseline) {
  std::vector<eval::ComparedModel> models{
      {"resnet18", false, eval::test::synthetic_samples(100, 0.4, 10), std::nullopt},
      {"efficientnet", false, eval::test::synthetic_samples(100, 0.9, 11), std::nullopt},
      {"age+sex+BMI", true, eval::test::synthetic_samples(100, 2.5, 12), std::nullopt}};
  auto cmp = eval::compare_models(models, eval::test::fast_options());
  ASSERT_TRUE(cmp) << cmp.error().to_string();
  const std::string html = render_comparison_report(*cmp, context());
  expect_self_contained(html);
  EXPECT_NE(html.find("age+sex+BMI (covariate-only baseline)"), std::string::npos);
  EXPECT_NE(html.find("resnet18 (best)"), std::string::npos);
  EXPECT_NE(html.find("DeLong p"), std::string::npos);
  EXPECT_EQ(count_occurrences(html, "<svg"), 1u);
  EXPECT_GE(count_occurrences(html, "<polyline"), 3u);  // one ROC per model
  EXPECT_EQ(html.find("No covariate-only baseline"), std::string::npos);
  maybe_keep("comparison_report.html", html);

  // A hand-built comparison without a baseline is flagged, not silently rendered.
  auto no_baseline = *cmp;
  for (auto& row : no_baseline.rows) row.is_baseline = false;
  EXPECT_NE(render_comparison_report(no_baseline, context()).find("No covariate-only baseline"), std::string::npos);
}

TEST(WriteReport, UnwritablePathIsIoError) {
  auto st = write_report("/nonexistent-dir/x/report.html", "<html></html>");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kIoError);
  EXPECT_NE(st.error().message.find("/nonexistent-dir/x/report.html"), std::string::npos);
}

}  // namespace
}  // namespace osteo::report
