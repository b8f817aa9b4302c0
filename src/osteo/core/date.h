#pragma once
/// @file
/// Calendar dates as plain values. Matching windows are counted in whole days, so a date is
/// all we need (no time zones: DICOM and DEXA exports both record local calendar dates).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace osteo {

struct Date {
  int year = 1970;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..31

  /// Days since 1970-01-01 (negative before). Differences give day counts.
  std::int64_t days_since_epoch() const;
  static Date from_days_since_epoch(std::int64_t days);
  /// "YYYY-MM-DD".
  std::string iso() const;

  friend bool operator==(const Date& a, const Date& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator!=(const Date& a, const Date& b) { return !(a == b); }
  friend bool operator<(const Date& a, const Date& b) {
    return a.days_since_epoch() < b.days_since_epoch();
  }
};

/// How to read ambiguous slash dates. ISO (2021-03-04) and DICOM DA (20210304) are always
/// recognised; slash dates are month-first in US exports and day-first in most of Europe.
enum class DateOrder { kMonthFirst, kDayFirst };

/// Parses "YYYY-MM-DD", "YYYYMMDD" (DICOM DA), "M/D/YYYY" or "D/M/YYYY" (per `order`),
/// "D.M.YYYY", optionally followed by a time ("2021-03-04 10:22" or "...T10:22:00").
/// Rejects impossible dates (2021-02-30). Returns nullopt on anything else.
std::optional<Date> parse_date(std::string_view text, DateOrder order = DateOrder::kMonthFirst);

/// Whole years between birth and `on` (the age a person gives), or nullopt if on < birth.
std::optional<int> age_in_years(const Date& birth, const Date& on);

/// Days in a month of a year (leap years honoured).
int days_in_month(int year, int month);

/// The current time in UTC formatted with strftime's `format`, e.g. "%Y%m%d%H%M%S" (DICOM DT
/// without zone) or "%Y-%m-%dT%H:%M:%SZ" (ISO 8601).
std::string utc_timestamp(const char* format);

}  // namespace osteo
