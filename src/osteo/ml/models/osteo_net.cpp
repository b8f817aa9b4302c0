#include "osteo/ml/models/osteo_net.h"

#include <utility>

#include "osteo/core/error.h"

namespace osteo::ml {
namespace {

std::string shape_string(const torch::Tensor& t) {
  std::string s = "[";
  for (int64_t i = 0; i < t.dim(); ++i) s += (i ? ", " : "") + std::to_string(t.size(i));
  return s + "]";
}

}  // namespace

int64_t count_parameters(const torch::nn::Module& module) {
  int64_t n = 0;
  for (const auto& p : module.parameters(/*recurse=*/true)) n += p.numel();
  return n;
}

OsteoHeadImpl::OsteoHeadImpl(int64_t feature_channels, int64_t num_covariates, double dropout_p)
    : feature_channels_(feature_channels), num_covariates_(num_covariates) {
  const int64_t in = feature_channels + num_covariates;
  dropout = register_module("dropout", torch::nn::Dropout(torch::nn::DropoutOptions(dropout_p)));
  who = register_module("who", torch::nn::Linear(in, kNumWhoClasses));
  t_score = register_module("t_score", torch::nn::Linear(in, 1));
  // Small outputs at start: the logits begin near uniform and the T-score near 0, so early
  // losses are not dominated by random large predictions.
  for (auto* linear : {who.get(), t_score.get()}) {
    torch::nn::init::normal_(linear->weight, 0.0, 0.01);
    torch::nn::init::zeros_(linear->bias);
  }
}

OsteoOutput OsteoHeadImpl::forward(const torch::Tensor& feature_map, const std::optional<torch::Tensor>& covariates) {
  if (feature_map.dim() != 4 || feature_map.size(1) != feature_channels_) {
    throw OsteoError(ErrorCode::kInvalidArgument, "OsteoHead: expected a feature map [N, " +
                                                      std::to_string(feature_channels_) + ", h, w], got " +
                                                      shape_string(feature_map));
  }
  auto pooled = feature_map.mean({2, 3});
  const bool has_covariates = covariates && covariates->defined() && covariates->numel() > 0;
  if (num_covariates_ > 0) {
    if (!has_covariates) {
      throw OsteoError(ErrorCode::kInvalidArgument,
                       "OsteoHead: the model expects " + std::to_string(num_covariates_) + " covariates, none given");
    }
    const auto& cov = *covariates;
    if (cov.dim() != 2 || cov.size(0) != pooled.size(0) || cov.size(1) != num_covariates_) {
      throw OsteoError(ErrorCode::kInvalidArgument, "OsteoHead: expected covariates [" +
                                                        std::to_string(pooled.size(0)) + ", " +
                                                        std::to_string(num_covariates_) + "], got " +
                                                        shape_string(cov));
    }
    pooled = torch::cat({pooled, cov.to(pooled.options())}, 1);
  } else if (has_covariates) {
    throw OsteoError(ErrorCode::kInvalidArgument, "OsteoHead: the model was built without covariates, got " +
                                                      shape_string(*covariates));
  }
  pooled = dropout(pooled);
  return {who(pooled), t_score(pooled).squeeze(1)};
}

OsteoNetImpl::OsteoNetImpl(ModelConfig config, BackbonePtr backbone)
    : config_(std::move(config)), backbone_(std::move(backbone)) {
  register_module("backbone", backbone_);
  head_ = register_module("head", OsteoHead(backbone_->out_channels(), config_.num_covariates, config_.dropout));
}

torch::Tensor OsteoNetImpl::features(const torch::Tensor& images) {
  if (images.dim() != 4 || images.size(1) != config_.in_channels) {
    throw OsteoError(ErrorCode::kInvalidArgument, "model " + config_.arch + ": expected images [N, " +
                                                      std::to_string(config_.in_channels) + ", H, W], got " +
                                                      shape_string(images));
  }
  return backbone_->forward(images);
}

OsteoOutput OsteoNetImpl::head(const torch::Tensor& feature_map, const std::optional<torch::Tensor>& covariates) {
  return head_->forward(feature_map, covariates);
}

OsteoOutput OsteoNetImpl::forward(const torch::Tensor& images, const std::optional<torch::Tensor>& covariates) {
  return head(features(images), covariates);
}

int64_t OsteoNetImpl::backbone_parameter_count() const {
  const auto& w = backbone_->stem_conv()->weight;
  // Re-count the stem's weight for 3 input channels; its bias does not depend on them.
  const int64_t per_channel = w.numel() / w.size(1);
  return count_parameters(*backbone_) - w.numel() + 3 * per_channel;
}

int64_t OsteoNetImpl::head_parameter_count() const { return count_parameters(*head_); }

int64_t OsteoNetImpl::parameter_count() const { return count_parameters(*this); }

}  // namespace osteo::ml
