#pragma once
/// @file
/// The HTTP vocabulary of the service, independent of the HTTP library (cpp-httplib stays
/// inside http_server.cpp), so handlers and their tests never see it.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"

namespace osteo::serve {

/// One uploaded part of a multipart/form-data body.
struct UploadedFile {
  std::string filename;      ///< as sent by the client (display only)
  std::string content_type;  ///< as sent by the client (never trusted: content decides)
  std::string content;
};

struct HttpRequest {
  std::string method;  ///< GET, POST, ...
  std::string path;    ///< without the query string
  std::map<std::string, std::string> path_params;  ///< {id} segments of the route pattern
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;      ///< names lower-cased
  std::map<std::string, std::string> form;         ///< multipart text fields
  std::map<std::string, UploadedFile> files;       ///< multipart file fields, by field name
  std::string remote_addr;
  /// The header's value or "" (name in any case).
  std::string header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;

  static HttpResponse json(int status, const nlohmann::json& body);
  static HttpResponse bytes(int status, std::string content_type, std::string body);
};

/// {"error": {"code", "message"}} with the catalogue's HTTP status; 503s carry Retry-After.
HttpResponse error_response(const Error& error, int retry_after_seconds = 2);

}  // namespace osteo::serve
