#pragma once
/// @file
/// The REST API v1 and health routes of the screening service, as one route table (the
/// OpenAPI document is generated from it), plus the page's static assets.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "osteo/serve/routes.h"
#include "osteo/serve/screening_service.h"

namespace osteo::serve {

/// Every API route, bound to `service` (which must outlive the routes).
std::vector<Route> api_routes(ScreeningService& service);

/// The page's assets (web/, embedded at build time): "/" is index.html. nullopt when unknown.
std::optional<HttpResponse> static_asset(const std::string& path);

}  // namespace osteo::serve
