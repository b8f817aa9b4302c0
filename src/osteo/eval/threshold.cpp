#include "osteo/eval/threshold.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "osteo/core/error.h"
#include "osteo/eval/check.h"

namespace osteo::eval {

namespace {

BinaryCounts count_at(const std::vector<double>& scores, const std::vector<int>& labels, double threshold) {
  BinaryCounts c;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const bool predicted = scores[i] >= threshold;
    if (labels[i] == 1)
      ++(predicted ? c.tp : c.fn);
    else
      ++(predicted ? c.fp : c.tn);
  }
  return c;
}

}  // namespace

BinaryMetrics binary_metrics_at(const std::vector<double>& scores, const std::vector<int>& labels,
                                double threshold, double confidence) {
  check_binary_input(scores, labels, "binary_metrics_at");
  if (std::isnan(threshold)) throw OsteoError(ErrorCode::kInvalidArgument, "binary_metrics_at: threshold is NaN");
  BinaryMetrics m;
  m.threshold = threshold;
  m.counts = count_at(scores, labels, threshold);
  const BinaryCounts& c = m.counts;
  m.sensitivity = wilson_interval(c.tp, c.tp + c.fn, confidence);
  m.specificity = wilson_interval(c.tn, c.tn + c.fp, confidence);
  m.ppv = wilson_interval(c.tp, c.tp + c.fp, confidence);
  m.npv = wilson_interval(c.tn, c.tn + c.fn, confidence);
  return m;
}

ThresholdChoice threshold_for_sensitivity(const std::vector<double>& scores, const std::vector<int>& labels,
                                          double target_sensitivity) {
  check_binary_input(scores, labels, "threshold_for_sensitivity");
  if (!(target_sensitivity > 0.0 && target_sensitivity <= 1.0))
    throw OsteoError(ErrorCode::kInvalidArgument,
                     "threshold_for_sensitivity: target must be in (0, 1], got " + std::to_string(target_sensitivity));
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  ThresholdChoice choice;
  choice.target_sensitivity = target_sensitivity;
  std::vector<double> positives;
  for (std::size_t i = 0; i < scores.size(); ++i)
    if (labels[i] == 1) positives.push_back(scores[i]);
  if (positives.empty()) {
    choice.threshold = choice.achieved_sensitivity = choice.specificity = kNaN;
    return choice;
  }
  std::sort(positives.begin(), positives.end(), std::greater<>());
  // The tolerance keeps 0.9·10 = 9.000000000000002 from demanding a tenth positive.
  const double need = std::ceil(target_sensitivity * static_cast<double>(positives.size()) - 1e-9);
  const auto k = static_cast<std::size_t>(std::max(1.0, need));
  choice.threshold = positives[k - 1];
  const BinaryCounts c = count_at(scores, labels, choice.threshold);
  choice.achieved_sensitivity = static_cast<double>(c.tp) / static_cast<double>(c.tp + c.fn);
  choice.specificity = c.tn + c.fp == 0 ? kNaN : static_cast<double>(c.tn) / static_cast<double>(c.tn + c.fp);
  return choice;
}

}  // namespace osteo::eval
