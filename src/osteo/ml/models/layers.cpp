#include "osteo/ml/models/layers.h"

#include <algorithm>

namespace osteo::ml {

torch::Tensor apply_activation(Activation act, const torch::Tensor& x) {
  switch (act) {
    case Activation::kNone: return x;
    case Activation::kReLU: return torch::relu(x);
    case Activation::kSiLU: return torch::silu(x);
    case Activation::kHardswish: return torch::hardswish(x);
    case Activation::kSigmoid: return torch::sigmoid(x);
    case Activation::kHardsigmoid: return torch::hardsigmoid(x);
  }
  return x;
}

ConvBnActImpl::ConvBnActImpl(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride,
                             Activation act, int64_t groups, BatchNormSettings bn_settings, bool conv_bias)
    : act_(act) {
  conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, kernel)
                                                       .stride(stride)
                                                       .padding((kernel - 1) / 2)
                                                       .groups(groups)
                                                       .bias(conv_bias)));
  bn = register_module(
      "bn", torch::nn::BatchNorm2d(
                torch::nn::BatchNorm2dOptions(out_channels).eps(bn_settings.eps).momentum(bn_settings.momentum)));
}

torch::Tensor ConvBnActImpl::forward(const torch::Tensor& x) { return apply_activation(act_, bn(conv(x))); }

SqueezeExcitationImpl::SqueezeExcitationImpl(int64_t channels, int64_t squeeze_channels, Activation act,
                                             Activation gate)
    : act_(act), gate_(gate) {
  fc1 = register_module("fc1", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, squeeze_channels, 1)));
  fc2 = register_module("fc2", torch::nn::Conv2d(torch::nn::Conv2dOptions(squeeze_channels, channels, 1)));
}

torch::Tensor SqueezeExcitationImpl::forward(const torch::Tensor& x) {
  auto scale = torch::adaptive_avg_pool2d(x, {1, 1});
  scale = apply_activation(gate_, fc2(apply_activation(act_, fc1(scale))));
  return x * scale;
}

torch::Tensor stochastic_depth(const torch::Tensor& x, double p, bool training) {
  if (!training || p <= 0.0) return x;
  const double survival = 1.0 - p;
  std::vector<int64_t> noise_shape(static_cast<size_t>(x.dim()), 1);
  noise_shape[0] = x.size(0);
  auto noise = torch::empty(noise_shape, x.options()).bernoulli_(survival);
  if (survival > 0.0) noise.div_(survival);
  return x * noise;
}

int64_t make_divisible(double value, int64_t divisor) {
  const auto d = static_cast<double>(divisor);
  int64_t rounded = std::max<int64_t>(divisor, static_cast<int64_t>(value + d / 2.0) / divisor * divisor);
  if (static_cast<double>(rounded) < 0.9 * value) rounded += divisor;
  return rounded;
}

void init_backbone_weights(torch::nn::Module& module, ConvInit conv_init) {
  const auto mode = conv_init == ConvInit::kKaimingFanOut ? torch::nn::init::FanModeType(torch::kFanOut)
                                                          : torch::nn::init::FanModeType(torch::kFanIn);
  for (const auto& child : module.modules(/*include_self=*/false)) {
    if (auto* conv = child->as<torch::nn::Conv2dImpl>()) {
      torch::nn::init::kaiming_normal_(conv->weight, 0.0, mode, torch::kReLU);
      if (conv->bias.defined()) torch::nn::init::zeros_(conv->bias);
    } else if (auto* bn = child->as<torch::nn::BatchNorm2dImpl>()) {
      torch::nn::init::ones_(bn->weight);
      torch::nn::init::zeros_(bn->bias);
    }
  }
}

}  // namespace osteo::ml
