#pragma once
/// @file
/// The cohort schema as an ordered list of migration steps. Step N brings a database from
/// version N-1 to N (PRAGMA user_version). Steps are append-only: never edit a released step,
/// add a new one; a database already at a version skips the steps up to it.
#include <string>
#include <vector>

namespace osteo {

struct Migration {
  int version;            ///< the schema version after this step
  const char* summary;    ///< one line for logs
  const char* sql;        ///< statements run in the migration's transaction
};

/// Every migration in order; versions are 1, 2, 3, ... with no gaps.
const std::vector<Migration>& cohort_migrations();
/// The version this build writes (the last migration's).
int cohort_schema_version();

}  // namespace osteo
