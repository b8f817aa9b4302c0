#pragma once
/// @file
/// RFC 4180 CSV reading for the importers: quoted fields, doubled quotes, commas and newlines
/// inside quotes, a UTF-8 byte-order mark, CRLF or LF line ends. Each record keeps the 1-based
/// physical line on which it starts, so that every bad row can be reported by line number.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "osteo/core/error.h"

namespace osteo {

/// One data record of a CSV file.
struct CsvRecord {
  std::size_t line = 0;             ///< 1-based physical line where the record starts
  std::vector<std::string> fields;  ///< unquoted field values
  /// Non-empty when the record is malformed (text after a closing quote, or a field count that
  /// differs from the header's). Importers report such records as bad rows instead of guessing.
  std::string error;
};

/// A parsed CSV: a header and its records. Blank lines are not records.
struct CsvTable {
  std::string name;                 ///< file name used in messages
  std::vector<std::string> header;  ///< column names as written (BOM removed)
  std::vector<CsvRecord> records;

  /// Index of the column named `name`, compared case-insensitively with surrounding
  /// whitespace trimmed on both sides; nullopt when absent.
  std::optional<std::size_t> column(std::string_view name) const;
  /// The first of `names` present in the header.
  std::optional<std::size_t> column_any(const std::vector<std::string>& names) const;
  /// The field of `record` in `column`, or "" when the record is shorter (never throws).
  static const std::string& field(const CsvRecord& record, std::optional<std::size_t> column);
};

/// Parses CSV text. The first record is the header. Errors: kEmptyFile (no header),
/// kCsvBadRow for a quote left open at the end of the text (naming the line it opened on).
Result<CsvTable> parse_csv(std::string_view text, const std::string& name);

/// Reads and parses a CSV file. kFileNotFound if it cannot be opened, kFileTooLarge above
/// `max_bytes`, otherwise as parse_csv.
Result<CsvTable> read_csv_file(const std::string& path, std::size_t max_bytes = std::size_t{1} << 30);

}  // namespace osteo
