// Checkpoints: save/load round trips reproduce outputs bit for bit (BN statistics included),
// mismatches are typed errors that leave the target untouched, and clone_model() deep-copies.
#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "osteo/ml/models/checkpoint.h"
#include "osteo/ml/models/registry.h"
#include "support/test_support.h"

namespace osteo::ml {
namespace {

OsteoNet build(const std::string& arch, int64_t num_covariates = 0, int64_t in_channels = 1) {
  ModelConfig config;
  config.arch = arch;
  config.num_covariates = num_covariates;
  config.in_channels = in_channels;
  config.dropout = 0.3;
  return value_or_throw(create_model(config));
}

// Moves the weights and BN running statistics away from their initial values, so a
// round trip that silently kept a fresh model's state would be caught.
void perturb(OsteoNet& net) {
  net->train();
  torch::NoGradGuard no_grad;
  const int64_t k = net->config().num_covariates;
  for (int i = 0; i < 3; ++i) {
    auto cov = k > 0 ? std::optional<torch::Tensor>(torch::randn({2, k})) : std::nullopt;
    net->forward(torch::randn({2, net->config().in_channels, 64, 64}) * 3 + 1, cov);
  }
  for (auto& p : net->parameters()) p.add_(torch::randn_like(p) * 0.01);
}

OsteoOutput run(OsteoNet& net, const torch::Tensor& x) {
  net->eval();
  torch::NoGradGuard no_grad;
  const int64_t k = net->config().num_covariates;
  auto cov = k > 0 ? std::optional<torch::Tensor>(torch::linspace(0, 1, 2 * k).reshape({2, k})) : std::nullopt;
  return net->forward(x, cov);
}

void expect_same_outputs(OsteoNet& a, OsteoNet& b) {
  auto x = torch::randn({2, a->config().in_channels, 64, 64});
  auto oa = run(a, x);
  auto ob = run(b, x);
  EXPECT_TRUE(torch::equal(oa.who_logits, ob.who_logits));
  EXPECT_TRUE(torch::equal(oa.t_score, ob.t_score));
}

class CheckpointTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { at::set_num_threads(1); }  // see model_zoo_test.cpp
  test::TempDir dir_;
};

TEST_P(CheckpointTest, SaveLoadRoundTripGivesIdenticalOutputs) {
  torch::manual_seed(11);
  OsteoNet net = build(GetParam(), /*num_covariates=*/2);
  perturb(net);
  const auto path = dir_.file("model.pt");
  ASSERT_TRUE(save_model(net, path)) << path;

  auto loaded = load_model(path);
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ((*loaded)->config().arch, GetParam());
  EXPECT_EQ((*loaded)->config().num_covariates, 2);
  EXPECT_DOUBLE_EQ((*loaded)->config().dropout, 0.3);
  expect_same_outputs(net, *loaded);

  OsteoNet fresh = build(GetParam(), 2);
  ASSERT_TRUE(load_weights(fresh, path));
  expect_same_outputs(net, fresh);
}

INSTANTIATE_TEST_SUITE_P(SmallAndSE, CheckpointTest, ::testing::Values("tiny", "mobilenet_v3_large"),
                         [](const auto& info) { return info.param; });

TEST(Checkpoint, LoadWeightsRejectsAnotherArchitectureAndKeepsTheTarget) {
  at::set_num_threads(1);
  test::TempDir dir;
  const auto path = dir.file("tiny.pt");
  ASSERT_TRUE(save_model(build("tiny"), path));

  OsteoNet other = build("tiny", /*num_covariates=*/3);
  OsteoNet before = clone_model(other);
  auto status = load_weights(other, path);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message.find(path), std::string::npos);
  expect_same_outputs(other, before);
}

TEST(Checkpoint, MissingAndForeignFilesAreTypedErrors) {
  test::TempDir dir;
  auto missing = load_model(dir.file("nope.pt"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);

  test::write_file(dir.file("garbage.pt"), "this is not a zip archive");
  auto garbage = load_model(dir.file("garbage.pt"));
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(garbage.error().message.find("garbage.pt"), std::string::npos);

  // A valid LibTorch archive that is not ours (plain module weights, no config record).
  torch::save(torch::nn::Linear(2, 2), dir.file("linear.pt"));
  auto foreign = load_model(dir.file("linear.pt"));
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kInvalidArgument);

  auto unwritable = save_model(build("tiny"), dir.file("no/such/dir/model.pt"));
  ASSERT_FALSE(unwritable);
  EXPECT_EQ(unwritable.error().code, ErrorCode::kIoError);
}

TEST(Checkpoint, TensorShapeMismatchIsDetected) {
  // Weights of a 3-channel model under a record claiming 1 channel: the stem has the wrong shape.
  test::TempDir dir;
  OsteoNet rgb = build("tiny", 0, /*in_channels=*/3);
  torch::serialize::OutputArchive archive;
  rgb->save(archive);
  torch::serialize::OutputArchive meta;
  meta.write("format_version", c10::IValue(int64_t{1}));
  meta.write("arch", c10::IValue(std::string("tiny")));
  meta.write("in_channels", c10::IValue(int64_t{1}));
  meta.write("num_covariates", c10::IValue(int64_t{0}));
  meta.write("dropout", c10::IValue(0.2));
  archive.write("osteo_meta", meta);
  archive.save_to(dir.file("lying.pt"));

  auto loaded = load_model(dir.file("lying.pt"));
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(loaded.error().message.find("shape"), std::string::npos) << loaded.error().message;
}

TEST(Checkpoint, CloneIsIndependentWhileAssignmentAliases) {
  torch::manual_seed(2);
  OsteoNet net = build("tiny");
  perturb(net);
  OsteoNet alias = net;  // a shared handle: same module
  OsteoNet copy = clone_model(net);
  EXPECT_EQ(alias.get(), net.get());
  EXPECT_NE(copy.get(), net.get());
  expect_same_outputs(net, copy);

  const auto before = net->backbone().stem_conv()->weight.clone();
  {
    torch::NoGradGuard no_grad;
    for (auto& p : copy->parameters()) p.mul_(0.5);
  }
  EXPECT_TRUE(torch::equal(net->backbone().stem_conv()->weight, before));
  {
    torch::NoGradGuard no_grad;
    for (auto& p : alias->parameters()) p.mul_(0.5);
  }
  EXPECT_FALSE(torch::equal(net->backbone().stem_conv()->weight, before));
}

}  // namespace
}  // namespace osteo::ml
