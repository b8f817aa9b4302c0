#include "osteo/preprocess/preprocess.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace osteo {
namespace {

struct RoiModeName {
  RoiMode mode;
  const char* name;
};
constexpr RoiModeName kRoiModes[] = {
    {RoiMode::kWholeImage, "whole"}, {RoiMode::kBox, "box"}, {RoiMode::kProximalFemur, "proximal_femur"}};

// Value below which `percent` % of the pixels lie, from a 4096-bin histogram of [0,1] floats:
// exact to 1/4096 of the range, and O(n) rather than a sort.
float percentile(const cv::Mat& image, double percent) {
  constexpr int kBins = 4096;
  std::vector<std::int64_t> hist(kBins, 0);
  std::int64_t n = 0;
  for (int r = 0; r < image.rows; ++r) {
    const float* row = image.ptr<float>(r);
    for (int c = 0; c < image.cols; ++c) {
      const int bin = std::clamp(static_cast<int>(row[c] * (kBins - 1) + 0.5f), 0, kBins - 1);
      ++hist[static_cast<std::size_t>(bin)];
      ++n;
    }
  }
  const auto target = static_cast<std::int64_t>(std::ceil(percent / 100.0 * static_cast<double>(n)));
  std::int64_t cumulative = 0;
  for (int b = 0; b < kBins; ++b) {
    cumulative += hist[static_cast<std::size_t>(b)];
    if (cumulative >= std::max<std::int64_t>(target, 1)) return static_cast<float>(b) / (kBins - 1);
  }
  return 1.0f;
}

Result<cv::Rect> choose_roi(const Radiograph& image, const PreprocessConfig& config,
                            const std::optional<std::array<int, 4>>& box) {
  const cv::Rect film(0, 0, image.columns(), image.rows());
  switch (config.roi) {
    case RoiMode::kWholeImage: return film;
    case RoiMode::kBox: {
      if (!box) return fail(ErrorCode::kInvalidArgument, image.meta.path + ": ROI mode 'box' needs a box");
      const cv::Rect r((*box)[0], (*box)[1], (*box)[2], (*box)[3]);
      if (r.width <= 0 || r.height <= 0 || (r & film) != r) {
        return fail(ErrorCode::kInvalidArgument, image.meta.path + ": ROI box lies outside the " +
                                                     std::to_string(film.width) + "x" + std::to_string(film.height) + " film");
      }
      return r;
    }
    case RoiMode::kProximalFemur: {
      auto [x0, y0, x1, y1] = config.femur_box;
      if (image.meta.laterality == Side::kLeft) {  // the left hip appears on the viewer's right
        const double mx0 = 1.0 - x1, mx1 = 1.0 - x0;
        x0 = mx0;
        x1 = mx1;
      }
      const int left = static_cast<int>(std::lround(x0 * film.width));
      const int top = static_cast<int>(std::lround(y0 * film.height));
      const cv::Rect r(left, top, static_cast<int>(std::lround(x1 * film.width)) - left,
                       static_cast<int>(std::lround(y1 * film.height)) - top);
      const cv::Rect clipped = r & film;
      if (clipped.area() <= 0) return fail(ErrorCode::kInvalidArgument, image.meta.path + ": femur box is empty");
      return clipped;
    }
  }
  return film;
}

}  // namespace

const char* roi_mode_name(RoiMode mode) {
  for (const auto& m : kRoiModes) {
    if (m.mode == mode) return m.name;
  }
  return "whole";
}

std::optional<RoiMode> parse_roi_mode(const std::string& text) {
  for (const auto& m : kRoiModes) {
    if (text == m.name) return m.mode;
  }
  return std::nullopt;
}

nlohmann::json PreprocessConfig::to_json() const {
  return {{"input_size", input_size},
          {"roi", roi_mode_name(roi)},
          {"femur_box", femur_box},
          {"canonicalize_laterality", canonicalize_laterality},
          {"low_percentile", low_percentile},
          {"high_percentile", high_percentile},
          {"clahe", clahe},
          {"clahe_clip_limit", clahe_clip_limit},
          {"clahe_tiles", clahe_tiles}};
}

Result<PreprocessConfig> PreprocessConfig::from_json(const nlohmann::json& j) {
  PreprocessConfig c;
  try {
    c.input_size = j.value("input_size", c.input_size);
    const auto roi = parse_roi_mode(j.value("roi", std::string("whole")));
    if (!roi) return fail(ErrorCode::kInvalidArgument, "preprocess.roi: unknown mode " + j.value("roi", std::string()));
    c.roi = *roi;
    c.femur_box = j.value("femur_box", c.femur_box);
    c.canonicalize_laterality = j.value("canonicalize_laterality", c.canonicalize_laterality);
    c.low_percentile = j.value("low_percentile", c.low_percentile);
    c.high_percentile = j.value("high_percentile", c.high_percentile);
    c.clahe = j.value("clahe", c.clahe);
    c.clahe_clip_limit = j.value("clahe_clip_limit", c.clahe_clip_limit);
    c.clahe_tiles = j.value("clahe_tiles", c.clahe_tiles);
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kInvalidArgument, std::string("preprocess config: ") + e.what());
  }
  if (c.input_size < 8 || c.input_size > 4096) {
    return fail(ErrorCode::kInvalidArgument, "preprocess.input_size must be in [8, 4096]");
  }
  if (!(c.low_percentile >= 0 && c.low_percentile < c.high_percentile && c.high_percentile <= 100)) {
    return fail(ErrorCode::kInvalidArgument, "preprocess percentiles must satisfy 0 <= low < high <= 100");
  }
  const auto& b = c.femur_box;
  if (!(b[0] >= 0 && b[0] < b[2] && b[2] <= 1 && b[1] >= 0 && b[1] < b[3] && b[3] <= 1)) {
    return fail(ErrorCode::kInvalidArgument, "preprocess.femur_box must be fractions x0<x1, y0<y1 in [0,1]");
  }
  if (c.clahe_tiles < 1 || c.clahe_clip_limit <= 0) {
    return fail(ErrorCode::kInvalidArgument, "preprocess CLAHE needs tiles >= 1 and clip limit > 0");
  }
  return c;
}

std::array<double, 2> film_point(const InputGeometry& g, double u, double v) {
  double cx = u - g.pad_x;
  if (g.flipped) cx = g.content_w - cx;
  const double cy = v - g.pad_y;
  return {g.roi_x + cx * g.roi_w / g.content_w, g.roi_y + cy * g.roi_h / g.content_h};
}

Result<PreparedImage> preprocess(const Radiograph& image, const PreprocessConfig& config,
                                 const std::optional<std::array<int, 4>>& box) {
  if (image.rows() <= 0 || image.columns() <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.rows()) * static_cast<std::size_t>(image.columns())) {
    return fail(ErrorCode::kInvalidArgument, image.meta.path + ": empty or inconsistent image");
  }
  auto roi = choose_roi(image, config, box);
  if (!roi) return tl::unexpected(roi.error());

  try {
    // A read-only view over the caller's pixels; every step below writes to new Mats.
    const cv::Mat film(image.rows(), image.columns(), CV_32F, const_cast<float*>(image.pixels.data()));
    cv::Mat crop = film(*roi);

    InputGeometry g;
    g.roi_x = roi->x;
    g.roi_y = roi->y;
    g.roi_w = roi->width;
    g.roi_h = roi->height;
    g.flipped = config.canonicalize_laterality && image.meta.laterality == Side::kLeft;

    // Resize first: percentiles and CLAHE then run on at most input_size² pixels.
    const int size = config.input_size;
    g.scale = static_cast<double>(size) / std::max(roi->width, roi->height);
    g.content_w = std::clamp(static_cast<int>(std::lround(roi->width * g.scale)), 1, size);
    g.content_h = std::clamp(static_cast<int>(std::lround(roi->height * g.scale)), 1, size);
    g.pad_x = (size - g.content_w) / 2;
    g.pad_y = (size - g.content_h) / 2;
    cv::Mat resized;
    cv::resize(crop, resized, cv::Size(g.content_w, g.content_h), 0, 0,
               g.scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    if (g.flipped) cv::flip(resized, resized, 1);

    const float lo = percentile(resized, config.low_percentile);
    const float hi = percentile(resized, config.high_percentile);
    const float range = std::max(hi - lo, 1e-6f);
    resized.convertTo(resized, CV_32F, 1.0 / range, -lo / range);
    cv::min(cv::max(resized, 0.0), 1.0, resized);

    if (config.clahe) {
      cv::Mat u16;
      resized.convertTo(u16, CV_16U, 65535.0);
      auto clahe = cv::createCLAHE(config.clahe_clip_limit, cv::Size(config.clahe_tiles, config.clahe_tiles));
      clahe->apply(u16, u16);
      u16.convertTo(resized, CV_32F, 1.0 / 65535.0);
    }

    PreparedImage out;
    out.size = size;
    out.geometry = g;
    out.pixels.assign(static_cast<std::size_t>(size) * static_cast<std::size_t>(size), 0.0f);
    cv::Mat canvas(size, size, CV_32F, out.pixels.data());
    resized.copyTo(canvas(cv::Rect(g.pad_x, g.pad_y, g.content_w, g.content_h)));
    return out;
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, image.meta.path + ": preprocessing failed: " + e.what());
  }
}

}  // namespace osteo
