#include "osteo/ml/models/registry.h"

#include "osteo/ml/models/architectures.h"

namespace osteo::ml {
namespace {

// Reference counts. The totals are torchvision 0.14's published figures (3-channel stem,
// 1000-class classifier). The backbone references subtract the classifier by hand:
//
//   resnet18           11,689,512 − fc 512·1000+1000 (513,000)                 = 11,176,512
//   resnet50           25,557,032 − fc 2048·1000+1000 (2,049,000)              = 23,508,032
//   densenet121         7,978,856 − classifier 1024·1000+1000 (1,025,000)      =  6,953,856
//   efficientnet_b0     5,288,548 − classifier 1280·1000+1000 (1,281,000)      =  4,007,548
//   mobilenet_v3_large  5,483,032 − classifier 960·1280+1280 (1,230,080)
//                                  − 1280·1000+1000 (1,281,000) = 2,511,080   =  2,971,952
//   vgg16_bn          138,365,992 − classifier 25088·4096+4096 (102,764,544)
//                                  − 4096·4096+4096 (16,781,312)
//                                  − 4096·1000+1000 (4,097,000) = 123,642,856 = 14,723,136
//
// VGG's 4096-wide FC layers are dropped, not moved into our head: on top of a global average
// pool they would be 17M parameters for a 3-class problem, and the GAP head is what makes
// Grad-CAM uniform across the zoo. So "backbone" is VGG's `features` (13 conv+BN+ReLU and 5
// max-pools). MobileNetV3's 960→1280 hidden layer is part of its classifier and likewise dropped.
//
//   tiny (ours): conv-bn-relu 3→16, 16→32, 32→64, 64→64 (3×3, stride 2, no conv bias)
//     (3·9·16 + 2·16) + (16·9·32 + 2·32) + (32·9·64 + 2·64) + (64·9·64 + 2·64)
//     = 464 + 4,672 + 18,560 + 36,992                                         =     60,688
const std::vector<ModelSpec> kRegistry = {
    {"resnet18", &make_resnet18, 224, 32,
     "ResNet-18 (He et al. 2016): basic residual blocks [2,2,2,2], widths 64-512", 11'689'512, 11'176'512,
     "layer4 (output of the last residual stage), 512 channels, stride 32"},
    {"resnet50", &make_resnet50, 224, 32,
     "ResNet-50 (v1.5, stride on the 3x3): bottleneck blocks [3,4,6,3], expansion 4", 25'557'032, 23'508'032,
     "layer4 (output of the last residual stage), 2048 channels, stride 32"},
    {"densenet121", &make_densenet121, 224, 32,
     "DenseNet-121 (Huang et al. 2017): dense blocks (6,12,24,16), growth 32, bn_size 4", 7'978'856, 6'953'856,
     "features.norm5 followed by ReLU, 1024 channels, stride 32"},
    {"efficientnet_b0", &make_efficientnet_b0, 224, 32,
     "EfficientNet-B0 (Tan & Le 2019): MBConv with SE and SiLU, 16 blocks, stochastic depth 0.2", 5'288'548,
     4'007'548, "features.8 (1x1 conv 320->1280 + BN + SiLU), 1280 channels, stride 32"},
    {"mobilenet_v3_large", &make_mobilenet_v3_large, 224, 32,
     "MobileNetV3-Large (Howard et al. 2019): inverted residuals with SE (hard-sigmoid) and hardswish",
     5'483'032, 2'971'952, "features.16 (1x1 conv 160->960 + BN + hardswish), 960 channels, stride 32"},
    {"vgg16_bn", &make_vgg16_bn, 224, 32,
     "VGG-16 with batch norm (config D); the 4096-wide FC classifier is replaced by the GAP head", 138'365'992,
     14'723'136, "features (after the 5th max-pool), 512 channels, stride 32"},
    {"tiny", &make_tiny, 128, 16,
     "Four conv-BN-ReLU blocks (16-32-64-64, stride 2): a fast net for tests and smoke runs", 60'688, 60'688,
     "block4 (last conv-BN-ReLU), 64 channels, stride 16"},
};

}  // namespace

const std::vector<ModelSpec>& model_registry() { return kRegistry; }

const ModelSpec* find_model_spec(std::string_view name) {
  for (const auto& spec : kRegistry) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

std::string model_names() {
  std::string names;
  for (const auto& spec : kRegistry) {
    if (!names.empty()) names += ", ";
    names += spec.name;
  }
  return names;
}

Result<OsteoNet> create_model(const ModelConfig& config) {
  const ModelSpec* spec = find_model_spec(config.arch);
  if (spec == nullptr) {
    return fail(ErrorCode::kInvalidArgument,
                "unknown model architecture '" + config.arch + "' (known: " + model_names() + ")");
  }
  if (config.in_channels < 1) {
    return fail(ErrorCode::kInvalidArgument,
                "model in_channels must be >= 1, got " + std::to_string(config.in_channels));
  }
  if (config.num_covariates < 0) {
    return fail(ErrorCode::kInvalidArgument,
                "model num_covariates must be >= 0, got " + std::to_string(config.num_covariates));
  }
  if (!(config.dropout >= 0.0 && config.dropout < 1.0)) {
    return fail(ErrorCode::kInvalidArgument, "model dropout must be in [0, 1), got " + std::to_string(config.dropout));
  }
  return OsteoNet(config, spec->make_backbone(config.in_channels));
}

}  // namespace osteo::ml
