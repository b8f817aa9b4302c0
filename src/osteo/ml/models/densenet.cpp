// DenseNet-121 as in torchvision: pre-activation dense layers (BN-ReLU-1×1 conv to
// bn_size·growth, BN-ReLU-3×3 conv to growth), blocks (6, 12, 24, 16), transitions halving the
// channels with a 2×2 average pool, and a final BN whose ReLU torchvision applies in forward().
#include <iterator>
#include <vector>

#include "osteo/ml/models/architectures.h"
#include "osteo/ml/models/layers.h"

namespace osteo::ml {
namespace {

namespace nn = torch::nn;

constexpr int64_t kGrowth = 32;
constexpr int64_t kBnSize = 4;
constexpr int64_t kInitFeatures = 64;
constexpr int64_t kBlockLayers[] = {6, 12, 24, 16};

nn::Conv2d conv_no_bias(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}

// Maps the concatenation of all earlier features to `growth` new channels.
class DenseLayerImpl : public nn::Module {
 public:
  DenseLayerImpl(int64_t in, int64_t growth, int64_t bn_size)
      : norm1(register_module("norm1", nn::BatchNorm2d(in))),
        conv1(register_module("conv1", conv_no_bias(in, bn_size * growth, 1))),
        norm2(register_module("norm2", nn::BatchNorm2d(bn_size * growth))),
        conv2(register_module("conv2", conv_no_bias(bn_size * growth, growth, 3))) {}

  torch::Tensor forward(const torch::Tensor& concatenated) {
    auto bottleneck = conv1(torch::relu(norm1(concatenated)));
    return conv2(torch::relu(norm2(bottleneck)));
  }

  nn::BatchNorm2d norm1;
  nn::Conv2d conv1;
  nn::BatchNorm2d norm2;
  nn::Conv2d conv2;
};
TORCH_MODULE(DenseLayer);

class DenseBlockImpl : public nn::Module {
 public:
  DenseBlockImpl(int64_t num_layers, int64_t in, int64_t growth, int64_t bn_size) {
    for (int64_t i = 0; i < num_layers; ++i) {
      layers_.push_back(
          register_module("denselayer" + std::to_string(i + 1), DenseLayer(in + i * growth, growth, bn_size)));
    }
  }

  torch::Tensor forward(const torch::Tensor& x) {
    std::vector<torch::Tensor> features{x};
    features.reserve(layers_.size() + 1);
    for (auto& layer : layers_) features.push_back(layer(torch::cat(features, 1)));
    return torch::cat(features, 1);
  }

 private:
  std::vector<DenseLayer> layers_;
};
TORCH_MODULE(DenseBlock);

class TransitionImpl : public nn::Module {
 public:
  TransitionImpl(int64_t in, int64_t out)
      : norm(register_module("norm", nn::BatchNorm2d(in))), conv(register_module("conv", conv_no_bias(in, out, 1))) {}

  torch::Tensor forward(const torch::Tensor& x) {
    return torch::avg_pool2d(conv(torch::relu(norm(x))), /*kernel_size=*/{2, 2}, /*stride=*/{2, 2});
  }

  nn::BatchNorm2d norm;
  nn::Conv2d conv;
};
TORCH_MODULE(Transition);

class DenseNetImpl : public BackboneImpl {
 public:
  explicit DenseNetImpl(int64_t in_channels) {
    conv0 = register_module("conv0", nn::Conv2d(nn::Conv2dOptions(in_channels, kInitFeatures, 7)
                                                    .stride(2)
                                                    .padding(3)
                                                    .bias(false)));
    norm0 = register_module("norm0", nn::BatchNorm2d(kInitFeatures));
    int64_t channels = kInitFeatures;
    const size_t num_blocks = std::size(kBlockLayers);
    for (size_t b = 0; b < num_blocks; ++b) {
      auto block = DenseBlock(kBlockLayers[b], channels, kGrowth, kBnSize);
      trunk_->push_back("denseblock" + std::to_string(b + 1), block);
      channels += kBlockLayers[b] * kGrowth;
      if (b + 1 < num_blocks) {
        trunk_->push_back("transition" + std::to_string(b + 1), Transition(channels, channels / 2));
        channels /= 2;
      }
    }
    register_module("blocks", trunk_);
    norm5 = register_module("norm5", nn::BatchNorm2d(channels));
    out_channels_ = channels;
    init_backbone_weights(*this, ConvInit::kKaimingFanIn);
  }

  torch::Tensor forward(const torch::Tensor& images) override {
    auto x = torch::relu(norm0(conv0(images)));
    x = torch::max_pool2d(x, /*kernel_size=*/{3, 3}, /*stride=*/{2, 2}, /*padding=*/{1, 1});
    return torch::relu(norm5(trunk_->forward(x)));
  }
  int64_t out_channels() const override { return out_channels_; }
  nn::Conv2d stem_conv() const override { return conv0; }

 private:
  nn::Conv2d conv0{nullptr};
  nn::BatchNorm2d norm0{nullptr};
  nn::Sequential trunk_;
  nn::BatchNorm2d norm5{nullptr};
  int64_t out_channels_ = 0;
};

}  // namespace

BackbonePtr make_densenet121(int64_t in_channels) { return std::make_shared<DenseNetImpl>(in_channels); }

}  // namespace osteo::ml
