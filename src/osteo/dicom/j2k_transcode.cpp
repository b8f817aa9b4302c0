#include "osteo/dicom/j2k_transcode.h"

#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmImageReader.h>
#include <gdcmImageWriter.h>
#include <gdcmTrace.h>
#include <gdcmTransferSyntax.h>

#include <mutex>
#include <sstream>

namespace osteo::dicom {

Result<std::vector<std::uint8_t>> transcode_j2k_to_explicit_little(const std::uint8_t* data, std::size_t size,
                                                                   const std::string& name) {
  // GDCM prints its warnings and errors to stderr; every failure here becomes a typed Error
  // with the file name, so its own trace is only noise (one line per fragment on a bad file).
  static std::once_flag quiet;
  std::call_once(quiet, [] {
    gdcm::Trace::SetWarning(false);
    gdcm::Trace::SetError(false);
  });
  try {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    gdcm::ImageReader reader;
    reader.SetStream(in);
    if (!reader.Read()) return fail(ErrorCode::kDecodeFailed, name + ": GDCM could not parse the JPEG 2000 file");

    gdcm::ImageChangeTransferSyntax change;
    change.SetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);
    change.SetInput(reader.GetImage());
    if (!change.Change()) return fail(ErrorCode::kDecodeFailed, name + ": GDCM could not decode the JPEG 2000 pixel data");

    std::ostringstream out;
    gdcm::ImageWriter writer;
    writer.SetStream(out);
    writer.SetFile(reader.GetFile());
    writer.SetImage(change.GetOutput());
    if (!writer.Write()) return fail(ErrorCode::kDecodeFailed, name + ": GDCM could not re-encode the decoded image");

    const std::string bytes = out.str();
    return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDecodeFailed, name + ": JPEG 2000 decode failed: " + e.what());
  }
}

}  // namespace osteo::dicom
