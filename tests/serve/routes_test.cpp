#include "osteo/serve/routes.h"

#include <gtest/gtest.h>

namespace osteo::serve {
namespace {

TEST(Routes, ParamsMatchOneNonEmptySegment) {
  std::map<std::string, std::string> p;
  EXPECT_TRUE(match_route("/api/v1/screenings/{id}/heatmap.png", "/api/v1/screenings/abc/heatmap.png", p));
  EXPECT_EQ(p.at("id"), "abc");
  EXPECT_FALSE(match_route("/api/v1/screenings/{id}", "/api/v1/screenings/", p));
  EXPECT_FALSE(match_route("/api/v1/screenings/{id}", "/api/v1/screenings/a/b", p));
  EXPECT_FALSE(match_route("/api/v1/screenings", "/api/v1/screenings/", p));
  EXPECT_TRUE(match_route("/healthz", "/healthz", p));
  EXPECT_FALSE(match_route("/healthz", "/healthz/x", p));
}

TEST(Routes, MethodMismatchIsReportedAsKnownPath) {
  const std::vector<Route> routes = {{"GET", "/a/{id}", "", "", {}, {}, nullptr},
                                     {"POST", "/a", "", "", {}, {}, nullptr}};
  auto m = find_route(routes, "DELETE", "/a/1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_known);
  m = find_route(routes, "GET", "/a/1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "1");
  m = find_route(routes, "HEAD", "/a/1");  // HEAD is served by the GET route
  EXPECT_NE(m.route, nullptr);
  m = find_route(routes, "GET", "/b");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.path_known);
}

}  // namespace
}  // namespace osteo::serve
