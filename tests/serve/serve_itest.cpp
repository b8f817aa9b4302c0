// Black-box tests of `osteoscreen serve`: the real binary, a real model trained by the real
// CLI on a small synthetic hospital, a real SQLite file, real HTTP on loopback.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "serve/server_process.h"
#include "support/test_support.h"

namespace osteo {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void must(const test::CommandResult& r, const std::string& what) {
  if (r.exit_code != 0) throw std::runtime_error(what + " failed: " + r.err);
}

// One trained model and one synthetic hospital for the whole suite.
struct World {
  test::TempDir dir;
  std::string model, hospital;
  World() {
    hospital = dir.file("h");
    const std::string db = dir.file("cohort.db");
    must(test::run_cli({"-q", "synth", "--patients", "40", "--seed", "5", "--image-size", "160", "--out", hospital}), "synth");
    must(test::run_cli({"-q", "--db", db, "ingest", "dicom", hospital + "/dicom"}), "ingest dicom");
    must(test::run_cli({"-q", "--db", db, "ingest", "dexa", hospital + "/dexa_export.csv"}), "ingest dexa");
    must(test::run_cli({"-q", "--db", db, "match"}), "match");
    must(test::run_cli({"-q", "--db", db, "split", "--temporal"}), "split");
    model = dir.file("model");
    must(test::run_cli({"-q", "--threads", "2", "--db", db, "train", "--arch", "tiny", "--image-size", "64",
                        "--epochs", "1", "--out", model}),
         "train");
  }
  std::string a_dicom() const {
    for (const auto& e : fs::recursive_directory_iterator(hospital + "/dicom")) {
      if (e.is_regular_file()) return e.path().string();
    }
    throw std::runtime_error("no DICOM in the synthetic hospital");
  }
};

World& world() {
  static World w;
  return w;
}

std::string png_bytes(int rows, int cols, int seed) {
  cv::Mat m(rows, cols, CV_8U);
  cv::RNG rng(seed);
  rng.fill(m, cv::RNG::UNIFORM, 0, 255);
  std::vector<uchar> out;
  cv::imencode(".png", m, out);
  return std::string(out.begin(), out.end());
}

httplib::Result post_file(httplib::Client& c, const std::string& name, const std::string& bytes,
                          const httplib::MultipartFormDataItems& fields = {}) {
  httplib::MultipartFormDataItems items = fields;
  items.push_back({"file", bytes, name, "application/octet-stream"});
  return c.Post("/api/v1/screenings", items);
}

json error_of(const httplib::Result& r) { return json::parse(r->body)["error"]; }

class Serve : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new test::TempDir();
    server_ = new test::ServerProcess({"--log-level", "warn", "--threads", "2", "--db", db_->file("screenings.db"),
                                       "serve", "--model", world().model, "--port", "0", "--max-upload-mb", "4"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete db_;
  }
  static inline test::TempDir* db_ = nullptr;
  static inline test::ServerProcess* server_ = nullptr;
};

TEST_F(Serve, PngScreeningFollowsTheContract) {
  auto c = server_->client();
  auto r = post_file(c, "knee.png", png_bytes(300, 240, 1), {{"age", "70", "", ""}, {"weight_kg", "55", "", ""}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const auto j = json::parse(r->body);
  for (const char* key : {"id", "category", "probabilities", "p_osteoporosis", "t_score", "threshold", "indeterminate",
                          "osta", "model", "heatmap_url", "timings_ms", "recommendation", "notice"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  const auto& p = j["probabilities"];
  EXPECT_NEAR(p["normal"].get<double>() + p["osteopenia"].get<double>() + p["osteoporosis"].get<double>(), 1.0, 1e-5);
  EXPECT_DOUBLE_EQ(j["p_osteoporosis"].get<double>(), p["osteoporosis"].get<double>());
  EXPECT_LE(j["t_score"]["low"].get<double>(), j["t_score"]["estimate"].get<double>());
  EXPECT_GE(j["t_score"]["high"].get<double>(), j["t_score"]["estimate"].get<double>());
  EXPECT_EQ(j["osta"]["band"], "moderate");  // 0.2 × (55 − 70) = −3
  EXPECT_DOUBLE_EQ(j["osta"]["index"].get<double>(), -3.0);
  EXPECT_EQ(j["model"]["sha256"].get<std::string>().size(), 64u);
  for (const char* t : {"decode", "preprocess", "inference", "gradcam", "total"}) {
    EXPECT_GE(j["timings_ms"][t].get<double>(), 0.0) << t;
  }
  EXPECT_TRUE(j["dicom_sr_url"].is_null());
  EXPECT_NE(j["notice"].get<std::string>().find("not a diagnosis"), std::string::npos);

  // The heat layer is a PNG of exactly the film picture's size.
  auto img = c.Get(j["image_url"].get<std::string>());
  auto heat = c.Get(j["heatmap_url"].get<std::string>());
  ASSERT_TRUE(img && heat);
  ASSERT_EQ(img->status, 200);
  ASSERT_EQ(heat->status, 200);
  EXPECT_EQ(heat->get_header_value("Content-Type"), "image/png");
  const cv::Mat a = cv::imdecode(std::vector<uchar>(img->body.begin(), img->body.end()), cv::IMREAD_UNCHANGED);
  const cv::Mat b = cv::imdecode(std::vector<uchar>(heat->body.begin(), heat->body.end()), cv::IMREAD_UNCHANGED);
  EXPECT_EQ(a.cols, 240);
  EXPECT_EQ(a.size(), b.size());
  EXPECT_EQ(b.channels(), 4);
}

TEST_F(Serve, SameUploadGivesSameScreeningOnce) {
  auto c = server_->client();
  const auto bytes = png_bytes(200, 200, 2);
  auto first = post_file(c, "a.png", bytes);
  auto second = post_file(c, "renamed.png", bytes);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 201);
  EXPECT_EQ(second->status, 200);
  const auto a = json::parse(first->body), b = json::parse(second->body);
  EXPECT_EQ(a["id"], b["id"]);
  EXPECT_EQ(a["p_osteoporosis"], b["p_osteoporosis"]);
  // Other clinical inputs are another screening.
  auto third = post_file(c, "a.png", bytes, {{"age", "60", "", ""}});
  EXPECT_EQ(third->status, 201);
  EXPECT_NE(json::parse(third->body)["id"], a["id"]);
  const auto list = json::parse(c.Get("/api/v1/screenings?limit=500")->body);
  int copies = 0;
  for (const auto& s : list["screenings"]) copies += s["id"] == a["id"];
  EXPECT_EQ(copies, 1);
  auto got = c.Get("/api/v1/screenings/" + a["id"].get<std::string>());
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(json::parse(got->body)["category"], a["category"]);
}

TEST_F(Serve, DicomScreeningFillsCovariatesAndOffersDicomResults) {
  auto c = server_->client();
  auto r = post_file(c, "film.dcm", test::read_file(world().a_dicom()));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const auto j = json::parse(r->body);
  EXPECT_EQ(j["input"]["format"], "dicom");
  EXPECT_FALSE(j["covariates"]["age"].is_null());  // from the DICOM header
  ASSERT_TRUE(j["dicom_sr_url"].is_string());
  test::TempDir out;
  for (const char* kind : {"dicom_sr_url", "dicom_sc_url"}) {
    auto d = c.Get(j[kind].get<std::string>());
    ASSERT_TRUE(d);
    ASSERT_EQ(d->status, 200) << kind << ": " << d->body;
    EXPECT_EQ(d->get_header_value("Content-Type"), "application/dicom");
    ASSERT_GT(d->body.size(), 132u);
    EXPECT_EQ(d->body.substr(128, 4), "DICM") << kind;
    const std::string path = out.file(std::string(kind) + ".dcm");
    test::write_file(path, d->body);
    // DCMTK reads each back; the SR's dump names the finding and the probability.
    const auto dump = test::run_command(std::string(kind) == "dicom_sr_url" ? "/usr/bin/dsrdump" : "/usr/bin/dcmdump",
                                        {path});
    EXPECT_EQ(dump.exit_code, 0) << dump.err;
    if (std::string(kind) == "dicom_sr_url") {
      EXPECT_NE(dump.out.find(j["category"].get<std::string>() == "normal" ? "Normal" : "steop"), std::string::npos)
          << dump.out;
    } else {
      EXPECT_NE(dump.out.find("NOT FOR DIAGNOSTIC USE"), std::string::npos) << dump.out;
    }
  }
  // A PNG screening has no DICOM results.
  auto png = json::parse(post_file(c, "p.png", png_bytes(90, 90, 11))->body);
  EXPECT_TRUE(png["dicom_sc_url"].is_null());
  EXPECT_EQ(c.Get("/api/v1/screenings/" + png["id"].get<std::string>() + "/dicom-sr")->status, 404);
}

TEST_F(Serve, RealDicomFromSharedData) {
  OSTEO_REQUIRE_SHARED_DATA(data);
  auto c = server_->client();
  for (const char* name : {"RG2_JPLL.dcm", "CR-MONO1-10-chest.dcm", "RG3_J2KR.dcm"}) {
    auto r = post_file(c, name, test::read_file((data / "dicom" / name).string()));
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(r->status, 201) << name << ": " << r->body;
  }
}

TEST_F(Serve, BadUploadsGetTypedErrorsAndStoreNothing) {
  auto c = server_->client();
  const auto before = json::parse(c.Get("/api/v1/screenings?limit=500")->body)["screenings"].size();
  struct Case {
    std::string name, bytes;
    int status;
    std::string code;
  };
  const std::string png = png_bytes(100, 100, 3);
  // IHDR claiming 100000 × 100000 with no pixel data: refused from the header.
  const std::string flood("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\x01\x86\xa0\0\x01\x86\xa0\x08\0\0\0\0\0\0\0\0", 33);
  const std::vector<Case> cases = {
      {"empty.png", "", 422, "empty_file"},
      {"text.png", "this is not an image at all", 415, "unsupported_format"},
      {"cut.png", png.substr(0, png.size() / 2), 422, ""},
      {"flood.png", flood, 413, "pixel_limit_exceeded"},
  };
  for (const auto& k : cases) {
    auto r = post_file(c, k.name, k.bytes);
    ASSERT_TRUE(r) << k.name;
    EXPECT_EQ(r->status, k.status) << k.name << ": " << r->body;
    if (!k.code.empty()) {
      EXPECT_EQ(error_of(r)["code"], k.code) << k.name;
    }
    EXPECT_FALSE(error_of(r)["message"].get<std::string>().empty());
  }
  // A truncated DICOM.
  const auto dcm = test::read_file(world().a_dicom());
  auto cut = post_file(c, "cut.dcm", dcm.substr(0, dcm.size() / 3));
  EXPECT_EQ(cut->status, 422) << cut->body;
  // Over the 4 MB upload limit: 413 from the HTTP layer, still JSON.
  auto big = post_file(c, "big.png", std::string(5u << 20, 'x'));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(error_of(big)["code"], "file_too_large");
  // Bad fields.
  auto age = post_file(c, "a.png", png, {{"age", "old", "", ""}});
  EXPECT_EQ(age->status, 422);
  EXPECT_EQ(error_of(age)["code"], "invalid_field");
  // Not multipart, or no file part.
  auto raw = c.Post("/api/v1/screenings", png, "image/png");
  EXPECT_EQ(raw->status, 415);
  auto nofile = c.Post("/api/v1/screenings", httplib::MultipartFormDataItems{{"age", "70", "", ""}});
  EXPECT_EQ(nofile->status, 400);
  const auto after = json::parse(c.Get("/api/v1/screenings?limit=500")->body)["screenings"].size();
  EXPECT_EQ(after, before);
}

TEST_F(Serve, RoutesStatusesAndDocument) {
  auto c = server_->client();
  EXPECT_EQ(c.Get("/healthz")->status, 200);
  EXPECT_EQ(c.Get("/readyz")->status, 200);
  EXPECT_EQ(c.Get("/api/v1/screenings/ffffffffffffffffffffffffffffffff")->status, 404);
  EXPECT_EQ(c.Delete("/api/v1/screenings")->status, 405);
  auto models = c.Get("/api/v1/models");
  ASSERT_EQ(models->status, 200);
  const auto m = json::parse(models->body)["models"][0];
  EXPECT_EQ(m["arch"], "tiny");
  EXPECT_TRUE(m["card"].contains("weights_sha256"));
  auto doc = c.Get("/api/v1/openapi.json");
  ASSERT_EQ(doc->status, 200);
  EXPECT_TRUE(json::parse(doc->body)["paths"].contains("/api/v1/screenings"));
  httplib::Headers ranges = {{"Range", "bytes=0-1,5-9"}};
  EXPECT_EQ(c.Get("/api/v1/openapi.json", ranges)->status, 416);
}

TEST(ServeLifecycle, ResultsSurviveRestart) {
  test::TempDir dir;
  const std::vector<std::string> args = {"--log-level", "warn", "--db", dir.file("s.db"), "serve", "--model",
                                         world().model, "--port", "0"};
  std::string id;
  {
    test::ServerProcess server(args);
    auto c = server.client();
    auto r = post_file(c, "a.png", png_bytes(128, 128, 9));
    ASSERT_EQ(r->status, 201);
    id = json::parse(r->body)["id"];
    EXPECT_EQ(server.stop(), 0);  // a clean exit on SIGTERM
  }
  test::ServerProcess again(args);
  auto c = again.client();
  auto r = c.Get("/api/v1/screenings/" + id);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(c.Get("/api/v1/screenings/" + id + "/heatmap.png")->status, 200);
}

TEST(ServeLifecycle, FullQueueAnswers503WithRetryAfter) {
  test::TempDir dir;
  test::ServerProcess server({"--log-level", "error", "--threads", "1", "--db", dir.file("s.db"), "serve", "--model",
                              world().model, "--port", "0", "--workers", "1", "--queue", "1", "--http-threads", "16"});
  // Large films make each job take a while, so a burst overflows one worker + one queue slot.
  const std::string film = png_bytes(2400, 2400, 4);
  std::atomic<int> ok{0}, busy{0}, other{0};
  std::atomic<bool> retry_after{true};
  std::vector<std::thread> clients;
  for (int i = 0; i < 12; ++i) {
    clients.emplace_back([&, i] {
      auto c = server.client();
      auto r = post_file(c, "f.png", film, {{"age", std::to_string(40 + i), "", ""}});
      if (r && r->status == 201) {
        ++ok;
      } else if (r && r->status == 503) {
        ++busy;
        if (r->get_header_value("Retry-After").empty() || error_of(r)["code"] != "service_busy") retry_after = false;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_GE(ok.load(), 1);
  EXPECT_GE(busy.load(), 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_TRUE(retry_after.load());
  // Refused requests left nothing behind.
  auto list = json::parse(server.client().Get("/api/v1/screenings?limit=500")->body)["screenings"];
  EXPECT_EQ(static_cast<int>(list.size()), ok.load());
}

}  // namespace
}  // namespace osteo
