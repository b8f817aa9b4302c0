#pragma once
/// @file
/// The inference worker pool: a fixed number of workers fed by a bounded queue. HTTP threads
/// only enqueue; when the queue is full the request is refused at once (503 + Retry-After)
/// rather than piling up memory and latency. Each worker has an index so it can own state
/// that is not re-entrant (its own model replica).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace osteo::serve {

class WorkerPool {
 public:
  using Job = std::function<void(int worker)>;

  /// Starts `workers` threads (at least 1); at most `capacity` jobs wait (running ones excluded).
  WorkerPool(int workers, std::size_t capacity);
  /// Finishes the jobs already queued, then joins the workers.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `job`; false (job not queued) when the queue is full or the pool is stopping.
  /// A job must not throw; one that does is logged and dropped.
  bool try_submit(Job job);

  int workers() const { return static_cast<int>(threads_.size()); }
  std::size_t capacity() const { return capacity_; }
  /// Jobs waiting (not running).
  std::size_t queued() const;

 private:
  void run(int worker);

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace osteo::serve
