// Overlay and heat-layer rendering, and PNG bytes that decode back to what was rendered.
#include "osteo/ml/explain/overlay.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

namespace osteo::ml {
namespace {

Radiograph gradient_film(int rows, int columns) {
  Radiograph film;
  film.meta.path = "synthetic";
  film.meta.rows = rows;
  film.meta.columns = columns;
  film.pixels.resize(static_cast<std::size_t>(rows) * columns);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) film.pixels[static_cast<std::size_t>(r) * columns + c] = static_cast<float>(c) / (columns - 1);
  }
  return film;
}

// Heat 1 in the right half, 0 in the left.
HeatMap half_heat(int rows, int columns) {
  HeatMap heat;
  heat.width = columns;
  heat.height = rows;
  heat.values.resize(static_cast<std::size_t>(rows) * columns);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) heat.values[static_cast<std::size_t>(r) * columns + c] = c >= columns / 2 ? 1.0f : 0.0f;
  }
  return heat;
}

TEST(Overlay, ColdRegionsShowThePlainFilmHotRegionsTheColormap) {
  const auto film = gradient_film(40, 60);
  OverlayOptions options;
  options.opacity = 1.0;
  options.colormap = Colormap::kJet;
  const auto image = render_overlay(film, half_heat(40, 60), options);
  ASSERT_TRUE(image) << image.error().to_string();
  ASSERT_EQ(image->width, 60);
  ASSERT_EQ(image->height, 40);
  ASSERT_EQ(image->channels, 3);
  const auto px = [&](int r, int c, int ch) { return image->pixels[(static_cast<std::size_t>(r) * 60 + c) * 3 + ch]; };
  // Left half: gray film (R = G = B = film value).
  const int gray = static_cast<int>(std::lround(10.0f / 59 * 255));
  for (int ch = 0; ch < 3; ++ch) EXPECT_NEAR(px(5, 10, ch), gray, 1);
  // Right half at opacity 1: jet's top colour, dark red (R high, G and B low).
  EXPECT_GT(px(5, 50, 0), 100);
  EXPECT_LT(px(5, 50, 1), 20);
  EXPECT_LT(px(5, 50, 2), 20);
}

TEST(Overlay, DownscalesToMaxSideAndPngDecodesBack) {
  const auto film = gradient_film(300, 200);
  OverlayOptions options;
  options.max_side = 100;
  const auto bytes = overlay_png(film, half_heat(300, 200), options);
  ASSERT_TRUE(bytes) << bytes.error().to_string();
  const cv::Mat decoded = cv::imdecode(*bytes, cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(decoded.empty());
  EXPECT_EQ(decoded.rows, 100);
  EXPECT_EQ(decoded.cols, 67);  // 200 · 100/300 rounded
  EXPECT_EQ(decoded.channels(), 3);

  options.max_side = 0;  // full size
  const auto full = overlay_png(film, half_heat(300, 200), options);
  ASSERT_TRUE(full);
  const cv::Mat decoded_full = cv::imdecode(*full, cv::IMREAD_UNCHANGED);
  EXPECT_EQ(decoded_full.rows, 300);
  EXPECT_EQ(decoded_full.cols, 200);
}

TEST(Overlay, HeatLayerAlphaIsTheHeatAndRoundTripsThroughPng) {
  HeatMap heat;
  heat.width = 50;
  heat.height = 20;
  for (int i = 0; i < 1000; ++i) heat.values.push_back(static_cast<float>(i % 50) / 49.0f);
  const auto layer = render_heat_layer(heat);
  ASSERT_TRUE(layer);
  ASSERT_EQ(layer->channels, 4);
  const auto bytes = encode_png(*layer);
  ASSERT_TRUE(bytes);
  const cv::Mat decoded = cv::imdecode(*bytes, cv::IMREAD_UNCHANGED);
  ASSERT_EQ(decoded.type(), CV_8UC4);
  ASSERT_EQ(decoded.rows, 20);
  ASSERT_EQ(decoded.cols, 50);
  for (int c = 0; c < 50; ++c) {
    const auto bgra = decoded.at<cv::Vec4b>(3, c);
    EXPECT_NEAR(bgra[3], c / 49.0 * 255, 1) << c;
    // Lossless: the decoded colour is the rendered one (the encoder stores RGBA order back).
    const std::size_t i = (3 * 50 + static_cast<std::size_t>(c)) * 4;
    EXPECT_EQ(bgra[2], layer->pixels[i + 0]);
    EXPECT_EQ(bgra[1], layer->pixels[i + 1]);
    EXPECT_EQ(bgra[0], layer->pixels[i + 2]);
  }
  const auto downscaled = heat_layer_png(heat, OverlayOptions{0.5, true, 25, Colormap::kTurbo});
  ASSERT_TRUE(downscaled);
  const cv::Mat small = cv::imdecode(*downscaled, cv::IMREAD_UNCHANGED);
  EXPECT_EQ(small.cols, 25);
  EXPECT_EQ(small.rows, 10);
}

TEST(Overlay, FilmPictureIsTheOverlayWithoutColourAndLinesUpWithTheHeatLayer) {
  const auto film = gradient_film(300, 500);
  const auto heat = half_heat(300, 500);
  OverlayOptions none;
  none.opacity = 0.0;
  none.max_side = 128;
  const auto plain = render_film(film, none.max_side);
  const auto overlay = render_overlay(film, heat, none);
  const auto layer = render_heat_layer(heat, none);
  ASSERT_TRUE(plain && overlay && layer);
  EXPECT_EQ(plain->channels, 3);
  EXPECT_EQ(plain->pixels, overlay->pixels);
  EXPECT_EQ(plain->width, layer->width);
  EXPECT_EQ(plain->height, layer->height);
  EXPECT_EQ(render_film(Radiograph{}, 128).error().code, ErrorCode::kInvalidArgument);
}

TEST(Overlay, RejectsBadInput) {
  const auto film = gradient_film(40, 60);
  EXPECT_EQ(render_overlay(film, half_heat(40, 61)).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(render_overlay(film, HeatMap{}).error().code, ErrorCode::kInvalidArgument);
  OverlayOptions options;
  options.opacity = 1.5;
  EXPECT_EQ(render_overlay(film, half_heat(40, 60), options).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(render_overlay(Radiograph{}, half_heat(40, 60)).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(encode_png(Image8{}).error().code, ErrorCode::kInvalidArgument);
  Image8 ok{2, 2, 3, std::vector<std::uint8_t>(12, 0)};
  EXPECT_EQ(encode_png(ok, 10).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(encode_png(ok, 0));
}

}  // namespace
}  // namespace osteo::ml
