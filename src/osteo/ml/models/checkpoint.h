#pragma once
/// @file
/// Saving, loading and copying OsteoNet weights. A checkpoint file (LibTorch archive, C++ ↔ C++)
/// holds the ModelConfig and every parameter and buffer (batch-norm running statistics
/// included), so load_model() needs nothing but the path. Training mode is not stored.
#include <string>

#include "osteo/core/error.h"
#include "osteo/ml/models/osteo_net.h"

namespace osteo::ml {

/// Writes `net`'s config and weights to `path` (overwrites). Errors: kIoError.
Status save_model(const OsteoNet& net, const std::string& path);

/// Builds the model a checkpoint describes and loads its weights (on the CPU, training mode:
/// call eval() for inference). Errors: kFileNotFound; kInvalidArgument when the file is not an
/// OsteoScreen checkpoint, names an unknown arch, or a tensor is missing or has the wrong shape.
Result<OsteoNet> load_model(const std::string& path);

/// Loads a checkpoint's weights into an existing model (kept on its device). The checkpoint's
/// arch, in_channels and num_covariates must equal `net`'s (kInvalidArgument otherwise); on any
/// error `net` is left unchanged.
Status load_weights(OsteoNet& net, const std::string& path);

/// An independent deep copy (same config, device, weights, buffers and training mode).
/// `OsteoNet best = net;` would only alias: OsteoNet is a shared handle.
OsteoNet clone_model(const OsteoNet& net);

}  // namespace osteo::ml
