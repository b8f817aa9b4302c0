#include "osteo/ml/train/trainer.h"

#include <ATen/Parallel.h>
#include <spdlog/spdlog.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>
#include <random>

#include "osteo/core/date.h"
#include "osteo/core/hash.h"
#include "osteo/core/parallel.h"
#include "osteo/core/progress.h"
#include "osteo/core/version.h"
#include "osteo/eval/roc.h"
#include "osteo/eval/threshold.h"
#include "osteo/ml/models/checkpoint.h"
#include "osteo/ml/models/registry.h"
#include "osteo/ml/models/torchscript_backbone.h"
#include "osteo/ml/train/checkpoint_dir.h"
#include "osteo/ml/train/predict.h"
#include "osteo/ml/train/schedule.h"
#include "osteo/ml/train/seed.h"
#include "osteo/ml/train/opencv_threads.h"

namespace osteo::ml {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double nan() { return std::numeric_limits<double>::quiet_NaN(); }

// JSON has no NaN: undefined metrics are written as null.
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
double number_or_nan(const nlohmann::json& j) { return j.is_number() ? j.get<double>() : nan(); }

std::vector<std::vector<float>> covariate_rows(const CovariateNormaliser& n, const std::vector<TrainSample>& s) {
  std::vector<std::vector<float>> rows;
  if (n.size() == 0) return rows;
  rows.reserve(s.size());
  for (const auto& sample : s) rows.push_back(n.apply(sample.covariates));
  return rows;
}

// Validation metrics of predictions against the samples' labels.
struct ValMetrics {
  double loss = 0, auroc_osteoporosis = 0, auroc_low_bmd = 0;
  double t_rmse = 0;  ///< root mean squared T-score error: the server's T-score interval uses it
  int n = 0, n_osteoporosis = 0, n_low_bmd = 0;
};

ValMetrics val_metrics(const std::vector<Prediction>& preds, const std::vector<TrainSample>& samples,
                       const std::vector<double>& weights, double t_weight) {
  ValMetrics m;
  m.n = static_cast<int>(samples.size());
  std::vector<double> p_op, p_low;
  std::vector<int> y_op, y_low;
  // The training loss, evaluated in double from the probabilities: weighted CE (normalised by
  // the sum of weights, as torch's mean reduction) + t_weight · smooth-L1 (beta 1, mean).
  double ce = 0, wsum = 0, reg = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const int c = static_cast<int>(samples[i].category);
    const auto& p = preds[i];
    const double pc = c == 0 ? p.p_normal : c == 1 ? p.p_osteopenia : p.p_osteoporosis;
    ce += weights[c] * -std::log(std::max(pc, 1e-12));
    wsum += weights[c];
    const double d = std::abs(p.t_score - samples[i].t_score);
    reg += d < 1.0 ? 0.5 * d * d : d - 0.5;
    m.t_rmse += d * d;
    p_op.push_back(p.p_osteoporosis);
    p_low.push_back(p.p_low_bmd());
    y_op.push_back(c == 2);
    y_low.push_back(c >= 1);
    m.n_osteoporosis += c == 2;
    m.n_low_bmd += c >= 1;
  }
  m.loss = (wsum > 0 ? ce / wsum : 0) + t_weight * (samples.empty() ? 0 : reg / samples.size());
  m.t_rmse = samples.empty() ? std::numeric_limits<double>::quiet_NaN() : std::sqrt(m.t_rmse / samples.size());
  m.auroc_osteoporosis = eval::auroc(p_op, y_op);
  m.auroc_low_bmd = eval::auroc(p_low, y_low);
  return m;
}

// The model-selection score: AUROC osteoporosis vs not; when the validation split has only one
// class for it, AUROC low BMD; failing both, the negative validation loss.
double selection_score(const ValMetrics& m) {
  if (!std::isnan(m.auroc_osteoporosis)) return m.auroc_osteoporosis;
  if (!std::isnan(m.auroc_low_bmd)) return m.auroc_low_bmd;
  return -m.loss;
}

nlohmann::json threshold_json(const std::vector<double>& scores, const std::vector<int>& labels, double target,
                              const char* score_name) {
  const bool both = std::count(labels.begin(), labels.end(), 1) > 0 && std::count(labels.begin(), labels.end(), 0) > 0;
  nlohmann::json j = {{"score", score_name}, {"target_sensitivity", target}, {"chosen_on", "validation"}};
  if (!both) {
    j["threshold"] = nullptr;
    j["note"] = "validation split lacks one of the classes: no threshold could be chosen";
    return j;
  }
  const auto choice = eval::threshold_for_sensitivity(scores, labels, target);
  j["threshold"] = number_or_null(choice.threshold);
  j["achieved_sensitivity"] = number_or_null(choice.achieved_sensitivity);
  j["specificity"] = number_or_null(choice.specificity);
  j["rule"] = std::string("positive when ") + score_name + " >= threshold";
  return j;
}

// The fingerprint that a resume must match: configuration, data source, and the training
// pixels and labels themselves.
std::string fingerprint(const TrainData& data, const TrainOptions& options, const std::string& backbone_sha256) {
  std::string text = options.to_json().dump() + "|" + backbone_sha256 + "|" + data.source.dump() + "|";
  for (const auto& s : data.train) text += std::to_string(s.image_id) + ":" + std::to_string(s.t_score) + ",";
  for (const auto& s : data.val) text += std::to_string(s.image_id) + ":" + std::to_string(s.t_score) + ",";
  text += sha256_hex(data.train_images.pixels.data(), data.train_images.pixels.size() * sizeof(float));
  text += sha256_hex(data.val_images.pixels.data(), data.val_images.pixels.size() * sizeof(float));
  return sha256_hex(text.data(), text.size());
}

Status check_data(const TrainData& data, const TrainOptions& options) {
  const int s = options.preprocess.input_size;
  auto check = [&](const PreparedSet& set, std::size_t n, const char* name) -> Status {
    if (set.size != s || set.pixels.size() != n * static_cast<std::size_t>(s) * s) {
      return fail(ErrorCode::kInvalidArgument, std::string(name) + " images are not " + std::to_string(n) + " × " +
                                                   std::to_string(s) + "² (preprocess.input_size)");
    }
    return {};
  };
  if (data.train.empty()) return fail(ErrorCode::kInvalidArgument, "no training images");
  if (data.val.empty()) return fail(ErrorCode::kInvalidArgument, "no validation images");
  if (auto ok = check(data.train_images, data.train.size(), "training"); !ok) return ok;
  return check(data.val_images, data.val.size(), "validation");
}

// Builds, copies and reloads the model being trained: a registry architecture, or a TorchScript
// backbone (which the registry cannot rebuild, so copies go through a saved file and
// load_torchscript_weights; the backbone is always built from the checkpoint's own copy).
struct NetBuilder {
  ModelConfig config;
  std::string torchscript;      // the copy in the checkpoint dir, or empty
  std::string backbone_sha256;  // of that copy, or empty
  int input_size = 0;

  static Result<NetBuilder> make(const ModelConfig& config, const TrainOptions& options, const fs::path& out) {
    NetBuilder b;
    b.config = config;
    b.input_size = options.preprocess.input_size;
    if (options.backbone_torchscript.empty()) return b;
    b.torchscript = (out / kTorchScriptBackboneFile).string();
    std::error_code ec;
    if (!fs::is_regular_file(options.backbone_torchscript, ec)) {
      return fail(ErrorCode::kFileNotFound, options.backbone_torchscript + ": TorchScript file not found");
    }
    auto hash = sha256_file(options.backbone_torchscript);
    if (!hash) return fail(ErrorCode::kIoError, options.backbone_torchscript + ": " + hash.error().message);
    b.backbone_sha256 = *hash;
    if (fs::exists(b.torchscript, ec)) {
      auto existing = sha256_file(b.torchscript);
      if (existing && *existing == *hash) return b;  // resuming, or the checkpoint's own copy
      if (options.resume) {
        // Never overwrite the backbone a resumable state was trained on.
        return fail(ErrorCode::kInvalidArgument, options.backbone_torchscript + ": differs from " + b.torchscript +
                                                     ", the backbone the resume state was trained on");
      }
    }
    fs::copy_file(options.backbone_torchscript, b.torchscript, fs::copy_options::overwrite_existing, ec);
    if (ec) return fail(ErrorCode::kIoError, b.torchscript + ": cannot copy the TorchScript backbone: " + ec.message());
    return b;
  }
  Result<OsteoNet> create() const {
    return torchscript.empty() ? create_model(config)
                               : create_model_with_torchscript_backbone(config, torchscript, input_size);
  }
  Status load(OsteoNet& net, const std::string& path) const {
    return torchscript.empty() ? load_weights(net, path) : load_torchscript_weights(net, path);
  }
  // A copy of `net`, also saved to `path`.
  Result<OsteoNet> clone(const OsteoNet& net, const std::string& path) const {
    if (torchscript.empty()) {
      OsteoNet copy = clone_model(net);
      if (auto ok = save_model(copy, path); !ok) return tl::unexpected(ok.error());
      return copy;
    }
    if (auto ok = save_model(net, path); !ok) return tl::unexpected(ok.error());
    auto copy = create();
    if (!copy) return tl::unexpected(copy.error());
    if (auto ok = load_torchscript_weights(*copy, path); !ok) return tl::unexpected(ok.error());
    (*copy)->train(net->is_training());
    return copy;
  }
  nlohmann::json card() const {
    return {{"kind", "torchscript"}, {"file", kTorchScriptBackboneFile}, {"sha256", backbone_sha256}};
  }
};

template <class Fn>
Status guarded(const std::string& what, Fn&& fn) {
  try {
    fn();
  } catch (const c10::Error& e) {
    return fail(ErrorCode::kIoError, what + ": " + e.what_without_backtrace());
  }
  return {};
}

}  // namespace

nlohmann::json TrainOptions::to_json() const {
  return {{"arch", backbone_torchscript.empty() ? arch : std::string(kTorchScriptArch)},
          {"epochs", epochs},
          {"batch_size", batch_size},
          {"lr", lr},
          {"weight_decay", weight_decay},
          {"optimizer", "AdamW"},
          {"schedule", "linear warm-up then cosine decay, per step"},
          {"warmup_epochs", warmup_epochs},
          {"min_lr_ratio", min_lr_ratio},
          {"grad_clip_norm", grad_clip},
          {"t_score_loss", "smooth L1 (beta 1)"},
          {"t_score_weight", t_score_weight},
          {"class_loss", "cross-entropy, class weights N/(K*n_c) from the training split"},
          {"dropout", dropout},
          {"patience", patience},
          {"early_stopping_metric", "val AUROC osteoporosis vs not"},
          {"target_sensitivity", target_sensitivity},
          {"seed", seed},
          {"covariates", covariates},
          {"preprocessing", preprocess.to_json()},
          {"augmentation", augment.to_json()}};
}

Status TrainOptions::validate() const {
  auto bad = [](const std::string& m) { return fail(ErrorCode::kInvalidArgument, m); };
  if (backbone_torchscript.empty() && !find_model_spec(arch)) {
    return bad("unknown --arch '" + arch + "' (known: " + model_names() + ")");
  }
  if (epochs < 1) return bad("--epochs must be at least 1");
  if (batch_size < 1) return bad("--batch-size must be at least 1");
  if (!(lr > 0) || !std::isfinite(lr)) return bad("--lr must be a positive number");
  if (!(weight_decay >= 0)) return bad("--weight-decay must be ≥ 0");
  if (!(warmup_epochs >= 0)) return bad("--warmup-epochs must be ≥ 0");
  if (!(min_lr_ratio >= 0 && min_lr_ratio <= 1)) return bad("min_lr_ratio must be in [0, 1]");
  if (!(t_score_weight >= 0)) return bad("--t-score-weight must be ≥ 0");
  if (!(dropout >= 0 && dropout < 1)) return bad("--dropout must be in [0, 1)");
  if (!(target_sensitivity > 0 && target_sensitivity <= 1)) return bad("--target-sensitivity must be in (0, 1]");
  if (preprocess.input_size < 16) return bad("--image-size must be at least 16");
  if (out_dir.empty()) return bad("--out is required");
  return {};
}

nlohmann::json EpochLog::to_json() const {
  return {{"epoch", epoch},
          {"train_loss", number_or_null(train_loss)},
          {"val_loss", number_or_null(val_loss)},
          {"val_auroc_osteoporosis", number_or_null(val_auroc_osteoporosis)},
          {"val_auroc_low_bmd", number_or_null(val_auroc_low_bmd)},
          {"lr", lr},
          {"seconds", seconds},
          {"train_images_per_second", train_images_per_second}};
}

std::vector<double> class_weights(const std::vector<TrainSample>& train) {
  std::vector<double> counts(kNumWhoClasses, 0.0);
  for (const auto& s : train) counts[static_cast<int>(s.category)] += 1;
  const double present = static_cast<double>(std::count_if(counts.begin(), counts.end(), [](double c) { return c > 0; }));
  std::vector<double> w(kNumWhoClasses, 0.0);
  for (int c = 0; c < kNumWhoClasses; ++c) {
    if (counts[c] > 0) w[c] = static_cast<double>(train.size()) / (present * counts[c]);
  }
  return w;
}

Result<TrainResult> train_model(const TrainData& data, const TrainOptions& options) {
  if (auto ok = options.validate(); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_data(data, options); !ok) return tl::unexpected(ok.error());
  const auto wall_start = Clock::now();
  const unsigned threads = options.threads ? options.threads : hardware_threads();
  at::set_num_threads(static_cast<int>(threads));

  std::vector<CovariateValues> train_cov_raw;
  for (const auto& s : data.train) train_cov_raw.push_back(s.covariates);
  auto normaliser = CovariateNormaliser::fit(options.covariates, train_cov_raw);
  if (!normaliser) return tl::unexpected(normaliser.error());
  const auto train_cov = covariate_rows(*normaliser, data.train);
  const auto val_cov = covariate_rows(*normaliser, data.val);

  // --- output directory, the self-contained copy of a TorchScript backbone, the model
  const fs::path out(options.out_dir);
  const fs::path resume_dir = out / kResumeDir;
  std::error_code ec;
  fs::create_directories(resume_dir, ec);
  if (ec) return fail(ErrorCode::kIoError, resume_dir.string() + ": cannot create: " + ec.message());
  ModelConfig config;
  config.arch = options.arch;
  config.num_covariates = static_cast<int64_t>(normaliser->size());
  config.dropout = options.dropout;
  auto builder = NetBuilder::make(config, options, out);
  if (!builder) return tl::unexpected(builder.error());
  torch::manual_seed(derive_seed(options.seed, kStreamInit));
  auto created = builder->create();
  if (!created) return tl::unexpected(created.error());
  OsteoNet net = *created;
  OsteoNet best{nullptr};

  torch::optim::AdamW optimizer(net->parameters(),
                                torch::optim::AdamWOptions(options.lr).weight_decay(options.weight_decay));

  const auto weights = class_weights(data.train);
  const auto weight_tensor = torch::tensor(std::vector<float>(weights.begin(), weights.end()));
  const std::size_t n = data.train.size();
  const std::size_t batch = static_cast<std::size_t>(options.batch_size);
  const int64_t steps_per_epoch = static_cast<int64_t>((n + batch - 1) / batch);
  CosineSchedule schedule;
  schedule.base_lr = options.lr;
  schedule.total_steps = steps_per_epoch * options.epochs;
  schedule.warmup_steps = static_cast<int64_t>(std::llround(options.warmup_epochs * steps_per_epoch));
  schedule.min_lr_ratio = options.min_lr_ratio;

  // --- resume state
  const std::string print = fingerprint(data, options, builder->backbone_sha256);
  const std::string state_path = (resume_dir / "state.json").string();
  const std::string last_path = (resume_dir / "last.pt").string();
  const std::string best_path = (resume_dir / "best.pt").string();
  const std::string optim_path = (resume_dir / "optimizer.pt").string();

  int start_epoch = 0, best_epoch = 0, bad_epochs = 0;
  double best_score = -std::numeric_limits<double>::infinity();
  double train_seconds_before = 0;
  bool stopped_early = false;
  std::vector<EpochLog> log;
  if (options.resume) {
    auto state = read_json_file(state_path);
    if (!state) {
      return fail(ErrorCode::kInvalidArgument, options.out_dir + ": --resume but no resume state (" +
                                                   state.error().message + ")");
    }
    try {
      if ((*state)["fingerprint"].get<std::string>() != print) {
        return fail(ErrorCode::kInvalidArgument,
                    state_path + ": the resume state was written for other options or data; "
                                 "rerun with the original options, or train afresh into a new --out");
      }
      start_epoch = (*state)["epochs_done"].get<int>();
      best_epoch = (*state)["best_epoch"].get<int>();
      bad_epochs = (*state)["bad_epochs"].get<int>();
      best_score = (*state)["best_score"].is_number() ? (*state)["best_score"].get<double>() : best_score;
      stopped_early = (*state)["stopped_early"].get<bool>();
      train_seconds_before = (*state)["seconds"].get<double>();
      for (const auto& e : (*state)["log"]) {
        EpochLog l;
        l.epoch = e["epoch"].get<int>();
        l.train_loss = number_or_nan(e["train_loss"]);
        l.val_loss = number_or_nan(e["val_loss"]);
        l.val_auroc_osteoporosis = number_or_nan(e["val_auroc_osteoporosis"]);
        l.val_auroc_low_bmd = number_or_nan(e["val_auroc_low_bmd"]);
        l.lr = e["lr"].get<double>();
        l.seconds = e["seconds"].get<double>();
        l.train_images_per_second = e["train_images_per_second"].get<double>();
        log.push_back(l);
      }
    } catch (const nlohmann::json::exception& e) {
      return fail(ErrorCode::kInvalidArgument, state_path + ": malformed resume state: " + e.what());
    }
    if (auto ok = builder->load(net, last_path); !ok) return tl::unexpected(ok.error());
    if (best_epoch > 0) {
      auto restored = builder->create();
      if (!restored) return tl::unexpected(restored.error());
      best = *restored;
      if (auto ok = builder->load(best, best_path); !ok) return tl::unexpected(ok.error());
    }
    if (auto ok = guarded(optim_path, [&] { torch::load(optimizer, optim_path); }); !ok) {
      return fail(ErrorCode::kInvalidArgument, optim_path + ": cannot restore the optimizer: " + ok.error().message);
    }
    spdlog::info("resuming {} after epoch {} (best epoch {})", options.out_dir, start_epoch, best_epoch);
  }

  const int s = options.preprocess.input_size;
  const std::size_t plane = static_cast<std::size_t>(s) * s;
  const int64_t ncov = static_cast<int64_t>(normaliser->size());
  PredictOptions val_options;
  val_options.threads = threads;
  val_options.batch_size = std::max(options.batch_size, 32);
  double train_image_seconds = 0, train_images_done = 0, val_seconds = 0, val_images_done = 0;

  const int last_epoch = options.stop_after_epochs > 0 ? std::min(options.epochs, start_epoch + options.stop_after_epochs)
                                                      : options.epochs;
  const SingleThreadedOpenCv opencv_single_threaded;  // the augmentation workers below
  for (int epoch = start_epoch; epoch < last_epoch && !stopped_early; ++epoch) {
    const auto epoch_start = Clock::now();
    torch::manual_seed(derive_seed(options.seed, kStreamTorch, static_cast<std::uint64_t>(epoch)));
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 shuffle(derive_seed(options.seed, kStreamShuffle, static_cast<std::uint64_t>(epoch)));
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[shuffle() % i]);

    const std::string label =
        log.empty() ? fmt::format("epoch {}/{}", epoch + 1, options.epochs)
                    : fmt::format("epoch {}/{} (last: loss {:.3f}, val AUROC {:.3f})", epoch + 1, options.epochs,
                                  log.back().train_loss, log.back().val_auroc_osteoporosis);
    Progress bar(label, static_cast<std::uint64_t>(steps_per_epoch), options.progress);
    net->train();
    double loss_sum = 0, lr = options.lr;
    const auto train_start = Clock::now();
    for (int64_t step = 0; step < steps_per_epoch; ++step) {
      const std::size_t begin = static_cast<std::size_t>(step) * batch;
      const std::size_t b = std::min(batch, n - begin);
      auto x = torch::empty({static_cast<int64_t>(b), 1, s, s}, torch::kFloat32);
      float* px = x.data_ptr<float>();
      parallel_for(b, threads, [&](std::size_t k) {
        const std::size_t idx = order[begin + k];
        std::vector<float> pixels(data.train_images.image(idx), data.train_images.image(idx) + plane);
        AugmentRng rng(derive_seed(options.seed, kStreamAugment, static_cast<std::uint64_t>(epoch), idx));
        augment_in_place(pixels, s, options.augment, rng);
        std::copy(pixels.begin(), pixels.end(), px + k * plane);
      });
      auto y = torch::empty({static_cast<int64_t>(b)}, torch::kLong);
      auto t = torch::empty({static_cast<int64_t>(b)}, torch::kFloat32);
      std::optional<torch::Tensor> cov;
      if (ncov > 0) cov = torch::empty({static_cast<int64_t>(b), ncov}, torch::kFloat32);
      for (std::size_t k = 0; k < b; ++k) {
        const std::size_t idx = order[begin + k];
        y.data_ptr<int64_t>()[k] = static_cast<int64_t>(data.train[idx].category);
        t.data_ptr<float>()[k] = static_cast<float>(data.train[idx].t_score);
        if (ncov > 0) std::copy(train_cov[idx].begin(), train_cov[idx].end(), cov->data_ptr<float>() + k * ncov);
      }
      lr = learning_rate_at(schedule, epoch * steps_per_epoch + step);
      for (auto& group : optimizer.param_groups()) {
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
      }
      namespace F = torch::nn::functional;
      const auto output = net->forward(x, cov);
      auto loss = F::cross_entropy(output.who_logits, y, F::CrossEntropyFuncOptions().weight(weight_tensor)) +
                  options.t_score_weight * F::smooth_l1_loss(output.t_score, t);
      optimizer.zero_grad();
      loss.backward();
      if (options.grad_clip > 0) torch::nn::utils::clip_grad_norm_(net->parameters(), options.grad_clip);
      optimizer.step();
      loss_sum += loss.item<double>() * static_cast<double>(b);
      bar.advance();
    }
    bar.finish();
    const double train_secs = seconds_since(train_start);
    train_image_seconds += train_secs;
    train_images_done += static_cast<double>(n);

    const auto val_start = Clock::now();
    const auto preds = predict_prepared(net, data.val_images, val_cov, val_options);
    val_seconds += seconds_since(val_start);
    val_images_done += static_cast<double>(data.val.size());
    const ValMetrics m = val_metrics(preds, data.val, weights, options.t_score_weight);

    EpochLog entry;
    entry.epoch = epoch + 1;
    entry.train_loss = loss_sum / static_cast<double>(n);
    entry.val_loss = m.loss;
    entry.val_auroc_osteoporosis = m.auroc_osteoporosis;
    entry.val_auroc_low_bmd = m.auroc_low_bmd;
    entry.lr = lr;
    entry.train_images_per_second = train_secs > 0 ? static_cast<double>(n) / train_secs : 0;

    const double score = selection_score(m);
    if (score > best_score) {
      best_score = score;
      best_epoch = epoch + 1;
      bad_epochs = 0;
      auto copy = builder->clone(net, best_path);  // a copy: `best = net` would alias the live weights
      if (!copy) return tl::unexpected(copy.error());
      best = *copy;
    } else {
      ++bad_epochs;
    }
    if (options.patience > 0 && bad_epochs >= options.patience) stopped_early = true;
    entry.seconds = seconds_since(epoch_start);
    log.push_back(entry);

    // Resume state, written after every epoch (weights and optimizer first, the state file last,
    // so a crash mid-write leaves the previous consistent state).
    if (auto ok = save_model(net, last_path); !ok) return tl::unexpected(ok.error());
    if (auto ok = guarded(optim_path, [&] { torch::save(optimizer, optim_path); }); !ok) return tl::unexpected(ok.error());
    nlohmann::json log_json = nlohmann::json::array();
    for (const auto& l : log) log_json.push_back(l.to_json());
    const double seconds_total = train_seconds_before + seconds_since(wall_start);
    const nlohmann::json state = {{"fingerprint", print},         {"epochs_done", epoch + 1},
                                  {"best_epoch", best_epoch},     {"best_score", number_or_null(best_score)},
                                  {"bad_epochs", bad_epochs},     {"stopped_early", stopped_early},
                                  {"seconds", seconds_total},     {"log", log_json}};
    if (auto ok = write_json_file(state_path, state); !ok) return tl::unexpected(ok.error());

    const int remaining = stopped_early ? 0 : last_epoch - epoch - 1;
    spdlog::info("epoch {}/{}: train loss {:.4f}, val loss {:.4f}, val AUROC osteoporosis {:.3f} (n={}, {} pos), "
                 "low BMD {:.3f}, lr {:.2e}, {:.1f} s ({:.1f} img/s){}{}",
                 epoch + 1, options.epochs, entry.train_loss, entry.val_loss, m.auroc_osteoporosis, m.n,
                 m.n_osteoporosis, m.auroc_low_bmd, lr, entry.seconds, entry.train_images_per_second,
                 best_epoch == epoch + 1 ? " *best*" : "",
                 remaining > 0 ? fmt::format(", eta {:.0f} s", remaining * entry.seconds) : "");
    if (stopped_early) {
      spdlog::info("early stop: no val AUROC improvement for {} epochs; keeping epoch {}", bad_epochs, best_epoch);
    }
  }

  // --- the checkpoint: the best epoch's weights, evaluated once more on validation.
  OsteoNet final_net = best ? best : net;
  const auto val_start = Clock::now();
  const auto preds = predict_prepared(final_net, data.val_images, val_cov, val_options);
  val_seconds += seconds_since(val_start);
  val_images_done += static_cast<double>(data.val.size());
  const ValMetrics m = val_metrics(preds, data.val, weights, options.t_score_weight);
  std::vector<double> p_op, p_low;
  std::vector<int> y_op, y_low;
  for (std::size_t i = 0; i < preds.size(); ++i) {
    p_op.push_back(preds[i].p_osteoporosis);
    p_low.push_back(preds[i].p_low_bmd());
    y_op.push_back(data.val[i].category == WhoCategory::kOsteoporosis);
    y_low.push_back(data.val[i].category != WhoCategory::kNormal);
  }

  const std::string weights_path = (out / kWeightsFile).string();
  if (auto ok = save_model(final_net, weights_path); !ok) return tl::unexpected(ok.error());
  auto weights_hash = sha256_file(weights_path);
  if (!weights_hash) return fail(ErrorCode::kIoError, weights_path + ": " + weights_hash.error().message);

  const double seconds_total = train_seconds_before + seconds_since(wall_start);
  nlohmann::json log_json = nlohmann::json::array();
  for (const auto& l : log) log_json.push_back(l.to_json());
  const int epochs_run = log.empty() ? 0 : log.back().epoch;

  TrainResult result;
  result.dir = options.out_dir;
  result.net = final_net;
  result.log = log;
  result.best_epoch = best_epoch;
  result.stopped_early = stopped_early;
  result.card = {
      {"format", kModelCardFormat},
      {"software", {{"name", "osteoscreen"}, {"version", kVersion}, {"libtorch", TORCH_VERSION}}},
      {"created_utc", utc_timestamp("%Y-%m-%dT%H:%M:%SZ")},
      {"intended_use", "research / screening support on radiographs; not a diagnosis"},
      {"arch", builder->torchscript.empty() ? options.arch : std::string(kTorchScriptArch)},
      {"model",
       {{"in_channels", config.in_channels},
        {"num_covariates", config.num_covariates},
        {"dropout", config.dropout},
        {"parameters", final_net->parameter_count()}}},
      {"input_size", options.preprocess.input_size},
      {"preprocessing", options.preprocess.to_json()},
      {"augmentation", options.augment.to_json()},
      {"labels", who_label_definitions()},
      {"covariates", normaliser->to_json()},
      {"data", {{"source", data.source}, {"split_counts", data.split_counts}}},
      {"seed", options.seed},
      {"training",
       {{"options", options.to_json()},
        {"class_weights", weights},
        {"epochs_run", epochs_run},
        {"best_epoch", best_epoch},
        {"stopped_early", stopped_early},
        {"complete", stopped_early || epochs_run >= options.epochs},
        {"selection_metric", "val AUROC osteoporosis (fallback: AUROC low BMD, then -val loss)"},
        {"threads", threads},
        {"seconds", seconds_total},
        {"train_images_per_second", train_image_seconds > 0 ? train_images_done / train_image_seconds : 0.0},
        {"inference_images_per_second", val_seconds > 0 ? val_images_done / val_seconds : 0.0}}},
      {"validation",
       {{"n", m.n},
        {"n_osteoporosis", m.n_osteoporosis},
        {"n_low_bmd", m.n_low_bmd},
        {"auroc_osteoporosis", number_or_null(m.auroc_osteoporosis)},
        {"auroc_low_bmd", number_or_null(m.auroc_low_bmd)},
        {"loss", number_or_null(m.loss)},
        {"t_score_rmse", number_or_null(m.t_rmse)}}},
      {"operating_threshold", threshold_json(p_op, y_op, options.target_sensitivity, "p_osteoporosis")},
      {"operating_threshold_low_bmd", threshold_json(p_low, y_low, options.target_sensitivity, "p_low_bmd")},
      {"weights_file", kWeightsFile},
      {"weights_sha256", *weights_hash},
  };
  if (!builder->torchscript.empty()) result.card["backbone"] = builder->card();
  if (auto ok = write_json_file((out / kTrainingLogFile).string(), {{"epochs", log_json}}); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = write_json_file((out / kModelCardFile).string(), result.card); !ok) return tl::unexpected(ok.error());
  spdlog::info("wrote {}: best epoch {}, val AUROC osteoporosis {:.3f}, low BMD {:.3f}, {:.1f} s", options.out_dir,
               best_epoch, m.auroc_osteoporosis, m.auroc_low_bmd, seconds_total);
  return result;
}

Result<SplitSamples> load_samples(const DataSource& source, unsigned threads) {
  if (!source.manifest.empty()) return samples_from_manifest(source.manifest, source.split, threads);
  auto store = open_store(source.db);
  if (!store) return tl::unexpected(store.error());
  return samples_from_store(**store, source.scheme, source.db);
}

Result<TrainData> prepare_train_data(const SplitSamples& samples, const TrainOptions& options) {
  spdlog::info("data: {} train, {} val, {} test images", samples.train.size(), samples.val.size(),
               samples.test.size());
  const auto t0 = Clock::now();
  TrainData data;
  auto train_images = prepare_samples(samples.train, options.preprocess, options.threads, options.progress);
  if (!train_images) return tl::unexpected(train_images.error());
  auto val_images = prepare_samples(samples.val, options.preprocess, options.threads, options.progress);
  if (!val_images) return tl::unexpected(val_images.error());
  spdlog::info("preprocessed {} images in {:.1f} s", samples.train.size() + samples.val.size(), seconds_since(t0));
  data.split_counts = samples.counts();
  data.train = samples.train;
  data.val = samples.val;
  data.train_images = std::move(*train_images);
  data.val_images = std::move(*val_images);
  data.source = samples.source;
  return data;
}

Result<TrainResult> train_from_source(const DataSource& source, const TrainOptions& options) {
  if (auto ok = options.validate(); !ok) return tl::unexpected(ok.error());
  auto samples = load_samples(source, options.threads);
  if (!samples) return tl::unexpected(samples.error());
  auto data = prepare_train_data(*samples, options);
  if (!data) return tl::unexpected(data.error());
  return train_model(*data, options);
}

}  // namespace osteo::ml
