#pragma once
/// @file
/// Comparing two AUROCs measured on the SAME samples (paired, hence correlated).
#include <string>
#include <vector>

#include "osteo/eval/bootstrap.h"

namespace osteo::eval {

/// Result of a paired comparison of model A against model B (difference = A − B).
struct AucComparison {
  double auc_a = 0.0;
  double auc_b = 0.0;
  double difference = 0.0;  ///< auc_a − auc_b
  double se = 0.0;          ///< standard error of the difference
  double z = 0.0;           ///< difference / se
  double p_value = 1.0;     ///< two-sided
};

/// DeLong, DeLong & Clarke-Pearson (1988) test from the structural components (placement
/// values) V10 of the positives and V01 of the negatives, computed through midranks in
/// O(n log n) (Sun & Xu 2014). var(A−B) = (S10_AA + S10_BB − 2·S10_AB)/n⁺ + (S01_…)/n⁻ with
/// sample covariances (divisor n−1). Needs ≥ 2 positives and ≥ 2 negatives; otherwise every
/// field except the AUCs is NaN (the AUCs themselves are NaN with one class).
/// When the variance is 0 (e.g. identical score vectors): difference 0 → z = 0, p = 1;
/// a non-zero difference → z = ±∞, p = 0.
/// Throws OsteoError(kInvalidArgument) on bad input (see roc.h) or unequal lengths.
AucComparison delong_test(const std::vector<double>& scores_a, const std::vector<double>& scores_b,
                          const std::vector<int>& labels);

/// Paired patient-level bootstrap of A − B: both models are scored on the same resampled
/// patients. se is the bootstrap SD of the difference, z = difference/se, and p_value is the
/// two-sided percentile p: 2·min(share of resampled differences ≤ 0, share ≥ 0), capped at 1
/// (resolution 1/resamples). `interval` is the percentile interval of the difference.
struct PairedBootstrapComparison {
  AucComparison comparison;
  BootstrapCi interval;
};
PairedBootstrapComparison paired_bootstrap_auc(const std::vector<double>& scores_a, const std::vector<double>& scores_b,
                                               const std::vector<int>& labels, const std::vector<std::string>& group_ids,
                                               const BootstrapOptions& options = {});

}  // namespace osteo::eval
