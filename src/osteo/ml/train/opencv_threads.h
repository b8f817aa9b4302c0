#pragma once
// Internal: keeps OpenCV single-threaded while our own workers run.
//
// Debian's OpenCV uses TBB while LibTorch uses OpenMP; nested pools oversubscribe the cores.
// cv::setNumThreads is process-global with the TBB backend and NOT safe to call concurrently
// (racing calls crash inside tbb::task_arena::terminate), so it is set once on the thread that
// starts the workers, and restored when they are done.
#include <opencv2/core/utility.hpp>

namespace osteo::ml {

class SingleThreadedOpenCv {
 public:
  SingleThreadedOpenCv() : previous_(cv::getNumThreads()) {
    if (previous_ != 1) cv::setNumThreads(1);
  }
  ~SingleThreadedOpenCv() {
    if (previous_ != 1) cv::setNumThreads(previous_);
  }
  SingleThreadedOpenCv(const SingleThreadedOpenCv&) = delete;
  SingleThreadedOpenCv& operator=(const SingleThreadedOpenCv&) = delete;

 private:
  int previous_;
};

}  // namespace osteo::ml
