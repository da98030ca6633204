// WorkbookWriter: writes an .xlsx workbook of plain-text sheets, or of sheets
// whose cells are text or numbers.
//
// The only place in OpenDTM that talks to libxlsxwriter (conventions: one adapter
// per third-party library). AddSheet writes every cell as a string: XLSForm
// readers (pyxform, KoboToolbox, ODK Central) read cells as text, and a number
// written as a number comes back as "1.0" from some of them. AddTypedSheet
// writes numbers as numbers, for tables people add up in Excel (exports of
// figures).
//
// Usage:
//   ASSIGN_OR_RETURN(auto writer, xlsx::WorkbookWriter::Create("/tmp/form.xlsx"));
//   RETURN_IF_ERROR(writer.AddSheet("survey", rows));
//   RETURN_IF_ERROR(writer.Close());
//
// Nothing touches the file system before Close(): libxlsxwriter assembles the
// workbook in temporary files and creates `path` when it is closed. A writer
// destroyed without Close() discards the workbook and writes nothing.
//
// Thread-safety: none; one writer per thread. Distinct writers are independent.
#ifndef OPENDTM_XLSX_WORKBOOK_WRITER_H_
#define OPENDTM_XLSX_WORKBOOK_WRITER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace opendtm::xlsx {

// How a sheet is laid out.
struct SheetStyle {
  // Writes the first row in bold (a header row).
  bool bold_header = false;
};

// One cell of AddTypedSheet: a number, or text ("" leaves the cell empty).
struct SheetCell {
  std::string text;
  std::optional<double> number;  // when set, written as a number instead of `text`

  static SheetCell Text(std::string text) { return SheetCell{std::move(text), std::nullopt}; }
  static SheetCell Number(double number) { return SheetCell{"", number}; }
};

class WorkbookWriter {
 public:
  // Starts a workbook that Close() will write to `path`.
  // Errors: InvalidArgument when `path` is empty; Internal when libxlsxwriter
  // cannot allocate the workbook.
  static Result<WorkbookWriter> Create(const std::string& path);

  WorkbookWriter(WorkbookWriter&&) noexcept;
  WorkbookWriter& operator=(WorkbookWriter&&) noexcept;
  ~WorkbookWriter();

  // Adds a sheet named `name` holding `rows` (row by row, cell by cell, every
  // cell as a string; empty strings leave the cell empty). Rows may have
  // different lengths.
  // Errors: InvalidArgument for a name Excel refuses (empty, longer than 31
  // characters, one of []:*?/\, starting or ending with an apostrophe, or
  // already used) and for a cell longer than Excel's 32,767 characters;
  // ResourceExhausted when `rows` exceeds Excel's 1,048,576 rows or 16,384
  // columns; FailedPrecondition after Close(). Each message names the path.
  Status AddSheet(std::string_view name, const std::vector<std::vector<std::string>>& rows,
                  const SheetStyle& style = {});

  // Adds a sheet like AddSheet whose cells are numbers or text (SheetCell).
  // Errors: those of AddSheet, and InvalidArgument for a number that is not
  // finite (Excel has no NaN or infinity), naming its row and column.
  Status AddTypedSheet(std::string_view name, const std::vector<std::vector<SheetCell>>& rows,
                       const SheetStyle& style = {});

  // Writes the workbook to the path given to Create and releases it.
  // Errors: Unavailable when the file or its temporary files cannot be
  // created; Internal for other libxlsxwriter failures; FailedPrecondition when
  // already closed. The message names the path. After Close(), whatever it
  // returned, the writer accepts nothing more.
  Status Close();

  const std::string& path() const { return path_; }

 private:
  struct State;
  WorkbookWriter(std::string path, std::unique_ptr<State> state);

  template <typename Cell>
  Status AddCells(std::string_view name, const std::vector<std::vector<Cell>>& rows,
                  const SheetStyle& style);

  std::string path_;
  std::unique_ptr<State> state_;  // null once closed
};

}  // namespace opendtm::xlsx

#endif  // OPENDTM_XLSX_WORKBOOK_WRITER_H_
