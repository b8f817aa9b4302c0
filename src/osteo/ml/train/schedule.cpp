#include "osteo/ml/train/schedule.h"

#include <algorithm>
#include <cmath>

namespace osteo::ml {

double learning_rate_at(const CosineSchedule& s, std::int64_t step) {
  const std::int64_t total = std::max<std::int64_t>(1, s.total_steps);
  const std::int64_t warmup = std::clamp<std::int64_t>(s.warmup_steps, 0, total - 1);
  if (step < 0) step = 0;
  if (step < warmup) return s.base_lr * static_cast<double>(step + 1) / static_cast<double>(warmup);
  const double min_lr = s.base_lr * s.min_lr_ratio;
  const double progress = std::min(1.0, static_cast<double>(step - warmup) / static_cast<double>(total - warmup));
  return min_lr + (s.base_lr - min_lr) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

}  // namespace osteo::ml
