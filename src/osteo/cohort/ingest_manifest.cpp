#include "osteo/cohort/ingest_manifest.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "osteo/cohort/csv.h"
#include "osteo/core/parallel.h"
#include "osteo/core/progress.h"

namespace fs = std::filesystem;

namespace osteo {
namespace {

constexpr double kMaxAbsScore = 10.0;  // beyond this a T-score is a typo or a unit mix-up
const char* const kDerivedExtensions[] = {".jpg", ".jpeg", ".png"};
const char* const kNumericCovariates[] = {"age", "height_m", "weight_kg", "bmi", "z_score", "menopause_age"};
const char* const kBooleanCovariates[] = {"smoker", "alcoholic", "diabetic", "history_of_fracture",
                                          "family_history_osteoporosis"};
const char* const kRoiColumns[] = {"roi_x", "roi_y", "roi_w", "roi_h"};

bool listed(const char* const* begin, const char* const* end, const std::string& name) {
  return std::find_if(begin, end, [&](const char* s) { return name == s; }) != end;
}

struct Row {
  std::size_t line = 0;
  std::string patient_id;
  std::string sex;
  std::optional<double> age;
  std::string image_path;  // absolute, normalised
  double t_score = 0;
  std::optional<std::array<int, 4>> roi;
  nlohmann::json covariates = nlohmann::json::object();
  std::vector<std::string> warnings;
  Result<RadiographMeta> meta{RadiographMeta{}};
};

std::string normal_path(const fs::path& base, const std::string& cell) {
  fs::path p(cell);
  if (p.is_relative()) p = base / p;
  std::error_code ec;
  fs::path n = fs::weakly_canonical(p, ec);
  return (ec ? p.lexically_normal() : n).string();
}

}  // namespace

Result<ManifestIngestReport> ingest_manifest(CohortStore& store, const std::string& csv_path,
                                             const ManifestIngestOptions& options) {
  auto table_result = read_csv_file(csv_path);
  if (!table_result) return tl::unexpected<Error>(table_result.error());
  const CsvTable& t = *table_result;
  ManifestIngestReport report;
  report.path = csv_path;
  std::error_code ec;
  const fs::path base = fs::absolute(fs::path(csv_path), ec).parent_path();

  const auto missing = [&](const std::string& column) {
    return fail(ErrorCode::kCsvMissingColumn, csv_path + ": missing required column '" + column + "'");
  };
  const auto c_patient = t.column("patient_id");
  if (!c_patient) return missing("patient_id");
  const auto c_t = t.column("t_score");
  if (!c_t) return missing("t_score");
  const auto c_image = t.column("image");
  const auto c_diagnosis = t.column("diagnosis");
  std::array<std::optional<std::size_t>, 4> c_roi;
  int roi_present = 0;
  for (int i = 0; i < 4; ++i) {
    c_roi[i] = t.column(kRoiColumns[i]);
    roi_present += c_roi[i] ? 1 : 0;
  }
  if (roi_present != 0 && roi_present != 4) {
    for (int i = 0; i < 4; ++i) {
      if (!c_roi[i]) return fail(ErrorCode::kCsvMissingColumn, csv_path + ": missing column '" + kRoiColumns[i] +
                                                                   "' (the roi_x, roi_y, roi_w, roi_h columns go together)");
    }
  }
  report.image_column = c_image ? t.header[*c_image] : "derived: images/<patient_id>.jpg";

  // Covariate columns: everything that is not the key, the label or the ROI.
  std::vector<std::pair<std::size_t, std::string>> covariate_columns;
  for (std::size_t i = 0; i < t.header.size(); ++i) {
    const std::string name = normalize_token(t.header[i]);
    if (name == "image" || name == "patient_id" || name == "t_score" || name == "diagnosis" ||
        listed(std::begin(kRoiColumns), std::end(kRoiColumns), name)) {
      continue;
    }
    covariate_columns.emplace_back(i, name.empty() ? "column_" + std::to_string(i + 1) : name);
  }

  std::vector<Row> rows;
  std::map<std::string, std::size_t> image_line;
  const auto bad = [&](std::size_t line, std::string reason) {
    ++report.rows_bad;
    report.issues.push_back({line, RowIssue::Kind::kBadRow, std::move(reason)});
  };
  for (const auto& r : t.records) {
    ++report.rows;
    if (!r.error.empty()) {
      bad(r.line, "malformed CSV record: " + r.error);
      continue;
    }
    Row row;
    row.line = r.line;
    row.patient_id = trim(CsvTable::field(r, c_patient));
    if (row.patient_id.empty()) {
      bad(r.line, "no patient id (column '" + t.header[*c_patient] + "' is empty)");
      continue;
    }
    // Image path.
    if (c_image) {
      const std::string cell = trim(CsvTable::field(r, c_image));
      if (cell.empty()) {
        bad(r.line, "no image path (column '" + t.header[*c_image] + "' is empty)");
        continue;
      }
      row.image_path = normal_path(base, cell);
    } else {
      for (const char* ext : kDerivedExtensions) {
        const std::string candidate = normal_path(base, "images/" + row.patient_id + ext);
        if (fs::is_regular_file(candidate, ec)) {
          row.image_path = candidate;
          break;
        }
      }
      if (row.image_path.empty()) {
        bad(r.line, "no image column and no images/" + row.patient_id + ".jpg (.jpeg, .png) next to the manifest");
        continue;
      }
    }
    if (!fs::is_regular_file(row.image_path, ec)) {
      bad(r.line, "image file not found: " + row.image_path);
      continue;
    }
    // T-score (the label).
    const std::string t_text = trim(CsvTable::field(r, c_t));
    if (t_text.empty()) {
      bad(r.line, "no T-score (column '" + t.header[*c_t] + "' is empty)");
      continue;
    }
    const auto t_value = parse_number(t_text);
    if (!t_value) {
      bad(r.line, "unparsable number '" + t_text + "' in column '" + t.header[*c_t] + "'");
      continue;
    }
    if (std::abs(*t_value) > kMaxAbsScore) {
      bad(r.line, "implausible T-score " + t_text + " in column '" + t.header[*c_t] + "'");
      continue;
    }
    row.t_score = *t_value;
    // Covariates.
    std::string row_error;
    for (const auto& [col, key] : covariate_columns) {
      const std::string cell = trim(CsvTable::field(r, col));
      if (cell.empty()) {
        row.covariates[key] = nullptr;
        continue;
      }
      if (key == "sex") {
        row.sex = normalize_sex(cell);
        if (row.sex.empty()) row.warnings.push_back("unrecognised sex '" + cell + "' (expected female/male/other)");
        row.covariates[key] = row.sex.empty() ? nlohmann::json(cell) : nlohmann::json(row.sex);
      } else if (listed(std::begin(kNumericCovariates), std::end(kNumericCovariates), key)) {
        const auto v = parse_number(cell);
        if (!v) {
          row_error = "unparsable number '" + cell + "' in column '" + t.header[col] + "'";
          break;
        }
        row.covariates[key] = *v;
        if (key == "age") row.age = v;
      } else if (listed(std::begin(kBooleanCovariates), std::end(kBooleanCovariates), key)) {
        const auto b = parse_yes_no(cell);
        if (!b) row.warnings.push_back("column '" + t.header[col] + "': '" + cell + "' is not yes/no; kept as text");
        row.covariates[key] = b ? nlohmann::json(*b) : nlohmann::json(cell);
      } else {
        const auto v = parse_number(cell);
        row.covariates[key] = v ? nlohmann::json(*v) : nlohmann::json(cell);
      }
    }
    if (!row_error.empty()) {
      bad(r.line, row_error);
      continue;
    }
    // ROI.
    if (roi_present == 4) {
      std::array<std::string, 4> cells;
      int filled = 0;
      for (int i = 0; i < 4; ++i) {
        cells[i] = trim(CsvTable::field(r, c_roi[i]));
        filled += cells[i].empty() ? 0 : 1;
      }
      if (filled == 4) {
        std::array<int, 4> roi{};
        for (int i = 0; i < 4 && row_error.empty(); ++i) {
          const auto v = parse_number(cells[i]);
          if (!v || *v != std::floor(*v) || *v < 0 || *v > 1e6 || (i >= 2 && *v == 0)) {
            row_error = "invalid " + std::string(kRoiColumns[i]) + " '" + cells[i] +
                        "' (a non-negative whole number of pixels; width and height above 0)";
          } else {
            roi[i] = static_cast<int>(*v);
          }
        }
        row.roi = roi;
      } else if (filled != 0) {
        row_error = "incomplete ROI: roi_x, roi_y, roi_w and roi_h must all be given or all be empty";
      }
      if (!row_error.empty()) {
        bad(r.line, row_error);
        continue;
      }
    }
    // Diagnosis cross-check.
    const WhoCategory band = who_category(row.t_score);
    if (c_diagnosis) {
      const std::string diagnosis = trim(CsvTable::field(r, c_diagnosis));
      if (!diagnosis.empty()) {
        const auto stated = parse_who(diagnosis);
        if (!stated) {
          row.warnings.push_back("unrecognised diagnosis '" + diagnosis + "'; the T-score band (" + who_name(band) +
                                 ") is used");
        } else if (*stated != band) {
          row.warnings.push_back("diagnosis '" + diagnosis + "' disagrees with T-score " + t_text + " (" +
                                 who_name(band) + "); the T-score band is used");
        }
      }
    }
    // One image, one row.
    auto [seen, fresh] = image_line.emplace(row.image_path, r.line);
    if (!fresh) {
      bad(r.line, "duplicate: image " + row.image_path + " is already listed on line " + std::to_string(seen->second));
      continue;
    }
    rows.push_back(std::move(row));
  }

  // Read the image headers (hash, size, format) in parallel.
  {
    Progress progress("ingest manifest", rows.size(), options.progress);
    parallel_for(rows.size(), options.threads, [&](std::size_t i) {
      rows[i].meta = read_radiograph_meta(rows[i].image_path, options.limits);
      progress.advance();
    });
  }

  std::set<std::string> patients;
  try {
    store.transaction([&] {
      for (auto& row : rows) {
        if (!row.meta) {
          bad(row.line, "unreadable image: " + row.meta.error().to_string());
          continue;
        }
        RadiographMeta& meta = *row.meta;
        if (row.roi && ((*row.roi)[0] + (*row.roi)[2] > meta.columns || (*row.roi)[1] + (*row.roi)[3] > meta.rows)) {
          bad(row.line, "ROI " + std::to_string((*row.roi)[0]) + "," + std::to_string((*row.roi)[1]) + " " +
                            std::to_string((*row.roi)[2]) + "x" + std::to_string((*row.roi)[3]) +
                            " lies outside the " + std::to_string(meta.columns) + "x" + std::to_string(meta.rows) + " image");
          continue;
        }
        if (!meta.patient_id.empty() && meta.patient_id != row.patient_id) {
          row.warnings.push_back("the image's own patient id '" + meta.patient_id + "' differs from the manifest's '" +
                                 row.patient_id + "'; the manifest is used");
        }
        meta.patient_id = row.patient_id;
        if (meta.patient_sex.empty()) meta.patient_sex = row.sex;
        if (!meta.patient_age_years && row.age) meta.patient_age_years = row.age;
        meta.path = row.image_path;

        store.upsert_patient({row.patient_id, row.sex, meta.birth_date, ""});
        ImageRecord image;
        image.meta = meta;
        image.source = "manifest";
        image.covariates = std::move(row.covariates);
        image.roi = row.roi;
        switch (store.upsert_image(image)) {
          case UpsertOutcome::kInserted: ++report.images_inserted; break;
          case UpsertOutcome::kUpdated: ++report.images_updated; break;
          case UpsertOutcome::kUnchanged: ++report.images_unchanged; break;
        }
        store.upsert_label({image.id, row.t_score, who_category(row.t_score), "manifest", "manifest", std::nullopt});
        ++report.labels;
        ++report.rows_imported;
        patients.insert(row.patient_id);
        for (auto& w : row.warnings) {
          ++report.warnings;
          report.issues.push_back({row.line, RowIssue::Kind::kWarning, std::move(w)});
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

nlohmann::json to_json(const ManifestIngestReport& r) {
  return {{"kind", "manifest"},
          {"path", r.path},
          {"image_column", r.image_column},
          {"rows", r.rows},
          {"rows_imported", r.rows_imported},
          {"rows_bad", r.rows_bad},
          {"warnings", r.warnings},
          {"images_inserted", r.images_inserted},
          {"images_updated", r.images_updated},
          {"images_unchanged", r.images_unchanged},
          {"labels", r.labels},
          {"patients", r.patients},
          {"issues", to_json(r.issues)}};
}

}  // namespace osteo
