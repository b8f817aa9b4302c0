#pragma once
/// @file
/// DICOM result objects of one screening, for return to PACS next to the source film:
/// a TID 1500 Measurement Report (Enhanced SR) with the finding, the osteoporosis probability
/// and the estimated T-score, and a Secondary Capture carrying the heat-map overlay burned in.
/// Both belong to the source's patient and study and start a new series each. They are
/// research/screening support, never a diagnosis: the series descriptions say so.
#include <string>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"

namespace osteo::dicom {

/// Identifying attributes of the source DICOM film, copied into the derived objects.
/// Strings are UTF-8 (converted from the source's Specific Character Set when it declares one).
struct DicomSourceRef {
  std::string sop_class_uid, sop_instance_uid, study_instance_uid, series_instance_uid;
  std::string patient_id, patient_name, patient_birth_date, patient_sex;
  std::string study_date, study_time, study_id, accession_number, referring_physician_name, study_description;
  std::string modality;    ///< of the source (e.g. "CR", "DX"); optional, for the SR's image library
  std::string laterality;  ///< Image Laterality, else Laterality, of the source ("L", "R", ...); optional
  /// Timezone Offset From UTC of the source ("+HHMM"/"-HHMM"); optional. When valid, the derived
  /// objects declare it too and their own date/times are converted into it; otherwise they
  /// declare none and their own date/times are UTC.
  std::string timezone_offset;

  /// For storage in the screening store; every field as a string (empty when absent).
  nlohmann::json to_json() const;
  /// kInvalidArgument when `j` is not an object, a field is not a string, or one of the four
  /// UIDs is missing/empty. Unknown keys are ignored; missing optional fields stay empty.
  static Result<DicomSourceRef> from_json(const nlohmann::json& j);
};

/// Reads the reference from DICOM bytes (Part-10 or legacy without preamble), headers only
/// (parsing stops before PixelData). Errors name `name_for_errors`: kEmptyFile (no bytes),
/// kUnsupportedFormat (not DICOM by content), kDicomParse (malformed/truncated header, or no
/// SOP Class, SOP Instance, Study Instance or Series Instance UID).
Result<DicomSourceRef> read_dicom_source_ref(const std::string& dicom_bytes, const std::string& name_for_errors);

/// The outcome of one screening as it goes into the result objects.
struct ScreeningFinding {
  std::string category;           ///< "normal" | "osteopenia" | "osteoporosis"
  double p_osteoporosis = 0;      ///< model probability of osteoporosis, 0..1
  double t_score = 0, t_score_low = 0, t_score_high = 0;  ///< estimated T-score (SD) and its interval
  bool indeterminate = false;     ///< the model abstained / result is not conclusive
  std::string recommendation;     ///< plain-language text (may be empty)
  std::string algorithm_name, algorithm_version;  ///< e.g. "OsteoScreen resnet18", "0.1.0 / sha256:abcd..."
  std::string screening_id;       ///< our id: SR tracking identifier, SC image comments
  std::string content_datetime;   ///< "YYYYMMDDHHMMSS" (UTC) of the screening; empty = now
};

/// Part-10 bytes (explicit VR little endian) of the TID 1500 Enhanced SR. kInvalidArgument for
/// a bad finding (unknown category, p outside 0..1, non-finite or inverted T-score interval,
/// empty algorithm name/version, malformed content_datetime) or a source without its UIDs;
/// kIoError if DCMTK refuses the document.
Result<std::string> make_screening_sr(const DicomSourceRef& source, const ScreeningFinding& finding);

/// Part-10 bytes (explicit VR little endian) of a Secondary Capture Image (RGB, 8 bit,
/// PlanarConfiguration 0) with the heat-map overlay burned in. `rgb` holds width*height*3
/// interleaved bytes, row-major. kInvalidArgument when the size does not match, the image is
/// empty or larger than 65535 on a side, or the finding/source is invalid as above.
Result<std::string> make_heatmap_sc(const DicomSourceRef& source, const ScreeningFinding& finding, int width,
                                    int height, const std::string& rgb);

}  // namespace osteo::dicom
