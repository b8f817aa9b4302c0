#pragma once
/// @file
/// Operating-point metrics of a binary screening decision and the choice of its threshold.
/// Decision rule everywhere: predict positive when score ≥ threshold.
#include <cstdint>
#include <vector>

#include "osteo/eval/proportion.h"

namespace osteo::eval {

struct BinaryCounts {
  std::int64_t tp = 0, fp = 0, tn = 0, fn = 0;
};

/// Sensitivity TP/(TP+FN), specificity TN/(TN+FP), PPV TP/(TP+FP), NPV TN/(TN+FN), each with
/// its Wilson interval. A proportion whose denominator is 0 is NaN (e.g. PPV when nothing is
/// predicted positive).
struct BinaryMetrics {
  double threshold = 0.0;
  BinaryCounts counts;
  Proportion sensitivity, specificity, ppv, npv;
};

/// Counts and proportions at `threshold`. Throws OsteoError(kInvalidArgument) on bad input
/// (see roc.h conventions) or a NaN threshold.
BinaryMetrics binary_metrics_at(const std::vector<double>& scores, const std::vector<int>& labels,
                                double threshold, double confidence = 0.95);

/// The chosen operating point.
struct ThresholdChoice {
  double threshold = 0.0;            ///< NaN when there are no positives
  double target_sensitivity = 0.0;
  double achieved_sensitivity = 0.0;  ///< ≥ target by construction (may exceed it with ties)
  double specificity = 0.0;           ///< NaN when there are no negatives
};

/// The HIGHEST threshold whose sensitivity is ≥ target (default 0.90), searched over the
/// observed scores — for screening, the most specific rule that still finds the target share
/// of positives. It is the score of the ⌈target·n⁺⌉-th highest positive. Ties: samples with
/// equal scores are never split, so if several positives share that score all of them count
/// as detected and the achieved sensitivity can exceed the target; negatives tied with it are
/// all predicted positive too. Choose it on VALIDATION data and apply it unchanged to test data.
/// Throws OsteoError(kInvalidArgument) unless 0 < target ≤ 1, or on bad input.
ThresholdChoice threshold_for_sensitivity(const std::vector<double>& scores, const std::vector<int>& labels,
                                          double target_sensitivity = 0.90);

}  // namespace osteo::eval
