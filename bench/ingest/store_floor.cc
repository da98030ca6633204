// The floor under `dtm ingest`: what SQLite alone costs to store one row per
// submission, with dtm's own connection settings, doing nothing else.
//
//   ingest_store_floor DB FILE...
//
// Each CSV file is read and parsed first, untimed. Then, timed, per file: one
// transaction of one prepared INSERT per data row into a plain table with one
// column per CSV column (created from the first header, no index, no key),
// integers bound as integers (as dtm's typed columns hold them), empty cells as
// NULL, everything else as text; then COMMIT (with the WAL checkpoint it
// triggers). Settings as SqliteStore::Open: 16 KiB pages, WAL,
// synchronous=NORMAL, 8 MiB page cache, 256 MiB memory map.
//
// No validation, no verbatim copy, no identity columns or indexes, no reading
// time: a store that keeps one SQL row per submission cannot take less than
// this. bench/ingest/ingest_bench.py runs it beside dtm, `sqlite3 .import` and
// pandas. Prints one JSON object: {"rows", "seconds", "insert_seconds",
// "commit_seconds"}. Exits 1 on any error, naming it.
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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DB FILE...\n", argv[0]);
    return 2;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
    std::fprintf(stderr, "store floor: cannot open %s\n", argv[1]);
    return 1;
  }
  if (!Execute(db, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; "
                   "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8192; "
                   "PRAGMA mmap_size = 268435456;")) {
    return 1;
  }
  sqlite3_stmt* insert = nullptr;
  size_t columns = 0;
  long long rows = 0;
  double insert_seconds = 0;
  double commit_seconds = 0;
  for (int arg = 2; arg < argc; ++arg) {
    std::optional<opendtm::core::CsvTable> table = ReadCsv(argv[arg]);
    if (!table || table->rows.empty()) return 1;
    if (insert == nullptr) {
      columns = table->rows[0].size();
      std::string create = "CREATE TABLE submitted (";
      std::string sql = "INSERT INTO submitted VALUES (";
      for (size_t column = 0; column < columns; ++column) {
        create += (column > 0 ? ", c" : "c") + std::to_string(column + 1);
        sql += column > 0 ? ", ?" : "?";
      }
      if (!Execute(db, create + ")")) return 1;
      if (sqlite3_prepare_v2(db, (sql + ")").c_str(), -1, &insert, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "store floor: %s\n", sqlite3_errmsg(db));
        return 1;
      }
    }
    const Clock::time_point started = Clock::now();
    if (!Execute(db, "BEGIN IMMEDIATE")) return 1;
    for (size_t row_idx = 1; row_idx < table->rows.size(); ++row_idx) {  // row 0: the header
      const std::vector<std::string>& row = table->rows[row_idx];
      for (size_t column = 0; column < columns; ++column) {
        const int parameter = static_cast<int>(column) + 1;
        if (column >= row.size() || row[column].empty()) {
          sqlite3_bind_null(insert, parameter);
        } else if (std::optional<int64_t> number = opendtm::core::ParseInteger(row[column])) {
          sqlite3_bind_int64(insert, parameter, *number);
        } else {
          sqlite3_bind_text(insert, parameter, row[column].data(),
                            static_cast<int>(row[column].size()), SQLITE_STATIC);
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
  std::printf("{\"rows\": %lld, \"seconds\": %.3f, \"insert_seconds\": %.3f, "
              "\"commit_seconds\": %.3f}\n",
              rows, insert_seconds + commit_seconds, insert_seconds, commit_seconds);
  return 0;
}
