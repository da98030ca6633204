// Where submitted rows come from: a RowReader streams the data rows of one
// source (a CSV or XLSX export, an HXL file, DTM API records) after its header.
//
// Readers never interpret values: every cell is the text as submitted
// (trimmed of nothing, converted to UTF-8), so that the verbatim copy is exact
// and validation sees what the enumerator entered.
//
// Thread-safety: a RowReader is used by one thread at a time.
#ifndef OPENDTM_INGEST_SOURCE_H_
#define OPENDTM_INGEST_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace opendtm::ingest {

// What a source says about its columns.
struct SourceHeader {
  std::string source_name;          // file path, for messages
  std::vector<std::string> names;   // column headers as written (group paths kept: "site/site_id")
  std::vector<std::string> hxl_tags;  // per column, "" when untagged; empty when no hashtag row
  int header_line = 1;              // 1-based line (CSV) or row (XLSX) of the header
  std::vector<std::string> notes;   // e.g. "converted from Windows-1252", "banner rows 1-2 skipped"
};

// One data row: cells in column order (a short row has fewer cells; a long one more).
struct SourceRow {
  int64_t line = 0;  // 1-based line (CSV: where the record starts) or sheet row
  std::vector<std::string> cells;
};

class RowReader {
 public:
  virtual ~RowReader() = default;
  virtual const SourceHeader& header() const = 0;
  // Reads the next data row into `row`. Returns true when a row was read,
  // false at the end. Errors: InvalidArgument naming file, line and problem
  // (e.g. an unterminated quote); ResourceExhausted when a Limits bound is hit.
  virtual Result<bool> Next(SourceRow& row) = 0;
};

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_SOURCE_H_
