#pragma once
/// @file
/// DICOM decoding behind osteo/image/read.h (DCMTK, plus GDCM for JPEG 2000). Callers normally
/// use read_radiograph*; these take bytes already in memory and fill everything except
/// meta.path, meta.sha256 and meta.format, which the caller owns.
#include <cstddef>
#include <cstdint>
#include <string>

#include "osteo/core/error.h"
#include "osteo/core/radiograph.h"
#include "osteo/image/read.h"

namespace osteo::dicom {

/// Header only: parses up to (not including) PixelData and validates the image layout
/// (single frame, 1 sample, MONOCHROME1/2, decodable transfer syntax, pixel limit) so that a
/// file accepted here is one the full read can decode. `name` prefixes every error message.
Result<RadiographMeta> read_dicom_meta(const std::uint8_t* data, std::size_t size, const std::string& name,
                                       const ReadLimits& limits);

/// Full read: header checks as above, then decode and render (modality LUT, VOI LUT or window
/// or min-max, MONOCHROME1 inversion) to float [0,1].
Result<Radiograph> read_dicom(const std::uint8_t* data, std::size_t size, const std::string& name,
                              const ReadLimits& limits);

/// Parses a DICOM Age String ("067Y", "006M", "010W", "020D") into years; nullopt if malformed.
std::optional<double> parse_age_string(const std::string& text);

}  // namespace osteo::dicom
