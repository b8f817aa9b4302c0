#include "osteo/serve/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>

namespace osteo::serve {
namespace {

TEST(WorkerPool, RefusesBeyondCapacityAndRunsEverythingQueued) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> done{0};
  std::promise<void> started;
  {
    WorkerPool pool(1, 2);
    // The first job occupies the only worker until released; two more fill the queue.
    ASSERT_TRUE(pool.try_submit([&](int) {
      started.set_value();
      gate.wait();
      ++done;
    }));
    started.get_future().wait();
    EXPECT_TRUE(pool.try_submit([&](int) { ++done; }));
    EXPECT_TRUE(pool.try_submit([&](int) { ++done; }));
    EXPECT_EQ(pool.queued(), 2u);
    EXPECT_FALSE(pool.try_submit([&](int) { ++done; }));  // full: refused at once
    release.set_value();
  }  // the destructor drains the queue
  EXPECT_EQ(done.load(), 3);
}

TEST(WorkerPool, WorkerIndicesAreDistinctAndInRange) {
  std::mutex m;
  std::set<int> seen;
  {
    WorkerPool pool(3, 100);
    for (int i = 0; i < 60; ++i) {
      ASSERT_TRUE(pool.try_submit([&](int w) {
        std::lock_guard<std::mutex> lock(m);
        seen.insert(w);
      }));
    }
  }
  for (int w : seen) {
    EXPECT_GE(w, 0);
    EXPECT_LT(w, 3);
  }
}

TEST(WorkerPool, ThrowingJobDoesNotKillTheWorker) {
  std::atomic<int> done{0};
  {
    WorkerPool pool(1, 10);
    ASSERT_TRUE(pool.try_submit([](int) { throw std::runtime_error("boom"); }));
    ASSERT_TRUE(pool.try_submit([&](int) { ++done; }));
  }
  EXPECT_EQ(done.load(), 1);
}

}  // namespace
}  // namespace osteo::serve
