// Grad-CAM: shapes and ranges, one forward for outputs and map, eval-mode and grad-mode
// handling, the degenerate (all-zero) case, localisation on a briefly trained model, and the
// model-randomisation sanity check of Adebayo et al. (2018).
#include "osteo/ml/explain/gradcam.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "osteo/ml/models/checkpoint.h"
#include "osteo/ml/models/registry.h"

namespace osteo::ml {
namespace {

constexpr int kSize = 64;     // tiny has stride 16: a 4x4 cam
constexpr int kSquare = 16;   // side of the bright square, px

OsteoNet make_tiny(int64_t covariates = 0, uint64_t seed = 1) {
  torch::manual_seed(seed);
  ModelConfig config;
  config.arch = "tiny";
  config.num_covariates = covariates;
  config.dropout = 0.0;
  return value_or_throw(create_model(config));
}

struct Batch {
  torch::Tensor images;  // [N, 1, kSize, kSize]
  torch::Tensor labels;  // [N] 2 = square present, 0 = absent
  std::vector<std::array<int, 2>> corners;  // square's top-left (x, y), (-1, -1) if absent
};

// Noise background; class 2 images carry a bright square at a random place, class 0 none.
// The class depends on what is present, not where: a GAP head is (nearly) translation-invariant.
Batch make_batch(int n, std::mt19937& rng, bool all_positive = false) {
  Batch b;
  b.images = torch::empty({n, 1, kSize, kSize});
  b.labels = torch::empty({n}, torch::kLong);
  std::normal_distribution<float> noise(0.3f, 0.08f);
  std::uniform_int_distribution<int> pos(0, kSize - kSquare);
  auto acc = b.images.accessor<float, 4>();
  for (int i = 0; i < n; ++i) {
    for (int y = 0; y < kSize; ++y) {
      for (int x = 0; x < kSize; ++x) acc[i][0][y][x] = std::clamp(noise(rng), 0.0f, 1.0f);
    }
    const bool positive = all_positive || i % 2 == 0;
    b.labels[i] = positive ? 2 : 0;
    if (positive) {
      const int x0 = pos(rng), y0 = pos(rng);
      for (int y = y0; y < y0 + kSquare; ++y) {
        for (int x = x0; x < x0 + kSquare; ++x) acc[i][0][y][x] = 0.95f;
      }
      b.corners.push_back({x0, y0});
    } else {
      b.corners.push_back({-1, -1});
    }
  }
  return b;
}

// Pearson correlation of two equally sized maps (0 when either is constant).
double pearson(const torch::Tensor& a, const torch::Tensor& b) {
  const auto x = a.flatten().to(torch::kDouble), y = b.flatten().to(torch::kDouble);
  const auto xc = x - x.mean(), yc = y - y.mean();
  const double den = std::sqrt((xc * xc).sum().item<double>() * (yc * yc).sum().item<double>());
  return den > 0 ? (xc * yc).sum().item<double>() / den : 0.0;
}

// One tiny model trained for 60 Adam steps on the square task, shared by the tests below
// (about a second on two cores).
class TrainedTiny : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_ = new OsteoNet(make_tiny());
    std::mt19937 rng(7);
    torch::optim::Adam opt((*model_)->parameters(), torch::optim::AdamOptions(3e-3));
    (*model_)->train();
    for (int step = 0; step < 60; ++step) {
      const auto batch = make_batch(16, rng);
      opt.zero_grad();
      const auto out = (*model_)->forward(batch.images);
      torch::nn::functional::cross_entropy(out.who_logits, batch.labels).backward();
      opt.step();
    }
    (*model_)->eval();
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }
  static OsteoNet* model_;
};
OsteoNet* TrainedTiny::model_ = nullptr;

TEST(GradCam, ShapesRangesAndSameForwardOutputs) {
  auto model = make_tiny();
  model->eval();
  std::mt19937 rng(3);
  const auto batch = make_batch(3, rng);
  const auto cams = grad_cam(model, batch.images);
  ASSERT_TRUE(cams) << cams.error().to_string();
  EXPECT_EQ(cams->cam.sizes(), (std::vector<int64_t>{3, 4, 4}));
  EXPECT_EQ(cams->cam_input.sizes(), (std::vector<int64_t>{3, kSize, kSize}));
  EXPECT_EQ(cams->probabilities.sizes(), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(cams->t_score.sizes(), (std::vector<int64_t>{3}));
  EXPECT_GE(cams->cam.min().item<float>(), 0.0f);
  EXPECT_LE(cams->cam.max().item<float>(), 1.0f);
  EXPECT_GE(cams->cam_input.min().item<float>(), 0.0f);
  EXPECT_LE(cams->cam_input.max().item<float>(), 1.0f);
  for (int i = 0; i < 3; ++i) {
    if (!cams->degenerate[i].item<bool>()) {
      EXPECT_FLOAT_EQ(cams->cam[i].max().item<float>(), 1.0f);
    }
  }
  EXPECT_TRUE(torch::allclose(cams->probabilities.sum(1), torch::ones({3})));

  torch::NoGradGuard no_grad;
  const auto ref = model->forward(batch.images);
  EXPECT_TRUE(torch::allclose(cams->who_logits, ref.who_logits, 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(cams->t_score, ref.t_score, 1e-5, 1e-6));
  EXPECT_FALSE(cams->cam.requires_grad());
}

TEST(GradCam, BatchedEqualsOneByOne) {
  auto model = make_tiny();
  model->eval();
  std::mt19937 rng(4);
  const auto batch = make_batch(2, rng);
  const auto both = grad_cam(model, batch.images, std::nullopt, 1);
  ASSERT_TRUE(both);
  for (int i = 0; i < 2; ++i) {
    const auto one = grad_cam(model, batch.images.narrow(0, i, 1), std::nullopt, 1);
    ASSERT_TRUE(one);
    EXPECT_TRUE(torch::allclose(both->cam[i], one->cam[0], 1e-4, 1e-5));
  }
}

TEST(GradCam, RestoresTrainingModeAndLeavesBatchNormStatistics) {
  auto model = make_tiny();
  model->train();
  std::mt19937 rng(5);
  const auto batch = make_batch(2, rng);
  std::vector<torch::Tensor> before;
  for (const auto& b : model->buffers()) before.push_back(b.clone());
  ASSERT_TRUE(grad_cam(model, batch.images));
  EXPECT_TRUE(model->is_training());
  const auto after = model->buffers();
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) EXPECT_TRUE(torch::equal(before[i], after[i])) << i;
  // And no gradient leaks into the parameters (the optimiser's .grad stays untouched).
  for (const auto& p : model->parameters()) EXPECT_FALSE(p.grad().defined());
}

TEST(GradCam, WorksUnderInferenceModeAndNoGrad) {
  auto model = make_tiny();
  model->eval();
  std::mt19937 rng(6);
  const auto batch = make_batch(1, rng, true);
  const auto plain = grad_cam(model, batch.images);
  ASSERT_TRUE(plain);
  {
    c10::InferenceMode inference;
    const auto images = batch.images.clone();  // an inference tensor, as a server would have
    const auto cams = grad_cam(model, images);
    ASSERT_TRUE(cams) << cams.error().to_string();
    EXPECT_TRUE(torch::allclose(cams->cam, plain->cam));
  }
  {
    torch::NoGradGuard no_grad;
    const auto cams = grad_cam(model, batch.images);
    ASSERT_TRUE(cams) << cams.error().to_string();
    EXPECT_TRUE(torch::allclose(cams->cam, plain->cam));
  }
}

TEST(GradCam, ZeroGradientGivesAZeroMapFlaggedDegenerate) {
  auto model = make_tiny();
  model->eval();
  {
    torch::NoGradGuard no_grad;
    model->head_module().who->weight.zero_();  // d logit / d features = 0 everywhere
  }
  std::mt19937 rng(8);
  const auto cams = grad_cam(model, make_batch(2, rng).images);
  ASSERT_TRUE(cams) << cams.error().to_string();
  EXPECT_TRUE(cams->degenerate.all().item<bool>());
  EXPECT_EQ(cams->cam.abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(cams->cam_input.abs().sum().item<float>(), 0.0f);
  EXPECT_FALSE(torch::isnan(cams->cam).any().item<bool>());
  EXPECT_TRUE(torch::isfinite(cams->probabilities).all().item<bool>());
}

TEST(GradCam, CovariateModelAndBadArguments) {
  auto model = make_tiny(/*covariates=*/2);
  model->eval();
  std::mt19937 rng(9);
  const auto images = make_batch(2, rng).images;
  EXPECT_TRUE(grad_cam(model, images, torch::zeros({2, 2})));
  EXPECT_EQ(grad_cam(model, images).error().code, ErrorCode::kInvalidArgument);  // covariates missing
  EXPECT_EQ(grad_cam(model, images, torch::zeros({2, 2}), 3).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(grad_cam(model, images, torch::zeros({2, 2}), -1).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(grad_cam(model, torch::zeros({2, 3, 64, 64}), torch::zeros({2, 2})).error().code,
            ErrorCode::kInvalidArgument);  // wrong channels
  EXPECT_EQ(grad_cam(model, torch::zeros({64, 64})).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(TrainedTiny, LearnedTheTask) {
  std::mt19937 rng(11);
  const auto batch = make_batch(32, rng);
  torch::NoGradGuard no_grad;
  const auto predicted = (*model_)->forward(batch.images).who_logits.argmax(1);
  const double accuracy = predicted.eq(batch.labels).to(torch::kDouble).mean().item<double>();
  EXPECT_GE(accuracy, 0.9);
}

TEST_F(TrainedTiny, CamConcentratesOnTheSquare) {
  std::mt19937 rng(12);
  const auto batch = make_batch(8, rng, /*all_positive=*/true);
  const auto cams = grad_cam(*model_, batch.images);
  ASSERT_TRUE(cams);
  for (int i = 0; i < 8; ++i) {
    ASSERT_FALSE(cams->degenerate[i].item<bool>());
    const auto [x0, y0] = batch.corners[static_cast<std::size_t>(i)];
    const auto map = cams->cam_input[i];
    auto mask = torch::zeros({kSize, kSize}, torch::kBool);
    mask.narrow(0, y0, kSquare).narrow(1, x0, kSquare).fill_(true);
    const double in = map.masked_select(mask).mean().item<double>();
    const double out = map.masked_select(mask.logical_not()).mean().item<double>();
    // The square is 6 % of the image; a map that ignored it would give in ≈ out.
    EXPECT_GT(in, 2.0 * out) << "image " << i << ": inside " << in << ", outside " << out;
  }
}

TEST_F(TrainedTiny, RandomisedWeightsChangeTheMap) {
  // Adebayo et al. 2018: an explanation that survives randomising the weights explains the
  // image, not the model. Re-initialise every parameter (the architecture's own init, from a
  // fresh model) keeping the batch-norm statistics, and compare the maps.
  std::mt19937 rng(13);
  const auto batch = make_batch(8, rng, /*all_positive=*/true);
  const auto trained = grad_cam(*model_, batch.images);
  ASSERT_TRUE(trained);
  double sum_r = 0;
  int n = 0;
  for (uint64_t seed : {101, 102, 103, 104, 105}) {
    OsteoNet randomised = clone_model(*model_);
    const auto fresh = make_tiny(0, seed);
    {
      torch::NoGradGuard no_grad;
      const auto fresh_params = fresh->named_parameters();
      for (auto& p : randomised->named_parameters()) p.value().copy_(fresh_params[p.key()]);
    }
    randomised->eval();
    const auto cams = grad_cam(randomised, batch.images);
    ASSERT_TRUE(cams);
    for (int i = 0; i < 8; ++i) {
      sum_r += pearson(trained->cam_input[i], cams->cam_input[i]);
      ++n;
    }
  }
  const double mean_r = sum_r / n;
  // A random net's features still respond to a bright square, but the random head weighs them
  // with random signs, so its map is unrelated to the trained one on average. r² < 0.25 (the
  // maps share under a quarter of their variance) is "substantially different"; a map method
  // that ignored the weights (e.g. edge detection) would give r near 1.
  std::cout << "mean Pearson r trained vs randomised: " << mean_r << "\n";
  EXPECT_LT(mean_r, 0.5);
}

TEST(Explain, OneFilmEndToEnd) {
  auto model = make_tiny(/*covariates=*/1);
  model->eval();
  Radiograph film;
  film.meta.path = "synthetic";
  film.meta.rows = 200;
  film.meta.columns = 300;
  film.pixels.assign(200 * 300, 0.3f);
  for (int r = 80; r < 120; ++r) {
    for (int c = 150; c < 190; ++c) film.pixels[static_cast<std::size_t>(r) * 300 + c] = 0.9f;
  }
  PreprocessConfig config;
  config.input_size = kSize;
  config.roi = RoiMode::kBox;
  const auto prepared = preprocess(film, config, std::array<int, 4>{100, 40, 180, 140});
  ASSERT_TRUE(prepared) << prepared.error().to_string();
  const auto e = explain(model, *prepared, film.rows(), film.columns(), {0.5f});
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(e->cam.width, 4);
  EXPECT_EQ(e->cam_input.width, kSize);
  EXPECT_EQ(e->cam_film.width, 300);
  EXPECT_EQ(e->cam_film.height, 200);
  EXPECT_NEAR(e->probabilities[0] + e->probabilities[1] + e->probabilities[2], 1.0f, 1e-5f);
  EXPECT_EQ(e->target_class, kOsteoporosisClass);
  for (int r = 0; r < 200; ++r) {
    for (int c = 0; c < 300; ++c) {
      const bool in_roi = c >= 100 && c < 280 && r >= 40 && r < 180;
      if (!in_roi) {
        ASSERT_EQ(e->cam_film.at(r, c), 0.0f) << r << "," << c;
      }
    }
  }

  // The same forward as a plain prediction.
  const auto input = torch::from_blob(const_cast<float*>(prepared->pixels.data()), {1, 1, kSize, kSize}).clone();
  torch::NoGradGuard no_grad;
  const auto ref = torch::softmax(model->forward(input, torch::full({1, 1}, 0.5f)).who_logits, 1);
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(e->probabilities[static_cast<std::size_t>(c)], ref[0][c].item<float>(), 1e-5f);

  EXPECT_EQ(explain(model, *prepared, film.rows(), film.columns()).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(explain(model, *prepared, 10, 10, {0.5f}).error().code, ErrorCode::kInvalidArgument);  // ROI off film
}

}  // namespace
}  // namespace osteo::ml
