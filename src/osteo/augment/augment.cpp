#include "osteo/augment/augment.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

namespace osteo {

double AugmentRng::uniform(double lo, double hi) {
  // 53 random bits → a double in [0,1).
  const double u = static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0);
  return lo + (hi - lo) * u;
}

double AugmentRng::normal() {
  const double u1 = std::max(uniform(0.0, 1.0), 1e-300);
  const double u2 = uniform(0.0, 1.0);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

nlohmann::json AugmentConfig::to_json() const {
  return {{"rotation_deg", rotation_deg}, {"scale", scale},           {"shift", shift},
          {"flip_probability", flip_probability}, {"brightness", brightness}, {"contrast", contrast},
          {"gamma", gamma},               {"noise_sigma", noise_sigma}, {"blur_probability", blur_probability}};
}

Result<AugmentConfig> AugmentConfig::from_json(const nlohmann::json& j) {
  AugmentConfig c;
  try {
    c.rotation_deg = j.value("rotation_deg", c.rotation_deg);
    c.scale = j.value("scale", c.scale);
    c.shift = j.value("shift", c.shift);
    c.flip_probability = j.value("flip_probability", c.flip_probability);
    c.brightness = j.value("brightness", c.brightness);
    c.contrast = j.value("contrast", c.contrast);
    c.gamma = j.value("gamma", c.gamma);
    c.noise_sigma = j.value("noise_sigma", c.noise_sigma);
    c.blur_probability = j.value("blur_probability", c.blur_probability);
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kInvalidArgument, std::string("augment config: ") + e.what());
  }
  const bool ok = c.rotation_deg >= 0 && c.scale >= 0 && c.scale < 1 && c.shift >= 0 && c.shift < 0.5 &&
                  c.flip_probability >= 0 && c.flip_probability <= 1 && c.brightness >= 0 && c.contrast >= 0 &&
                  c.contrast < 1 && c.gamma >= 0 && c.gamma < 1 && c.noise_sigma >= 0 && c.blur_probability >= 0 &&
                  c.blur_probability <= 1;
  if (!ok) return fail(ErrorCode::kInvalidArgument, "augment config: a value is out of range");
  return c;
}

AugmentConfig AugmentConfig::none() {
  AugmentConfig c;
  c.rotation_deg = c.scale = c.shift = c.flip_probability = 0;
  c.brightness = c.contrast = c.gamma = c.noise_sigma = c.blur_probability = 0;
  return c;
}

void augment_in_place(std::vector<float>& pixels, int size, const AugmentConfig& config, AugmentRng& rng) {
  cv::Mat image(size, size, CV_32F, pixels.data());

  // Every draw happens whether or not its step is enabled, so changing one knob does not shift
  // the random stream of the others (reproducible ablations).
  const double angle = rng.uniform(-config.rotation_deg, config.rotation_deg);
  const double zoom = rng.uniform(1.0 - config.scale, 1.0 + config.scale);
  const double dx = rng.uniform(-config.shift, config.shift) * size;
  const double dy = rng.uniform(-config.shift, config.shift) * size;
  const bool flip = rng.chance(config.flip_probability);
  const double brightness = rng.uniform(-config.brightness, config.brightness);
  const double contrast = rng.uniform(1.0 - config.contrast, 1.0 + config.contrast);
  const double gamma = rng.uniform(1.0 - config.gamma, 1.0 + config.gamma);
  const bool blur = rng.chance(config.blur_probability);
  const double blur_sigma = rng.uniform(0.3, 1.2);
  const bool noise = config.noise_sigma > 0 && rng.chance(0.5);

  if (angle != 0.0 || zoom != 1.0 || dx != 0.0 || dy != 0.0 || flip) {
    const cv::Point2f centre(size / 2.0f, size / 2.0f);
    cv::Mat m = cv::getRotationMatrix2D(centre, angle, zoom);
    m.at<double>(0, 2) += dx;
    m.at<double>(1, 2) += dy;
    if (flip) {  // mirror about the vertical centre line after the affine: x' = size − x
      m.row(0) *= -1.0;
      m.at<double>(0, 2) += size;
    }
    cv::Mat warped;
    cv::warpAffine(image, warped, m, image.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
    warped.copyTo(image);
  }
  if (blur && config.blur_probability > 0) cv::GaussianBlur(image, image, cv::Size(0, 0), blur_sigma);

  for (float& v : pixels) {
    double x = std::pow(std::clamp(static_cast<double>(v), 0.0, 1.0), gamma);
    x = (x - 0.5) * contrast + 0.5 + brightness;
    if (noise) x += config.noise_sigma * rng.normal();
    v = static_cast<float>(std::clamp(x, 0.0, 1.0));
  }
}

}  // namespace osteo
