#pragma once
/// @file
/// File format by content (magic bytes), and image dimensions from PNG/JPEG headers, so that
/// limits are enforced before any decoder allocates.
#include <cstddef>
#include <cstdint>
#include <optional>

namespace osteo {

enum class ImageFormat { kUnknown, kDicom, kPng, kJpeg };

/// DICOM: "DICM" at offset 128, or a legacy stream starting with a group 0002/0008 tag (little
/// or big endian). PNG: its 8-byte signature. JPEG: FF D8 FF. The extension is never consulted.
ImageFormat sniff_format(const std::uint8_t* data, std::size_t size);

struct RasterHeader {
  int width = 0;
  int height = 0;
  int bit_depth = 0;  ///< PNG bit depth per channel, JPEG sample precision
  int channels = 0;   ///< PNG: from the colour type; JPEG: component count
};

/// Parses the PNG IHDR chunk; nullopt if absent or malformed.
std::optional<RasterHeader> parse_png_header(const std::uint8_t* data, std::size_t size);
/// Walks JPEG markers up to the first SOFn; nullopt if none before SOS/EOI or on a bad segment.
std::optional<RasterHeader> parse_jpeg_header(const std::uint8_t* data, std::size_t size);

}  // namespace osteo
