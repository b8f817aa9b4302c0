#include "osteo/eval/roc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "osteo/eval/check.h"

namespace osteo::eval {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> midranks(const std::vector<double>& values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n);
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = i;
    while (j + 1 < n && values[order[j + 1]] == values[order[i]]) ++j;
    // Positions i..j (0-based) hold ranks i+1..j+1; their mean is (i+j)/2 + 1.
    const double r = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

double auroc(const std::vector<double>& scores, const std::vector<int>& labels) {
  check_binary_input(scores, labels, "auroc");
  const std::vector<double> ranks = midranks(scores);
  double n_pos = 0.0, rank_sum = 0.0;
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] == 1) {
      n_pos += 1.0;
      rank_sum += ranks[i];
    }
  const double n_neg = static_cast<double>(labels.size()) - n_pos;
  if (n_pos == 0.0 || n_neg == 0.0) return kNaN;
  const double u = rank_sum - n_pos * (n_pos + 1.0) / 2.0;
  return u / (n_pos * n_neg);
}

std::vector<RocPoint> roc_curve(const std::vector<double>& scores, const std::vector<int>& labels) {
  check_binary_input(scores, labels, "roc_curve");
  const std::size_t n = scores.size();
  const auto n_pos = static_cast<double>(std::count(labels.begin(), labels.end(), 1));
  const double n_neg = static_cast<double>(n) - n_pos;
  if (n_pos == 0.0 || n_neg == 0.0) return {};
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  std::vector<RocPoint> curve;
  curve.push_back({0.0, 0.0, std::numeric_limits<double>::infinity()});
  double tp = 0.0, fp = 0.0;
  std::size_t i = 0;
  while (i < n) {
    const double t = scores[order[i]];
    while (i < n && scores[order[i]] == t) {
      (labels[order[i]] == 1 ? tp : fp) += 1.0;
      ++i;
    }
    curve.push_back({fp / n_neg, tp / n_pos, t});
  }
  return curve;
}

double roc_area(const std::vector<RocPoint>& curve) {
  if (curve.size() < 2) return kNaN;
  double area = 0.0;
  for (std::size_t i = 1; i < curve.size(); ++i)
    area += (curve[i].fpr - curve[i - 1].fpr) * (curve[i].tpr + curve[i - 1].tpr) / 2.0;
  return area;
}

}  // namespace osteo::eval
