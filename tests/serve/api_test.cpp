// The API's route table and dispatch without the network: the OpenAPI document against the
// table, and the answers of a service whose model is missing (503, never 500).
#include "osteo/serve/api.h"

#include <gtest/gtest.h>

#include <set>

#include "osteo/serve/http_server.h"
#include "osteo/serve/openapi.h"
#include "support/test_support.h"

namespace osteo::serve {
namespace {

class ApiWithoutModel : public ::testing::Test {
 protected:
  void SetUp() override {
    ServiceOptions o;
    o.model_dir = dir_.file("no-such-model");
    o.db = dir_.file("s.db");
    auto s = ScreeningService::start(o);
    ASSERT_TRUE(s) << s.error().to_string();
    service_ = std::move(*s);
    service_->wait_until_loaded();
    server_ = std::make_unique<HttpServer>(ServerOptions{}, api_routes(*service_));
    server_->set_static_provider(static_asset);
  }
  HttpResponse call(const std::string& method, const std::string& path) {
    HttpRequest r;
    r.method = method;
    r.path = path;
    return server_->dispatch(r);
  }
  test::TempDir dir_;
  std::unique_ptr<ScreeningService> service_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(ApiWithoutModel, OpenApiListsEveryRouteAndNothingElse) {
  const auto doc = nlohmann::json::parse(call("GET", "/api/v1/openapi.json").body);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::set<std::string> documented, served;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      documented.insert(method + " " + path);
      EXPECT_FALSE(op["summary"].get<std::string>().empty()) << path;
      EXPECT_TRUE(op["responses"].is_object()) << path;
    }
  }
  for (const auto& r : server_->routes()) {
    std::string m = r.method;
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    served.insert(m + " " + r.pattern);
  }
  EXPECT_EQ(documented, served);
  for (const char* must : {"post /api/v1/screenings", "get /api/v1/screenings/{id}", "get /api/v1/screenings",
                           "get /api/v1/screenings/{id}/heatmap.png", "get /api/v1/models", "get /healthz",
                           "get /readyz", "get /api/v1/openapi.json"}) {
    EXPECT_TRUE(served.count(must)) << must;
  }
  // Path parameters are declared for templated paths.
  EXPECT_EQ(doc["paths"]["/api/v1/screenings/{id}"]["get"]["parameters"][0]["name"], "id");
  EXPECT_TRUE(doc["paths"]["/api/v1/screenings"]["post"]["requestBody"]["content"].contains("multipart/form-data"));
}

TEST_F(ApiWithoutModel, MissingModelMeans503WithRetryAfter) {
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  const auto ready = call("GET", "/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.headers.at("Retry-After"), "2");
  const auto j = nlohmann::json::parse(ready.body);
  EXPECT_EQ(j["error"]["code"], "not_ready");
  EXPECT_NE(j["error"]["message"].get<std::string>().find("failed to load"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/models").status, 503);
  HttpRequest post;
  post.method = "POST";
  post.path = "/api/v1/screenings";
  post.headers["content-type"] = "multipart/form-data; boundary=x";
  post.files["file"] = UploadedFile{"a.png", "image/png", "x"};
  EXPECT_EQ(server_->dispatch(post).status, 503);
}

TEST_F(ApiWithoutModel, UnknownPathsAndMethodsAreTypedErrors) {
  auto r = call("GET", "/api/v1/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "not_found");
  r = call("DELETE", "/api/v1/screenings");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(call("GET", "/api/v1/screenings/0123").status, 404);  // not an id
  EXPECT_EQ(call("GET", "/api/v1/screenings/" + std::string(32, 'a')).status, 404);
  HttpRequest bad;
  bad.method = "GET";
  bad.path = "/api/v1/screenings";
  bad.query["limit"] = "lots";
  EXPECT_EQ(server_->dispatch(bad).status, 400);
}

TEST_F(ApiWithoutModel, HistoryIsEmptyJson) {
  const auto r = call("GET", "/api/v1/screenings");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(nlohmann::json::parse(r.body)["screenings"].empty());
}

}  // namespace
}  // namespace osteo::serve
