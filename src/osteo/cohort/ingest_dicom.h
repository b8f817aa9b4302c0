#pragma once
/// @file
/// Import of a folder of DICOM radiographs into the cohort store.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/cohort/store.h"
#include "osteo/image/read.h"

namespace osteo {

struct DicomIngestOptions {
  unsigned threads = 0;      ///< header readers (0 = all cores); the store writer is one thread
  ReadLimits limits;         ///< per-file size/pixel limits
  bool progress = false;     ///< draw a progress bar on stderr
};

/// A file that was not imported, and why.
struct IngestFailure {
  std::string path;
  std::string code;     ///< stable error code ("unsupported_format", "dicom_parse_error", ...)
  std::string message;
};

/// What one folder import did. files_seen == inserted + updated + unchanged + not_dicom + failed.
struct DicomIngestReport {
  std::string root;               ///< the folder, as an absolute path
  std::size_t files_seen = 0;
  std::size_t inserted = 0;       ///< new files
  std::size_t updated = 0;        ///< known path whose content (sha256) or metadata changed
  std::size_t unchanged = 0;      ///< already stored, same content
  std::size_t not_dicom = 0;      ///< content is not DICOM (PNG, JPEG, text, empty, ...)
  std::size_t failed = 0;         ///< DICOM that could not be read (malformed, over limits, ...)
  std::size_t without_patient_id = 0;  ///< imported, but no PatientID: it cannot be matched
  double seconds = 0;             ///< wall time of the whole import
  /// One entry per not_dicom or failed file, sorted by path.
  std::vector<IngestFailure> failures;
};

/// Recursively imports every regular file under `dir`. Headers are read (and files hashed) in
/// parallel; the store is written by the calling thread in ONE transaction. Paths are stored
/// absolute and normalised, so re-running from another working directory is idempotent:
/// unchanged files are counted, a changed file (new sha256) is updated and loses its match and
/// label. Each image's patient (id, sex, birth date) is upserted.
/// Whole-import errors (store untouched): kFileNotFound when `dir` is not a folder, store
/// errors (kStoreError, kStoreBusy).
Result<DicomIngestReport> ingest_dicom(CohortStore& store, const std::string& dir, const DicomIngestOptions& options = {});

nlohmann::json to_json(const DicomIngestReport& report);

}  // namespace osteo
