#include "osteo/cohort/csv.h"

#include <fstream>
#include <sstream>
#include <system_error>
#include <filesystem>

#include "osteo/core/types.h"

namespace osteo {

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
  const std::string wanted = normalize_token(name);
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (normalize_token(header[i]) == wanted) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> CsvTable::column_any(const std::vector<std::string>& names) const {
  for (const auto& n : names) {
    if (auto c = column(n)) return c;
  }
  return std::nullopt;
}

const std::string& CsvTable::field(const CsvRecord& record, std::optional<std::size_t> column) {
  static const std::string kEmpty;
  if (!column || *column >= record.fields.size()) return kEmpty;
  return record.fields[*column];
}

namespace {

bool is_blank(const CsvRecord& r) { return r.fields.size() == 1 && r.fields[0].empty() && r.error.empty(); }

}  // namespace

Result<CsvTable> parse_csv(std::string_view text, const std::string& name) {
  CsvTable table;
  table.name = name;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  std::vector<CsvRecord> all;
  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool record_done = false;
    while (!record_done) {
      field.clear();
      if (i < n && text[i] == '"') {
        // Quoted field: runs to the closing quote; "" is a literal quote; newlines are data.
        const std::size_t open_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          // CRLF inside quotes is kept as LF: the value, not the file's line convention.
          if (c == '\r' && i + 1 < n && text[i + 1] == '\n') {
            ++i;
            continue;
          }
          field.push_back(c);
          ++i;
        }
        if (!closed) {
          return fail(ErrorCode::kCsvBadRow,
                      name + ":" + std::to_string(open_line) + ": quoted field is never closed");
        }
        // Anything between the closing quote and the delimiter is malformed; keep it so the
        // caller sees the damage, and flag the record.
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (rec.error.empty()) {
            rec.error = "unexpected text after a closing quote in field " + std::to_string(rec.fields.size() + 1);
          }
          field.push_back(text[i]);
          ++i;
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          field.push_back(text[i]);
          ++i;
        }
      }
      rec.fields.push_back(field);
      if (i >= n) {
        record_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // line end: \n, \r\n or a lone \r
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        record_done = true;
      }
    }
    if (!is_blank(rec)) all.push_back(std::move(rec));
  }
  if (all.empty()) return fail(ErrorCode::kEmptyFile, name + ": no header line");
  table.header = std::move(all.front().fields);
  if (!all.front().error.empty()) {
    return fail(ErrorCode::kCsvBadRow, name + ":" + std::to_string(all.front().line) + ": header: " + all.front().error);
  }
  table.records.assign(std::make_move_iterator(all.begin() + 1), std::make_move_iterator(all.end()));
  for (auto& r : table.records) {
    if (r.error.empty() && r.fields.size() != table.header.size()) {
      r.error = std::to_string(r.fields.size()) + " fields where the header has " + std::to_string(table.header.size());
    }
  }
  return table;
}

Result<CsvTable> read_csv_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return fail(ErrorCode::kFileNotFound, path + ": is a directory, not a CSV file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kFileNotFound, path + ": cannot open");
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes) {
    return fail(ErrorCode::kFileTooLarge, path + ": " + std::to_string(size) + " bytes exceeds the limit of " +
                                              std::to_string(max_bytes));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return fail(ErrorCode::kFileNotFound, path + ": read error");
  const std::string text = buffer.str();
  if (text.empty()) return fail(ErrorCode::kEmptyFile, path + ": empty file");
  return parse_csv(text, path);
}

}  // namespace osteo
