#pragma once
// The training options shared by `osteoscreen train` and `osteoscreen compare`, so every model
// of a comparison is trained under exactly the protocol `train` would use.
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "osteo/ml/train/trainer.h"

namespace osteo::cli {

struct TrainCliOptions {
  ml::DataSource source;
  ml::TrainOptions train;
  std::string covariates;  ///< as given to --covariates
  std::string roi = "whole";
  bool canonicalize = false;
};

/// Adds the data options (--manifest, --split, fractions) and the protocol options (--epochs,
/// --image-size, --batch-size, --lr, …, --seed, --covariates, --roi, --backbone-torchscript).
/// Not --arch, --out or --resume, which differ between the commands.
void add_train_options(CLI::App& sub, TrainCliOptions& opt, const std::string& covariates_help);

/// Completes opt.train after parsing (threads, progress, ROI, flips, the parsed covariate list)
/// and validates it. Logs the error and returns kExitUsage on a bad option, else kExitOk.
int finish_train_options(TrainCliOptions& opt, const GlobalOptions& global);

}  // namespace osteo::cli
