#include "osteo/core/date.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <vector>

namespace osteo {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool valid(int y, int m, int d) {
  return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

// Splits "12/31/2021" style text into its numeric fields; rejects any non-digit field.
std::vector<std::string_view> split_fields(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::optional<int> to_int(std::string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<Date> make(std::optional<int> y, std::optional<int> m, std::optional<int> d) {
  if (!y || !m || !d || !valid(*y, *m, *d)) return std::nullopt;
  return Date{*y, *m, *d};
}

}  // namespace

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Proleptic Gregorian day count via the era/day-of-era decomposition (400-year cycles of
// 146097 days), shifted so that years start in March and the leap day falls last.
std::int64_t Date::days_since_epoch() const {
  const int y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(month > 2 ? month - 3 : month + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date Date::from_days_since_epoch(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400) + (m <= 2 ? 1 : 0);
  return Date{y, m, d};
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::optional<Date> parse_date(std::string_view text, DateOrder order) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  // Drop a trailing time of day: "2021-03-04 10:22", "2021-03-04T10:22:00".
  const auto cut = text.find_first_of(" T");
  if (cut != std::string_view::npos) text = text.substr(0, cut);
  if (text.empty()) return std::nullopt;

  if (text.size() == 8 && text.find_first_not_of("0123456789") == std::string_view::npos) {
    return make(to_int(text.substr(0, 4)), to_int(text.substr(4, 2)), to_int(text.substr(6, 2)));
  }
  for (char sep : {'-', '/', '.'}) {
    if (text.find(sep) == std::string_view::npos) continue;
    const auto f = split_fields(text, sep);
    if (f.size() != 3) return std::nullopt;
    if (f[0].size() == 4) return make(to_int(f[0]), to_int(f[1]), to_int(f[2]));  // Y-M-D
    if (f[2].size() != 4) return std::nullopt;  // two-digit years are ambiguous: refuse
    if (sep == '.' || (sep == '/' && order == DateOrder::kDayFirst) || sep == '-') {
      return make(to_int(f[2]), to_int(f[1]), to_int(f[0]));  // D.M.Y
    }
    return make(to_int(f[2]), to_int(f[0]), to_int(f[1]));  // M/D/Y
  }
  return std::nullopt;
}

std::optional<int> age_in_years(const Date& birth, const Date& on) {
  if (on < birth) return std::nullopt;
  int age = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
  return age;
}

std::string utc_timestamp(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[64];
  const std::size_t n = std::strftime(buffer, sizeof buffer, format, &tm);
  return std::string(buffer, n);
}

}  // namespace osteo
