#pragma once
/// @file
/// A radiograph as the rest of OsteoScreen sees it, whatever file it came from.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "osteo/core/date.h"
#include "osteo/core/types.h"

namespace osteo {

/// Which tag the pixel spacing came from. CR/DX detectors record ImagerPixelSpacing at the
/// detector plane; PixelSpacing may be calibrated to the patient. Consumers need to know which.
enum class SpacingSource { kUnknown, kPixelSpacing, kImagerPixelSpacing };
/// "PixelSpacing", "ImagerPixelSpacing" or "unknown".
const char* spacing_source_name(SpacingSource source);

/// Everything known about a radiograph except its pixels. Fields a format lacks stay empty.
struct RadiographMeta {
  std::string path;
  std::string sha256;  ///< of the file bytes, lower-case hex
  std::string format;  ///< "dicom", "png" or "jpeg"

  int rows = 0;
  int columns = 0;
  int bits_stored = 0;              ///< source bit depth (8 for PNG8/JPEG, 16 for PNG16)
  std::string photometric;          ///< MONOCHROME1/MONOCHROME2 (DICOM), "" otherwise
  std::string transfer_syntax;      ///< DICOM transfer syntax UID, "" otherwise
  std::string transfer_syntax_name; ///< human name, e.g. "JPEG Lossless, Non-Hierarchical, First-Order Prediction"

  std::optional<std::array<double, 2>> spacing_mm;  ///< [row, column] in mm; nullopt when unknown
  SpacingSource spacing_source = SpacingSource::kUnknown;
  std::optional<double> magnification;  ///< EstimatedRadiographicMagnificationFactor (0018,1114)

  Side laterality = Side::kUnknown;  ///< ImageLaterality, else Laterality
  std::string modality;              ///< CR, DX, ...
  std::string body_part;             ///< BodyPartExamined, e.g. HIP, PELVIS
  std::string view_position;         ///< AP, PA, ...
  std::string manufacturer;

  std::string patient_id;
  std::string patient_sex;                 ///< "F", "M", "O" or ""
  std::optional<Date> birth_date;
  std::optional<double> patient_age_years; ///< PatientAge tag, else derived from birth and study date
  std::optional<Date> study_date;
  std::string study_time;                  ///< HHMMSS as recorded

  std::string study_uid;
  std::string series_uid;
  std::string sop_instance_uid;
};

/// Pixels ready for any model: row-major float in [0,1] after the modality LUT, the VOI
/// window/LUT and MONOCHROME1 inversion, so bone is always bright.
struct Radiograph {
  RadiographMeta meta;
  std::vector<float> pixels;  ///< rows * columns values

  int rows() const { return meta.rows; }
  int columns() const { return meta.columns; }
  float at(int row, int column) const { return pixels[static_cast<std::size_t>(row) * meta.columns + column]; }
  /// Mean of the rendered pixels (0 for an empty image).
  double mean() const;
};

}  // namespace osteo
