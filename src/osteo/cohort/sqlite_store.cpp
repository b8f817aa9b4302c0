// PLACEHOLDER until the SQLite store lands (replaced in this same change).
#include "osteo/cohort/sqlite_store.h"
namespace osteo {
Result<std::unique_ptr<CohortStore>> open_sqlite_store(const std::string& path) {
  return fail(ErrorCode::kStoreError, path + ": not implemented yet");
}
}  // namespace osteo
