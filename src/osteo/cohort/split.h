#pragma once
/// @file
/// Patient-level splits of the labelled images. A patient is assigned to exactly one split of
/// a scheme (the store's key enforces it); images are only ever in their patient's split.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "osteo/cohort/records.h"
#include "osteo/cohort/store.h"

namespace osteo {

/// Train on years ≤ train_until_year, test on test_year; validation carved from the training
/// patients. A patient with labelled images in both periods is a training patient, and the
/// test-year images are excluded ("patient_in_train"): the test set holds only patients the
/// model never saw. Images in neither period or without a study date are excluded.
struct TemporalSplitOptions {
  int train_until_year = 2021;
  int test_year = 2022;
  double val_fraction = 0.15;  ///< of training patients, stratified by class
  std::uint64_t seed = 42;
};

/// Random patient-level split, stratified by the patient's WHO class (the most severe of the
/// patient's labels), so every split keeps the cohort's class balance.
struct StratifiedSplitOptions {
  double test_fraction = 0.2;
  double val_fraction = 0.1;  ///< of all patients
  std::uint64_t seed = 42;
};

/// An image with its label, the input to splitting.
struct LabelledImage {
  std::int64_t image_id = 0;
  std::string patient_id;
  std::optional<Date> study_date;
  WhoCategory category = WhoCategory::kNormal;
};

struct SplitPlan {
  std::vector<SplitAssignment> assignments;  ///< one per patient
  std::vector<SplitExclusion> exclusions;
};

/// Joins the store's labels with their images.
std::vector<LabelledImage> labelled_images(CohortStore& store);

SplitPlan plan_temporal_split(const std::vector<LabelledImage>& images, const TemporalSplitOptions& options);
SplitPlan plan_stratified_split(const std::vector<LabelledImage>& images, const StratifiedSplitOptions& options);

/// kInvalidArgument unless 0 ≤ fractions and test+val < 1, or train_until_year < test_year.
Status validate(const TemporalSplitOptions& options);
Status validate(const StratifiedSplitOptions& options);

/// Checks the plan gives each patient one split (it always should; this guards the store call).
Status check_disjoint(const SplitPlan& plan);

/// Per split: patients, images, and images per WHO class; plus excluded images by reason.
/// Keys: {"scheme", "splits": {"train": {"patients", "images", "normal", "osteopenia",
/// "osteoporosis"}, ...}, "excluded": {reason: count}}.
nlohmann::json split_counts(CohortStore& store, const std::string& scheme);

}  // namespace osteo
