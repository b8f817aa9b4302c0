#pragma once
/// @file
/// The page's files (web/), embedded into the binary at build time by
/// cmake/embed_web_assets.cmake, so the service is one file that works offline.
#include <cstddef>
#include <string>

namespace osteo::serve {

struct WebAsset {
  const char* name;          ///< path relative to web/, e.g. "app.js"
  const char* content_type;  ///< from the extension
  const char* data;
  std::size_t size;
};

/// The asset named `name` (relative to web/), or nullptr.
const WebAsset* find_web_asset(const std::string& name);
/// Number of embedded assets (0 when web/ was empty at build time).
std::size_t web_asset_count();

}  // namespace osteo::serve
