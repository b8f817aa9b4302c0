#include "osteo/eval/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "osteo/core/error.h"
#include "osteo/core/parallel.h"
#include "osteo/eval/check.h"
#include "osteo/eval/ranked_scores.h"
#include "osteo/eval/roc.h"

namespace osteo::eval {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t uniform_below(std::mt19937_64& engine, std::uint64_t n) {
  // Values below 2^64 mod n would make the low residues more likely; reject them.
  const std::uint64_t reject_below = (0 - n) % n;
  for (;;) {
    const std::uint64_t x = engine();
    if (x >= reject_below) return x % n;
  }
}

std::vector<std::size_t> group_index(const std::vector<std::string>& group_ids) {
  std::unordered_map<std::string, std::size_t> seen;
  std::vector<std::size_t> out(group_ids.size());
  for (std::size_t i = 0; i < group_ids.size(); ++i) out[i] = seen.emplace(group_ids[i], seen.size()).first->second;
  return out;
}

double sorted_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return kNaN;
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

namespace {
void check_options(const BootstrapOptions& options) {
  if (options.resamples <= 0)
    throw OsteoError(ErrorCode::kInvalidArgument, "bootstrap: resamples must be > 0");
  if (!(options.confidence > 0.0 && options.confidence < 1.0))
    throw OsteoError(ErrorCode::kInvalidArgument, "bootstrap: confidence must be in (0, 1)");
}
}  // namespace

std::vector<double> bootstrap_values(const std::vector<std::string>& group_ids, const ResampleMetric& metric,
                                     const BootstrapOptions& options) {
  check_options(options);
  const std::size_t n = group_ids.size();
  std::vector<double> values(static_cast<std::size_t>(options.resamples), kNaN);
  if (n == 0) return values;
  const std::vector<std::size_t> cluster = group_index(group_ids);
  const std::size_t k = *std::max_element(cluster.begin(), cluster.end()) + 1;
  std::vector<std::vector<std::size_t>> members(k);
  for (std::size_t i = 0; i < n; ++i) members[cluster[i]].push_back(i);
  parallel_for(values.size(), options.threads, [&](std::size_t b) {
    // Seeding per resample (not one running stream) makes the result independent of threads.
    std::mt19937_64 engine(splitmix64(options.seed ^ splitmix64(b + 1)));
    Resample idx;
    idx.reserve(n + n / 4);
    for (std::size_t draw = 0; draw < k; ++draw) {
      const auto& m = members[uniform_below(engine, k)];
      idx.insert(idx.end(), m.begin(), m.end());
    }
    values[b] = metric(idx);
  });
  return values;
}

BootstrapCi summarise_bootstrap(double estimate, const std::vector<double>& values, double confidence) {
  BootstrapCi ci;
  ci.estimate = estimate;
  std::vector<double> defined;
  defined.reserve(values.size());
  for (double v : values)
    if (!std::isnan(v)) defined.push_back(v);
  ci.resamples_used = static_cast<int>(defined.size());
  ci.resamples_skipped = static_cast<int>(values.size()) - ci.resamples_used;
  std::sort(defined.begin(), defined.end());
  const double alpha = 1.0 - confidence;
  ci.low = sorted_quantile(defined, alpha / 2.0);
  ci.high = sorted_quantile(defined, 1.0 - alpha / 2.0);
  return ci;
}

BootstrapCi bootstrap_ci(const std::vector<std::string>& group_ids, const ResampleMetric& metric,
                         const BootstrapOptions& options) {
  check_options(options);
  Resample all(group_ids.size());
  std::iota(all.begin(), all.end(), 0);
  const double estimate = metric(all);
  return summarise_bootstrap(estimate, bootstrap_values(group_ids, metric, options), options.confidence);
}

BootstrapCi bootstrap_auroc(const std::vector<double>& scores, const std::vector<int>& labels,
                            const std::vector<std::string>& group_ids, const BootstrapOptions& options) {
  check_binary_input(scores, labels, "bootstrap_auroc");
  check_same_size(scores.size(), group_ids.size(), "bootstrap_auroc (group ids)");
  const RankedScores ranked(scores, labels);
  return bootstrap_ci(
      group_ids, [&](const Resample& idx) { return ranked.auroc(idx); }, options);
}

}  // namespace osteo::eval
