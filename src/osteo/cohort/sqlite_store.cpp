// The SQLite cohort store. Concurrency model: one connection per store object, and a store
// object is used by one thread at a time (open one store per thread). WAL lets readers in
// other processes or threads work while a writer commits; a writer waits up to kBusyTimeoutMs
// for another writer before failing with kStoreBusy.
#include "osteo/cohort/sqlite_store.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "osteo/cohort/migrations.h"
#include "osteo/cohort/sqlite_screenings.h"
#include "osteo/cohort/sqlite_db.h"
#include "osteo/core/radiograph_json.h"

namespace osteo {
namespace {

using sqlite::Query;

constexpr int kBusyTimeoutMs = 5000;

std::optional<std::string> iso_or_null(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->iso();
}

std::optional<Date> date_from_text(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return parse_date(text);
}

class SqliteStore final : public CohortStore {
 public:
  explicit SqliteStore(const std::string& path) : db_(path) {
    db_.exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
    {
      Query q(db_.prepare("PRAGMA journal_mode = WAL"));
      const std::string mode = q->step() ? q->get_text(0) : "";
      if (mode != "wal") spdlog::warn("{}: journal mode is '{}', not WAL", path, mode);
    }
    // NORMAL is durable across application crashes in WAL mode; only an OS crash or power
    // loss can lose the last commits, never corrupt the file.
    db_.exec("PRAGMA synchronous = NORMAL");
    db_.exec("PRAGMA foreign_keys = ON");
    migrate();
  }

  void transaction(const std::function<void()>& fn) override {
    // The outermost call owns BEGIN IMMEDIATE (take the write lock up front, so a busy
    // database fails here rather than half-way); nested calls are savepoints, so an inner
    // failure caught by the caller rolls back only the inner work.
    const bool outer = depth_ == 0;
    const std::string savepoint = "sp" + std::to_string(depth_);
    db_.exec(outer ? "BEGIN IMMEDIATE" : "SAVEPOINT " + savepoint);
    ++depth_;
    try {
      fn();
    } catch (...) {
      --depth_;
      try {
        db_.exec(outer ? "ROLLBACK" : "ROLLBACK TO " + savepoint + "; RELEASE " + savepoint);
      } catch (const std::exception& e) {
        spdlog::error("{}: rollback failed: {}", db_.path(), e.what());
      }
      throw;
    }
    --depth_;
    try {
      db_.exec(outer ? "COMMIT" : "RELEASE " + savepoint);
    } catch (...) {
      if (outer) {
        try {
          db_.exec("ROLLBACK");
        } catch (...) {
        }
      }
      throw;
    }
  }

  int schema_version() override { return static_cast<int>(db_.scalar_int("PRAGMA user_version")); }

  std::string describe() const override { return "sqlite:" + db_.path(); }

  bool insert_screening(const ScreeningRecord& screening) override {
    return sqlite_screenings::insert(db_, screening);
  }
  std::optional<ScreeningRecord> screening(const std::string& id, bool with_images) override {
    return sqlite_screenings::by_id(db_, id, with_images);
  }
  std::vector<ScreeningSummary> screenings(int limit, int offset) override {
    return sqlite_screenings::list(db_, limit, offset);
  }

  // --- patients
  void upsert_patient(const PatientRecord& p) override {
    if (p.patient_id.empty()) throw OsteoError(ErrorCode::kInvalidArgument, "upsert_patient: empty patient id");
    Query q(db_.prepare(
        "INSERT INTO patients(patient_id, sex, birth_date, ethnicity) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(patient_id) DO UPDATE SET "
        "sex = CASE WHEN patients.sex = '' THEN excluded.sex ELSE patients.sex END, "
        "birth_date = COALESCE(patients.birth_date, excluded.birth_date), "
        "ethnicity = CASE WHEN patients.ethnicity = '' THEN excluded.ethnicity ELSE patients.ethnicity END"));
    q->bind(1, p.patient_id).bind(2, p.sex).bind(3, iso_or_null(p.birth_date)).bind(4, p.ethnicity);
    while (q->step()) {
    }
  }

  std::vector<PatientRecord> patients() override {
    Query q(db_.prepare("SELECT patient_id, sex, birth_date, ethnicity FROM patients ORDER BY patient_id"));
    std::vector<PatientRecord> out;
    while (q->step()) {
      PatientRecord p;
      p.patient_id = q->get_text(0);
      p.sex = q->get_text(1);
      p.birth_date = date_from_text(q->get_text(2));
      p.ethnicity = q->get_text(3);
      out.push_back(std::move(p));
    }
    return out;
  }

  // --- images
  UpsertOutcome upsert_image(ImageRecord& image) override {
    const RadiographMeta& m = image.meta;
    if (m.path.empty()) throw OsteoError(ErrorCode::kInvalidArgument, "upsert_image: empty path");
    UpsertOutcome outcome = UpsertOutcome::kInserted;
    transaction([&] {
      ensure_patient(m.patient_id);
      const std::string meta_json = meta_to_json(m).dump();
      const std::string covariates_json = image.covariates.is_null() ? "{}" : image.covariates.dump();

      std::optional<std::int64_t> id;
      std::string old_sha, old_meta, old_source, old_cov;
      std::array<std::optional<std::int64_t>, 4> old_roi;
      {
        Query q(db_.prepare(
            "SELECT id, sha256, meta_json, source, covariates_json, roi_x, roi_y, roi_w, roi_h FROM images WHERE path = ?1"));
        q->bind(1, m.path);
        if (q->step()) {
          id = q->get_int(0);
          old_sha = q->get_text(1);
          old_meta = q->get_text(2);
          old_source = q->get_text(3);
          old_cov = q->get_text(4);
          for (int i = 0; i < 4; ++i) old_roi[i] = q->get_opt_int(5 + i);
        }
      }
      std::array<std::optional<std::int64_t>, 4> new_roi;
      if (image.roi) {
        for (int i = 0; i < 4; ++i) new_roi[i] = (*image.roi)[i];
      }

      if (!id) {
        Query q(db_.prepare(
            "INSERT INTO images(path, sha256, format, patient_id, study_date, laterality, modality, body_part, "
            "view_position, rows, columns, meta_json, source, covariates_json, roi_x, roi_y, roi_w, roi_h) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"));
        bind_image(*q, image, meta_json, covariates_json, new_roi);
        while (q->step()) {
        }
        image.id = db_.last_insert_id();
        outcome = UpsertOutcome::kInserted;
        return;
      }
      image.id = *id;
      const bool content_changed = old_sha != m.sha256;
      // Same bytes but different metadata (a newer reader, a manifest row with new covariates
      // or ROI): refresh the row; the match and label still describe the same pixels.
      const bool row_changed = content_changed || old_meta != meta_json || old_source != image.source ||
                               old_cov != covariates_json || old_roi != new_roi;
      if (!row_changed) {
        outcome = UpsertOutcome::kUnchanged;
        return;
      }
      {
        Query q(db_.prepare(
            "UPDATE images SET path = ?1, sha256 = ?2, format = ?3, patient_id = ?4, study_date = ?5, laterality = ?6, "
            "modality = ?7, body_part = ?8, view_position = ?9, rows = ?10, columns = ?11, meta_json = ?12, "
            "source = ?13, covariates_json = ?14, roi_x = ?15, roi_y = ?16, roi_w = ?17, roi_h = ?18, "
            "ingested_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?19"));
        bind_image(*q, image, meta_json, covariates_json, new_roi);
        q->bind(19, *id);
        while (q->step()) {
        }
      }
      if (content_changed) {
        // The pixels changed: whatever was matched or labelled no longer describes this file.
        Query dm(db_.prepare("DELETE FROM matches WHERE image_id = ?1"));
        dm->bind(1, *id);
        while (dm->step()) {
        }
        Query dl(db_.prepare("DELETE FROM labels WHERE image_id = ?1"));
        dl->bind(1, *id);
        while (dl->step()) {
        }
      }
      outcome = UpsertOutcome::kUpdated;
    });
    return outcome;
  }

  std::optional<ImageRecord> image_by_path(const std::string& path) override {
    Query q(db_.prepare(std::string(kImageSelect) + " WHERE path = ?1"));
    q->bind(1, path);
    if (!q->step()) return std::nullopt;
    return read_image(*q);
  }

  std::optional<ImageRecord> image_by_id(std::int64_t id) override {
    Query q(db_.prepare(std::string(kImageSelect) + " WHERE id = ?1"));
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    return read_image(*q);
  }

  std::vector<ImageRecord> images() override {
    Query q(db_.prepare(std::string(kImageSelect) + " ORDER BY id"));
    std::vector<ImageRecord> out;
    while (q->step()) out.push_back(read_image(*q));
    return out;
  }

  // --- DEXA
  bool insert_dexa(DexaRecord& d) override {
    if (d.patient_id.empty()) throw OsteoError(ErrorCode::kInvalidArgument, "insert_dexa: empty patient id");
    bool inserted = false;
    transaction([&] {
      ensure_patient(d.patient_id);
      Query q(db_.prepare(
          "INSERT INTO dexa_measurements(patient_id, date, site, side, bmd_g_cm2, t_score, z_score, manufacturer, source) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(patient_id, date, site, side) DO NOTHING"));
      q->bind(1, d.patient_id)
          .bind(2, d.date.iso())
          .bind(3, site_name(d.site))
          .bind(4, side_code(d.side))
          .bind(5, d.bmd_g_cm2)
          .bind(6, d.t_score)
          .bind(7, d.z_score)
          .bind(8, d.manufacturer)
          .bind(9, d.source);
      while (q->step()) {
      }
      inserted = db_.changes() > 0;
      if (inserted) d.id = db_.last_insert_id();
    });
    return inserted;
  }

  std::vector<DexaRecord> dexa() override {
    Query q(db_.prepare(
        "SELECT id, patient_id, date, site, side, bmd_g_cm2, t_score, z_score, manufacturer, source "
        "FROM dexa_measurements ORDER BY id"));
    std::vector<DexaRecord> out;
    while (q->step()) {
      DexaRecord d;
      d.id = q->get_int(0);
      d.patient_id = q->get_text(1);
      d.date = date_from_text(q->get_text(2)).value_or(Date{});
      d.site = parse_site(q->get_text(3)).value_or(DexaSite::kOther);
      d.side = parse_side(q->get_text(4));
      d.bmd_g_cm2 = q->get_opt_double(5);
      d.t_score = q->get_opt_double(6);
      d.z_score = q->get_opt_double(7);
      d.manufacturer = q->get_text(8);
      d.source = q->get_text(9);
      out.push_back(std::move(d));
    }
    return out;
  }

  // --- matches and labels
  void replace_matches(const std::vector<MatchRecord>& matches, const std::vector<LabelRecord>& dexa_labels) override {
    transaction([&] {
      db_.exec("DELETE FROM matches; DELETE FROM labels WHERE source <> 'manifest'");
      Query q(db_.prepare(
          "INSERT INTO matches(image_id, dexa_id, days_apart, same_side, reason) VALUES (?1, ?2, ?3, ?4, ?5)"));
      for (const auto& m : matches) {
        q->bind(1, m.image_id).bind(2, m.dexa_id).bind(3, m.days_apart).bind(4, m.same_side ? 1 : 0).bind(5, m.reason);
        while (q->step()) {
        }
        q->reset();
      }
      for (const auto& l : dexa_labels) insert_label(l, /*replace=*/false);
    });
  }

  std::vector<MatchRecord> matches() override {
    Query q(db_.prepare("SELECT image_id, dexa_id, days_apart, same_side, reason FROM matches ORDER BY image_id"));
    std::vector<MatchRecord> out;
    while (q->step()) {
      MatchRecord m;
      m.image_id = q->get_int(0);
      m.dexa_id = q->get_opt_int(1);
      if (auto days = q->get_opt_int(2)) m.days_apart = static_cast<int>(*days);
      m.same_side = q->get_int(3) != 0;
      m.reason = q->get_text(4);
      out.push_back(std::move(m));
    }
    return out;
  }

  void upsert_label(const LabelRecord& label) override { insert_label(label, /*replace=*/true); }

  std::vector<LabelRecord> labels() override {
    Query q(db_.prepare("SELECT image_id, t_score, category, site, source, dexa_id FROM labels ORDER BY image_id"));
    std::vector<LabelRecord> out;
    while (q->step()) {
      LabelRecord l;
      l.image_id = q->get_int(0);
      l.t_score = q->get_double(1);
      l.category = parse_who(q->get_text(2)).value_or(who_category(l.t_score));
      l.site = q->get_text(3);
      l.source = q->get_text(4);
      l.dexa_id = q->get_opt_int(5);
      out.push_back(std::move(l));
    }
    return out;
  }

  // --- splits
  void replace_split(const std::string& scheme, const std::vector<SplitAssignment>& assignments,
                     const std::vector<SplitExclusion>& exclusions) override {
    transaction([&] {
      {
        Query d1(db_.prepare("DELETE FROM splits WHERE scheme = ?1"));
        d1->bind(1, scheme);
        while (d1->step()) {
        }
        Query d2(db_.prepare("DELETE FROM split_exclusions WHERE scheme = ?1"));
        d2->bind(1, scheme);
        while (d2->step()) {
        }
      }
      Query q(db_.prepare("INSERT INTO splits(scheme, patient_id, split) VALUES (?1, ?2, ?3)"));
      for (const auto& a : assignments) {
        q->bind(1, scheme).bind(2, a.patient_id).bind(3, a.split);
        try {
          while (q->step()) {
          }
        } catch (const OsteoError& e) {
          throw OsteoError(e.error().code, "split scheme '" + scheme + "': cannot assign patient '" + a.patient_id +
                                               "' to '" + a.split + "': " + e.error().message);
        }
        q->reset();
      }
      Query x(db_.prepare("INSERT INTO split_exclusions(scheme, image_id, reason) VALUES (?1, ?2, ?3)"));
      for (const auto& e : exclusions) {
        x->bind(1, scheme).bind(2, e.image_id).bind(3, e.reason);
        while (x->step()) {
        }
        x->reset();
      }
    });
  }

  std::vector<SplitAssignment> split_assignments(const std::string& scheme) override {
    Query q(db_.prepare("SELECT patient_id, split FROM splits WHERE scheme = ?1 ORDER BY patient_id"));
    q->bind(1, scheme);
    std::vector<SplitAssignment> out;
    while (q->step()) out.push_back({q->get_text(0), q->get_text(1)});
    return out;
  }

  std::vector<SplitExclusion> split_exclusions(const std::string& scheme) override {
    Query q(db_.prepare("SELECT image_id, reason FROM split_exclusions WHERE scheme = ?1 ORDER BY image_id"));
    q->bind(1, scheme);
    std::vector<SplitExclusion> out;
    while (q->step()) out.push_back({q->get_int(0), q->get_text(1)});
    return out;
  }

  std::vector<std::string> split_schemes() override {
    Query q(db_.prepare("SELECT scheme FROM splits UNION SELECT scheme FROM split_exclusions ORDER BY 1"));
    std::vector<std::string> out;
    while (q->step()) out.push_back(q->get_text(0));
    return out;
  }

  CohortCounts counts() override {
    CohortCounts c;
    c.patients = db_.scalar_int("SELECT COUNT(*) FROM patients");
    c.images = db_.scalar_int("SELECT COUNT(*) FROM images");
    c.dexa = db_.scalar_int("SELECT COUNT(*) FROM dexa_measurements");
    c.matched = db_.scalar_int("SELECT COUNT(*) FROM matches WHERE dexa_id IS NOT NULL");
    c.labels = db_.scalar_int("SELECT COUNT(*) FROM labels");
    return c;
  }

 private:
  static constexpr const char* kImageSelect =
      "SELECT id, path, sha256, meta_json, source, covariates_json, roi_x, roi_y, roi_w, roi_h FROM images";

  void migrate() {
    const int current = schema_version();
    const int latest = cohort_schema_version();
    if (current > latest) {
      throw OsteoError(ErrorCode::kStoreSchemaTooNew,
                       db_.path() + ": schema version " + std::to_string(current) + " was written by a newer OsteoScreen (this build knows up to " +
                           std::to_string(latest) + "); upgrade OsteoScreen");
    }
    for (const auto& m : cohort_migrations()) {
      if (m.version <= current) continue;
      transaction([&] {
        // Re-check under the write lock: another process may have migrated meanwhile.
        if (schema_version() >= m.version) return;
        db_.exec(m.sql);
        db_.exec("PRAGMA user_version = " + std::to_string(m.version));
      });
      spdlog::debug("{}: migrated to schema {} ({})", db_.path(), m.version, m.summary);
    }
  }

  // Keeps the foreign keys satisfiable when a caller stores an image or a measurement before
  // (or without) its patient's demographics.
  void ensure_patient(const std::string& patient_id) {
    if (patient_id.empty()) return;
    Query q(db_.prepare("INSERT INTO patients(patient_id) VALUES (?1) ON CONFLICT(patient_id) DO NOTHING"));
    q->bind(1, patient_id);
    while (q->step()) {
    }
  }

  static void bind_image(sqlite::Statement& q, const ImageRecord& image, const std::string& meta_json,
                         const std::string& covariates_json, const std::array<std::optional<std::int64_t>, 4>& roi) {
    const RadiographMeta& m = image.meta;
    q.bind(1, m.path)
        .bind(2, m.sha256)
        .bind(3, m.format)
        .bind_text_or_null(4, m.patient_id)
        .bind(5, iso_or_null(m.study_date))
        .bind(6, side_code(m.laterality))
        .bind(7, m.modality)
        .bind(8, m.body_part)
        .bind(9, m.view_position)
        .bind(10, m.rows)
        .bind(11, m.columns)
        .bind(12, meta_json)
        .bind(13, image.source)
        .bind(14, covariates_json);
    for (int i = 0; i < 4; ++i) q.bind(15 + i, roi[i]);
  }

  ImageRecord read_image(sqlite::Statement& q) {
    ImageRecord r;
    r.id = q.get_int(0);
    const std::string path = q.get_text(1);
    try {
      r.meta = meta_from_json(nlohmann::json::parse(q.get_text(3)));
      r.covariates = nlohmann::json::parse(q.get_text(5));
    } catch (const nlohmann::json::exception& e) {
      throw OsteoError(ErrorCode::kStoreError, db_.path() + ": image " + std::to_string(r.id) + " (" + path +
                                                   ") has corrupt JSON: " + e.what());
    }
    // The columns are authoritative for the keys.
    r.meta.path = path;
    r.meta.sha256 = q.get_text(2);
    r.source = q.get_text(4);
    if (!q.is_null(6)) {
      r.roi = std::array<int, 4>{static_cast<int>(q.get_int(6)), static_cast<int>(q.get_int(7)),
                                 static_cast<int>(q.get_int(8)), static_cast<int>(q.get_int(9))};
    }
    return r;
  }

  void insert_label(const LabelRecord& l, bool replace) {
    Query q(db_.prepare(replace ? "INSERT OR REPLACE INTO labels(image_id, t_score, category, site, source, dexa_id) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                                : "INSERT INTO labels(image_id, t_score, category, site, source, dexa_id) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    q->bind(1, l.image_id).bind(2, l.t_score).bind(3, who_name(l.category)).bind(4, l.site).bind(5, l.source).bind(6, l.dexa_id);
    try {
      while (q->step()) {
      }
    } catch (const OsteoError& e) {
      throw OsteoError(e.error().code, "label of image " + std::to_string(l.image_id) + " (" + l.source +
                                           "): " + e.error().message);
    }
  }

  sqlite::Database db_;
  int depth_ = 0;
};

}  // namespace

Result<std::unique_ptr<CohortStore>> open_sqlite_store(const std::string& path) {
  try {
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
      return fail(ErrorCode::kStoreError, path + ": folder " + parent.string() + " does not exist");
    }
    return std::unique_ptr<CohortStore>(std::make_unique<SqliteStore>(path));
  } catch (const OsteoError& e) {
    return tl::unexpected<Error>(e.error());
  }
}

}  // namespace osteo
