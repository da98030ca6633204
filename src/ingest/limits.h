// Limits: the bounds every ingest reader puts on untrusted input.
//
// One value of this struct is passed to every reader (CSV, XLSX, DTM API JSON)
// through SourceOptions. Reaching any bound is a ResourceExhausted failure whose
// message names the file, the place and the limit's field name, so that an
// operator can raise exactly that bound. Untrusted input never sizes an
// allocation beyond these bounds.
//
// Thread-safety: a plain value type.
#ifndef OPENDTM_INGEST_LIMITS_H_
#define OPENDTM_INGEST_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace opendtm::ingest {

struct Limits {
  // Bytes of the input file as stored on disk (before any decompression).
  uint64_t max_file_bytes = uint64_t{4} << 30;  // 4 GiB
  // Rows read from one source, header and banner rows included.
  int64_t max_rows = 10'000'000;
  // Cells in one row (CSV fields, XLSX column index, JSON fields per record).
  size_t max_columns = 5'000;
  // Bytes of one cell after unquoting and conversion to UTF-8.
  size_t max_field_bytes = size_t{1} << 20;  // 1 MiB
  // How many rows at the top of a source are examined to find the header and
  // the HXL hashtag row (see internal/header_detection.h).
  int max_header_scan_rows = 20;
  // Bytes decompressed from one part of an .xlsx (a zip archive): guards
  // against zip bombs, whose parts inflate a thousandfold.
  uint64_t max_unpacked_bytes = uint64_t{16} << 30;  // 16 GiB
  // Bytes of an .xlsx's shared-string table, which is held in memory.
  uint64_t max_shared_string_bytes = uint64_t{1} << 30;  // 1 GiB
};

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_LIMITS_H_
