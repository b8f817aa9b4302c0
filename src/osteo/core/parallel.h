#pragma once
/// @file A minimal parallel-for over an index range with a fixed thread count.
#include <cstddef>
#include <functional>

namespace osteo {

/// Number of hardware threads (at least 1).
unsigned hardware_threads();

/// Calls fn(i) for every i in [0, count) on `threads` threads (0 = hardware_threads()).
/// Items are handed out dynamically so slow items don't stall a thread's share. `fn` must be
/// thread-safe. If any call throws, the remaining items are skipped and the first exception
/// is rethrown on the calling thread once all threads have stopped.
void parallel_for(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& fn);

}  // namespace osteo
