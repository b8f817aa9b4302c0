#include "osteo/ml/explain/film_mapping.h"

#include <string>

#include <opencv2/imgproc.hpp>

namespace osteo::ml {

Result<HeatMap> map_to_film(const HeatMap& map, const InputGeometry& g, int input_size, int film_rows,
                            int film_columns) {
  if (map.empty() || map.values.size() != static_cast<std::size_t>(map.width) * static_cast<std::size_t>(map.height)) {
    return fail(ErrorCode::kInvalidArgument, "heat map is empty or its size does not match its values");
  }
  if (input_size <= 0 || film_rows <= 0 || film_columns <= 0) {
    return fail(ErrorCode::kInvalidArgument, "map_to_film: input size and film size must be positive");
  }
  if (g.roi_w <= 0 || g.roi_h <= 0 || g.content_w <= 0 || g.content_h <= 0 || g.roi_x < 0 || g.roi_y < 0 ||
      g.roi_x + g.roi_w > film_columns || g.roi_y + g.roi_h > film_rows) {
    return fail(ErrorCode::kInvalidArgument,
                "map_to_film: geometry (ROI " + std::to_string(g.roi_w) + "x" + std::to_string(g.roi_h) + "+" +
                    std::to_string(g.roi_x) + "+" + std::to_string(g.roi_y) + ", content " +
                    std::to_string(g.content_w) + "x" + std::to_string(g.content_h) + ") does not fit a " +
                    std::to_string(film_columns) + "x" + std::to_string(film_rows) + " film");
  }

  // Inverse of film_point() in continuous coordinates, per axis, for a film pixel X' of the ROI
  // (centre at roi_x + X' + 0.5):  u = pad_x + kx (X' + 0.5)   or, flipped,
  // u = pad_x + content_w − kx (X' + 0.5);  then map index = u · w / input_size − 0.5.
  // This is affine in X', so one warpAffine (with the inverse map) does the whole ROI.
  const double kx = static_cast<double>(g.content_w) / g.roi_w;
  const double ky = static_cast<double>(g.content_h) / g.roi_h;
  const double rw = static_cast<double>(map.width) / input_size;
  const double rh = static_cast<double>(map.height) / input_size;
  double ax = rw * kx;
  double bx = rw * (g.pad_x + 0.5 * kx) - 0.5;
  if (g.flipped) {
    ax = -rw * kx;
    bx = rw * (g.pad_x + g.content_w - 0.5 * kx) - 0.5;
  }
  const double ay = rh * ky;
  const double by = rh * (g.pad_y + 0.5 * ky) - 0.5;
  const cv::Matx23d film_to_map(ax, 0.0, bx, 0.0, ay, by);

  HeatMap out;
  out.width = film_columns;
  out.height = film_rows;
  out.values.assign(static_cast<std::size_t>(film_rows) * static_cast<std::size_t>(film_columns), 0.0f);
  try {
    const cv::Mat src(map.height, map.width, CV_32F, const_cast<float*>(map.values.data()));
    cv::Mat film(film_rows, film_columns, CV_32F, out.values.data());
    cv::Mat roi = film(cv::Rect(g.roi_x, g.roi_y, g.roi_w, g.roi_h));  // a view: the warp writes in place
    cv::warpAffine(src, roi, film_to_map, roi.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, std::string("map_to_film: ") + e.what());
  }
  return out;
}

}  // namespace osteo::ml
