#pragma once
/// @file
/// The 3-class (WHO category) confusion matrix.
#include <array>
#include <cstdint>
#include <vector>

#include "osteo/core/types.h"

namespace osteo::eval {

/// counts[true][predicted], indices WhoCategory 0 normal, 1 osteopenia, 2 osteoporosis.
struct ConfusionMatrix {
  std::array<std::array<std::int64_t, 3>, 3> counts{};
  std::int64_t total() const;
  /// Share of samples on the diagonal; NaN when empty.
  double accuracy() const;
  /// Recall of each true class, counts[c][c] / row sum; NaN for a class with no samples.
  std::array<double, 3> recall() const;
  /// Precision of each predicted class, counts[c][c] / column sum; NaN when never predicted.
  std::array<double, 3> precision() const;
};

/// Tallies (true, predicted) pairs. Throws OsteoError(kInvalidArgument) on a length mismatch.
ConfusionMatrix confusion_matrix(const std::vector<WhoCategory>& truth, const std::vector<WhoCategory>& predicted);

/// The predicted category of a probability triple: the arg-max. Exact ties go to the LESS
/// severe category (a screening tool should not escalate on a coin-flip). NaN probabilities
/// never win.
WhoCategory argmax_category(double p_normal, double p_osteopenia, double p_osteoporosis);

}  // namespace osteo::eval
