#pragma once
/// @file
/// Backbone factories, one per registered architecture. Each builds the torchvision reference
/// trunk (no classifier) with a stem taking `in_channels` channels, initialised as torchvision
/// does. Use create_model() (registry.h) rather than calling these directly.
#include <cstdint>

#include "osteo/ml/models/backbone.h"

namespace osteo::ml {

BackbonePtr make_resnet18(int64_t in_channels);         // resnet.cpp
BackbonePtr make_resnet50(int64_t in_channels);         // resnet.cpp
BackbonePtr make_densenet121(int64_t in_channels);      // densenet.cpp
BackbonePtr make_efficientnet_b0(int64_t in_channels);  // efficientnet.cpp
BackbonePtr make_mobilenet_v3_large(int64_t in_channels);  // mobilenet_v3.cpp
BackbonePtr make_vgg16_bn(int64_t in_channels);         // vgg.cpp
BackbonePtr make_tiny(int64_t in_channels);             // tiny.cpp

}  // namespace osteo::ml
