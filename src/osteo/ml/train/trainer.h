#pragma once
/// @file
/// Training of a screening model: AdamW, linear warm-up + cosine schedule, gradient clipping,
/// early stopping on validation AUROC (osteoporosis vs not) with the best weights kept, a
/// checkpoint directory with its model card (checkpoint_dir.h), and exact resume.
///
/// Loss = weighted cross-entropy over the 3 WHO classes (weights ∝ 1/class frequency in the
/// training split, normalised so the weighted class counts average to 1: w_c = N / (K·n_c) over
/// the K classes present) + t_score_weight · smooth-L1(T-score).
///
/// Determinism: with the same seed, data and thread count the weights are bit-identical. Shuffling
/// uses our own generator seeded from (seed, epoch); each sample's augmentation an AugmentRng
/// seeded from (seed, epoch, sample index); torch's generator (dropout) is re-seeded from
/// (seed, epoch) at each epoch start. So the state after epoch e depends only on the weights and
/// optimizer state, which is what --resume restores.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/augment/augment.h"
#include "osteo/core/error.h"
#include "osteo/ml/models/osteo_net.h"
#include "osteo/ml/train/dataset.h"
#include "osteo/preprocess/preprocess.h"

namespace osteo::ml {

struct TrainOptions {
  std::string arch = "resnet18";  ///< registry name (ignored when backbone_torchscript is set)
  /// A TorchScript feature extractor exported from Python (docs/torchscript.md) to train on
  /// instead of a registry backbone; the model's arch is then "torchscript". The file is copied
  /// into the checkpoint directory (kTorchScriptBackboneFile) so the checkpoint stays self-contained.
  std::string backbone_torchscript;
  int epochs = 25;                ///< at most; resnet18@224 on the 108 knee training images: ≤ ~60 s/epoch on 2 busy cores
  int batch_size = 16;
  double lr = 3e-4;               ///< peak learning rate
  double weight_decay = 1e-4;     ///< AdamW decoupled weight decay
  double warmup_epochs = 1.0;     ///< linear warm-up length (fraction allowed)
  double min_lr_ratio = 0.01;     ///< cosine floor, fraction of lr
  double grad_clip = 5.0;         ///< max global L2 norm of the gradients (≤ 0: off)
  double t_score_weight = 0.5;    ///< weight of the smooth-L1 T-score loss
  double dropout = 0.2;
  int patience = 8;               ///< epochs without val-AUROC improvement before stopping (≤ 0: never)
  double target_sensitivity = 0.90;  ///< operating point chosen on validation
  std::uint64_t seed = 42;
  unsigned threads = 0;           ///< LibTorch + worker threads (0 = all cores)
  std::vector<std::string> covariates;  ///< subset of {"age", "sex", "bmi"}
  PreprocessConfig preprocess;
  AugmentConfig augment;
  std::string out_dir;            ///< the checkpoint directory (created)
  bool resume = false;            ///< continue from out_dir/resume
  bool progress = false;          ///< progress bar on stderr
  /// Stop after this many epochs of THIS invocation (0 = run to `epochs`), leaving a resumable
  /// state: for time-boxed jobs and for testing --resume. The card then says "complete": false.
  int stop_after_epochs = 0;

  /// Everything that determines the result (not threads, progress, resume or out_dir).
  nlohmann::json to_json() const;
  /// kInvalidArgument naming the bad option.
  Status validate() const;
};

/// Preprocessed data to train on. The samples give labels and covariates; images[i] belongs to
/// samples[i]. `source` and `split_counts` go into the model card as they are.
struct TrainData {
  std::vector<TrainSample> train, val;
  PreparedSet train_images, val_images;
  nlohmann::json source = nlohmann::json::object();
  nlohmann::json split_counts = nlohmann::json::object();
};

/// One epoch of the training log.
struct EpochLog {
  int epoch = 0;  ///< 1-based
  double train_loss = 0, val_loss = 0;
  double val_auroc_osteoporosis = 0, val_auroc_low_bmd = 0;  ///< NaN when undefined
  double lr = 0;          ///< learning rate of the epoch's last step
  double seconds = 0;     ///< wall time of the epoch (train + validation)
  double train_images_per_second = 0;
  nlohmann::json to_json() const;
};

struct TrainResult {
  std::string dir;               ///< the checkpoint directory
  OsteoNet net{nullptr};         ///< the saved (best) model, in eval mode
  nlohmann::json card;           ///< as written to model_card.json
  std::vector<EpochLog> log;
  int best_epoch = 0;            ///< 1-based epoch whose weights were kept
  bool stopped_early = false;
};

/// Trains on `data` and writes the checkpoint directory options.out_dir (see checkpoint_dir.h).
/// Errors: kInvalidArgument (bad options; images not of size preprocess.input_size; resume
/// state from a different configuration or data), kIoError (writing the directory).
Result<TrainResult> train_model(const TrainData& data, const TrainOptions& options);

/// Where the labelled images come from.
struct DataSource {
  std::string manifest;            ///< knee-format manifest CSV, or empty
  std::string db;                  ///< cohort store (when manifest is empty)
  std::string scheme = "temporal"; ///< split scheme of the store
  StratifiedSplitOptions split{0.2, 0.2, 42};  ///< manifest only
};

/// Loads the labelled samples of `source` split into train/val/test (manifest: patient-level
/// stratified split; store: the scheme's assignment). Errors: those of samples_from_manifest /
/// samples_from_store, and of opening the store.
Result<SplitSamples> load_samples(const DataSource& source, unsigned threads);

/// Preprocesses the train and val images of `samples` once (in parallel) for `options`.
Result<TrainData> prepare_train_data(const SplitSamples& samples, const TrainOptions& options);

/// Loads the samples, preprocesses them once (in parallel), and trains.
Result<TrainResult> train_from_source(const DataSource& source, const TrainOptions& options);

/// Cross-entropy class weights from training labels: w_c = N / (K·n_c) for the K classes
/// present, 0 for an absent class. Exposed for tests.
std::vector<double> class_weights(const std::vector<TrainSample>& train);

}  // namespace osteo::ml
