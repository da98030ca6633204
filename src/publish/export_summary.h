// What every exporter of publish/ reports besides its bytes: what the audit
// log records of an export (spec/disclosure.md, "Audit and usage
// monitoring": rows and columns returned, content hash).
//
// Thread-safety: value types.
#ifndef OPENDTM_PUBLISH_EXPORT_SUMMARY_H_
#define OPENDTM_PUBLISH_EXPORT_SUMMARY_H_

#include <cstdint>
#include <string>

namespace opendtm::publish {

struct ExportSummary {
  // Rows of figures written: one per area (or site) and round, whatever the
  // format (not header, hashtag or README rows; a GeoJSON Feature, a JSON
  // row object and a DTM API record are each one row).
  int64_t rows = 0;
  // Columns of figures and identity each row carries: the identity columns
  // (level, pcode, name, round…) plus the release's columns written. Flag
  // columns and `flags` objects are not counted (they hold reasons, not
  // figures), so the same release and levels count the same in every format.
  // A DTM API response counts its record's fields.
  int64_t columns = 0;
  // Lower-case hex SHA-256 of the exact bytes written (the file, for XLSX).
  std::string sha256;
};

// An export written to memory: the bytes and their summary.
struct ExportedText {
  std::string text;
  ExportSummary summary;
};

}  // namespace opendtm::publish

#endif  // OPENDTM_PUBLISH_EXPORT_SUMMARY_H_
