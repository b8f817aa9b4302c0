#pragma once
/// @file
/// Derivation of independent random streams from one --seed. Every random choice in training
/// (shuffling, augmentation, dropout) is seeded from (seed, epoch, index) rather than carried
/// in a mutable generator, so a run is identical whatever the thread count and a resumed run
/// continues exactly where it stopped without having to serialise generator state.
#include <cstdint>

namespace osteo::ml {

/// SplitMix64 finaliser: a bijective 64-bit mix with good avalanche.
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// Seed of the stream identified by (seed, stream, a, b); distinct tuples give unrelated seeds.
inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream, std::uint64_t a = 0, std::uint64_t b = 0) {
  return splitmix64(splitmix64(splitmix64(splitmix64(seed) ^ stream) ^ a) ^ b);
}

/// Stream identifiers for derive_seed.
inline constexpr std::uint64_t kStreamShuffle = 1;
inline constexpr std::uint64_t kStreamAugment = 2;
inline constexpr std::uint64_t kStreamTorch = 3;
inline constexpr std::uint64_t kStreamInit = 4;

}  // namespace osteo::ml
