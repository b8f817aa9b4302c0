#include "osteo/ml/explain/gradcam.h"

#include <string>
#include <utility>

#include <torch/autograd.h>
#include <torch/nn/functional/upsampling.h>

#include "osteo/ml/explain/film_mapping.h"

namespace osteo::ml {
namespace {

// Puts a training-mode model in eval mode for one call. A model already in eval mode is not
// touched, so concurrent explanations with a shared eval-mode model never write to it.
class EvalModeScope {
 public:
  explicit EvalModeScope(OsteoNet& model) : model_(model), was_training_(model->is_training()) {
    if (was_training_) model_->eval();
  }
  ~EvalModeScope() {
    if (was_training_) model_->train();
  }
  EvalModeScope(const EvalModeScope&) = delete;
  EvalModeScope& operator=(const EvalModeScope&) = delete;

 private:
  OsteoNet& model_;
  bool was_training_;
};

HeatMap to_heat_map(const torch::Tensor& map2d) {
  const auto t = map2d.to(torch::kFloat).contiguous();
  HeatMap out;
  out.height = static_cast<int>(t.size(0));
  out.width = static_cast<int>(t.size(1));
  const float* data = t.data_ptr<float>();
  out.values.assign(data, data + t.numel());
  return out;
}

torch::Device model_device(OsteoNet& model) {
  for (const auto& p : model->parameters()) return p.device();
  return torch::kCPU;
}

}  // namespace

Result<GradCamTensors> grad_cam(OsteoNet& model, const torch::Tensor& images,
                                const std::optional<torch::Tensor>& covariates, int target_class) {
  if (target_class < 0 || target_class >= kNumWhoClasses) {
    return fail(ErrorCode::kInvalidArgument, "Grad-CAM target class must be in [0, " +
                                                 std::to_string(kNumWhoClasses - 1) + "], got " +
                                                 std::to_string(target_class));
  }
  if (!images.defined() || images.dim() != 4 || images.numel() == 0) {
    return fail(ErrorCode::kInvalidArgument, "Grad-CAM needs a non-empty image batch [N, C, H, W]");
  }
  try {
    // Callers may hold NoGradGuard or InferenceMode (a server's inference path): the head needs
    // a graph, so both are switched off here, for this scope only.
    c10::InferenceMode no_inference(false);
    torch::AutoGradMode grad_on(true);
    EvalModeScope eval_mode(model);

    const auto device = model_device(model);
    const auto x = images.to(device, torch::kFloat);
    std::optional<torch::Tensor> cov;
    if (covariates && covariates->defined()) cov = covariates->to(device, torch::kFloat);

    // The gradient is taken with respect to the feature map only, so the backbone needs no graph.
    torch::Tensor features;
    {
      torch::NoGradGuard no_grad;
      features = model->features(x);
    }
    features = features.detach().requires_grad_(true);
    const OsteoOutput out = model->head(features, cov);
    // Samples are independent in eval mode, so the gradient of the batch sum gives each image
    // the gradient of its own logit.
    const auto score = out.who_logits.select(1, target_class).sum();
    auto grads = torch::autograd::grad({score}, {features}, /*grad_outputs=*/{}, /*retain_graph=*/false,
                                       /*create_graph=*/false, /*allow_unused=*/true)[0];
    if (!grads.defined()) grads = torch::zeros_like(features);

    torch::NoGradGuard no_grad;
    const auto weights = grads.mean({2, 3}, /*keepdim=*/true);        // [N, C, 1, 1]
    auto cam = torch::relu((weights * features.detach()).sum(1));      // [N, h, w]
    cam = torch::nan_to_num(cam, 0.0, 0.0, 0.0);
    const auto peak = cam.amax({1, 2});                                // [N]
    // Below this the map is rounding noise, not evidence; 1e-12 is far below any real activation
    // product and far above denormals.
    const auto degenerate = peak <= 1e-12;
    const auto safe_peak = torch::where(degenerate, torch::ones_like(peak), peak);
    cam = (cam / safe_peak.view({-1, 1, 1})).masked_fill(degenerate.view({-1, 1, 1}), 0.0).clamp(0.0, 1.0);

    namespace F = torch::nn::functional;
    auto cam_input = F::interpolate(cam.unsqueeze(1), F::InterpolateFuncOptions()
                                                          .size(std::vector<int64_t>{x.size(2), x.size(3)})
                                                          .mode(torch::kBilinear)
                                                          .align_corners(false))
                         .squeeze(1)
                         .clamp(0.0, 1.0);

    GradCamTensors result;
    result.cam = cam.cpu();
    result.cam_input = cam_input.cpu();
    result.degenerate = degenerate.cpu();
    result.who_logits = out.who_logits.detach().cpu();
    result.probabilities = torch::softmax(result.who_logits, 1);
    result.t_score = out.t_score.detach().cpu();
    return result;
  } catch (const OsteoError& e) {
    return tl::unexpected(e.error());
  } catch (const c10::Error& e) {
    return fail(ErrorCode::kInternal, std::string("Grad-CAM failed: ") + e.what_without_backtrace());
  }
}

Result<Explanation> explain(OsteoNet& model, const PreparedImage& image, int film_rows, int film_columns,
                            const std::vector<float>& covariates, const GradCamOptions& options) {
  if (image.size <= 0 || image.pixels.size() != static_cast<std::size_t>(image.size) * image.size) {
    return fail(ErrorCode::kInvalidArgument, "explain: the prepared image is empty or inconsistent");
  }
  const int64_t channels = model->config().in_channels;
  const int64_t num_cov = model->config().num_covariates;
  if (static_cast<int64_t>(covariates.size()) != num_cov) {
    return fail(ErrorCode::kInvalidArgument, "explain: the model expects " + std::to_string(num_cov) +
                                                 " covariates, got " + std::to_string(covariates.size()));
  }
  // from_blob does not own the pixels: clone/repeat copy them into a tensor that does.
  const auto gray = torch::from_blob(const_cast<float*>(image.pixels.data()), {1, 1, image.size, image.size},
                                     torch::kFloat);
  const auto input = channels == 1 ? gray.clone() : gray.repeat({1, channels, 1, 1});
  std::optional<torch::Tensor> cov;
  if (num_cov > 0) {
    cov = torch::from_blob(const_cast<float*>(covariates.data()), {1, num_cov}, torch::kFloat).clone();
  }

  auto cams = grad_cam(model, input, cov, options.target_class);
  if (!cams) return tl::unexpected(cams.error());

  Explanation out;
  const auto probs = cams->probabilities[0];
  for (int c = 0; c < kNumWhoClasses; ++c) out.probabilities[static_cast<std::size_t>(c)] = probs[c].item<float>();
  out.predicted_class = static_cast<int>(probs.argmax().item<int64_t>());
  out.t_score = cams->t_score[0].item<float>();
  out.target_class = options.target_class;
  out.degenerate = cams->degenerate[0].item<bool>();
  out.cam = to_heat_map(cams->cam[0]);
  out.cam_input = to_heat_map(cams->cam_input[0]);
  auto film = map_to_film(out.cam, image.geometry, image.size, film_rows, film_columns);
  if (!film) return tl::unexpected(film.error());
  out.cam_film = std::move(*film);
  return out;
}

}  // namespace osteo::ml
