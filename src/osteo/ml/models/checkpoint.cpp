#include "osteo/ml/models/checkpoint.h"

#include <filesystem>
#include <map>

#include <torch/serialize.h>

#include "osteo/ml/models/registry.h"

namespace osteo::ml {
namespace {

constexpr int64_t kFormatVersion = 1;
constexpr const char* kMetaKey = "osteo_meta";

// Copies every parameter and buffer of `from` into `to` (same architecture, shapes checked by
// the caller or by construction).
void copy_state(const OsteoNetImpl& from, OsteoNetImpl& to) {
  torch::NoGradGuard no_grad;
  auto dst_params = to.named_parameters(true);
  for (const auto& p : from.named_parameters(true)) dst_params[p.key()].copy_(p.value());
  auto dst_buffers = to.named_buffers(true);
  for (const auto& b : from.named_buffers(true)) dst_buffers[b.key()].copy_(b.value());
}

std::map<std::string, std::vector<int64_t>> shapes_of(const OsteoNetImpl& net) {
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& p : net.named_parameters(true)) shapes[p.key()] = p.value().sizes().vec();
  for (const auto& b : net.named_buffers(true)) shapes[b.key()] = b.value().sizes().vec();
  return shapes;
}

}  // namespace

Status save_model(const OsteoNet& net, const std::string& path) {
  try {
    torch::serialize::OutputArchive archive;
    net->save(archive);
    torch::serialize::OutputArchive meta;
    const auto& c = net->config();
    meta.write("format_version", c10::IValue(kFormatVersion));
    meta.write("arch", c10::IValue(c.arch));
    meta.write("in_channels", c10::IValue(c.in_channels));
    meta.write("num_covariates", c10::IValue(c.num_covariates));
    meta.write("dropout", c10::IValue(c.dropout));
    archive.write(kMetaKey, meta);
    archive.save_to(path);
  } catch (const c10::Error& e) {
    return fail(ErrorCode::kIoError, path + ": cannot write the model checkpoint: " + e.what_without_backtrace());
  }
  return {};
}

Result<OsteoNet> load_model(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(ErrorCode::kFileNotFound, path + ": model checkpoint not found");
  }
  torch::serialize::InputArchive archive;
  ModelConfig config;
  try {
    archive.load_from(path);
    torch::serialize::InputArchive meta;
    if (!archive.try_read(kMetaKey, meta)) {
      return fail(ErrorCode::kInvalidArgument, path + ": not an OsteoScreen model checkpoint (no " +
                                                   std::string(kMetaKey) + " record)");
    }
    c10::IValue v;
    meta.read("format_version", v);
    if (v.toInt() != kFormatVersion) {
      return fail(ErrorCode::kInvalidArgument,
                  path + ": unsupported checkpoint format version " + std::to_string(v.toInt()));
    }
    meta.read("arch", v);
    config.arch = v.toStringRef();
    meta.read("in_channels", v);
    config.in_channels = v.toInt();
    meta.read("num_covariates", v);
    config.num_covariates = v.toInt();
    meta.read("dropout", v);
    config.dropout = v.toDouble();
  } catch (const c10::Error& e) {
    return fail(ErrorCode::kInvalidArgument,
                path + ": not a readable OsteoScreen model checkpoint: " + e.what_without_backtrace());
  }

  auto created = create_model(config);
  if (!created) return fail(ErrorCode::kInvalidArgument, path + ": " + created.error().message);
  OsteoNet net = *created;
  const auto expected = shapes_of(*net);
  try {
    net->load(archive);
  } catch (const c10::Error& e) {
    return fail(ErrorCode::kInvalidArgument,
                path + ": checkpoint does not match architecture " + config.arch + ": " + e.what_without_backtrace());
  }
  // Archive reads replace tensors wholesale, whatever their shape: check them.
  for (const auto& [name, shape] : shapes_of(*net)) {
    if (expected.at(name) != shape) {
      return fail(ErrorCode::kInvalidArgument, path + ": tensor " + name + " has shape " +
                                                   c10::str(c10::IntArrayRef(shape)) + ", architecture " +
                                                   config.arch + " needs " +
                                                   c10::str(c10::IntArrayRef(expected.at(name))));
    }
  }
  return net;
}

Status load_weights(OsteoNet& net, const std::string& path) {
  auto loaded = load_model(path);
  if (!loaded) return tl::unexpected(loaded.error());
  const auto& have = net->config();
  const auto& got = (*loaded)->config();
  if (got.arch != have.arch || got.in_channels != have.in_channels || got.num_covariates != have.num_covariates) {
    return fail(ErrorCode::kInvalidArgument,
                path + ": checkpoint is " + got.arch + " (in_channels " + std::to_string(got.in_channels) +
                    ", covariates " + std::to_string(got.num_covariates) + "), the model is " + have.arch +
                    " (in_channels " + std::to_string(have.in_channels) + ", covariates " +
                    std::to_string(have.num_covariates) + ")");
  }
  copy_state(**loaded, *net);
  return {};
}

OsteoNet clone_model(const OsteoNet& net) {
  // create_model cannot fail here: the config was validated when `net` was built.
  OsteoNet copy = value_or_throw(create_model(net->config()));
  const auto params = net->parameters();
  if (!params.empty()) copy->to(params.front().device());
  copy_state(*net, *copy);
  copy->train(net->is_training());
  return copy;
}

}  // namespace osteo::ml
