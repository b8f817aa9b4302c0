#include "osteo/cohort/sqlite_screenings.h"

#include <algorithm>

namespace osteo::sqlite_screenings {

using sqlite::Query;

namespace {

nlohmann::json parse_json_column(const sqlite::Database& db, const std::string& id, const std::string& text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw OsteoError(ErrorCode::kStoreError, db.path() + ": screening " + id + " has corrupt JSON: " + e.what());
  }
}

}  // namespace

bool insert(sqlite::Database& db, const ScreeningRecord& s) {
  if (s.id.size() != 32) throw OsteoError(ErrorCode::kInvalidArgument, "screening id must be 32 hex characters");
  const auto& result = s.result;
  const std::string category = result.value("category", std::string());
  if (!parse_who(category)) {
    throw OsteoError(ErrorCode::kInvalidArgument, "screening " + s.id + ": result has no valid category");
  }
  // ON CONFLICT DO NOTHING: a concurrent identical request loses the race quietly and the
  // caller reads the winner's row.
  Query q(db.prepare(
      "INSERT INTO screenings(id, created_at, filename, format, input_sha256, model_sha256, category, "
      "p_osteoporosis, indeterminate, result_json, image_png, heatmap_png, dicom_source_json) "
      "VALUES (?1, COALESCE(?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
      "?13) ON CONFLICT(id) DO NOTHING"));
  q->bind(1, s.id)
      .bind_text_or_null(2, s.created_at)
      .bind(3, s.filename)
      .bind(4, s.format)
      .bind(5, s.input_sha256)
      .bind(6, s.model_sha256)
      .bind(7, category)
      .bind(8, result.value("p_osteoporosis", 0.0))
      .bind(9, result.value("indeterminate", false) ? 1 : 0)
      .bind(10, result.dump())
      .bind_blob(11, s.image_png)
      .bind_blob(12, s.heatmap_png);
  if (s.dicom_source.is_null()) {
    q->bind_null(13);
  } else {
    q->bind(13, s.dicom_source.dump());
  }
  q->run();
  return db.changes() == 1;
}

std::optional<ScreeningRecord> by_id(sqlite::Database& db, const std::string& id, bool with_images) {
  Query q(db.prepare(with_images
                         ? "SELECT id, created_at, filename, format, input_sha256, model_sha256, result_json, "
                           "dicom_source_json, image_png, heatmap_png FROM screenings WHERE id = ?1"
                         : "SELECT id, created_at, filename, format, input_sha256, model_sha256, result_json, "
                           "dicom_source_json FROM screenings WHERE id = ?1"));
  q->bind(1, id);
  if (!q->step()) return std::nullopt;
  ScreeningRecord s;
  s.id = q->get_text(0);
  s.created_at = q->get_text(1);
  s.filename = q->get_text(2);
  s.format = q->get_text(3);
  s.input_sha256 = q->get_text(4);
  s.model_sha256 = q->get_text(5);
  s.result = parse_json_column(db, s.id, q->get_text(6));
  if (!q->is_null(7)) s.dicom_source = parse_json_column(db, s.id, q->get_text(7));
  if (with_images) {
    s.image_png = q->get_blob(8);
    s.heatmap_png = q->get_blob(9);
  }
  return s;
}

std::vector<ScreeningSummary> list(sqlite::Database& db, int limit, int offset) {
  Query q(db.prepare(
      "SELECT id, created_at, filename, category, p_osteoporosis, indeterminate FROM screenings "
      "ORDER BY created_at DESC, rowid DESC LIMIT ?1 OFFSET ?2"));
  q->bind(1, std::max(0, limit)).bind(2, std::max(0, offset));
  std::vector<ScreeningSummary> out;
  while (q->step()) {
    ScreeningSummary s;
    s.id = q->get_text(0);
    s.created_at = q->get_text(1);
    s.filename = q->get_text(2);
    s.category = q->get_text(3);
    s.p_osteoporosis = q->get_double(4);
    s.indeterminate = q->get_int(5) != 0;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace osteo::sqlite_screenings
