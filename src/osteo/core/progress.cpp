#include "osteo/core/progress.h"

#include <unistd.h>

#include <cstdio>

namespace osteo {

Progress::Progress(std::string label, std::uint64_t total, bool enabled)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::advance(std::uint64_t n) {
  done_ += n;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const auto interval = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
  std::lock_guard<std::mutex> lock(mutex_);
  if (now - last_draw_ < interval) return;
  last_draw_ = now;
  draw(false);
}

void Progress::finish() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  draw(true);
}

void Progress::draw(bool final_line) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::uint64_t done = done_.load();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  char tail[128];
  if (total_ > 0) {
    const double eta = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0.0;
    std::snprintf(tail, sizeof tail, "%llu/%llu  %.1f/s  %s %.0fs",
                  static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_), rate,
                  final_line ? "took" : "eta", final_line ? elapsed : eta);
  } else {
    std::snprintf(tail, sizeof tail, "%llu  %.1f/s  %.0fs", static_cast<unsigned long long>(done), rate, elapsed);
  }
  if (tty_) {
    constexpr int kWidth = 30;
    const int filled = total_ > 0 ? static_cast<int>(kWidth * std::min(done, total_) / total_) : 0;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, total_ > 0 ? '.' : ' ');
    std::fprintf(stderr, "\r%s [%s] %s\x1b[K%s", label_.c_str(), bar.c_str(), tail, final_line ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s: %s%s\n", label_.c_str(), tail, final_line ? " (done)" : "");
  }
  std::fflush(stderr);
}

}  // namespace osteo
