#pragma once
/// @file
/// Patient-level (cluster) bootstrap confidence intervals.
///
/// Images of one patient are correlated (left and right knee, repeat visits), so resampling
/// images would understate the uncertainty. Each resample draws as many PATIENTS as there are,
/// with replacement, and takes all samples of each drawn patient (a patient drawn twice
/// contributes its samples twice). The interval is the percentile interval of the metric over
/// the resamples (linear interpolation between order statistics, Hyndman–Fan type 7).
///
/// Determinism: resample b uses std::mt19937_64 seeded from (seed, b) through a SplitMix64 mix,
/// and indices come from our own unbiased bounded draw (rejection sampling), not from
/// std::uniform_int_distribution whose output differs between standard libraries. The result
/// therefore depends only on the seed, the data and the group order — not on the platform or
/// on the thread count.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace osteo::eval {

/// Uniform integer in [0, n) from the engine, without modulo bias. n must be > 0.
std::uint64_t uniform_below(std::mt19937_64& engine, std::uint64_t n);

/// SplitMix64 finaliser, used to derive the per-resample seeds.
std::uint64_t splitmix64(std::uint64_t x);

struct BootstrapOptions {
  int resamples = 2000;       ///< number of resamples drawn (> 0)
  double confidence = 0.95;   ///< two-sided level of the percentile interval, in (0, 1)
  std::uint64_t seed = 20240601;
  unsigned threads = 1;       ///< worker threads (0 = all cores); the result does not depend on it
};

/// A point estimate with its percentile interval.
struct BootstrapCi {
  double estimate = 0.0;  ///< the metric on the original data (NaN when undefined there)
  double low = 0.0;       ///< NaN when no resample gave a defined value
  double high = 0.0;
  int resamples_used = 0;     ///< resamples with a defined (non-NaN) metric
  int resamples_skipped = 0;  ///< resamples where the metric was NaN (e.g. one class only)
};

/// Sample indices of one resample (with repetitions), in the order the patients were drawn.
using Resample = std::vector<std::size_t>;
/// A metric on a subset of samples. Returns NaN when undefined (e.g. one class): such resamples
/// are skipped and counted, not retried, so the interval is conditional on the metric existing.
using ResampleMetric = std::function<double(const Resample&)>;

/// Cluster index of each sample, 0..k−1 in order of first appearance of its group id.
std::vector<std::size_t> group_index(const std::vector<std::string>& group_ids);

/// The metric on each of the options.resamples patient-level resamples, in resample order
/// (NaN where undefined). The building block of bootstrap_ci() and the paired tests.
std::vector<double> bootstrap_values(const std::vector<std::string>& group_ids, const ResampleMetric& metric,
                                     const BootstrapOptions& options = {});

/// Summarises resampled values: percentile interval of the non-NaN ones, used/skipped counts.
BootstrapCi summarise_bootstrap(double estimate, const std::vector<double>& values, double confidence);

/// Patient-level bootstrap of any metric. `group_ids[i]` is the patient of sample i; the
/// metric is first evaluated on all samples (0..n−1) for the estimate. The metric must be
/// thread-safe when threads ≠ 1. Throws OsteoError(kInvalidArgument) on bad options.
BootstrapCi bootstrap_ci(const std::vector<std::string>& group_ids, const ResampleMetric& metric,
                         const BootstrapOptions& options = {});

/// Patient-level bootstrap of the AUROC (scores/labels as in auroc()).
BootstrapCi bootstrap_auroc(const std::vector<double>& scores, const std::vector<int>& labels,
                            const std::vector<std::string>& group_ids, const BootstrapOptions& options = {});

/// The type-7 quantile (q in [0, 1]) of values sorted ascending; NaN when empty.
double sorted_quantile(const std::vector<double>& sorted, double q);

}  // namespace osteo::eval
