#pragma once
/// @file
/// Small HTML text helpers for the self-contained reports.
#include <string>
#include <string_view>

namespace osteo::report {

/// Escapes & < > " ' so any text can go into element content or a quoted attribute.
std::string html_escape(std::string_view text);

/// A number with `decimals` digits after the point, or "n/a" for NaN/±∞.
std::string format_number(double value, int decimals = 3);
/// "0.812 (0.771–0.850)"; "n/a" parts where undefined.
std::string format_with_ci(double value, double low, double high, int decimals = 3);
/// A p-value: "<0.001", else 3 decimals; "n/a" for NaN.
std::string format_p(double p);

}  // namespace osteo::report
