#include "osteo/ml/explain/overlay.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace osteo::ml {
namespace {

// The size after limiting the longer side to max_side (never upscales).
cv::Size target_size(int width, int height, int max_side) {
  const int longer = std::max(width, height);
  if (max_side <= 0 || longer <= max_side) return {width, height};
  const double s = static_cast<double>(max_side) / longer;
  return {std::max(1, static_cast<int>(std::lround(width * s))), std::max(1, static_cast<int>(std::lround(height * s)))};
}

// [0,1] floats → 8-bit at the target size. Area averaging when shrinking: a 2k film shrunk
// with nearest/bilinear would alias the trabecular texture.
cv::Mat to_u8(const std::vector<float>& values, int width, int height, cv::Size size) {
  const cv::Mat src(height, width, CV_32F, const_cast<float*>(values.data()));
  cv::Mat resized;
  if (size.width == width && size.height == height) {
    resized = src;
  } else {
    cv::resize(src, resized, size, 0, 0, cv::INTER_AREA);
  }
  cv::Mat u8;
  resized.convertTo(u8, CV_8U, 255.0);  // saturating, so out-of-range values clip
  return u8;
}

int cv_colormap(Colormap c) { return c == Colormap::kJet ? cv::COLORMAP_JET : cv::COLORMAP_TURBO; }

Status check_heat(const HeatMap& heat) {
  if (heat.empty() || heat.values.size() != static_cast<std::size_t>(heat.width) * static_cast<std::size_t>(heat.height)) {
    return fail(ErrorCode::kInvalidArgument, "heat map is empty or its size does not match its values");
  }
  return {};
}

Status check_film(const Radiograph& film) {
  if (film.rows() <= 0 || film.columns() <= 0 ||
      film.pixels.size() != static_cast<std::size_t>(film.rows()) * static_cast<std::size_t>(film.columns())) {
    return fail(ErrorCode::kInvalidArgument, film.meta.path + ": overlay needs a non-empty film");
  }
  return {};
}

}  // namespace

Result<Image8> render_film(const Radiograph& film, int max_side) {
  if (auto ok = check_film(film); !ok) return tl::unexpected(ok.error());
  try {
    const cv::Size size = target_size(film.columns(), film.rows(), max_side);
    const cv::Mat gray = to_u8(film.pixels, film.columns(), film.rows(), size);
    Image8 out;
    out.width = size.width;
    out.height = size.height;
    out.channels = 3;
    out.pixels.resize(static_cast<std::size_t>(size.area()) * 3);
    for (int r = 0; r < size.height; ++r) {
      const std::uint8_t* g = gray.ptr<std::uint8_t>(r);
      std::uint8_t* o = out.pixels.data() + static_cast<std::size_t>(r) * size.width * 3;
      for (int x = 0; x < size.width; ++x) o[3 * x + 0] = o[3 * x + 1] = o[3 * x + 2] = g[x];
    }
    return out;
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, film.meta.path + ": film rendering failed: " + e.what());
  }
}

Result<Image8> render_overlay(const Radiograph& film, const HeatMap& heat, const OverlayOptions& options) {
  if (auto ok = check_heat(heat); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_film(film); !ok) return tl::unexpected(ok.error());
  if (heat.width != film.columns() || heat.height != film.rows()) {
    return fail(ErrorCode::kInvalidArgument, film.meta.path + ": heat map is " + std::to_string(heat.width) + "x" +
                                                 std::to_string(heat.height) + ", the film " +
                                                 std::to_string(film.columns()) + "x" + std::to_string(film.rows()));
  }
  if (!(options.opacity >= 0.0 && options.opacity <= 1.0)) {
    return fail(ErrorCode::kInvalidArgument, "overlay opacity must be in [0, 1], got " + std::to_string(options.opacity));
  }
  try {
    const cv::Size size = target_size(film.columns(), film.rows(), options.max_side);
    const cv::Mat gray = to_u8(film.pixels, film.columns(), film.rows(), size);
    const cv::Mat heat8 = to_u8(heat.values, heat.width, heat.height, size);
    cv::Mat color;  // BGR
    cv::applyColorMap(heat8, color, cv_colormap(options.colormap));

    Image8 out;
    out.width = size.width;
    out.height = size.height;
    out.channels = 3;
    out.pixels.resize(static_cast<std::size_t>(size.area()) * 3);
    // Fixed-point blend: alpha in 1/255 steps is finer than the 8-bit output can show.
    const int opacity255 = static_cast<int>(std::lround(options.opacity * 255.0));
    for (int r = 0; r < size.height; ++r) {
      const std::uint8_t* g = gray.ptr<std::uint8_t>(r);
      const std::uint8_t* h = heat8.ptr<std::uint8_t>(r);
      const cv::Vec3b* c = color.ptr<cv::Vec3b>(r);
      std::uint8_t* o = out.pixels.data() + static_cast<std::size_t>(r) * size.width * 3;
      for (int x = 0; x < size.width; ++x) {
        const int a = options.heat_weighted_opacity ? (opacity255 * h[x] + 127) / 255 : opacity255;  // 0..255
        const int base = g[x] * (255 - a);
        o[3 * x + 0] = static_cast<std::uint8_t>((base + c[x][2] * a + 127) / 255);
        o[3 * x + 1] = static_cast<std::uint8_t>((base + c[x][1] * a + 127) / 255);
        o[3 * x + 2] = static_cast<std::uint8_t>((base + c[x][0] * a + 127) / 255);
      }
    }
    return out;
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, film.meta.path + ": overlay rendering failed: " + e.what());
  }
}

Result<Image8> render_heat_layer(const HeatMap& heat, const OverlayOptions& options) {
  if (auto ok = check_heat(heat); !ok) return tl::unexpected(ok.error());
  try {
    const cv::Size size = target_size(heat.width, heat.height, options.max_side);
    const cv::Mat heat8 = to_u8(heat.values, heat.width, heat.height, size);
    cv::Mat color;  // BGR
    cv::applyColorMap(heat8, color, cv_colormap(options.colormap));
    Image8 out;
    out.width = size.width;
    out.height = size.height;
    out.channels = 4;
    out.pixels.resize(static_cast<std::size_t>(size.area()) * 4);
    for (int r = 0; r < size.height; ++r) {
      const std::uint8_t* h = heat8.ptr<std::uint8_t>(r);
      const cv::Vec3b* c = color.ptr<cv::Vec3b>(r);
      std::uint8_t* o = out.pixels.data() + static_cast<std::size_t>(r) * size.width * 4;
      for (int x = 0; x < size.width; ++x) {
        o[4 * x + 0] = c[x][2];
        o[4 * x + 1] = c[x][1];
        o[4 * x + 2] = c[x][0];
        o[4 * x + 3] = h[x];
      }
    }
    return out;
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, std::string("heat layer rendering failed: ") + e.what());
  }
}

Result<std::vector<std::uint8_t>> encode_png(const Image8& image, int compression) {
  if (image.width <= 0 || image.height <= 0 || (image.channels != 3 && image.channels != 4) ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * image.channels) {
    return fail(ErrorCode::kInvalidArgument, "encode_png: the image is empty or inconsistent");
  }
  if (compression < 0 || compression > 9) {
    return fail(ErrorCode::kInvalidArgument, "encode_png: compression must be in [0, 9], got " + std::to_string(compression));
  }
  try {
    const int type = image.channels == 3 ? CV_8UC3 : CV_8UC4;
    const cv::Mat rgb(image.height, image.width, type, const_cast<std::uint8_t*>(image.pixels.data()));
    cv::Mat bgr;  // OpenCV's encoders take BGR(A)
    cv::cvtColor(rgb, bgr, image.channels == 3 ? cv::COLOR_RGB2BGR : cv::COLOR_RGBA2BGRA);
    std::vector<std::uint8_t> bytes;
    if (!cv::imencode(".png", bgr, bytes, {cv::IMWRITE_PNG_COMPRESSION, compression})) {
      return fail(ErrorCode::kInternal, "encode_png: the PNG encoder refused the image");
    }
    return bytes;
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, std::string("encode_png failed: ") + e.what());
  }
}

Result<std::vector<std::uint8_t>> overlay_png(const Radiograph& film, const HeatMap& heat, const OverlayOptions& options) {
  auto image = render_overlay(film, heat, options);
  if (!image) return tl::unexpected(image.error());
  return encode_png(*image);
}

Result<std::vector<std::uint8_t>> heat_layer_png(const HeatMap& heat, const OverlayOptions& options) {
  auto image = render_heat_layer(heat, options);
  if (!image) return tl::unexpected(image.error());
  return encode_png(*image);
}

}  // namespace osteo::ml
