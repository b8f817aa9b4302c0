#include "osteo/dicom/screening_results.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmsr/cmr/init.h>
#include <dcmtk/dcmsr/cmr/tid1500.h>
#include <dcmtk/dcmsr/cmr/tid4019.h>
#include <dcmtk/dcmsr/codes/dcm.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <optional>
#include <vector>

#include "osteo/core/date.h"
#include "osteo/dicom/codecs.h"
#include "osteo/dicom/dcmtk_io.h"
#include "osteo/image/format_sniff.h"

namespace osteo::dicom {
namespace {

// ---------------------------------------------------------------------------------------------
// Coding choices. Where DICOM/SNOMED has a fitting concept we use it; the model outputs that
// have none (a probability of osteoporosis from a radiograph, a T-score estimated from a
// radiograph rather than measured by DXA) get codes of a private scheme "99OSTEO", declared in
// the SR's Coding Scheme Identification Sequence, so no reader mistakes them for DXA results.
//   finding (TID 1501 "Finding", DCM 121071): SNOMED CT
//     normal       -> SCT 17621005  "Normal"        (qualifier value)
//     osteopenia   -> SCT 312894000 "Osteopenia"    (disorder)
//     osteoporosis -> SCT 64859006  "Osteoporosis"  (disorder)
//   procedure reported: SCT 363680008 "Radiographic imaging procedure"
//   yes/no values: SCT 373066001 "Yes", 373067005 "No" (DICOM CID 230)
//   recommendation text: DCM 121075 "Recommendation"
//   algorithm: TID 4019 (DCM 111001 "Algorithm Name", 111003 "Algorithm Version")
//   units: UCUM "1" (CID 7181 "no units") for the probability on 0..1; UCUM "{T-score}" (a
//     UCUM annotation, i.e. dimensionless: standard deviations) for the T-score and its bounds.
// ---------------------------------------------------------------------------------------------
constexpr const char* kPrivateScheme = "99OSTEO";
const DSRBasicCodedEntry kCodeProbability("OS-001", kPrivateScheme, "Probability of osteoporosis (model)");
const DSRBasicCodedEntry kCodeTScore("OS-002", kPrivateScheme, "Estimated T-score (model)");
const DSRBasicCodedEntry kCodeTScoreLow("OS-003", kPrivateScheme, "Estimated T-score interval lower limit");
const DSRBasicCodedEntry kCodeTScoreHigh("OS-004", kPrivateScheme, "Estimated T-score interval upper limit");
const DSRBasicCodedEntry kCodeIndeterminate("OS-005", kPrivateScheme, "Result indeterminate");
const DSRBasicCodedEntry kCodeIntendedUse("OS-006", kPrivateScheme, "Intended use");
const DSRBasicCodedEntry kCodeYes("373066001", "SCT", "Yes");
const DSRBasicCodedEntry kCodeNo("373067005", "SCT", "No");
const DSRBasicCodedEntry kCodeRadiographicProcedure("363680008", "SCT", "Radiographic imaging procedure");
const DSRBasicCodedEntry kUnitNone("1", "UCUM", "no units");
const DSRBasicCodedEntry kUnitTScore("{T-score}", "UCUM", "T-score");

constexpr const char* kManufacturer = "OsteoScreen";
constexpr char kSrSeriesDescription[] = "OsteoScreen screening result - NOT FOR DIAGNOSTIC USE";
constexpr char kScSeriesDescription[] = "OsteoScreen Grad-CAM heat map - NOT FOR DIAGNOSTIC USE";
static_assert(sizeof kSrSeriesDescription <= 65 && sizeof kScSeriesDescription <= 65, "LO holds 64 characters");
constexpr const char* kIntendedUse =
    "Research and screening support only. Not for diagnostic use; osteoporosis is diagnosed by DXA.";
// Series numbers far from what modalities assign, so the derived series sort after the film.
constexpr const char* kSrSeriesNumber = "9901";
constexpr const char* kScSeriesNumber = "9902";

struct CategoryCode {
  const char* category;
  DSRBasicCodedEntry code;
};
const CategoryCode kCategories[] = {
    {"normal", DSRBasicCodedEntry("17621005", "SCT", "Normal")},
    {"osteopenia", DSRBasicCodedEntry("312894000", "SCT", "Osteopenia")},
    {"osteoporosis", DSRBasicCodedEntry("64859006", "SCT", "Osteoporosis")},
};

const DSRBasicCodedEntry* category_code(const std::string& category) {
  for (const auto& row : kCategories) {
    if (category == row.category) return &row.code;
  }
  return nullptr;
}

// --- strings -------------------------------------------------------------------------------

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

/// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates,
/// nothing above U+10FFFF), or 0.
std::size_t utf8_sequence(const std::string& s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  const std::size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
  }
  const unsigned char second = byte(1);
  if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) || (c == 0xF0 && second < 0x90) ||
      (c == 0xF4 && second > 0x8F)) {
    return 0;
  }
  return len;
}

/// Replaces every byte that is not part of well-formed UTF-8 with '?', so a source whose
/// character set could not be converted still gives valid JSON and a valid ISO_IR 192 file.
std::string sanitize_utf8(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (const std::size_t len = utf8_sequence(s, i)) {
      out.append(s, i, len);
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

bool is_ascii(const std::string& s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string format_number(double value) {
  // Six significant digits: far finer than the model's precision and well inside DS's 16 chars.
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

/// An LO value: no backslash (it would split the value), at most 64 bytes, never cut inside a
/// UTF-8 sequence.
std::string lo_value(std::string s) {
  for (auto& c : s) {
    if (c == '\\') c = '/';
  }
  if (s.size() > 64) {
    std::size_t n = 64;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
  }
  return s;
}

std::string new_uid(const char* root) {
  char buffer[100];
  return dcmGenerateUniqueIdentifier(buffer, root);
}

/// Current UTC time as "YYYYMMDDHHMMSS".
std::string utc_now() { return utc_timestamp("%Y%m%d%H%M%S"); }

/// A Timezone Offset From UTC value ("+HHMM"/"-HHMM", -12:00..+14:00) in seconds, or nullopt.
std::optional<long> offset_seconds(const std::string& s) {
  if (s.size() != 5 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  for (std::size_t i = 1; i < 5; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  const long hours = std::stol(s.substr(1, 2)), minutes = std::stol(s.substr(3, 2));
  const long seconds = (s[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  if (minutes > 59 || seconds < -12 * 3600 || seconds > 14 * 3600) return std::nullopt;
  return seconds;
}

/// A valid "YYYYMMDDHHMMSS" as broken-down time, or nullopt.
std::optional<std::tm> parse_datetime(const std::string& s) {
  if (s.size() != 14) return std::nullopt;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  auto field = [&](std::size_t at, std::size_t n) { return std::stoi(s.substr(at, n)); };
  std::tm tm{};
  tm.tm_year = field(0, 4) - 1900;
  tm.tm_mon = field(4, 2) - 1;
  tm.tm_mday = field(6, 2);
  tm.tm_hour = field(8, 2);
  tm.tm_min = field(10, 2);
  tm.tm_sec = field(12, 2);
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > days_in_month(tm.tm_year + 1900, tm.tm_mon + 1) ||
      tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59) {
    return std::nullopt;
  }
  return tm;
}

/// A UTC "YYYYMMDDHHMMSS" moved by `offset` seconds (into the zone of the film).
std::string shift_datetime(const std::string& utc, long offset) {
  std::tm tm = *parse_datetime(utc);
  const std::time_t shifted = timegm(&tm) + offset;
  gmtime_r(&shifted, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%d%H%M%S", &tm);
  return buffer;
}

/// Date/times of a derived object, all in one zone. DICOM applies Timezone Offset From UTC to
/// every DA/TM of an instance, the Study Date/Time copied from the film included. So when the
/// film declares its offset the derived objects use it (our UTC stamps are converted); when it
/// does not, they carry no offset either, and our stamps stay in UTC (the film's zone is unknown).
struct Stamps {
  std::string content;  ///< "YYYYMMDDHHMMSS" of the screening
  std::string created;  ///< "YYYYMMDDHHMMSS" of the instance creation (now)
  std::string offset;   ///< the film's "+HHMM"/"-HHMM", or "" for none
};

Stamps make_stamps(const std::string& content_utc, const std::string& source_offset) {
  const auto offset = offset_seconds(source_offset);
  if (!offset) return {content_utc, utc_now(), ""};
  return {shift_datetime(content_utc, *offset), shift_datetime(utc_now(), *offset), source_offset};
}

// --- validation ----------------------------------------------------------------------------

/// One attribute of DicomSourceRef: its JSON key and the DICOM tag it is read from. The first
/// four (the UIDs) are required.
struct RefField {
  const char* key;
  std::string DicomSourceRef::*member;
  DcmTagKey tag;
};
const RefField kRefFields[] = {
    {"sop_class_uid", &DicomSourceRef::sop_class_uid, DCM_SOPClassUID},
    {"sop_instance_uid", &DicomSourceRef::sop_instance_uid, DCM_SOPInstanceUID},
    {"study_instance_uid", &DicomSourceRef::study_instance_uid, DCM_StudyInstanceUID},
    {"series_instance_uid", &DicomSourceRef::series_instance_uid, DCM_SeriesInstanceUID},
    {"patient_id", &DicomSourceRef::patient_id, DCM_PatientID},
    {"patient_name", &DicomSourceRef::patient_name, DCM_PatientName},
    {"patient_birth_date", &DicomSourceRef::patient_birth_date, DCM_PatientBirthDate},
    {"patient_sex", &DicomSourceRef::patient_sex, DCM_PatientSex},
    {"study_date", &DicomSourceRef::study_date, DCM_StudyDate},
    {"study_time", &DicomSourceRef::study_time, DCM_StudyTime},
    {"study_id", &DicomSourceRef::study_id, DCM_StudyID},
    {"accession_number", &DicomSourceRef::accession_number, DCM_AccessionNumber},
    {"referring_physician_name", &DicomSourceRef::referring_physician_name, DCM_ReferringPhysicianName},
    {"study_description", &DicomSourceRef::study_description, DCM_StudyDescription},
    {"modality", &DicomSourceRef::modality, DCM_Modality},
    {"laterality", &DicomSourceRef::laterality, DCM_ImageLaterality},
    {"timezone_offset", &DicomSourceRef::timezone_offset, DCM_TimezoneOffsetFromUTC},
};
constexpr std::size_t kRequiredRefFields = 4;

/// The first required UID that is empty, or nullptr.
const RefField* missing_uid(const DicomSourceRef& s) {
  for (std::size_t i = 0; i < kRequiredRefFields; ++i) {
    if ((s.*kRefFields[i].member).empty()) return &kRefFields[i];
  }
  return nullptr;
}

Status validate_source(const DicomSourceRef& s) {
  if (const RefField* missing = missing_uid(s)) {
    return fail(ErrorCode::kInvalidArgument, std::string("DICOM source reference: ") + missing->key + " is empty");
  }
  return {};
}

/// The finding checked and its content date/time resolved ("" -> now, UTC).
Result<std::string> validate_finding(const ScreeningFinding& f) {
  const std::string what = "screening finding " + (f.screening_id.empty() ? std::string() : "'" + f.screening_id + "' ");
  if (category_code(f.category) == nullptr) {
    return fail(ErrorCode::kInvalidArgument,
                what + "has unknown category '" + f.category + "' (expected normal, osteopenia or osteoporosis)");
  }
  if (!std::isfinite(f.p_osteoporosis) || f.p_osteoporosis < 0.0 || f.p_osteoporosis > 1.0) {
    return fail(ErrorCode::kInvalidArgument, what + "has p_osteoporosis " + format_number(f.p_osteoporosis) + " outside 0..1");
  }
  if (!std::isfinite(f.t_score) || !std::isfinite(f.t_score_low) || !std::isfinite(f.t_score_high)) {
    return fail(ErrorCode::kInvalidArgument, what + "has a non-finite T-score or interval bound");
  }
  if (f.t_score_low > f.t_score_high) {
    return fail(ErrorCode::kInvalidArgument, what + "has an inverted T-score interval [" + format_number(f.t_score_low) +
                                                 ", " + format_number(f.t_score_high) + "]");
  }
  if (trim(f.algorithm_name).empty() || trim(f.algorithm_version).empty()) {
    return fail(ErrorCode::kInvalidArgument, what + "lacks the algorithm name or version (TID 4019 needs both)");
  }
  if (f.content_datetime.empty()) return utc_now();
  if (!parse_datetime(f.content_datetime)) {
    return fail(ErrorCode::kInvalidArgument,
                what + "has content_datetime '" + f.content_datetime + "', expected YYYYMMDDHHMMSS (UTC)");
  }
  return f.content_datetime;
}

/// Everything a derived object needs checked up front (the source, the finding), and its
/// date/times.
Result<Stamps> validate_inputs(const DicomSourceRef& source, const ScreeningFinding& finding) {
  if (auto ok = validate_source(source); !ok) return tl::unexpected(ok.error());
  if (auto ok = ensure_decoders(); !ok) return tl::unexpected(ok.error());  // the data dictionary
  auto content_utc = validate_finding(finding);
  if (!content_utc) return tl::unexpected(content_utc.error());
  return make_stamps(*content_utc, source.timezone_offset);
}

bool needs_utf8(const DicomSourceRef& s, const ScreeningFinding& f) {
  for (const std::string* v : {&s.patient_name, &s.patient_id, &s.referring_physician_name, &s.study_description,
                               &s.study_id, &s.accession_number, &f.recommendation, &f.algorithm_name,
                               &f.algorithm_version, &f.screening_id}) {
    if (!is_ascii(*v)) return true;
  }
  return false;
}

#define OSTEO_DCM(expr, what)                                                                          \
  do {                                                                                                 \
    const OFCondition dcm_cond = (expr);                                                               \
    if (dcm_cond.bad()) return fail(ErrorCode::kIoError, std::string(what) + ": " + dcm_cond.text()); \
  } while (0)

// --- reading -------------------------------------------------------------------------------

std::string get_utf8(DcmItem& ds, const DcmTagKey& key) {
  OFString value;
  if (ds.findAndGetOFStringArray(key, value).bad()) return {};
  return sanitize_utf8(trim(value.c_str()));
}

}  // namespace

nlohmann::json DicomSourceRef::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& field : kRefFields) j[field.key] = this->*field.member;
  return j;
}

Result<DicomSourceRef> DicomSourceRef::from_json(const nlohmann::json& j) {
  if (!j.is_object()) return fail(ErrorCode::kInvalidArgument, "DICOM source reference: JSON is not an object");
  DicomSourceRef r;
  for (const auto& field : kRefFields) {
    const auto it = j.find(field.key);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_string()) {
      return fail(ErrorCode::kInvalidArgument, std::string("DICOM source reference: '") + field.key + "' is not a string");
    }
    r.*field.member = it->get<std::string>();
  }
  if (auto ok = validate_source(r); !ok) return tl::unexpected(ok.error());
  return r;
}

Result<DicomSourceRef> read_dicom_source_ref(const std::string& dicom_bytes, const std::string& name) {
  try {
    if (dicom_bytes.empty()) return fail(ErrorCode::kEmptyFile, name + ": empty file");
    const auto* data = reinterpret_cast<const std::uint8_t*>(dicom_bytes.data());
    if (sniff_format(data, dicom_bytes.size()) != ImageFormat::kDicom) {
      return fail(ErrorCode::kUnsupportedFormat, name + ": not DICOM (no DICM prefix, no DICOM tag at the start)");
    }
    if (auto ok = ensure_decoders(); !ok) return tl::unexpected(ok.error());
    auto parsed = parse_dicom_buffer(data, dicom_bytes.size(), name, /*header_only=*/true);
    if (!parsed) return tl::unexpected(parsed.error());
    DcmDataset& ds = *parsed->file->getDataset();
    // Our store (JSON) and the derived objects (ISO_IR 192) are UTF-8. A character set iconv
    // does not know leaves the bytes as they were; sanitize_utf8 then masks what is not UTF-8.
    (void)ds.convertToUTF8();

    DicomSourceRef r;
    for (const auto& field : kRefFields) r.*field.member = get_utf8(ds, field.tag);
    // The meta header names the instance too (some writers leave the dataset's copy out).
    DcmMetaInfo& meta = *parsed->file->getMetaInfo();
    if (r.sop_class_uid.empty()) r.sop_class_uid = get_utf8(meta, DCM_MediaStorageSOPClassUID);
    if (r.sop_instance_uid.empty()) r.sop_instance_uid = get_utf8(meta, DCM_MediaStorageSOPInstanceUID);
    if (r.laterality.empty()) r.laterality = get_utf8(ds, DCM_Laterality);
    if (const RefField* missing = missing_uid(r)) {
      DcmTag tag(missing->tag);
      return fail(ErrorCode::kDicomParse, name + ": no " + tag.getTagName() + " " + tag.toString().c_str() +
                                              ": not a storable DICOM instance (or its header is truncated)");
    }
    return r;
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDicomParse, name + ": " + e.what());
  }
}

namespace {

/// DCMTK fills the code lists of its context groups lazily, which is not thread-safe: fill them
/// all once, before any worker builds a report.
void ensure_context_groups() {
  static std::once_flag once;
  std::call_once(once, [] { CMR_ContentMappingResource::initializeAllContextGroups(); });
}

/// TID 1501 measurement (TID 300) with its source image (TID 320) in the current group.
Status add_measurement(CMR_TID1501_in_TID1500& group, const DSRBasicCodedEntry& concept, double value,
                       const DSRBasicCodedEntry& unit, const DSRImageReferenceValue& source_image) {
  const CMR_TID1501_in_TID1500::MeasurementValue number(format_number(value).c_str(), DSRCodedEntryValue(unit));
  OSTEO_DCM(group.addMeasurement(CID7469_GenericIntensityAndSizeMeasurements(DSRCodedEntryValue(concept)), number,
                                 /*checkEmpty: reuse the empty first instance=*/OFTrue),
            std::string("SR: measurement ") + concept.CodeMeaning.c_str());
  OSTEO_DCM(group.getMeasurement().addImage(CODE_DCM_SourceOfMeasurement, source_image),
            "SR: source image of a measurement");
  return {};
}

/// TID 4019 (algorithm name and version) below every measurement NUM of the expanded tree: TID
/// 300 carries the algorithm per measurement, and DCMTK 3.6.7's TID 300 class has no setter.
Status add_algorithm_identification(DSRDocumentTree& tree, const ScreeningFinding& f) {
  for (const DSRBasicCodedEntry* concept : {&kCodeProbability, &kCodeTScore, &kCodeTScoreLow, &kCodeTScoreHigh}) {
    if (tree.gotoNamedNode(DSRCodedEntryValue(*concept), /*startFromRoot=*/OFTrue, /*searchIntoSub=*/OFTrue) == 0) {
      return fail(ErrorCode::kInternal, std::string("SR: measurement '") + concept->CodeMeaning.c_str() + "' not found");
    }
    TID4019_AlgorithmIdentification algorithm;
    OSTEO_DCM(algorithm.setIdentification(f.algorithm_name.c_str(), f.algorithm_version.c_str()),
              "SR: algorithm identification");
    // A copy of the template's content, inserted as HAS CONCEPT MOD children of the NUM (the
    // "include template" node API is protected in DSRDocumentTree).
    OSTEO_DCM(tree.insertSubTree(algorithm.cloneTree(), DSRTypes::AM_belowCurrent, DSRTypes::RT_hasConceptMod,
                                 /*deleteIfFail=*/OFTrue),
              "SR: algorithm identification");
  }
  return {};
}

Status build_report(TID1500_MeasurementReport& report, const DicomSourceRef& s, const ScreeningFinding& f) {
  OSTEO_DCM(report.setLanguage(CID5000_Languages::English), "SR: language");
  // The observer is the algorithm, a device: its UID is derived from name and version, so all
  // reports of one model version name the same device.
  const std::string device_uid = seeded_uid("osteoscreen-device|" + f.algorithm_name + "|" + f.algorithm_version);
  OSTEO_DCM(report.getObservationContext().addDeviceObserver(device_uid.c_str(), "OsteoScreen", kManufacturer,
                                                            lo_value(f.algorithm_name).c_str()),
            "SR: device observer");
  OSTEO_DCM(report.addProcedureReported(DSRCodedEntryValue(kCodeRadiographicProcedure)), "SR: procedure reported");

  DcmDataset image;
  OSTEO_DCM(image.putAndInsertString(DCM_SOPClassUID, s.sop_class_uid.c_str()), "SR: image library entry");
  OSTEO_DCM(image.putAndInsertString(DCM_SOPInstanceUID, s.sop_instance_uid.c_str()), "SR: image library entry");
  if (!s.modality.empty()) OSTEO_DCM(image.putAndInsertString(DCM_Modality, s.modality.c_str()), "SR: image library entry");
  if (!s.study_date.empty()) OSTEO_DCM(image.putAndInsertString(DCM_StudyDate, s.study_date.c_str()), "SR: image library entry");
  if (!s.laterality.empty()) {
    OSTEO_DCM(image.putAndInsertString(DCM_ImageLaterality, s.laterality.c_str()), "SR: image library entry");
  }
  // TID 1500 includes TID 1600 but leaves its root container to the caller.
  if (!report.getImageLibrary().hasImageLibrary()) {
    OSTEO_DCM(report.getImageLibrary().createNewImageLibrary(), "SR: image library");
  }
  OSTEO_DCM(report.getImageLibrary().addImageGroup(), "SR: image library group");
  OSTEO_DCM(report.getImageLibrary().addImageEntry(
                image, s.modality.empty() ? TID1600_ImageLibrary::withoutDescriptors : TID1600_ImageLibrary::withAllDescriptors),
            "SR: image library entry");

  auto& group = report.getIndividualMeasurements();
  const std::string tracking = "OsteoScreen screening" + (f.screening_id.empty() ? std::string() : " " + f.screening_id);
  OSTEO_DCM(group.setTrackingIdentifier(lo_value(tracking).c_str()), "SR: tracking identifier");
  OSTEO_DCM(group.setTrackingUniqueIdentifier(new_uid(SITE_INSTANCE_UID_ROOT).c_str()), "SR: tracking UID");
  OSTEO_DCM(group.setFinding(DSRCodedEntryValue(*category_code(f.category))), "SR: finding");
  const DSRImageReferenceValue source_image(s.sop_class_uid.c_str(), s.sop_instance_uid.c_str());
  const std::pair<const DSRBasicCodedEntry*, std::pair<double, const DSRBasicCodedEntry*>> numbers[] = {
      {&kCodeProbability, {f.p_osteoporosis, &kUnitNone}},
      {&kCodeTScore, {f.t_score, &kUnitTScore}},
      {&kCodeTScoreLow, {f.t_score_low, &kUnitTScore}},
      {&kCodeTScoreHigh, {f.t_score_high, &kUnitTScore}}};
  for (const auto& [concept, value] : numbers) {
    if (auto ok = add_measurement(group, *concept, value.first, *value.second, source_image); !ok) return ok;
  }
  OSTEO_DCM(group.addQualitativeEvaluation(DSRCodedEntryValue(kCodeIndeterminate),
                                           DSRCodedEntryValue(f.indeterminate ? kCodeYes : kCodeNo)),
            "SR: indeterminate flag");
  if (!trim(f.recommendation).empty()) {
    OSTEO_DCM(group.addQualitativeEvaluation(DSRCodedEntryValue(CODE_DCM_Recommendation), f.recommendation.c_str()),
              "SR: recommendation");
  }
  OSTEO_DCM(report.addQualitativeEvaluation(DSRCodedEntryValue(kCodeIntendedUse), kIntendedUse), "SR: intended use");
  if (!report.isValid()) return fail(ErrorCode::kIoError, "SR: DCMTK reports the TID 1500 tree as incomplete");
  return {};
}

Status set_sr_header(DSRDocument& doc, const DicomSourceRef& s, const ScreeningFinding& f, const Stamps& when,
                     bool utf8) {
  if (utf8) OSTEO_DCM(doc.setSpecificCharacterSetType(DSRTypes::CS_UTF8), "SR: character set");
  // Copied values are taken as the source wrote them (check off): refusing a report because
  // the film's Patient Name is a few characters over its VR limit would help nobody.
  constexpr OFBool kAsIs = OFFalse;
  OSTEO_DCM(doc.createNewSeriesInStudy(s.study_instance_uid.c_str(), kAsIs), "SR: study/series");
  OSTEO_DCM(doc.setPatientName(s.patient_name.c_str(), kAsIs), "SR: patient name");
  OSTEO_DCM(doc.setPatientID(s.patient_id.c_str(), kAsIs), "SR: patient id");
  OSTEO_DCM(doc.setPatientBirthDate(s.patient_birth_date.c_str(), kAsIs), "SR: birth date");
  OSTEO_DCM(doc.setPatientSex(s.patient_sex.c_str(), kAsIs), "SR: sex");
  OSTEO_DCM(doc.setStudyDate(s.study_date.c_str(), kAsIs), "SR: study date");
  OSTEO_DCM(doc.setStudyTime(s.study_time.c_str(), kAsIs), "SR: study time");
  OSTEO_DCM(doc.setStudyID(s.study_id.c_str(), kAsIs), "SR: study id");
  OSTEO_DCM(doc.setAccessionNumber(s.accession_number.c_str(), kAsIs), "SR: accession number");
  OSTEO_DCM(doc.setReferringPhysicianName(s.referring_physician_name.c_str(), kAsIs), "SR: referring physician");
  if (!s.study_description.empty()) OSTEO_DCM(doc.setStudyDescription(s.study_description.c_str(), kAsIs), "SR: study description");
  OSTEO_DCM(doc.setSeriesDescription(kSrSeriesDescription), "SR: series description");
  OSTEO_DCM(doc.setSeriesNumber(kSrSeriesNumber), "SR: series number");
  OSTEO_DCM(doc.setInstanceNumber("1"), "SR: instance number");
  OSTEO_DCM(doc.setManufacturer(kManufacturer), "SR: manufacturer");
  OSTEO_DCM(doc.setManufacturerModelName(lo_value(f.algorithm_name).c_str(), kAsIs), "SR: model name");
  OSTEO_DCM(doc.setSoftwareVersions(lo_value(f.algorithm_version).c_str(), kAsIs), "SR: software version");
  OSTEO_DCM(doc.setContentDate(when.content.substr(0, 8).c_str()), "SR: content date");
  OSTEO_DCM(doc.setContentTime(when.content.substr(8, 6).c_str()), "SR: content time");
  if (!when.offset.empty()) OSTEO_DCM(doc.setTimezoneOffsetFromUTC(when.offset.c_str()), "SR: timezone");
  OSTEO_DCM(doc.getCurrentRequestedProcedureEvidence().addItem(s.study_instance_uid.c_str(), s.series_instance_uid.c_str(),
                                                               s.sop_class_uid.c_str(), s.sop_instance_uid.c_str(), kAsIs),
            "SR: evidence");
  DSRCodingSchemeIdentificationList& schemes = doc.getCodingSchemeIdentification();
  OSTEO_DCM(schemes.addItem(kPrivateScheme), "SR: coding scheme");
  OSTEO_DCM(schemes.setCodingSchemeName("OsteoScreen model outputs"), "SR: coding scheme");
  OSTEO_DCM(schemes.setCodingSchemeResponsibleOrganization("OsteoScreen project"), "SR: coding scheme");
  OSTEO_DCM(doc.completeDocument(), "SR: completion flag");
  return {};
}

Result<std::string> to_part10(DcmFileFormat& file, const char* what) {
  auto bytes = serialize_dicom(file, /*with_meta=*/true, EXS_LittleEndianExplicit);
  if (!bytes) return tl::unexpected(Error{bytes.error().code, std::string(what) + ": " + bytes.error().message});
  return std::string(bytes->begin(), bytes->end());
}

Status put(DcmItem& item, const DcmTagKey& key, const std::string& value) {
  OSTEO_DCM(item.putAndInsertString(key, value.c_str()), std::string("SC: ") + DcmTag(key).getTagName());
  return {};
}

/// SOP Common, Patient, General Study, General Series, General/SC Equipment, General Image and
/// SC Image modules of the Secondary Capture.
Status fill_sc_header(DcmDataset& ds, const DicomSourceRef& s, const ScreeningFinding& f, const Stamps& when,
                      bool utf8) {
  const std::string comments = "OsteoScreen screening" + (f.screening_id.empty() ? std::string() : " " + f.screening_id) +
                               ": " + f.category + ", p(osteoporosis) " + format_number(f.p_osteoporosis) +
                               (f.indeterminate ? " (indeterminate)" : "") + ". NOT FOR DIAGNOSTIC USE.";
  const std::pair<DcmTagKey, std::string> values[] = {
      {DCM_SpecificCharacterSet, utf8 ? "ISO_IR 192" : ""},
      {DCM_SOPClassUID, UID_SecondaryCaptureImageStorage},
      {DCM_SOPInstanceUID, new_uid(SITE_INSTANCE_UID_ROOT)},
      {DCM_InstanceCreationDate, when.created.substr(0, 8)},
      {DCM_InstanceCreationTime, when.created.substr(8, 6)},
      {DCM_TimezoneOffsetFromUTC, when.offset},
      // Patient and General Study: copied, Type 2 ones written even when empty.
      {DCM_PatientName, s.patient_name},
      {DCM_PatientID, s.patient_id},
      {DCM_PatientBirthDate, s.patient_birth_date},
      {DCM_PatientSex, s.patient_sex},
      {DCM_StudyInstanceUID, s.study_instance_uid},
      {DCM_StudyDate, s.study_date},
      {DCM_StudyTime, s.study_time},
      {DCM_ReferringPhysicianName, s.referring_physician_name},
      {DCM_StudyID, s.study_id},
      {DCM_AccessionNumber, s.accession_number},
      // General Series
      {DCM_Modality, "OT"},
      {DCM_SeriesInstanceUID, new_uid(SITE_SERIES_UID_ROOT)},
      {DCM_SeriesNumber, kScSeriesNumber},
      {DCM_SeriesDescription, kScSeriesDescription},
      // Type 2C: the heat map shows the film's side; empty means unknown.
      {DCM_Laterality, s.laterality},
      // General Equipment and SC Equipment
      {DCM_Manufacturer, kManufacturer},
      {DCM_ManufacturerModelName, lo_value(f.algorithm_name)},
      {DCM_SoftwareVersions, lo_value(f.algorithm_version)},
      {DCM_ConversionType, "WSD"},
      {DCM_SecondaryCaptureDeviceManufacturer, kManufacturer},
      {DCM_SecondaryCaptureDeviceManufacturerModelName, lo_value(f.algorithm_name)},
      {DCM_SecondaryCaptureDeviceSoftwareVersions, lo_value(f.algorithm_version)},
      // General Image and SC Image
      {DCM_InstanceNumber, "1"},
      {DCM_PatientOrientation, ""},
      {DCM_ContentDate, when.content.substr(0, 8)},
      {DCM_ContentTime, when.content.substr(8, 6)},
      {DCM_ImageType, "DERIVED\\SECONDARY"},
      {DCM_DerivationDescription,
       "Grad-CAM heat map of " + lo_value(f.algorithm_name) + " blended over the source radiograph; colours show "
       "the regions that drove the model output, not a measurement"},
      {DCM_BurnedInAnnotation, "YES"},
      {DCM_LossyImageCompression, "00"},
      {DCM_ImageComments, comments},
      {DCM_DateOfSecondaryCapture, when.created.substr(0, 8)},
      {DCM_TimeOfSecondaryCapture, when.created.substr(8, 6)},
  };
  for (const auto& [key, value] : values) {
    if ((key == DCM_SpecificCharacterSet || key == DCM_TimezoneOffsetFromUTC) && value.empty()) continue;
    if (auto ok = put(ds, key, value); !ok) return ok;
  }
  if (!s.study_description.empty()) {
    if (auto ok = put(ds, DCM_StudyDescription, s.study_description); !ok) return ok;
  }
  DcmItem* source = nullptr;
  OSTEO_DCM(ds.findOrCreateSequenceItem(DCM_SourceImageSequence, source, -2), "SC: source image sequence");
  if (auto ok = put(*source, DCM_ReferencedSOPClassUID, s.sop_class_uid); !ok) return ok;
  if (auto ok = put(*source, DCM_ReferencedSOPInstanceUID, s.sop_instance_uid); !ok) return ok;
  DcmItem* purpose = nullptr;
  OSTEO_DCM(source->findOrCreateSequenceItem(DCM_PurposeOfReferenceCodeSequence, purpose, -2), "SC: purpose of reference");
  const DSRCodedEntryValue purpose_code(CODE_DCM_SourceImageForImageProcessingOperation);
  OSTEO_DCM(purpose_code.writeSequenceItem(*purpose, DCM_PurposeOfReferenceCodeSequence), "SC: purpose of reference");
  return {};
}

Status fill_sc_pixels(DcmDataset& ds, int width, int height, const std::string& rgb) {
  OSTEO_DCM(ds.putAndInsertUint16(DCM_SamplesPerPixel, 3), "SC: pixel module");
  OSTEO_DCM(ds.putAndInsertString(DCM_PhotometricInterpretation, "RGB"), "SC: pixel module");
  OSTEO_DCM(ds.putAndInsertUint16(DCM_PlanarConfiguration, 0), "SC: pixel module");
  OSTEO_DCM(ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(height)), "SC: pixel module");
  OSTEO_DCM(ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(width)), "SC: pixel module");
  OSTEO_DCM(ds.putAndInsertUint16(DCM_BitsAllocated, 8), "SC: pixel module");
  OSTEO_DCM(ds.putAndInsertUint16(DCM_BitsStored, 8), "SC: pixel module");
  OSTEO_DCM(ds.putAndInsertUint16(DCM_HighBit, 7), "SC: pixel module");
  OSTEO_DCM(ds.putAndInsertUint16(DCM_PixelRepresentation, 0), "SC: pixel module");
  OSTEO_DCM(ds.putAndInsertUint8Array(DCM_PixelData, reinterpret_cast<const Uint8*>(rgb.data()),
                                      static_cast<unsigned long>(rgb.size())),
            "SC: pixel data");
  return {};
}

}  // namespace

Result<std::string> make_screening_sr(const DicomSourceRef& source, const ScreeningFinding& finding) {
  try {
    auto when = validate_inputs(source, finding);
    if (!when) return tl::unexpected(when.error());
    ensure_context_groups();
    TID1500_MeasurementReport report(CMR_CID7021::ImagingMeasurementReport);
    if (auto ok = build_report(report, source, finding); !ok) return tl::unexpected(ok.error());

    DSRDocument doc;
    // Expanded: the document holds plain content items, so any SR reader sees the full tree.
    OSTEO_DCM(doc.setTreeFromRootTemplate(report, /*expandTree=*/OFTrue), "SR: document tree");
    if (auto ok = add_algorithm_identification(doc.getTree(), finding); !ok) return tl::unexpected(ok.error());
    if (auto ok = set_sr_header(doc, source, finding, *when, needs_utf8(source, finding)); !ok) {
      return tl::unexpected(ok.error());
    }
    DcmFileFormat file;
    OSTEO_DCM(doc.write(*file.getDataset()), "SR: write document");
    // DSRDocument stamps the creation in the server's local zone; use the objects' zone.
    OSTEO_DCM(file.getDataset()->putAndInsertString(DCM_InstanceCreationDate, when->created.substr(0, 8).c_str()),
              "SR: creation date");
    OSTEO_DCM(file.getDataset()->putAndInsertString(DCM_InstanceCreationTime, when->created.substr(8, 6).c_str()),
              "SR: creation time");
    return to_part10(file, "SR");
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, std::string("SR: ") + e.what());
  }
}

Result<std::string> make_heatmap_sc(const DicomSourceRef& source, const ScreeningFinding& finding, int width,
                                    int height, const std::string& rgb) {
  try {
    if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
      return fail(ErrorCode::kInvalidArgument, "SC: heat map size " + std::to_string(width) + "x" +
                                                   std::to_string(height) + " is outside 1..65535 per side");
    }
    const std::size_t expected = static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3;
    if (rgb.size() != expected) {
      return fail(ErrorCode::kInvalidArgument, "SC: heat map of " + std::to_string(width) + "x" + std::to_string(height) +
                                                   " needs " + std::to_string(expected) + " RGB bytes, got " +
                                                   std::to_string(rgb.size()));
    }
    auto when = validate_inputs(source, finding);
    if (!when) return tl::unexpected(when.error());
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    if (auto ok = fill_sc_header(ds, source, finding, *when, needs_utf8(source, finding)); !ok) {
      return tl::unexpected(ok.error());
    }
    if (auto ok = fill_sc_pixels(ds, width, height, rgb); !ok) return tl::unexpected(ok.error());
    return to_part10(file, "SC");
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, std::string("SC: ") + e.what());
  }
}

}  // namespace osteo::dicom
