#pragma once
/// @file Vocabulary shared by the importers: row issues and tolerant-but-strict cell parsing.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"

namespace osteo {

/// One problem with one CSV row. Every row an importer does not import produces one.
struct RowIssue {
  enum class Kind { kBadRow, kDuplicate, kWarning };
  std::size_t line = 0;  ///< 1-based physical line of the row
  Kind kind = Kind::kBadRow;
  std::string reason;    ///< names the column and the offending value
};
/// "bad_row", "duplicate", "warning".
const char* issue_kind_name(RowIssue::Kind kind);
/// {"line", "kind", "reason"}.
nlohmann::json to_json(const RowIssue& issue);
nlohmann::json to_json(const std::vector<RowIssue>& issues);
/// Orders issues by line, keeping the order of issues on the same line (reports read top-down).
void sort_by_line(std::vector<RowIssue>& issues);
/// The error of a whole-file import whose transaction was rolled back, naming the file.
Error import_rolled_back(const std::string& path, const Error& cause);

/// A whole cell as a finite number ("1.5", " -2 ", "1e3"); nullopt for anything else,
/// including "" (callers decide whether empty means missing), "1.5x", "nan" and "inf".
std::optional<double> parse_number(std::string_view text);

/// "F", "M", "O" from female/f/woman, male/m/man, other/o (case-insensitive); "" when the
/// cell is empty or unrecognised.
std::string normalize_sex(std::string_view text);

/// yes/no, true/false, y/n, 1/0 (case-insensitive) as a bool; nullopt otherwise.
std::optional<bool> parse_yes_no(std::string_view text);

/// Trims ASCII whitespace.
std::string trim(std::string_view text);

}  // namespace osteo
