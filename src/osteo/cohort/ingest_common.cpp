#include "osteo/cohort/ingest_common.h"

#include <algorithm>

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "osteo/core/types.h"

namespace osteo {

const char* issue_kind_name(RowIssue::Kind kind) {
  switch (kind) {
    case RowIssue::Kind::kDuplicate: return "duplicate";
    case RowIssue::Kind::kWarning: return "warning";
    default: return "bad_row";
  }
}

nlohmann::json to_json(const RowIssue& issue) {
  return {{"line", issue.line}, {"kind", issue_kind_name(issue.kind)}, {"reason", issue.reason}};
}

nlohmann::json to_json(const std::vector<RowIssue>& issues) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : issues) out.push_back(to_json(i));
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::optional<double> parse_number(std::string_view text) {
  const std::string t = trim(text);
  if (t.empty()) return std::nullopt;
  // strtod also accepts "nan", "inf" and hex floats; none is a measurement.
  for (char c : t) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
      return std::nullopt;
    }
  }
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string normalize_sex(std::string_view text) {
  const std::string t = normalize_token(text);
  if (t == "f" || t == "female" || t == "woman") return "F";
  if (t == "m" || t == "male" || t == "man") return "M";
  if (t == "o" || t == "other") return "O";
  return "";
}

std::optional<bool> parse_yes_no(std::string_view text) {
  const std::string t = normalize_token(text);
  if (t == "yes" || t == "y" || t == "true" || t == "1") return true;
  if (t == "no" || t == "n" || t == "false" || t == "0") return false;
  return std::nullopt;
}

void sort_by_line(std::vector<RowIssue>& issues) {
  std::stable_sort(issues.begin(), issues.end(), [](const RowIssue& a, const RowIssue& b) { return a.line < b.line; });
}

Error import_rolled_back(const std::string& path, const Error& cause) {
  return Error{cause.code, path + ": import rolled back: " + cause.message};
}

}  // namespace osteo
