#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "ml/train/synthetic_bars.h"
#include "osteo/eval/roc.h"
#include "osteo/ml/train/checkpoint_dir.h"
#include "osteo/ml/train/predict.h"
#include "osteo/ml/train/trainer.h"
#include "support/test_support.h"

namespace osteo::ml {
namespace {

using osteo::test::TempDir;
namespace fs = std::filesystem;

std::vector<double> p_osteoporosis(const std::vector<Prediction>& p) {
  std::vector<double> out;
  for (const auto& x : p) out.push_back(x.p_osteoporosis);
  return out;
}

TEST(ClassWeights, AreInverseFrequencyNormalised) {
  std::vector<TrainSample> s(6);
  s[0].category = s[1].category = s[2].category = WhoCategory::kNormal;  // 3
  s[3].category = s[4].category = WhoCategory::kOsteopenia;              // 2
  s[5].category = WhoCategory::kOsteoporosis;                            // 1
  const auto w = class_weights(s);
  EXPECT_DOUBLE_EQ(w[0], 6.0 / (3 * 3));
  EXPECT_DOUBLE_EQ(w[1], 6.0 / (3 * 2));
  EXPECT_DOUBLE_EQ(w[2], 6.0 / (3 * 1));
  s.pop_back();  // osteoporosis absent: weight 0, the others over K = 2
  const auto w2 = class_weights(s);
  EXPECT_DOUBLE_EQ(w2[0], 5.0 / (2 * 3));
  EXPECT_DOUBLE_EQ(w2[2], 0.0);
}

TEST(Train, TinyModelLearnsBarThickness) {
  TempDir dir;
  const auto data = test::make_bar_data(96, 48, 48);
  auto options = test::tiny_options(dir.file("ckpt"), 48, 5);
  auto result = train_model(data, options);
  ASSERT_TRUE(result) << result.error().to_string();
  ASSERT_EQ(result->log.size(), 5u);
  const double auroc = result->card["validation"]["auroc_osteoporosis"].get<double>();
  EXPECT_GE(auroc, 0.85);
  EXPECT_LT(result->log.back().train_loss, result->log.front().train_loss);
  // The card describes the run.
  const auto& card = result->card;
  EXPECT_EQ(card["arch"], "tiny");
  EXPECT_EQ(card["input_size"], 48);
  EXPECT_EQ(card["validation"]["n"], 48);
  EXPECT_EQ(card["validation"]["n_osteoporosis"], 16);
  EXPECT_TRUE(card["operating_threshold"]["threshold"].is_number());
  EXPECT_GE(card["operating_threshold"]["achieved_sensitivity"].get<double>(), 0.90);
  EXPECT_EQ(card["weights_sha256"].get<std::string>().size(), 64u);
  EXPECT_TRUE(fs::is_regular_file(dir.file("ckpt/training_log.json")));
}

TEST(Checkpoint, RoundTripGivesIdenticalPredictionsAndRebuildsPreprocessing) {
  TempDir dir;
  const auto data = test::make_bar_data(30, 15, 32);
  auto options = test::tiny_options(dir.file("ckpt"), 32, 2);
  options.covariates = {"age", "sex", "bmi"};
  options.preprocess.low_percentile = 2.0;  // a non-default, to see it come back
  auto result = train_model(data, options);
  ASSERT_TRUE(result) << result.error().to_string();

  std::vector<std::vector<float>> cov;
  auto loaded = load_checkpoint(dir.file("ckpt"));
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  for (const auto& s : data.val) cov.push_back(loaded->covariates.apply(s.covariates));
  const auto before = predict_prepared(result->net, data.val_images, cov);
  const auto after = predict_prepared(loaded->net, data.val_images, cov);
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(before[i].p_osteoporosis, after[i].p_osteoporosis);
    EXPECT_EQ(before[i].t_score, after[i].t_score);
    EXPECT_NEAR(before[i].p_normal + before[i].p_osteopenia + before[i].p_osteoporosis, 1.0, 1e-6);
  }
  EXPECT_EQ(loaded->preprocess.to_json(), options.preprocess.to_json());
  EXPECT_EQ(loaded->covariates.names, options.covariates);
  EXPECT_EQ(loaded->net->config().num_covariates, 3);
  // The card's validation AUROC is what the loaded model gives on the same images.
  std::vector<int> labels;
  for (const auto& s : data.val) labels.push_back(s.category == WhoCategory::kOsteoporosis);
  EXPECT_NEAR(eval::auroc(p_osteoporosis(after), labels),
              loaded->card["validation"]["auroc_osteoporosis"].get<double>(), 1e-12);

  // predict() on radiographs goes through the stored preprocessing.
  Radiograph r;
  r.meta.path = "mem";
  r.meta.rows = r.meta.columns = 32;
  r.pixels.assign(data.val_images.image(0), data.val_images.image(0) + 32 * 32);
  PredictInput in{&r, std::nullopt, data.val[0].covariates};
  auto p = predict(*loaded, {in});
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->size(), 1u);
  EXPECT_NEAR((*p)[0].p_low_bmd(), (*p)[0].p_osteopenia + (*p)[0].p_osteoporosis, 1e-12);
}

TEST(Checkpoint, WeightsHashCatchesAModifiedFile) {
  TempDir dir;
  const auto data = test::make_bar_data(12, 6, 32);
  auto result = train_model(data, test::tiny_options(dir.file("ckpt"), 32, 1));
  ASSERT_TRUE(result) << result.error().to_string();
  ASSERT_TRUE(load_checkpoint(dir.file("ckpt")));
  {
    std::fstream f(dir.file("ckpt/model.pt"), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    char c = 0;
    f.read(&c, 1);
    f.seekp(200);
    c = static_cast<char>(c ^ 0x5A);
    f.write(&c, 1);
  }
  auto bad = load_checkpoint(dir.file("ckpt"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("modified"), std::string::npos) << bad.error().message;

  fs::remove(dir.file("ckpt/model.pt"));
  auto missing = load_checkpoint(dir.file("ckpt"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);
  EXPECT_EQ(load_checkpoint(dir.file("nowhere")).error().code, ErrorCode::kFileNotFound);
}

TEST(Train, SameSeedGivesIdenticalWeightsAndLoss) {
  TempDir dir;
  const auto data = test::make_bar_data(24, 9, 32);
  auto options = test::tiny_options(dir.file("a"), 32, 1);
  options.augment = AugmentConfig{};  // the default augmentation, flips included
  options.augment.flip_probability = 0.5;
  auto a = train_model(data, options);
  options.out_dir = dir.file("b");
  auto b = train_model(data, options);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->log[0].train_loss, b->log[0].train_loss);
  EXPECT_EQ(a->card["weights_sha256"], b->card["weights_sha256"]);
  test::expect_same_weights(a->net, b->net);

  options.out_dir = dir.file("c");
  options.seed = 12;
  auto c = train_model(data, options);
  ASSERT_TRUE(c);
  EXPECT_NE(a->log[0].train_loss, c->log[0].train_loss);
}

TEST(Train, ResumeContinuesWhereItLeftOff) {
  TempDir dir;
  const auto data = test::make_bar_data(24, 9, 32);
  auto options = test::tiny_options(dir.file("straight"), 32, 3);
  auto straight = train_model(data, options);
  ASSERT_TRUE(straight) << straight.error().to_string();

  options.out_dir = dir.file("interrupted");
  options.stop_after_epochs = 1;
  auto first = train_model(data, options);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->log.size(), 1u);
  EXPECT_FALSE(first->card["training"]["complete"].get<bool>());
  options.stop_after_epochs = 0;
  options.resume = true;
  auto rest = train_model(data, options);
  ASSERT_TRUE(rest) << rest.error().to_string();
  ASSERT_EQ(rest->log.size(), 3u);
  for (int e = 0; e < 3; ++e) {
    EXPECT_EQ(rest->log[e].train_loss, straight->log[e].train_loss) << "epoch " << e + 1;
    EXPECT_EQ(rest->log[e].lr, straight->log[e].lr) << "epoch " << e + 1;
  }
  EXPECT_EQ(rest->best_epoch, straight->best_epoch);
  test::expect_same_weights(rest->net, straight->net);

  // Resuming with other options is refused, not silently mixed.
  options.lr *= 2;
  auto mixed = train_model(data, options);
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().code, ErrorCode::kInvalidArgument);
}

TEST(Train, RejectsBadOptionsAndMismatchedImages) {
  TempDir dir;
  const auto data = test::make_bar_data(6, 3, 32);
  auto options = test::tiny_options(dir.file("x"), 32, 1);
  options.arch = "nonexistent";
  EXPECT_EQ(train_model(data, options).error().code, ErrorCode::kInvalidArgument);
  options = test::tiny_options(dir.file("x"), 48, 1);  // images are 32²
  EXPECT_EQ(train_model(data, options).error().code, ErrorCode::kInvalidArgument);
  options = test::tiny_options(dir.file("x"), 32, 1);
  options.resume = true;  // nothing to resume
  EXPECT_EQ(train_model(data, options).error().code, ErrorCode::kInvalidArgument);
}

// End to end from a knee-format manifest of PNG files: ingest → split → preprocess → train.
TEST(Train, FromManifestRecordsSourceAndSplits) {
  TempDir dir;
  TrainData bars = test::make_bar_data(30, 0, 40);
  fs::create_directories(dir.path() / "images");
  std::ofstream csv(dir.file("labels.csv"));
  csv << "image,patient_id,sex,age,bmi,t_score\n";
  for (std::size_t i = 0; i < bars.train.size(); ++i) {
    cv::Mat m(40, 40, CV_8UC1);
    for (int p = 0; p < 40 * 40; ++p) m.data[p] = static_cast<uchar>(bars.train_images.image(i)[p] * 255);
    const std::string name = "images/" + bars.train[i].patient_id + ".png";
    ASSERT_TRUE(cv::imwrite(dir.file(name), m));
    csv << name << "," << bars.train[i].patient_id << "," << (i % 2 ? "female" : "male") << ",6" << i % 10
        << ",2" << i % 7 << "," << bars.train[i].t_score << "\n";
  }
  csv.close();
  DataSource source;
  source.manifest = dir.file("labels.csv");
  auto options = test::tiny_options(dir.file("ckpt"), 40, 1);
  options.covariates = {"age", "sex", "bmi"};
  auto result = train_from_source(source, options);
  ASSERT_TRUE(result) << result.error().to_string();
  const auto& data = result->card["data"];
  EXPECT_EQ(data["source"]["kind"], "manifest");
  EXPECT_EQ(data["source"]["sha256"].get<std::string>().size(), 64u);
  const auto& counts = data["split_counts"];
  EXPECT_EQ(counts["train"]["images"].get<int>() + counts["val"]["images"].get<int>() +
                counts["test"]["images"].get<int>(),
            30);
  EXPECT_EQ(result->card["covariates"]["covariates"].size(), 3u);
}

}  // namespace
}  // namespace osteo::ml
