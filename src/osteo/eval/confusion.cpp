#include "osteo/eval/confusion.h"

#include <limits>

#include "osteo/eval/check.h"

namespace osteo::eval {

std::int64_t ConfusionMatrix::total() const {
  std::int64_t t = 0;
  for (const auto& row : counts)
    for (auto c : row) t += c;
  return t;
}

double ConfusionMatrix::accuracy() const {
  const std::int64_t t = total();
  if (t == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(counts[0][0] + counts[1][1] + counts[2][2]) / static_cast<double>(t);
}

std::array<double, 3> ConfusionMatrix::recall() const {
  std::array<double, 3> r{};
  for (int c = 0; c < 3; ++c) {
    const std::int64_t row = counts[c][0] + counts[c][1] + counts[c][2];
    r[c] = row == 0 ? std::numeric_limits<double>::quiet_NaN()
                    : static_cast<double>(counts[c][c]) / static_cast<double>(row);
  }
  return r;
}

std::array<double, 3> ConfusionMatrix::precision() const {
  std::array<double, 3> r{};
  for (int c = 0; c < 3; ++c) {
    const std::int64_t col = counts[0][c] + counts[1][c] + counts[2][c];
    r[c] = col == 0 ? std::numeric_limits<double>::quiet_NaN()
                    : static_cast<double>(counts[c][c]) / static_cast<double>(col);
  }
  return r;
}

ConfusionMatrix confusion_matrix(const std::vector<WhoCategory>& truth, const std::vector<WhoCategory>& predicted) {
  check_same_size(truth.size(), predicted.size(), "confusion_matrix");
  ConfusionMatrix m;
  for (std::size_t i = 0; i < truth.size(); ++i)
    ++m.counts[static_cast<int>(truth[i])][static_cast<int>(predicted[i])];
  return m;
}

WhoCategory argmax_category(double p_normal, double p_osteopenia, double p_osteoporosis) {
  WhoCategory best = WhoCategory::kNormal;
  double best_p = p_normal == p_normal ? p_normal : -1.0;
  // Strict > keeps the less severe class on exact ties.
  if (p_osteopenia > best_p) {
    best = WhoCategory::kOsteopenia;
    best_p = p_osteopenia;
  }
  if (p_osteoporosis > best_p) best = WhoCategory::kOsteoporosis;
  return best;
}

}  // namespace osteo::eval
