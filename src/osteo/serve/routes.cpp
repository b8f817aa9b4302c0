#include "osteo/serve/routes.h"

namespace osteo::serve {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string::npos ? path.size() : slash;
    parts.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

bool match_route(const std::string& pattern, const std::string& path, std::map<std::string, std::string>& params) {
  const auto want = split_path(pattern);
  const auto got = split_path(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (is_param(want[i])) {
      if (got[i].empty()) return false;
      found[want[i].substr(1, want[i].size() - 2)] = got[i];
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

RouteMatch find_route(const std::vector<Route>& routes, const std::string& method, const std::string& path) {
  RouteMatch m;
  for (const auto& r : routes) {
    std::map<std::string, std::string> params;
    if (!match_route(r.pattern, path, params)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    m.path_known = true;
  }
  return m;
}

}  // namespace osteo::serve
