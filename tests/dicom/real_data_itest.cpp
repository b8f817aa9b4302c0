// The reader on the real radiographs of ../shared/data/dicom: every encoding decodes, lossless
// encodings agree, MONOCHROME1 renders bone bright, and the broken file fails cleanly.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdlib>
#include <map>

#include "osteo/core/radiograph_json.h"
#include "osteo/image/read.h"
#include "support/test_support.h"

namespace osteo {
namespace {

std::string file(const std::filesystem::path& data, const char* name) { return (data / "dicom" / name).string(); }

/// Mean of a box given as fractions of the image (row0,row1,col0,col1).
double region_mean(const Radiograph& image, double r0, double r1, double c0, double c1) {
  double sum = 0;
  std::size_t n = 0;
  for (int r = static_cast<int>(r0 * image.rows()); r < static_cast<int>(r1 * image.rows()); ++r) {
    for (int c = static_cast<int>(c0 * image.columns()); c < static_cast<int>(c1 * image.columns()); ++c) {
      sum += image.at(r, c);
      ++n;
    }
  }
  return n ? sum / static_cast<double>(n) : 0.0;
}

/// With OSTEO_DUMP_DIR set, writes the rendering as an 8-bit PNG (for looking at it).
void maybe_dump(const Radiograph& image, const std::string& name) {
  const char* dir = std::getenv("OSTEO_DUMP_DIR");
  if (!dir) return;
  cv::Mat m(image.rows(), image.columns(), CV_32F, const_cast<float*>(image.pixels.data()));
  cv::Mat out;
  m.convertTo(out, CV_8U, 255.0);
  cv::imwrite(std::string(dir) + "/" + name + ".png", out);
}

TEST(RealDicom, EveryFileDecodesExceptTheBrokenOne) {
  OSTEO_REQUIRE_SHARED_DATA(data);
  for (const auto& entry : std::filesystem::directory_iterator(data / "dicom")) {
    const std::string name = entry.path().filename().string();
    auto image = read_radiograph(entry.path().string());
    if (name == "RG2_JPLY.dcm") {
      // Deliberately broken scan header: decoding or a typed error are both acceptable.
      if (!image) {
        EXPECT_NE(image.error().code, ErrorCode::kInternal) << image.error().to_string();
      }
      continue;
    }
    ASSERT_TRUE(image) << name << ": " << image.error().to_string();
    EXPECT_EQ(image->pixels.size(), static_cast<std::size_t>(image->rows()) * image->columns()) << name;
    const double mean = image->mean();
    EXPECT_GT(mean, 0.05) << name;
    EXPECT_LT(mean, 0.95) << name;
    maybe_dump(*image, entry.path().stem().string());

    auto meta = read_radiograph_meta(entry.path().string());
    ASSERT_TRUE(meta) << name;
    EXPECT_EQ(meta_to_json(*meta), meta_to_json(image->meta)) << name;
  }
}

TEST(RealDicom, LosslessEncodingsAgree) {
  OSTEO_REQUIRE_SHARED_DATA(data);
  auto jpll = read_radiograph(file(data, "RG2_JPLL.dcm"));
  auto jlsl = read_radiograph(file(data, "RG2_JLSL.dcm"));
  auto jlsn = read_radiograph(file(data, "RG2_JLSN.dcm"));
  ASSERT_TRUE(jpll && jlsl && jlsn);
  EXPECT_NEAR(jpll->mean(), jlsl->mean(), 1e-6);
  EXPECT_EQ(jpll->pixels, jlsl->pixels);
  EXPECT_NEAR(jpll->mean(), jlsn->mean(), 1e-3);

  auto j2kr = read_radiograph(file(data, "RG3_J2KR.dcm"));
  auto j2ki = read_radiograph(file(data, "RG3_J2KI.dcm"));
  ASSERT_TRUE(j2kr && j2ki);
  EXPECT_NEAR(j2kr->mean(), j2ki->mean(), 5e-3);
  EXPECT_EQ(j2kr->meta.transfer_syntax, "1.2.840.10008.1.2.4.90");  // the original syntax is reported
}

TEST(RealDicom, Monochrome1RendersBoneBright) {
  OSTEO_REQUIRE_SHARED_DATA(data);
  // PA chests: the lungs (left and right of the midline, mid-height) are dark; the mediastinum
  // and spine (the midline) are bright, whatever the stored polarity.
  for (const char* name : {"CR-MONO1-10-chest.dcm", "RG1_JLSN.dcm", "RG1_J2KI.dcm"}) {
    auto image = read_radiograph(file(data, name));
    ASSERT_TRUE(image) << name;
    EXPECT_EQ(image->meta.photometric, "MONOCHROME1") << name;
    const double right_lung = region_mean(*image, 0.30, 0.55, 0.20, 0.35);
    const double left_lung = region_mean(*image, 0.30, 0.55, 0.65, 0.80);
    const double midline = region_mean(*image, 0.30, 0.55, 0.46, 0.54);
    EXPECT_GT(midline, right_lung + 0.1) << name;
    EXPECT_GT(midline, left_lung + 0.1) << name;
  }
}

TEST(RealDicom, Metadata) {
  OSTEO_REQUIRE_SHARED_DATA(data);
  auto hip = read_radiograph_meta(file(data, "RG2_JPLL.dcm"));
  ASSERT_TRUE(hip);
  EXPECT_EQ(hip->rows, 2140);
  EXPECT_EQ(hip->columns, 1760);
  EXPECT_EQ(hip->bits_stored, 10);
  EXPECT_EQ(hip->spacing_source, SpacingSource::kPixelSpacing);
  EXPECT_DOUBLE_EQ((*hip->spacing_mm)[0], 0.2);
  EXPECT_EQ(hip->body_part, "HIP");

  auto chest = read_radiograph_meta(file(data, "RG1_JLSN.dcm"));  // PixelSpacing "0.000\0.000"
  ASSERT_TRUE(chest);
  EXPECT_FALSE(chest->spacing_mm.has_value());
  EXPECT_EQ(chest->spacing_source, SpacingSource::kUnknown);

  auto dx = read_radiograph_meta(file(data, "dx_image.dcm"));
  ASSERT_TRUE(dx);
  EXPECT_EQ(dx->laterality, Side::kLeft);
  EXPECT_DOUBLE_EQ(*dx->patient_age_years, 5.0);
  EXPECT_EQ(dx->modality, "DX");

  auto legacy = read_radiograph_meta(file(data, "CR-MONO1-10-chest.dcm"));
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->transfer_syntax, "1.2.840.10008.1.2");
  EXPECT_EQ(legacy->rows, 440);
}

TEST(RealDicom, TruncatedRealFilesFailCleanly) {
  OSTEO_REQUIRE_SHARED_DATA(data);
  for (const char* name : {"RG2_JPLL.dcm", "RG3_J2KR.dcm", "dx_image.dcm", "CR-MONO1-10-chest.dcm"}) {
    const std::string bytes = test::read_file(file(data, name));
    for (int percent : {10, 50, 90}) {
      const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() * percent / 100));
      auto image = read_radiograph_bytes(cut, name);
      ASSERT_FALSE(image) << name << " " << percent << "%";
      EXPECT_NE(image.error().code, ErrorCode::kInternal) << image.error().to_string();
    }
  }
}

}  // namespace
}  // namespace osteo
