// VGG-16 with batch norm (configuration "D") as in torchvision's `features`: 13 3×3 convs
// (with bias, as torchvision keeps it even before BN) + BN + ReLU, and a 2×2 max-pool after
// each of the 5 stages. The classifier is replaced by the OsteoNet head (see registry.cpp).
#include "osteo/ml/models/architectures.h"
#include "osteo/ml/models/layers.h"

namespace osteo::ml {
namespace {

namespace nn = torch::nn;

constexpr int64_t kPool = 0;  // marks a max-pool in the configuration
constexpr int64_t kConfigD[] = {64,  64,  kPool, 128, 128, kPool, 256, 256, 256, kPool,
                                512, 512, 512,   kPool, 512, 512, 512, kPool};

class VggImpl : public BackboneImpl {
 public:
  explicit VggImpl(int64_t in_channels) {
    int64_t channels = in_channels;
    for (const int64_t v : kConfigD) {
      if (v == kPool) {
        features->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).stride(2)));
        continue;
      }
      auto unit = ConvBnAct(channels, v, 3, 1, Activation::kReLU, 1, BatchNormSettings{}, /*conv_bias=*/true);
      if (stem_.is_empty()) stem_ = unit->conv;
      features->push_back(unit);
      channels = v;
    }
    register_module("features", features);
    out_channels_ = channels;
    init_backbone_weights(*this, ConvInit::kKaimingFanOut);
  }

  torch::Tensor forward(const torch::Tensor& images) override { return features->forward(images); }
  int64_t out_channels() const override { return out_channels_; }
  nn::Conv2d stem_conv() const override { return stem_; }

  nn::Sequential features;

 private:
  nn::Conv2d stem_{nullptr};
  int64_t out_channels_ = 0;
};

}  // namespace

BackbonePtr make_vgg16_bn(int64_t in_channels) { return std::make_shared<VggImpl>(in_channels); }

}  // namespace osteo::ml
