// "tiny": four conv-BN-ReLU blocks with stride 2 (16-32-64-64 channels, ~60k parameters).
// Not a published design: it exists so that tests and smoke runs of the whole pipeline
// (training, evaluation, Grad-CAM) take seconds on two cores.
#include "osteo/ml/models/architectures.h"
#include "osteo/ml/models/layers.h"

namespace osteo::ml {
namespace {

namespace nn = torch::nn;

constexpr int64_t kWidths[] = {16, 32, 64, 64};

class TinyImpl : public BackboneImpl {
 public:
  explicit TinyImpl(int64_t in_channels) {
    int64_t channels = in_channels;
    int index = 1;
    for (const int64_t width : kWidths) {
      auto block = register_module("block" + std::to_string(index++),
                                   ConvBnAct(channels, width, 3, 2, Activation::kReLU));
      blocks_.push_back(block);
      channels = width;
    }
    init_backbone_weights(*this, ConvInit::kKaimingFanOut);
  }

  torch::Tensor forward(const torch::Tensor& images) override {
    auto x = images;
    for (auto& block : blocks_) x = block(x);
    return x;
  }
  int64_t out_channels() const override { return kWidths[3]; }
  nn::Conv2d stem_conv() const override { return blocks_.front()->conv; }

 private:
  std::vector<ConvBnAct> blocks_;
};

}  // namespace

BackbonePtr make_tiny(int64_t in_channels) { return std::make_shared<TinyImpl>(in_channels); }

}  // namespace osteo::ml
