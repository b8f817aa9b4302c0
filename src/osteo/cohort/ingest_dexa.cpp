#include "osteo/cohort/ingest_dexa.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <variant>

#include "osteo/cohort/csv.h"

namespace osteo {
namespace {

// Outside these a value is a unit or column mix-up (e.g. mg/cm² in a g/cm² column), not a
// measurement: refusing the row beats a silently absurd label.
constexpr double kMaxAbsScore = 10.0;
constexpr double kMaxBmd = 5.0;

struct Columns {
  std::optional<std::size_t> patient_id, date, side, sex, ethnicity, manufacturer;
  std::optional<std::size_t> site, bmd, t_score, z_score;  // long
  struct Group {
    DexaSite site;
    std::optional<std::size_t> bmd, t_score, z_score;
  };
  std::vector<Group> groups;  // wide, only those with at least one column present
};

// A validated row ready to store.
struct Row {
  std::size_t line = 0;
  PatientRecord patient;
  std::vector<DexaRecord> measurements;
};

std::string names_list(const ColumnNames& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "'" : ", '") + n + "'";
  return s;
}

Result<Columns> resolve_columns(const CsvTable& t, const DexaMapping& m, DexaLayout& layout) {
  Columns c;
  c.patient_id = t.column_any(m.patient_id);
  c.date = t.column_any(m.date);
  c.side = t.column_any(m.side);
  c.sex = t.column_any(m.sex);
  c.ethnicity = t.column_any(m.ethnicity);
  c.manufacturer = t.column_any(m.manufacturer);
  c.site = t.column_any(m.site);
  layout = m.layout;
  if (layout == DexaLayout::kAuto) layout = c.site ? DexaLayout::kLong : DexaLayout::kWide;

  const auto missing = [&](const char* what, const ColumnNames& names) {
    return fail(ErrorCode::kCsvMissingColumn,
                t.name + ": missing required column " + what + " (header names accepted: " + names_list(names) + ")");
  };
  if (!c.patient_id) return missing("patient id", m.patient_id);
  if (!c.date) return missing("measurement date", m.date);
  if (layout == DexaLayout::kLong) {
    if (!c.site) return missing("site", m.site);
    c.bmd = t.column_any(m.bmd);
    c.t_score = t.column_any(m.t_score);
    c.z_score = t.column_any(m.z_score);
    if (!c.bmd && !c.t_score && !c.z_score) {
      return fail(ErrorCode::kCsvMissingColumn, t.name + ": missing a measurement column: none of " +
                                                    names_list(m.bmd) + ", " + names_list(m.t_score) + ", " +
                                                    names_list(m.z_score) + " is in the header");
    }
  } else {
    ColumnNames all;
    for (const auto& g : m.sites) {
      Columns::Group group{g.site, t.column_any(g.bmd), t.column_any(g.t_score), t.column_any(g.z_score)};
      if (group.bmd || group.t_score || group.z_score) c.groups.push_back(group);
      all.insert(all.end(), g.bmd.begin(), g.bmd.end());
      all.insert(all.end(), g.t_score.begin(), g.t_score.end());
    }
    if (c.groups.empty()) {
      return fail(ErrorCode::kCsvMissingColumn,
                  t.name + ": missing site columns: no BMD, T-score or Z-score column of any site (e.g. " +
                      names_list(all) + ")");
    }
  }
  return c;
}

// Parses an optional numeric cell; sets `error` (naming the column) when present but bad.
std::optional<double> number_cell(const CsvTable& t, const CsvRecord& r, std::optional<std::size_t> col,
                                  double max_abs, std::string& error) {
  const std::string text = trim(CsvTable::field(r, col));
  if (text.empty() || !error.empty()) return std::nullopt;
  auto v = parse_number(text);
  if (!v) {
    error = "unparsable number '" + text + "' in column '" + t.header[*col] + "'";
    return std::nullopt;
  }
  if (std::abs(*v) > max_abs || (max_abs == kMaxBmd && *v <= 0)) {
    error = "implausible value " + text + " in column '" + t.header[*col] + "'";
    return std::nullopt;
  }
  return v;
}

// Validates one record; returns the row or the reason it is bad.
std::variant<Row, std::string> parse_row(const CsvTable& t, const CsvRecord& r, const Columns& c, DexaLayout layout,
                                         const DexaMapping& m, const std::string& source_name) {
  if (!r.error.empty()) return "malformed CSV record: " + r.error;
  Row row;
  row.line = r.line;
  row.patient.patient_id = trim(CsvTable::field(r, c.patient_id));
  if (row.patient.patient_id.empty()) return "no patient id (column '" + t.header[*c.patient_id] + "' is empty)";
  const std::string date_text = trim(CsvTable::field(r, c.date));
  if (date_text.empty()) return "no measurement date (column '" + t.header[*c.date] + "' is empty)";
  const auto date = parse_date(date_text, m.date_order);
  if (!date) {
    return "unparsable date '" + date_text + "' in column '" + t.header[*c.date] + "' (expected " +
           (m.date_order == DateOrder::kMonthFirst ? "MM/DD/YYYY" : "DD/MM/YYYY") + " or YYYY-MM-DD)";
  }
  const std::string side_text = trim(CsvTable::field(r, c.side));
  const Side side = parse_side(side_text);
  if (!side_text.empty() && side == Side::kUnknown) {
    return "unrecognised side '" + side_text + "' in column '" + t.header[*c.side] + "' (expected Left/Right/L/R)";
  }
  row.patient.sex = normalize_sex(CsvTable::field(r, c.sex));
  row.patient.ethnicity = trim(CsvTable::field(r, c.ethnicity));
  const std::string manufacturer = trim(CsvTable::field(r, c.manufacturer));

  DexaRecord base;
  base.patient_id = row.patient.patient_id;
  base.date = *date;
  base.side = side;
  base.manufacturer = manufacturer;
  base.source = source_name + ":" + std::to_string(r.line);

  std::string error;
  if (layout == DexaLayout::kLong) {
    const std::string site_text = trim(CsvTable::field(r, c.site));
    if (site_text.empty()) return "no site (column '" + t.header[*c.site] + "' is empty)";
    const auto site = parse_site(site_text);
    if (!site) return "unrecognised site '" + site_text + "' in column '" + t.header[*c.site] + "'";
    DexaRecord d = base;
    d.site = *site;
    d.bmd_g_cm2 = number_cell(t, r, c.bmd, kMaxBmd, error);
    d.t_score = number_cell(t, r, c.t_score, kMaxAbsScore, error);
    d.z_score = number_cell(t, r, c.z_score, kMaxAbsScore, error);
    if (!error.empty()) return error;
    if (!d.bmd_g_cm2 && !d.t_score && !d.z_score) return "no BMD, T-score or Z-score value";
    row.measurements.push_back(d);
  } else {
    for (const auto& g : c.groups) {
      DexaRecord d = base;
      d.site = g.site;
      d.bmd_g_cm2 = number_cell(t, r, g.bmd, kMaxBmd, error);
      d.t_score = number_cell(t, r, g.t_score, kMaxAbsScore, error);
      d.z_score = number_cell(t, r, g.z_score, kMaxAbsScore, error);
      if (!error.empty()) return error;
      if (d.bmd_g_cm2 || d.t_score || d.z_score) row.measurements.push_back(d);
    }
    if (row.measurements.empty()) return std::string("no BMD, T-score or Z-score value in any site column");
  }
  return row;
}

std::string describe_key(const DexaRecord& d) {
  return "patient " + d.patient_id + ", " + d.date.iso() + ", side " +
         (d.side == Side::kUnknown ? std::string("unknown") : side_code(d.side));
}

}  // namespace

Result<DexaIngestReport> ingest_dexa(CohortStore& store, const std::string& csv_path, const DexaMapping& mapping) {
  auto table = read_csv_file(csv_path);
  if (!table) return tl::unexpected<Error>(table.error());
  DexaIngestReport report;
  report.path = csv_path;
  auto columns = resolve_columns(*table, mapping, report.layout);
  if (!columns) return tl::unexpected<Error>(columns.error());
  const std::string source_name = std::filesystem::path(csv_path).filename().string();

  std::vector<Row> rows;
  for (const auto& record : table->records) {
    ++report.rows;
    auto parsed = parse_row(*table, record, *columns, report.layout, mapping, source_name);
    if (auto* reason = std::get_if<std::string>(&parsed)) {
      ++report.rows_bad;
      report.issues.push_back({record.line, RowIssue::Kind::kBadRow, *reason});
    } else {
      rows.push_back(std::move(std::get<Row>(parsed)));
    }
  }

  using Key = std::tuple<std::string, std::int64_t, int, int>;
  std::map<Key, std::size_t> first_line;
  std::set<std::string> patients;
  try {
    store.transaction([&] {
      for (auto& row : rows) {
        store.upsert_patient(row.patient);
        std::size_t inserted = 0;
        std::vector<std::string> duplicates;  // per measurement, "<site> <where>"
        for (auto& d : row.measurements) {
          const Key key{d.patient_id, d.date.days_since_epoch(), static_cast<int>(d.site), static_cast<int>(d.side)};
          auto seen = first_line.find(key);
          if (seen != first_line.end()) {
            duplicates.push_back(std::string(site_name(d.site)) + " duplicates line " + std::to_string(seen->second));
            continue;
          }
          first_line.emplace(key, row.line);
          if (store.insert_dexa(d)) {
            ++inserted;
            ++report.measurements_inserted;
          } else {
            duplicates.push_back(std::string(site_name(d.site)) + " is already in the store");
          }
        }
        report.measurements_duplicate += duplicates.size();
        if (!duplicates.empty()) {
          // One issue per row: a repeated wide row is one mistake, not five.
          std::string reason = (inserted == 0 ? "duplicate row: " : "duplicate measurements: ") +
                               describe_key(row.measurements.front()) + ": ";
          for (std::size_t i = 0; i < duplicates.size(); ++i) reason += (i ? "; " : "") + duplicates[i];
          report.issues.push_back({row.line, RowIssue::Kind::kDuplicate, reason});
        }
        if (inserted > 0) {
          ++report.rows_imported;
          patients.insert(row.patient.patient_id);
        } else {
          ++report.rows_duplicate;
        }
      }
    });
  } catch (const OsteoError& e) {
    return tl::unexpected<Error>(import_rolled_back(csv_path, e.error()));
  }
  report.patients = patients.size();
  sort_by_line(report.issues);
  return report;
}

nlohmann::json to_json(const DexaIngestReport& r) {
  return {{"kind", "dexa"},
          {"path", r.path},
          {"layout", dexa_layout_name(r.layout)},
          {"rows", r.rows},
          {"rows_imported", r.rows_imported},
          {"rows_bad", r.rows_bad},
          {"rows_duplicate", r.rows_duplicate},
          {"measurements_inserted", r.measurements_inserted},
          {"measurements_duplicate", r.measurements_duplicate},
          {"patients", r.patients},
          {"issues", to_json(r.issues)}};
}

}  // namespace osteo
