#include "store/internal/sqlite_handle.h"

#include <mutex>

#include "core/number.h"

namespace opendtm::store::internal {

Status SqliteError(int code, sqlite3* db, std::string_view context) {
  std::string message(context);
  if (db != nullptr && sqlite3_errcode(db) == code) {
    message += ": ";
    message += sqlite3_errmsg(db);
  }
  message += " (";
  message += sqlite3_errstr(code);
  message += ")";
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
      return UnavailableError(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(std::move(message));
    case SQLITE_FULL:
    case SQLITE_TOOBIG:
      return ResourceExhaustedError(std::move(message));
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return AlreadyExistsError(std::move(message));
      }
      return FailedPreconditionError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

Result<Database> OpenDatabase(const std::string& path) {
  // SQLite's memory statistics take a process-wide mutex on every allocation
  // and nothing here reads them. Only possible before SQLite initializes;
  // later (another library got there first) the call fails and changes nothing.
  static std::once_flag memory_statistics_off;
  std::call_once(memory_statistics_off, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* raw = nullptr;
  // NOMUTEX: the owner serializes every call, so SQLite's own mutexes are
  // redundant work.
  int code = sqlite3_open_v2(path.c_str(), &raw,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
  Database db(raw);
  if (code != SQLITE_OK) return SqliteError(code, raw, "cannot open database " + path);
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Status Execute(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  if (code == SQLITE_OK) return Status::Ok();
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  return SqliteError(code, nullptr, message + " [" + sql.substr(0, 120) + "]");
}

StatementUse::~StatementUse() {
  if (statement_ != nullptr) {
    sqlite3_reset(statement_->get());
    sqlite3_clear_bindings(statement_->get());
  }
}

StatementUse& StatementUse::Bind(int index, int64_t value) {
  sqlite3_bind_int64(get(), index, value);
  return *this;
}
StatementUse& StatementUse::Bind(int index, double value) {
  sqlite3_bind_double(get(), index, value);
  return *this;
}
StatementUse& StatementUse::Bind(int index, std::string_view value) {
  sqlite3_bind_text64(get(), index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
StatementUse& StatementUse::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(get(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}
StatementUse& StatementUse::BindNull(int index) {
  sqlite3_bind_null(get(), index);
  return *this;
}
StatementUse& StatementUse::Bind(int index, std::optional<int64_t> value) {
  return value ? Bind(index, *value) : BindNull(index);
}
StatementUse& StatementUse::Bind(int index, std::optional<int> value) {
  return value ? Bind(index, int64_t{*value}) : BindNull(index);
}
StatementUse& StatementUse::Bind(int index, std::optional<double> value) {
  return value ? Bind(index, *value) : BindNull(index);
}
StatementUse& StatementUse::BindTextOrNull(int index, std::string_view value) {
  return value.empty() ? BindNull(index) : Bind(index, value);
}

Result<bool> StatementUse::Step() {
  int code = sqlite3_step(get());
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return SqliteError(code, statement_->db(), std::string("cannot run [") + statement_->sql() + "]");
}

Status StatementUse::Run() {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

bool StatementUse::IsNull(int column) const {
  return sqlite3_column_type(get(), column) == SQLITE_NULL;
}
int64_t StatementUse::Int64(int column) const { return sqlite3_column_int64(get(), column); }
double StatementUse::Double(int column) const { return sqlite3_column_double(get(), column); }
std::string StatementUse::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(get(), column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(get(), column)));
}
std::string_view StatementUse::Blob(int column) const {
  const void* blob = sqlite3_column_blob(get(), column);
  if (blob == nullptr) return {};
  return std::string_view(static_cast<const char*>(blob),
                          static_cast<size_t>(sqlite3_column_bytes(get(), column)));
}
std::optional<int64_t> StatementUse::OptionalInt64(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int64(column);
}
std::optional<int> StatementUse::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}
std::optional<double> StatementUse::OptionalDouble(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Double(column);
}

std::string StatementUse::AsText(int column) const {
  switch (sqlite3_column_type(get(), column)) {
    case SQLITE_NULL:
      return "";
    case SQLITE_INTEGER:
      return std::to_string(Int64(column));
    case SQLITE_FLOAT:
      return core::FormatNumber(Double(column));
    default:
      return Text(column);
  }
}

Result<StatementUse> StatementCache::Use(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    sqlite3_stmt* raw = nullptr;
    int code = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (code != SQLITE_OK) {
      sqlite3_finalize(raw);
      return SqliteError(code, db_, "cannot prepare [" + sql + "]");
    }
    found = statements_.emplace(sql, std::make_unique<Statement>(db_, raw)).first;
  }
  return StatementUse(found->second.get());
}

}  // namespace opendtm::store::internal
