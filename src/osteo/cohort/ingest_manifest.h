#pragma once
/// @file
/// Import of already-labelled images listed in a manifest CSV, e.g. the knee X-ray set:
///   image,patient_id,sex,age,height_m,weight_kg,bmi,t_score,z_score,diagnosis,smoker,...
/// Columns (case-insensitive):
///  - patient_id, t_score: required.
///  - image: the image file, relative to the CSV's folder (or absolute). Without an image
///    column the image is derived as images/<patient_id>.jpg (then .jpeg, .png) next to the
///    CSV; a row whose derived file is absent is a bad row.
///  - diagnosis: checked against the WHO band of t_score; on disagreement the row is imported
///    with the T-score band and a warning (the T-score is the measurement, the diagnosis a
///    derived text that may be stale or mistyped).
///  - roi_x, roi_y, roi_w, roi_h: optional region of interest in pixels (all four or none).
///  - every other column is a covariate (ImageRecord.covariates): age, height_m, weight_kg,
///    bmi, z_score, menopause_age as numbers; smoker, alcoholic, diabetic, history_of_fracture,
///    family_history_osteoporosis as booleans (yes/no); sex as F/M/O; unknown columns as
///    numbers when numeric, else text; empty cells as null.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/cohort/ingest_common.h"
#include "osteo/cohort/store.h"
#include "osteo/image/read.h"

namespace osteo {

struct ManifestIngestOptions {
  unsigned threads = 0;   ///< image header readers (0 = all cores)
  ReadLimits limits;
  bool progress = false;
};

/// What one manifest import did. rows == rows_imported + rows_bad; warnings are imported rows.
struct ManifestIngestReport {
  std::string path;
  std::string image_column;  ///< the header name used, or "derived: images/<patient_id>.jpg"
  std::size_t rows = 0;
  std::size_t rows_imported = 0;
  std::size_t rows_bad = 0;
  std::size_t warnings = 0;
  std::size_t images_inserted = 0;
  std::size_t images_updated = 0;
  std::size_t images_unchanged = 0;
  std::size_t labels = 0;    ///< labels written (one per imported row)
  std::size_t patients = 0;  ///< distinct patients among imported rows
  std::vector<RowIssue> issues;
};

/// Imports every row in one store transaction: reads each image's header (PNG/JPEG/DICOM:
/// sha256, size), upserts the image (source "manifest"), its patient and its label (source and
/// site "manifest", category from the WHO band of t_score). Bad rows (missing or unreadable
/// image, no patient id, unparsable or absent T-score, unparsable number, bad ROI, repeated
/// image) are reported by line and skipped.
/// Whole-file errors (store untouched): reading the CSV (kFileNotFound, kEmptyFile,
/// kCsvBadRow), kCsvMissingColumn (patient_id, t_score, an incomplete roi_* set), store errors.
Result<ManifestIngestReport> ingest_manifest(CohortStore& store, const std::string& csv_path,
                                             const ManifestIngestOptions& options = {});

nlohmann::json to_json(const ManifestIngestReport& report);

}  // namespace osteo
