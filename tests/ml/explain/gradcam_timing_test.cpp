// Timing of the whole explain path on a real film (2140x1760 CR hip): preprocess, Grad-CAM
// (forward + head backward), mapping to the film, overlay and heat-layer PNGs.
// Disabled by default (seconds, needs ../shared/data); run with
//   ml_unit_tests --gtest_also_run_disabled_tests --gtest_filter='*GradCamTiming*'
#include <algorithm>
#include <chrono>
#include <cstdio>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "osteo/image/read.h"
#include "osteo/ml/explain/film_mapping.h"
#include "osteo/ml/explain/gradcam.h"
#include "osteo/ml/explain/overlay.h"
#include "osteo/ml/models/registry.h"
#include "support/test_support.h"

namespace osteo::ml {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void time_arch(const Radiograph& film, const std::string& arch, int input_size) {
  torch::manual_seed(0);
  ModelConfig config;
  config.arch = arch;
  auto model = value_or_throw(create_model(config));
  model->eval();
  PreprocessConfig pc;
  pc.input_size = input_size;

  std::vector<double> t_pre, t_fwd, t_cam, t_map, t_overlay, t_layer, t_total;
  std::size_t overlay_bytes = 0, layer_bytes = 0;
  for (int rep = 0; rep < 6; ++rep) {
    const auto t0 = Clock::now();
    auto prepared = value_or_throw(preprocess(film, pc));
    t_pre.push_back(ms_since(t0));

    auto t = Clock::now();
    {
      c10::InferenceMode inference;
      const auto x = torch::from_blob(prepared.pixels.data(), {1, 1, input_size, input_size}).clone();
      model->forward(x);
    }
    t_fwd.push_back(ms_since(t));

    t = Clock::now();
    const auto x = torch::from_blob(prepared.pixels.data(), {1, 1, input_size, input_size}).clone();
    const auto cams = value_or_throw(grad_cam(model, x));
    t_cam.push_back(ms_since(t));

    t = Clock::now();
    HeatMap low;
    low.height = static_cast<int>(cams.cam.size(1));
    low.width = static_cast<int>(cams.cam.size(2));
    low.values.assign(cams.cam.data_ptr<float>(), cams.cam.data_ptr<float>() + cams.cam.numel());
    const auto on_film = value_or_throw(map_to_film(low, prepared.geometry, input_size, film.rows(), film.columns()));
    t_map.push_back(ms_since(t));

    t = Clock::now();
    overlay_bytes = value_or_throw(overlay_png(film, on_film)).size();
    t_overlay.push_back(ms_since(t));
    t = Clock::now();
    layer_bytes = value_or_throw(heat_layer_png(on_film)).size();
    t_layer.push_back(ms_since(t));
    t_total.push_back(ms_since(t0));
  }
  // The first repetition warms oneDNN's kernels; the median ignores it.
  std::printf("%-9s %4d px | preprocess %6.1f | plain forward %7.1f | grad-cam %7.1f | map to film %5.1f | "
              "overlay png %5.1f (%zu KiB) | heat png %5.1f (%zu KiB) | total %7.1f ms (median of 6)\n",
              arch.c_str(), input_size, median(t_pre), median(t_fwd), median(t_cam), median(t_map),
              median(t_overlay), overlay_bytes / 1024, median(t_layer), layer_bytes / 1024, median(t_total));
}

TEST(GradCamTiming, DISABLED_RealFilmTwoThreads) {
  OSTEO_REQUIRE_SHARED_DATA(data);
  const auto path = (data / "dicom" / "RG2_JPLL.dcm").string();
  const auto film = read_radiograph(path);
  ASSERT_TRUE(film) << film.error().to_string();
  std::printf("film %dx%d (%s)\n", film->columns(), film->rows(), path.c_str());
  at::set_num_threads(2);
  time_arch(*film, "tiny", 128);
  time_arch(*film, "resnet18", 224);
}

}  // namespace
}  // namespace osteo::ml
