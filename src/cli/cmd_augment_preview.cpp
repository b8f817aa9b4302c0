// osteoscreen augment-preview: a PNG sheet of what the augmentation does to one radiograph.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "osteo/augment/preview.h"
#include "osteo/image/read.h"

namespace osteo::cli {

Runner setup_augment_preview(CLI::App& sub, const GlobalOptions&) {
  struct Options {
    std::string input;
    std::string out = "augment-preview.png";
    PreprocessConfig preprocess;
    std::string roi = "whole";
    double flip = 0.0;
    PreviewOptions preview;
  };
  auto opt = std::make_shared<Options>();
  sub.add_option("file", opt->input, "Radiograph (DICOM, PNG or JPEG)")->required();
  sub.add_option("--out", opt->out, "PNG sheet to write")->capture_default_str();
  sub.add_option("--input-size", opt->preprocess.input_size, "Model input size, pixels")->capture_default_str();
  sub.add_option("--roi", opt->roi, "whole or proximal_femur")->check(CLI::IsMember({"whole", "proximal_femur"}))
      ->capture_default_str();
  sub.add_flag("--clahe", opt->preprocess.clahe, "Apply CLAHE after normalisation");
  sub.add_flag("--canonicalize-laterality", opt->preprocess.canonicalize_laterality, "Flip left hips to look like right");
  sub.add_option("--flip", opt->flip, "Horizontal flip probability")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  sub.add_option("--count", opt->preview.count, "Tiles (the first is un-augmented)")->check(CLI::Range(1, 256))
      ->capture_default_str();
  sub.add_option("--seed", opt->preview.seed, "Random seed")->capture_default_str();

  return [opt]() -> int {
    auto image = read_radiograph(opt->input);
    if (!image) {
      spdlog::error("{}", image.error().to_string());
      return kExitFailure;
    }
    opt->preprocess.roi = *parse_roi_mode(opt->roi);
    AugmentConfig augment;
    augment.flip_probability = opt->flip;
    if (auto s = write_augment_preview(*image, opt->preprocess, augment, opt->preview, opt->out); !s) {
      spdlog::error("{}", s.error().to_string());
      return kExitFailure;
    }
    std::cout << opt->out << "\n";
    return kExitOk;
  };
}

}  // namespace osteo::cli
