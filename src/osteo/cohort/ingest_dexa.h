#pragma once
/// @file
/// Import of a DEXA export (CSV) into the cohort store; see dexa_mapping.h for the layouts.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/cohort/dexa_mapping.h"
#include "osteo/cohort/ingest_common.h"
#include "osteo/cohort/store.h"

namespace osteo {

/// What one DEXA import did. Every data row is counted exactly once:
/// rows == rows_imported + rows_bad + rows_duplicate.
struct DexaIngestReport {
  std::string path;
  DexaLayout layout = DexaLayout::kAuto;  ///< the layout used (auto resolved to wide or long)
  std::size_t rows = 0;
  std::size_t rows_imported = 0;   ///< rows that stored at least one measurement
  std::size_t rows_bad = 0;        ///< skipped: unparsable date/number/side, no patient id, ...
  std::size_t rows_duplicate = 0;  ///< every measurement of the row was already known
  std::size_t measurements_inserted = 0;
  std::size_t measurements_duplicate = 0;  ///< same patient, date, site and side as before
  std::size_t patients = 0;                ///< distinct patients among imported rows
  std::vector<RowIssue> issues;            ///< one per bad row, duplicate or warning, by line
};

/// Imports `csv_path` in one store transaction. Empty cells are missing values; a row with no
/// patient id or date, or with an unparsable date, number or side, is a bad row (reported,
/// skipped). Duplicates (an earlier row or the store already holds the same patient, date,
/// site and side) are reported and skipped. Gender and ethnicity fill the patient record.
/// Whole-file errors, with the store left untouched: kFileNotFound/kEmptyFile/kCsvBadRow from
/// reading the CSV, kCsvMissingColumn naming the missing column, store errors (kStoreError,
/// kStoreBusy).
Result<DexaIngestReport> ingest_dexa(CohortStore& store, const std::string& csv_path, const DexaMapping& mapping = {});

nlohmann::json to_json(const DexaIngestReport& report);

}  // namespace osteo
