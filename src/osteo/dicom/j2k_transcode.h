#pragma once
/// @file
/// JPEG 2000 → explicit VR little endian, in memory, through GDCM (DCMTK's free codecs have
/// no JPEG 2000). The output then goes down the one DCMTK rendering path.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "osteo/core/error.h"

namespace osteo::dicom {

/// Decodes the JPEG 2000 pixel data of a DICOM file held in memory and returns the same file
/// re-encoded as explicit VR little endian. kDecodeFailed naming `name` on any GDCM failure.
Result<std::vector<std::uint8_t>> transcode_j2k_to_explicit_little(const std::uint8_t* data, std::size_t size,
                                                                   const std::string& name);

}  // namespace osteo::dicom
