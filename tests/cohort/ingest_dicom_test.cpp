// DICOM folder import: idempotency, changed files, non-DICOM and broken files, patients.
#include "osteo/cohort/ingest_dicom.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "osteo/dicom/writer.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace osteo {
namespace {

DicomImageSpec small_spec(const std::string& patient, int seed) {
  DicomImageSpec spec;
  spec.rows = 16;
  spec.columns = 12;
  spec.bits_stored = 12;
  spec.pixels.resize(static_cast<std::size_t>(spec.rows * spec.columns));
  for (std::size_t i = 0; i < spec.pixels.size(); ++i) spec.pixels[i] = static_cast<std::uint16_t>((i * 37 + seed * 101) % 4096);
  spec.modality = "CR";
  spec.body_part = "HIP";
  spec.image_laterality = "R";
  spec.patient_id = patient;
  spec.patient_sex = "F";
  spec.patient_birth_date = "19500203";
  spec.study_date = "20210304";
  spec.study_uid = "1.2.826.0.1.3680043.10.1." + std::to_string(seed);
  spec.series_uid = spec.study_uid + ".1";
  spec.sop_instance_uid = spec.study_uid + ".1.1";
  return spec;
}

class DicomIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_store(db_dir_.file("cohort.db"));
    ASSERT_TRUE(s) << s.error().to_string();
    store_ = std::move(*s);
    fs::create_directories(dir_.path() / "a" / "b");
    ASSERT_TRUE(write_dicom(small_spec("P1", 1), TransferSyntax::kExplicitLittle, dir_.file("a/one.dcm")));
    ASSERT_TRUE(write_dicom(small_spec("P1", 2), TransferSyntax::kImplicitLittle, dir_.file("a/b/two")));
    ASSERT_TRUE(write_dicom(small_spec("P2", 3), TransferSyntax::kRle, dir_.file("three.dcm")));
    ASSERT_TRUE(cv::imwrite(dir_.file("a/photo.png"), cv::Mat(8, 8, CV_8UC1, cv::Scalar(90))));
    test::write_file(dir_.file("notes.txt"), "not an image at all\n");
    test::write_file(dir_.file("empty.dcm"), "");
    // Looks like DICOM (preamble + DICM) but the dataset is garbage.
    static const char kGarbage[] = "\x02\x00\x10\x00UI\xff\xff garbage";
    test::write_file(dir_.file("a/broken.dcm"), std::string(128, '\0') + "DICM" + std::string(kGarbage, sizeof kGarbage - 1));
  }
  Result<DicomIngestReport> ingest() {
    DicomIngestOptions options;
    options.threads = 2;
    return ingest_dicom(*store_, dir_.path().string(), options);
  }

  test::TempDir dir_;     // the folder being ingested
  test::TempDir db_dir_;  // the store lives elsewhere so it is not part of the folder
  std::unique_ptr<CohortStore> store_;
};

TEST_F(DicomIngestTest, ImportsDicomReportsTheRestAndUpsertsPatients) {
  auto r = ingest();
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->files_seen, 7u);
  EXPECT_EQ(r->inserted, 3u);
  EXPECT_EQ(r->not_dicom, 3u);  // png, txt, empty
  EXPECT_EQ(r->failed, 1u);     // broken.dcm
  EXPECT_EQ(r->files_seen, r->inserted + r->updated + r->unchanged + r->not_dicom + r->failed);
  ASSERT_EQ(r->failures.size(), 4u);
  for (const auto& f : r->failures) {
    const std::string name = fs::path(f.path).filename().string();
    if (name == "broken.dcm") {
      EXPECT_NE(f.code, "unsupported_format") << f.message;
    } else if (name == "photo.png") {
      EXPECT_EQ(f.code, "unsupported_format");
      EXPECT_NE(f.message.find("png"), std::string::npos) << f.message;
    } else {
      EXPECT_TRUE(name == "notes.txt" || name == "empty.dcm") << name;
    }
  }

  const auto images = store_->images();
  ASSERT_EQ(images.size(), 3u);
  for (const auto& img : images) {
    EXPECT_TRUE(fs::path(img.meta.path).is_absolute()) << img.meta.path;
    EXPECT_EQ(img.source, "dicom");
    EXPECT_EQ(img.meta.format, "dicom");
    EXPECT_EQ(img.meta.sha256.size(), 64u);
    EXPECT_EQ(img.meta.rows, 16);
    EXPECT_EQ(img.meta.laterality, Side::kRight);
    ASSERT_TRUE(img.meta.study_date);
    EXPECT_EQ(*img.meta.study_date, (Date{2021, 3, 4}));
  }
  const auto patients = store_->patients();
  ASSERT_EQ(patients.size(), 2u);
  EXPECT_EQ(patients[0].patient_id, "P1");
  EXPECT_EQ(patients[0].sex, "F");
  ASSERT_TRUE(patients[0].birth_date);
  EXPECT_EQ(*patients[0].birth_date, (Date{1950, 2, 3}));
}

TEST_F(DicomIngestTest, SecondRunAddsNothingAndAChangedFileIsUpdated) {
  ASSERT_TRUE(ingest());
  auto again = ingest();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->inserted, 0u);
  EXPECT_EQ(again->updated, 0u);
  EXPECT_EQ(again->unchanged, 3u);
  EXPECT_EQ(store_->counts().images, 3);

  const auto before = store_->image_by_path(fs::canonical(dir_.file("three.dcm")).string());
  ASSERT_TRUE(before);
  ASSERT_TRUE(write_dicom(small_spec("P2", 99), TransferSyntax::kRle, dir_.file("three.dcm")));
  auto third = ingest();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->updated, 1u);
  EXPECT_EQ(third->unchanged, 2u);
  EXPECT_EQ(third->inserted, 0u);
  const auto after = store_->image_by_path(before->meta.path);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->id, before->id);
  EXPECT_NE(after->meta.sha256, before->meta.sha256);
  EXPECT_EQ(store_->counts().images, 3);
}

TEST_F(DicomIngestTest, SameFolderThroughARelativePathIsTheSameImages) {
  ASSERT_TRUE(ingest());
  const auto cwd = fs::current_path();
  fs::current_path(dir_.path() / "a");
  auto r = ingest_dicom(*store_, "../a/b");
  fs::current_path(cwd);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->unchanged, 1u);
  EXPECT_EQ(r->inserted, 0u);
}

TEST_F(DicomIngestTest, NotAFolderIsATypedErrorAndTheJsonReportHasEveryCount) {
  auto r = ingest_dicom(*store_, dir_.file("notes.txt"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFileNotFound);
  auto ok = ingest();
  ASSERT_TRUE(ok);
  const auto j = to_json(*ok);
  for (const char* key : {"files_seen", "inserted", "updated", "unchanged", "not_dicom", "failed", "failures", "seconds"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["failures"].size(), 4u);
  EXPECT_TRUE(j["failures"][0].contains("code"));
}

}  // namespace
}  // namespace osteo
