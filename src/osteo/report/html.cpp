#include "osteo/report/html.h"

#include <cmath>
#include <cstdio>

namespace osteo::report {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  // "-0.000" reads as a sign error in a table.
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);
  return s;
}

std::string format_with_ci(double value, double low, double high, int decimals) {
  std::string s = format_number(value, decimals);
  if (std::isfinite(low) || std::isfinite(high))
    s += " (" + format_number(low, decimals) + "\u2013" + format_number(high, decimals) + ")";
  return s;
}

std::string format_p(double p) {
  if (std::isnan(p)) return "n/a";
  if (p < 0.001) return "<0.001";
  return format_number(p, 3);
}

}  // namespace osteo::report
