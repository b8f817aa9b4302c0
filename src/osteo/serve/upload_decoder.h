#pragma once
/// @file
/// Decoding of uploaded files behind one interface. Today it runs in process (DCMTK, GDCM,
/// OpenCV through read_radiograph_bytes, with the size and pixel limits checked from the header
/// before any decoding). The interface is the seam where a sandboxed out-of-process decoder
/// goes, so a crash or hang inside a codec cannot take the server down.
#include <cstdint>
#include <memory>
#include <string>

#include "osteo/core/error.h"
#include "osteo/core/radiograph.h"
#include "osteo/image/read.h"

namespace osteo::serve {

class UploadDecoder {
 public:
  virtual ~UploadDecoder() = default;
  /// Decodes `bytes` (format judged by content). `name` appears in error messages. Errors are
  /// the reader's: kEmptyFile, kUnsupportedFormat (415), kDicomParse / kDecodeFailed /
  /// kNoPixelData / kUnsupportedImage (422), kPixelLimit / kFileTooLarge (413).
  virtual Result<Radiograph> decode(const std::string& bytes, const std::string& name) const = 0;
};

/// The in-process decoder.
std::unique_ptr<UploadDecoder> make_in_process_decoder(const ReadLimits& limits);

}  // namespace osteo::serve
