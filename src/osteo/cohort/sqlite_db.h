#pragma once
/// @file
/// A thin RAII layer over the SQLite C API for the cohort store: one connection, cached
/// prepared statements, errors as OsteoError. sqlite3.h stays in the .cpp (only forward
/// declarations here). Not thread-safe: one SqliteDb per thread.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "osteo/core/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace osteo::sqlite {

/// One prepared statement. Bind by 1-based index; step() until it returns false; the statement
/// is reset (and its bindings cleared) by reset() or when a Query over it ends.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql) : db_(db), stmt_(stmt), sql_(std::move(sql)) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
  Statement& bind_null(int index);
  /// Binds bytes as a BLOB (bind(std::string) binds TEXT).
  Statement& bind_blob(int index, const std::string& bytes);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }
  /// Binds "" as NULL (for optional text keys such as a missing patient id).
  Statement& bind_text_or_null(int index, const std::string& value) {
    return value.empty() ? bind_null(index) : bind(index, value);
  }

  /// Runs one step: true when a row is available, false when done. Throws on failure
  /// (kStoreBusy when locked, kStoreError otherwise, naming the statement).
  bool step();
  /// Steps to completion (for statements without rows) and resets.
  void run();
  void reset();

  bool is_null(int column) const;
  std::int64_t get_int(int column) const;
  double get_double(int column) const;
  std::string get_text(int column) const;
  /// A BLOB (or any value) as bytes.
  std::string get_blob(int column) const;
  std::optional<std::int64_t> get_opt_int(int column) const;
  std::optional<double> get_opt_double(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
};

/// Resets a statement when the scope ends, whatever happens in between.
class Query {
 public:
  explicit Query(Statement& s) : s_(s) {}
  ~Query() { s_.reset(); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

 private:
  Statement& s_;
};

class Database {
 public:
  /// Opens (creating) the file. Throws OsteoError(kStoreError) when it cannot be opened.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs one or more SQL statements without results.
  void exec(const std::string& sql);
  /// A cached prepared statement for `sql` (prepared on first use). Use it through Query.
  Statement& prepare(const std::string& sql);
  /// Rowid of the last insert.
  std::int64_t last_insert_id() const;
  /// Rows changed by the last statement.
  int changes() const;
  /// Single integer result of a query such as "PRAGMA user_version".
  std::int64_t scalar_int(const std::string& sql);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

/// Throws the OsteoError for a SQLite result code (kStoreBusy for BUSY/LOCKED).
[[noreturn]] void throw_sqlite(sqlite3* db, int rc, const std::string& context);

}  // namespace osteo::sqlite
