#pragma once
/// @file
/// Inline SVG line charts (axes, ticks, labels, legend) for the offline HTML reports. The SVG
/// has no xmlns and no external references: it is meant to sit inside an HTML5 page.
#include <cmath>
#include <string>
#include <vector>

namespace osteo::report {

/// One curve. Points with a NaN coordinate break the line into segments.
struct SvgSeries {
  std::string name;  ///< legend text (escaped when rendered)
  std::vector<double> x;
  std::vector<double> y;
  std::string color;     ///< CSS colour; empty = palette colour by position
  bool dashed = false;
  bool markers = false;  ///< draw a dot at each point
};

struct SvgChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  /// Axis ranges; NaN = from the data, widened to round tick values.
  double x_min = std::nan(""), x_max = std::nan(""), y_min = std::nan(""), y_max = std::nan("");
  bool diagonal = false;  ///< dashed y = x reference line (ROC chance, perfect calibration)
  int width = 460;
  int height = 360;
  std::vector<SvgSeries> series;
};

/// The chart as an <svg> element string. An empty chart (no finite points) still renders its
/// frame and the text "no data".
std::string render_line_chart(const SvgChart& chart);

/// About `target` round tick values (1, 2, 5 × 10^k steps) covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

/// A colour-blind-safe palette (Okabe–Ito), cycling.
std::string palette_color(std::size_t index);

}  // namespace osteo::report
