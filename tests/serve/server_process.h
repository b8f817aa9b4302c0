#pragma once
// Runs the real `osteoscreen serve` as a child process for the black-box API tests: it waits
// for the printed URL and for /readyz, and stops the server (SIGTERM, then SIGKILL) when done.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace osteo::test {

class ServerProcess {
 public:
  /// Starts `osteoscreen <args>` (args must include serve, --port 0) and waits until ready.
  explicit ServerProcess(const std::vector<std::string>& args, int ready_timeout_s = 90) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      std::string exe = OSTEO_CLI_PATH;
      argv.push_back(exe.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(exe.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    out_fd_ = out[0];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(ready_timeout_s);
    std::string text;
    const std::string marker = "serving at http://";
    while (text.find('\n', text.find(marker)) == std::string::npos || text.find(marker) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("server did not print its URL: " + text);
      char buf[256];
      const ssize_t n = read(out_fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("server exited before printing its URL: " + text);
      text.append(buf, static_cast<std::size_t>(n));
    }
    const auto at = text.find(marker) + marker.size();
    const auto colon = text.find(':', at);
    host_ = text.substr(at, colon - at);
    port_ = std::stoi(text.substr(colon + 1));
    httplib::Client c(host_, port_);
    while (true) {
      auto r = c.Get("/readyz");
      if (r && r->status == 200) break;
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("server never became ready");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~ServerProcess() { stop(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// SIGTERM and wait (SIGKILL after 10 s). Returns the exit status (-1 if killed).
  int stop() {
    if (pid_ <= 0) return status_;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 200; ++i) {
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        pid_ = -1;
        close(out_fd_);
        return status_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    close(out_fd_);
    return status_ = -1;
  }

  httplib::Client client() const {
    httplib::Client c(host_, port_);
    c.set_read_timeout(120, 0);
    return c;
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int status_ = -1;
  std::string host_;
  int port_ = 0;
};

}  // namespace osteo::test
