#include "osteo/ml/train/predict.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <mutex>

#include "osteo/core/parallel.h"
#include "osteo/ml/train/checkpoint_dir.h"
#include "osteo/ml/train/opencv_threads.h"

namespace osteo::ml {

std::vector<Prediction> predict_prepared(OsteoNet& net, const PreparedSet& images,
                                         const std::vector<std::vector<float>>& covariates,
                                         const PredictOptions& options) {
  const auto n = images.count();
  const int64_t ncov = net->config().num_covariates;
  if (ncov > 0 && covariates.size() != n) {
    throw OsteoError(ErrorCode::kInvalidArgument, "predict: " + std::to_string(covariates.size()) +
                                                      " covariate vectors for " + std::to_string(n) + " images");
  }
  if (options.threads > 0) at::set_num_threads(static_cast<int>(options.threads));
  net->eval();
  torch::NoGradGuard no_grad;
  std::vector<Prediction> out(n);
  const std::size_t batch = static_cast<std::size_t>(std::max(1, options.batch_size));
  const int64_t s = images.size;
  for (std::size_t start = 0; start < n; start += batch) {
    const std::size_t b = std::min(batch, n - start);
    auto x = torch::from_blob(const_cast<float*>(images.image(start)), {static_cast<int64_t>(b), 1, s, s},
                              torch::kFloat32);
    std::optional<torch::Tensor> cov;
    if (ncov > 0) {
      auto c = torch::empty({static_cast<int64_t>(b), ncov}, torch::kFloat32);
      auto* p = c.data_ptr<float>();
      for (std::size_t i = 0; i < b; ++i) {
        const auto& v = covariates[start + i];
        if (static_cast<int64_t>(v.size()) != ncov) {
          throw OsteoError(ErrorCode::kInvalidArgument, "predict: covariate vector of length " +
                                                            std::to_string(v.size()) + ", the model needs " +
                                                            std::to_string(ncov));
        }
        std::copy(v.begin(), v.end(), p + i * ncov);
      }
      cov = c;
    }
    const auto output = net->forward(x, cov);
    const auto probs = torch::softmax(output.who_logits, 1).to(torch::kFloat64).contiguous();
    const auto t = output.t_score.to(torch::kFloat64).contiguous();
    const double* pp = probs.data_ptr<double>();
    const double* tp = t.data_ptr<double>();
    for (std::size_t i = 0; i < b; ++i) {
      auto& r = out[start + i];
      r.p_normal = pp[i * 3];
      r.p_osteopenia = pp[i * 3 + 1];
      r.p_osteoporosis = pp[i * 3 + 2];
      r.t_score = tp[i];
    }
  }
  return out;
}

Result<std::vector<Prediction>> predict(Checkpoint& checkpoint, const std::vector<PredictInput>& inputs,
                                        const PredictOptions& options) {
  PreparedSet set;
  set.size = checkpoint.preprocess.input_size;
  set.pixels.assign(inputs.size() * static_cast<std::size_t>(set.size) * set.size, 0.0f);
  std::mutex mutex;
  std::optional<std::pair<std::size_t, Error>> first_error;
  const SingleThreadedOpenCv opencv_single_threaded;
  parallel_for(inputs.size(), options.threads, [&](std::size_t i) {
    const auto& input = inputs[i];
    Result<PreparedImage> prepared = input.image ? preprocess(*input.image, checkpoint.preprocess, input.roi)
                                                 : Result<PreparedImage>(fail(ErrorCode::kInvalidArgument,
                                                                              "predict: input " + std::to_string(i) +
                                                                                  " has no image"));
    if (!prepared) {
      std::lock_guard<std::mutex> lock(mutex);
      const std::string name = input.image ? input.image->meta.path : "input " + std::to_string(i);
      if (!first_error || i < first_error->first) {
        first_error = std::make_pair(i, Error{prepared.error().code, name + ": " + prepared.error().message});
      }
      return;
    }
    std::copy(prepared->pixels.begin(), prepared->pixels.end(), set.image(i));
  });
  if (first_error) return tl::unexpected(first_error->second);
  std::vector<std::vector<float>> cov;
  if (checkpoint.covariates.size() > 0) {
    for (const auto& input : inputs) cov.push_back(checkpoint.covariates.apply(input.covariates));
  }
  return predict_prepared(checkpoint.net, set, cov, options);
}

Result<std::vector<Prediction>> predict_samples(Checkpoint& checkpoint, const std::vector<TrainSample>& samples,
                                                const PredictOptions& options) {
  auto set = prepare_samples(samples, checkpoint.preprocess, options.threads, options.progress);
  if (!set) return tl::unexpected(set.error());
  std::vector<std::vector<float>> cov;
  if (checkpoint.covariates.size() > 0) {
    for (const auto& s : samples) cov.push_back(checkpoint.covariates.apply(s.covariates));
  }
  return predict_prepared(checkpoint.net, *set, cov, options);
}

nlohmann::json to_json(const Prediction& p) {
  return {{"p_normal", p.p_normal},
          {"p_osteopenia", p.p_osteopenia},
          {"p_osteoporosis", p.p_osteoporosis},
          {"p_low_bmd", p.p_low_bmd()},
          {"t_score", p.t_score}};
}

}  // namespace osteo::ml
