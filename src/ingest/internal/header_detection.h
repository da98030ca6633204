// Header, banner and HXL hashtag-row detection shared by the CSV and XLSX
// readers.
//
// Real exports do not always start with their header: the Nepal DTM file has a
// totals/section banner on row 1, a title on row 2 and the header on row 3; HXL
// files carry a row of hashtags (#adm1+code) directly under the header, and
// some carry only the hashtag row. A reader hands the first rows of its source
// to ReadHeader, which decides which row is the header, fills a SourceHeader and
// gives back the data rows it read ahead.
//
// The rule (DetectHeaderLayout), on the first Limits::max_header_scan_rows rows:
//   1. Hashtag row: the first row in which at least one non-empty cell is an HXL
//      hashtag (`#tag+attr…`, see IsHxlHashtag) and at least half of the
//      non-empty cells are. If found at index h > 0, the header is row h-1 (HXL
//      puts the hashtags directly under the human header); if h == 0 there is
//      no human header and the hashtags serve as the column names. Data start
//      after the hashtag row.
//   2. Otherwise the header is the first *header-like* row whose number of
//      non-empty cells is at least half of the largest number of non-empty
//      cells in any scanned row. A row is header-like when at least 75% of its
//      non-empty cells are not numeric (numeric: only digits and . , + - % / :
//      spaces, with a digit — "12,419", "21/05/2015") and at least 75% of them
//      are distinct. Banner rows (a title, a row of totals and section names)
//      are sparse compared to the data and fail the width test; data rows fail
//      the text and distinctness tests or come later. Data start after the
//      header.
//   3. With no header-like row, the first row is the header (a note says so).
// An explicit header row (SourceOptions::header_row) replaces steps 1-3: that
// row is the header, and the row under it is the hashtag row if it qualifies.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_INGEST_INTERNAL_HEADER_DETECTION_H_
#define OPENDTM_INGEST_INTERNAL_HEADER_DETECTION_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/limits.h"
#include "ingest/source.h"

namespace opendtm::ingest::internal {

// Returns true when `cell`, trimmed, is an HXL hashtag with optional
// attributes: '#' then a letter, then letters, digits or '_'; then any number
// of '+attribute' (letters, digits, '_'), spaces allowed around '+'.
bool IsHxlHashtag(std::string_view cell);

// Returns true when `cells` is a hashtag row (step 1 above).
bool IsHxlHashtagRow(const std::vector<std::string>& cells);

// Where the header, the hashtag row and the data are among scanned rows.
struct HeaderLayout {
  size_t header_index = 0;          // the row holding the column names
  std::optional<size_t> hxl_index;  // the hashtag row, if any
  size_t first_data_index = 0;      // the first data row
  bool recognised = true;           // false when step 3 applied
};

// Applies steps 1-3 to `rows` (the first rows of a source; not empty).
HeaderLayout DetectHeaderLayout(std::span<const SourceRow> rows);

// Reads one row of a source into its argument: true when a row was read,
// false at the end; the reader's own errors otherwise.
using RowSource = std::function<Result<bool>(SourceRow&)>;

// Reads the first rows of a source through `next_row` and fills `header`
// (names, hxl_tags, header_line, notes; source_name and notes already present
// are kept). `header_row` is the 1-based line (CSV) or sheet row (XLSX) of the
// header, 0 to detect it. Rows above an explicit header are read and dropped.
// Returns the data rows already read, in order, for the reader to hand out
// before reading on, and `deferred`: an error `next_row` returned while
// scanning after at least one row was read, which the reader returns once
// those rows are handed out (so that rows before a broken one are not lost and
// the error comes at its place). An empty source gives an empty header and no
// rows.
// Errors: those of `next_row` on the first row or above an explicit header;
// InvalidArgument "<source>: header_row N is beyond the last row (line M)"
// when an explicit header row does not exist.
struct HeaderScan {
  std::deque<SourceRow> rows;
  Status deferred;
};
Result<HeaderScan> ReadHeader(const RowSource& next_row, int header_row, const Limits& limits,
                              SourceHeader& header);

}  // namespace opendtm::ingest::internal

#endif  // OPENDTM_INGEST_INTERNAL_HEADER_DETECTION_H_
