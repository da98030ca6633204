// The SQLite schema of the store, as an ordered list of migrations.
//
// Migration N turns a database at schema version N-1 into version N. Applied
// versions are recorded in the table `schema_version` (one row per version,
// with its description and when it was applied); SqliteStore::Open applies the
// missing ones in order, each in its own transaction, and refuses a database
// whose version is newer than the newest migration known here.
//
// Never edit a released migration: add a new one.
//
// The per-indicator value columns (of `submissions` since migration 6, of
// `site_values` before) are not migrations: they follow the dictionary and are
// added by SqliteStore::Open (see sqlite_store.h).
#ifndef OPENDTM_STORE_INTERNAL_SCHEMA_H_
#define OPENDTM_STORE_INTERNAL_SCHEMA_H_

#include <sqlite3.h>

#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opendtm::store::internal {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
  // Run after `sql`, in the same transaction, for what SQL alone cannot do
  // (columns that depend on the database's contents); null for most.
  Status (*step)(sqlite3* db) = nullptr;
};

// Every migration, by version (1, 2, …, no gaps).
std::span<const Migration> Migrations();

// The column of `submissions` that holds the values of indicator `name`: the
// name itself, or NAME_value where that is one of the submission's own
// columns (the indicators site_id and round, say).
std::string ValueColumnName(std::string_view name);

// True for the submission's own (non-value) columns.
bool IsSubmissionColumn(std::string_view name);

// `name` quoted as an SQL identifier.
std::string QuoteIdentifier(std::string_view name);

}  // namespace opendtm::store::internal

#endif  // OPENDTM_STORE_INTERNAL_SCHEMA_H_
