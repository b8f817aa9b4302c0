#pragma once
/// @file
/// The one preprocessing path shared by training and serving: ROI crop, laterality
/// canonicalisation, aspect-preserving resize with padding, percentile intensity normalisation
/// and optional CLAHE. Its config is stored in every checkpoint, so serving cannot drift from
/// training. The returned geometry maps model-input pixels back onto the original film (for
/// Grad-CAM overlays).
#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"
#include "osteo/core/radiograph.h"

namespace osteo {

enum class RoiMode {
  kWholeImage,     ///< the whole film (the knee set)
  kBox,            ///< a pixel box given per image (manifest roi columns)
  kProximalFemur,  ///< a fractional box around the proximal femur, mirrored by laterality
};
const char* roi_mode_name(RoiMode mode);
std::optional<RoiMode> parse_roi_mode(const std::string& text);

struct PreprocessConfig {
  int input_size = 224;  ///< square model input, pixels
  RoiMode roi = RoiMode::kWholeImage;
  /// kProximalFemur: box as fractions of width/height [x0, y0, x1, y1] for a RIGHT hip as it
  /// appears on an AP film (patient's right on the viewer's left); mirrored for a left hip.
  std::array<double, 4> femur_box{0.0, 0.1, 0.75, 0.85};
  /// Flip left-side images so every input shows a right hip (then horizontal-flip
  /// augmentation cannot confuse sides).
  bool canonicalize_laterality = false;
  double low_percentile = 1.0;    ///< intensities at or below map to 0
  double high_percentile = 99.0;  ///< intensities at or above map to 1
  bool clahe = false;
  double clahe_clip_limit = 2.0;
  int clahe_tiles = 8;

  nlohmann::json to_json() const;
  /// kInvalidArgument naming the bad key.
  static Result<PreprocessConfig> from_json(const nlohmann::json& j);
};

/// Where the model input came from on the original film (see film_point).
struct InputGeometry {
  int roi_x = 0, roi_y = 0, roi_w = 0, roi_h = 0;  ///< crop on the original film, pixels
  bool flipped = false;                            ///< mirrored horizontally after cropping
  double scale = 1.0;                              ///< input pixels per film pixel
  int pad_x = 0, pad_y = 0;                        ///< left/top padding in the input, pixels
  int content_w = 0, content_h = 0;                ///< size of the resized crop inside the input
};

/// Maps a continuous model-input coordinate (u, v) — pixel edges at integers, so the centre of
/// input pixel i is i + 0.5 — onto continuous film coordinates [x, y] in the same convention.
/// Each axis uses its exact ratio roi/content, so the corners of the content map onto the
/// corners of the crop.
std::array<double, 2> film_point(const InputGeometry& g, double u, double v);

struct PreparedImage {
  int size = 0;               ///< input_size
  std::vector<float> pixels;  ///< size*size, row-major, [0,1], padding = 0
  InputGeometry geometry;
};

/// Runs the pipeline on a rendered radiograph. `box` is the manifest ROI (x, y, w, h) used in
/// kBox mode. kInvalidArgument for an empty image or a box outside the film.
Result<PreparedImage> preprocess(const Radiograph& image, const PreprocessConfig& config,
                                 const std::optional<std::array<int, 4>>& box = std::nullopt);

}  // namespace osteo
