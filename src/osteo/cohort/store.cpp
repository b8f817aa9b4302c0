#include "osteo/cohort/store.h"

#include <cstdlib>

#include "osteo/cohort/sqlite_store.h"

namespace osteo {

std::string default_store_location() {
  const char* env = std::getenv("OSTEOSCREEN_DB");
  return env && *env ? env : "osteoscreen.db";
}

Result<std::unique_ptr<CohortStore>> open_store(const std::string& location) {
  if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
    return fail(ErrorCode::kInvalidArgument,
                location + ": the PostgreSQL store is not available yet; use a SQLite file path");
  }
  const std::string prefix = "sqlite:";
  const std::string path = location.rfind(prefix, 0) == 0 ? location.substr(prefix.size()) : location;
  if (path.empty()) return fail(ErrorCode::kInvalidArgument, "empty store location");
  return open_sqlite_store(path);
}

}  // namespace osteo
