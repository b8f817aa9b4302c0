#pragma once
/// @file
/// AUROC of bootstrap resamples in O(n) each: the scores are sorted once, and a resample is
/// just a multiplicity per sample. Internal to eval (bootstrap and paired tests).
#include <cstddef>
#include <vector>

namespace osteo::eval {

class RankedScores {
 public:
  /// Inputs must already be validated (finite scores, 0/1 labels, equal lengths).
  RankedScores(const std::vector<double>& scores, const std::vector<int>& labels);
  /// AUROC of the multiset of samples `idx` (repeats count repeatedly); NaN with one class.
  /// Same value as auroc() on the gathered samples. Thread-safe.
  double auroc(const std::vector<std::size_t>& idx) const;

 private:
  std::vector<std::size_t> order_;       ///< sample indices by ascending score
  std::vector<std::size_t> group_end_;   ///< end (exclusive) in order_ of each tie group
  std::vector<int> labels_;
};

}  // namespace osteo::eval
