#pragma once
/// @file
/// A trained model on disk is a directory (content-addressed by its weights' SHA-256):
///   model.pt            the OsteoNet (LibTorch archive, see ml/models/checkpoint.h)
///   model_card.json     arch, input size, preprocessing and augmentation configs, label
///                       definitions, covariates and their normalisation, data source and hash,
///                       split counts, seed, validation metrics, operating threshold, software
///                       version, weights SHA-256, training time and throughput
///   training_log.json   per epoch: train loss, val loss, val AUROC, learning rate
///   resume/             the last epoch's state for --resume (removable once training is done)
///   backbone.torchscript.pt  only for a TorchScript backbone: the exported feature extractor the
///                       model was built on; the card's "backbone" names it with its SHA-256
#include <string>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"
#include "osteo/ml/models/osteo_net.h"
#include "osteo/ml/train/covariates.h"
#include "osteo/preprocess/preprocess.h"

namespace osteo::ml {

inline constexpr const char* kWeightsFile = "model.pt";
/// The copy of a TorchScript backbone (--backbone-torchscript) inside its checkpoint directory.
inline constexpr const char* kTorchScriptBackboneFile = "backbone.torchscript.pt";
inline constexpr const char* kModelCardFile = "model_card.json";
inline constexpr const char* kTrainingLogFile = "training_log.json";
inline constexpr const char* kResumeDir = "resume";
/// model_card.json "format" value; bumped on incompatible changes.
inline constexpr int kModelCardFormat = 1;

/// The WHO densitometric bands and the model's outputs, as written into every card.
nlohmann::json who_label_definitions();

/// A loaded, verified model ready for predict(): eval mode, on the CPU.
struct Checkpoint {
  std::string dir;
  OsteoNet net{nullptr};
  PreprocessConfig preprocess;     ///< exactly what training used
  CovariateNormaliser covariates;  ///< empty names = image-only model
  double threshold = 0.5;          ///< operating threshold on p_osteoporosis chosen on validation
  nlohmann::json card;             ///< the whole model card
};

/// Loads `dir`: reads model_card.json, checks the SHA-256 of model.pt against the card's
/// weights_sha256, loads the model and checks it is the arch/covariate count the card names.
/// A "torchscript" model is rebuilt from the directory's backbone.torchscript.pt (its SHA-256
/// checked against the card's backbone.sha256) and the weights loaded into it.
/// Errors: kFileNotFound (no such directory, card or weights), kInvalidArgument (card is not
/// valid JSON or lacks a field; weights hash mismatch — "model.pt was modified or replaced";
/// the model does not match the card), kIoError (reading fails).
Result<Checkpoint> load_checkpoint(const std::string& dir);

/// Writes `card` as pretty JSON to dir/model_card.json (atomically: temp file + rename). kIoError.
Status write_json_file(const std::string& path, const nlohmann::json& j);
/// Reads a JSON file. kFileNotFound, kInvalidArgument (not JSON; message names the file).
Result<nlohmann::json> read_json_file(const std::string& path);

}  // namespace osteo::ml
