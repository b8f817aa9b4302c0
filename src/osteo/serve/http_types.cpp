#include "osteo/serve/http_types.h"

#include <algorithm>
#include <cctype>

namespace osteo::serve {

std::string HttpRequest::header(const std::string& name) const {
  std::string key = name;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto it = headers.find(key);
  return it == headers.end() ? std::string() : it->second;
}

HttpResponse HttpResponse::json(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  // Replace invalid UTF-8 (e.g. from a hostile file name) instead of throwing mid-response.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpResponse HttpResponse::bytes(int status, std::string content_type, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

HttpResponse error_response(const Error& error, int retry_after_seconds) {
  auto r = HttpResponse::json(error.http_status(),
                              {{"error", {{"code", error.name()}, {"message", error.message}}}});
  if (r.status == 503) r.headers["Retry-After"] = std::to_string(retry_after_seconds);
  return r;
}

}  // namespace osteo::serve
