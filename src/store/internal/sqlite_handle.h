// RAII over SQLite's C handles, and the mapping of SQLite result codes to
// Status. Private to store/: nothing above the store sees a SQLite type.
//
//   Database        owns a sqlite3* (closed on destruction)
//   Statement       owns a sqlite3_stmt* (finalized on destruction)
//   StatementCache  prepares each SQL text once and keeps it for the
//                   connection's life
//   StatementUse    borrows a cached statement for one execution and resets it
//                   (and clears its bindings) when it goes out of scope, so a
//                   half-stepped statement never holds a read lock
//
// Thread-safety: none; the owner (SqliteStore) serializes every use.
#ifndef OPENDTM_STORE_INTERNAL_SQLITE_HANDLE_H_
#define OPENDTM_STORE_INTERNAL_SQLITE_HANDLE_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace opendtm::store::internal {

// The Status for a SQLite result code: BUSY/LOCKED -> Unavailable,
// CORRUPT/NOTADB -> DataLoss, FULL -> ResourceExhausted, CANTOPEN ->
// Unavailable, CONSTRAINT_UNIQUE/PRIMARYKEY -> AlreadyExists, other
// constraints -> FailedPrecondition, anything else -> Internal. The message is
// `context`, SQLite's message for `db` (when given) and the code's name.
Status SqliteError(int code, sqlite3* db, std::string_view context);

struct DatabaseCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Database = std::unique_ptr<sqlite3, DatabaseCloser>;

// Opens (creating when absent) the database at `path` (":memory:" allowed).
Result<Database> OpenDatabase(const std::string& path);

// Runs one or more statements that return no rows (DDL, PRAGMA, BEGIN…).
Status Execute(sqlite3* db, const std::string& sql);

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(statement_); }

  sqlite3_stmt* get() const { return statement_; }
  sqlite3* db() const { return db_; }
  const char* sql() const { return sqlite3_sql(statement_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
};

// One execution of a cached statement. Parameters are 1-based, as in SQLite;
// columns 0-based. Bind* never copies more than once (SQLITE_TRANSIENT) and
// report errors at Step.
class StatementUse {
 public:
  explicit StatementUse(Statement* statement) : statement_(statement) {}
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  StatementUse(StatementUse&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  ~StatementUse();

  StatementUse& Bind(int index, int64_t value);
  StatementUse& Bind(int index, int value) { return Bind(index, int64_t{value}); }
  StatementUse& Bind(int index, double value);
  StatementUse& Bind(int index, std::string_view value);  // text, "" stays ""
  StatementUse& BindBlob(int index, std::string_view bytes);
  StatementUse& BindNull(int index);
  StatementUse& Bind(int index, std::optional<int64_t> value);  // nullopt -> NULL
  StatementUse& Bind(int index, std::optional<int> value);
  StatementUse& Bind(int index, std::optional<double> value);
  // "" -> NULL, for optional text columns.
  StatementUse& BindTextOrNull(int index, std::string_view value);

  // Steps once: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion (a statement that returns no rows).
  Status Run();

  bool IsNull(int column) const;
  int64_t Int64(int column) const;
  int Int(int column) const { return static_cast<int>(Int64(column)); }
  double Double(int column) const;
  std::string Text(int column) const;  // NULL -> ""
  std::string_view Blob(int column) const;
  std::optional<int64_t> OptionalInt64(int column) const;
  std::optional<int> OptionalInt(int column) const;
  std::optional<double> OptionalDouble(int column) const;
  // The column as text whatever its storage class: NULL -> "", INTEGER ->
  // decimal digits, REAL -> shortest round-trip form, TEXT/BLOB -> bytes.
  std::string AsText(int column) const;

  sqlite3_stmt* get() const { return statement_->get(); }
  Statement* statement() const { return statement_; }

 private:
  Statement* statement_;
};

class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}

  // The prepared statement for `sql`, preparing it on first use.
  // Errors: Internal (with SQLite's message) when it does not compile.
  Result<StatementUse> Use(const std::string& sql);

  // Finalizes every statement (before schema changes or closing).
  void Clear() { statements_.clear(); }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

}  // namespace opendtm::store::internal

#endif  // OPENDTM_STORE_INTERNAL_SQLITE_HANDLE_H_
