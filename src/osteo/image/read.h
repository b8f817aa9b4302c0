#pragma once
/// @file
/// Reading radiographs from any supported file: DICOM (every common transfer syntax, with or
/// without the DICM preamble), PNG (8/16-bit) and JPEG. The format is judged by content, never
/// by extension. Every failure is an Error from the catalogue naming the file and the reason;
/// no input, however hostile, may crash the process.
#include <cstdint>
#include <string>
#include <vector>

#include "osteo/core/error.h"
#include "osteo/core/radiograph.h"

namespace osteo {

/// Resource limits, checked before the expensive work they guard.
struct ReadLimits {
  std::uint64_t max_pixels = 60'000'000;          ///< rows*columns, checked from the header before decoding
  std::uint64_t max_file_bytes = 1'000'000'000;  ///< checked before reading the file
};

/// Headers only: all of RadiographMeta (including sha256 of the file), no pixel decode.
/// For DICOM the parse stops before PixelData. Used by ingest, which must be fast.
Result<RadiographMeta> read_radiograph_meta(const std::string& path, const ReadLimits& limits = {});

/// Full read: metadata plus rendered pixels (see Radiograph).
Result<Radiograph> read_radiograph(const std::string& path, const ReadLimits& limits = {});

/// Same as read_radiograph for bytes already in memory (uploads). `name` is used in messages
/// and as meta.path.
Result<Radiograph> read_radiograph_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name,
                                         const ReadLimits& limits = {});

}  // namespace osteo
