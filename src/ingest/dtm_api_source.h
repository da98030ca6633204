// DtmApiSource: a RowReader over a DTM API v3 JSON response.
//
// Reads the envelope of /v3/displacement/admin0|admin1|admin2
// ({"result":[{…},…],"statusCode":200,"isSuccess":true,"errorMessages":[],
// "totalRecordsCount":N}; a bare array of records is accepted too). Each record
// is one row. The columns are the records' field names in the order the API
// sends them (`id, operation, admin0Name, admin0Pcode, …, assessmentType`; a
// field first seen in a later record is appended), followed by a synthetic
// `adminLevel` column: 2 when the record has an admin2Pcode or admin2Name field,
// 1 for admin1Pcode/admin1Name, otherwise 0 (left out when the records carry
// their own adminLevel). Values are text: strings as they are, numbers as
// written in the file ("1068882", "0.5"), true/false as "true"/"false", null
// and missing fields as "".
//
// The response is parsed in full when opened (API responses are small; the
// file is bounded by Limits::max_file_bytes, records by max_rows, fields by
// max_columns and max_field_bytes). SourceRow::line is the record's 1-based
// position in `result`; SourceHeader::header_line is 0 (no header row).
//
// Thread-safety: one thread at a time (RowReader).
#ifndef OPENDTM_INGEST_DTM_API_SOURCE_H_
#define OPENDTM_INGEST_DTM_API_SOURCE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/limits.h"
#include "ingest/source.h"

namespace opendtm::ingest {

// The name of the synthetic admin-level column.
inline constexpr std::string_view kAdminLevelColumn = "adminLevel";

class DtmApiSource final : public RowReader {
 public:
  // Reads and parses the response at `path`.
  // Errors: NotFound when the file does not exist; Unavailable when it cannot
  // be read; InvalidArgument "<path>: …" for malformed JSON (naming the byte
  // offset), a document that is not a DTM API response (no "result" array, a
  // record that is not an object, a field holding an object or array) or a
  // response with "isSuccess": false (its errorMessages quoted);
  // ResourceExhausted naming the Limits bound exceeded.
  static Result<std::unique_ptr<DtmApiSource>> Open(const std::string& path, const Limits& limits);

  // Parses `text` (a response body) the same way; `source_name` names it in
  // messages and in header().source_name.
  static Result<std::unique_ptr<DtmApiSource>> Parse(std::string_view text,
                                                     const std::string& source_name,
                                                     const Limits& limits);

  const SourceHeader& header() const override { return header_; }
  Result<bool> Next(SourceRow& row) override;

 private:
  DtmApiSource() = default;

  SourceHeader header_;
  bool synthetic_level_ = false;
  std::vector<std::vector<std::string>> records_;  // cells by column, unpadded
  std::vector<char> levels_;                       // '0', '1' or '2' per record
  size_t next_record_ = 0;
};

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_DTM_API_SOURCE_H_
