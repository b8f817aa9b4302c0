#pragma once
/// @file
/// OpenAPI 3.0 document generated from the route table (routes.h).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/serve/routes.h"

namespace osteo::serve {

/// One path item per pattern, one operation per route, with its summary, tag, {name} path
/// parameters, multipart request body and documented responses; every error response refers
/// to the shared Error schema.
nlohmann::json openapi_document(const std::vector<Route>& routes, const std::string& version);

}  // namespace osteo::serve
