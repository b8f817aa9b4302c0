// ResNet-18 and ResNet-50 as in torchvision (v1.5: a bottleneck's stride sits on its 3×3 conv).
#include <vector>

#include "osteo/ml/models/architectures.h"
#include "osteo/ml/models/layers.h"

namespace osteo::ml {
namespace {

namespace nn = torch::nn;

nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}

// 1×1 conv + BN on the identity path when the shape changes; empty otherwise.
nn::Sequential make_downsample(int64_t in, int64_t out, int64_t stride) {
  if (stride == 1 && in == out) return nn::Sequential(nullptr);
  return nn::Sequential(conv(in, out, 1, stride), nn::BatchNorm2d(out));
}

class BasicBlockImpl : public nn::Module {
 public:
  static constexpr int64_t kExpansion = 1;

  BasicBlockImpl(int64_t in, int64_t planes, int64_t stride)
      : conv1(register_module("conv1", conv(in, planes, 3, stride))),
        bn1(register_module("bn1", nn::BatchNorm2d(planes))),
        conv2(register_module("conv2", conv(planes, planes, 3, 1))),
        bn2(register_module("bn2", nn::BatchNorm2d(planes))),
        downsample(make_downsample(in, planes, stride)) {
    if (!downsample.is_empty()) register_module("downsample", downsample);
  }

  torch::Tensor forward(const torch::Tensor& x) {
    auto out = torch::relu(bn1(conv1(x)));
    out = bn2(conv2(out));
    return torch::relu(out + (downsample.is_empty() ? x : downsample->forward(x)));
  }

  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::Conv2d conv2;
  nn::BatchNorm2d bn2;
  nn::Sequential downsample;
};

class BottleneckImpl : public nn::Module {
 public:
  static constexpr int64_t kExpansion = 4;

  BottleneckImpl(int64_t in, int64_t planes, int64_t stride)
      : conv1(register_module("conv1", conv(in, planes, 1, 1))),
        bn1(register_module("bn1", nn::BatchNorm2d(planes))),
        conv2(register_module("conv2", conv(planes, planes, 3, stride))),
        bn2(register_module("bn2", nn::BatchNorm2d(planes))),
        conv3(register_module("conv3", conv(planes, planes * kExpansion, 1, 1))),
        bn3(register_module("bn3", nn::BatchNorm2d(planes * kExpansion))),
        downsample(make_downsample(in, planes * kExpansion, stride)) {
    if (!downsample.is_empty()) register_module("downsample", downsample);
  }

  torch::Tensor forward(const torch::Tensor& x) {
    auto out = torch::relu(bn1(conv1(x)));
    out = torch::relu(bn2(conv2(out)));
    out = bn3(conv3(out));
    return torch::relu(out + (downsample.is_empty() ? x : downsample->forward(x)));
  }

  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::Conv2d conv2;
  nn::BatchNorm2d bn2;
  nn::Conv2d conv3;
  nn::BatchNorm2d bn3;
  nn::Sequential downsample;
};

template <class Block>
class ResNetImpl : public BackboneImpl {
 public:
  ResNetImpl(int64_t in_channels, const std::vector<int64_t>& blocks_per_stage) {
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(in_channels, 64, 7).stride(2).padding(3).bias(false)));
    bn1 = register_module("bn1", nn::BatchNorm2d(64));
    maxpool = register_module("maxpool", nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2).padding(1)));
    int64_t in = 64;
    const int64_t widths[] = {64, 128, 256, 512};
    for (size_t stage = 0; stage < 4; ++stage) {
      nn::Sequential layer;
      for (int64_t b = 0; b < blocks_per_stage[stage]; ++b) {
        const int64_t stride = (stage > 0 && b == 0) ? 2 : 1;
        layer->push_back(std::make_shared<Block>(in, widths[stage], stride));
        in = widths[stage] * Block::kExpansion;
      }
      layers_.push_back(register_module("layer" + std::to_string(stage + 1), layer));
    }
    out_channels_ = in;
    init_backbone_weights(*this, ConvInit::kKaimingFanOut);
  }

  torch::Tensor forward(const torch::Tensor& images) override {
    auto x = maxpool(torch::relu(bn1(conv1(images))));
    for (auto& layer : layers_) x = layer->forward(x);
    return x;
  }
  int64_t out_channels() const override { return out_channels_; }
  nn::Conv2d stem_conv() const override { return conv1; }

 private:
  nn::Conv2d conv1{nullptr};
  nn::BatchNorm2d bn1{nullptr};
  nn::MaxPool2d maxpool{nullptr};
  std::vector<nn::Sequential> layers_;
  int64_t out_channels_ = 0;
};

}  // namespace

BackbonePtr make_resnet18(int64_t in_channels) {
  return std::make_shared<ResNetImpl<BasicBlockImpl>>(in_channels, std::vector<int64_t>{2, 2, 2, 2});
}

BackbonePtr make_resnet50(int64_t in_channels) {
  return std::make_shared<ResNetImpl<BottleneckImpl>>(in_channels, std::vector<int64_t>{3, 4, 6, 3});
}

}  // namespace osteo::ml
