#pragma once
/// @file
/// The route table: every API route declares its method, path pattern, summary and response
/// codes next to its handler, and the OpenAPI document (openapi.h) is generated from the same
/// table, so the documentation cannot drift from what the server answers.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "osteo/serve/http_types.h"

namespace osteo::serve {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

/// A multipart/form-data field the route accepts (for the OpenAPI document).
struct FormField {
  std::string name;
  std::string type;         ///< "file", "number" or "string"
  bool required = false;
  std::string description;
};

struct ResponseSpec {
  int status = 200;
  std::string description;
  std::string content_type = "application/json";
};

struct Route {
  std::string method;   ///< GET, POST
  std::string pattern;  ///< e.g. "/api/v1/screenings/{id}/heatmap.png"; {name} matches one segment
  std::string summary;
  std::string tag;
  std::vector<FormField> form;          ///< multipart body fields (empty: no body)
  std::vector<ResponseSpec> responses;  ///< documented answers
  Handler handler;
};

/// Matches `path` against a pattern; fills `params` with the {name} segments. Segments are
/// compared exactly (no decoding: ids are hex); a {name} segment never matches "" or crosses '/'.
bool match_route(const std::string& pattern, const std::string& path, std::map<std::string, std::string>& params);

/// The outcome of looking up a request in the table.
struct RouteMatch {
  const Route* route = nullptr;        ///< null: no route for this method and path
  bool path_known = false;             ///< some route has this path with another method (→ 405)
  std::map<std::string, std::string> params;
};
RouteMatch find_route(const std::vector<Route>& routes, const std::string& method, const std::string& path);

}  // namespace osteo::serve
