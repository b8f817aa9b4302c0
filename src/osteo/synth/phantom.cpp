#include "osteo/synth/phantom.h"

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "osteo/synth/rng.h"

namespace osteo::synth {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Anatomy is laid out for a RIGHT hip in "canonical" units: fractions of the image height,
// origin at the image centre, x to the viewer's right, y down. In an AP view the patient's
// right is on the viewer's left, so a right femoral head points to the viewer's right
// (medially, towards the pelvis) and the greater trochanter sits on the viewer's left.
struct Canvas {
  int rows, cols;
  double scale;  // pixels per canonical unit
  cv::Point2d px(double u, double v) const { return {cols / 2.0 + u * scale, rows / 2.0 + v * scale}; }
  double len(double u) const { return u * scale; }
};

constexpr int kShift = 4;  // sub-pixel bits for OpenCV drawing
cv::Point fixed(const cv::Point2d& p) {
  return {static_cast<int>(std::lround(p.x * (1 << kShift))), static_cast<int>(std::lround(p.y * (1 << kShift)))};
}

void fill_poly(cv::Mat& m, const std::vector<cv::Point2d>& pts, double value) {
  std::vector<cv::Point> f;
  f.reserve(pts.size());
  for (const auto& p : pts) f.push_back(fixed(p));
  std::vector<std::vector<cv::Point>> polys{f};
  cv::fillPoly(m, polys, cv::Scalar(value), cv::LINE_AA, kShift);
}

void fill_ellipse(cv::Mat& m, const cv::Point2d& c, double a, double b, double angle_deg, double value) {
  cv::ellipse(m, fixed(c), cv::Size(static_cast<int>(std::lround(a * (1 << kShift))),
                                    static_cast<int>(std::lround(b * (1 << kShift)))),
              angle_deg, 0, 360, cv::Scalar(value), cv::FILLED, cv::LINE_AA, kShift);
}

// A quadrilateral band along segment a→b with half-widths wa, wb.
std::vector<cv::Point2d> band(cv::Point2d a, cv::Point2d b, double wa, double wb) {
  cv::Point2d d = b - a;
  const double n = std::hypot(d.x, d.y);
  cv::Point2d perp(-d.y / n, d.x / n);
  return {a + perp * wa, b + perp * wb, b - perp * wb, a - perp * wa};
}

double smoothstep(double e0, double e1, double x) {
  const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

// Tukey-lambda approximation of the standard normal quantile (error < 0.01 on (0.02, 0.98)).
double normal_quantile(double p) {
  p = std::clamp(p, 1e-4, 1 - 1e-4);
  return 4.91 * (std::pow(p, 0.14) - std::pow(1 - p, 0.14));
}

// Noise streaked along `angle_deg` (0 = vertical streaks): trabeculae are plates and rods
// aligned with the principal stress lines, which on a radiograph read as oriented striation.
// Drawn at half resolution and upsampled: the streaks are smooth, and this is the costliest
// step of the phantom.
cv::Mat oriented_texture(int full_rows, int full_cols, double angle_deg, double long_sigma, double short_sigma, Rng& rng) {
  const int rows = (full_rows + 1) / 2, cols = (full_cols + 1) / 2;
  long_sigma /= 2;
  short_sigma /= 2;
  cv::Mat noise(rows, cols, CV_32F);
  for (int r = 0; r < rows; ++r) {
    float* row = noise.ptr<float>(r);
    for (int c = 0; c < cols; ++c) row[c] = static_cast<float>(rng.uniform() - 0.5);
  }
  cv::Mat streaks;
  cv::GaussianBlur(noise, streaks, cv::Size(0, 0), short_sigma, long_sigma, cv::BORDER_REFLECT);
  cv::Mat rot = cv::getRotationMatrix2D(cv::Point2f(cols / 2.0f, rows / 2.0f), angle_deg, 1.0);
  cv::Mat half_res, out;
  cv::warpAffine(streaks, half_res, rot, streaks.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  cv::resize(half_res, out, cv::Size(full_cols, full_rows), 0, 0, cv::INTER_LINEAR);
  cv::Scalar mean, sd;
  cv::meanStdDev(out, mean, sd);
  out = (out - mean[0]) / std::max(sd[0], 1e-9);
  return out;
}

PixelBox box_around(const cv::Point2d& c, double half, int rows, int cols) {
  PixelBox b;
  b.x = std::clamp(static_cast<int>(std::lround(c.x - half)), 0, cols - 1);
  b.y = std::clamp(static_cast<int>(std::lround(c.y - half)), 0, rows - 1);
  b.width = std::clamp(static_cast<int>(std::lround(2 * half)), 1, cols - b.x);
  b.height = std::clamp(static_cast<int>(std::lround(2 * half)), 1, rows - b.y);
  return b;
}

}  // namespace

void randomize_nuisance(PhantomParams& p, Rng& rng) {
  p.rotation_deg = rng.uniform(-5.0, 5.0);
  p.zoom = rng.uniform(0.92, 1.08);
  p.shift_x = rng.uniform(-0.04, 0.04);
  p.shift_y = rng.uniform(-0.04, 0.04);
  p.gain = rng.uniform(0.85, 1.15);
  p.offset = rng.uniform(150.0, 400.0);
  p.noise_sd = rng.uniform(3.0, 7.0);
  p.texture_seed = rng.next_u64();
}

double Phantom::mean_in(const PixelBox& box) const {
  double sum = 0;
  std::size_t n = 0;
  for (int r = std::max(0, box.y); r < std::min(rows, box.y + box.height); ++r)
    for (int c = std::max(0, box.x); c < std::min(columns, box.x + box.width); ++c) {
      sum += pixels[static_cast<std::size_t>(r) * columns + c];
      ++n;
    }
  return n ? sum / n : 0.0;
}

Phantom render_hip_phantom(const PhantomParams& p) {
  const int rows = p.rows, cols = p.columns;
  Rng rng(p.texture_seed);
  const double zoom = p.zoom * (p.pelvis_view ? 0.78 : 1.0);
  const Canvas cv_{rows, cols, rows * zoom};
  const double px_per_unit = cv_.scale;

  // BMD → bone appearance. q is 0 at 0.45 g/cm² (severe osteoporosis) and 1 at 1.05 (young
  // normal); the cortex and the trabecular bone fraction both scale with it, as in the
  // Singh index and cortical-thickness literature.
  const double q = std::clamp((p.neck_bmd - 0.45) / 0.60, -0.15, 1.3);
  const double cortex_neck = std::max(1.0, cv_.len(0.006 + 0.012 * q));
  const double cortex_shaft = std::max(2.0, cv_.len(0.018 + 0.022 * q));
  const double trab_fraction = std::clamp(0.22 + 0.50 * q, 0.08, 0.9);
  const double trab_threshold = normal_quantile(1.0 - trab_fraction);

  // --- Femur geometry (canonical right hip).
  const cv::Point2d head(0.14, -0.20);
  const double head_r = 0.105;
  const cv::Point2d neck_dir(-0.78, 0.62);
  const cv::Point2d neck_base = head + neck_dir * 0.21;
  const cv::Point2d shaft_top(-0.055, -0.10), shaft_bottom(0.02, 0.75);
  const cv::Point2d neck_mid = (head + neck_base) * 0.5;

  cv::Mat femur = cv::Mat::zeros(rows, cols, CV_8U);
  fill_ellipse(femur, cv_.px(head.x, head.y), cv_.len(head_r), cv_.len(head_r), 0, 255);
  {
    const cv::Point2d a = cv_.px(head.x, head.y), m = cv_.px(neck_mid.x, neck_mid.y), b = cv_.px(neck_base.x, neck_base.y);
    fill_poly(femur, band(a, m, cv_.len(0.070), cv_.len(0.058)), 255);
    fill_poly(femur, band(m, b, cv_.len(0.058), cv_.len(0.090)), 255);
  }
  fill_ellipse(femur, cv_.px(-0.105, -0.115), cv_.len(0.072), cv_.len(0.100), 12, 255);  // greater trochanter
  fill_poly(femur, band(cv_.px(shaft_top.x, shaft_top.y), cv_.px(shaft_bottom.x, shaft_bottom.y), cv_.len(0.085), cv_.len(0.062)), 255);
  fill_poly(femur, {cv_.px(-0.17, -0.12), cv_.px(neck_base.x + 0.03, neck_base.y - 0.06), cv_.px(0.065, 0.06),
                    cv_.px(-0.01, 0.14), cv_.px(-0.14, 0.08)}, 255);  // intertrochanteric region
  fill_ellipse(femur, cv_.px(0.045, 0.065), cv_.len(0.040), cv_.len(0.024), -30, 255);  // lesser trochanter
  {
    const int k = std::max(3, static_cast<int>(cv_.len(0.03)) | 1);
    cv::morphologyEx(femur, femur, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
  }
  cv::Mat femur_bin;
  cv::threshold(femur, femur_bin, 127, 255, cv::THRESH_BINARY);
  cv::Mat dist;
  cv::distanceTransform(femur_bin, dist, cv::DIST_L2, cv::DIST_MASK_5);

  // Trabecular texture: compressive (near vertical, from the head into the medial cortex)
  // and tensile (along the neck, arching from the lateral cortex) systems.
  const double s = rows / 512.0;
  cv::Mat tex_c = oriented_texture(rows, cols, -14.0, 9.0 * s, 1.3 * s, rng);
  cv::Mat tex_t = oriented_texture(rows, cols, 52.0, 9.0 * s, 1.3 * s, rng);

  // --- Pelvis: ilium/acetabulum above and medial to the head, pubis/ischium below it.
  cv::Mat pelvis = cv::Mat::zeros(rows, cols, CV_8U);
  fill_poly(pelvis, {cv_.px(-0.06, -0.75), cv_.px(0.9, -0.75), cv_.px(0.9, 0.34), cv_.px(0.36, 0.34), cv_.px(0.22, 0.16),
                     cv_.px(0.17, -0.02), cv_.px(0.05, -0.20), cv_.px(0.00, -0.33)}, 255);
  fill_ellipse(pelvis, cv_.px(0.36, 0.17), cv_.len(0.10), cv_.len(0.075), 20, 0);  // obturator foramen
  fill_ellipse(pelvis, cv_.px(head.x, head.y), cv_.len(head_r + 0.012), cv_.len(head_r + 0.012), 0, 0);  // joint space
  cv::Mat sourcil = cv::Mat::zeros(rows, cols, CV_8U);
  cv::ellipse(sourcil, fixed(cv_.px(head.x, head.y)),
              cv::Size(static_cast<int>(cv_.len(head_r + 0.022) * (1 << kShift)), static_cast<int>(cv_.len(head_r + 0.022) * (1 << kShift))),
              0, 195, 320, cv::Scalar(255), std::max(1, static_cast<int>(cv_.len(0.014))), cv::LINE_AA, kShift);
  cv::Mat pelvis_f, sourcil_f;
  pelvis.convertTo(pelvis_f, CV_32F, 1.0 / 255);
  sourcil.convertTo(sourcil_f, CV_32F, 1.0 / 255);
  cv::GaussianBlur(pelvis_f, pelvis_f, cv::Size(0, 0), 1.5 * s);
  cv::GaussianBlur(sourcil_f, sourcil_f, cv::Size(0, 0), 1.2 * s);

  // --- Attenuation map.
  const double tissue_k = 0.42 * (1.0 + 0.025 * (p.bmi - 27.0));
  const double body_edge = -0.40 - 0.012 * (p.bmi - 27.0);
  const double bone_k = 0.55 + 0.45 * q;  // mineral per unit path length
  cv::Mat atten(rows, cols, CV_32F);
  for (int r = 0; r < rows; ++r) {
    const double v = (r - rows / 2.0) / px_per_unit;
    const double shaft_w = smoothstep(-0.02, 0.18, v);
    const double cortex_t = cortex_neck + (cortex_shaft - cortex_neck) * shaft_w;
    const double edge = body_edge + 0.05 * std::exp(-std::pow((v + 0.08) / 0.2, 2)) * -1.0 + 0.06 * std::max(0.0, v - 0.2);
    const float* d_row = dist.ptr<float>(r);
    const uchar* mask_row = femur.ptr<uchar>(r);
    const float* tc_row = tex_c.ptr<float>(r);
    const float* tt_row = tex_t.ptr<float>(r);
    const float* pel_row = pelvis_f.ptr<float>(r);
    const float* sou_row = sourcil_f.ptr<float>(r);
    float* out = atten.ptr<float>(r);
    for (int c = 0; c < cols; ++c) {
      const double u = (c - cols / 2.0) / px_per_unit;
      // Soft tissue: elliptical body cross-section, air beyond the lateral skin line.
      const double depth = std::clamp((u - edge) / 0.35, 0.0, 1.0);
      double a = tissue_k * std::sqrt(depth) * (1.0 + 0.08 * v);
      // Femur: cortical shell (its projected thickness), trabecular interior.
      const double cover = mask_row[c] / 255.0;
      if (cover > 0) {
        const double d = d_row[c];
        const double chord = std::sqrt(std::min(d, cv_.len(0.05)) / cv_.len(0.05));
        const double cortex = 1.0 - smoothstep(cortex_t * 0.8, cortex_t * 1.2, d);
        // Tensile trabeculae fade out down the shaft; the medullary canal has few trabeculae.
        const double tex = tc_row[c] + 0.8 * (1.0 - shaft_w) * tt_row[c];
        const double trab = smoothstep(trab_threshold - 0.5, trab_threshold + 0.5, tex / (1.0 + 0.8 * (1.0 - shaft_w) * 0.6));
        const double canal = 1.0 - 0.75 * shaft_w;
        const double interior = 0.30 * chord + 0.55 * trab * canal;
        a += cover * bone_k * (cortex * 1.25 + (1.0 - cortex) * interior);
      }
      // Pelvis: lower mineral dependence (systemic bone loss, but not what DEXA measured).
      const double pel = pel_row[c];
      if (pel > 0) a += pel * (0.32 + 0.12 * q) * (1.0 + 0.04 * tc_row[c]);
      a += sou_row[c] * (0.45 + 0.2 * q);
      out[c] = static_cast<float>(a);
    }
  }
  cv::GaussianBlur(atten, atten, cv::Size(0, 0), 0.6 * s);  // detector MTF

  // --- Pose: rotation about the centre, translation (the field of view is not perfectly centred).
  cv::Mat pose = cv::getRotationMatrix2D(cv::Point2f(cols / 2.0f, rows / 2.0f), p.rotation_deg, 1.0);
  pose.at<double>(0, 2) += p.shift_x * rows;
  pose.at<double>(1, 2) += p.shift_y * rows;
  cv::Mat posed;
  cv::warpAffine(atten, posed, pose, atten.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  auto apply_pose = [&](cv::Point2d pt) {
    return cv::Point2d(pose.at<double>(0, 0) * pt.x + pose.at<double>(0, 1) * pt.y + pose.at<double>(0, 2),
                       pose.at<double>(1, 0) * pt.x + pose.at<double>(1, 1) * pt.y + pose.at<double>(1, 2));
  };
  cv::Point2d neck_px = apply_pose(cv_.px(neck_mid.x, neck_mid.y));
  cv::Point2d tissue_px = apply_pose(cv_.px(-0.28, 0.18));
  if (p.side == Side::kLeft) {
    cv::flip(posed, posed, 1);
    neck_px.x = cols - 1 - neck_px.x;
    tissue_px.x = cols - 1 - tissue_px.x;
  }

  // --- Lead side marker in the upper lateral corner (the letter reads correctly: it is on
  // the cassette, not mirrored with the anatomy).
  if (p.marker) {
    const bool left = p.side == Side::kLeft;
    const double m = 0.075 * rows;
    const double x0 = left ? cols - 0.06 * rows - m : 0.06 * rows;
    const double y0 = 0.05 * rows;
    cv::Mat marker = cv::Mat::zeros(rows, cols, CV_32F);
    cv::rectangle(marker, cv::Point(static_cast<int>(x0), static_cast<int>(y0)),
                  cv::Point(static_cast<int>(x0 + m), static_cast<int>(y0 + m)), cv::Scalar(0.25), cv::FILLED);
    const std::string letter = left ? "L" : "R";
    const double font_scale = m / 30.0 * 0.95;
    const int thickness = std::max(1, static_cast<int>(std::lround(m / 12.0)));
    int baseline = 0;
    const cv::Size ts = cv::getTextSize(letter, cv::FONT_HERSHEY_DUPLEX, font_scale, thickness, &baseline);
    cv::putText(marker, letter, cv::Point(static_cast<int>(x0 + (m - ts.width) / 2), static_cast<int>(y0 + (m + ts.height) / 2)),
                cv::FONT_HERSHEY_DUPLEX, font_scale, cv::Scalar(2.8), thickness, cv::LINE_AA);
    posed += marker;
  }

  // --- Detector: log-domain signal, gain/offset, quantum noise, 12-bit quantisation.
  Phantom out;
  out.rows = rows;
  out.columns = cols;
  out.pixels.resize(static_cast<std::size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r) {
    const float* row = posed.ptr<float>(r);
    for (int c = 0; c < cols; ++c) {
      const double a = row[c];
      const double signal = p.offset + p.gain * 1050.0 * a;
      const double sd = p.noise_sd * std::sqrt(0.5 + a);
      const double v = std::clamp(signal + sd * rng.fast_normal(), 0.0, 4095.0);
      out.pixels[static_cast<std::size_t>(r) * cols + c] = static_cast<std::uint16_t>(std::lround(v));
    }
  }
  const double half = 0.028 * px_per_unit;
  out.neck_roi = box_around(neck_px, half, rows, cols);
  out.soft_tissue_roi = box_around(tissue_px, half, rows, cols);
  return out;
}

}  // namespace osteo::synth
