#pragma once
// TorchScript backbones for the tests: a module scripted from C++ (always available) and the
// export script of docs/torchscript.md run with Debian's python3-torch/torchvision (when present).
#include <string>

#include <torch/script.h>
#include <torch/torch.h>

#include "support/test_support.h"

namespace osteo::ml::torchscript_test {

// Two stride-2 convolutions taking RGB, with a buffer: the smallest "ImageNet-like" module.
inline void save_scripted_module(const std::string& path) {
  torch::manual_seed(0);
  torch::jit::Module m("TinyFeatures");
  m.register_parameter("conv1_weight", torch::randn({8, 3, 3, 3}) * 0.3, /*is_buffer=*/false);
  m.register_parameter("conv2_weight", torch::randn({16, 8, 3, 3}) * 0.2, /*is_buffer=*/false);
  m.register_buffer("gain", torch::ones({1}));
  m.define(R"JIT(
def forward(self, x):
    y = torch.relu(torch.conv2d(x, self.conv1_weight, None, [2, 2], [1, 1]))
    return torch.relu(torch.conv2d(y, self.conv2_weight, None, [2, 2], [1, 1])) * self.gain
)JIT");
  m.save(path);
}

// The export script of docs/torchscript.md (keep the two in step), parameterised by size and
// output path; random weights so the test needs no download.
constexpr const char* kExportScript = R"PY(
import sys
import torch
import torchvision


class Features(torch.nn.Module):
    """ResNet-18 up to layer4, taking [0,1] RGB; ImageNet normalisation inside."""

    def __init__(self, net):
        super().__init__()
        self.body = torch.nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool,
                                        net.layer1, net.layer2, net.layer3, net.layer4)
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        return self.body((x - self.mean) / self.std)


size = int(sys.argv[2])
net = torchvision.models.resnet18(weights=None)   # weights="IMAGENET1K_V1" for pretrained
model = Features(net).eval()                      # trace in eval mode: batch norm uses running stats
traced = torch.jit.trace(model, torch.rand(1, 3, size, size))
traced.save(sys.argv[1])
)PY";

// Debian's interpreter first: a pyenv or venv python3 on PATH usually lacks python3-torch.
inline std::string python_with_torchvision() {
  for (const char* exe : {"/usr/bin/python3", "python3"}) {
    const auto r = osteo::test::run_command(exe, {"-c", "import torch, torchvision"});
    if (r.exit_code == 0) return exe;
  }
  return {};
}

}  // namespace osteo::ml::torchscript_test
