#pragma once
/// @file
/// OsteoNet: a backbone from the model zoo plus the screening head. Every architecture exposes
/// the same interface, so training, evaluation and Grad-CAM never look at the architecture:
///
///   forward(x, cov) == head(features(x), cov)
///
/// features() returns the last convolutional feature map (the Grad-CAM layer); head() does
/// global average pooling, optionally appends the covariates, and produces the 3-class WHO
/// logits (order of osteo::WhoCategory: normal, osteopenia, osteoporosis) and a T-score.
#include <cstdint>
#include <optional>
#include <string>

#include <torch/nn.h>

#include "osteo/ml/models/backbone.h"

namespace osteo::ml {

/// Number of WHO classes the head predicts (normal, osteopenia, osteoporosis).
inline constexpr int64_t kNumWhoClasses = 3;

/// What to build. Validated by create_model().
struct ModelConfig {
  std::string arch = "resnet18";  ///< a name of model_registry()
  int64_t in_channels = 1;        ///< image channels (1 for radiographs); ≥ 1
  int64_t num_covariates = 0;     ///< length of the covariate vector (e.g. age, sex, BMI); 0 = none
  double dropout = 0.2;           ///< dropout before the output layers, in [0, 1)
};

/// The two outputs of the head.
struct OsteoOutput {
  torch::Tensor who_logits;  ///< [N, 3] unnormalised WHO class scores
  torch::Tensor t_score;     ///< [N] regressed T-score (SD units)
};

/// Global average pooling → [concat covariates] → dropout → two linear outputs.
/// Both outputs share the pooled vector, so the T-score task regularises the classifier.
class OsteoHeadImpl : public torch::nn::Module {
 public:
  OsteoHeadImpl(int64_t feature_channels, int64_t num_covariates, double dropout);

  /// feature_map [N, C, h, w]; covariates [N, num_covariates] (float), required iff
  /// num_covariates > 0. Throws OsteoError(kInvalidArgument) on a shape mismatch.
  OsteoOutput forward(const torch::Tensor& feature_map, const std::optional<torch::Tensor>& covariates = std::nullopt);

  int64_t num_covariates() const { return num_covariates_; }

  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear who{nullptr};
  torch::nn::Linear t_score{nullptr};

 private:
  int64_t feature_channels_;
  int64_t num_covariates_;
};
TORCH_MODULE(OsteoHead);

/// A screening model. Build it with create_model() (registry.h), not directly.
/// Note: OsteoNet is a shared handle; `OsteoNet best = net;` aliases. Use clone_model().
class OsteoNetImpl : public torch::nn::Module {
 public:
  /// Takes ownership of `backbone`; `config.arch` is recorded for checkpoints.
  OsteoNetImpl(ModelConfig config, BackbonePtr backbone);

  /// images [N, in_channels, H, W] (float) → last conv feature map [N, feature_channels(), h, w].
  /// Throws OsteoError(kInvalidArgument) unless images is 4-D with in_channels channels.
  torch::Tensor features(const torch::Tensor& images);
  /// The screening head on a feature map from features().
  OsteoOutput head(const torch::Tensor& feature_map, const std::optional<torch::Tensor>& covariates = std::nullopt);
  /// head(features(images), covariates).
  OsteoOutput forward(const torch::Tensor& images, const std::optional<torch::Tensor>& covariates = std::nullopt);

  /// Channels of the feature map (the Grad-CAM layer).
  int64_t feature_channels() const { return backbone_->out_channels(); }
  const ModelConfig& config() const { return config_; }

  /// Parameters of the backbone, with the stem convolution counted as if it took 3 input
  /// channels: comparable to torchvision's count minus its classifier (see registry.cpp).
  int64_t backbone_parameter_count() const;
  /// Parameters of the head (depends on feature_channels and num_covariates).
  int64_t head_parameter_count() const;
  /// Every trainable parameter, as built (1-channel stem, head included).
  int64_t parameter_count() const;

  BackboneImpl& backbone() { return *backbone_; }
  OsteoHeadImpl& head_module() { return *head_; }

 private:
  ModelConfig config_;
  BackbonePtr backbone_;
  OsteoHead head_{nullptr};
};
TORCH_MODULE(OsteoNet);

/// Number of scalars in `module`'s parameters (recursively).
int64_t count_parameters(const torch::nn::Module& module);

}  // namespace osteo::ml
