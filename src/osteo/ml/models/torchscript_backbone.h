#pragma once
/// @file
/// A backbone loaded from a TorchScript file, for users with pretrained weights exported from
/// Python (see docs/torchscript.md for the export script and its caveats). The scripted module
/// must map images [N, C, H, W] to a feature map [N, C', h, w]; OsteoScreen's head goes on top.
#include <cstdint>
#include <string>

#include "osteo/core/error.h"
#include "osteo/ml/models/backbone.h"
#include "osteo/ml/models/osteo_net.h"

namespace osteo::ml {

/// ModelConfig::arch of a model built on a TorchScript backbone. Such a model is not in the
/// registry: clone_model(), load_model() and load_weights() cannot rebuild it from its config;
/// build it again with create_model_with_torchscript_backbone() and use load_torchscript_weights().
inline constexpr const char* kTorchScriptArch = "torchscript";

/// Loads the scripted feature extractor at `path` (on the CPU) and wraps it as a Backbone.
///
/// - out_channels() comes from a dry run (eval mode, no grad, training flag restored) on a
///   zero input [1, in_channels, input_size, input_size].
/// - If the module rejects in_channels = 1 but accepts 3 channels (an ImageNet model), the gray
///   channel is repeated to 3 on every forward; the dry run decides.
/// - Trainable: every parameter of the scripted module is registered on the backbone (names with
///   '.' replaced by '_'), sharing storage, so optimizers update the scripted module itself and
///   torch::save / load_weights include them; buffers likewise. train()/eval() reach the module.
/// - stem_conv() is the first 4-D parameter (the first convolution in definition order), for the
///   3-channel parameter accounting.
///
/// Errors: kFileNotFound when `path` is missing; kInvalidArgument (with LibTorch's text) when
/// the file is not TorchScript, has no forward(), or does not yield a 4-D feature map for the
/// declared input, or for in_channels < 1 or input_size < 1.
Result<BackbonePtr> load_torchscript_backbone(const std::string& path, int64_t in_channels, int64_t input_size);

/// An OsteoNet with the TorchScript backbone at `path` and a fresh head. `config.arch` is
/// replaced by kTorchScriptArch; in_channels, num_covariates and dropout are validated as
/// create_model() does. Errors: as load_torchscript_backbone, kInvalidArgument for the config.
Result<OsteoNet> create_model_with_torchscript_backbone(const ModelConfig& config, const std::string& path,
                                                        int input_size);

/// Loads the weights of a checkpoint written by save_model() into `net`, a model built with
/// create_model_with_torchscript_backbone() from the same TorchScript file. Every parameter and
/// buffer must be present with the same shape; on any error `net` is left unchanged.
/// Errors: kFileNotFound; kInvalidArgument when `net` is not a TorchScript model, the file is not
/// a LibTorch archive, or a tensor is missing or has another shape (the message names it).
Status load_torchscript_weights(OsteoNet& net, const std::string& path);

}  // namespace osteo::ml
