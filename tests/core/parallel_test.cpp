#include "osteo/core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace osteo {
namespace {

TEST(ParallelFor, VisitsEveryIndexExactlyOnce) {
  std::vector<std::atomic<int>> hits(10007);
  parallel_for(hits.size(), 4, [&](std::size_t i) { hits[i]++; });
  for (const auto& h : hits) ASSERT_EQ(h.load(), 1);
}

TEST(ParallelFor, RethrowsFirstErrorAfterJoining) {
  std::atomic<int> calls{0};
  EXPECT_THROW(parallel_for(1000, 3,
                            [&](std::size_t i) {
                              calls++;
                              if (i == 10) throw std::runtime_error("boom");
                            }),
               std::runtime_error);
  EXPECT_LT(calls.load(), 1000);  // the rest was skipped
}

TEST(ParallelFor, ZeroItemsIsANoOp) {
  parallel_for(0, 4, [](std::size_t) { FAIL(); });
}

}  // namespace
}  // namespace osteo
