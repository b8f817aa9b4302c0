// The DICOM writer: every transfer syntax round-trips through the reader (lossless ones to the
// exact expected window mapping), output is deterministic, and bad specs are refused.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "dicom/dicom_test_util.h"
#include "osteo/dicom/writer.h"
#include "osteo/image/read.h"

namespace osteo {
namespace {

bool is_lossy(TransferSyntax ts) {
  return ts == TransferSyntax::kJpegBaseline || ts == TransferSyntax::kJpegExtended ||
         ts == TransferSyntax::kJpegLsNearLossless;
}

int bits_for(TransferSyntax ts) {
  if (ts == TransferSyntax::kJpegBaseline) return 8;
  return 12;
}

class EveryTransferSyntax : public ::testing::TestWithParam<TransferSyntax> {};

TEST_P(EveryTransferSyntax, RoundTripsToTheExpectedWindowMapping) {
  const TransferSyntax ts = GetParam();
  const auto spec = test::gradient_spec(20, 24, bits_for(ts));
  auto bytes = encode_dicom(spec, ts);
  ASSERT_TRUE(bytes) << bytes.error().to_string();

  auto image = read_radiograph_bytes(*bytes, "synthetic.dcm");
  ASSERT_TRUE(image) << image.error().to_string();
  EXPECT_EQ(image->meta.transfer_syntax, transfer_syntax_uid(ts));
  EXPECT_EQ(image->meta.rows, spec.rows);
  EXPECT_EQ(image->meta.columns, spec.columns);
  EXPECT_EQ(image->meta.bits_stored, spec.bits_stored);
  EXPECT_EQ(image->meta.sop_instance_uid, spec.sop_instance_uid);  // lossy must not mint a new UID
  ASSERT_EQ(image->pixels.size(), spec.pixels.size());

  double worst = 0.0;
  double sum_error = 0.0;
  for (std::size_t i = 0; i < spec.pixels.size(); ++i) {
    const double expected = test::window_linear(spec.pixels[i], *spec.window_center, *spec.window_width);
    const double error = std::abs(image->pixels[i] - expected);
    worst = std::max(worst, error);
    sum_error += error;
  }
  if (is_lossy(ts)) {
    EXPECT_LT(sum_error / spec.pixels.size(), 0.02) << transfer_syntax_short_name(ts);
  } else {
    // Only the 16-bit output quantisation separates DCMTK's rendering from the formula.
    EXPECT_LT(worst, 2.0 / 65535.0) << transfer_syntax_short_name(ts);
  }
}

TEST_P(EveryTransferSyntax, IsDeterministic) {
  const auto spec = test::gradient_spec(16, 16, bits_for(GetParam()));
  auto a = encode_dicom(spec, GetParam());
  auto b = encode_dicom(spec, GetParam());
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size(), b->size()) << transfer_syntax_short_name(GetParam());
  const auto diff = std::mismatch(a->begin(), a->end(), b->begin());
  EXPECT_TRUE(diff.first == a->end()) << transfer_syntax_short_name(GetParam()) << ": first difference at byte "
                                      << (diff.first - a->begin()) << " of " << a->size()
                                      << " tail " << ::testing::PrintToString(std::vector<int>(a->end() - 16, a->end()))
                                      << " vs " << ::testing::PrintToString(std::vector<int>(b->end() - 16, b->end()));
}

INSTANTIATE_TEST_SUITE_P(Writer, EveryTransferSyntax, ::testing::ValuesIn(all_transfer_syntaxes()),
                         [](const auto& info) { return std::string(transfer_syntax_short_name(info.param)); });

TEST(Writer, LosslessSyntaxesDecodeToIdenticalPixels) {
  const auto spec = test::gradient_spec(20, 24, 12);
  auto reference = read_radiograph_bytes(*encode_dicom(spec, TransferSyntax::kExplicitLittle), "ref.dcm");
  ASSERT_TRUE(reference);
  for (const auto ts : all_transfer_syntaxes()) {
    if (is_lossy(ts) || ts == TransferSyntax::kJpegBaseline) continue;
    auto image = read_radiograph_bytes(*encode_dicom(spec, ts), "x.dcm");
    ASSERT_TRUE(image) << transfer_syntax_short_name(ts);
    EXPECT_EQ(image->pixels, reference->pixels) << transfer_syntax_short_name(ts);
  }
}

TEST(Writer, SixteenBitLosslessRoundTrip) {
  auto spec = test::gradient_spec(8, 8, 16);
  for (const auto ts : {TransferSyntax::kJpegLossless, TransferSyntax::kJpegLsLossless, TransferSyntax::kRle,
                        TransferSyntax::kExplicitBig}) {
    auto image = read_radiograph_bytes(*encode_dicom(spec, ts), "x16.dcm");
    ASSERT_TRUE(image) << transfer_syntax_short_name(ts) << ": " << image.error().to_string();
    for (std::size_t i = 0; i < spec.pixels.size(); ++i) {
      ASSERT_NEAR(image->pixels[i], test::window_linear(spec.pixels[i], *spec.window_center, *spec.window_width),
                  2.0 / 65535.0)
          << transfer_syntax_short_name(ts) << " pixel " << i;
    }
  }
}

TEST(Writer, FileMetaAndSopClass) {
  auto spec = test::gradient_spec();
  auto cr = encode_dicom(spec, TransferSyntax::kExplicitLittle);
  ASSERT_TRUE(cr);
  ASSERT_GT(cr->size(), 132u);
  EXPECT_EQ(std::memcmp(cr->data() + 128, "DICM", 4), 0);
  const std::string text = test::to_string(*cr);
  EXPECT_NE(text.find("1.2.840.10008.5.1.4.1.1.1"), std::string::npos);  // CR Image Storage

  spec.modality = "DX";
  auto dx = encode_dicom(spec, TransferSyntax::kExplicitLittle);
  ASSERT_TRUE(dx);
  EXPECT_NE(test::to_string(*dx).find("1.2.840.10008.5.1.4.1.1.1.1"), std::string::npos);  // DX For Presentation
}

TEST(Writer, EmptyUidsAreDerivedDeterministically) {
  auto spec = test::gradient_spec();
  spec.study_uid.clear();
  spec.series_uid.clear();
  spec.sop_instance_uid.clear();
  auto a = encode_dicom(spec, TransferSyntax::kExplicitLittle);
  auto b = encode_dicom(spec, TransferSyntax::kExplicitLittle);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  auto image = read_radiograph_bytes(*a, "derived.dcm");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->meta.sop_instance_uid.rfind("2.25.", 0), 0u) << image->meta.sop_instance_uid;
  EXPECT_LE(image->meta.sop_instance_uid.size(), 64u);
  EXPECT_NE(image->meta.sop_instance_uid, image->meta.study_uid);
}

TEST(Writer, LegacyFileHasNoPreambleAndReadsBack) {
  auto spec = test::gradient_spec();
  spec.with_file_meta = false;
  auto bytes = encode_dicom(spec, TransferSyntax::kImplicitLittle);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(test::to_string(*bytes).find("DICM"), std::string::npos);
  EXPECT_EQ((*bytes)[0], 0x08);  // starts with group 0008
  auto image = read_radiograph_bytes(*bytes, "legacy.dcm");
  ASSERT_TRUE(image) << image.error().to_string();
  EXPECT_EQ(image->meta.transfer_syntax, "1.2.840.10008.1.2");
  EXPECT_EQ(image->meta.patient_id, "P001");

  auto with_meta = read_radiograph_bytes(*encode_dicom(test::gradient_spec(), TransferSyntax::kImplicitLittle), "m.dcm");
  ASSERT_TRUE(with_meta);
  EXPECT_EQ(image->pixels, with_meta->pixels);
}

TEST(Writer, LegacyFileMustBeImplicit) {
  auto spec = test::gradient_spec();
  spec.with_file_meta = false;
  auto r = encode_dicom(spec, TransferSyntax::kExplicitLittle);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

struct BadSpecCase {
  const char* name;
  std::function<void(DicomImageSpec&)> edit;
  TransferSyntax ts;
};

TEST(Writer, RefusesInconsistentSpecs) {
  const BadSpecCase cases[] = {
      {"pixel count", [](DicomImageSpec& s) { s.pixels.pop_back(); }, TransferSyntax::kExplicitLittle},
      {"zero rows", [](DicomImageSpec& s) { s.rows = 0; }, TransferSyntax::kExplicitLittle},
      {"12-bit baseline", [](DicomImageSpec&) {}, TransferSyntax::kJpegBaseline},
      {"16-bit extended", [](DicomImageSpec& s) { s.bits_stored = 16; }, TransferSyntax::kJpegExtended},
      {"value too big", [](DicomImageSpec& s) { s.pixels[0] = 4096; }, TransferSyntax::kExplicitLittle},
      {"photometric", [](DicomImageSpec& s) { s.photometric = "RGB"; }, TransferSyntax::kExplicitLittle},
      {"modality", [](DicomImageSpec& s) { s.modality = "CT"; }, TransferSyntax::kExplicitLittle},
  };
  for (const auto& c : cases) {
    auto spec = test::gradient_spec();
    c.edit(spec);
    auto r = encode_dicom(spec, c.ts);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
  }
}

TEST(Writer, WriteIsAtomicAndLeavesNoTemporaryFile) {
  test::TempDir dir;
  const auto path = dir.file("out.dcm");
  ASSERT_TRUE(write_dicom(test::gradient_spec(), TransferSyntax::kJpegLsLossless, path));
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);
  auto image = read_radiograph(path);
  ASSERT_TRUE(image) << image.error().to_string();

  auto bad = write_dicom(test::gradient_spec(), TransferSyntax::kExplicitLittle, dir.file("missing/dir/x.dcm"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kIoError);
}

TEST(Writer, NamesAndUids) {
  EXPECT_EQ(all_transfer_syntaxes().size(), 10u);
  EXPECT_STREQ(transfer_syntax_uid(TransferSyntax::kJpegLossless), "1.2.840.10008.1.2.4.70");
  EXPECT_STREQ(transfer_syntax_short_name(TransferSyntax::kDeflatedLittle), "deflate");
}

}  // namespace
}  // namespace osteo
