#pragma once
/// @file
/// Pairing radiographs with the same patient's DEXA and labelling them by WHO T-score band.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "osteo/cohort/records.h"
#include "osteo/cohort/store.h"

namespace osteo {

struct MatchOptions {
  /// A DEXA exam counts when |image date − DEXA date| ≤ window_days (inclusive: 183 matches).
  int window_days = 183;
  /// The site whose T-score labels the image; nullopt takes the lowest T-score across the
  /// hip sites of the exam (`--site lowest`).
  std::optional<DexaSite> reference_site = DexaSite::kFemoralNeck;
};

/// Counts of one matching run. `reasons` counts every image by outcome: "matched",
/// "no_patient_id", "no_study_date", "no_dexa", "out_of_window", "no_t_score".
struct MatchReport {
  int images = 0;              ///< DICOM images considered (manifest images carry their own label)
  int matched = 0;
  int unmatched = 0;
  int same_side = 0;           ///< matched to a DEXA of the image's own side
  int manifest_labelled = 0;   ///< images skipped because the manifest labelled them
  std::map<std::string, int> reasons;
  std::map<std::string, int> categories;  ///< WHO category counts of the new labels
};

struct MatchResult {
  std::vector<MatchRecord> matches;  ///< one per considered image
  std::vector<LabelRecord> labels;   ///< one per matched image
  MatchReport report;
};

/// Pure matching (no I/O), for testing and benchmarking. For each DICOM image: the DEXA exams
/// (one patient, date and side) of its patient within the window that have a T-score at the
/// reference site; among those, the same side as the image is preferred over an unknown side,
/// and an unknown side over the opposite side; then the nearest in time; then the earlier exam.
MatchResult match_images(const std::vector<ImageRecord>& images, const std::vector<DexaRecord>& dexa,
                         const MatchOptions& options);

/// Loads images and DEXA from the store, matches, and replaces all matches and DEXA labels in
/// one transaction.
MatchReport run_match(CohortStore& store, const MatchOptions& options);

/// Parses a --site value: a stable site name ("femoral_neck", "total_hip", ...) or "lowest".
/// kInvalidArgument otherwise.
Result<std::optional<DexaSite>> parse_reference_site(const std::string& text);

}  // namespace osteo
