#pragma once
/// @file
/// In-memory DICOM parsing and serialisation through DCMTK, shared by the reader, the writer and
/// the result-object writers. Internal to src/osteo/dicom: it exposes DCMTK types, so public
/// headers must not include it.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "osteo/core/error.h"

namespace osteo::dicom {

/// A dataset parsed from memory.
struct ParsedDicom {
  std::unique_ptr<DcmFileFormat> file;
  E_TransferSyntax xfer = EXS_Unknown;
  offile_off_t consumed = 0;  ///< bytes read when parsing stopped
};

/// Parses Part-10 or legacy (no preamble/meta) DICOM bytes; `header_only` stops before
/// PixelData. kDicomParse (message prefixed with `name`) when DCMTK refuses the stream or the
/// transfer syntax is unknown.
Result<ParsedDicom> parse_dicom_buffer(const std::uint8_t* data, std::size_t size, const std::string& name,
                                       bool header_only);

/// Streams a DcmFileFormat (with its meta header, made valid for `xfer`) or only its dataset
/// into memory. kIoError when DCMTK cannot write it.
Result<std::vector<std::uint8_t>> serialize_dicom(DcmFileFormat& file, bool with_meta, E_TransferSyntax xfer);

/// A deterministic UID: "2.25." + the first 128 bits of SHA-256(seed) as a decimal number (the
/// UUID-derived UID form of PS3.5 B.2). The same seed always gives the same UID.
std::string seeded_uid(const std::string& seed);

}  // namespace osteo::dicom
