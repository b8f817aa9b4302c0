#include <gtest/gtest.h>

#include "osteo/report/html.h"
#include "osteo/report/svg.h"
#include "support/test_support.h"

namespace osteo::report {
namespace {

using test::count_occurrences;

TEST(Html, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(html_escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain \xC3\xA9"), "plain \xC3\xA9");  // UTF-8 passes through
}

TEST(Html, NumberFormats) {
  EXPECT_EQ(format_number(0.81249), "0.812");
  EXPECT_EQ(format_number(NAN), "n/a");
  EXPECT_EQ(format_number(-0.0001), "0.000");
  EXPECT_EQ(format_with_ci(0.8, 0.75, 0.85), "0.800 (0.750\u20130.850)");
  EXPECT_EQ(format_with_ci(NAN, NAN, NAN), "n/a");
  EXPECT_EQ(format_p(0.0004), "<0.001");
  EXPECT_EQ(format_p(0.0421), "0.042");
}

TEST(Svg, NiceTicks) {
  EXPECT_EQ(nice_ticks(0, 1), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0}));
  const auto t = nice_ticks(-3.2, 1.7);  // range 4.9 / 5 → step 1
  EXPECT_EQ(t, (std::vector<double>{-3, -2, -1, 0, 1}));
  EXPECT_TRUE(nice_ticks(1, 1).empty());
}

TEST(Svg, ChartHasAxesSeriesLegendAndEscapes) {
  SvgChart c;
  c.title = "Loss <train>";
  c.x_label = "epoch";
  c.y_label = "loss";
  c.diagonal = true;
  c.x_min = 0;
  c.x_max = 5;
  c.y_min = 0;
  c.y_max = 1;
  c.series.push_back({"a<b", {1, 2, NAN, 4, 5}, {0.9, 0.7, 0.6, 0.5, 0.45}, "", false, true});
  c.series.push_back({"dashed", {1, 5}, {0.8, 0.4}, "#123456", true, false});
  const std::string svg = render_line_chart(c);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
  EXPECT_NE(svg.find("Loss &lt;train&gt;"), std::string::npos);
  EXPECT_NE(svg.find("a&lt;b"), std::string::npos);
  EXPECT_EQ(svg.find("a<b"), std::string::npos);
  // The NaN splits the first series into two polylines; the second is one.
  EXPECT_EQ(count_occurrences(svg, "<polyline"), 3u);
  EXPECT_EQ(count_occurrences(svg, "<circle"), 4u);
  EXPECT_NE(svg.find("stroke-dasharray=\"6 4\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"diag\""), std::string::npos);
  EXPECT_NE(svg.find(">epoch<"), std::string::npos);
  EXPECT_EQ(svg.find("http"), std::string::npos);  // no xmlns, no links
}

TEST(Svg, EmptyChartSaysNoData) {
  SvgChart c;
  c.series.push_back({"none", {}, {}, "", false, false});
  EXPECT_NE(render_line_chart(c).find("no data"), std::string::npos);
}

}  // namespace
}  // namespace osteo::report
