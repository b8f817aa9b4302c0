#pragma once
/// @file
/// Batch prediction from a trained model: per image the WHO class probabilities and the
/// regressed T-score. Used by training (validation), evaluate, compare and the server.
///
/// Runs the model in eval mode under torch::NoGradGuard, in batches, with LibTorch's intra-op
/// thread count set. Not re-entrant on one model: the server should funnel requests through
/// one inference worker (or give each worker its own load_checkpoint()).
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "osteo/core/error.h"
#include "osteo/core/radiograph.h"
#include "osteo/ml/models/osteo_net.h"
#include "osteo/ml/train/covariates.h"
#include "osteo/ml/train/dataset.h"

namespace osteo::ml {

struct Checkpoint;

/// The model's answer for one image.
struct Prediction {
  double p_normal = 0, p_osteopenia = 0, p_osteoporosis = 0;  ///< softmax of the WHO logits, sum 1
  double t_score = 0;                                          ///< regressed T-score (SD units)
  /// P(T < −1): osteopenia or osteoporosis.
  double p_low_bmd() const { return p_osteopenia + p_osteoporosis; }
};

struct PredictOptions {
  unsigned threads = 0;  ///< LibTorch intra-op threads and preprocessing workers (0 = all cores)
  int batch_size = 32;
  bool progress = false;
};

/// Low level: `net` on already preprocessed images. `covariates` holds one standardised vector
/// per image (empty when the model has no covariates). Switches `net` to eval mode (and leaves
/// it there). Throws OsteoError(kInvalidArgument) when the covariate count does not match.
std::vector<Prediction> predict_prepared(OsteoNet& net, const PreparedSet& images,
                                         const std::vector<std::vector<float>>& covariates,
                                         const PredictOptions& options = {});

/// One image to screen: rendered pixels (read_radiograph), the optional manifest box for
/// RoiMode::kBox, and the raw covariates (missing ones are imputed as in training).
struct PredictInput {
  const Radiograph* image = nullptr;
  std::optional<std::array<int, 4>> roi;
  CovariateValues covariates;
};

/// Preprocesses with the checkpoint's own config (in parallel) and predicts.
/// Errors: kInvalidArgument for a null image or one preprocessing rejects (message names meta.path).
Result<std::vector<Prediction>> predict(Checkpoint& checkpoint, const std::vector<PredictInput>& inputs,
                                        const PredictOptions& options = {});

/// Reads, preprocesses and predicts stored samples (their covariates and boxes included).
/// Errors: those of prepare_samples (the first unreadable file).
Result<std::vector<Prediction>> predict_samples(Checkpoint& checkpoint, const std::vector<TrainSample>& samples,
                                                const PredictOptions& options = {});

/// nlohmann JSON of one prediction: {"p_normal", "p_osteopenia", "p_osteoporosis", "p_low_bmd", "t_score"}.
nlohmann::json to_json(const Prediction& p);

}  // namespace osteo::ml
