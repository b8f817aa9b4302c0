#include "osteo/image/read.h"

#include <filesystem>
#include <fstream>

#include "osteo/core/hash.h"
#include "osteo/dicom/dicom_reader.h"
#include "osteo/image/format_sniff.h"
#include "osteo/image/raster_reader.h"

namespace osteo {
namespace {

Result<std::vector<std::uint8_t>> load_file(const std::string& path, const ReadLimits& limits) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return fail(ErrorCode::kFileNotFound, path + ": no such file");
  if (!std::filesystem::is_regular_file(status)) return fail(ErrorCode::kFileNotFound, path + ": not a regular file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorCode::kFileNotFound, path + ": cannot stat: " + ec.message());
  if (size == 0) return fail(ErrorCode::kEmptyFile, path + ": empty file (0 bytes)");
  if (size > limits.max_file_bytes) {
    return fail(ErrorCode::kFileTooLarge, path + ": " + std::to_string(size) + " bytes exceeds the limit of " +
                                              std::to_string(limits.max_file_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kFileNotFound, path + ": cannot open");
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (in.gcount() != static_cast<std::streamsize>(bytes.size())) {
    return fail(ErrorCode::kFileNotFound, path + ": read failed (file changed while reading?)");
  }
  return bytes;
}

Status check_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name, const ReadLimits& limits) {
  if (bytes.empty()) return fail(ErrorCode::kEmptyFile, name + ": empty file (0 bytes)");
  if (bytes.size() > limits.max_file_bytes) {
    return fail(ErrorCode::kFileTooLarge, name + ": " + std::to_string(bytes.size()) +
                                              " bytes exceeds the limit of " + std::to_string(limits.max_file_bytes));
  }
  return {};
}

const char* format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::kDicom: return "dicom";
    case ImageFormat::kPng: return "png";
    case ImageFormat::kJpeg: return "jpeg";
    default: return "";
  }
}

Error unsupported(const std::string& name) {
  return Error{ErrorCode::kUnsupportedFormat,
               name + ": content is not DICOM, PNG or JPEG (format is judged by content, not extension)"};
}

// A PNG or JPEG renamed .dcm is read as what it is: the content decides, and the metadata says
// format "png"/"jpeg", so nothing downstream mistakes it for a DICOM.
Result<RadiographMeta> meta_of(const std::vector<std::uint8_t>& bytes, const std::string& name,
                               const ReadLimits& limits) {
  const ImageFormat format = sniff_format(bytes.data(), bytes.size());
  Result<RadiographMeta> meta = format == ImageFormat::kDicom
                                    ? dicom::read_dicom_meta(bytes.data(), bytes.size(), name, limits)
                                : format == ImageFormat::kUnknown
                                    ? Result<RadiographMeta>(tl::unexpected(unsupported(name)))
                                    : read_raster_meta(bytes.data(), bytes.size(), format, name, limits);
  if (!meta) return meta;
  meta->path = name;
  meta->format = format_name(format);
  meta->sha256 = sha256_hex(bytes);
  return meta;
}

Result<Radiograph> decode(const std::vector<std::uint8_t>& bytes, const std::string& name, const ReadLimits& limits) {
  const ImageFormat format = sniff_format(bytes.data(), bytes.size());
  Result<Radiograph> radiograph = format == ImageFormat::kDicom
                                      ? dicom::read_dicom(bytes.data(), bytes.size(), name, limits)
                                  : format == ImageFormat::kUnknown
                                      ? Result<Radiograph>(tl::unexpected(unsupported(name)))
                                      : read_raster(bytes.data(), bytes.size(), format, name, limits);
  if (!radiograph) return radiograph;
  radiograph->meta.path = name;
  radiograph->meta.format = format_name(format);
  radiograph->meta.sha256 = sha256_hex(bytes);
  return radiograph;
}

/// The module boundary: nothing thrown below escapes as an exception.
template <class F>
auto guarded(const std::string& name, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(ErrorCode::kDecodeFailed, name + ": out of memory");
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, name + ": " + e.what());
  } catch (...) {
    return fail(ErrorCode::kInternal, name + ": unknown exception while reading");
  }
}

}  // namespace

Result<RadiographMeta> read_radiograph_meta(const std::string& path, const ReadLimits& limits) {
  return guarded(path, [&]() -> Result<RadiographMeta> {
    auto bytes = load_file(path, limits);
    if (!bytes) return tl::unexpected(bytes.error());
    return meta_of(*bytes, path, limits);
  });
}

Result<Radiograph> read_radiograph(const std::string& path, const ReadLimits& limits) {
  return guarded(path, [&]() -> Result<Radiograph> {
    auto bytes = load_file(path, limits);
    if (!bytes) return tl::unexpected(bytes.error());
    return decode(*bytes, path, limits);
  });
}

Result<Radiograph> read_radiograph_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name,
                                         const ReadLimits& limits) {
  return guarded(name, [&]() -> Result<Radiograph> {
    if (auto ok = check_bytes(bytes, name, limits); !ok) return tl::unexpected(ok.error());
    return decode(bytes, name, limits);
  });
}

}  // namespace osteo
