// The real `osteoscreen synth` binary: JSON summary on stdout, files on disk, refusal of a
// foreign output folder with the usage exit code.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace osteo {
namespace {

TEST(SynthCli, WritesAHospitalAndPrintsItsSummary) {
  test::TempDir dir;
  const std::string out = dir.file("hospital");
  const auto r = test::run_cli({"--threads", "2", "-q", "synth", "--patients", "6", "--seed", "3", "--out", out,
                                "--image-size", "96"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["patients"], 6);
  EXPECT_GT(summary["images"].get<int>(), 0);
  EXPECT_TRUE(std::filesystem::exists(out + "/dexa_export.csv"));
  EXPECT_TRUE(std::filesystem::exists(out + "/truth.json"));
  EXPECT_TRUE(std::filesystem::is_directory(out + "/dicom/SYN000001") ||
              std::filesystem::is_directory(out + "/dicom/SYN000002"));
}

TEST(SynthCli, RefusesANonEmptyForeignFolder) {
  test::TempDir dir;
  test::write_file(dir.file("keep.txt"), "x");
  const auto r = test::run_cli({"-q", "synth", "--patients", "2", "--out", dir.path().string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("invalid_argument"), std::string::npos) << r.err;
  EXPECT_EQ(test::read_file(dir.file("keep.txt")), "x");
}

}  // namespace
}  // namespace osteo
