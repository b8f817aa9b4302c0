#pragma once
/// @file
/// PNG and JPEG decoding through OpenCV, behind osteo/image/read.h. Fills everything except
/// meta.path, meta.sha256 and meta.format.
#include <cstddef>
#include <cstdint>
#include <string>

#include "osteo/core/error.h"
#include "osteo/core/radiograph.h"
#include "osteo/image/format_sniff.h"
#include "osteo/image/read.h"

namespace osteo {

/// Header only (PNG IHDR / JPEG SOFn): size and bit depth, with the pixel limit checked.
Result<RadiographMeta> read_raster_meta(const std::uint8_t* data, std::size_t size, ImageFormat format,
                                        const std::string& name, const ReadLimits& limits);

/// Full decode to gray float [0,1] (8-bit /255, 16-bit /65535). Colour files are converted to
/// luminance by OpenCV rather than refused: exported radiographs are often saved as RGB with
/// three equal channels.
Result<Radiograph> read_raster(const std::uint8_t* data, std::size_t size, ImageFormat format,
                               const std::string& name, const ReadLimits& limits);

}  // namespace osteo
