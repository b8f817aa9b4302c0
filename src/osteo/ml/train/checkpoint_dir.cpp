#include "osteo/ml/train/checkpoint_dir.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "osteo/core/hash.h"
#include "osteo/ml/models/checkpoint.h"
#include "osteo/ml/models/torchscript_backbone.h"

namespace osteo::ml {

namespace fs = std::filesystem;

nlohmann::json who_label_definitions() {
  return {{"classes", {"normal", "osteopenia", "osteoporosis"}},
          {"bands",
           {{"normal", "T-score >= -1.0"},
            {"osteopenia", "-2.5 < T-score < -1.0"},
            {"osteoporosis", "T-score <= -2.5"}}},
          {"reference", "WHO 1994 densitometric categories of the DEXA T-score"},
          {"outputs",
           {{"p_osteoporosis", "softmax probability of class osteoporosis"},
            {"p_low_bmd", "p_osteopenia + p_osteoporosis (T-score < -1.0)"},
            {"t_score", "regressed T-score, SD units"}}}};
}

Status write_json_file(const std::string& path, const nlohmann::json& j) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return fail(ErrorCode::kIoError, tmp + ": cannot open for writing");
    out << j.dump(2) << "\n";
    if (!out.flush()) return fail(ErrorCode::kIoError, tmp + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return fail(ErrorCode::kIoError, path + ": cannot replace: " + ec.message());
  return {};
}

Result<nlohmann::json> read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kFileNotFound, path + ": cannot be opened");
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return nlohmann::json::parse(ss.str());
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kInvalidArgument, path + ": not valid JSON: " + e.what());
  }
}

namespace {

// The model of a checkpoint: a registry architecture straight from model.pt; a TorchScript one
// rebuilt from the directory's copy of its backbone (hash-checked), then the weights loaded.
Result<OsteoNet> load_net(const nlohmann::json& card, const std::string& card_path, const std::string& dir,
                          const std::string& weights_path, int input_size) {
  if (card["arch"] != kTorchScriptArch) return load_model(weights_path);
  ModelConfig config;
  std::string backbone_path, expected;
  try {
    const auto& backbone = card.at("backbone");
    backbone_path = (fs::path(dir) / backbone.at("file").get<std::string>()).string();
    expected = backbone.at("sha256").get<std::string>();
    const auto& model = card.at("model");
    config.in_channels = model.at("in_channels").get<int64_t>();
    config.num_covariates = model.at("num_covariates").get<int64_t>();
    config.dropout = model.at("dropout").get<double>();
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kInvalidArgument,
                card_path + ": a torchscript model card needs backbone.file, backbone.sha256 and "
                            "model.{in_channels, num_covariates, dropout}: " + e.what());
  }
  std::error_code ec;
  if (!fs::is_regular_file(backbone_path, ec)) {
    return fail(ErrorCode::kFileNotFound, backbone_path + ": TorchScript backbone named by the model card is missing");
  }
  auto hash = sha256_file(backbone_path);
  if (!hash) return fail(ErrorCode::kIoError, backbone_path + ": cannot be read: " + hash.error().message);
  if (*hash != expected) {
    return fail(ErrorCode::kInvalidArgument, backbone_path + ": SHA-256 " + *hash + " does not match the model card (" +
                                                 expected + "): the backbone was modified or replaced");
  }
  auto net = create_model_with_torchscript_backbone(config, backbone_path, input_size);
  if (!net) return tl::unexpected(net.error());
  if (auto ok = load_torchscript_weights(*net, weights_path); !ok) return tl::unexpected(ok.error());
  return net;
}

}  // namespace

Result<Checkpoint> load_checkpoint(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(ErrorCode::kFileNotFound, dir + ": checkpoint directory not found");
  const std::string card_path = (fs::path(dir) / kModelCardFile).string();
  const std::string weights_path = (fs::path(dir) / kWeightsFile).string();
  auto card = read_json_file(card_path);
  if (!card) return tl::unexpected(card.error());
  auto need = [&](const char* key) -> Status {
    if (!card->is_object() || !card->contains(key)) {
      return fail(ErrorCode::kInvalidArgument, card_path + ": model card lacks '" + key + "'");
    }
    return {};
  };
  for (const char* key : {"format", "arch", "weights_sha256", "preprocessing", "covariates", "operating_threshold"}) {
    if (auto ok = need(key); !ok) return tl::unexpected(ok.error());
  }
  Checkpoint cp;
  cp.dir = dir;
  try {
    if ((*card)["format"].get<int>() != kModelCardFormat) {
      return fail(ErrorCode::kInvalidArgument, card_path + ": unsupported model card format " +
                                                   (*card)["format"].dump());
    }
    if (!fs::is_regular_file(weights_path, ec)) {
      return fail(ErrorCode::kFileNotFound, weights_path + ": weights file named by the model card is missing");
    }
    auto hash = sha256_file(weights_path);
    if (!hash) return fail(ErrorCode::kIoError, weights_path + ": cannot be read: " + hash.error().message);
    const auto expected = (*card)["weights_sha256"].get<std::string>();
    if (*hash != expected) {
      return fail(ErrorCode::kInvalidArgument, weights_path + ": SHA-256 " + *hash +
                                                   " does not match the model card (" + expected +
                                                   "): the weights were modified or replaced");
    }
    auto pre = PreprocessConfig::from_json((*card)["preprocessing"]);
    if (!pre) return fail(ErrorCode::kInvalidArgument, card_path + ": preprocessing: " + pre.error().message);
    cp.preprocess = *pre;
    auto cov = CovariateNormaliser::from_json((*card)["covariates"]);
    if (!cov) return fail(ErrorCode::kInvalidArgument, card_path + ": " + cov.error().message);
    cp.covariates = *cov;
    const auto& threshold = (*card)["operating_threshold"];
    if (threshold.is_object() && threshold.contains("threshold") && threshold["threshold"].is_number()) {
      cp.threshold = threshold["threshold"].get<double>();
    }
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kInvalidArgument, card_path + ": malformed model card: " + e.what());
  }
  auto net = load_net(*card, card_path, dir, weights_path, cp.preprocess.input_size);
  if (!net) return tl::unexpected(net.error());
  const auto& config = (*net)->config();
  if (config.arch != (*card)["arch"].get<std::string>() ||
      config.num_covariates != static_cast<int64_t>(cp.covariates.size())) {
    return fail(ErrorCode::kInvalidArgument, weights_path + ": model is " + config.arch + " with " +
                                                 std::to_string(config.num_covariates) +
                                                 " covariates, the card says " + (*card)["arch"].dump() +
                                                 " with " + std::to_string(cp.covariates.size()));
  }
  cp.net = *net;
  cp.net->eval();
  cp.card = std::move(*card);
  return cp;
}

}  // namespace osteo::ml
