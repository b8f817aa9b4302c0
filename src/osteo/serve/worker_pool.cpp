#include "osteo/serve/worker_pool.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace osteo::serve {

WorkerPool::WorkerPool(int workers, std::size_t capacity) : capacity_(capacity) {
  const int n = std::max(1, workers);
  threads_.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) threads_.emplace_back([this, i] { run(i); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

bool WorkerPool::try_submit(Job job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(job));
  }
  ready_.notify_one();
  return true;
}

std::size_t WorkerPool::queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void WorkerPool::run(int worker) {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      job(worker);
    } catch (const std::exception& e) {
      spdlog::error("worker {}: job threw: {}", worker, e.what());
    } catch (...) {
      spdlog::error("worker {}: job threw a non-standard exception", worker);
    }
  }
}

}  // namespace osteo::serve
