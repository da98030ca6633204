// XlsxSource: a RowReader over one sheet of an .xlsx workbook.
//
// Streams the sheet through xlsx::SheetReader (cells as the text stored in the
// file: a date cell stays its serial number "42145", booleans "TRUE"/"FALSE",
// numbers unformatted; see xlsx/workbook_reader.h). Rows without any non-empty
// cell are skipped, and a data row shorter than the header is padded with ""
// to the header's width (an .xlsx does not tell a missing trailing cell from an
// empty one). The header, banner rows and the HXL hashtag row are found as
// described in internal/header_detection.h, or the header is
// XlsxSourceOptions::header_row (a sheet row number). SourceRow::line and
// SourceHeader::header_line are sheet row numbers.
//
// Thread-safety: one thread at a time (RowReader). Owns the open workbook.
#ifndef OPENDTM_INGEST_XLSX_SOURCE_H_
#define OPENDTM_INGEST_XLSX_SOURCE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "core/status.h"
#include "ingest/limits.h"
#include "ingest/source.h"
#include "xlsx/workbook_reader.h"

namespace opendtm::ingest {

struct XlsxSourceOptions {
  // 1-based sheet row of the header; 0 detects it.
  int header_row = 0;
  // The sheet: its name, or its 1-based position among the worksheets ("2");
  // a name wins over a position. Empty: the first sheet.
  std::string sheet;
  Limits limits;
};

class XlsxSource final : public RowReader {
 public:
  // Opens the workbook at `path`, picks the sheet and reads its header.
  // Errors: NotFound when the file does not exist; InvalidArgument when it is
  // not an .xlsx workbook, when the sheet does not exist (the message lists the
  // sheets), for malformed XML or an explicit header_row beyond the last row;
  // ResourceExhausted when a Limits bound is hit. Messages name the path.
  static Result<std::unique_ptr<XlsxSource>> Open(const std::string& path,
                                                  const XlsxSourceOptions& options);

  ~XlsxSource() override;

  const SourceHeader& header() const override { return header_; }

  // Errors: as Open for the rest of the sheet; ResourceExhausted
  // "<path>: row N: more than M rows (max_rows)".
  Result<bool> Next(SourceRow& row) override;

  // The name of the sheet being read.
  const std::string& sheet_name() const { return sheet_->name(); }

 private:
  XlsxSource(std::string path, const Limits& limits);
  Result<bool> ReadRow(SourceRow& row);

  std::string path_;
  Limits limits_;
  SourceHeader header_;
  std::unique_ptr<xlsx::WorkbookReader> workbook_;  // outlives sheet_
  std::unique_ptr<xlsx::SheetReader> sheet_;
  std::deque<SourceRow> read_ahead_;
  Status deferred_;  // an error met while reading ahead, returned after read_ahead_
  xlsx::SheetRow scratch_;
  int64_t rows_read_ = 0;
};

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_XLSX_SOURCE_H_
