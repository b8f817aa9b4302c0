// MobileNetV3-Large as in torchvision: a 3×3 stride-2 hardswish stem (16 ch), fifteen inverted
// residual blocks (ReLU early, hardswish late; SE with a hard-sigmoid gate and squeeze width
// make_divisible(expanded/4)), then a 1×1 conv to 960 channels. BN eps 1e-3, momentum 0.01.
#include <iterator>
#include <vector>

#include "osteo/ml/models/architectures.h"
#include "osteo/ml/models/layers.h"

namespace osteo::ml {
namespace {

namespace nn = torch::nn;

struct BlockSpec {
  int64_t in;
  int64_t kernel;
  int64_t expanded;
  int64_t out;
  bool use_se;
  Activation act;
  int64_t stride;
};

constexpr Activation kRE = Activation::kReLU;
constexpr Activation kHS = Activation::kHardswish;

// The Large table of the paper (Table 1), width multiplier 1.0, no dilation.
constexpr BlockSpec kLargeBlocks[] = {
    {16, 3, 16, 16, false, kRE, 1},    {16, 3, 64, 24, false, kRE, 2},    {24, 3, 72, 24, false, kRE, 1},
    {24, 5, 72, 40, true, kRE, 2},     {40, 5, 120, 40, true, kRE, 1},    {40, 5, 120, 40, true, kRE, 1},
    {40, 3, 240, 80, false, kHS, 2},   {80, 3, 200, 80, false, kHS, 1},   {80, 3, 184, 80, false, kHS, 1},
    {80, 3, 184, 80, false, kHS, 1},   {80, 3, 480, 112, true, kHS, 1},   {112, 3, 672, 112, true, kHS, 1},
    {112, 5, 672, 160, true, kHS, 2},  {160, 5, 960, 160, true, kHS, 1},  {160, 5, 960, 160, true, kHS, 1},
};
constexpr int64_t kStemChannels = 16;
constexpr int64_t kLastChannels = 6 * 160;
constexpr BatchNormSettings kBn{1e-3, 0.01};

class InvertedResidualImpl : public nn::Module {
 public:
  explicit InvertedResidualImpl(const BlockSpec& s) : residual_(s.stride == 1 && s.in == s.out) {
    if (s.expanded != s.in) expand = register_module("expand", ConvBnAct(s.in, s.expanded, 1, 1, s.act, 1, kBn));
    depthwise =
        register_module("depthwise", ConvBnAct(s.expanded, s.expanded, s.kernel, s.stride, s.act, s.expanded, kBn));
    if (s.use_se) {
      se = register_module("se", SqueezeExcitation(s.expanded, make_divisible(static_cast<double>(s.expanded / 4)),
                                                   Activation::kReLU, Activation::kHardsigmoid));
    }
    project = register_module("project", ConvBnAct(s.expanded, s.out, 1, 1, Activation::kNone, 1, kBn));
  }

  torch::Tensor forward(const torch::Tensor& x) {
    auto y = expand.is_empty() ? x : expand(x);
    y = depthwise(y);
    if (!se.is_empty()) y = se(y);
    y = project(y);
    return residual_ ? y + x : y;
  }

  ConvBnAct expand{nullptr};
  ConvBnAct depthwise{nullptr};
  SqueezeExcitation se{nullptr};
  ConvBnAct project{nullptr};

 private:
  bool residual_;
};

class MobileNetV3Impl : public StemBlocksHeadImpl {
 public:
  explicit MobileNetV3Impl(int64_t in_channels) : StemBlocksHeadImpl(kLastChannels) {
    stem = register_module("stem", ConvBnAct(in_channels, kStemChannels, 3, 2, kHS, 1, kBn));
    for (const auto& spec : kLargeBlocks) blocks->push_back(std::make_shared<InvertedResidualImpl>(spec));
    register_module("blocks", blocks);
    head_conv = register_module(
        "head_conv", ConvBnAct(kLargeBlocks[std::size(kLargeBlocks) - 1].out, kLastChannels, 1, 1, kHS, 1, kBn));
    init_backbone_weights(*this, ConvInit::kKaimingFanOut);
  }

};

}  // namespace

BackbonePtr make_mobilenet_v3_large(int64_t in_channels) { return std::make_shared<MobileNetV3Impl>(in_channels); }

}  // namespace osteo::ml
