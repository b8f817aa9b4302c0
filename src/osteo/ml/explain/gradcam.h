#pragma once
/// @file
/// Grad-CAM (Selvaraju et al. 2017) on OsteoNet's last convolutional feature map, plus the
/// model outputs of the same forward pass, so a server answers a screening request and its
/// heat map with one forward.
///
/// The head is global-average-pool → linear, so the gradient of a logit with respect to the
/// feature map is spatially constant and Grad-CAM equals CAM (Zhou et al. 2016); computing it
/// through autograd keeps it correct for any head. Only the head is differentiated: the
/// backbone runs without a graph, so explaining costs one forward plus a tiny backward.
#include <array>
#include <optional>
#include <vector>

#include <torch/types.h>

#include "osteo/core/error.h"
#include "osteo/ml/explain/heat_map.h"
#include "osteo/ml/models/osteo_net.h"
#include "osteo/preprocess/preprocess.h"

namespace osteo::ml {

/// Index of the osteoporosis logit (order of osteo::WhoCategory), the default Grad-CAM target.
inline constexpr int kOsteoporosisClass = 2;

/// Batch result of grad_cam(); every tensor is on the CPU, float, without grad.
struct GradCamTensors {
  torch::Tensor cam;            ///< [N, h, w] in [0, 1], feature-map resolution
  torch::Tensor cam_input;      ///< [N, H, W] in [0, 1], bilinear to the input size
  torch::Tensor degenerate;     ///< [N] bool: the map was all zero (no positive evidence, or zero gradient)
  torch::Tensor who_logits;     ///< [N, 3]
  torch::Tensor probabilities;  ///< [N, 3] softmax of who_logits
  torch::Tensor t_score;        ///< [N] regressed T-score (SD units)
};

/// Grad-CAM for `target_class` (0 normal, 1 osteopenia, 2 osteoporosis) on images
/// [N, in_channels, H, W] (moved to the model's device). Per image: weights = spatial mean of
/// d logit / d A, cam = ReLU(Σ_c weight_c A_c), divided by its maximum. The maximum, not
/// min-max, is the normaliser so that 0 keeps meaning "no evidence for the class"; a map that
/// is all zero stays zero and is flagged `degenerate` (never NaN).
///
/// Runs in eval mode: a model in training mode is switched to eval for the call and restored
/// (keep a shared model in eval mode when several threads explain with it). Works even when
/// called under NoGradGuard or InferenceMode: it enables grad for the head itself.
/// Errors: kInvalidArgument for a bad target class or input/covariate shape; kInternal for a
/// LibTorch failure (message included).
Result<GradCamTensors> grad_cam(OsteoNet& model, const torch::Tensor& images,
                                const std::optional<torch::Tensor>& covariates = std::nullopt,
                                int target_class = kOsteoporosisClass);

struct GradCamOptions {
  int target_class = kOsteoporosisClass;  ///< which WHO logit to explain
};

/// One screened and explained film.
struct Explanation {
  std::array<float, 3> probabilities{};  ///< softmax of the WHO logits (normal, osteopenia, osteoporosis)
  float t_score = 0.0f;                  ///< regressed T-score (SD units)
  int predicted_class = 0;               ///< argmax of probabilities
  int target_class = kOsteoporosisClass; ///< the class the maps explain
  bool degenerate = false;               ///< the maps are all zero (see grad_cam)
  HeatMap cam;                           ///< feature-map resolution
  HeatMap cam_input;                     ///< model input resolution (image.size²)
  HeatMap cam_film;                      ///< original film, film_rows × film_columns; 0 outside the ROI
};

/// Screens and explains one preprocessed film in a single forward pass. The 1-channel prepared
/// image is repeated to the model's in_channels. `covariates` must have the model's
/// num_covariates values (empty for a model without covariates). The film map is resampled
/// from the feature-map-resolution cam in one bilinear step (see map_to_film).
/// Errors: as grad_cam and map_to_film.
Result<Explanation> explain(OsteoNet& model, const PreparedImage& image, int film_rows, int film_columns,
                            const std::vector<float>& covariates = {}, const GradCamOptions& options = {});

}  // namespace osteo::ml
