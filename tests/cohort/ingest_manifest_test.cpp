// Manifest import: PNG images generated in a temp folder, covariates, ROI, bad rows, warnings;
// and the real knee X-ray labels.csv (180 rows, none bad).
#include "osteo/cohort/ingest_manifest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "support/test_support.h"

namespace fs = std::filesystem;

namespace osteo {
namespace {

class ManifestIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_store(dir_.file("cohort.db"));
    ASSERT_TRUE(s) << s.error().to_string();
    store_ = std::move(*s);
    fs::create_directories(dir_.path() / "images");
    for (const char* id : {"K1", "K2", "K3", "K4", "K5", "K6"}) {
      cv::Mat img(40, 30, CV_8UC1, cv::Scalar(id[1] * 3));
      ASSERT_TRUE(cv::imwrite(dir_.file(std::string("images/") + id + ".png"), img));
    }
    test::write_file(dir_.file("images/garbage.png"), "this is not a PNG");
  }
  std::string csv(const std::string& text) {
    test::write_file(dir_.file("labels.csv"), text);
    return dir_.file("labels.csv");
  }
  const ImageRecord* image_of(const std::vector<ImageRecord>& images, const std::string& patient) {
    for (const auto& i : images) {
      if (i.meta.patient_id == patient) return &i;
    }
    return nullptr;
  }
  test::TempDir dir_;
  std::unique_ptr<CohortStore> store_;
};

TEST_F(ManifestIngestTest, ImportsImagesLabelsPatientsAndCovariates) {
  auto r = ingest_manifest(*store_, csv("image,patient_id,sex,age,bmi,t_score,z_score,diagnosis,smoker,scanner_room,roi_x,roi_y,roi_w,roi_h\n"
                                        "images/K1.png,K1,female,61,27.5,-2.7,-1.1,osteoporosis,yes,R2,1,2,10,20\n"
                                        "images/K2.png,K2,male,45,,-0.4,,normal,no,,,,,\n"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->rows, 2u);
  EXPECT_EQ(r->rows_imported, 2u);
  EXPECT_EQ(r->rows_bad, 0u);
  EXPECT_EQ(r->images_inserted, 2u);
  EXPECT_EQ(r->labels, 2u);
  EXPECT_EQ(r->patients, 2u);
  EXPECT_TRUE(r->issues.empty());

  const auto images = store_->images();
  const ImageRecord* k1 = image_of(images, "K1");
  ASSERT_TRUE(k1);
  EXPECT_EQ(k1->source, "manifest");
  EXPECT_EQ(k1->meta.format, "png");
  EXPECT_EQ(k1->meta.rows, 40);
  EXPECT_EQ(k1->meta.columns, 30);
  EXPECT_EQ(k1->meta.sha256.size(), 64u);
  EXPECT_EQ(k1->meta.path, fs::canonical(dir_.file("images/K1.png")).string());
  EXPECT_EQ(k1->covariates["sex"], "F");
  EXPECT_EQ(k1->covariates["age"], 61.0);
  EXPECT_EQ(k1->covariates["bmi"], 27.5);
  EXPECT_EQ(k1->covariates["z_score"], -1.1);
  EXPECT_EQ(k1->covariates["smoker"], true);
  EXPECT_EQ(k1->covariates["scanner_room"], "R2");  // unknown column kept
  EXPECT_FALSE(k1->covariates.contains("t_score"));  // the label is not a covariate
  ASSERT_TRUE(k1->roi);
  EXPECT_EQ(*k1->roi, (std::array<int, 4>{1, 2, 10, 20}));
  const ImageRecord* k2 = image_of(images, "K2");
  ASSERT_TRUE(k2);
  EXPECT_TRUE(k2->covariates["bmi"].is_null());
  EXPECT_EQ(k2->covariates["smoker"], false);
  EXPECT_FALSE(k2->roi);

  const auto labels = store_->labels();
  ASSERT_EQ(labels.size(), 2u);
  for (const auto& l : labels) {
    EXPECT_EQ(l.source, "manifest");
    EXPECT_EQ(l.site, "manifest");
    EXPECT_EQ(l.category, l.image_id == k1->id ? WhoCategory::kOsteoporosis : WhoCategory::kNormal);
  }
  const auto patients = store_->patients();
  ASSERT_EQ(patients.size(), 2u);
  EXPECT_EQ(patients[0].sex, "F");

  // Idempotent: a second import changes nothing.
  auto again = ingest_manifest(*store_, dir_.file("labels.csv"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->images_unchanged, 2u);
  EXPECT_EQ(again->images_inserted, 0u);
  EXPECT_EQ(store_->counts().labels, 2);
}

struct ExpectedIssue {
  std::size_t line;
  RowIssue::Kind kind;
  const char* fragment;
};

TEST_F(ManifestIngestTest, BadRowsAndWarningsCarryTheirLineNumbers) {
  auto r = ingest_manifest(*store_, csv("image,patient_id,t_score,diagnosis,age,roi_x,roi_y,roi_w,roi_h\n"
      /* 2 */ "images/K1.png,K1,-1.5,osteopenia,60,,,,\n"
      /* 3 */ "images/missing.png,K9,-1.5,osteopenia,60,,,,\n"
      /* 4 */ "images/K2.png,K2,abc,osteopenia,60,,,,\n"
      /* 5 */ "images/K1.png,K1,-1.5,osteopenia,60,,,,\n"
      /* 6 */ "images/K3.png,K3,-3.0,normal,60,,,,\n"
      /* 7 */ "images/K4.png,K4,-0.5,normal,sixty,,,,\n"
      /* 8 */ "images/garbage.png,K7,-0.5,normal,60,,,,\n"
      /* 9 */ "images/K5.png,,-0.5,normal,60,,,,\n"
      /* 10 */ "images/K5.png,K5,,normal,60,,,,\n"
      /* 11 */ "images/K6.png,K6,-0.5,normal,60,25,0,10,10\n"
      /* 12 */ "images/K6.png,K6b,-0.5,normal,60,0,0,10,\n"));
  ASSERT_TRUE(r) << r.error().to_string();
  const ExpectedIssue expected[] = {
      {3, RowIssue::Kind::kBadRow, "image file not found"},
      {4, RowIssue::Kind::kBadRow, "unparsable number 'abc' in column 't_score'"},
      {5, RowIssue::Kind::kBadRow, "already listed on line 2"},
      {6, RowIssue::Kind::kWarning, "diagnosis 'normal' disagrees with T-score -3.0 (osteoporosis)"},
      {7, RowIssue::Kind::kBadRow, "unparsable number 'sixty' in column 'age'"},
      {8, RowIssue::Kind::kBadRow, "unreadable image"},
      {9, RowIssue::Kind::kBadRow, "no patient id"},
      {10, RowIssue::Kind::kBadRow, "no T-score"},
      {11, RowIssue::Kind::kBadRow, "outside the 30x40 image"},
      {12, RowIssue::Kind::kBadRow, "incomplete ROI"},
  };
  ASSERT_EQ(r->issues.size(), std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    EXPECT_EQ(r->issues[i].line, expected[i].line) << i << ": " << r->issues[i].reason;
    EXPECT_EQ(r->issues[i].kind, expected[i].kind) << i;
    EXPECT_NE(r->issues[i].reason.find(expected[i].fragment), std::string::npos) << r->issues[i].reason;
  }
  EXPECT_EQ(r->rows, 11u);
  EXPECT_EQ(r->rows_imported, 2u);
  EXPECT_EQ(r->rows_bad, 9u);
  EXPECT_EQ(r->warnings, 1u);
  EXPECT_EQ(r->rows, r->rows_imported + r->rows_bad);
  // The disagreeing diagnosis was imported with the T-score band.
  const auto labels = store_->labels();
  ASSERT_EQ(labels.size(), 2u);
  const auto k3 = store_->image_by_path(fs::canonical(dir_.file("images/K3.png")).string());
  ASSERT_TRUE(k3);
  for (const auto& l : labels) {
    if (l.image_id == k3->id) {
      EXPECT_EQ(l.category, WhoCategory::kOsteoporosis);
    }
  }
}

TEST_F(ManifestIngestTest, WithoutAnImageColumnTheImageIsDerivedFromThePatientId) {
  auto r = ingest_manifest(*store_, csv("patient_id,t_score\nK1,-1\nK2,-2\nNOPE,-2\n"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->image_column, "derived: images/<patient_id>.jpg");
  EXPECT_EQ(r->rows_imported, 2u);  // .jpg absent, .png found
  ASSERT_EQ(r->issues.size(), 1u);
  EXPECT_EQ(r->issues[0].line, 4u);
  EXPECT_NE(r->issues[0].reason.find("images/NOPE.jpg"), std::string::npos);
}

TEST_F(ManifestIngestTest, MissingRequiredColumnsFailTheWholeFileAndLeaveTheStoreUnchanged) {
  ASSERT_TRUE(ingest_manifest(*store_, csv("patient_id,t_score\nK1,-1\n")));
  const auto before = store_->counts();
  struct Case {
    const char* text;
    const char* fragment;
  };
  const Case cases[] = {
      {"image,t_score\nimages/K2.png,-1\n", "'patient_id'"},
      {"image,patient_id,diagnosis\nimages/K2.png,K2,normal\n", "'t_score'"},
      {"image,patient_id,t_score,roi_x,roi_y,roi_w\nimages/K2.png,K2,-1,0,0,5\n", "'roi_h'"},
  };
  for (const auto& c : cases) {
    auto r = ingest_manifest(*store_, csv(c.text));
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, ErrorCode::kCsvMissingColumn);
    EXPECT_NE(r.error().message.find(c.fragment), std::string::npos) << r.error().message;
  }
  const auto after = store_->counts();
  EXPECT_EQ(after.images, before.images);
  EXPECT_EQ(after.labels, before.labels);
  EXPECT_EQ(after.patients, before.patients);
}

TEST(ManifestRealData, KneeLabelsImportAll180RowsWithoutBadRows) {
  OSTEO_REQUIRE_SHARED_DATA(data);
  const fs::path labels = data / "knee-xray-osteoporosis" / "labels.csv";
  test::TempDir dir;
  auto store = open_store(dir.file("cohort.db"));
  ASSERT_TRUE(store) << store.error().to_string();
  auto r = ingest_manifest(**store, labels.string());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->rows, 180u);
  EXPECT_EQ(r->rows_imported, 180u);
  EXPECT_EQ(r->rows_bad, 0u);
  for (const auto& issue : r->issues) ADD_FAILURE() << "line " << issue.line << ": " << issue.reason;
  const auto counts = (*store)->counts();
  EXPECT_EQ(counts.images, 180);
  EXPECT_EQ(counts.labels, 180);
  EXPECT_EQ(counts.patients, 180);
  // The README's class balance: normal 27, osteopenia 116, osteoporosis 37.
  int per_class[3] = {0, 0, 0};
  for (const auto& l : (*store)->labels()) ++per_class[static_cast<int>(l.category)];
  EXPECT_EQ(per_class[0], 27);
  EXPECT_EQ(per_class[1], 116);
  EXPECT_EQ(per_class[2], 37);
  const auto images = (*store)->images();
  EXPECT_EQ(images.front().meta.format, "jpeg");
  EXPECT_EQ(images.front().covariates["site"], "knee");
}

}  // namespace
}  // namespace osteo
