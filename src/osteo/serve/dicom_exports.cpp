// The DICOM results of a screening (SR and heat-map SC), built on request from the stored
// record: the source film's identifying attributes, the result JSON and the two PNGs.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "osteo/dicom/screening_results.h"
#include "osteo/serve/screening_service.h"

namespace osteo::serve {
namespace {

// Weight of the colour where the heat is 1, as the page's default slider position.
constexpr double kBurnInOpacity = 0.5;

// "2026-12-04T23:40:00Z" → "20261204234000".
std::string dicom_datetime(const std::string& iso) {
  std::string out;
  for (char c : iso) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out.size() == 14 ? out : std::string();
}

dicom::ScreeningFinding finding_of(const std::string& id, const nlohmann::json& r) {
  dicom::ScreeningFinding f;
  f.category = r.value("category", std::string());
  f.p_osteoporosis = r.value("p_osteoporosis", 0.0);
  const auto& t = r.at("t_score");
  f.t_score = t.value("estimate", 0.0);
  f.t_score_low = t.value("low", 0.0);
  f.t_score_high = t.value("high", 0.0);
  f.indeterminate = r.value("indeterminate", false);
  f.recommendation = r.contains("recommendation") ? r["recommendation"].value("text", std::string()) : std::string();
  const auto& m = r.at("model");
  f.algorithm_name = "OsteoScreen " + m.value("arch", std::string("model")) + " (" + m.value("name", std::string()) + ")";
  f.algorithm_version = m.value("version", std::string()) + " / sha256:" + m.value("sha256", std::string()).substr(0, 16);
  f.screening_id = id;
  f.content_datetime = dicom_datetime(r.value("created_at", std::string()));
  return f;
}

// The film with the heat layer blended in (what the page shows at the default opacity), RGB.
Result<std::string> burned_in_rgb(const ScreeningRecord& s, int& width, int& height) {
  const cv::Mat film = cv::imdecode(cv::Mat(1, static_cast<int>(s.image_png.size()), CV_8U,
                                            const_cast<char*>(s.image_png.data())),
                                    cv::IMREAD_COLOR);
  const cv::Mat heat = cv::imdecode(cv::Mat(1, static_cast<int>(s.heatmap_png.size()), CV_8U,
                                            const_cast<char*>(s.heatmap_png.data())),
                                    cv::IMREAD_UNCHANGED);
  if (film.empty() || heat.empty() || heat.channels() != 4 || heat.size() != film.size()) {
    return fail(ErrorCode::kStoreError, "screening " + s.id + ": stored pictures are unreadable");
  }
  cv::Mat rgb(film.size(), CV_8UC3);
  for (int y = 0; y < film.rows; ++y) {
    const auto* f = film.ptr<cv::Vec3b>(y);
    const auto* h = heat.ptr<cv::Vec4b>(y);
    auto* o = rgb.ptr<cv::Vec3b>(y);
    for (int x = 0; x < film.cols; ++x) {
      const double a = kBurnInOpacity * h[x][3] / 255.0;
      // OpenCV decodes BGR(A); the SC wants RGB.
      for (int c = 0; c < 3; ++c) o[x][2 - c] = cv::saturate_cast<uchar>((1 - a) * f[x][c] + a * h[x][c]);
    }
  }
  width = rgb.cols;
  height = rgb.rows;
  return std::string(reinterpret_cast<const char*>(rgb.data), rgb.total() * 3);
}

}  // namespace

Result<std::string> ScreeningService::dicom_result(const std::string& id, const std::string& kind) {
  auto s = find(id, kind == "sc");  // only the SC needs the pictures
  if (!s) return tl::unexpected(s.error());
  if (s->dicom_source.is_null()) {
    return fail(ErrorCode::kNotFound, "screening " + id + " was not made from a DICOM film: no DICOM results");
  }
  auto source = dicom::DicomSourceRef::from_json(s->dicom_source);
  if (!source) return fail(ErrorCode::kStoreError, "screening " + id + ": " + source.error().message);
  const auto finding = finding_of(id, s->result);
  if (kind == "sr") return dicom::make_screening_sr(*source, finding);
  int width = 0, height = 0;
  auto rgb = burned_in_rgb(*s, width, height);
  if (!rgb) return tl::unexpected(rgb.error());
  return dicom::make_heatmap_sc(*source, finding, width, height, *rgb);
}

}  // namespace osteo::serve
