#include "osteo/eval/ranked_scores.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace osteo::eval {

RankedScores::RankedScores(const std::vector<double>& scores, const std::vector<int>& labels)
    : order_(scores.size()), labels_(labels) {
  std::iota(order_.begin(), order_.end(), 0);
  std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  for (std::size_t i = 0; i < order_.size(); ++i)
    if (i + 1 == order_.size() || scores[order_[i + 1]] != scores[order_[i]]) group_end_.push_back(i + 1);
}

double RankedScores::auroc(const std::vector<std::size_t>& idx) const {
  std::vector<unsigned> times(order_.size(), 0);
  for (auto i : idx) ++times[i];
  // Walk the tie groups upwards: each positive beats the negatives below its group and ties
  // (½) with the negatives inside it.
  double numerator = 0.0, neg_below = 0.0, pos_total = 0.0;
  std::size_t start = 0;
  for (std::size_t end : group_end_) {
    double pos = 0.0, neg = 0.0;
    for (std::size_t k = start; k < end; ++k) {
      const std::size_t i = order_[k];
      (labels_[i] == 1 ? pos : neg) += times[i];
    }
    numerator += pos * (neg_below + 0.5 * neg);
    neg_below += neg;
    pos_total += pos;
    start = end;
  }
  if (pos_total == 0.0 || neg_below == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return numerator / (pos_total * neg_below);
}

}  // namespace osteo::eval
