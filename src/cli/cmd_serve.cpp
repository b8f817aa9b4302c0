// osteoscreen serve: adapter over osteo::serve (the HTTP server, the API and the worker pool).
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "osteo/serve/api.h"
#include "osteo/serve/http_server.h"
#include "osteo/serve/screening_service.h"

namespace osteo::cli {
namespace {

bool is_loopback(const std::string& address) {
  return address == "127.0.0.1" || address == "::1" || address == "localhost" || address.rfind("127.", 0) == 0;
}

}  // namespace

Runner setup_serve(CLI::App& sub, const GlobalOptions& global) {
  struct Options {
    serve::ServerOptions server;
    serve::ServiceOptions service;
    bool no_auth = false;
    int max_upload_mb = 64;
    int timeout_s = 120;
  };
  auto opt = std::make_shared<Options>();
  opt->service.workers = 0;  // 0 = one per core (decided when the command runs)
  sub.add_option("--model", opt->service.model_dir, "Checkpoint directory written by osteoscreen train")->required();
  sub.add_option("--bind", opt->server.bind, "Address to listen on")->capture_default_str();
  sub.add_option("--port", opt->server.port, "TCP port (0 = any free port; the URL is printed)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  sub.add_flag("--no-auth", opt->no_auth,
               "Serve without authentication (accounts are not implemented yet; required off loopback)");
  sub.add_option("--workers", opt->service.workers,
                 "Inference workers, one model replica each (default: one per core, at most 4)")
      ->check(CLI::Range(1, 64));
  sub.add_option("--queue", opt->service.queue_capacity, "Waiting screenings before 503 + Retry-After")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  sub.add_option("--timeout", opt->timeout_s, "Longest wait for one screening, seconds")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  sub.add_option("--max-upload-mb", opt->max_upload_mb, "Largest accepted upload (413 above)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  sub.add_option("--max-pixels", opt->service.read_limits.max_pixels, "Largest accepted image, rows × columns")
      ->capture_default_str();
  sub.add_option("--http-threads", opt->server.http_threads, "Connection threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  sub.add_option("--indeterminate-margin", opt->service.policy.indeterminate_logit_margin,
                 "Half-width, in log-odds, of the 'indeterminate, refer to DEXA' band around the threshold")
      ->check(CLI::Range(0.0, 5.0))
      ->capture_default_str();

  return [opt, &global]() -> int {
    if (!opt->no_auth && !is_loopback(opt->server.bind)) {
      spdlog::error("invalid_argument: authentication is not implemented yet; serving on {} needs --no-auth "
                    "(the service would be open to the network)",
                    opt->server.bind);
      return kExitUsage;
    }
    auto& svc = opt->service;
    svc.db = global.db;
    svc.timeout_ms = opt->timeout_s * 1000;
    svc.read_limits.max_file_bytes = static_cast<std::uint64_t>(opt->max_upload_mb) << 20;
    // Measured on 2 cores (docs/serve.md): two single-threaded replicas serve 1.7× the screenings
    // of one replica with two LibTorch threads at concurrency 4, and the same at concurrency 1.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    if (svc.workers <= 0) svc.workers = static_cast<int>(std::min(cores, 4u));
    svc.torch_threads =
        global.threads > 0 ? global.threads : std::max(1u, cores / static_cast<unsigned>(svc.workers));
    opt->server.max_upload_bytes = static_cast<std::size_t>(opt->max_upload_mb) << 20;
    // A multipart body carries a little more than the file itself.
    opt->server.max_upload_bytes += 64 * 1024;

    // Block SIGINT/SIGTERM in every thread started from here on; one thread waits for them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto service = value_or_throw(serve::ScreeningService::start(svc));
    serve::HttpServer server(opt->server, serve::api_routes(*service));
    server.set_static_provider(serve::static_asset);
    const int port = value_or_throw(server.bind());
    spdlog::warn("authentication is not implemented yet: anyone who can reach {}:{} can use this service{}",
                 opt->server.bind, port, opt->no_auth ? " (--no-auth)" : " (loopback only)");
    std::cout << "OsteoScreen serving at http://" << opt->server.bind << ":" << port << "/" << std::endl;
    std::cout << "For research / screening support, not a diagnosis." << std::endl;

    std::atomic<bool> signalled{false};
    std::thread waiter([&server, &signalled, signals] {
      int sig = 0;
      sigwait(&signals, &sig);
      signalled = true;
      spdlog::info("signal {}: stopping", sig);
      server.stop();
    });
    const bool ok = server.listen();
    // listen() returned without a signal (it failed): wake the waiter, which is still blocked
    // in sigwait. The signal is blocked everywhere, so it can only be taken by sigwait.
    if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return ok ? kExitOk : kExitFailure;
  };
}

}  // namespace osteo::cli
