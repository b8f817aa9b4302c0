#pragma once
/// @file
/// A heat map as plain floats (no torch or OpenCV types), so the server and the report code
/// can hold one without the heavy headers.
#include <cstddef>
#include <vector>

namespace osteo::ml {

/// A single-channel map, row-major, values in [0, 1] (1 = strongest evidence).
struct HeatMap {
  int width = 0;
  int height = 0;
  std::vector<float> values;  ///< width * height

  bool empty() const { return width <= 0 || height <= 0 || values.empty(); }
  float at(int row, int column) const {
    return values[static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(column)];
  }
};

}  // namespace osteo::ml
