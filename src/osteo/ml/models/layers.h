#pragma once
/// @file
/// Building blocks shared by the architectures of the model zoo: the conv → batch-norm →
/// activation unit (torchvision's Conv2dNormActivation), squeeze-and-excitation, stochastic
/// depth, torchvision's channel rounding, and the weight-initialisation schemes.
#include <cstdint>

#include <torch/nn.h>

#include "osteo/ml/models/backbone.h"

namespace osteo::ml {

/// Non-linearities used by the zoo. Applied functionally: they hold no parameters.
enum class Activation { kNone, kReLU, kSiLU, kHardswish, kSigmoid, kHardsigmoid };

/// Applies `act` to `x` (kNone returns `x`).
torch::Tensor apply_activation(Activation act, const torch::Tensor& x);

/// Batch-norm settings. The defaults are PyTorch's; MobileNetV3 uses eps 1e-3, momentum 0.01.
struct BatchNormSettings {
  double eps = 1e-5;
  double momentum = 0.1;
};

/// Conv2d → BatchNorm2d → activation, with "same" padding (kernel-1)/2 * dilation.
/// The convolution has no bias unless `conv_bias` (VGG keeps it, as torchvision does).
class ConvBnActImpl : public torch::nn::Module {
 public:
  ConvBnActImpl(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride, Activation act,
                int64_t groups = 1, BatchNormSettings bn = {}, bool conv_bias = false);
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};

 private:
  Activation act_;
};
TORCH_MODULE(ConvBnAct);

/// Squeeze-and-excitation (Hu et al.): global average pool → 1×1 conv (bias) → `act` →
/// 1×1 conv (bias) → `gate` → channel-wise rescaling of the input.
class SqueezeExcitationImpl : public torch::nn::Module {
 public:
  SqueezeExcitationImpl(int64_t channels, int64_t squeeze_channels, Activation act, Activation gate);
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv2d fc1{nullptr};
  torch::nn::Conv2d fc2{nullptr};

 private:
  Activation act_;
  Activation gate_;
};
TORCH_MODULE(SqueezeExcitation);

/// Row-wise stochastic depth (Huang et al.): while training, zeroes the residual branch of
/// each sample with probability `p` and rescales the survivors by 1/(1-p). Identity in eval.
torch::Tensor stochastic_depth(const torch::Tensor& x, double p, bool training);

/// torchvision's _make_divisible: rounds `value` to the nearest multiple of `divisor` (at least
/// `divisor`) without going more than 10% below it. Needed to reproduce its SE widths exactly.
int64_t make_divisible(double value, int64_t divisor = 8);

/// How convolution weights are initialised (kaiming normal, gain √2 as in torchvision).
enum class ConvInit { kKaimingFanOut, kKaimingFanIn };

/// torchvision-style initialisation of every submodule of `module` (callable from its constructor): convolutions with
/// kaiming-normal weights (mode `conv_init`) and zero bias, batch-norms with weight 1, bias 0.
void init_backbone_weights(torch::nn::Module& module, ConvInit conv_init);

/// The stem → blocks → 1×1 head-convolution backbone shared by EfficientNet and MobileNetV3.
/// A subclass constructor registers `stem` and `head_conv`, fills and registers `blocks`; the
/// module names ("stem", "blocks", "head_conv") are the checkpoint's parameter names.
class StemBlocksHeadImpl : public BackboneImpl {
 public:
  explicit StemBlocksHeadImpl(int64_t out_channels) : out_channels_(out_channels) {}
  torch::Tensor forward(const torch::Tensor& images) override { return head_conv(blocks->forward(stem(images))); }
  int64_t out_channels() const override { return out_channels_; }
  torch::nn::Conv2d stem_conv() const override { return stem->conv; }

  ConvBnAct stem{nullptr};
  torch::nn::Sequential blocks;
  ConvBnAct head_conv{nullptr};

 private:
  int64_t out_channels_;
};

}  // namespace osteo::ml
