// WorkbookReader and SheetReader: read the cells of an .xlsx workbook as text.
//
// The only place in OpenDTM that opens .xlsx files for reading (an .xlsx is a
// zip archive of XML parts): minizip reads the archive, libxml2's streaming
// reader parses the parts, so a sheet of a million rows is never held in
// memory — only its shared-string table is.
//
// Cells come back as the text stored in the file, never formatted:
//   - shared and inline strings as their text (rich-text runs joined, phonetic
//     runs dropped, Excel's _xHHHH_ escapes decoded);
//   - numbers as stored ("42145" for a date cell, "0.1", "1E-3");
//   - booleans as "TRUE" / "FALSE"; errors as their code ("#N/A");
//   - formula cells as their cached value ("" when none was saved);
//   - missing cells as "", keeping every cell at the column its reference
//     ("C12") names.
//
// Usage:
//   ASSIGN_OR_RETURN(auto workbook, xlsx::WorkbookReader::Open(path, limits));
//   ASSIGN_OR_RETURN(auto sheet, workbook->OpenSheet(0));
//   xlsx::SheetRow row;
//   while (true) { ASSIGN_OR_RETURN(bool more, sheet->Next(row)); if (!more) break; … }
//
// Ownership: a SheetReader borrows its WorkbookReader, which must outlive it;
// one SheetReader per workbook at a time (the archive has one read cursor).
// Thread-safety: none; one thread per workbook.
#ifndef OPENDTM_XLSX_WORKBOOK_READER_H_
#define OPENDTM_XLSX_WORKBOOK_READER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace opendtm::xlsx {

// Bounds on what one untrusted workbook may hold; exceeding one is a
// ResourceExhausted failure naming it.
struct ReadLimits {
  uint64_t max_file_bytes = uint64_t{4} << 30;           // the .xlsx on disk
  uint64_t max_unpacked_bytes = uint64_t{16} << 30;      // one part, decompressed
  uint64_t max_shared_string_bytes = uint64_t{1} << 30;  // the shared-string table in memory
  size_t max_columns = 16'384;                           // a cell's column number
  size_t max_cell_bytes = size_t{1} << 20;               // one cell's text
};

// One non-empty row of a sheet.
struct SheetRow {
  int64_t number = 0;              // 1-based row number in the sheet
  std::vector<std::string> cells;  // up to the row's last non-empty cell
};

class WorkbookReader;

// Streams the rows of one worksheet, in sheet order. Rows without any
// non-empty cell (formatting-only rows) are skipped.
class SheetReader {
 public:
  ~SheetReader();
  SheetReader(const SheetReader&) = delete;
  SheetReader& operator=(const SheetReader&) = delete;

  // Reads the next non-empty row into `row` (its vectors are reused). Returns
  // true when a row was read, false at the end of the sheet.
  // Errors: InvalidArgument "<path>: <part>: line N: …" for malformed XML, a
  // bad cell reference or a shared-string index out of range;
  // ResourceExhausted for a column beyond max_columns, a cell beyond
  // max_cell_bytes or a part inflating beyond max_unpacked_bytes.
  Result<bool> Next(SheetRow& row);

  const std::string& name() const { return name_; }

 private:
  friend class WorkbookReader;
  struct Parser;
  SheetReader(std::string name, std::unique_ptr<Parser> parser);

  std::string name_;
  std::unique_ptr<Parser> parser_;
};

class WorkbookReader {
 public:
  // Opens the workbook at `path` and reads its list of sheets.
  // Errors: NotFound when the file does not exist; InvalidArgument when it is
  // not a zip archive or lacks xl/workbook.xml or a sheet it lists;
  // ResourceExhausted over max_file_bytes. Messages name the path.
  static Result<std::unique_ptr<WorkbookReader>> Open(const std::string& path,
                                                      const ReadLimits& limits);

  ~WorkbookReader();
  WorkbookReader(const WorkbookReader&) = delete;
  WorkbookReader& operator=(const WorkbookReader&) = delete;

  // Sheet names in workbook order (worksheets only; chart sheets are left out).
  const std::vector<std::string>& sheet_names() const { return sheet_names_; }

  // Starts reading the sheet at 0-based `sheet_index`. Loads the shared-string
  // table on first use.
  // Errors: InvalidArgument for an index out of range; those of the parts'
  // parsing (as SheetReader::Next).
  Result<std::unique_ptr<SheetReader>> OpenSheet(size_t sheet_index);

  const std::string& path() const { return path_; }

 private:
  struct Archive;
  WorkbookReader(std::string path, const ReadLimits& limits, std::unique_ptr<Archive> archive);

  Status LoadSharedStrings();

  std::string path_;
  ReadLimits limits_;
  std::unique_ptr<Archive> archive_;
  std::vector<std::string> sheet_names_;
  std::vector<std::string> sheet_parts_;  // zip entry of each sheet
  std::string shared_strings_part_;       // "" when the workbook has none
  bool shared_strings_loaded_ = false;
  std::vector<std::string> shared_strings_;
};

}  // namespace opendtm::xlsx

#endif  // OPENDTM_XLSX_WORKBOOK_READER_H_
