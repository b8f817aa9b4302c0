#include "osteo/core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <stdexcept>
#include <vector>

namespace osteo {
namespace {

TEST(ParallelFor, VisitsEveryIndexExactlyOnce) {
  std::vector<std::atomic<int>> hits(10007);
  parallel_for(hits.size(), 4, [&](std::size_t i) { hits[i]++; });
  for (const auto& h : hits) ASSERT_EQ(h.load(), 1);
}

TEST(ParallelFor, RethrowsFirstErrorAndSkipsTheRest) {
  // One thread: the items after the failing one are never started, exactly.
  std::atomic<int> calls{0};
  EXPECT_THROW(parallel_for(1000, 1,
                            [&](std::size_t i) {
                              calls++;
                              if (i == 10) throw std::runtime_error("boom");
                            }),
               std::runtime_error);
  EXPECT_EQ(calls.load(), 11);
}

TEST(ParallelFor, OtherThreadsStopAfterAnError) {
  // Item 0 fails at once; every other item takes 1 ms, so finishing all 999 of them (about
  // 1 s on the other thread) would mean the stop flag was ignored. Timing margin: ~1000x.
  std::atomic<int> calls{0};
  EXPECT_THROW(parallel_for(1000, 2,
                            [&](std::size_t i) {
                              calls++;
                              if (i == 0) throw std::runtime_error("boom");
                              std::this_thread::sleep_for(std::chrono::milliseconds(1));
                            }),
               std::runtime_error);
  EXPECT_LT(calls.load(), 1000);
}

TEST(ParallelFor, ZeroItemsIsANoOp) {
  parallel_for(0, 4, [](std::size_t) { FAIL(); });
}

}  // namespace
}  // namespace osteo
