#include "osteo/image/format_sniff.h"

#include <cstring>

namespace osteo {
namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

constexpr std::uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

bool looks_like_legacy_dicom(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return false;
  // A dataset without preamble starts with its lowest tag: in practice group 0008 (identifying
  // module) or 0002 (a meta group written without preamble). The element number of a first
  // tag is small, which rules out most text and binary formats.
  const std::uint16_t group_le = le16(data);
  const std::uint16_t element_le = le16(data + 2);
  const std::uint16_t group_be = be16(data);
  const std::uint16_t element_be = be16(data + 2);
  const bool le = (group_le == 0x0008 || group_le == 0x0002) && element_le < 0x0100;
  const bool be = (group_be == 0x0008 || group_be == 0x0002) && element_be < 0x0100;
  return le || be;
}

}  // namespace

ImageFormat sniff_format(const std::uint8_t* data, std::size_t size) {
  if (size >= 132 && std::memcmp(data + 128, "DICM", 4) == 0) return ImageFormat::kDicom;
  if (size >= 8 && std::memcmp(data, kPngSignature, 8) == 0) return ImageFormat::kPng;
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return ImageFormat::kJpeg;
  if (looks_like_legacy_dicom(data, size)) return ImageFormat::kDicom;
  return ImageFormat::kUnknown;
}

std::optional<RasterHeader> parse_png_header(const std::uint8_t* data, std::size_t size) {
  // signature(8) + length(4) + "IHDR"(4) + width(4) height(4) depth(1) colour(1) ...
  if (size < 33 || std::memcmp(data, kPngSignature, 8) != 0 || std::memcmp(data + 12, "IHDR", 4) != 0) {
    return std::nullopt;
  }
  const std::uint32_t width = be32(data + 16);
  const std::uint32_t height = be32(data + 20);
  if (width == 0 || height == 0 || width > 0x7FFFFFFF || height > 0x7FFFFFFF) return std::nullopt;
  RasterHeader h;
  h.width = static_cast<int>(width);
  h.height = static_cast<int>(height);
  h.bit_depth = data[24];
  switch (data[25]) {
    case 0: h.channels = 1; break;  // gray
    case 2: h.channels = 3; break;  // RGB
    case 3: h.channels = 1; break;  // palette
    case 4: h.channels = 2; break;  // gray + alpha
    case 6: h.channels = 4; break;  // RGBA
    default: return std::nullopt;
  }
  return h;
}

std::optional<RasterHeader> parse_jpeg_header(const std::uint8_t* data, std::size_t size) {
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return std::nullopt;
  std::size_t pos = 2;
  while (pos + 4 <= size) {
    if (data[pos] != 0xFF) return std::nullopt;
    std::uint8_t marker = data[pos + 1];
    while (marker == 0xFF && pos + 2 < size) {  // fill bytes
      ++pos;
      marker = data[pos + 1];
    }
    pos += 2;
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue;  // no length
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // EOI/SOS before any frame header
    if (pos + 2 > size) return std::nullopt;
    const std::uint16_t length = be16(data + pos);
    if (length < 2 || pos + length > size) return std::nullopt;
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (length < 8) return std::nullopt;
      RasterHeader h;
      h.bit_depth = data[pos + 2];
      h.height = be16(data + pos + 3);
      h.width = be16(data + pos + 5);
      h.channels = data[pos + 7];
      // Height 0 means "defined by a later DNL marker": unknown size, so no limit can be
      // checked before decoding. Refuse it.
      if (h.width == 0 || h.height == 0 || h.channels == 0) return std::nullopt;
      return h;
    }
    pos += length;
  }
  return std::nullopt;
}

}  // namespace osteo
