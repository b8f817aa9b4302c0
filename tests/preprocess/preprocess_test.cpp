#include "osteo/preprocess/preprocess.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace osteo {
namespace {

// A film whose value is f(row, col), for building known patterns.
template <class F>
Radiograph film(int rows, int cols, F f, Side side = Side::kUnknown) {
  Radiograph r;
  r.meta.path = "test-film";
  r.meta.rows = rows;
  r.meta.columns = cols;
  r.meta.laterality = side;
  r.pixels.resize(static_cast<std::size_t>(rows) * cols);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) r.pixels[static_cast<std::size_t>(y) * cols + x] = f(y, x);
  return r;
}

float at(const PreparedImage& p, int y, int x) { return p.pixels[static_cast<std::size_t>(y) * p.size + x]; }

TEST(Preprocess, WideFilmIsLetterboxedWithZeroPadding) {
  PreprocessConfig c;
  c.input_size = 64;
  auto p = preprocess(film(100, 200, [](int, int x) { return 0.2f + 0.6f * x / 199.0f; }), c);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->size, 64);
  EXPECT_EQ(p->geometry.content_w, 64);
  EXPECT_EQ(p->geometry.content_h, 32);
  EXPECT_EQ(p->geometry.pad_y, 16);
  EXPECT_EQ(at(*p, 0, 32), 0.0f);   // top padding
  EXPECT_EQ(at(*p, 63, 32), 0.0f);  // bottom padding
  // Percentile stretch: the gradient now spans [0, 1] inside the content.
  EXPECT_NEAR(at(*p, 32, 0), 0.0f, 0.02f);
  EXPECT_NEAR(at(*p, 32, 63), 1.0f, 0.02f);
  EXPECT_LT(at(*p, 32, 10), at(*p, 32, 50));
}

TEST(Preprocess, PercentilesClipOutliers) {
  // 1% of pixels are a burned-in marker at 1.0; the anatomy spans [0.3, 0.5]. With the 99th
  // percentile as white point the anatomy, not the marker, fills the range.
  PreprocessConfig c;
  c.input_size = 100;
  auto p = preprocess(film(100, 100, [](int y, int x) { return y == 0 ? 1.0f : 0.3f + 0.2f * x / 99.0f; }), c);
  ASSERT_TRUE(p);
  EXPECT_NEAR(at(*p, 50, 99), 1.0f, 0.03f);
  EXPECT_NEAR(at(*p, 50, 50), 0.5f, 0.05f);
}

TEST(Preprocess, CanonicalisationFlipsLeftHips) {
  PreprocessConfig c;
  c.input_size = 32;
  c.canonicalize_laterality = true;
  auto bright_left = [](int, int x) { return x < 16 ? 0.9f : 0.1f; };
  auto left = preprocess(film(32, 32, bright_left, Side::kLeft), c);
  auto right = preprocess(film(32, 32, bright_left, Side::kRight), c);
  ASSERT_TRUE(left && right);
  EXPECT_TRUE(left->geometry.flipped);
  EXPECT_FALSE(right->geometry.flipped);
  EXPECT_GT(at(*left, 16, 28), at(*left, 16, 3));   // mirrored: bright on the right now
  EXPECT_GT(at(*right, 16, 3), at(*right, 16, 28));
}

TEST(Preprocess, FemurBoxIsMirroredForTheLeftSide) {
  PreprocessConfig c;
  c.input_size = 50;
  c.roi = RoiMode::kProximalFemur;
  c.femur_box = {0.0, 0.0, 0.5, 1.0};  // right hip: the viewer's left half
  auto right = preprocess(film(100, 100, [](int, int) { return 0.5f; }, Side::kRight), c);
  auto left = preprocess(film(100, 100, [](int, int) { return 0.5f; }, Side::kLeft), c);
  ASSERT_TRUE(right && left);
  EXPECT_EQ(right->geometry.roi_x, 0);
  EXPECT_EQ(left->geometry.roi_x, 50);
  EXPECT_EQ(left->geometry.roi_w, 50);
}

TEST(Preprocess, BoxOutsideTheFilmIsATypedError) {
  PreprocessConfig c;
  c.roi = RoiMode::kBox;
  auto img = film(40, 40, [](int, int) { return 0.5f; });
  auto p = preprocess(img, c, std::array<int, 4>{30, 30, 20, 20});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(preprocess(img, c));  // box mode without a box
  EXPECT_TRUE(preprocess(img, c, std::array<int, 4>{10, 10, 20, 20}));
}

TEST(Preprocess, FilmPointInvertsTheGeometry) {
  PreprocessConfig c;
  c.input_size = 64;
  c.roi = RoiMode::kBox;
  c.canonicalize_laterality = true;
  auto p = preprocess(film(300, 400, [](int, int) { return 0.5f; }, Side::kLeft), c, std::array<int, 4>{100, 50, 200, 100});
  ASSERT_TRUE(p);
  const auto& g = p->geometry;
  // Content corners map onto the crop's corners; flipped, the input's left edge is the crop's right.
  auto tl = film_point(g, g.pad_x, g.pad_y);
  EXPECT_NEAR(tl[0], 300.0, 1e-9);
  EXPECT_NEAR(tl[1], 50.0, 1e-9);
  auto br = film_point(g, g.pad_x + g.content_w, g.pad_y + g.content_h);
  EXPECT_NEAR(br[0], 100.0, 1e-9);
  EXPECT_NEAR(br[1], 150.0, 1e-9);
}

TEST(Preprocess, ClaheKeepsRangeAndRaisesLocalContrast) {
  PreprocessConfig c;
  c.input_size = 64;
  c.low_percentile = 0;
  c.high_percentile = 100;
  auto img = film(64, 64, [](int y, int x) { return (x < 32 ? 0.2f : 0.8f) + ((x + y) % 2 ? 0.01f : 0.0f); });
  auto plain = preprocess(img, c);
  c.clahe = true;
  auto eq = preprocess(img, c);
  ASSERT_TRUE(plain && eq);
  auto local_range = [](const PreparedImage& p) { return std::abs(at(p, 10, 10) - at(p, 10, 11)); };
  EXPECT_GT(local_range(*eq), local_range(*plain));
  for (float v : eq->pixels) {
    ASSERT_GE(v, 0.0f);
    ASSERT_LE(v, 1.0f);
  }
}

TEST(PreprocessConfig, JsonRoundTripAndValidation) {
  PreprocessConfig c;
  c.input_size = 128;
  c.roi = RoiMode::kProximalFemur;
  c.clahe = true;
  auto back = PreprocessConfig::from_json(c.to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to_json(), c.to_json());
  auto j = c.to_json();
  j["roi"] = "elbow";
  EXPECT_FALSE(PreprocessConfig::from_json(j));
  j = c.to_json();
  j["low_percentile"] = 99.5;
  EXPECT_FALSE(PreprocessConfig::from_json(j));
  j = c.to_json();
  j["input_size"] = "big";
  EXPECT_FALSE(PreprocessConfig::from_json(j));
}

}  // namespace
}  // namespace osteo
