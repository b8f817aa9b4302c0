#pragma once
/// @file
/// Our HTTP server class. cpp-httplib (Debian's compiled libcpp-httplib) is used only inside
/// http_server.cpp, so its heavy header and its build flags stay out of the rest of the code.
/// Every request goes through dispatch(): routing, the authorizer hook (where accounts and
/// tokens will plug in), the handler, and one last-resort handler that turns any escaped
/// exception into a JSON 500 without leaking internals.
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "osteo/core/error.h"
#include "osteo/serve/routes.h"

namespace osteo::serve {

struct ServerOptions {
  std::string bind = "127.0.0.1";  ///< loopback by default: exposing the service is a decision
  int port = 8080;                 ///< 0: any free port (see HttpServer::bind)
  std::size_t max_upload_bytes = 64u << 20;  ///< request bodies above this get 413
  int http_threads = 8;            ///< connection threads (parsing, validation, formatting only)
  int read_timeout_seconds = 30;   ///< slow clients cannot hold a thread for longer
  int write_timeout_seconds = 30;
};

/// Refuses a request by returning an Error (its catalogue status is answered), or allows it
/// (nullopt). `route` is null for static pages.
using Authorizer = std::function<std::optional<Error>(const HttpRequest& request, const Route* route)>;
/// Serves GET paths that are not API routes (the page's assets); nullopt → 404.
using StaticProvider = std::function<std::optional<HttpResponse>(const std::string& path)>;

class HttpServer {
 public:
  HttpServer(ServerOptions options, std::vector<Route> routes);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void set_authorizer(Authorizer authorizer);
  void set_static_provider(StaticProvider provider);

  /// Binds the listening socket. Returns the port (the chosen one when options.port is 0).
  /// kInvalidArgument when the address cannot be bound (in use, bad address).
  Result<int> bind();
  /// Serves until stop(); call after bind(). Returns false if the server could not run.
  bool listen();
  /// Stops listen() from another thread (or a signal handler thread).
  void stop();

  /// The whole request path without the network: routing, authorization, handler, error
  /// mapping. Public so that the one code path is what tests and the server both run.
  HttpResponse dispatch(HttpRequest& request) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Impl;
  ServerOptions options_;
  std::vector<Route> routes_;
  Authorizer authorizer_;
  StaticProvider static_provider_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace osteo::serve
