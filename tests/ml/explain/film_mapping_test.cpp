// Grad-CAM maps must land where the model looked: these tests send known hot spots through
// map_to_film with hand-computed and real preprocessing geometries (crop + flip + letterbox).
#include "osteo/ml/explain/film_mapping.h"

#include <cmath>

#include <gtest/gtest.h>

namespace osteo::ml {
namespace {

// Value-weighted centroid (x, y) in continuous film coordinates (pixel centres at +0.5).
std::array<double, 2> centroid(const HeatMap& m) {
  double sx = 0, sy = 0, s = 0;
  for (int r = 0; r < m.height; ++r) {
    for (int c = 0; c < m.width; ++c) {
      const double v = m.at(r, c);
      sx += v * (c + 0.5);
      sy += v * (r + 0.5);
      s += v;
    }
  }
  return {sx / s, sy / s};
}

HeatMap single_hot_pixel(int size, int u, int v) {
  HeatMap m;
  m.width = m.height = size;
  m.values.assign(static_cast<std::size_t>(size) * size, 0.0f);
  m.values[static_cast<std::size_t>(v) * size + u] = 1.0f;
  return m;
}

bool inside(const InputGeometry& g, int row, int column) {
  return column >= g.roi_x && column < g.roi_x + g.roi_w && row >= g.roi_y && row < g.roi_y + g.roi_h;
}

// A 400x200 crop at (100, 50) of a 640x480 film, flipped, letterboxed into 64x64:
// scale 0.16, content 64x32, padding 16 rows at the top.
InputGeometry hand_geometry() {
  InputGeometry g;
  g.roi_x = 100;
  g.roi_y = 50;
  g.roi_w = 400;
  g.roi_h = 200;
  g.flipped = true;
  g.scale = 64.0 / 400.0;
  g.content_w = 64;
  g.content_h = 32;
  g.pad_x = 0;
  g.pad_y = 16;
  return g;
}

struct HotSpotCase {
  int u, v;  // input pixel of the hot spot
};

class HotSpotTest : public ::testing::TestWithParam<HotSpotCase> {};

TEST_P(HotSpotTest, LandsWhereFilmPointSays) {
  const auto g = hand_geometry();
  const auto [u, v] = GetParam();
  const auto film = map_to_film(single_hot_pixel(64, u, v), g, 64, 480, 640);
  ASSERT_TRUE(film) << film.error().to_string();
  ASSERT_EQ(film->width, 640);
  ASSERT_EQ(film->height, 480);
  const auto expected = film_point(g, u + 0.5, v + 0.5);
  // By hand for (10, 20): x = 100 + (64 − 10.5)·400/64 = 434.375, y = 50 + (20.5 − 16)·200/32 = 78.125.
  if (u == 10 && v == 20) {
    EXPECT_NEAR(expected[0], 434.375, 1e-9);
    EXPECT_NEAR(expected[1], 78.125, 1e-9);
  }
  // Bilinear resampling of one hot cell is a symmetric tent around its centre, so the centroid
  // is exact up to the warp's 1/32-pixel fixed-point coordinates; one input pixel is 6.25 film px.
  const auto c = centroid(*film);
  EXPECT_NEAR(c[0], expected[0], 0.5);
  EXPECT_NEAR(c[1], expected[1], 0.5);
}

INSTANTIATE_TEST_SUITE_P(Spots, HotSpotTest,
                         ::testing::Values(HotSpotCase{10, 20}, HotSpotCase{50, 40}, HotSpotCase{32, 30},
                                           HotSpotCase{3, 44}));

TEST(FilmMapping, OutsideRoiIsZeroAndLowResMapCoversTheInput) {
  const auto g = hand_geometry();
  HeatMap low;  // a 4x4 "feature-map" cam, uniformly hot
  low.width = low.height = 4;
  low.values.assign(16, 1.0f);
  const auto film = map_to_film(low, g, 64, 480, 640);
  ASSERT_TRUE(film) << film.error().to_string();
  for (int r = 0; r < film->height; r += 3) {
    for (int c = 0; c < film->width; c += 3) {
      if (inside(g, r, c)) {
        ASSERT_FLOAT_EQ(film->at(r, c), 1.0f) << r << "," << c;
      } else {
        ASSERT_EQ(film->at(r, c), 0.0f) << r << "," << c;
      }
    }
  }
}

TEST(FilmMapping, LowResolutionCellLandsOnItsFilmArea) {
  // Cell (col 3, row 1) of a 4x4 map covers input x in [48, 64), y in [16, 32): flipped, that is
  // film x in [100, 100 + 16·6.25), y in [50, 50 + 16·6.25).
  const auto g = hand_geometry();
  HeatMap low;
  low.width = low.height = 4;
  low.values.assign(16, 0.0f);
  low.values[1 * 4 + 3] = 1.0f;
  const auto film = map_to_film(low, g, 64, 480, 640);
  ASSERT_TRUE(film);
  const auto c = centroid(*film);
  // The cell's tent is clipped by the ROI edge on the left, so only the bounds are asserted.
  EXPECT_GT(c[0], 100.0);
  EXPECT_LT(c[0], 200.0);
  EXPECT_GT(c[1], 50.0);
  EXPECT_LT(c[1], 150.0);
}

TEST(FilmMapping, RoundTripThroughRealPreprocessing) {
  // A bright marker on a left-hip film; box ROI, laterality flip, non-square crop (letterbox).
  Radiograph film;
  film.meta.path = "synthetic";
  film.meta.rows = 300;
  film.meta.columns = 500;
  film.meta.laterality = Side::kLeft;
  film.pixels.assign(300 * 500, 0.2f);
  for (int r = 0; r < 300; ++r) {
    for (int c = 0; c < 500; ++c) film.pixels[static_cast<std::size_t>(r) * 500 + c] = 0.2f + 0.1f * ((r * 7 + c * 3) % 5) / 5.0f;
  }
  const int mx = 330, my = 140;  // marker centre
  // 31x31: more than 1 % of the ROI, so the 99th percentile is the marker and the background
  // normalises well below the 0.9 threshold used below.
  for (int r = my - 15; r <= my + 15; ++r) {
    for (int c = mx - 15; c <= mx + 15; ++c) film.pixels[static_cast<std::size_t>(r) * 500 + c] = 1.0f;
  }
  PreprocessConfig config;
  config.input_size = 96;
  config.roi = RoiMode::kBox;
  config.canonicalize_laterality = true;
  const auto prepared = preprocess(film, config, std::array<int, 4>{200, 60, 240, 160});
  ASSERT_TRUE(prepared) << prepared.error().to_string();
  ASSERT_TRUE(prepared->geometry.flipped);
  ASSERT_GT(prepared->geometry.pad_y, 0);

  // Use the prepared marker itself as the heat map: where the model saw it must map to where it is.
  HeatMap heat;
  heat.width = heat.height = prepared->size;
  heat.values = prepared->pixels;
  for (auto& v : heat.values) v = v > 0.9f ? 1.0f : 0.0f;
  const auto mapped = map_to_film(heat, prepared->geometry, prepared->size, film.rows(), film.columns());
  ASSERT_TRUE(mapped) << mapped.error().to_string();
  const auto c = centroid(*mapped);
  // One input pixel is 240/96 = 2.5 film pixels; thresholding the resized marker may shift its
  // edge by up to a pixel on each side.
  EXPECT_NEAR(c[0], mx + 0.5, 2.5);
  EXPECT_NEAR(c[1], my + 0.5, 2.5);
}

TEST(FilmMapping, RejectsBadInput) {
  const auto g = hand_geometry();
  EXPECT_EQ(map_to_film(HeatMap{}, g, 64, 480, 640).error().code, ErrorCode::kInvalidArgument);
  const auto hot = single_hot_pixel(64, 1, 1);
  EXPECT_EQ(map_to_film(hot, g, 64, 100, 100).error().code, ErrorCode::kInvalidArgument);  // ROI off the film
  EXPECT_EQ(map_to_film(hot, g, 0, 480, 640).error().code, ErrorCode::kInvalidArgument);
  auto bad = g;
  bad.content_w = 0;
  EXPECT_EQ(map_to_film(hot, bad, 64, 480, 640).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace osteo::ml
