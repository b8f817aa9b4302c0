#include "osteo/image/raster_reader.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace osteo {

Result<RadiographMeta> read_raster_meta(const std::uint8_t* data, std::size_t size, ImageFormat format,
                                        const std::string& name, const ReadLimits& limits) {
  const bool png = format == ImageFormat::kPng;
  const auto header = png ? parse_png_header(data, size) : parse_jpeg_header(data, size);
  if (!header) {
    return fail(ErrorCode::kDecodeFailed,
                name + (png ? ": PNG header (IHDR) missing or malformed" : ": JPEG frame header (SOF) missing or malformed"));
  }
  const std::uint64_t pixels = static_cast<std::uint64_t>(header->width) * static_cast<std::uint64_t>(header->height);
  if (pixels > limits.max_pixels) {
    return fail(ErrorCode::kPixelLimit, name + ": image declares " + std::to_string(header->width) + "x" +
                                            std::to_string(header->height) + " = " + std::to_string(pixels) +
                                            " pixels, limit is " + std::to_string(limits.max_pixels));
  }
  RadiographMeta meta;
  meta.rows = header->height;
  meta.columns = header->width;
  // What the decoded pixels carry: OpenCV expands 1/2/4-bit PNG to 8 and decodes JPEG to 8.
  meta.bits_stored = png && header->bit_depth == 16 ? 16 : 8;
  return meta;
}

Result<Radiograph> read_raster(const std::uint8_t* data, std::size_t size, ImageFormat format,
                               const std::string& name, const ReadLimits& limits) {
  auto meta = read_raster_meta(data, size, format, name, limits);
  if (!meta) return tl::unexpected(meta.error());
  try {
    const cv::Mat encoded(1, static_cast<int>(size), CV_8U, const_cast<std::uint8_t*>(data));
    const cv::Mat image = cv::imdecode(encoded, cv::IMREAD_ANYDEPTH | cv::IMREAD_GRAYSCALE);
    if (image.empty()) return fail(ErrorCode::kDecodeFailed, name + ": the image data could not be decoded");
    if (image.rows != meta->rows || image.cols != meta->columns) {
      return fail(ErrorCode::kDecodeFailed, name + ": decoded size differs from the header");
    }
    cv::Mat gray;
    if (image.depth() == CV_16U) {
      image.convertTo(gray, CV_32F, 1.0 / 65535.0);
    } else if (image.depth() == CV_8U) {
      image.convertTo(gray, CV_32F, 1.0 / 255.0);
    } else {
      return fail(ErrorCode::kUnsupportedImage, name + ": unsupported sample depth");
    }
    Radiograph radiograph;
    radiograph.meta = std::move(*meta);
    radiograph.meta.bits_stored = image.depth() == CV_16U ? 16 : 8;
    radiograph.pixels.resize(static_cast<std::size_t>(gray.rows) * static_cast<std::size_t>(gray.cols));
    for (int r = 0; r < gray.rows; ++r) {
      const float* row = gray.ptr<float>(r);
      std::copy(row, row + gray.cols, radiograph.pixels.begin() + static_cast<std::ptrdiff_t>(r) * gray.cols);
    }
    return radiograph;
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kDecodeFailed, name + ": OpenCV decode failed: " + e.what());
  }
}

}  // namespace osteo
