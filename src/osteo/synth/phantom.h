#pragma once
/// @file
/// The procedural hip radiograph: an AP view of one proximal femur (head, neck, greater and
/// lesser trochanter, shaft) with the acetabulum, pelvis and soft tissue. Bone mineral density
/// drives what a model can learn: the cortical shell thickens and the trabecular texture
/// densifies as BMD rises. Nuisance (pose, exposure, noise, marker) varies independently of BMD.
/// Pure function of its parameters: no global state, no OpenCV randomness.
#include <cstdint>
#include <vector>

#include "osteo/core/types.h"

namespace osteo::synth {

class Rng;

/// Everything that determines one phantom image.
struct PhantomParams {
  int rows = 512;
  int columns = 416;
  Side side = Side::kRight;  ///< kLeft mirrors the anatomy (head on the viewer's left)
  double neck_bmd = 0.75;    ///< femoral-neck areal BMD of this side, g/cm²
  double bmi = 27.0;         ///< kg/m²: soft-tissue thickness
  bool pelvis_view = false;  ///< wider field of view: smaller femur, more pelvis

  // Nuisance, independent of BMD.
  double rotation_deg = 0.0;  ///< in-plane rotation about the centre
  double zoom = 1.0;          ///< anatomy scale relative to the nominal field of view
  double shift_x = 0.0;       ///< translation, fraction of rows
  double shift_y = 0.0;
  double gain = 1.0;          ///< detector/exposure gain
  double offset = 250.0;      ///< stored value of unattenuated beam (MONOCHROME2 sense)
  double noise_sd = 5.0;      ///< quantum noise, stored units at mid attenuation
  bool marker = true;         ///< burn in the lead side marker ("L"/"R")
  std::uint64_t texture_seed = 1;  ///< trabecular texture and noise stream
};

/// Draws the nuisance fields of `p` (pose, exposure, noise, texture seed) from `rng`.
void randomize_nuisance(PhantomParams& p, Rng& rng);

/// Axis-aligned pixel box.
struct PixelBox {
  int x = 0, y = 0, width = 0, height = 0;
};

/// A rendered phantom: 12-bit stored values with bone bright (MONOCHROME2 sense).
struct Phantom {
  int rows = 0;
  int columns = 0;
  std::vector<std::uint16_t> pixels;  ///< rows*columns, each ≤ 4095
  PixelBox neck_roi;         ///< box centred on the mid femoral neck (after pose and mirroring)
  PixelBox soft_tissue_roi;  ///< box in soft tissue lateral to the femur, for contrast

  /// Mean stored value inside a box (clipped to the image).
  double mean_in(const PixelBox& box) const;
};

/// Renders the phantom. Deterministic: equal params give equal pixels.
Phantom render_hip_phantom(const PhantomParams& params);

}  // namespace osteo::synth
