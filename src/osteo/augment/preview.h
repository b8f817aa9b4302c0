#pragma once
/// @file A contact sheet of augmented inputs, to check by eye what training will see.
#include <cstdint>
#include <string>

#include "osteo/augment/augment.h"
#include "osteo/core/error.h"
#include "osteo/core/radiograph.h"
#include "osteo/preprocess/preprocess.h"

namespace osteo {

struct PreviewOptions {
  int count = 16;           ///< augmented tiles (the first tile is always the un-augmented input)
  int columns = 4;          ///< tiles per row
  std::uint64_t seed = 1;
};

/// Preprocesses `image`, draws `count` augmentations with seeds derived from options.seed, and
/// writes an 8-bit PNG grid to `png_path`. kIoError when the PNG cannot be written.
Status write_augment_preview(const Radiograph& image, const PreprocessConfig& preprocess_config,
                             const AugmentConfig& augment_config, const PreviewOptions& options,
                             const std::string& png_path);

}  // namespace osteo
