// Training on a TorchScript backbone (--backbone-torchscript): the checkpoint directory holds its
// own copy of the backbone, load_checkpoint rebuilds the model from it (even after the original
// file is gone) with predictions identical to the trained net's, a modified copy is refused, and
// --resume gives the same weights as an uninterrupted run. Once with a module scripted from C++
// (always), once with torchvision's ResNet-18 exported by Python (when python3-torch is present).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <torch/csrc/jit/runtime/graph_executor.h>

#include "ml/torchscript_export.h"
#include "ml/train/synthetic_bars.h"
#include "osteo/core/hash.h"
#include "osteo/ml/models/torchscript_backbone.h"
#include "osteo/ml/train/checkpoint_dir.h"
#include "osteo/ml/train/predict.h"
#include "osteo/ml/train/trainer.h"
#include "support/test_support.h"

namespace osteo::ml {
namespace {

using osteo::test::TempDir;
namespace fs = std::filesystem;

// Trains on `backbone` (which is then deleted), reloads the checkpoint and compares predictions.
void train_reload_and_compare(const std::string& backbone, const std::string& out, int size, int epochs,
                              int n_train = 24) {
  const auto data = test::make_bar_data(n_train, 9, size);
  auto options = test::tiny_options(out, size, epochs);
  options.backbone_torchscript = backbone;
  options.covariates = {"age", "bmi"};
  const auto source_hash = sha256_file(backbone);
  ASSERT_TRUE(source_hash);
  auto result = train_model(data, options);
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->card["arch"], kTorchScriptArch);
  EXPECT_EQ(result->card["backbone"]["file"], kTorchScriptBackboneFile);
  EXPECT_EQ(result->card["backbone"]["sha256"], *source_hash);
  ASSERT_TRUE(fs::is_regular_file(fs::path(out) / kTorchScriptBackboneFile));
  fs::remove(backbone);  // the checkpoint must not need the original file

  auto loaded = load_checkpoint(out);
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ(loaded->net->config().arch, kTorchScriptArch);
  std::vector<std::vector<float>> cov;
  for (const auto& s : data.val) cov.push_back(loaded->covariates.apply(s.covariates));
  const auto before = predict_prepared(result->net, data.val_images, cov);
  const auto after = predict_prepared(loaded->net, data.val_images, cov);
  ASSERT_EQ(before.size(), data.val.size());
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(before[i].p_osteoporosis, after[i].p_osteoporosis) << i;
    EXPECT_EQ(before[i].p_osteopenia, after[i].p_osteopenia) << i;
    EXPECT_EQ(before[i].t_score, after[i].t_score) << i;
  }
}

TEST(TorchScriptTraining, ScriptedBackboneCheckpointIsSelfContained) {
  TempDir dir;
  torchscript_test::save_scripted_module(dir.file("features.pt"));
  train_reload_and_compare(dir.file("features.pt"), dir.file("ckpt"), 32, 2);

  // A replaced backbone copy is refused like replaced weights.
  {
    std::ofstream f(dir.file("ckpt/") + kTorchScriptBackboneFile, std::ios::binary | std::ios::app);
    f << "tampered";
  }
  auto bad = load_checkpoint(dir.file("ckpt"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("modified"), std::string::npos) << bad.error().message;
  fs::remove(dir.file("ckpt/") + kTorchScriptBackboneFile);
  auto missing = load_checkpoint(dir.file("ckpt"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);
}

TEST(TorchScriptTraining, ResumeMatchesAnUninterruptedRun) {
  TempDir dir;
  torchscript_test::save_scripted_module(dir.file("features.pt"));
  const auto data = test::make_bar_data(24, 9, 32);
  auto options = test::tiny_options(dir.file("straight"), 32, 3);
  options.backbone_torchscript = dir.file("features.pt");
  auto straight = train_model(data, options);
  ASSERT_TRUE(straight) << straight.error().to_string();

  options.out_dir = dir.file("interrupted");
  options.stop_after_epochs = 1;
  ASSERT_TRUE(train_model(data, options));
  options.stop_after_epochs = 0;
  options.resume = true;
  auto rest = train_model(data, options);
  ASSERT_TRUE(rest) << rest.error().to_string();
  ASSERT_EQ(rest->log.size(), 3u);
  EXPECT_EQ(rest->best_epoch, straight->best_epoch);
  for (int e = 0; e < 3; ++e) EXPECT_EQ(rest->log[e].train_loss, straight->log[e].train_loss) << e;
  test::expect_same_weights(rest->net, straight->net);
  EXPECT_EQ(rest->card["weights_sha256"], straight->card["weights_sha256"]);

  // Resuming on another backbone is refused, and the checkpoint's copy is left alone.
  const auto copy = dir.file("interrupted/") + kTorchScriptBackboneFile;
  const auto copy_hash = sha256_file(copy);
  torchscript_test::save_scripted_module(dir.file("other.pt"));
  {
    torch::jit::Module other = torch::jit::load(dir.file("other.pt"));
    for (auto p : other.parameters()) {
      torch::NoGradGuard no_grad;
      p.mul_(2);
    }
    other.save(dir.file("other.pt"));
  }
  options.backbone_torchscript = dir.file("other.pt");
  auto mixed = train_model(data, options);
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(copy_hash);
  EXPECT_EQ(value_or_throw(sha256_file(copy)), *copy_hash);
}

TEST(TorchScriptTraining, TorchvisionResnet18FromPython) {
  const auto python = torchscript_test::python_with_torchvision();
  if (python.empty()) {
    GTEST_SKIP() << "python3 with torch and torchvision not found (apt-get install python3-torchvision): "
                    "training on a Python-exported backbone not tested";
  }
  TempDir dir;
  osteo::test::write_file(dir.file("export.py"), torchscript_test::kExportScript);
  const auto pt = dir.file("resnet18_features.pt");
  const auto r = osteo::test::run_command(python, {dir.file("export.py"), pt, "32"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // The JIT's profiling optimiser re-specialises the traced ResNet-18 during its first runs
  // (seconds per step here); this test is about checkpoints, not speed, so it is switched off.
  torch::jit::GraphOptimizerEnabledGuard no_opt(false);
  train_reload_and_compare(pt, dir.file("ckpt"), 32, 1, /*n_train=*/12);
}

}  // namespace
}  // namespace osteo::ml
