// An RFC 4180 CSV reader for whole files held in memory.
//
// Reads what DTM offices actually send: quoted fields with embedded commas,
// doubled quotes and line breaks; CRLF, LF or CR line endings, mixed; a missing
// final line break; Excel's UTF-8 byte-order mark; Windows-1252 text (converted
// to UTF-8, see core/text.h); ',' ';' or tab as the delimiter. Rows are returned
// exactly as written: no header handling, no trimming, and ragged rows (shorter
// or longer than the others) keep their own length, so that validators can
// report them.
//
// Untrusted input never sizes an allocation beyond CsvLimits.
//
// Thread-safety: pure functions; CsvTable is a plain value type.
#ifndef OPENDTM_CORE_CSV_READER_H_
#define OPENDTM_CORE_CSV_READER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/text.h"

namespace opendtm::core {

// Bounds on what one CSV input may hold. Exceeding any of them is a
// ResourceExhausted failure, not a finding.
struct CsvLimits {
  size_t max_bytes = size_t{512} << 20;      // size of the input before conversion
  size_t max_rows = 10'000'000;              // records, header rows included
  size_t max_columns = 16'384;               // fields in one record (Excel's maximum)
  size_t max_field_bytes = size_t{1} << 20;  // bytes of one field after unquoting
};

struct CsvOptions {
  // The field delimiter. When unset it is sniffed among ',', ';' and '\t' from
  // the first kCsvSniffRecords records (see ParseCsv).
  std::optional<char> delimiter;
  CsvLimits limits;
};

// How many records delimiter sniffing looks at.
inline constexpr int kCsvSniffRecords = 20;

// A parsed CSV input: every record in file order, fields unquoted, UTF-8.
struct CsvTable {
  std::vector<std::vector<std::string>> rows;
  // The 1-based physical line on which each record starts (rows.size()
  // entries). Differs from row index + 1 after a quoted field with line breaks.
  std::vector<int> row_lines;
  // The encoding the input was in (before conversion to UTF-8).
  Encoding source_encoding = Encoding::kUtf8;
  // True when the input was Windows-1252 and its text was converted to UTF-8.
  bool converted_from_cp1252 = false;
  // The delimiter used: options.delimiter, or the sniffed one.
  char delimiter = ',';
};

// Parses all of `text` (the bytes of a CSV file). `source_name` names the input
// in error messages (usually the file path); neither is referenced after the
// call returns.
//
// Steps:
//   1. Refuse inputs over limits.max_bytes, or over 2 GiB (line numbers are int).
//   2. Detect the encoding (DetectEncoding); strip a UTF-8 BOM; convert
//      Windows-1252 to UTF-8 and set converted_from_cp1252.
//   3. Pick the delimiter: options.delimiter if set; otherwise, for each of ','
//      ';' and '\t', count its occurrences outside quotes in each of the first
//      kCsvSniffRecords records; candidates absent from the first record are
//      out; the winner is the candidate whose count in the first record is
//      repeated by the most records, ties broken by the higher count in the
//      first record, then by the order ',' ';' '\t'. With no candidate, ','.
//   4. Split records and fields (RFC 4180): a field starting with '"' is quoted
//      and ends at the next lone '"'; inside it "" is one '"' and delimiters and
//      line breaks (kept as written, e.g. "\r\n") are data. Leniently, like
//      Python's csv module: text after a closing quote is appended to the field
//      ("ab"c -> abc), and a '"' inside an unquoted field is an ordinary
//      character. A record ends at CRLF, LF or CR; an empty line is a record
//      with one empty field; a final line break does not start a new record.
//
// Returns the table on success; an empty input gives zero rows.
// Errors:
//   InvalidArgument "<source>:<line>: column <c>: quoted field is not closed
//     before the end of the input" for an unterminated quote, where line is the
//     1-based line on which the record starts and c the 1-based field number;
//   InvalidArgument from ToUtf8 for a BOM followed by ill-formed UTF-8;
//   ResourceExhausted "<source>[:<line>]: ..." naming the limit exceeded
//     (max_bytes, max_rows, max_columns, max_field_bytes).
Result<CsvTable> ParseCsv(std::string_view text, std::string_view source_name,
                          const CsvOptions& options);

// Reads the file at `path` and parses it with ParseCsv, using `path` as the
// source name. The file size is checked against limits.max_bytes before
// anything is read.
// Errors: NotFound when the file does not exist; InvalidArgument when it is not
// a regular file; Unavailable when it cannot be opened or read; otherwise those
// of ParseCsv.
Result<CsvTable> ReadCsvFile(const std::string& path, const CsvOptions& options);

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_CSV_READER_H_
