#include "osteo/cohort/migrations.h"

namespace osteo {

namespace {

// Dates are ISO text (YYYY-MM-DD): they sort and compare correctly as text, and stay readable
// in the sqlite3 shell. Enumerations are stored by their stable names (types.h), not numbers.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE patients (
  patient_id  TEXT PRIMARY KEY NOT NULL CHECK (patient_id <> ''),
  sex         TEXT NOT NULL DEFAULT '',
  birth_date  TEXT,
  ethnicity   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE images (
  id              INTEGER PRIMARY KEY,
  path            TEXT NOT NULL UNIQUE,
  sha256          TEXT NOT NULL,
  format          TEXT NOT NULL DEFAULT '',
  patient_id      TEXT REFERENCES patients(patient_id),
  study_date      TEXT,
  laterality      TEXT NOT NULL DEFAULT '',
  modality        TEXT NOT NULL DEFAULT '',
  body_part       TEXT NOT NULL DEFAULT '',
  view_position   TEXT NOT NULL DEFAULT '',
  rows            INTEGER NOT NULL DEFAULT 0,
  columns         INTEGER NOT NULL DEFAULT 0,
  meta_json       TEXT NOT NULL,
  source          TEXT NOT NULL,
  covariates_json TEXT NOT NULL DEFAULT '{}',
  roi_x INTEGER, roi_y INTEGER, roi_w INTEGER, roi_h INTEGER,
  ingested_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX images_by_patient ON images(patient_id, study_date);

CREATE TABLE dexa_measurements (
  id            INTEGER PRIMARY KEY,
  patient_id    TEXT NOT NULL REFERENCES patients(patient_id),
  date          TEXT NOT NULL,
  site          TEXT NOT NULL,
  side          TEXT NOT NULL DEFAULT '',
  bmd_g_cm2     REAL,
  t_score       REAL,
  z_score       REAL,
  manufacturer  TEXT NOT NULL DEFAULT '',
  source        TEXT NOT NULL DEFAULT '',
  UNIQUE (patient_id, date, site, side)
);

CREATE TABLE matches (
  image_id    INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  dexa_id     INTEGER REFERENCES dexa_measurements(id) ON DELETE SET NULL,
  days_apart  INTEGER,
  same_side   INTEGER NOT NULL DEFAULT 0,
  reason      TEXT NOT NULL
);

CREATE TABLE labels (
  image_id  INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  t_score   REAL NOT NULL,
  category  TEXT NOT NULL CHECK (category IN ('normal', 'osteopenia', 'osteoporosis')),
  site      TEXT NOT NULL DEFAULT '',
  source    TEXT NOT NULL,
  dexa_id   INTEGER REFERENCES dexa_measurements(id) ON DELETE SET NULL
);

-- The primary key is the guarantee that a patient is in exactly one split of a scheme.
CREATE TABLE splits (
  scheme      TEXT NOT NULL,
  patient_id  TEXT NOT NULL REFERENCES patients(patient_id),
  split       TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
  PRIMARY KEY (scheme, patient_id)
);

CREATE TABLE split_exclusions (
  scheme    TEXT NOT NULL,
  image_id  INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  reason    TEXT NOT NULL,
  PRIMARY KEY (scheme, image_id)
);
)sql";

// The screening service's results. Every column is written by one INSERT, so a failed request
// leaves no row; the PNGs are small (downscaled film and heat layer) and live with the record
// so a result survives a restart and a backup of the one file.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE screenings (
  id            TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 32),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  filename      TEXT NOT NULL DEFAULT '',
  format        TEXT NOT NULL,
  input_sha256  TEXT NOT NULL,
  model_sha256  TEXT NOT NULL,
  category      TEXT NOT NULL CHECK (category IN ('normal', 'osteopenia', 'osteoporosis')),
  p_osteoporosis REAL NOT NULL,
  indeterminate INTEGER NOT NULL,
  result_json   TEXT NOT NULL,
  image_png     BLOB NOT NULL,
  heatmap_png   BLOB NOT NULL,
  dicom_source_json TEXT
);
CREATE INDEX screenings_by_time ON screenings(created_at);
)sql";

}  // namespace

const std::vector<Migration>& cohort_migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "patients, images, DEXA, matches, labels, splits", kSchemaV1},
      {2, "screenings of the service", kSchemaV2},
  };
  return kMigrations;
}

int cohort_schema_version() { return cohort_migrations().back().version; }

}  // namespace osteo
