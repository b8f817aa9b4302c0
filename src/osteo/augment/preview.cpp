#include "osteo/augment/preview.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace osteo {

Status write_augment_preview(const Radiograph& image, const PreprocessConfig& preprocess_config,
                             const AugmentConfig& augment_config, const PreviewOptions& options,
                             const std::string& png_path) {
  if (options.count < 1 || options.columns < 1) {
    return fail(ErrorCode::kInvalidArgument, "augment-preview: --count and --columns must be positive");
  }
  auto prepared = preprocess(image, preprocess_config);
  if (!prepared) return tl::unexpected(prepared.error());
  const int size = prepared->size;
  constexpr int kGap = 4;
  const int cols = std::min(options.columns, options.count);
  const int rows = (options.count + cols - 1) / cols;
  cv::Mat sheet(rows * (size + kGap) - kGap, cols * (size + kGap) - kGap, CV_8U, cv::Scalar(255));
  for (int i = 0; i < options.count; ++i) {
    std::vector<float> tile = prepared->pixels;
    if (i > 0) {
      // Per-tile seeds: a tile does not change when --count changes.
      AugmentRng rng(options.seed * 1000003ULL + static_cast<std::uint64_t>(i));
      augment_in_place(tile, size, augment_config, rng);
    }
    cv::Mat view(size, size, CV_32F, tile.data());
    cv::Mat u8;
    view.convertTo(u8, CV_8U, 255.0);
    u8.copyTo(sheet(cv::Rect((i % cols) * (size + kGap), (i / cols) * (size + kGap), size, size)));
  }
  try {
    if (!cv::imwrite(png_path, sheet)) return fail(ErrorCode::kIoError, png_path + ": cannot write PNG");
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kIoError, png_path + ": " + e.what());
  }
  return {};
}

}  // namespace osteo
