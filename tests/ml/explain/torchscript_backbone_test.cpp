// TorchScript backbones: a module scripted from C++ (always runs) and a torchvision ResNet-18
// exported by Python (runs when Debian's python3-torch and python3-torchvision are installed).
// Both must give a feature map and train through OsteoNet (the scripted module's own weights
// change); weights survive a checkpoint round trip.
#include "osteo/ml/models/torchscript_backbone.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include "osteo/ml/models/checkpoint.h"
#include "osteo/ml/models/registry.h"
#include "ml/torchscript_export.h"
#include "support/test_support.h"

namespace osteo::ml {
namespace {

using torchscript_test::python_with_torchvision;
using torchscript_test::save_scripted_module;
using torchscript_test::kExportScript;

// A forward + backward + one SGD step must change the model's output, and the change must come
// from the scripted module's weights (the head is frozen here).
void expect_trainable(OsteoNet& net, int size) {
  net->train();
  torch::manual_seed(1);
  const auto x = torch::rand({2, 1, size, size});
  net->head_module().who->weight.set_requires_grad(false);
  net->head_module().who->bias.set_requires_grad(false);
  net->head_module().t_score->weight.set_requires_grad(false);
  net->head_module().t_score->bias.set_requires_grad(false);
  torch::Tensor before_out;
  {
    torch::NoGradGuard no_grad;
    net->eval();
    before_out = net->forward(x).who_logits.clone();
    net->train();
  }
  std::vector<torch::Tensor> trainable;
  for (const auto& p : net->backbone().parameters()) {
    if (p.requires_grad()) trainable.push_back(p);
  }
  ASSERT_FALSE(trainable.empty());
  const auto before_w = trainable.front().clone();
  torch::optim::SGD opt(trainable, torch::optim::SGDOptions(0.5));
  const auto out = net->forward(x);
  (out.who_logits.pow(2).sum() + out.t_score.pow(2).sum()).backward();
  ASSERT_TRUE(trainable.front().grad().defined());
  EXPECT_GT(trainable.front().grad().abs().sum().item<double>(), 0.0);
  opt.step();
  EXPECT_FALSE(torch::equal(before_w, trainable.front()));
  torch::NoGradGuard no_grad;
  net->eval();
  EXPECT_FALSE(torch::allclose(before_out, net->forward(x).who_logits));
}

TEST(TorchScriptBackbone, ScriptedFromCppRepeatsGrayToRgbAndTrains) {
  test::TempDir dir;
  const auto path = dir.file("features.pt");
  save_scripted_module(path);

  ModelConfig config;
  config.arch = "ignored";
  config.num_covariates = 1;
  auto net = create_model_with_torchscript_backbone(config, path, 32);
  ASSERT_TRUE(net) << net.error().to_string();
  EXPECT_EQ((*net)->config().arch, kTorchScriptArch);
  EXPECT_EQ((*net)->feature_channels(), 16);
  EXPECT_EQ((*net)->backbone().out_channels(), 16);
  // The scripted parameters are registered: the optimiser and checkpoints see them.
  EXPECT_EQ(count_parameters((*net)->backbone()), 8 * 3 * 9 + 16 * 8 * 9);
  EXPECT_EQ((*net)->backbone_parameter_count(), 8 * 3 * 9 + 16 * 8 * 9);  // stem already RGB
  EXPECT_EQ((*net)->backbone().buffers().size(), 1u);

  (*net)->eval();
  torch::NoGradGuard no_grad;
  const auto features = (*net)->features(torch::rand({2, 1, 32, 32}));
  EXPECT_EQ(features.sizes(), (std::vector<int64_t>{2, 16, 8, 8}));
  // Gray repeated to RGB: identical to feeding the 3-channel image to the module directly.
  const auto gray = torch::rand({1, 1, 32, 32});
  auto module = torch::jit::load(path);
  const auto direct = module.forward({gray.repeat({1, 3, 1, 1})}).toTensor();
  EXPECT_TRUE(torch::allclose((*net)->features(gray), direct));
}

TEST(TorchScriptBackbone, OptimizerStepUpdatesTheScriptedWeights) {
  test::TempDir dir;
  const auto path = dir.file("features.pt");
  save_scripted_module(path);
  auto net = create_model_with_torchscript_backbone(ModelConfig{}, path, 32);
  ASSERT_TRUE(net) << net.error().to_string();
  expect_trainable(*net, 32);
}

TEST(TorchScriptBackbone, CheckpointRoundTripThroughLoadWeights) {
  test::TempDir dir;
  const auto path = dir.file("features.pt");
  save_scripted_module(path);
  auto a = create_model_with_torchscript_backbone(ModelConfig{}, path, 32);
  ASSERT_TRUE(a);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : (*a)->parameters()) p.add_(0.01);  // differ from the file
  }
  ASSERT_TRUE(save_model(*a, dir.file("model.ckpt")));
  auto b = create_model_with_torchscript_backbone(ModelConfig{}, path, 32);
  ASSERT_TRUE(b);
  const auto loaded = load_torchscript_weights(*b, dir.file("model.ckpt"));
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ(load_torchscript_weights(*b, dir.file("nope.ckpt")).error().code, ErrorCode::kFileNotFound);
  // A checkpoint of another model: names differ, the model is left as loaded.
  ModelConfig tiny;
  tiny.arch = "tiny";
  ASSERT_TRUE(save_model(value_or_throw(create_model(tiny)), dir.file("tiny.ckpt")));
  const auto wrong = load_torchscript_weights(*b, dir.file("tiny.ckpt"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(wrong.error().message.find("missing"), std::string::npos) << wrong.error().message;
  (*a)->eval();
  (*b)->eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::rand({1, 1, 32, 32});
  EXPECT_TRUE(torch::allclose((*a)->forward(x).who_logits, (*b)->forward(x).who_logits));
}

TEST(TorchScriptBackbone, BadFilesAreTypedErrors) {
  test::TempDir dir;
  const auto missing = create_model_with_torchscript_backbone(ModelConfig{}, dir.file("nope.pt"), 32);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);
  EXPECT_NE(missing.error().message.find("nope.pt"), std::string::npos);

  test::write_file(dir.file("garbage.pt"), "this is not a zip archive");
  const auto garbage = create_model_with_torchscript_backbone(ModelConfig{}, dir.file("garbage.pt"), 32);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(garbage.error().message.find("garbage.pt"), std::string::npos);

  // A module that returns a vector, not a feature map.
  torch::jit::Module flat("Flat");
  flat.register_parameter("w", torch::randn({4, 3, 3, 3}), false);
  flat.define(R"JIT(
def forward(self, x):
    return torch.conv2d(x, self.w).mean([2, 3])
)JIT");
  flat.save(dir.file("flat.pt"));
  const auto not_map = create_model_with_torchscript_backbone(ModelConfig{}, dir.file("flat.pt"), 32);
  ASSERT_FALSE(not_map);
  EXPECT_EQ(not_map.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(not_map.error().message.find("feature map"), std::string::npos) << not_map.error().message;

  // Too small an input for the declared size: LibTorch's text is carried.
  save_scripted_module(dir.file("features.pt"));
  torch::jit::Module big("Big");
  big.register_parameter("w", torch::randn({4, 3, 7, 7}), false);
  big.define(R"JIT(
def forward(self, x):
    return torch.conv2d(x, self.w)
)JIT");
  big.save(dir.file("big.pt"));
  const auto small = create_model_with_torchscript_backbone(ModelConfig{}, dir.file("big.pt"), 4);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().code, ErrorCode::kInvalidArgument);

  ModelConfig bad;
  bad.dropout = 1.0;
  EXPECT_EQ(create_model_with_torchscript_backbone(bad, dir.file("features.pt"), 32).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(TorchScriptBackbone, TorchvisionResnet18ExportedFromPython) {
  const auto python = python_with_torchvision();
  if (python.empty()) {
    GTEST_SKIP() << "python3 with torch and torchvision not found (apt-get install python3-torchvision): "
                    "Python export test skipped";
  }
  test::TempDir dir;
  test::write_file(dir.file("export.py"), kExportScript);
  const auto pt = dir.file("resnet18_features.pt");
  const auto r = test::run_command(python, {dir.file("export.py"), pt, "64"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  auto net = create_model_with_torchscript_backbone(ModelConfig{}, pt, 64);
  ASSERT_TRUE(net) << net.error().to_string();
  EXPECT_EQ((*net)->feature_channels(), 512);
  // torchvision's count without fc: the registry's reference for resnet18.
  EXPECT_EQ((*net)->backbone_parameter_count(), 11'176'512);
  {
    (*net)->eval();
    torch::NoGradGuard no_grad;
    EXPECT_EQ((*net)->features(torch::rand({1, 1, 64, 64})).sizes(), (std::vector<int64_t>{1, 512, 2, 2}));
  }
  expect_trainable(*net, 64);
}

}  // namespace
}  // namespace osteo::ml
