#pragma once
/// @file
/// The model zoo: an explicit table of architectures (no self-registering statics), and
/// create_model() which builds an OsteoNet from a ModelConfig.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "osteo/core/error.h"
#include "osteo/ml/models/backbone.h"
#include "osteo/ml/models/osteo_net.h"

namespace osteo::ml {

/// One row of the zoo.
struct ModelSpec {
  const char* name;                      ///< stable identifier, e.g. "resnet18" (configs, checkpoints)
  BackbonePtr (*make_backbone)(int64_t in_channels);  ///< the factory
  int64_t default_input_size;            ///< square input side in pixels the design is meant for
  int64_t feature_stride;                ///< input side / feature-map side (exact for multiples of it)
  const char* description;
  /// Parameter count of the reference design with its own classifier (torchvision's published
  /// figure, 3-channel stem, 1000 classes). For "tiny" (ours), its own count without head.
  int64_t reference_parameter_count;
  /// The same without the classifier: what OsteoNet::backbone_parameter_count() must match.
  /// Derived by hand in registry.cpp.
  int64_t reference_backbone_parameter_count;
  const char* feature_layer;  ///< which layer features() returns (the Grad-CAM layer)
};

/// Every architecture, in a stable order.
const std::vector<ModelSpec>& model_registry();

/// The spec named `name` (exact match), or nullptr.
const ModelSpec* find_model_spec(std::string_view name);

/// "resnet18, resnet50, ..." (for messages and --help).
std::string model_names();

/// Builds the model `config` describes, freshly initialised, in training mode on the CPU.
/// Errors: kInvalidArgument for an unknown arch (the message lists the known names), for
/// in_channels < 1, num_covariates < 0, or dropout outside [0, 1).
Result<OsteoNet> create_model(const ModelConfig& config);

}  // namespace osteo::ml
