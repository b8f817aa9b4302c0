#include "osteo/cohort/sqlite_db.h"

#include <sqlite3.h>

namespace osteo::sqlite {

void throw_sqlite(sqlite3* db, int rc, const std::string& context) {
  const int primary = rc & 0xff;
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const ErrorCode code = (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) ? ErrorCode::kStoreBusy : ErrorCode::kStoreError;
  throw OsteoError(code, context + ": " + detail);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

namespace {
void check_bind(sqlite3* db, int rc, const std::string& sql) {
  if (rc != SQLITE_OK) throw_sqlite(db, rc, "binding a parameter of \"" + sql + "\"");
}
}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(db_, sqlite3_bind_int64(stmt_, index, value), sql_);
  return *this;
}
Statement& Statement::bind(int index, double value) {
  check_bind(db_, sqlite3_bind_double(stmt_, index, value), sql_);
  return *this;
}
Statement& Statement::bind(int index, const std::string& value) {
  check_bind(db_, sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT), sql_);
  return *this;
}
Statement& Statement::bind_blob(int index, const std::string& bytes) {
  check_bind(db_, sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT), sql_);
  return *this;
}
Statement& Statement::bind_null(int index) {
  check_bind(db_, sqlite3_bind_null(stmt_, index), sql_);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Keep the statement usable for the next call whatever the failure.
  const std::string context = "running \"" + sql_ + "\"";
  sqlite3_reset(stmt_);
  throw_sqlite(db_, rc, context);
}

void Statement::run() {
  Query q(*this);
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t Statement::get_int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::get_double(int column) const { return sqlite3_column_double(stmt_, column); }
std::string Statement::get_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}
std::string Statement::get_blob(int column) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (!data) return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}
std::optional<std::int64_t> Statement::get_opt_int(int column) const {
  if (is_null(column)) return std::nullopt;
  return get_int(column);
}
std::optional<double> Statement::get_opt_double(int column) const {
  if (is_null(column)) return std::nullopt;
  return get_double(column);
}

Database::Database(const std::string& path) : path_(path) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw OsteoError(ErrorCode::kStoreError, path + ": cannot open the cohort database: " + detail);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  cache_.clear();  // statements must be finalised before the connection closes
  sqlite3_close(db_);
}

void Database::exec(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string detail = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    const int primary = rc & 0xff;
    throw OsteoError(primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? ErrorCode::kStoreBusy : ErrorCode::kStoreError,
                     path_ + ": " + detail + " (in \"" + sql.substr(0, 80) + "\")");
  }
}

Statement& Database::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return *it->second;
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, path_ + ": preparing \"" + sql + "\"");
  auto [pos, inserted] = cache_.emplace(sql, std::make_unique<Statement>(db_, stmt, sql));
  (void)inserted;
  return *pos->second;
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

std::int64_t Database::scalar_int(const std::string& sql) {
  Query q(prepare(sql));
  if (!q->step()) throw OsteoError(ErrorCode::kStoreError, path_ + ": \"" + sql + "\" returned no row");
  return q->get_int(0);
}

}  // namespace osteo::sqlite
