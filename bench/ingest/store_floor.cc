// The floor under `dtm ingest`: what SQLite alone costs to store one row per
// submission, with dtm's own connection settings, doing nothing else.
//
//   ingest_store_floor [--layout plain|typed|json] [--no-index | --identity-indexes] DB FILE...
//
// Each CSV file is read and parsed first, untimed. Then, timed, per file: one
// transaction of one prepared INSERT per data row, then COMMIT (with the WAL
// checkpoint it triggers). Settings as SqliteStore::Open: 16 KiB pages, WAL,
// synchronous=NORMAL, 8 MiB page cache, 256 MiB memory map. Layouts:
//   plain  one column per CSV column, no key, no index (what `sqlite3 .import`
//          stores): integers bound as integers (as dtm's typed columns hold
//          them), empty cells as NULL, everything else as text. The default,
//          and the floor that bench/ingest/ingest_bench.py reports.
//   typed  dtm's submission identity (operation, round, assessment type, site,
//          source row, Kobo uuid/key/time/enumerator/device, state) and its
//          index (operation, round, assessment type, site) plus one typed
//          column per CSV column: dtm's `submissions` table since migration 6.
//   json   the same identity and index plus one TEXT column holding the row's
//          cells as a JSON array (readable with SQLite's json_extract).
// --no-index leaves out the identity index (typed and json);
// --identity-indexes adds the uuid and key indexes dtm had before migration 5.
// The identity comes from the Kobo columns _uuid, _id, _submission_time,
// _submitted_by, deviceid and the first column whose name ends in "site_id".
//
// No validation, no verbatim copy, no reading time: a store that keeps one SQL
// row per submission in that layout cannot take less. Prints one JSON object:
// {"layout", "indexes" (how many), "rows", "seconds", "insert_seconds",
// "commit_seconds"}. Exits 1 on
// any error, naming it; 2 on a usage error.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "core/csv_reader.h"
#include "core/number.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

bool Execute(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "store floor: %s: %s\n", sql.substr(0, 60).c_str(),
                 error != nullptr ? error : "?");
    sqlite3_free(error);
    return false;
  }
  return true;
}

std::optional<opendtm::core::CsvTable> ReadCsv(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "store floor: cannot read %s\n", path.c_str());
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  opendtm::core::CsvOptions options;
  options.limits.max_bytes = size_t{2} << 30;
  opendtm::Result<opendtm::core::CsvTable> table =
      opendtm::core::ParseCsv(text, path, options);
  if (!table.ok()) {
    std::fprintf(stderr, "store floor: %s\n", table.status().ToString().c_str());
    return std::nullopt;
  }
  return std::move(table).value();
}

// Where the submission identity sits in a file's columns (-1: absent).
struct IdentityColumns {
  int site_id = -1;
  int uuid = -1;
  int key = -1;
  int time = -1;
  int enumerator = -1;
  int device = -1;
};

IdentityColumns FindIdentity(const std::vector<std::string>& header) {
  IdentityColumns found;
  for (size_t column = 0; column < header.size(); ++column) {
    const std::string& name = header[column];
    const int index = static_cast<int>(column);
    if (name == "_uuid") found.uuid = index;
    if (name == "_id") found.key = index;
    if (name == "_submission_time") found.time = index;
    if (name == "_submitted_by") found.enumerator = index;
    if (name == "deviceid") found.device = index;
    if (found.site_id < 0 && name.ends_with("site_id")) found.site_id = index;
  }
  return found;
}

constexpr const char* kIdentityTable =
    "CREATE TABLE submitted (id INTEGER PRIMARY KEY, operation_id INTEGER, round INTEGER, "
    "assessment_type TEXT, site_id TEXT, source_row INTEGER, submission_uuid TEXT, "
    "submission_key TEXT, submission_time TEXT, enumerator TEXT, device TEXT, state TEXT";
constexpr int kIdentityParameters = 11;
constexpr const char* kSiteIndex =
    "CREATE INDEX submitted_by_round_site ON submitted (operation_id, round, assessment_type, "
    "site_id);";
constexpr const char* kIdentityIndexes =
    "CREATE INDEX submitted_by_round_uuid ON submitted (operation_id, round, "
    "submission_uuid) WHERE submission_uuid <> ''; CREATE INDEX submitted_by_round_key ON "
    "submitted (operation_id, round, submission_key) WHERE submission_key <> '';";

void BindCell(sqlite3_stmt* insert, int parameter, const std::string& cell) {
  if (cell.empty()) {
    sqlite3_bind_null(insert, parameter);
  } else if (std::optional<int64_t> number = opendtm::core::ParseInteger(cell)) {
    sqlite3_bind_int64(insert, parameter, *number);
  } else {
    sqlite3_bind_text(insert, parameter, cell.data(), static_cast<int>(cell.size()),
                      SQLITE_STATIC);
  }
}

void BindIdentity(sqlite3_stmt* insert, const IdentityColumns& identity,
                  const std::vector<std::string>& row, int round, int64_t line) {
  static const std::string kBlank;
  const auto cell = [&](int column) -> const std::string& {
    return column >= 0 && static_cast<size_t>(column) < row.size() ? row[column] : kBlank;
  };
  const auto text = [&](int parameter, const std::string& value) {
    sqlite3_bind_text(insert, parameter, value.data(), static_cast<int>(value.size()),
                      SQLITE_STATIC);
  };
  sqlite3_bind_int64(insert, 1, 1);
  sqlite3_bind_int64(insert, 2, round);
  sqlite3_bind_text(insert, 3, "SA", 2, SQLITE_STATIC);
  text(4, cell(identity.site_id));
  sqlite3_bind_int64(insert, 5, line);
  text(6, cell(identity.uuid));
  text(7, cell(identity.key));
  text(8, cell(identity.time));
  text(9, cell(identity.enumerator));
  text(10, cell(identity.device));
  sqlite3_bind_text(insert, 11, "accepted", 8, SQLITE_STATIC);
}

// The row's cells as a JSON array: integers in canonical form bare, empty
// cells null, the rest as strings.
void AppendJsonArray(const std::vector<std::string>& row, size_t columns, std::string& out) {
  out.assign(1, '[');
  for (size_t column = 0; column < columns; ++column) {
    if (column > 0) out.push_back(',');
    const std::string& cell = column < row.size() ? row[column] : std::string();
    if (cell.empty()) {
      out += "null";
    } else if (std::optional<int64_t> number = opendtm::core::ParseInteger(cell);
               number && std::to_string(*number) == cell) {  // "+234…", "007" stay text
      out += cell;
    } else {
      out.push_back('"');
      for (char c : cell) {
        if (c == '"' || c == '\\') {
          out.push_back('\\');
          out.push_back(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out.push_back(c);
        }
      }
      out.push_back('"');
    }
  }
  out.push_back(']');
}

}  // namespace

int main(int argc, char** argv) {
  std::string layout = "plain";
  bool indexes = true;
  bool identity_indexes = false;
  int first = 1;
  while (first < argc && std::string(argv[first]).starts_with("--")) {
    const std::string flag = argv[first];
    if (flag == "--layout" && first + 1 < argc) {
      layout = argv[first + 1];
      first += 2;
    } else if (flag == "--no-index") {
      indexes = false;
      ++first;
    } else if (flag == "--identity-indexes") {
      identity_indexes = true;
      ++first;
    } else {
      layout.clear();  // a usage error below
      break;
    }
  }
  if (argc - first < 2 || (layout != "plain" && layout != "typed" && layout != "json")) {
    std::fprintf(stderr, "usage: %s [--layout plain|typed|json] [--no-index | --identity-indexes] DB FILE...\n", argv[0]);
    return 2;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(argv[first], &db) != SQLITE_OK) {
    std::fprintf(stderr, "store floor: cannot open %s\n", argv[first]);
    return 1;
  }
  if (!Execute(db, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; "
                   "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8192; "
                   "PRAGMA mmap_size = 268435456;")) {
    return 1;
  }
  const bool with_identity = layout != "plain";
  sqlite3_stmt* insert = nullptr;
  size_t columns = 0;
  IdentityColumns identity;
  std::string json;
  long long rows = 0;
  double insert_seconds = 0;
  double commit_seconds = 0;
  for (int arg = first + 1; arg < argc; ++arg) {
    std::optional<opendtm::core::CsvTable> table = ReadCsv(argv[arg]);
    if (!table || table->rows.empty()) return 1;
    if (insert == nullptr) {
      columns = table->rows[0].size();
      identity = FindIdentity(table->rows[0]);
      std::string create = with_identity ? std::string(kIdentityTable) + ", "
                                         : std::string("CREATE TABLE submitted (");
      std::string sql = "INSERT INTO submitted VALUES (";
      if (with_identity) sql += "NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ";
      if (layout == "json") {
        create += "cells TEXT";
        sql += "?";
      } else {
        for (size_t column = 0; column < columns; ++column) {
          create += (column > 0 ? ", c" : "c") + std::to_string(column + 1);
          sql += column > 0 ? ", ?" : "?";
        }
      }
      if (!Execute(db, create + ")")) return 1;
      if (with_identity && indexes && !Execute(db, kSiteIndex)) return 1;
      if (with_identity && indexes && identity_indexes && !Execute(db, kIdentityIndexes)) {
        return 1;
      }
      if (sqlite3_prepare_v2(db, (sql + ")").c_str(), -1, &insert, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "store floor: %s\n", sqlite3_errmsg(db));
        return 1;
      }
    }
    const int round = arg - first;
    const int offset = with_identity ? kIdentityParameters : 0;
    const Clock::time_point started = Clock::now();
    if (!Execute(db, "BEGIN IMMEDIATE")) return 1;
    for (size_t row_idx = 1; row_idx < table->rows.size(); ++row_idx) {  // row 0: the header
      const std::vector<std::string>& row = table->rows[row_idx];
      if (with_identity) BindIdentity(insert, identity, row, round, table->row_lines[row_idx]);
      if (layout == "json") {
        AppendJsonArray(row, columns, json);
        sqlite3_bind_text(insert, offset + 1, json.data(), static_cast<int>(json.size()),
                          SQLITE_STATIC);
      } else {
        static const std::string kBlank;
        for (size_t column = 0; column < columns; ++column) {
          BindCell(insert, offset + static_cast<int>(column) + 1,
                   column < row.size() ? row[column] : kBlank);
        }
      }
      if (sqlite3_step(insert) != SQLITE_DONE) {
        std::fprintf(stderr, "store floor: %s row %zu: %s\n", argv[arg], row_idx,
                     sqlite3_errmsg(db));
        return 1;
      }
      sqlite3_reset(insert);
      ++rows;
    }
    const Clock::time_point inserted = Clock::now();
    if (!Execute(db, "COMMIT")) return 1;
    const Clock::time_point committed = Clock::now();
    insert_seconds += Seconds(started, inserted);
    commit_seconds += Seconds(inserted, committed);
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  const int index_count = !with_identity || !indexes ? 0 : identity_indexes ? 3 : 1;
  std::printf("{\"layout\": \"%s\", \"indexes\": %d, \"rows\": %lld, \"seconds\": %.3f, "
              "\"insert_seconds\": %.3f, \"commit_seconds\": %.3f}\n",
              layout.c_str(), index_count, rows, insert_seconds + commit_seconds, insert_seconds,
              commit_seconds);
  return 0;
}
