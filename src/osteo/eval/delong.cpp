#include "osteo/eval/delong.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "osteo/eval/check.h"
#include "osteo/eval/normal.h"
#include "osteo/eval/ranked_scores.h"
#include "osteo/eval/roc.h"

namespace osteo::eval {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Placement values of one model: v10[i] for each positive, v01[j] for each negative.
void placements(const std::vector<double>& scores, const std::vector<int>& labels, std::vector<double>& v10,
                std::vector<double>& v01) {
  std::vector<double> pos, neg;
  for (std::size_t i = 0; i < scores.size(); ++i) (labels[i] == 1 ? pos : neg).push_back(scores[i]);
  const auto m = static_cast<double>(pos.size());
  const auto k = static_cast<double>(neg.size());
  const std::vector<double> tz = midranks(scores);
  const std::vector<double> tx = midranks(pos);
  const std::vector<double> ty = midranks(neg);
  v10.clear();
  v01.clear();
  std::size_t ip = 0, in = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    // tz − own-class midrank = (#other class below) + ½(#other class tied).
    if (labels[i] == 1)
      v10.push_back((tz[i] - tx[ip++]) / k);
    else
      v01.push_back(1.0 - (tz[i] - ty[in++]) / m);
  }
}

double covariance(const std::vector<double>& a, const std::vector<double>& b) {
  const auto n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - ma) * (b[i] - mb);
  return s / (n - 1.0);
}

void finish(AucComparison& c) {
  c.difference = c.auc_a - c.auc_b;
  if (c.se > 0.0) {
    c.z = c.difference / c.se;
    c.p_value = std::erfc(std::abs(c.z) / std::sqrt(2.0));
  } else if (c.difference == 0.0) {
    c.z = 0.0;
    c.p_value = 1.0;
  } else {
    c.z = c.difference > 0 ? kInf : -kInf;
    c.p_value = 0.0;
  }
}

}  // namespace

AucComparison delong_test(const std::vector<double>& scores_a, const std::vector<double>& scores_b,
                          const std::vector<int>& labels) {
  check_binary_input(scores_a, labels, "delong_test (model A)");
  check_binary_input(scores_b, labels, "delong_test (model B)");
  AucComparison c;
  c.auc_a = auroc(scores_a, labels);
  c.auc_b = auroc(scores_b, labels);
  const auto m = std::count(labels.begin(), labels.end(), 1);
  const auto k = static_cast<long>(labels.size()) - m;
  if (m < 2 || k < 2) {
    c.difference = c.auc_a - c.auc_b;
    c.se = c.z = c.p_value = kNaN;
    return c;
  }
  std::vector<double> a10, a01, b10, b01;
  placements(scores_a, labels, a10, a01);
  placements(scores_b, labels, b10, b01);
  const double var10 = covariance(a10, a10) + covariance(b10, b10) - 2.0 * covariance(a10, b10);
  const double var01 = covariance(a01, a01) + covariance(b01, b01) - 2.0 * covariance(a01, b01);
  const double var = var10 / static_cast<double>(m) + var01 / static_cast<double>(k);
  // Rounding can leave a tiny negative variance for (nearly) identical models.
  c.se = std::sqrt(std::max(0.0, var));
  if (c.se < 1e-15) c.se = 0.0;
  finish(c);
  return c;
}

PairedBootstrapComparison paired_bootstrap_auc(const std::vector<double>& scores_a, const std::vector<double>& scores_b,
                                               const std::vector<int>& labels, const std::vector<std::string>& group_ids,
                                               const BootstrapOptions& options) {
  check_binary_input(scores_a, labels, "paired_bootstrap_auc (model A)");
  check_binary_input(scores_b, labels, "paired_bootstrap_auc (model B)");
  check_same_size(labels.size(), group_ids.size(), "paired_bootstrap_auc (group ids)");
  const RankedScores ranked_a(scores_a, labels), ranked_b(scores_b, labels);
  auto diff = [&](const Resample& idx) { return ranked_a.auroc(idx) - ranked_b.auroc(idx); };
  PairedBootstrapComparison out;
  AucComparison& c = out.comparison;
  c.auc_a = auroc(scores_a, labels);
  c.auc_b = auroc(scores_b, labels);
  const std::vector<double> values = bootstrap_values(group_ids, diff, options);
  out.interval = summarise_bootstrap(c.auc_a - c.auc_b, values, options.confidence);
  double sum = 0.0, sum2 = 0.0, n = 0.0, at_or_below = 0.0, at_or_above = 0.0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    n += 1.0;
    sum += v;
    sum2 += v * v;
    if (v <= 0.0) at_or_below += 1.0;
    if (v >= 0.0) at_or_above += 1.0;
  }
  if (n < 2.0 || std::isnan(c.auc_a) || std::isnan(c.auc_b)) {
    c.difference = c.auc_a - c.auc_b;
    c.se = c.z = c.p_value = kNaN;
    return out;
  }
  const double mean = sum / n;
  c.se = std::sqrt(std::max(0.0, (sum2 - n * mean * mean) / (n - 1.0)));
  if (c.se < 1e-15) c.se = 0.0;
  finish(c);
  // The percentile p replaces the normal-theory one (finish() set it from z).
  if (c.se > 0.0) c.p_value = std::min(1.0, 2.0 * std::min(at_or_below, at_or_above) / n);
  return out;
}

}  // namespace osteo::eval
