#pragma once
/// @file
/// Evaluating a trained checkpoint on labelled samples: predictions joined with the reference
/// labels and covariates into eval::EvalSample, and the training curves for the report.
#include <string>
#include <vector>

#include "osteo/eval/evaluation.h"
#include "osteo/ml/train/checkpoint_dir.h"
#include "osteo/ml/train/predict.h"
#include "osteo/report/report.h"

namespace osteo::ml {

/// The reference half of an evaluation sample: patient (for the bootstrap), reference T-score
/// and category, sex and age (for subgroups); the predictions are left at their defaults.
eval::EvalSample reference_sample(const TrainSample& sample);

/// Predicts every sample with the checkpoint and pairs each prediction with its reference
/// label, patient (for the bootstrap), sex and age (for subgroups).
Result<std::vector<eval::EvalSample>> evaluation_samples(Checkpoint& checkpoint, const std::vector<TrainSample>& samples,
                                                         const PredictOptions& options);

/// Loss and validation-AUROC curves from the checkpoint's training_log.json (empty when absent).
void training_curves(const std::string& checkpoint_dir, std::vector<report::Curve>& loss_curves,
                     std::vector<report::Curve>& metric_curves);

}  // namespace osteo::ml
