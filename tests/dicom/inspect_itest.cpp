// `osteoscreen inspect` end to end: the real binary on the real files and on bad files,
// parsing its JSON Lines output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "dicom/dicom_test_util.h"
#include "osteo/dicom/writer.h"
#include "support/test_support.h"

namespace osteo {
namespace {

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

TEST(InspectCli, RealFilesAsJsonLinesInArgumentOrder) {
  OSTEO_REQUIRE_SHARED_DATA(data);
  const std::vector<std::string> names = {"dx_image.dcm", "RG2_JPLL.dcm", "RG2_JLSL.dcm", "RG2_JLSN.dcm",
                                          "RG3_J2KR.dcm", "CR-MONO1-10-chest.dcm", "RG1_JLSN.dcm"};
  std::vector<std::string> args = {"inspect", "--json", "--threads", "2", "-q"};
  for (const auto& n : names) args.push_back((data / "dicom" / n).string());
  auto r = test::run_cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), names.size()) << r.out;
  std::map<std::string, nlohmann::json> by_name;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& j = lines[i];
    EXPECT_EQ(j["path"], args[5 + i]);  // output order = argument order
    ASSERT_TRUE(j["ok"].get<bool>()) << j.dump();
    for (const char* key : {"rows", "columns", "bits_stored", "photometric", "transfer_syntax", "spacing_mm",
                            "spacing_source", "laterality", "modality", "body_part", "patient_id", "patient_sex",
                            "patient_age_years", "study_date", "sop_instance_uid", "sha256", "pixel_mean"}) {
      EXPECT_TRUE(j.contains(key)) << names[i] << " lacks " << key;
    }
    EXPECT_EQ(j["sha256"].get<std::string>().size(), 64u);
    by_name[names[i]] = j;
  }
  EXPECT_NEAR(by_name["RG2_JPLL.dcm"]["pixel_mean"].get<double>(), by_name["RG2_JLSL.dcm"]["pixel_mean"].get<double>(), 1e-6);
  EXPECT_NEAR(by_name["RG2_JPLL.dcm"]["pixel_mean"].get<double>(), by_name["RG2_JLSN.dcm"]["pixel_mean"].get<double>(), 1e-3);
  EXPECT_EQ(by_name["RG2_JPLL.dcm"]["spacing_source"], "PixelSpacing");
  EXPECT_EQ(by_name["RG2_JPLL.dcm"]["spacing_mm"], nlohmann::json::array({0.2, 0.2}));
  EXPECT_TRUE(by_name["RG1_JLSN.dcm"]["spacing_mm"].is_null());
  EXPECT_EQ(by_name["dx_image.dcm"]["laterality"], "L");
  EXPECT_EQ(by_name["dx_image.dcm"]["patient_age_years"], 5.0);
  EXPECT_EQ(by_name["dx_image.dcm"]["study_date"], "2020-01-25");
}

TEST(InspectCli, BadFilesGiveTypedErrorsAndExitOne) {
  test::TempDir dir;
  const auto good = dir.file("good.dcm");
  ASSERT_TRUE(write_dicom(test::gradient_spec(), TransferSyntax::kJpegLsLossless, good));
  const auto garbage = dir.file("garbage.dcm");
  test::write_file(garbage, std::string(4000, '\x5A'));
  const auto empty = dir.file("empty.dcm");
  test::write_file(empty, "");
  const auto truncated = dir.file("truncated.dcm");
  test::write_file(truncated, test::read_file(good).substr(0, 300));

  auto r = test::run_cli({"inspect", "--json", "-q", good, garbage, empty, truncated, dir.file("absent.dcm")});
  EXPECT_EQ(r.exit_code, 1);
  const auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_TRUE(lines[0]["ok"].get<bool>());
  EXPECT_EQ(lines[0]["patient_id"], "P001");
  EXPECT_EQ(lines[0]["study_date"], "2022-04-15");
  const char* expected[] = {"unsupported_format", "empty_file", "dicom_parse_error", "file_not_found"};
  for (int i = 0; i < 4; ++i) {
    const auto& j = lines[static_cast<std::size_t>(i + 1)];
    EXPECT_FALSE(j["ok"].get<bool>());
    EXPECT_EQ(j["error"]["code"], expected[i]) << j.dump();
    EXPECT_NE(j["error"]["message"].get<std::string>().find(j["path"].get<std::string>()), std::string::npos);
  }

  auto only_good = test::run_cli({"inspect", "-q", good});
  EXPECT_EQ(only_good.exit_code, 0) << only_good.err;
  EXPECT_NE(only_good.out.find("MONOCHROME2"), std::string::npos) << only_good.out;
}

TEST(InspectCli, LimitsAreOptions) {
  test::TempDir dir;
  const auto good = dir.file("good.dcm");
  ASSERT_TRUE(write_dicom(test::gradient_spec(), TransferSyntax::kExplicitLittle, good));
  auto pixels = test::run_cli({"inspect", "--json", "-q", "--max-pixels", "100", good});
  EXPECT_EQ(pixels.exit_code, 1);
  EXPECT_EQ(json_lines(pixels.out).at(0)["error"]["code"], "pixel_limit_exceeded");
  auto size = test::run_cli({"inspect", "--json", "-q", "--max-file-mb", "0.0001", good});
  EXPECT_EQ(size.exit_code, 1);
  EXPECT_EQ(json_lines(size.out).at(0)["error"]["code"], "file_too_large");
  auto header = test::run_cli({"inspect", "--json", "-q", "--header-only", good});
  EXPECT_EQ(header.exit_code, 0);
  EXPECT_TRUE(json_lines(header.out).at(0)["pixel_mean"].is_null());
}

}  // namespace
}  // namespace osteo
