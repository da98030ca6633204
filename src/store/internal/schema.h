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
// The per-indicator columns of `site_values` are not migrations: they follow
// the dictionary and are added by SqliteStore::Open (see sqlite_store.h).
#ifndef OPENDTM_STORE_INTERNAL_SCHEMA_H_
#define OPENDTM_STORE_INTERNAL_SCHEMA_H_

#include <span>
#include <string_view>

namespace opendtm::store::internal {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Every migration, by version (1, 2, …, no gaps).
std::span<const Migration> Migrations();

}  // namespace opendtm::store::internal

#endif  // OPENDTM_STORE_INTERNAL_SCHEMA_H_
