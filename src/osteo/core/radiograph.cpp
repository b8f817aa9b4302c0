#include "osteo/core/radiograph.h"

#include <numeric>

namespace osteo {

const char* spacing_source_name(SpacingSource source) {
  switch (source) {
    case SpacingSource::kPixelSpacing: return "PixelSpacing";
    case SpacingSource::kImagerPixelSpacing: return "ImagerPixelSpacing";
    default: return "unknown";
  }
}

double Radiograph::mean() const {
  if (pixels.empty()) return 0.0;
  // Summing in double: a 60 MP image in float would lose ~4 significant digits.
  const double sum = std::accumulate(pixels.begin(), pixels.end(), 0.0);
  return sum / static_cast<double>(pixels.size());
}

}  // namespace osteo
