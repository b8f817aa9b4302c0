#pragma once
/// @file
/// The per-architecture part of a model: the convolutional trunk up to its last feature map.
#include <cstdint>
#include <memory>

#include <torch/nn.h>

namespace osteo::ml {

/// A convolutional trunk. Implementations follow the torchvision reference designs, minus
/// their classifier, with a stem that takes `in_channels` input channels.
class BackboneImpl : public torch::nn::Module {
 public:
  /// images [N, in_channels, H, W] → last convolutional feature map [N, out_channels(), h, w].
  virtual torch::Tensor forward(const torch::Tensor& images) = 0;
  /// Channels of the feature map.
  virtual int64_t out_channels() const = 0;
  /// The first convolution: the only layer whose shape depends on the input channels, so the
  /// parameter accounting can count it as if it took 3 channels (RGB, as torchvision's does).
  virtual torch::nn::Conv2d stem_conv() const = 0;
};

using BackbonePtr = std::shared_ptr<BackboneImpl>;

}  // namespace osteo::ml
