#include "osteo/dicom/dcmtk_io.h"

#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>

#include "osteo/core/hash.h"

namespace osteo::dicom {

Result<ParsedDicom> parse_dicom_buffer(const std::uint8_t* data, std::size_t size, const std::string& name,
                                       bool header_only) {
  DcmInputBufferStream stream;
  stream.setBuffer(data, static_cast<offile_off_t>(size));
  stream.setEos();
  ParsedDicom parsed;
  parsed.file = std::make_unique<DcmFileFormat>();
  parsed.file->transferInit();
  const OFCondition cond =
      header_only ? parsed.file->readUntilTag(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength, DCM_PixelData)
                  : parsed.file->read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
  parsed.file->transferEnd();
  if (cond.bad()) {
    return fail(ErrorCode::kDicomParse, name + ": DICOM parse failed (malformed or truncated): " + cond.text());
  }
  parsed.consumed = stream.tell();
  parsed.xfer = parsed.file->getDataset()->getOriginalXfer();
  if (parsed.xfer == EXS_Unknown) return fail(ErrorCode::kDicomParse, name + ": unknown transfer syntax");
  return parsed;
}

/// Writes through a fixed buffer that is drained whenever DCMTK reports it full.
Result<std::vector<std::uint8_t>> serialize_dicom(DcmFileFormat& file, bool with_meta, E_TransferSyntax xfer) {
  std::vector<char> buffer(1 << 20);
  std::vector<std::uint8_t> out;
  DcmOutputBufferStream stream(buffer.data(), static_cast<offile_off_t>(buffer.size()));
  auto drain = [&] {
    void* chunk = nullptr;
    offile_off_t length = 0;
    stream.flushBuffer(chunk, length);
    const auto* p = static_cast<const std::uint8_t*>(chunk);
    if (length > 0) out.insert(out.end(), p, p + length);
  };
  DcmObject& object = with_meta ? static_cast<DcmObject&>(file) : static_cast<DcmObject&>(*file.getDataset());
  if (with_meta) {
    const OFCondition meta = file.validateMetaInfo(xfer);
    if (meta.bad()) return fail(ErrorCode::kIoError, std::string("DICOM encode: meta header: ") + meta.text());
  }
  object.transferInit();
  OFCondition cond;
  do {
    cond = with_meta ? file.write(stream, xfer, EET_ExplicitLength, nullptr, EGL_recalcGL, EPD_noChange, 0, 0, 0,
                                  EWM_fileformat)
                     : file.getDataset()->write(stream, xfer, EET_ExplicitLength, nullptr, EGL_recalcGL);
    drain();
  } while (cond == EC_StreamNotifyClient);
  object.transferEnd();
  stream.flush();
  drain();
  if (cond.bad()) return fail(ErrorCode::kIoError, std::string("DICOM encode: ") + cond.text());
  return out;
}

std::string seeded_uid(const std::string& seed) {
  const std::string hex = sha256_hex(seed.data(), seed.size());
  unsigned __int128 value = 0;
  for (int i = 0; i < 32; ++i) {
    const char c = hex[static_cast<std::size_t>(i)];
    value = value * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  return "2.25." + digits;
}

}  // namespace osteo::dicom
