#pragma once
/// @file The SQLite implementation of CohortStore (WAL, one file, versioned migrations).
#include <memory>
#include <string>

#include "osteo/cohort/store.h"

namespace osteo {

/// Opens or creates the SQLite store at `path` and migrates it to the current schema.
/// kStoreSchemaTooNew if the file was written by a newer OsteoScreen; kStoreError otherwise.
Result<std::unique_ptr<CohortStore>> open_sqlite_store(const std::string& path);

}  // namespace osteo
