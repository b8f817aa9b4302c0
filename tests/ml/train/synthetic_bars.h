#pragma once
// A learnable toy task for the trainer tests: each image holds one bright vertical bar whose
// thickness encodes the WHO class (thin = osteoporosis, as thin cortices are), at a random
// position, on a noisy background. Generated in memory, deterministic in the seed.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "osteo/ml/train/trainer.h"

namespace osteo::ml::test {

inline void make_bar_set(int count, int size, std::uint64_t seed, std::vector<TrainSample>& samples,
                         PreparedSet& images, std::int64_t first_id = 1) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 0.05);
  const int thickness[3] = {size / 4, size / 8, size / 24 > 1 ? size / 24 : 1};  // normal, osteopenia, osteoporosis
  const double t_mean[3] = {0.0, -1.8, -3.2};
  images.size = size;
  images.pixels.assign(static_cast<std::size_t>(count) * size * size, 0.0f);
  samples.clear();
  for (int i = 0; i < count; ++i) {
    const int c = i % 3;
    TrainSample s;
    s.image_id = first_id + i;
    s.patient_id = "P" + std::to_string(first_id + i);
    s.path = "synthetic:" + s.patient_id;
    s.category = static_cast<WhoCategory>(c);
    s.t_score = t_mean[c] + 0.3 * (u(rng) - 0.5);
    s.covariates.age = 50 + 30 * u(rng);
    s.covariates.sex_female = u(rng) < 0.7 ? 1.0 : 0.0;
    if (u(rng) < 0.8) s.covariates.bmi = 20 + 10 * u(rng);
    const int w = thickness[c];
    const int x0 = static_cast<int>(size / 6 + u(rng) * (size * 2 / 3 - w));
    float* px = images.image(static_cast<std::size_t>(i));
    const double level = 0.2 + 0.1 * u(rng);
    for (int y = 0; y < size; ++y) {
      for (int x = 0; x < size; ++x) {
        double v = level + noise(rng);
        if (x >= x0 && x < x0 + w && y >= size / 8 && y < size - size / 8) v += 0.6;
        px[y * size + x] = static_cast<float>(std::clamp(v, 0.0, 1.0));
      }
    }
    samples.push_back(s);
  }
}

/// A TrainData of `n_train` + `n_val` bar images of side `size`.
inline TrainData make_bar_data(int n_train, int n_val, int size, std::uint64_t seed = 7) {
  TrainData data;
  make_bar_set(n_train, size, seed, data.train, data.train_images, 1);
  make_bar_set(n_val, size, seed + 1000, data.val, data.val_images, 100000);
  data.source = {{"kind", "synthetic"}, {"task", "bar thickness"}};
  return data;
}

/// Every parameter and buffer of a equals b's, bit for bit.
inline void expect_same_weights(OsteoNet& a, OsteoNet& b) {
  const auto pa = a->named_parameters(true);
  const auto pb = b->named_parameters(true);
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& p : pa) EXPECT_TRUE(torch::equal(p.value(), pb[p.key()])) << p.key();
  const auto ba = a->named_buffers(true);
  const auto bb = b->named_buffers(true);
  for (const auto& p : ba) EXPECT_TRUE(torch::equal(p.value(), bb[p.key()])) << p.key();
}

/// Options for a fast tiny-model run on bar data.
inline TrainOptions tiny_options(const std::string& out_dir, int size, int epochs) {
  TrainOptions o;
  o.arch = "tiny";
  o.epochs = epochs;
  o.batch_size = 16;
  o.lr = 3e-3;
  o.warmup_epochs = 0.5;
  o.patience = 0;
  o.threads = 2;
  o.seed = 11;
  o.preprocess.input_size = size;
  o.augment = AugmentConfig::none();
  o.out_dir = out_dir;
  return o;
}

}  // namespace osteo::ml::test
