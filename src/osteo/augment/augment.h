#pragma once
/// @file
/// Training-time augmentation of prepared model inputs (OpenCV). Randomness comes only from the
/// caller's AugmentRng, so each data-loader worker seeds its own stream: torch::data copies the
/// dataset into every worker, and a member RNG would give every worker the same augmentations.
#include <cstdint>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"

namespace osteo {

struct AugmentConfig {
  double rotation_deg = 10.0;   ///< uniform in ±rotation_deg
  double scale = 0.10;          ///< zoom factor uniform in [1−scale, 1+scale]
  double shift = 0.05;          ///< translation, fraction of the side, uniform in ±shift
  double flip_probability = 0;  ///< horizontal flip; only for anatomy without side (knees), or canonicalised hips
  double brightness = 0.10;     ///< additive, uniform in ±brightness
  double contrast = 0.15;       ///< multiplicative about 0.5, uniform in [1−contrast, 1+contrast]
  double gamma = 0.20;          ///< exponent uniform in [1−gamma, 1+gamma]
  double noise_sigma = 0.02;    ///< Gaussian noise SD (applied with probability 0.5)
  double blur_probability = 0.2;  ///< Gaussian blur, sigma uniform in [0.3, 1.2] px

  nlohmann::json to_json() const;
  static Result<AugmentConfig> from_json(const nlohmann::json& j);
  /// No augmentation at all (evaluation).
  static AugmentConfig none();
};

/// A per-worker random stream. mt19937_64 is specified bit-exactly by the standard; the draws
/// below are our own so results do not depend on the standard library's distributions.
class AugmentRng {
 public:
  explicit AugmentRng(std::uint64_t seed) : engine_(seed) {}
  double uniform(double lo, double hi);  ///< [lo, hi)
  double normal();                       ///< standard normal (Box–Muller)
  bool chance(double p) { return uniform(0.0, 1.0) < p; }

 private:
  std::mt19937_64 engine_;
};

/// Augments a square image of side `size` (values in [0,1], zero padding) in place. Geometry
/// first (one warpAffine), then intensity; the result is clamped to [0,1].
void augment_in_place(std::vector<float>& pixels, int size, const AugmentConfig& config, AugmentRng& rng);

}  // namespace osteo
