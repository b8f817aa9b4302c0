// EfficientNet-B0 as in torchvision: a 3×3 stride-2 stem (32 ch), seven stages of MBConv
// blocks (expand 1×1 → depthwise k×k → squeeze-excitation → project 1×1, SiLU throughout,
// residual with stochastic depth when the shape is kept), then a 1×1 conv to 1280 channels.
#include <algorithm>
#include <iterator>
#include <vector>

#include "osteo/ml/models/architectures.h"
#include "osteo/ml/models/layers.h"

namespace osteo::ml {
namespace {

namespace nn = torch::nn;

struct StageSpec {
  int64_t expand_ratio;
  int64_t kernel;
  int64_t stride;
  int64_t in;
  int64_t out;
  int64_t layers;
};

// The B0 table (width and depth multipliers 1.0, so no rounding applies).
constexpr StageSpec kB0Stages[] = {
    {1, 3, 1, 32, 16, 1},  {6, 3, 2, 16, 24, 2},  {6, 5, 2, 24, 40, 2},   {6, 3, 2, 40, 80, 3},
    {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1},
};
constexpr int64_t kStemChannels = 32;
constexpr int64_t kLastChannels = 4 * 320;
constexpr double kStochasticDepth = 0.2;

class MBConvImpl : public nn::Module {
 public:
  MBConvImpl(int64_t in, int64_t out, int64_t expand_ratio, int64_t kernel, int64_t stride, double drop_prob)
      : residual_(stride == 1 && in == out), drop_prob_(drop_prob) {
    const int64_t expanded = in * expand_ratio;
    if (expanded != in) expand = register_module("expand", ConvBnAct(in, expanded, 1, 1, Activation::kSiLU));
    depthwise = register_module("depthwise", ConvBnAct(expanded, expanded, kernel, stride, Activation::kSiLU, expanded));
    // torchvision sizes the squeeze from the block's input channels, not the expanded ones.
    se = register_module("se", SqueezeExcitation(expanded, std::max<int64_t>(1, in / 4), Activation::kSiLU,
                                                 Activation::kSigmoid));
    project = register_module("project", ConvBnAct(expanded, out, 1, 1, Activation::kNone));
  }

  torch::Tensor forward(const torch::Tensor& x) {
    auto y = expand.is_empty() ? x : expand(x);
    y = project(se(depthwise(y)));
    if (residual_) y = stochastic_depth(y, drop_prob_, is_training()) + x;
    return y;
  }

  ConvBnAct expand{nullptr};
  ConvBnAct depthwise{nullptr};
  SqueezeExcitation se{nullptr};
  ConvBnAct project{nullptr};

 private:
  bool residual_;
  double drop_prob_;
};

class EfficientNetImpl : public StemBlocksHeadImpl {
 public:
  explicit EfficientNetImpl(int64_t in_channels) : StemBlocksHeadImpl(kLastChannels) {
    stem = register_module("stem", ConvBnAct(in_channels, kStemChannels, 3, 2, Activation::kSiLU));
    int64_t total_blocks = 0;
    for (const auto& s : kB0Stages) total_blocks += s.layers;
    int64_t block_id = 0;
    for (const auto& s : kB0Stages) {
      for (int64_t i = 0; i < s.layers; ++i, ++block_id) {
        // Drop probability grows linearly with depth, as in torchvision.
        const double p = kStochasticDepth * static_cast<double>(block_id) / static_cast<double>(total_blocks);
        blocks->push_back(std::make_shared<MBConvImpl>(i == 0 ? s.in : s.out, s.out, s.expand_ratio, s.kernel,
                                                       i == 0 ? s.stride : 1, p));
      }
    }
    register_module("blocks", blocks);
    head_conv = register_module("head_conv", ConvBnAct(kB0Stages[std::size(kB0Stages) - 1].out, kLastChannels, 1, 1,
                                                       Activation::kSiLU));
    init_backbone_weights(*this, ConvInit::kKaimingFanOut);
  }

};

}  // namespace

BackbonePtr make_efficientnet_b0(int64_t in_channels) { return std::make_shared<EfficientNetImpl>(in_channels); }

}  // namespace osteo::ml
