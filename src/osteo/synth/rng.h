#pragma once
/// @file
/// Deterministic randomness for the synthetic hospital. std::mt19937_64 is fully specified by
/// the standard, but the std::*_distribution classes are not (libstdc++ and libc++ differ), so
/// the distributions here are our own: the same seed gives the same numbers everywhere.
#include <cstdint>
#include <initializer_list>
#include <random>
#include <vector>

namespace osteo::synth {

/// SplitMix64 finaliser: a strong 64-bit mix, used to derive independent stream seeds.
std::uint64_t mix64(std::uint64_t x);

/// Seed of an independent stream for a path of indices under `seed`, e.g.
/// derive_seed(seed, {patient, study, image}). Pure function: no order dependence between
/// streams, so parallel generation equals sequential generation.
std::uint64_t derive_seed(std::uint64_t seed, std::initializer_list<std::uint64_t> path);

/// A seeded stream with portable distributions.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next_u64() { return engine_(); }
  /// Uniform in [0, 1), 53-bit resolution.
  double uniform() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [lo, hi] (inclusive). Modulo bias is below 2^-32 for our ranges.
  int uniform_int(int lo, int hi);
  /// Standard normal (Box–Muller, the spare value cached).
  double normal();
  double normal(double mean, double sd) { return mean + sd * normal(); }
  /// Approximately standard normal from one 64-bit draw (Irwin–Hall sum of four 16-bit
  /// uniforms, variance 1, tails cut at ±3.46): for pixel noise, where speed matters.
  double fast_normal() {
    const std::uint64_t x = engine_();
    const double sum = static_cast<double>((x & 0xFFFF) + ((x >> 16) & 0xFFFF) + ((x >> 32) & 0xFFFF) + (x >> 48));
    return (sum / 65536.0 - 2.0) * 1.7320508075688772;
  }
  /// true with probability p.
  bool chance(double p) { return uniform() < p; }
  /// Index drawn with probability proportional to `weights` (all ≥ 0, sum > 0).
  std::size_t pick(const std::vector<double>& weights);

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace osteo::synth
