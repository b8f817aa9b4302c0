#include "osteo/report/svg.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "osteo/report/html.h"

namespace osteo::report {

namespace {

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string tick_label(double v, double step) {
  // Enough decimals to tell neighbouring ticks apart.
  int decimals = 0;
  while (decimals < 6 && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-9)
    ++decimals;
  return format_number(v, decimals);
}

struct Range {
  double lo, hi;
  std::vector<double> ticks;
};

Range axis_range(double lo, double hi, const std::vector<double>& data) {
  double dlo = INFINITY, dhi = -INFINITY;
  for (double v : data)
    if (std::isfinite(v)) {
      dlo = std::min(dlo, v);
      dhi = std::max(dhi, v);
    }
  if (!std::isfinite(dlo)) dlo = 0.0, dhi = 1.0;
  const bool fixed_lo = std::isfinite(lo), fixed_hi = std::isfinite(hi);
  if (!fixed_lo) lo = dlo;
  if (!fixed_hi) hi = dhi;
  if (!(hi > lo)) {
    const double pad = std::abs(lo) > 0 ? std::abs(lo) * 0.1 : 0.5;
    if (!fixed_lo) lo -= pad;
    if (!fixed_hi || !(hi > lo)) hi = lo + 2 * pad;
  }
  Range r{lo, hi, nice_ticks(lo, hi)};
  if (r.ticks.size() >= 2) {
    const double step = r.ticks[1] - r.ticks[0];
    // Widen automatic ends to the enclosing tick so the curve never touches the frame oddly.
    if (!fixed_lo && r.ticks.front() > lo + 1e-12) r.lo = r.ticks.front() - step;
    if (!fixed_hi && r.ticks.back() < hi - 1e-12) r.hi = r.ticks.back() + step;
    if (!fixed_lo || !fixed_hi) r.ticks = nice_ticks(r.lo, r.hi);
  }
  return r;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(std::isfinite(lo) && std::isfinite(hi)) || !(hi > lo) || target < 1) return {};
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> ticks;
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (double t = first; t <= hi + step * 1e-9; t += step) ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

std::string palette_color(std::size_t index) {
  static const char* kColors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
  return kColors[index % (sizeof kColors / sizeof kColors[0])];
}

std::string render_line_chart(const SvgChart& chart) {
  const double ml = 58, mr = 14, mt = chart.title.empty() ? 14 : 30, mb = 46;
  const double w = chart.width, h = chart.height;
  const double pw = w - ml - mr, ph = h - mt - mb;
  std::vector<double> xs, ys;
  for (const auto& s : chart.series) {
    xs.insert(xs.end(), s.x.begin(), s.x.end());
    ys.insert(ys.end(), s.y.begin(), s.y.end());
  }
  const Range xr = axis_range(chart.x_min, chart.x_max, xs);
  const Range yr = axis_range(chart.y_min, chart.y_max, ys);
  const auto X = [&](double v) { return ml + (v - xr.lo) / (xr.hi - xr.lo) * pw; };
  const auto Y = [&](double v) { return mt + ph - (v - yr.lo) / (yr.hi - yr.lo) * ph; };

  std::ostringstream o;
  o << "<svg class=\"chart\" viewBox=\"0 0 " << chart.width << ' ' << chart.height << "\" width=\"" << chart.width
    << "\" height=\"" << chart.height << "\" role=\"img\" aria-label=\"" << html_escape(chart.title) << "\">";
  if (!chart.title.empty())
    o << "<text x=\"" << px(w / 2) << "\" y=\"18\" text-anchor=\"middle\" class=\"ct\">" << html_escape(chart.title)
      << "</text>";
  // Grid and ticks.
  const double xstep = xr.ticks.size() > 1 ? xr.ticks[1] - xr.ticks[0] : 1.0;
  const double ystep = yr.ticks.size() > 1 ? yr.ticks[1] - yr.ticks[0] : 1.0;
  for (double t : xr.ticks) {
    if (t < xr.lo - 1e-12 || t > xr.hi + 1e-12) continue;
    o << "<line x1=\"" << px(X(t)) << "\" y1=\"" << px(mt) << "\" x2=\"" << px(X(t)) << "\" y2=\"" << px(mt + ph)
      << "\" class=\"grid\"/>";
    o << "<text x=\"" << px(X(t)) << "\" y=\"" << px(mt + ph + 16) << "\" text-anchor=\"middle\" class=\"tk\">"
      << tick_label(t, xstep) << "</text>";
  }
  for (double t : yr.ticks) {
    if (t < yr.lo - 1e-12 || t > yr.hi + 1e-12) continue;
    o << "<line x1=\"" << px(ml) << "\" y1=\"" << px(Y(t)) << "\" x2=\"" << px(ml + pw) << "\" y2=\"" << px(Y(t))
      << "\" class=\"grid\"/>";
    o << "<text x=\"" << px(ml - 6) << "\" y=\"" << px(Y(t) + 4) << "\" text-anchor=\"end\" class=\"tk\">"
      << tick_label(t, ystep) << "</text>";
  }
  o << "<rect x=\"" << px(ml) << "\" y=\"" << px(mt) << "\" width=\"" << px(pw) << "\" height=\"" << px(ph)
    << "\" class=\"frame\"/>";
  o << "<text x=\"" << px(ml + pw / 2) << "\" y=\"" << px(h - 8) << "\" text-anchor=\"middle\" class=\"al\">"
    << html_escape(chart.x_label) << "</text>";
  o << "<text transform=\"translate(14," << px(mt + ph / 2) << ") rotate(-90)\" text-anchor=\"middle\" class=\"al\">"
    << html_escape(chart.y_label) << "</text>";
  if (chart.diagonal) {
    const double a = std::max(xr.lo, yr.lo), b = std::min(xr.hi, yr.hi);
    if (b > a)
      o << "<line x1=\"" << px(X(a)) << "\" y1=\"" << px(Y(a)) << "\" x2=\"" << px(X(b)) << "\" y2=\"" << px(Y(b))
        << "\" class=\"diag\"/>";
  }
  bool any = false;
  for (std::size_t k = 0; k < chart.series.size(); ++k) {
    const SvgSeries& s = chart.series[k];
    const std::string color = s.color.empty() ? palette_color(k) : s.color;
    const std::string dash = s.dashed ? " stroke-dasharray=\"6 4\"" : "";
    std::string points;
    const auto flush = [&] {
      if (!points.empty())
        o << "<polyline fill=\"none\" stroke=\"" << html_escape(color) << "\" stroke-width=\"2\"" << dash
          << " points=\"" << points << "\"/>";
      points.clear();
    };
    const std::size_t n = std::min(s.x.size(), s.y.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
        flush();
        continue;
      }
      any = true;
      points += px(X(s.x[i])) + "," + px(Y(s.y[i])) + " ";
      if (s.markers)
        o << "<circle cx=\"" << px(X(s.x[i])) << "\" cy=\"" << px(Y(s.y[i])) << "\" r=\"3\" fill=\""
          << html_escape(color) << "\"/>";
    }
    flush();
  }
  if (!any)
    o << "<text x=\"" << px(ml + pw / 2) << "\" y=\"" << px(mt + ph / 2) << "\" text-anchor=\"middle\" class=\"tk\">"
      << "no data</text>";
  // Legend, bottom right inside the plot (where ROC and calibration curves leave room).
  std::vector<std::size_t> named;
  for (std::size_t k = 0; k < chart.series.size(); ++k)
    if (!chart.series[k].name.empty()) named.push_back(k);
  if (!named.empty()) {
    std::size_t longest = 0;
    for (auto k : named) longest = std::max(longest, chart.series[k].name.size());
    const double lw = std::min(pw - 8, 34.0 + 6.5 * static_cast<double>(longest));
    const double lh = 8 + 16.0 * static_cast<double>(named.size());
    const double lx = ml + pw - lw - 6, ly = mt + ph - lh - 6;
    o << "<rect x=\"" << px(lx) << "\" y=\"" << px(ly) << "\" width=\"" << px(lw) << "\" height=\"" << px(lh)
      << "\" class=\"legend\"/>";
    for (std::size_t i = 0; i < named.size(); ++i) {
      const SvgSeries& s = chart.series[named[i]];
      const std::string color = s.color.empty() ? palette_color(named[i]) : s.color;
      const double yy = ly + 14 + 16.0 * static_cast<double>(i);
      o << "<line x1=\"" << px(lx + 6) << "\" y1=\"" << px(yy - 4) << "\" x2=\"" << px(lx + 26) << "\" y2=\""
        << px(yy - 4) << "\" stroke=\"" << html_escape(color) << "\" stroke-width=\"2\""
        << (s.dashed ? " stroke-dasharray=\"6 4\"" : "") << "/>";
      o << "<text x=\"" << px(lx + 30) << "\" y=\"" << px(yy) << "\" class=\"tk\">" << html_escape(s.name)
        << "</text>";
    }
  }
  o << "</svg>";
  return o.str();
}

}  // namespace osteo::report
