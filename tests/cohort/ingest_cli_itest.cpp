// The real osteoscreen binary: `ingest dicom|dexa|manifest` on a real SQLite file, JSON checked;
// plus the DICOM ingest throughput on ~1,000 small files.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "osteo/cohort/ingest_dicom.h"
#include "osteo/dicom/writer.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace osteo {
namespace {

DicomImageSpec tiny_spec(const std::string& patient, int n) {
  DicomImageSpec spec;
  spec.rows = 8;
  spec.columns = 8;
  spec.bits_stored = 12;
  spec.pixels.assign(64, static_cast<std::uint16_t>(n % 4096));
  spec.patient_id = patient;
  spec.patient_sex = n % 2 ? "F" : "M";
  spec.study_date = "20220105";
  spec.body_part = "HIP";
  spec.study_uid = "1.2.826.0.1.3680043.10.2." + std::to_string(n);
  spec.series_uid = spec.study_uid + ".1";
  spec.sop_instance_uid = spec.study_uid + ".1.1";
  return spec;
}

nlohmann::json json_of(const test::CommandResult& r) {
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "stdout is not one JSON object: " << e.what() << "\n" << r.out << "\nstderr: " << r.err;
    return {};
  }
}

class IngestCli : public ::testing::Test {
 protected:
  test::TempDir dir_;
  std::string db_ = dir_.file("cohort.db");
};

TEST_F(IngestCli, DicomJsonReportAndIdempotentRerun) {
  fs::create_directories(dir_.path() / "dicom" / "p1");
  ASSERT_TRUE(write_dicom(tiny_spec("P1", 1), TransferSyntax::kExplicitLittle, dir_.file("dicom/p1/a.dcm")));
  ASSERT_TRUE(write_dicom(tiny_spec("P2", 2), TransferSyntax::kExplicitLittle, dir_.file("dicom/b.dcm")));
  ASSERT_TRUE(cv::imwrite(dir_.file("dicom/c.png"), cv::Mat(4, 4, CV_8UC1, cv::Scalar(1))));

  auto first = test::run_cli({"--db", db_, "-q", "ingest", "dicom", dir_.file("dicom"), "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto j = json_of(first);
  EXPECT_EQ(j["kind"], "dicom");
  EXPECT_EQ(j["files_seen"], 3);
  EXPECT_EQ(j["inserted"], 2);
  EXPECT_EQ(j["not_dicom"], 1);
  EXPECT_EQ(j["failures"][0]["code"], "unsupported_format");

  // Global options after the subcommand work too.
  auto second = test::run_cli({"ingest", "dicom", dir_.file("dicom"), "--json", "--db", db_, "--quiet"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto j2 = json_of(second);
  EXPECT_EQ(j2["inserted"], 0);
  EXPECT_EQ(j2["unchanged"], 2);

  auto human = test::run_cli({"--db", db_, "-q", "ingest", "dicom", dir_.file("dicom")});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("unchanged 2"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("c.png"), std::string::npos) << human.out;

  auto missing = test::run_cli({"--db", db_, "-q", "ingest", "dicom", dir_.file("nope"), "--json"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("file_not_found"), std::string::npos) << missing.err;
}

TEST_F(IngestCli, DexaWithAndWithoutMapping) {
  test::write_file(dir_.file("dexa.csv"),
                   "Patient ID,Gender,Ethnicity,Most Recent Measurement Date,Side,Neck BMD,Neck T-score,Neck Z-score,"
                   "Total BMD,Total T-score,Troch BMD,Troch T-score,Wards BMD,Shaft BMD,Device\n"
                   "P1,Female,,03/14/2021,Left,0.712,-2.6,-1.1,0.801,-1.9,,,,,Hologic\n"
                   "P1,Female,,03/14/2021,Left,0.712,-2.6,-1.1,0.801,-1.9,,,,,Hologic\n"
                   "P2,Male,,13/45/2021,Left,0.7,-1,,,,,,,,Hologic\n");
  auto r = test::run_cli({"--db", db_, "ingest", "dexa", dir_.file("dexa.csv"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = json_of(r);
  EXPECT_EQ(j["layout"], "wide");
  EXPECT_EQ(j["rows"], 3);
  EXPECT_EQ(j["measurements_inserted"], 2);
  EXPECT_EQ(j["rows_duplicate"], 1);
  EXPECT_EQ(j["rows_bad"], 1);
  ASSERT_EQ(j["issues"].size(), 2u);  // one per duplicate or bad row
  EXPECT_EQ(j["issues"][1]["line"], 4);
  EXPECT_EQ(j["issues"][1]["kind"], "bad_row");

  test::write_file(dir_.file("custom.csv"), "ID,D,Where,T\nQ1,2020-02-02,neck,-3.1\n");
  test::write_file(dir_.file("map.toml"), "layout = \"long\"\n[columns]\npatient_id = \"ID\"\ndate = \"D\"\nsite = \"Where\"\nt_score = \"T\"\n");
  auto mapped = test::run_cli({"--db", db_, "ingest", "dexa", dir_.file("custom.csv"), "--mapping", dir_.file("map.toml"), "--json"});
  ASSERT_EQ(mapped.exit_code, 0) << mapped.err;
  EXPECT_EQ(json_of(mapped)["measurements_inserted"], 1);

  auto no_mapping = test::run_cli({"--db", db_, "ingest", "dexa", dir_.file("custom.csv"), "--json"});
  EXPECT_EQ(no_mapping.exit_code, 1);
  EXPECT_NE(no_mapping.err.find("csv_missing_column"), std::string::npos) << no_mapping.err;
  EXPECT_TRUE(no_mapping.out.empty()) << no_mapping.out;

  auto human = test::run_cli({"--db", db_, "ingest", "dexa", dir_.file("dexa.csv")});
  ASSERT_EQ(human.exit_code, 0);
  EXPECT_NE(human.out.find("dexa.csv:4: bad_row"), std::string::npos) << human.out;
}

TEST_F(IngestCli, ManifestJsonReport) {
  fs::create_directories(dir_.path() / "images");
  ASSERT_TRUE(cv::imwrite(dir_.file("images/A.jpg"), cv::Mat(20, 10, CV_8UC1, cv::Scalar(7))));
  test::write_file(dir_.file("labels.csv"),
                   "image,patient_id,sex,t_score,diagnosis,ward\nimages/A.jpg,A,female,-2.0,osteopenia,W3\n"
                   "images/B.jpg,B,male,-1,normal,W1\n");
  auto r = test::run_cli({"--db", db_, "-q", "ingest", "manifest", dir_.file("labels.csv"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = json_of(r);
  EXPECT_EQ(j["kind"], "manifest");
  EXPECT_EQ(j["rows_imported"], 1);
  EXPECT_EQ(j["rows_bad"], 1);
  EXPECT_EQ(j["labels"], 1);
  EXPECT_EQ(j["issues"][0]["line"], 3);
}

TEST(IngestThroughput, AThousandSmallDicomFiles) {
  test::TempDir dir;
  constexpr int kFiles = 1000;
  for (int i = 0; i < kFiles; ++i) {
    const std::string sub = dir.file("dicom/" + std::to_string(i % 20));
    fs::create_directories(sub);
    ASSERT_TRUE(write_dicom(tiny_spec("T" + std::to_string(i % 200), i), TransferSyntax::kExplicitLittle,
                            sub + "/" + std::to_string(i) + ".dcm"));
  }
  auto store = open_store(dir.file("cohort.db"));
  ASSERT_TRUE(store);
  DicomIngestOptions options;
  options.threads = 2;
  auto first = ingest_dicom(**store, dir.file("dicom"), options);
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->inserted, static_cast<std::size_t>(kFiles));
  auto again = ingest_dicom(**store, dir.file("dicom"), options);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, static_cast<std::size_t>(kFiles));
  const double fps = kFiles / first->seconds;
  const double fps_again = kFiles / again->seconds;
  std::cout << "[ measure  ] ingest dicom: " << kFiles << " files, first run " << first->seconds << " s (" << fps
            << " files/s), re-run " << again->seconds << " s (" << fps_again << " files/s), 2 threads\n";
  // A loose floor that only a pathological regression (e.g. a commit per file) would break.
  EXPECT_GT(fps, 200.0);
}

}  // namespace
}  // namespace osteo
