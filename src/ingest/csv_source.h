// CsvSource: a streaming RowReader over a CSV file (Kobo/ODK exports, HXL
// files, the DTM API's CSV form).
//
// Reads the file in chunks of kCsvChunkBytes and never holds more than one
// chunk and one row, so memory stays flat whatever the file size. What it
// accepts (RFC 4180, leniently, like Python's csv module):
//   - fields separated by ',' ';' or tab, sniffed from the first
//     kCsvSniffRecords records of the first chunk (unless given): for each
//     candidate, the number of its occurrences outside quotes in each record;
//     candidates absent from the first record are out; the winner is the one
//     whose first-record count is repeated by the most records, ties broken by
//     the higher count, then by the order ',' ';' tab; ',' when none is found;
//   - quoted fields ("…") holding delimiters, line breaks and doubled quotes;
//     text after a closing quote is kept ("ab"c -> abc), a '"' inside an
//     unquoted field is an ordinary character;
//   - records ending in CRLF, LF or CR, mixed; a missing final line break;
//     empty lines (no bytes at all between two line breaks) are skipped, a line
//     of delimiters is a record of empty cells;
//   - UTF-8, with or without a byte-order mark (removed), or Windows-1252: when
//     the first chunk is not valid UTF-8 every field is converted; when it is,
//     a later field that is not valid UTF-8 is converted on its own. Either way
//     header().notes gets "converted from Windows-1252 …" — in the second case
//     only when that field is reached, so read the notes after the last row.
//     After a byte-order mark, ill-formed UTF-8 is an error (the file declared
//     its encoding).
// The header, banner rows and the HXL hashtag row are found as described in
// internal/header_detection.h, or the header is CsvSourceOptions::header_row.
// Cells are returned exactly as written apart from unquoting and conversion to
// UTF-8: no trimming, ragged rows keep their own length.
//
// Thread-safety: one thread at a time (RowReader). Owns its file descriptor.
#ifndef OPENDTM_INGEST_CSV_SOURCE_H_
#define OPENDTM_INGEST_CSV_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/limits.h"
#include "ingest/source.h"

namespace opendtm::ingest {

// Bytes read from the file at a time (and the window sniffed for the
// delimiter and the encoding).
inline constexpr size_t kCsvChunkBytes = size_t{1} << 20;
// Records looked at to sniff the delimiter.
inline constexpr int kCsvSniffRecords = 20;

struct CsvSourceOptions {
  // 1-based line of the header row; 0 detects it.
  int header_row = 0;
  // The delimiter; sniffed when unset.
  std::optional<char> delimiter;
  Limits limits;
};

class CsvSource final : public RowReader {
 public:
  // Opens the CSV file at `path`, sniffs its encoding and delimiter and reads
  // its header (and any banner and hashtag rows).
  // Errors: NotFound when the file does not exist; InvalidArgument when it is
  // not a regular file, for a malformed header region (as Next) or an explicit
  // header_row beyond the end; Unavailable when it cannot be opened or read;
  // ResourceExhausted "<path>: N bytes exceeds the limit of M bytes
  // (max_file_bytes)" and the other Limits bounds, as Next.
  static Result<std::unique_ptr<CsvSource>> Open(const std::string& path,
                                                 const CsvSourceOptions& options);

  ~CsvSource() override;
  CsvSource(const CsvSource&) = delete;
  CsvSource& operator=(const CsvSource&) = delete;

  const SourceHeader& header() const override { return header_; }

  // Reads the next data row; `row.cells` is reused (its strings keep their
  // capacity across calls, so a steady stream allocates nothing).
  // Errors: InvalidArgument "<path>:<line>: column <c>: quoted field is not
  // closed before the end of the file" (line: where the record starts, c:
  // 1-based field) and "<path>:<line>: column <c>: not valid UTF-8 after a
  // UTF-8 byte-order mark"; ResourceExhausted "<path>:<line>: …" naming the
  // bound (max_rows, max_columns, max_field_bytes, max_file_bytes);
  // Unavailable when reading fails.
  Result<bool> Next(SourceRow& row) override;

  // The delimiter in use (given or sniffed).
  char delimiter() const { return delimiter_; }

 private:
  enum class TextMode { kUtf8, kUtf8WithBom, kCp1252 };

  CsvSource(std::string path, int fd, const Limits& limits);

  Status Sniff(const std::optional<char>& delimiter);
  bool Refill(Status& status);
  Result<bool> ReadRecord(std::vector<std::string>& cells, int64_t& line);
  Status AppendChecked(std::string& field, const char* data, size_t size, size_t column);
  Status ConvertCells(std::vector<std::string>& cells);
  std::string Where() const;

  std::string path_;
  int fd_;
  Limits limits_;
  SourceHeader header_;
  std::deque<SourceRow> read_ahead_;  // data rows read while finding the header
  Status deferred_;  // an error met while reading ahead, returned after read_ahead_

  std::vector<char> buffer_;  // one chunk; [pos_, end_) not yet parsed
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t bytes_read_ = 0;
  uint64_t refills_ = 0;  // chunks read after the first

  TextMode mode_ = TextMode::kUtf8;
  bool noted_late_cp1252_ = false;
  char delimiter_ = ',';
  bool special_[256] = {};   // delimiter, '\n', '\r'
  int64_t line_ = 1;         // physical line at pos_
  int64_t record_line_ = 1;  // line where the current record starts
  int64_t records_ = 0;      // records read so far, header rows included
  bool prev_cr_ = false;     // a quoted span ended with '\r' (CRLF split across spans)
};

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_CSV_SOURCE_H_
