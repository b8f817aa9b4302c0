// osteo_serve_load: a load generator for `osteoscreen serve` (a benchmark, not a test).
// Posts one film N times from C concurrent clients, each request with a different age so that
// none is answered from the de-duplication cache, and reports screenings/s plus the median
// and 90th-percentile per-stage timings the server measured (timings_ms).
//
//   osteo_serve_load --url http://127.0.0.1:8080 --file RG2_JPLL.dcm --requests 20 --concurrency 4
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

struct Args {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string file;
  int requests = 20;
  int concurrency = 1;
  int age_base = 30;
};

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--url") {
      const auto hostport = v.substr(v.find("//") + 2);
      a.host = hostport.substr(0, hostport.find(':'));
      a.port = std::stoi(hostport.substr(hostport.find(':') + 1));
    } else if (k == "--file") {
      a.file = v;
    } else if (k == "--requests") {
      a.requests = std::stoi(v);
    } else if (k == "--concurrency") {
      a.concurrency = std::stoi(v);
    } else if (k == "--age-base") {
      a.age_base = std::stoi(v);
    } else {
      return false;
    }
  }
  return !a.file.empty() && a.requests > 0 && a.concurrency > 0;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, a)) {
    std::cerr << "usage: osteo_serve_load --url http://HOST:PORT --file FILM [--requests N] [--concurrency C] "
                 "[--age-base A]\n";
    return 2;
  }
  std::ifstream in(a.file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string film = ss.str();
  if (film.empty()) {
    std::cerr << a.file << ": cannot be read\n";
    return 2;
  }
  std::atomic<int> next{0}, failures{0};
  std::mutex m;
  std::map<std::string, std::vector<double>> stages;
  std::vector<double> latency;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < a.concurrency; ++c) {
    clients.emplace_back([&] {
      httplib::Client client(a.host, a.port);
      client.set_read_timeout(600, 0);
      for (int i; (i = next++) < a.requests;) {
        // Ages 18–120 are accepted; spread them so each request is a new screening.
        const std::string age = std::to_string(18 + (a.age_base + i) % 100) + "." + std::to_string(i % 10);
        httplib::MultipartFormDataItems items = {{"file", film, "film", "application/octet-stream"},
                                                 {"age", age, "", ""}};
        const auto t = std::chrono::steady_clock::now();
        auto r = client.Post("/api/v1/screenings", items);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
        if (!r || r->status != 201) {
          ++failures;
          if (r) std::cerr << "status " << r->status << ": " << r->body.substr(0, 200) << "\n";
          continue;
        }
        const auto j = nlohmann::json::parse(r->body);
        std::lock_guard<std::mutex> lock(m);
        latency.push_back(ms);
        for (const auto& [k, v] : j["timings_ms"].items()) stages[k].push_back(v.get<double>());
      }
    });
  }
  for (auto& t : clients) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int ok = static_cast<int>(latency.size());
  std::printf("file %s  requests %d  concurrency %d  ok %d  failed %d\n", a.file.c_str(), a.requests, a.concurrency, ok,
              failures.load());
  std::printf("throughput %.2f screenings/s  (%.1f s wall)\n", ok / seconds, seconds);
  std::printf("client latency ms: median %.1f  p90 %.1f\n", percentile(latency, 0.5), percentile(latency, 0.9));
  for (const char* k : {"decode", "preprocess", "inference", "gradcam", "total"}) {
    std::printf("server %-10s ms: median %8.1f  p90 %8.1f\n", k, percentile(stages[k], 0.5), percentile(stages[k], 0.9));
  }
  return failures.load() == 0 ? 0 : 1;
}
