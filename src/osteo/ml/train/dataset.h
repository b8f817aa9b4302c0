#pragma once
/// @file
/// The training data: labelled images per split (from the cohort store or a knee-format
/// manifest) and their preprocessed pixels, decoded ONCE into memory (N × S × S floats).
///
/// Why no torch::data: the whole set fits in memory after preprocessing (the knee set is 180
/// images), so a DataLoader would add copies of the dataset per worker and per-worker RNG
/// plumbing while only re-running the cheap augmentation. The trainer batches by hand, and
/// seeds each sample's augmentation from (seed, epoch, sample index), so the result does not
/// depend on how many threads do the work.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/cohort/split.h"
#include "osteo/cohort/store.h"
#include "osteo/core/error.h"
#include "osteo/core/types.h"
#include "osteo/ml/train/covariates.h"
#include "osteo/preprocess/preprocess.h"

namespace osteo::ml {

/// One labelled image.
struct TrainSample {
  std::int64_t image_id = 0;
  std::string path;        ///< the image file
  std::string patient_id;
  std::optional<std::array<int, 4>> roi;  ///< manifest box (x, y, w, h), used with RoiMode::kBox
  double t_score = 0.0;    ///< reference T-score (SD units)
  WhoCategory category = WhoCategory::kNormal;
  CovariateValues covariates;
};

/// The labelled images of a scheme, by split, plus where they came from (for the model card).
struct SplitSamples {
  std::vector<TrainSample> train, val, test;
  nlohmann::json source;  ///< {"kind": "manifest", "path", "sha256"} or {"kind": "store", "db", "scheme"}
  /// {"train": {"patients", "images", "normal", "osteopenia", "osteoporosis"}, "val": ..., "test": ...}
  nlohmann::json counts() const;
};

/// Samples of split scheme `scheme` in `store`: every labelled image whose patient is assigned
/// to train/val/test and that the scheme does not exclude, sorted by image id (deterministic).
/// kInvalidArgument when the scheme does not exist or leaves the train or val split empty.
Result<SplitSamples> samples_from_store(CohortStore& store, const std::string& scheme, const std::string& db_label);

/// Ingests a knee-format manifest into a temporary SQLite store (the one manifest parser; the
/// store is deleted afterwards) and splits it by patient, stratified by WHO class. Rows the
/// ingest rejects are logged as warnings with their line and left out. Errors: those of
/// ingest_manifest, kInvalidArgument for bad split options or an empty train/val split.
Result<SplitSamples> samples_from_manifest(const std::string& csv_path, const StratifiedSplitOptions& split,
                                           unsigned threads);

/// Preprocessed images, contiguous: image i is pixels[i·S·S, (i+1)·S·S).
struct PreparedSet {
  int size = 0;  ///< S
  std::vector<float> pixels;
  std::size_t count() const { return size > 0 ? pixels.size() / (static_cast<std::size_t>(size) * size) : 0; }
  const float* image(std::size_t i) const { return pixels.data() + i * static_cast<std::size_t>(size) * size; }
  float* image(std::size_t i) { return pixels.data() + i * static_cast<std::size_t>(size) * size; }
};

/// Reads and preprocesses every sample in parallel on `threads` threads (0 = all cores; OpenCV
/// is kept single-threaded inside the workers). The first failure (unreadable file, bad ROI) is
/// returned, naming the file: a training set never silently loses an image.
Result<PreparedSet> prepare_samples(const std::vector<TrainSample>& samples, const PreprocessConfig& config,
                                    unsigned threads, bool progress);

}  // namespace osteo::ml
