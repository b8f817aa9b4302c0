#include "osteo/serve/http_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace osteo::serve {

struct HttpServer::Impl {
  httplib::Server server;
};

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

HttpRequest to_request(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  r.remote_addr = req.remote_addr;
  for (const auto& [k, v] : req.params) r.query.emplace(k, v);  // first value wins
  for (const auto& [k, v] : req.headers) r.headers.emplace(lower(k), v);
  for (const auto& [name, part] : req.files) {
    // httplib files holds every multipart part; a part without a file name is a text field.
    if (part.filename.empty()) {
      r.form.emplace(name, part.content);
    } else {
      r.files.emplace(name, UploadedFile{part.filename, part.content_type, part.content});
    }
  }
  return r;
}

void write_response(const HttpResponse& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [k, v] : from.headers) to.set_header(k, v);
  to.set_header("X-Content-Type-Options", "nosniff");
  to.set_content(from.body, from.content_type);
}

// Bodies for statuses httplib answers by itself (oversized body, unparsable request, ...).
HttpResponse library_error(int status, std::size_t max_upload_bytes) {
  switch (status) {
    case 413:
      return error_response(Error{ErrorCode::kFileTooLarge, "the request body exceeds the limit of " +
                                                                std::to_string(max_upload_bytes >> 20) + " MB"});
    case 416:
      return error_response(Error{ErrorCode::kRangeNotSatisfiable, "the requested range cannot be served"});
    case 404:
      return error_response(Error{ErrorCode::kNotFound, "no such resource"});
    default:
      return error_response(Error{ErrorCode::kInvalidArgument, "malformed HTTP request (status " +
                                                                   std::to_string(status) + ")"});
  }
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, std::vector<Route> routes)
    : options_(std::move(options)), routes_(std::move(routes)), impl_(std::make_unique<Impl>()) {
  auto& s = impl_->server;
  const int threads = std::max(1, options_.http_threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  s.set_payload_max_length(options_.max_upload_bytes);
  s.set_read_timeout(options_.read_timeout_seconds, 0);
  s.set_write_timeout(options_.write_timeout_seconds, 0);
  s.set_keep_alive_max_count(100);
  s.set_keep_alive_timeout(5);
  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    // Multi-range requests multiply the response size at no cost to the client.
    if (req.get_header_value("Range").find(',') != std::string::npos) {
      write_response(error_response(Error{ErrorCode::kRangeNotSatisfiable, "multi-range requests are not served"}), res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    HttpRequest request = to_request(req);
    write_response(dispatch(request), res);
  };
  // Routing is ours (routes.h), so 404 and 405 are decided in one place for every method.
  const char* kEverything = ".*";
  s.Get(kEverything, handle);
  s.Post(kEverything, handle);
  s.Put(kEverything, handle);
  s.Delete(kEverything, handle);
  s.Patch(kEverything, handle);
  s.Options(kEverything, handle);
  const std::size_t max_upload = options_.max_upload_bytes;
  s.set_error_handler(httplib::Server::HandlerWithResponse([max_upload](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // ours, already JSON
    const int status = res.status;
    write_response(library_error(status, max_upload), res);
    res.status = status;
    return httplib::Server::HandlerResponse::Handled;
  }));
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    spdlog::error("{} {}: exception escaped the request handler", req.method, req.path);
    write_response(error_response(Error{ErrorCode::kInternal, "internal error"}), res);
  });
  s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::info("{} {} {} {}", req.remote_addr, req.method, req.path, res.status);
  });
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::set_authorizer(Authorizer authorizer) { authorizer_ = std::move(authorizer); }
void HttpServer::set_static_provider(StaticProvider provider) { static_provider_ = std::move(provider); }

Result<int> HttpServer::bind() {
  auto& s = impl_->server;
  const int port = options_.port == 0 ? s.bind_to_any_port(options_.bind) : s.bind_to_port(options_.bind, options_.port)
                                                                               ? options_.port
                                                                               : -1;
  if (port <= 0) {
    return fail(ErrorCode::kInvalidArgument, "cannot listen on " + options_.bind + ":" + std::to_string(options_.port) +
                                                 " (address in use or not available)");
  }
  return port;
}

bool HttpServer::listen() { return impl_->server.listen_after_bind(); }

void HttpServer::stop() {
  if (impl_ && impl_->server.is_running()) impl_->server.stop();
}

HttpResponse HttpServer::dispatch(HttpRequest& request) const {
  try {
    auto match = find_route(routes_, request.method, request.path);
    if (!match.route) {
      if (match.path_known) {
        auto r = error_response(Error{ErrorCode::kMethodNotAllowed, request.method + " is not allowed on " + request.path});
        return r;
      }
      if ((request.method == "GET" || request.method == "HEAD") && static_provider_) {
        if (authorizer_) {
          if (auto refused = authorizer_(request, nullptr)) return error_response(*refused);
        }
        if (auto page = static_provider_(request.path)) return *page;
      }
      return error_response(Error{ErrorCode::kNotFound, "no such resource: " + request.path});
    }
    request.path_params = std::move(match.params);
    if (authorizer_) {
      if (auto refused = authorizer_(request, match.route)) return error_response(*refused);
    }
    return match.route->handler(request);
  } catch (const OsteoError& e) {
    // Handlers report expected failures as values; an OsteoError escaping is still typed.
    if (e.error().http_status() >= 500) spdlog::error("{} {}: {}", request.method, request.path, e.error().to_string());
    return error_response(e.error());
  } catch (const std::exception& e) {
    spdlog::error("{} {}: unexpected exception: {}", request.method, request.path, e.what());
    return error_response(Error{ErrorCode::kInternal, "internal error"});
  }
}

}  // namespace osteo::serve
