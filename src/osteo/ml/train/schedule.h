#pragma once
/// @file
/// Learning-rate schedule: linear warm-up then cosine decay, evaluated per optimisation step.
/// LibTorch only ships StepLR, so the trainer sets each parameter group's lr from this.
#include <cstdint>

namespace osteo::ml {

struct CosineSchedule {
  double base_lr = 1e-3;        ///< peak learning rate, reached at the end of the warm-up
  std::int64_t total_steps = 1;   ///< optimisation steps of the whole run (≥ 1)
  std::int64_t warmup_steps = 0;  ///< linear warm-up steps (clamped to total_steps − 1)
  double min_lr_ratio = 0.01;   ///< floor of the cosine as a fraction of base_lr
};

/// Learning rate for 0-based step `step`:
///  - warm-up (step < W): base·(step+1)/W, so the first step already moves and step W−1 is at base;
///  - then min + (base − min)·½·(1 + cos(π·(step − W)/(T − W))), from base at step W down towards
///    min = base·min_lr_ratio at step T; steps ≥ T stay at min.
double learning_rate_at(const CosineSchedule& schedule, std::int64_t step);

}  // namespace osteo::ml
