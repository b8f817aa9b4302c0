#pragma once
/// @file Rows of the cohort store, as plain values shared by ingest, match and split.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "osteo/core/date.h"
#include "osteo/core/radiograph.h"
#include "osteo/core/types.h"

namespace osteo {

struct PatientRecord {
  std::string patient_id;
  std::string sex;                ///< "F", "M", "O" or ""
  std::optional<Date> birth_date;
  std::string ethnicity;
};

/// An ingested image: its metadata plus where it came from.
struct ImageRecord {
  std::int64_t id = 0;            ///< store key, set by the store
  RadiographMeta meta;            ///< meta.path is the key of a file; meta.sha256 detects changes
  std::string source;             ///< "dicom" or "manifest"
  /// Manifest-only: the covariates of that row (age, sex, bmi, height_m, weight_kg and any
  /// unknown extra columns), as a JSON object. Empty object for DICOM images.
  nlohmann::json covariates = nlohmann::json::object();
  /// Manifest-only region of interest in pixels: x, y, width, height.
  std::optional<std::array<int, 4>> roi;
};

/// One DEXA measurement: one site of one side of one patient on one date.
struct DexaRecord {
  std::int64_t id = 0;
  std::string patient_id;
  Date date;
  DexaSite site = DexaSite::kOther;
  Side side = Side::kUnknown;
  std::optional<double> bmd_g_cm2;
  std::optional<double> t_score;
  std::optional<double> z_score;
  std::string manufacturer;
  std::string source;  ///< "FILE.csv:LINE", for tracing a label back to its row
};

/// The outcome of matching one image. dexa_id is set when matched; reason says why not.
struct MatchRecord {
  std::int64_t image_id = 0;
  std::optional<std::int64_t> dexa_id;
  std::optional<int> days_apart;   ///< |image date − DEXA date|
  bool same_side = false;          ///< the DEXA side equals the image laterality
  std::string reason;              ///< "matched", "no_dexa", "out_of_window", "no_t_score", "no_study_date", ...
};

/// The reference label of an image.
struct LabelRecord {
  std::int64_t image_id = 0;
  double t_score = 0.0;
  WhoCategory category = WhoCategory::kNormal;
  std::string site;                ///< site the T-score came from ("femoral_neck", ...; "manifest")
  std::string source;              ///< "dexa" or "manifest"
  std::optional<std::int64_t> dexa_id;
};

/// Which split a patient belongs to under a scheme. One row per (scheme, patient): the store's
/// primary key makes "one patient in two splits" impossible, not merely tested.
struct SplitAssignment {
  std::string patient_id;
  std::string split;  ///< "train", "val" or "test"
};

/// An image left out of a scheme although its patient has a split (e.g. outside the
/// temporal windows), with the reason.
struct SplitExclusion {
  std::int64_t image_id = 0;
  std::string reason;
};

/// One screening answered by the service (osteoscreen serve). The id is derived from the input
/// file's hash, the model's weights hash and the clinical inputs, so the same request maps to
/// the same row.
struct ScreeningRecord {
  std::string id;            ///< 32 lower-case hex characters
  std::string created_at;    ///< ISO 8601 UTC, set by the store when empty
  std::string filename;      ///< as uploaded (display only; never used as a path)
  std::string format;        ///< dicom, png, jpeg
  std::string input_sha256;
  std::string model_sha256;
  nlohmann::json result = nlohmann::json::object();  ///< the API answer (without URLs)
  std::string image_png;     ///< the rendered film, as shown beside the heat map
  std::string heatmap_png;   ///< the RGBA heat layer, same size as image_png
  nlohmann::json dicom_source;  ///< identifying DICOM attributes for SR/SC; null for PNG/JPEG
};

/// A line of the screening history.
struct ScreeningSummary {
  std::string id, created_at, filename, category;
  double p_osteoporosis = 0;
  bool indeterminate = false;
};

struct CohortCounts {
  std::int64_t patients = 0;
  std::int64_t images = 0;
  std::int64_t dexa = 0;
  std::int64_t matched = 0;
  std::int64_t labels = 0;
};

}  // namespace osteo
