#pragma once
/// @file
/// Progress reporting for long work: a redrawn bar on a terminal, plain periodic log lines
/// otherwise (CI logs, pipes), so neither floods the other's output. Thread-safe.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace osteo {

class Progress {
 public:
  /// `total` may be 0 when unknown. Writes to stderr. `enabled=false` silences it (tests, --quiet).
  Progress(std::string label, std::uint64_t total, bool enabled = true);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Adds `n` finished items; redraws at most every 100 ms (terminal) or logs every 5 s.
  void advance(std::uint64_t n = 1);
  /// Prints the final line (idempotent; the destructor calls it).
  void finish();
  std::uint64_t done() const { return done_.load(); }

 private:
  void draw(bool final_line);

  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool tty_;
  bool finished_ = false;
  std::atomic<std::uint64_t> done_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace osteo
