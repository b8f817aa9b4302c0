#include "osteo/serve/screening_engine.h"

#include <torch/torch.h>

#include <chrono>
#include <filesystem>

#include "osteo/ml/explain/gradcam.h"
#include "osteo/ml/explain/overlay.h"
#include "osteo/ml/train/checkpoint_dir.h"
#include "osteo/preprocess/preprocess.h"

namespace osteo::serve {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

std::string to_string(const std::vector<std::uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }

ModelInfo info_of(const ml::Checkpoint& cp) {
  ModelInfo m;
  const auto& card = cp.card;
  m.name = std::filesystem::path(cp.dir).lexically_normal().filename().string();
  if (m.name.empty()) m.name = std::filesystem::path(cp.dir).lexically_normal().parent_path().filename().string();
  m.version = card.contains("software") ? card["software"].value("version", std::string()) : std::string();
  m.sha256 = card.value("weights_sha256", std::string());
  m.arch = card.value("arch", std::string());
  m.input_size = cp.preprocess.input_size;
  m.covariates = cp.covariates.names;
  m.threshold = cp.threshold;
  m.validation = card.value("validation", nlohmann::json::object());
  if (m.validation.contains("t_score_rmse") && m.validation["t_score_rmse"].is_number()) {
    m.t_residual_sd = m.validation["t_score_rmse"].get<double>();
  }
  m.card = card;
  const auto report = std::filesystem::path(cp.dir) / "evaluation_report.html";
  std::error_code ec;
  if (std::filesystem::is_regular_file(report, ec)) m.report_path = report.string();
  return m;
}

ml::CovariateValues covariate_values(const screening::ScreeningInputs& in) {
  ml::CovariateValues v;
  v.age = in.age_years;
  if (in.sex == "F") v.sex_female = 1.0;
  if (in.sex == "M") v.sex_female = 0.0;
  v.bmi = in.bmi();
  return v;
}

}  // namespace

struct ScreeningEngine::Impl {
  std::vector<ml::Checkpoint> replicas;
  EngineOptions options;
};

ScreeningEngine::~ScreeningEngine() = default;

int ScreeningEngine::replicas() const { return static_cast<int>(impl_->replicas.size()); }

Result<std::unique_ptr<ScreeningEngine>> ScreeningEngine::load(const std::string& dir, const EngineOptions& options) {
  std::unique_ptr<ScreeningEngine> engine(new ScreeningEngine());
  engine->impl_ = std::make_unique<Impl>();
  engine->impl_->options = options;
  // Process-wide: every replica shares LibTorch's intra-op pool.
  torch::set_num_threads(static_cast<int>(std::max(1u, options.torch_threads)));
  for (int i = 0; i < std::max(1, options.replicas); ++i) {
    auto cp = ml::load_checkpoint(dir);
    if (!cp) return tl::unexpected(cp.error());
    engine->impl_->replicas.push_back(std::move(*cp));
  }
  engine->info_ = info_of(engine->impl_->replicas.front());
  return engine;
}

Result<EngineOutput> ScreeningEngine::screen(int replica, const Radiograph& film,
                                             const screening::ScreeningInputs& inputs) const {
  if (replica < 0 || replica >= replicas()) return fail(ErrorCode::kInternal, "screen: no replica " + std::to_string(replica));
  auto& cp = impl_->replicas[static_cast<std::size_t>(replica)];
  EngineOutput out;
  auto t = Clock::now();
  auto prepared = preprocess(film, cp.preprocess);
  if (!prepared) return fail(ErrorCode::kUnsupportedImage, film.meta.path + ": " + prepared.error().message);
  const auto covariates = cp.covariates.size() > 0 ? cp.covariates.apply(covariate_values(inputs)) : std::vector<float>{};
  out.preprocess_ms = ms_since(t);

  t = Clock::now();
  // One forward pass gives the answer and the Grad-CAM map (gradcam.h); its cost is the
  // inference time. Mapping to the film and drawing the pictures is the Grad-CAM time.
  ml::GradCamOptions gopt;
  auto explanation = [&]() -> Result<ml::Explanation> {
    try {
      return ml::explain(cp.net, *prepared, film.rows(), film.columns(), covariates, gopt);
    } catch (const c10::Error& e) {
      return fail(ErrorCode::kInternal, std::string("inference failed: ") + e.what_without_backtrace());
    }
  }();
  if (!explanation) return tl::unexpected(explanation.error());
  out.inference_ms = ms_since(t);
  for (int c = 0; c < 3; ++c) out.answer.probabilities[c] = explanation->probabilities[static_cast<std::size_t>(c)];
  out.answer.t_score = explanation->t_score;
  out.heat_degenerate = explanation->degenerate;

  t = Clock::now();
  auto film_rgb = ml::render_film(film, impl_->options.max_side);
  if (!film_rgb) return tl::unexpected(film_rgb.error());
  auto film_png = ml::encode_png(*film_rgb);
  if (!film_png) return tl::unexpected(film_png.error());
  ml::OverlayOptions layer;
  layer.max_side = impl_->options.max_side;  // the same downscaling as the film picture
  auto heat_png = ml::heat_layer_png(explanation->cam_film, layer);
  if (!heat_png) return tl::unexpected(heat_png.error());
  out.image_png = to_string(*film_png);
  out.heatmap_png = to_string(*heat_png);
  out.gradcam_ms = ms_since(t);
  return out;
}

}  // namespace osteo::serve
