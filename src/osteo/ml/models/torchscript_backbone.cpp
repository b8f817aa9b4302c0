#include "osteo/ml/models/torchscript_backbone.h"

#include <filesystem>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <torch/script.h>

namespace osteo::ml {
namespace {

namespace nn = torch::nn;

// torch::nn::Module names may not contain '.'; clashes after replacement get a numeric suffix.
std::string unique_name(const std::string& dotted, std::set<std::string>& used) {
  std::string name = dotted;
  for (char& ch : name) {
    if (ch == '.') ch = '_';
  }
  std::string candidate = name;
  for (int i = 2; !used.insert(candidate).second; ++i) candidate = name + "_" + std::to_string(i);
  return candidate;
}

class TorchScriptBackboneImpl : public BackboneImpl {
 public:
  TorchScriptBackboneImpl(torch::jit::Module module, std::string path, int64_t in_channels, int64_t module_channels,
                          int64_t out_channels)
      : module_(std::move(module)),
        path_(std::move(path)),
        in_channels_(in_channels),
        module_channels_(module_channels),
        out_channels_(out_channels) {
    std::set<std::string> used;
    for (const auto& p : module_.named_parameters(/*recurse=*/true)) {
      register_parameter(unique_name(p.name, used), p.value, /*requires_grad=*/true);
      if (!stem_weight_.defined() && p.value.dim() == 4) stem_weight_ = p.value;
    }
    for (const auto& b : module_.named_buffers(/*recurse=*/true)) register_buffer(unique_name(b.name, used), b.value);
    module_.train(is_training());
  }

  torch::Tensor forward(const torch::Tensor& images) override {
    auto x = images;
    if (module_channels_ != in_channels_) x = x.repeat({1, module_channels_ / in_channels_, 1, 1});
    torch::jit::IValue out;
    try {
      out = module_.forward({x});
    } catch (const c10::Error& e) {
      throw OsteoError(ErrorCode::kInvalidArgument, "TorchScript backbone " + path_ + ": " + e.what_without_backtrace());
    } catch (const std::runtime_error& e) {  // torch::jit::JITException: an op failed inside a scripted module
      throw OsteoError(ErrorCode::kInvalidArgument, "TorchScript backbone " + path_ + ": " + e.what());
    }
    if (!out.isTensor() || out.toTensor().dim() != 4 || out.toTensor().size(1) != out_channels_) {
      throw OsteoError(ErrorCode::kInvalidArgument, "TorchScript backbone " + path_ + ": expected a feature map [N, " +
                                                        std::to_string(out_channels_) + ", h, w]");
    }
    return out.toTensor();
  }

  int64_t out_channels() const override { return out_channels_; }

  nn::Conv2d stem_conv() const override {
    // A stand-in Conv2d whose weight *is* the scripted stem's tensor (shared, not registered),
    // so the accounting sees its true shape without counting it twice.
    nn::Conv2d conv(nn::Conv2dOptions(1, 1, 1).bias(false));
    conv->weight = stem_weight_.defined() ? stem_weight_ : torch::zeros({0, 1, 1, 1});
    return conv;
  }

  void train(bool on = true) override {
    BackboneImpl::train(on);
    module_.train(on);
  }

 private:
  torch::jit::Module module_;
  std::string path_;
  int64_t in_channels_;
  int64_t module_channels_;  // what the scripted module takes: in_channels, or 3 for a gray input
  int64_t out_channels_;
  torch::Tensor stem_weight_;
};

// Runs the module once on zeros with `channels` channels; the output channel count, or the
// LibTorch message.
Result<int64_t> dry_run(torch::jit::Module& module, const std::string& path, int64_t channels, int64_t size) {
  const bool was_training = module.is_training();
  module.eval();  // training-mode batch norm would update the pretrained running statistics
  Result<int64_t> result = fail(ErrorCode::kInvalidArgument, "");
  try {
    torch::NoGradGuard no_grad;
    const auto out = module.forward({torch::zeros({1, channels, size, size})});
    if (!out.isTensor()) {
      result = fail(ErrorCode::kInvalidArgument, path + ": forward() must return a tensor, got " + out.tagKind());
    } else if (out.toTensor().dim() != 4) {
      result = fail(ErrorCode::kInvalidArgument, path + ": forward() must return a feature map [N, C, h, w], got " +
                                                     std::to_string(out.toTensor().dim()) + "-D");
    } else {
      result = out.toTensor().size(1);
    }
  } catch (const c10::Error& e) {
    result = fail(ErrorCode::kInvalidArgument, path + ": forward() failed on a [1, " + std::to_string(channels) + ", " +
                                                   std::to_string(size) + ", " + std::to_string(size) +
                                                   "] input: " + e.what_without_backtrace());
  } catch (const std::runtime_error& e) {  // torch::jit::JITException from scripted (not traced) code
    result = fail(ErrorCode::kInvalidArgument, path + ": forward() failed on a [1, " + std::to_string(channels) + ", " +
                                                   std::to_string(size) + ", " + std::to_string(size) +
                                                   "] input: " + e.what());
  }
  module.train(was_training);
  return result;
}

// Reads every parameter and buffer of `module` (recursively, in Module::save's nested layout)
// from `archive` into `pending` without touching the module; the first problem, if any.
std::optional<std::string> read_state(torch::nn::Module& module, torch::serialize::InputArchive& archive,
                                      const std::string& prefix,
                                      std::vector<std::pair<torch::Tensor, torch::Tensor>>& pending) {
  const auto read = [&](const std::string& key, const torch::Tensor& target, bool is_buffer) -> std::optional<std::string> {
    torch::Tensor value;
    if (!archive.try_read(key, value, is_buffer)) return "tensor " + prefix + key + " is missing";
    if (value.sizes() != target.sizes()) {
      return "tensor " + prefix + key + " has shape " + c10::str(value.sizes()) + ", the model needs " +
             c10::str(target.sizes());
    }
    pending.emplace_back(target, value);
    return std::nullopt;
  };
  for (const auto& p : module.named_parameters(/*recurse=*/false)) {
    if (auto err = read(p.key(), p.value(), false)) return err;
  }
  for (const auto& b : module.named_buffers(/*recurse=*/false)) {
    if (auto err = read(b.key(), b.value(), true)) return err;
  }
  for (const auto& child : module.named_children()) {
    torch::serialize::InputArchive sub;
    if (!archive.try_read(child.key(), sub)) return "module " + prefix + child.key() + " is missing";
    if (auto err = read_state(*child.value(), sub, prefix + child.key() + ".", pending)) return err;
  }
  return std::nullopt;
}

}  // namespace

Status load_torchscript_weights(OsteoNet& net, const std::string& path) {
  if (net->config().arch != kTorchScriptArch) {
    return fail(ErrorCode::kInvalidArgument, path + ": load_torchscript_weights needs a TorchScript model, got " +
                                                 net->config().arch + " (use load_weights)");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(ErrorCode::kFileNotFound, path + ": model checkpoint not found");
  }
  std::vector<std::pair<torch::Tensor, torch::Tensor>> pending;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    if (auto err = read_state(*net, archive, "", pending)) {
      return fail(ErrorCode::kInvalidArgument, path + ": checkpoint does not fit the model: " + *err);
    }
    // In-place copies: the scripted module shares these tensors, so it sees the new weights.
    torch::NoGradGuard no_grad;
    for (auto& [target, value] : pending) target.copy_(value);
  } catch (const c10::Error& e) {
    return fail(ErrorCode::kInvalidArgument, path + ": not a readable model checkpoint: " + e.what_without_backtrace());
  }
  return {};
}

Result<BackbonePtr> load_torchscript_backbone(const std::string& path, int64_t in_channels, int64_t input_size) {
  if (in_channels < 1 || input_size < 1) {
    return fail(ErrorCode::kInvalidArgument, path + ": TorchScript backbone needs in_channels >= 1 and input_size >= 1");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(ErrorCode::kFileNotFound, path + ": TorchScript file not found");
  }
  torch::jit::Module module;
  try {
    module = torch::jit::load(path, torch::kCPU);
  } catch (const c10::Error& e) {
    return fail(ErrorCode::kInvalidArgument, path + ": not a loadable TorchScript module: " + e.what_without_backtrace());
  } catch (const std::exception& e) {  // the zip reader throws plain std exceptions on some inputs
    return fail(ErrorCode::kInvalidArgument, path + ": not a loadable TorchScript module: " + e.what());
  }
  if (!module.find_method("forward")) {
    return fail(ErrorCode::kInvalidArgument, path + ": the TorchScript module has no forward()");
  }

  int64_t module_channels = in_channels;
  auto out_channels = dry_run(module, path, in_channels, input_size);
  if (!out_channels && in_channels == 1) {
    // ImageNet models take RGB: feed the gray channel three times.
    auto rgb = dry_run(module, path, 3, input_size);
    if (!rgb) {
      return fail(ErrorCode::kInvalidArgument, out_channels.error().message + "; with 3 channels: " + rgb.error().message);
    }
    module_channels = 3;
    out_channels = rgb;
  }
  if (!out_channels) return tl::unexpected(out_channels.error());
  try {
    return BackbonePtr(std::make_shared<TorchScriptBackboneImpl>(std::move(module), path, in_channels, module_channels,
                                                                 *out_channels));
  } catch (const c10::Error& e) {
    return fail(ErrorCode::kInvalidArgument, path + ": cannot adopt the module's parameters: " + e.what_without_backtrace());
  }
}

Result<OsteoNet> create_model_with_torchscript_backbone(const ModelConfig& config, const std::string& path,
                                                        int input_size) {
  if (config.in_channels < 1) {
    return fail(ErrorCode::kInvalidArgument, "model in_channels must be >= 1, got " + std::to_string(config.in_channels));
  }
  if (config.num_covariates < 0) {
    return fail(ErrorCode::kInvalidArgument,
                "model num_covariates must be >= 0, got " + std::to_string(config.num_covariates));
  }
  if (!(config.dropout >= 0.0 && config.dropout < 1.0)) {
    return fail(ErrorCode::kInvalidArgument, "model dropout must be in [0, 1), got " + std::to_string(config.dropout));
  }
  auto backbone = load_torchscript_backbone(path, config.in_channels, input_size);
  if (!backbone) return tl::unexpected(backbone.error());
  ModelConfig c = config;
  c.arch = kTorchScriptArch;
  return OsteoNet(c, std::move(*backbone));
}

}  // namespace osteo::ml
