#include "osteo/synth/phantom.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "osteo/synth/rng.h"

namespace osteo::synth {
namespace {

PhantomParams small(double bmd, Side side, std::uint64_t seed) {
  PhantomParams p;
  p.rows = 256;
  p.columns = 208;
  p.neck_bmd = bmd;
  p.side = side;
  Rng rng(seed);
  randomize_nuisance(p, rng);
  return p;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / x.size();
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / y.size();
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

TEST(Phantom, SameParamsGiveSamePixels) {
  const PhantomParams p = small(0.7, Side::kRight, 5);
  const Phantom a = render_hip_phantom(p);
  const Phantom b = render_hip_phantom(p);
  EXPECT_EQ(a.pixels, b.pixels);
  PhantomParams q = p;
  q.texture_seed ^= 1;
  EXPECT_NE(render_hip_phantom(q).pixels, a.pixels);
}

TEST(Phantom, TwelveBitAndRightSize) {
  const Phantom ph = render_hip_phantom(small(0.8, Side::kLeft, 9));
  ASSERT_EQ(ph.pixels.size(), 256u * 208u);
  EXPECT_LE(*std::max_element(ph.pixels.begin(), ph.pixels.end()), 4095);
  // Not a flat image: a real dynamic range.
  const auto [lo, hi] = std::minmax_element(ph.pixels.begin(), ph.pixels.end());
  EXPECT_GT(*hi - *lo, 1000);
}

// Bone is bright against soft tissue; the pelvis sits medially, i.e. on the viewer's right for
// a right hip (AP convention: patient's right on the viewer's left) and mirrored for a left.
TEST(Phantom, AnatomyOnTheCorrectSide) {
  for (Side side : {Side::kRight, Side::kLeft}) {
    const Phantom ph = render_hip_phantom(small(0.8, side, 11));
    EXPECT_GT(ph.mean_in(ph.neck_roi), ph.mean_in(ph.soft_tissue_roi) + 200) << side_code(side);
    const PixelBox left_half{0, 0, ph.columns / 2, ph.rows / 3};
    const PixelBox right_half{ph.columns / 2, 0, ph.columns / 2, ph.rows / 3};
    if (side == Side::kRight) { EXPECT_GT(ph.mean_in(right_half), ph.mean_in(left_half)); }
    else { EXPECT_GT(ph.mean_in(left_half), ph.mean_in(right_half)); }
    // The neck ROI lies between the soft-tissue ROI (lateral) and the pelvis (medial).
    const bool neck_right_of_tissue = ph.neck_roi.x > ph.soft_tissue_roi.x;
    EXPECT_EQ(neck_right_of_tissue, side == Side::kRight);
  }
}

// The learnable signal. Across 50 patients with BMD spanning osteoporosis to normal and
// independent nuisance (pose, zoom, exposure gain ±15%, offset, noise, texture), the
// neck-minus-soft-tissue contrast must track BMD; a phantom whose bone ignored BMD gives r ≈ 0.
// Observed: r ≈ 0.88 with all nuisance, ≈ 0.92 with exposure fixed. At 256 rows the neck box
// is only ~14 px wide, so the sampled trabecular texture and pose keep r below 1; the
// thresholds (0.75 / 0.85) leave room for that sampling noise but not for a weakened signal.
TEST(Phantom, NeckIntensityFollowsBmd) {
  std::vector<double> bmd, contrast, fixed_exposure;
  for (int i = 0; i < 50; ++i) {
    const double b = 0.45 + 0.65 * (i + 0.5) / 50.0;
    PhantomParams p = small(b, i % 2 ? Side::kLeft : Side::kRight, 1000 + i);
    const Phantom ph = render_hip_phantom(p);
    bmd.push_back(b);
    contrast.push_back(ph.mean_in(ph.neck_roi) - ph.mean_in(ph.soft_tissue_roi));
    p.gain = 1.0;
    p.offset = 250;
    const Phantom fx = render_hip_phantom(p);
    fixed_exposure.push_back(fx.mean_in(fx.neck_roi));
  }
  const double r_contrast = pearson(bmd, contrast);
  const double r_fixed = pearson(bmd, fixed_exposure);
  RecordProperty("r_contrast", std::to_string(r_contrast));
  RecordProperty("r_fixed_exposure", std::to_string(r_fixed));
  EXPECT_GT(r_contrast, 0.75);
  EXPECT_GT(r_fixed, 0.85);
}

}  // namespace
}  // namespace osteo::synth
