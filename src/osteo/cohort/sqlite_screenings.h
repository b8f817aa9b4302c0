#pragma once
/// @file
/// The screenings table of the SQLite store, kept apart from sqlite_store.cpp so the cohort
/// half stays readable. Called by SqliteStore's overrides; see CohortStore for the contract.
#include <optional>
#include <string>
#include <vector>

#include "osteo/cohort/records.h"
#include "osteo/cohort/sqlite_db.h"

namespace osteo::sqlite_screenings {

bool insert(sqlite::Database& db, const ScreeningRecord& s);
std::optional<ScreeningRecord> by_id(sqlite::Database& db, const std::string& id, bool with_images);
std::vector<ScreeningSummary> list(sqlite::Database& db, int limit, int offset);

}  // namespace osteo::sqlite_screenings
