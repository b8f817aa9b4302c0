#pragma once
/// @file
/// Rendering a heat map for people: a colour overlay on the film, and a transparent heat layer
/// (RGBA, alpha = heat) that a web page can blend over the film itself with an opacity slider.
/// PNG encoding uses zlib level 1: encoding is the hotspot of the explain path and the
/// smooth maps compress well enough at the fastest level.
#include <cstdint>
#include <vector>

#include "osteo/core/error.h"
#include "osteo/core/radiograph.h"
#include "osteo/ml/explain/heat_map.h"

namespace osteo::ml {

enum class Colormap {
  kTurbo,  ///< perceptually smoother than jet, no dark band at the low end (OpenCV COLORMAP_TURBO)
  kJet,    ///< the classic Grad-CAM look (OpenCV COLORMAP_JET)
};

struct OverlayOptions {
  double opacity = 0.5;  ///< in [0, 1]: weight of the colour where the heat is 1
  /// true: the colour's weight is opacity × heat, so cold regions show the plain film; false: a
  /// uniform opacity (the classic look, which tints the whole film with the map's low colour).
  bool heat_weighted_opacity = true;
  int max_side = 1024;  ///< downscale so the longer side is at most this (pixels); ≤ 0 keeps full size
  Colormap colormap = Colormap::kTurbo;
};

/// An 8-bit image, row-major, interleaved channels in RGB or RGBA order.
struct Image8 {
  int width = 0;
  int height = 0;
  int channels = 0;  ///< 3 (RGB) or 4 (RGBA)
  std::vector<std::uint8_t> pixels;  ///< width * height * channels
};

/// The film alone → RGB (gray in every channel), downscaled exactly like render_overlay and
/// render_heat_layer (area averaging, longer side ≤ max_side; ≤ 0 keeps full size), so the
/// three line up pixel for pixel. Errors: kInvalidArgument for an empty or inconsistent film;
/// kInternal for an OpenCV failure.
Result<Image8> render_film(const Radiograph& film, int max_side);
/// Film (grayscale [0,1]) blended with the coloured heat map → RGB. `heat` must have the film's
/// size (e.g. Explanation::cam_film). Errors: kInvalidArgument for empty inputs, a size
/// mismatch or an opacity outside [0, 1]; kInternal for an OpenCV failure.
Result<Image8> render_overlay(const Radiograph& film, const HeatMap& heat, const OverlayOptions& options = {});

/// The heat map alone → RGBA: colour from the colormap, alpha = heat × 255 (opacity ignored),
/// downscaled like render_overlay. Errors as render_overlay.
Result<Image8> render_heat_layer(const HeatMap& heat, const OverlayOptions& options = {});

/// PNG bytes of an RGB or RGBA image. `compression` is zlib's level 0–9 (1: fastest that still
/// compresses). Errors: kInvalidArgument for an inconsistent image; kInternal if encoding fails.
Result<std::vector<std::uint8_t>> encode_png(const Image8& image, int compression = 1);

/// render_overlay + encode_png.
Result<std::vector<std::uint8_t>> overlay_png(const Radiograph& film, const HeatMap& heat,
                                              const OverlayOptions& options = {});
/// render_heat_layer + encode_png.
Result<std::vector<std::uint8_t>> heat_layer_png(const HeatMap& heat, const OverlayOptions& options = {});

}  // namespace osteo::ml
