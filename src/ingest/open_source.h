// OpenSource: opens the right RowReader for a file given on the command line.
//
// The format comes from the content first, then from the extension:
//   1. a zip archive (starts with "PK\x03\x04")      -> XlsxSource;
//   2. extension .xlsx or .xlsm                        -> XlsxSource;
//   3. extension .json, or an unknown extension and content whose first
//      non-blank character is '{' or '['               -> DtmApiSource;
//   4. extension .csv, .txt, .tsv or .hxl              -> CsvSource;
//   5. anything else (.xls included)                   -> InvalidArgument.
// Extensions are compared without case; ".hxl.csv" is ".csv".
//
// Thread-safety: a pure function; the returned reader is used by one thread.
#ifndef OPENDTM_INGEST_OPEN_SOURCE_H_
#define OPENDTM_INGEST_OPEN_SOURCE_H_

#include <memory>
#include <string>

#include "core/status.h"
#include "ingest/limits.h"
#include "ingest/source.h"

namespace opendtm::ingest {

struct SourceOptions {
  // 1-based line (CSV) or sheet row (XLSX) of the header; 0 detects it.
  // Ignored for DTM API JSON, which has no header row.
  int header_row = 0;
  // XLSX only: sheet name or 1-based position; empty for the first sheet.
  std::string sheet;
  Limits limits;
};

// Opens `path` with the reader its format calls for (see above) and reads its
// header. Returns the reader, which owns the open file.
// Errors: NotFound "<path>: no such file"; InvalidArgument "<path>: unknown
// format …" naming the formats accepted, or for a directory; Unavailable when
// the file cannot be read; otherwise those of the chosen reader's Open.
Result<std::unique_ptr<RowReader>> OpenSource(const std::string& path,
                                              const SourceOptions& options);

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_OPEN_SOURCE_H_
