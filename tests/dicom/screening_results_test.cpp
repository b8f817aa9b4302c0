// The screening result objects: a TID 1500 SR and a heat-map Secondary Capture derived from a
// source film. Checked with the real DICOM tools (dsrdump from DCMTK, dciodvfy from dicom3tools)
// and by loading them back with DCMTK.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "dicom/dicom_test_util.h"
#include "osteo/dicom/screening_results.h"

namespace osteo {
namespace {

using dicom::DicomSourceRef;
using dicom::ScreeningFinding;

constexpr const char* kSrSopClass = "1.2.840.10008.5.1.4.1.1.88.22";  // Enhanced SR
constexpr const char* kScSopClass = "1.2.840.10008.5.1.4.1.1.7";     // Secondary Capture Image
// "Müller^Jörg" in ISO 8859-1 and in UTF-8.
const std::string kLatin1Name = "M\xFCller^J\xF6rg";
const std::string kUtf8Name = "M\xC3\xBCller^J\xC3\xB6rg";

/// Full path of an executable found on PATH, or "" when absent.
std::string find_tool(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// A CR film with every attribute the derived objects copy, Latin-1 patient name included.
std::string source_film(const test::TempDir& dir, bool with_file_meta = true) {
  auto spec = test::gradient_spec(20, 24, 12);
  spec.with_file_meta = with_file_meta;
  const auto ts = with_file_meta ? TransferSyntax::kExplicitLittle : TransferSyntax::kImplicitLittle;
  auto bytes = encode_dicom(spec, ts);
  if (!bytes) throw std::runtime_error(bytes.error().to_string());
  if (!with_file_meta) return test::to_string(*bytes);
  const std::string path = dir.file("source.dcm");
  test::patch_dicom(*bytes, path, [](DcmDataset& ds) {
    ds.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 100");
    ds.putAndInsertString(DCM_PatientName, kLatin1Name.c_str());
    ds.putAndInsertString(DCM_StudyID, "S17");
    ds.putAndInsertString(DCM_ReferringPhysicianName, "Who^Doctor");
    ds.putAndInsertString(DCM_StudyDescription, "Pelvis AP");
    ds.putAndInsertString(DCM_TimezoneOffsetFromUTC, "-0500");
  });
  return test::read_file(path);
}

ScreeningFinding sample_finding() {
  ScreeningFinding f;
  f.category = "osteopenia";
  f.p_osteoporosis = 0.4375;
  f.t_score = -1.85;
  f.t_score_low = -2.6;
  f.t_score_high = -1.1;
  f.indeterminate = false;
  f.recommendation = "Consider a DXA scan of the hip to confirm.";
  f.algorithm_name = "OsteoScreen resnet18";
  f.algorithm_version = "0.1.0 / sha256:0123abcd";
  f.screening_id = "scr-42";
  f.content_datetime = "20261204231500";
  return f;
}

/// A deterministic colourful image, so a channel swap or row flip would show.
std::string sample_rgb(int width, int height) {
  std::string rgb(static_cast<std::size_t>(width) * height * 3, '\0');
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 3;
      rgb[i] = static_cast<char>(x * 10);
      rgb[i + 1] = static_cast<char>(y * 7);
      rgb[i + 2] = static_cast<char>(255 - x - y);
    }
  }
  return rgb;
}

std::string tag(DcmItem& item, const DcmTagKey& key) {
  OFString value;
  item.findAndGetOFStringArray(key, value);
  return value.c_str();
}

/// Runs dciodvfy and returns its "Error" lines (printing the warnings, which are allowed).
std::vector<std::string> dciodvfy_errors(const std::string& tool, const std::string& path) {
  const auto result = test::run_command(tool, {path});
  std::vector<std::string> errors;
  std::stringstream lines(result.out + "\n" + result.err);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("Error", 0) == 0) errors.push_back(line);
    if (line.rfind("Warning", 0) == 0) std::cout << "[dciodvfy " << path << "] " << line << "\n";
  }
  return errors;
}

class ScreeningResults : public ::testing::Test {
 protected:
  void SetUp() override {
    film_ = source_film(dir_);
    auto ref = dicom::read_dicom_source_ref(film_, "source.dcm");
    ASSERT_TRUE(ref) << ref.error().to_string();
    ref_ = *ref;
  }

  std::string write(const std::string& name, const Result<std::string>& bytes) {
    EXPECT_TRUE(bytes) << bytes.error().to_string();
    const std::string path = dir_.file(name);
    test::write_file(path, bytes ? *bytes : std::string());
    // With OSTEO_DUMP_DIR set, keep a copy to look at (dsrdump, dciodvfy, a viewer).
    if (const char* dump = std::getenv("OSTEO_DUMP_DIR"); dump && bytes) test::write_file(std::string(dump) + "/" + name, *bytes);
    return path;
  }

  test::TempDir dir_;
  std::string film_;
  DicomSourceRef ref_;
};

TEST_F(ScreeningResults, ReadsTheReferenceAsUtf8) {
  const nlohmann::json expected = {{"sop_class_uid", UID_ComputedRadiographyImageStorage},
                                   {"sop_instance_uid", "1.2.826.0.1.3680043.10.1.1.2.3"},
                                   {"study_instance_uid", "1.2.826.0.1.3680043.10.1.1"},
                                   {"series_instance_uid", "1.2.826.0.1.3680043.10.1.1.2"},
                                   {"patient_id", "P001"},
                                   {"patient_name", kUtf8Name},  // converted from ISO_IR 100
                                   {"patient_birth_date", "19550310"},
                                   {"patient_sex", "F"},
                                   {"study_date", "20220415"},
                                   {"study_time", "101500"},
                                   {"study_id", "S17"},
                                   {"accession_number", "ACC1"},
                                   {"referring_physician_name", "Who^Doctor"},
                                   {"study_description", "Pelvis AP"},
                                   {"modality", "CR"},
                                   {"laterality", "L"},
                                   {"timezone_offset", "-0500"}};
  EXPECT_EQ(ref_.to_json(), expected);
  EXPECT_EQ(ref_.patient_name, kUtf8Name);
  EXPECT_EQ(ref_.laterality, "L");
}

TEST_F(ScreeningResults, ReadsLegacyFilesWithoutPreamble) {
  const std::string legacy = source_film(dir_, /*with_file_meta=*/false);
  ASSERT_NE(legacy.substr(128, 4), "DICM");
  auto ref = dicom::read_dicom_source_ref(legacy, "legacy.dcm");
  ASSERT_TRUE(ref) << ref.error().to_string();
  EXPECT_EQ(ref->sop_instance_uid, "1.2.826.0.1.3680043.10.1.1.2.3");
  EXPECT_EQ(ref->patient_id, "P001");
}

TEST_F(ScreeningResults, UnconvertibleTextBecomesValidUtf8) {
  // An unknown character set leaves the bytes unconverted; what is not UTF-8 is masked so the
  // reference still serialises as JSON.
  const std::string path = dir_.file("odd_charset.dcm");
  test::patch_dicom(test::to_bytes(film_), path, [](DcmDataset& ds) {
    ds.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 999");
    ds.putAndInsertString(DCM_PatientName, "A\xFF\xC0\xAF\xED\xA0\x80" "B");
  });
  auto ref = dicom::read_dicom_source_ref(test::read_file(path), "odd_charset.dcm");
  ASSERT_TRUE(ref) << ref.error().to_string();
  EXPECT_EQ(ref->patient_name, "A??????B");
  EXPECT_NO_THROW((void)ref->to_json().dump());
}

TEST_F(ScreeningResults, ReferenceRoundTripsThroughJson) {
  const auto json = ref_.to_json();
  auto back = DicomSourceRef::from_json(nlohmann::json::parse(json.dump()));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->to_json(), json);
  EXPECT_EQ(back->patient_name, kUtf8Name);

  auto missing = json;
  missing.erase("sop_instance_uid");
  auto refused = DicomSourceRef::from_json(missing);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("sop_instance_uid"), std::string::npos);

  auto wrong_type = json;
  wrong_type["patient_id"] = 17;
  ASSERT_FALSE(DicomSourceRef::from_json(wrong_type));
  ASSERT_FALSE(DicomSourceRef::from_json(nlohmann::json::array()));
}

TEST_F(ScreeningResults, SrDumpsWithTheResult) {
  const auto dsrdump = find_tool("dsrdump");
  if (dsrdump.empty()) GTEST_SKIP() << "dsrdump (package dcmtk) is not on PATH";
  const auto path = write("sr.dcm", dicom::make_screening_sr(ref_, sample_finding()));
  const auto dump = test::run_command(dsrdump, {"+Pu", "+Pc", "+Pl", path});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  for (const char* expected :
       {"Imaging Measurement Report", "Osteopenia", "312894000", "0.4375", "-1.85", "-2.6", "-1.1", "{T-score}",
        "OsteoScreen resnet18", "0.1.0 / sha256:0123abcd", "Algorithm Name", "Algorithm Version",
        "1.2.826.0.1.3680043.10.1.1.2.3", "Consider a DXA scan of the hip to confirm.", "Result indeterminate",
        "scr-42", "Not for diagnostic use"}) {
    EXPECT_NE(dump.out.find(expected), std::string::npos) << "missing '" << expected << "' in\n" << dump.out;
  }
  EXPECT_EQ(dump.err.find("E:"), std::string::npos) << dump.err;
}

TEST_F(ScreeningResults, IndeterminateAndCategoryAreCoded) {
  const auto dsrdump = find_tool("dsrdump");
  if (dsrdump.empty()) GTEST_SKIP() << "dsrdump (package dcmtk) is not on PATH";
  auto finding = sample_finding();
  finding.category = "osteoporosis";
  finding.indeterminate = true;
  const auto path = write("sr_indeterminate.dcm", dicom::make_screening_sr(ref_, finding));
  const auto dump = test::run_command(dsrdump, {"+Pc", path});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_NE(dump.out.find("(64859006,SCT,\"Osteoporosis\")"), std::string::npos) << dump.out;
  EXPECT_NE(dump.out.find("(373066001,SCT,\"Yes\")"), std::string::npos) << dump.out;
  EXPECT_EQ(dump.out.find("Osteopenia"), std::string::npos) << dump.out;
}

TEST_F(ScreeningResults, BothObjectsPassDciodvfy) {
  const auto dciodvfy = find_tool("dciodvfy");
  if (dciodvfy.empty()) GTEST_SKIP() << "dciodvfy (package dicom3tools) is not on PATH: IOD validation skipped";
  const auto sr = write("sr.dcm", dicom::make_screening_sr(ref_, sample_finding()));
  const auto sc = write("sc.dcm", dicom::make_heatmap_sc(ref_, sample_finding(), 16, 12, sample_rgb(16, 12)));
  for (const auto& path : {sr, sc}) {
    const auto errors = dciodvfy_errors(dciodvfy, path);
    EXPECT_TRUE(errors.empty()) << path << ":\n" << ::testing::PrintToString(errors);
  }
}

TEST_F(ScreeningResults, DerivedObjectsJoinTheSourceStudyInNewSeries) {
  const int width = 16, height = 12;
  const std::string rgb = sample_rgb(width, height);
  const auto sr_path = write("sr.dcm", dicom::make_screening_sr(ref_, sample_finding()));
  const auto sc_path = write("sc.dcm", dicom::make_heatmap_sc(ref_, sample_finding(), width, height, rgb));

  DcmFileFormat sr_file, sc_file;
  ASSERT_TRUE(sr_file.loadFile(sr_path.c_str()).good());
  ASSERT_TRUE(sc_file.loadFile(sc_path.c_str()).good());
  DcmDataset& sr = *sr_file.getDataset();
  DcmDataset& sc = *sc_file.getDataset();
  EXPECT_EQ(sr.getOriginalXfer(), EXS_LittleEndianExplicit);
  EXPECT_EQ(sc.getOriginalXfer(), EXS_LittleEndianExplicit);
  EXPECT_EQ(tag(sr, DCM_SOPClassUID), kSrSopClass);
  EXPECT_EQ(tag(sc, DCM_SOPClassUID), kScSopClass);
  EXPECT_EQ(tag(sr, DCM_Modality), "SR");
  EXPECT_EQ(tag(sc, DCM_Modality), "OT");

  for (DcmDataset* ds : {&sr, &sc}) {
    EXPECT_EQ(tag(*ds, DCM_StudyInstanceUID), ref_.study_instance_uid);
    EXPECT_EQ(tag(*ds, DCM_PatientID), ref_.patient_id);
    EXPECT_EQ(tag(*ds, DCM_PatientBirthDate), ref_.patient_birth_date);
    EXPECT_EQ(tag(*ds, DCM_AccessionNumber), ref_.accession_number);
    EXPECT_EQ(tag(*ds, DCM_StudyID), "S17");
    EXPECT_EQ(tag(*ds, DCM_SpecificCharacterSet), "ISO_IR 192");
    EXPECT_EQ(tag(*ds, DCM_PatientName), kUtf8Name);
    EXPECT_EQ(tag(*ds, DCM_Manufacturer), "OsteoScreen");
    EXPECT_NE(lower(tag(*ds, DCM_SeriesDescription)).find("not for diagnostic use"), std::string::npos);
    const std::string series = tag(*ds, DCM_SeriesInstanceUID), sop = tag(*ds, DCM_SOPInstanceUID);
    EXPECT_FALSE(series.empty());
    EXPECT_NE(series, ref_.series_instance_uid);
    EXPECT_FALSE(sop.empty());
    EXPECT_NE(sop, ref_.sop_instance_uid);
    OFString meta_sop;
    EXPECT_TRUE((ds == &sr ? sr_file : sc_file).getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPInstanceUID, meta_sop).good());
    EXPECT_EQ(meta_sop.c_str(), sop);
  }
  EXPECT_NE(tag(sr, DCM_SeriesInstanceUID), tag(sc, DCM_SeriesInstanceUID));

  // The SR lists the film as evidence.
  DcmItem* evidence = nullptr;
  ASSERT_TRUE(sr.findAndGetSequenceItem(DCM_CurrentRequestedProcedureEvidenceSequence, evidence).good());
  DcmItem* series_item = nullptr;
  ASSERT_TRUE(evidence->findAndGetSequenceItem(DCM_ReferencedSeriesSequence, series_item).good());
  EXPECT_EQ(tag(*series_item, DCM_SeriesInstanceUID), ref_.series_instance_uid);
  DcmItem* sop_item = nullptr;
  ASSERT_TRUE(series_item->findAndGetSequenceItem(DCM_ReferencedSOPSequence, sop_item).good());
  EXPECT_EQ(tag(*sop_item, DCM_ReferencedSOPInstanceUID), ref_.sop_instance_uid);
  EXPECT_EQ(tag(sr, DCM_CompletionFlag), "COMPLETE");

  // The SC: the pixels as given, RGB interleaved, derived from the film.
  Uint16 rows = 0, columns = 0, samples = 0, planar = 9, bits = 0;
  EXPECT_TRUE(sc.findAndGetUint16(DCM_Rows, rows).good());
  EXPECT_TRUE(sc.findAndGetUint16(DCM_Columns, columns).good());
  EXPECT_TRUE(sc.findAndGetUint16(DCM_SamplesPerPixel, samples).good());
  EXPECT_TRUE(sc.findAndGetUint16(DCM_PlanarConfiguration, planar).good());
  EXPECT_TRUE(sc.findAndGetUint16(DCM_BitsAllocated, bits).good());
  EXPECT_EQ(rows, height);
  EXPECT_EQ(columns, width);
  EXPECT_EQ(samples, 3);
  EXPECT_EQ(planar, 0);
  EXPECT_EQ(bits, 8);
  EXPECT_EQ(tag(sc, DCM_PhotometricInterpretation), "RGB");
  const Uint8* pixels = nullptr;
  unsigned long count = 0;
  ASSERT_TRUE(sc.findAndGetUint8Array(DCM_PixelData, pixels, &count).good());
  ASSERT_EQ(count, rgb.size());
  EXPECT_TRUE(std::equal(rgb.begin(), rgb.end(), reinterpret_cast<const char*>(pixels)));
  EXPECT_EQ(tag(sc, DCM_Laterality), "L");
  EXPECT_EQ(tag(sc, DCM_ConversionType), "WSD");
  EXPECT_EQ(tag(sc, DCM_BurnedInAnnotation), "YES");
  EXPECT_EQ(tag(sc, DCM_ImageType), "DERIVED\\SECONDARY");
  EXPECT_FALSE(tag(sc, DCM_DerivationDescription).empty());
  EXPECT_NE(tag(sc, DCM_ImageComments).find("scr-42"), std::string::npos);
  DcmItem* source = nullptr;
  ASSERT_TRUE(sc.findAndGetSequenceItem(DCM_SourceImageSequence, source).good());
  EXPECT_EQ(tag(*source, DCM_ReferencedSOPClassUID), ref_.sop_class_uid);
  EXPECT_EQ(tag(*source, DCM_ReferencedSOPInstanceUID), ref_.sop_instance_uid);
}

/// Content date/time and timezone offset of a derived object.
std::vector<std::string> stamps(const std::string& path) {
  DcmFileFormat f;
  if (f.loadFile(path.c_str()).bad()) return {"unreadable " + path};
  DcmDataset& ds = *f.getDataset();
  return {tag(ds, DCM_ContentDate), tag(ds, DCM_ContentTime),
          ds.tagExists(DCM_TimezoneOffsetFromUTC) ? tag(ds, DCM_TimezoneOffsetFromUTC) : "(absent)"};
}

TEST_F(ScreeningResults, DateTimesFollowTheFilmsTimeZone) {
  // The screening ran at 2026-12-04 23:15:00 UTC.
  auto check = [&](const std::string& offset, const std::vector<std::string>& expected) {
    auto ref = ref_;
    ref.timezone_offset = offset;
    const auto sr = write("tz_sr.dcm", dicom::make_screening_sr(ref, sample_finding()));
    const auto sc = write("tz_sc.dcm", dicom::make_heatmap_sc(ref, sample_finding(), 2, 2, sample_rgb(2, 2)));
    EXPECT_EQ(stamps(sr), expected) << "offset '" << offset << "'";
    EXPECT_EQ(stamps(sc), expected) << "offset '" << offset << "'";
  };
  check("-0500", {"20261204", "181500", "-0500"});   // the film's (as read from it)
  check("+0100", {"20261205", "001500", "+0100"});   // across midnight
  check("", {"20261204", "231500", "(absent)"});      // unknown zone: UTC, no offset declared
  check("+25:00", {"20261204", "231500", "(absent)"});  // malformed offsets count as unknown
}

TEST_F(ScreeningResults, EveryCallMintsNewInstances) {
  auto a = dicom::make_screening_sr(ref_, sample_finding());
  auto b = dicom::make_screening_sr(ref_, sample_finding());
  ASSERT_TRUE(a && b);
  auto uid_of = [&](const std::string& bytes, const char* name) {
    test::write_file(dir_.file(name), bytes);
    DcmFileFormat f;
    f.loadFile(dir_.file(name).c_str());
    return tag(*f.getDataset(), DCM_SOPInstanceUID);
  };
  EXPECT_NE(uid_of(*a, "a.dcm"), uid_of(*b, "b.dcm"));
}

TEST_F(ScreeningResults, WorkerThreadsBuildReportsConcurrently) {
  // The service builds results on a worker pool; DCMTK's lazily filled code lists must not race.
  std::vector<std::thread> workers;
  std::vector<std::string> failures(4);
  for (std::size_t w = 0; w < failures.size(); ++w) {
    workers.emplace_back([&, w] {
      for (int i = 0; i < 5; ++i) {
        auto sr = dicom::make_screening_sr(ref_, sample_finding());
        auto sc = dicom::make_heatmap_sc(ref_, sample_finding(), 8, 8, sample_rgb(8, 8));
        if (!sr || !sc) failures[w] = (sr ? sc.error() : sr.error()).to_string();
      }
    });
  }
  for (auto& t : workers) t.join();
  for (const auto& f : failures) EXPECT_EQ(f, "");
}

TEST_F(ScreeningResults, LongNamesAreCutToTheLoLimitOnACharacterBoundary) {
  auto finding = sample_finding();
  finding.algorithm_name = std::string(63, 'a') + "\xC3\xA9 model";  // 'é' straddles byte 64
  const auto path = write("long.dcm", dicom::make_heatmap_sc(ref_, finding, 2, 2, sample_rgb(2, 2)));
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(path.c_str()).good());
  EXPECT_EQ(tag(*f.getDataset(), DCM_ManufacturerModelName), std::string(63, 'a'));
}

TEST_F(ScreeningResults, AsciiSourceStaysInTheDefaultCharacterSet) {
  auto ref = ref_;
  ref.patient_name = "Doe^Jane";
  const auto path = write("ascii.dcm", dicom::make_heatmap_sc(ref, sample_finding(), 2, 2, sample_rgb(2, 2)));
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(path.c_str()).good());
  EXPECT_FALSE(f.getDataset()->tagExists(DCM_SpecificCharacterSet));
  EXPECT_EQ(tag(*f.getDataset(), DCM_PatientName), "Doe^Jane");
}

TEST_F(ScreeningResults, RefusesWhatIsNotDicom) {
  auto empty = dicom::read_dicom_source_ref("", "empty.dcm");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kEmptyFile);
  EXPECT_NE(empty.error().message.find("empty.dcm"), std::string::npos);

  auto text = dicom::read_dicom_source_ref(std::string(400, 'x') + "hello, not a radiograph", "notes.txt");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::kUnsupportedFormat);
  EXPECT_NE(text.error().message.find("notes.txt"), std::string::npos);

  // Inside the file meta header, and in the middle of the Study Instance UID value.
  const std::string study_tag("\x20\x00\x0D\x00", 4);
  const auto study_at = film_.find(study_tag, 132);
  ASSERT_NE(study_at, std::string::npos);
  for (const std::size_t cut : {std::size_t{200}, study_at + 12}) {
    auto truncated = dicom::read_dicom_source_ref(film_.substr(0, cut), "cut.dcm");
    ASSERT_FALSE(truncated) << "cut at " << cut;
    EXPECT_EQ(truncated.error().code, ErrorCode::kDicomParse) << truncated.error().to_string();
    EXPECT_NE(truncated.error().message.find("cut.dcm"), std::string::npos);
  }

  // A well-formed dataset without a SOP Instance UID is no instance to refer to.
  const std::string path = dir_.file("no_sop.dcm");
  test::patch_dicom(test::to_bytes(film_), path, [](DcmDataset& ds) { ds.findAndDeleteElement(DCM_SOPInstanceUID); });
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(path.c_str()).good());
  f.getMetaInfo()->findAndDeleteElement(DCM_MediaStorageSOPInstanceUID);
  ASSERT_TRUE(f.saveFile(path.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0,
                         EWM_dontUpdateMeta)
                  .good());
  auto no_sop = dicom::read_dicom_source_ref(test::read_file(path), "no_sop.dcm");
  ASSERT_FALSE(no_sop);
  EXPECT_EQ(no_sop.error().code, ErrorCode::kDicomParse);
  EXPECT_NE(no_sop.error().message.find("SOPInstanceUID (0008,0018)"), std::string::npos) << no_sop.error().message;
}

TEST_F(ScreeningResults, RefusesBadFindingsAndPixels) {
  auto expect_invalid = [](const Result<std::string>& r, const std::string& words) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << r.error().to_string();
    EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
  };
  const auto rgb = sample_rgb(4, 3);
  expect_invalid(dicom::make_heatmap_sc(ref_, sample_finding(), 4, 3, rgb.substr(1)), "needs 36 RGB bytes, got 35");
  expect_invalid(dicom::make_heatmap_sc(ref_, sample_finding(), 0, 0, ""), "0x0");
  expect_invalid(dicom::make_heatmap_sc(ref_, sample_finding(), 3, 4, rgb + "x"), "got 37");

  auto f = sample_finding();
  f.category = "severe";
  expect_invalid(dicom::make_screening_sr(ref_, f), "unknown category 'severe'");
  expect_invalid(dicom::make_heatmap_sc(ref_, f, 4, 3, rgb), "unknown category 'severe'");
  f = sample_finding();
  f.p_osteoporosis = 1.5;
  expect_invalid(dicom::make_screening_sr(ref_, f), "outside 0..1");
  f = sample_finding();
  f.t_score_low = 0.5;
  expect_invalid(dicom::make_screening_sr(ref_, f), "inverted T-score interval");
  f = sample_finding();
  f.algorithm_version = "";
  expect_invalid(dicom::make_screening_sr(ref_, f), "algorithm name or version");
  f = sample_finding();
  f.content_datetime = "2026-12-04";
  expect_invalid(dicom::make_screening_sr(ref_, f), "YYYYMMDDHHMMSS");
  f.content_datetime = "20261304231500";  // month 13
  expect_invalid(dicom::make_heatmap_sc(ref_, f, 4, 3, rgb), "YYYYMMDDHHMMSS");
  auto ref = ref_;
  ref.study_instance_uid.clear();
  expect_invalid(dicom::make_screening_sr(ref, sample_finding()), "study_instance_uid");
}

TEST_F(ScreeningResults, RealFilmGivesValidObjects) {
  OSTEO_REQUIRE_SHARED_DATA(data);
  const std::string film = test::read_file((data / "dicom" / "RG2_JPLL.dcm").string());
  auto ref = dicom::read_dicom_source_ref(film, "RG2_JPLL.dcm");
  ASSERT_TRUE(ref) << ref.error().to_string();
  EXPECT_FALSE(ref->sop_instance_uid.empty());
  EXPECT_FALSE(ref->study_instance_uid.empty());
  const auto sr = write("real_sr.dcm", dicom::make_screening_sr(*ref, sample_finding()));
  const auto sc = write("real_sc.dcm", dicom::make_heatmap_sc(*ref, sample_finding(), 64, 48, sample_rgb(64, 48)));
  const auto dciodvfy = find_tool("dciodvfy");
  if (dciodvfy.empty()) GTEST_SKIP() << "dciodvfy (package dicom3tools) is not on PATH: IOD validation skipped";
  for (const auto& path : {sr, sc}) {
    const auto errors = dciodvfy_errors(dciodvfy, path);
    EXPECT_TRUE(errors.empty()) << path << ":\n" << ::testing::PrintToString(errors);
  }
}

}  // namespace
}  // namespace osteo
