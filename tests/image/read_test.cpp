// Reading synthetic DICOM/PNG/JPEG files: rendering rules (MONOCHROME1, VOI LUT vs window,
// rescale), metadata rules (spacing source, laterality, age), limits and hostile input.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <random>

#include "dicom/dicom_test_util.h"
#include "osteo/core/hash.h"
#include "osteo/core/parallel.h"
#include "osteo/core/radiograph_json.h"
#include "osteo/dicom/dicom_reader.h"
#include "osteo/image/read.h"

namespace osteo {
namespace {

std::vector<std::uint8_t> encode(const DicomImageSpec& spec, TransferSyntax ts = TransferSyntax::kExplicitLittle) {
  auto bytes = encode_dicom(spec, ts);
  if (!bytes) throw std::runtime_error(bytes.error().to_string());
  return *bytes;
}

Radiograph read_ok(const std::vector<std::uint8_t>& bytes, const ReadLimits& limits = {}) {
  auto r = read_radiograph_bytes(bytes, "synthetic.dcm", limits);
  if (!r) throw std::runtime_error(r.error().to_string());
  return *r;
}

TEST(ReadDicom, Monochrome1IsTheInverseOfMonochrome2) {
  auto spec = test::gradient_spec();
  const auto mono2 = read_ok(encode(spec));
  spec.photometric = "MONOCHROME1";
  const auto mono1 = read_ok(encode(spec));
  ASSERT_EQ(mono1.pixels.size(), mono2.pixels.size());
  for (std::size_t i = 0; i < mono1.pixels.size(); ++i) {
    ASSERT_NEAR(mono1.pixels[i], 1.0f - mono2.pixels[i], 2.0 / 65535) << i;
  }
  // The gradient rises in stored value: on MONOCHROME1 high stored values are dark.
  EXPECT_GT(mono2.pixels.back(), mono2.pixels.front());
  EXPECT_LT(mono1.pixels.back(), mono1.pixels.front());
  EXPECT_EQ(mono1.meta.photometric, "MONOCHROME1");
}

TEST(ReadDicom, VoiLutWinsOverTheWindow) {
  auto spec = test::gradient_spec();  // has a window too
  DicomImageSpec::VoiLut lut;
  lut.first_mapped = 0;
  lut.bits = 12;
  lut.data.resize(4096);
  for (int i = 0; i < 4096; ++i) lut.data[static_cast<std::size_t>(i)] = i < 1000 ? 0 : 4095;  // a hard threshold
  spec.voi_lut = lut;
  const auto image = read_ok(encode(spec));
  for (std::size_t i = 0; i < spec.pixels.size(); ++i) {
    const float expected = spec.pixels[i] < 1000 ? 0.0f : 1.0f;
    // DCMTK widens the 12-bit LUT output by a bit shift, so "white" is 4095/4096, not 1.
    ASSERT_NEAR(image.pixels[i], expected, 1.0 / 4096) << "stored " << spec.pixels[i];
  }
}

TEST(ReadDicom, WindowIsUsedWhenThereIsNoVoiLut) {
  auto spec = test::gradient_spec();
  spec.window_center = 1000;
  spec.window_width = 501;
  const auto image = read_ok(encode(spec));
  for (std::size_t i = 0; i < spec.pixels.size(); ++i) {
    ASSERT_NEAR(image.pixels[i], test::window_linear(spec.pixels[i], 1000, 501), 2.0 / 65535);
  }
}

TEST(ReadDicom, MinMaxWhenNeitherWindowNorLut) {
  auto spec = test::gradient_spec();
  spec.window_center.reset();
  spec.window_width.reset();
  for (auto& v : spec.pixels) v = static_cast<std::uint16_t>(1000 + v / 8);  // range 1000..1511
  const auto image = read_ok(encode(spec));
  const auto [lo, hi] = std::minmax_element(image.pixels.begin(), image.pixels.end());
  EXPECT_NEAR(*lo, 0.0f, 1e-4);
  EXPECT_NEAR(*hi, 1.0f, 1e-4);
}

TEST(ReadDicom, RescaleSlopeAndInterceptApplyBeforeTheWindow) {
  auto spec = test::gradient_spec();
  spec.rescale_slope = 2.0;
  spec.rescale_intercept = -1000.0;
  spec.window_center = 2000.0;  // in rescaled units: stored 1500
  spec.window_width = 3001.0;
  const auto image = read_ok(encode(spec));
  for (std::size_t i = 0; i < spec.pixels.size(); ++i) {
    const double modality = 2.0 * spec.pixels[i] - 1000.0;
    ASSERT_NEAR(image.pixels[i], test::window_linear(modality, 2000.0, 3001.0), 2.0 / 65535) << i;
  }
}

struct SpacingCase {
  const char* name;
  std::optional<std::array<double, 2>> pixel_spacing;
  std::optional<std::array<double, 2>> imager_spacing;
  SpacingSource expected_source;
  std::optional<std::array<double, 2>> expected;
};

class Spacing : public ::testing::TestWithParam<SpacingCase> {};

TEST_P(Spacing, FollowsTheRule) {
  const auto& c = GetParam();
  auto spec = test::gradient_spec();
  spec.pixel_spacing = c.pixel_spacing;
  spec.imager_pixel_spacing = c.imager_spacing;
  auto meta = read_ok(encode(spec)).meta;
  EXPECT_EQ(meta.spacing_source, c.expected_source);
  ASSERT_EQ(meta.spacing_mm.has_value(), c.expected.has_value());
  if (c.expected) {
    EXPECT_DOUBLE_EQ((*meta.spacing_mm)[0], (*c.expected)[0]);
    EXPECT_DOUBLE_EQ((*meta.spacing_mm)[1], (*c.expected)[1]);
  }
}

using A2 = std::array<double, 2>;
INSTANTIATE_TEST_SUITE_P(
    ReadDicom, Spacing,
    ::testing::Values(
        SpacingCase{"pixel_only", A2{0.2, 0.25}, std::nullopt, SpacingSource::kPixelSpacing, A2{0.2, 0.25}},
        SpacingCase{"imager_only", std::nullopt, A2{0.15, 0.15}, SpacingSource::kImagerPixelSpacing, A2{0.15, 0.15}},
        SpacingCase{"both_prefers_pixel", A2{0.14, 0.14}, A2{0.15, 0.15}, SpacingSource::kPixelSpacing, A2{0.14, 0.14}},
        SpacingCase{"zero_pixel_falls_back", A2{0.0, 0.0}, A2{0.15, 0.15}, SpacingSource::kImagerPixelSpacing,
                    A2{0.15, 0.15}},
        SpacingCase{"zero_is_unknown", A2{0.0, 0.0}, std::nullopt, SpacingSource::kUnknown, std::nullopt},
        SpacingCase{"none", std::nullopt, std::nullopt, SpacingSource::kUnknown, std::nullopt}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ReadDicom, LateralityPrefersImageLaterality) {
  auto spec = test::gradient_spec();
  spec.image_laterality = "";
  test::TempDir dir;
  const auto path = dir.file("lat.dcm");
  test::patch_dicom(encode(spec), path, [](DcmDataset& ds) { ds.putAndInsertString(DCM_Laterality, "R"); });
  EXPECT_EQ(read_radiograph_meta(path)->laterality, Side::kRight);

  spec.image_laterality = "L";
  test::patch_dicom(encode(spec), path, [](DcmDataset& ds) { ds.putAndInsertString(DCM_Laterality, "R"); });
  EXPECT_EQ(read_radiograph_meta(path)->laterality, Side::kLeft);

  spec.image_laterality = "";
  EXPECT_EQ(read_ok(encode(spec)).meta.laterality, Side::kUnknown);
}

TEST(ReadDicom, AgeStringParsing) {
  struct Case {
    const char* text;
    std::optional<double> years;
  };
  const Case cases[] = {{"067Y", 67.0}, {"005Y", 5.0}, {"006M", 0.5}, {"014W", 14 * 7 / 365.25},
                        {"030D", 30 / 365.25}, {"000Y", 0.0}, {"", std::nullopt}, {"67", std::nullopt},
                        {"0X7Y", std::nullopt}, {"067Q", std::nullopt}, {"12345Y", std::nullopt}};
  for (const auto& c : cases) {
    const auto got = dicom::parse_age_string(c.text);
    ASSERT_EQ(got.has_value(), c.years.has_value()) << c.text;
    if (c.years) {
      EXPECT_NEAR(*got, *c.years, 1e-9) << c.text;
    }
  }
}

TEST(ReadDicom, AgeFromTagElseFromBirthAndStudyDate) {
  auto spec = test::gradient_spec();
  EXPECT_DOUBLE_EQ(*read_ok(encode(spec)).meta.patient_age_years, 67.0);
  spec.patient_age = "";  // born 1955-03-10, studied 2022-04-15
  EXPECT_DOUBLE_EQ(*read_ok(encode(spec)).meta.patient_age_years, 67.0);
  spec.study_date = "20220301";
  EXPECT_DOUBLE_EQ(*read_ok(encode(spec)).meta.patient_age_years, 66.0);
  spec.patient_birth_date = "";
  EXPECT_FALSE(read_ok(encode(spec)).meta.patient_age_years.has_value());
}

TEST(ReadDicom, MetadataFields) {
  const auto spec = test::gradient_spec();
  const auto bytes = encode(spec);
  const auto m = read_ok(bytes).meta;
  EXPECT_EQ(m.format, "dicom");
  EXPECT_EQ(m.modality, "CR");
  EXPECT_EQ(m.body_part, "HIP");
  EXPECT_EQ(m.view_position, "AP");
  EXPECT_EQ(m.manufacturer, "OsteoTest");
  EXPECT_EQ(m.patient_id, "P001");
  EXPECT_EQ(m.patient_sex, "F");
  EXPECT_EQ(m.birth_date, (Date{1955, 3, 10}));
  EXPECT_EQ(m.study_date, (Date{2022, 4, 15}));
  EXPECT_EQ(m.study_time, "101500");
  EXPECT_EQ(m.study_uid, spec.study_uid);
  EXPECT_EQ(m.series_uid, spec.series_uid);
  EXPECT_EQ(m.sop_instance_uid, spec.sop_instance_uid);
  EXPECT_EQ(m.sha256, sha256_hex(bytes));
  EXPECT_EQ(m.path, "synthetic.dcm");
  EXPECT_FALSE(m.transfer_syntax_name.empty());
}

TEST(ReadDicom, HeaderOnlyEqualsFullRead) {
  test::TempDir dir;
  for (const auto ts : all_transfer_syntaxes()) {
    auto spec = test::gradient_spec(12, 10, ts == TransferSyntax::kJpegBaseline ? 8 : 12);
    spec.magnification = 1.1;
    const auto path = dir.file(std::string(transfer_syntax_short_name(ts)) + ".dcm");
    ASSERT_TRUE(write_dicom(spec, ts, path));
    auto meta = read_radiograph_meta(path);
    auto full = read_radiograph(path);
    ASSERT_TRUE(meta && full) << transfer_syntax_short_name(ts);
    EXPECT_EQ(meta_to_json(*meta), meta_to_json(full->meta)) << transfer_syntax_short_name(ts);
    auto sha = sha256_file(path);
    EXPECT_EQ(meta->sha256, *sha);
  }
}

TEST(ReadDicom, PixelFloodIsRefusedBeforeDecoding) {
  test::TempDir dir;
  const auto path = dir.file("flood.dcm");
  test::patch_dicom(encode(test::gradient_spec()), path, [](DcmDataset& ds) {
    ds.putAndInsertUint16(DCM_Rows, 60000);
    ds.putAndInsertUint16(DCM_Columns, 60000);
  });
  auto meta = read_radiograph_meta(path);
  ASSERT_FALSE(meta);
  EXPECT_EQ(meta.error().code, ErrorCode::kPixelLimit);
  auto full = read_radiograph(path);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::kPixelLimit);
  EXPECT_NE(full.error().message.find(path), std::string::npos);

  ReadLimits tight;
  tight.max_pixels = 100;
  auto small = read_radiograph_bytes(encode(test::gradient_spec()), "small.dcm", tight);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().code, ErrorCode::kPixelLimit);
}

TEST(ReadDicom, MultiFrameAndColourAreUnsupported) {
  test::TempDir dir;
  const auto path = dir.file("layout.dcm");
  test::patch_dicom(encode(test::gradient_spec()), path,
                    [](DcmDataset& ds) { ds.putAndInsertString(DCM_NumberOfFrames, "2"); });
  EXPECT_EQ(read_radiograph(path).error().code, ErrorCode::kUnsupportedImage);
  test::patch_dicom(encode(test::gradient_spec()), path, [](DcmDataset& ds) {
    ds.putAndInsertUint16(DCM_SamplesPerPixel, 3);
    ds.putAndInsertString(DCM_PhotometricInterpretation, "RGB");
  });
  EXPECT_EQ(read_radiograph_meta(path).error().code, ErrorCode::kUnsupportedImage);
}

TEST(ReadDicom, MissingPixelDataIsTyped) {
  test::TempDir dir;
  const auto path = dir.file("nopixels.dcm");
  test::patch_dicom(encode(test::gradient_spec()), path, [](DcmDataset& ds) { ds.findAndDeleteElement(DCM_PixelData); });
  EXPECT_EQ(read_radiograph_meta(path).error().code, ErrorCode::kNoPixelData);
  EXPECT_EQ(read_radiograph(path).error().code, ErrorCode::kNoPixelData);
}

// --- hostile input: every failure is a typed file error, never a crash or kInternal.

bool is_file_error(ErrorCode code) {
  switch (code) {
    case ErrorCode::kEmptyFile:
    case ErrorCode::kUnsupportedFormat:
    case ErrorCode::kUnsupportedTransferSyntax:
    case ErrorCode::kDicomParse:
    case ErrorCode::kNoPixelData:
    case ErrorCode::kDecodeFailed:
    case ErrorCode::kUnsupportedImage: return true;
    default: return false;
  }
}

TEST(ReadHostile, ZeroByteAndMissingFiles) {
  test::TempDir dir;
  const auto path = dir.file("empty.dcm");
  test::write_file(path, "");
  EXPECT_EQ(read_radiograph(path).error().code, ErrorCode::kEmptyFile);
  EXPECT_EQ(read_radiograph_meta(path).error().code, ErrorCode::kEmptyFile);
  EXPECT_EQ(read_radiograph_bytes({}, "upload").error().code, ErrorCode::kEmptyFile);
  EXPECT_EQ(read_radiograph(dir.file("absent.dcm")).error().code, ErrorCode::kFileNotFound);
  EXPECT_EQ(read_radiograph(dir.path().string()).error().code, ErrorCode::kFileNotFound);
}

TEST(ReadHostile, FileSizeLimit) {
  ReadLimits limits;
  limits.max_file_bytes = 100;
  test::TempDir dir;
  const auto path = dir.file("big.dcm");
  test::write_file(path, test::to_string(encode(test::gradient_spec())));
  EXPECT_EQ(read_radiograph(path, limits).error().code, ErrorCode::kFileTooLarge);
  EXPECT_EQ(read_radiograph_meta(path, limits).error().code, ErrorCode::kFileTooLarge);
}

class Truncation : public ::testing::TestWithParam<std::tuple<TransferSyntax, int>> {};

TEST_P(Truncation, GivesATypedError) {
  const auto [ts, percent] = GetParam();
  const auto bytes = encode(test::gradient_spec(64, 64, 12), ts);
  const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() * percent / 100));
  auto full = read_radiograph_bytes(cut, "cut.dcm");
  ASSERT_FALSE(full) << transfer_syntax_short_name(ts) << " " << percent << "%";
  EXPECT_TRUE(is_file_error(full.error().code)) << full.error().to_string();
  EXPECT_NE(full.error().message.find("cut.dcm"), std::string::npos);

  test::TempDir dir;
  const auto path = dir.file("cut.dcm");
  test::write_file(path, test::to_string(cut));
  auto meta = read_radiograph_meta(path);
  if (!meta) {
    EXPECT_TRUE(is_file_error(meta.error().code)) << meta.error().to_string();
  }
  // Native pixel data has a known size: the header-only read must notice the truncation too.
  if (ts == TransferSyntax::kExplicitLittle) {
    EXPECT_FALSE(meta) << percent << "%";
  }
}

INSTANTIATE_TEST_SUITE_P(ReadHostile, Truncation,
                         ::testing::Combine(::testing::Values(TransferSyntax::kExplicitLittle,
                                                              TransferSyntax::kJpegLsLossless,
                                                              TransferSyntax::kJpegLossless,
                                                              TransferSyntax::kDeflatedLittle, TransferSyntax::kRle),
                                            ::testing::Values(10, 50, 90)),
                         [](const auto& info) {
                           return std::string(transfer_syntax_short_name(std::get<0>(info.param))) + "_" +
                                  std::to_string(std::get<1>(info.param));
                         });

TEST(ReadHostile, RandomBytes) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<std::uint8_t> bytes(1000 + trial * 37);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    auto r = read_radiograph_bytes(bytes, "random.dcm");
    ASSERT_FALSE(r);
    EXPECT_TRUE(is_file_error(r.error().code)) << r.error().to_string();
  }
  std::vector<std::uint8_t> noise(2000, 0x5A);
  EXPECT_EQ(read_radiograph_bytes(noise, "noise.dcm").error().code, ErrorCode::kUnsupportedFormat);
  // Garbage behind a valid preamble is a DICOM parse error, not "unsupported format".
  std::memcpy(noise.data() + 128, "DICM", 4);
  auto r = read_radiograph_bytes(noise, "garbage.dcm");
  ASSERT_FALSE(r);
  EXPECT_TRUE(is_file_error(r.error().code)) << r.error().to_string();
}

TEST(ReadHostile, RandomCorruptionOfAValidFile) {
  std::mt19937 rng(7);
  const auto original = encode(test::gradient_spec(32, 32, 12), TransferSyntax::kJpegLsLossless);
  for (int trial = 0; trial < 40; ++trial) {
    auto bytes = original;
    for (int k = 0; k < 8; ++k) bytes[rng() % bytes.size()] = static_cast<std::uint8_t>(rng());
    auto r = read_radiograph_bytes(bytes, "corrupt.dcm");  // may decode; must not crash
    if (!r) {
      EXPECT_TRUE(is_file_error(r.error().code) || r.error().code == ErrorCode::kPixelLimit)
          << r.error().to_string();
    }
  }
}

// --- PNG / JPEG

std::vector<std::uint8_t> imencode(const std::string& ext, const cv::Mat& image, const std::vector<int>& params = {}) {
  std::vector<std::uint8_t> out;
  cv::imencode(ext, image, out, params);
  return out;
}

TEST(ReadRaster, Png8And16Bit) {
  cv::Mat eight(5, 7, CV_8U);
  cv::Mat sixteen(5, 7, CV_16U);
  for (int r = 0; r < 5; ++r) {
    for (int c = 0; c < 7; ++c) {
      eight.at<std::uint8_t>(r, c) = static_cast<std::uint8_t>(r * 40 + c * 5);
      sixteen.at<std::uint16_t>(r, c) = static_cast<std::uint16_t>(r * 10000 + c * 1000 + 7);
    }
  }
  auto a = read_ok(imencode(".png", eight));
  EXPECT_EQ(a.meta.format, "png");
  EXPECT_EQ(a.meta.bits_stored, 8);
  ASSERT_EQ(a.rows(), 5);
  ASSERT_EQ(a.columns(), 7);
  EXPECT_FLOAT_EQ(a.at(4, 6), (4 * 40 + 6 * 5) / 255.0f);

  auto b = read_ok(imencode(".png", sixteen));
  EXPECT_EQ(b.meta.bits_stored, 16);
  EXPECT_FLOAT_EQ(b.at(3, 2), (3 * 10000 + 2 * 1000 + 7) / 65535.0f);
  EXPECT_FALSE(b.meta.spacing_mm.has_value());
}

TEST(ReadRaster, ColourPngIsConvertedToGray) {
  cv::Mat colour(4, 4, CV_8UC3, cv::Scalar(100, 100, 100));
  auto image = read_ok(imencode(".png", colour));
  EXPECT_NEAR(image.mean(), 100 / 255.0, 1e-3);
}

TEST(ReadRaster, Jpeg) {
  cv::Mat gray(32, 48, CV_8U);
  for (int r = 0; r < gray.rows; ++r) {
    for (int c = 0; c < gray.cols; ++c) gray.at<std::uint8_t>(r, c) = static_cast<std::uint8_t>(c * 5);
  }
  auto image = read_ok(imencode(".jpg", gray, {cv::IMWRITE_JPEG_QUALITY, 100}));
  EXPECT_EQ(image.meta.format, "jpeg");
  EXPECT_EQ(image.meta.bits_stored, 8);
  EXPECT_EQ(image.rows(), 32);
  EXPECT_EQ(image.columns(), 48);
  for (int c = 0; c < 48; c += 7) EXPECT_NEAR(image.at(10, c), c * 5 / 255.0, 3 / 255.0);
}

TEST(ReadRaster, PngRenamedDcmReadsAsPng) {
  test::TempDir dir;
  const auto path = dir.file("actually_png.dcm");
  cv::Mat image(3, 3, CV_8U, cv::Scalar(51));
  test::write_file(path, test::to_string(imencode(".png", image)));
  auto r = read_radiograph(path);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->meta.format, "png");
  EXPECT_NEAR(r->mean(), 0.2, 1e-6);
  auto meta = read_radiograph_meta(path);
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta_to_json(*meta), meta_to_json(r->meta));
}

TEST(ReadRaster, PixelLimitsFromHeadersBeforeDecoding) {
  // A PNG whose IHDR claims 100000 x 100000 and whose body is missing.
  std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                   0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(read_radiograph_bytes(png, "huge.png").error().code, ErrorCode::kPixelLimit);
  // A JPEG: SOI, APP0 stub, SOF0 claiming 65000 x 65000, nothing else.
  std::vector<std::uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 8,
                                    0xFD, 0xE8, 0xFD, 0xE8, 1, 1, 0x11, 0};
  EXPECT_EQ(read_radiograph_bytes(jpeg, "huge.jpg").error().code, ErrorCode::kPixelLimit);
  // Truncated before any frame header.
  std::vector<std::uint8_t> stub = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10};
  EXPECT_EQ(read_radiograph_bytes(stub, "stub.jpg").error().code, ErrorCode::kDecodeFailed);
}

TEST(ReadRaster, TruncatedPngAndJpegAreTyped) {
  cv::Mat gray(64, 64, CV_8U);
  cv::randu(gray, 0, 255);
  for (const char* ext : {".png", ".jpg"}) {
    const auto bytes = imencode(ext, gray);
    for (int percent : {10, 50, 90}) {
      std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() * percent / 100));
      auto r = read_radiograph_bytes(cut, "cut");
      // libjpeg pads a truncated scan with grey (a warning), so a cut JPEG may decode.
      if (!r) {
        EXPECT_TRUE(is_file_error(r.error().code)) << ext << percent << r.error().to_string();
      }
      if (std::string(ext) == ".png" && percent <= 50) {
        EXPECT_FALSE(r) << percent;
      }
    }
  }
}

TEST(ReadConcurrency, ParallelReadsAgree) {
  std::vector<std::vector<std::uint8_t>> files;
  for (const auto ts : all_transfer_syntaxes()) {
    files.push_back(encode(test::gradient_spec(40, 40, ts == TransferSyntax::kJpegBaseline ? 8 : 12), ts));
  }
  std::vector<double> serial(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) serial[i] = read_ok(files[i]).mean();
  std::vector<double> parallel(files.size() * 4);
  parallel_for(parallel.size(), 4, [&](std::size_t i) { parallel[i] = read_ok(files[i % files.size()]).mean(); });
  for (std::size_t i = 0; i < parallel.size(); ++i) EXPECT_EQ(parallel[i], serial[i % files.size()]);
}

}  // namespace
}  // namespace osteo
