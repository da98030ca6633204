#include "xlsx/workbook_writer.h"

#include <cmath>
#include <utility>

#include "xlsxwriter.h"

namespace opendtm::xlsx {
namespace {

struct WorkbookFree {
  void operator()(lxw_workbook* workbook) const { lxw_workbook_free(workbook); }
};

std::string Describe(lxw_error error) {
  const char* text = lxw_strerror(error);
  return text != nullptr ? text : "libxlsxwriter error " + std::to_string(static_cast<int>(error));
}

// Maps a libxlsxwriter error to our codes: what the caller asked for is an
// invalid argument, what the machine refused is unavailable, the rest is ours.
Status ToStatus(lxw_error error, const std::string& path, std::string_view what) {
  std::string message = path + ": " + std::string(what) + ": " + Describe(error);
  switch (error) {
    case LXW_NO_ERROR:
      return Status::Ok();
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_CLOSE:
      return UnavailableError(std::move(message));
    case LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED:
    case LXW_ERROR_INVALID_SHEETNAME_CHARACTER:
    case LXW_ERROR_SHEETNAME_START_END_APOSTROPHE:
    case LXW_ERROR_SHEETNAME_ALREADY_USED:
    case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
      return InvalidArgumentError(std::move(message));
    case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
      return ResourceExhaustedError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

bool IsEmpty(const std::string& cell) { return cell.empty(); }
bool IsEmpty(const SheetCell& cell) { return !cell.number.has_value() && cell.text.empty(); }

lxw_error WriteCell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column, const std::string& cell,
                    lxw_format* format) {
  return worksheet_write_string(sheet, row, column, cell.c_str(), format);
}

lxw_error WriteCell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column, const SheetCell& cell,
                    lxw_format* format) {
  if (cell.number.has_value())
    return worksheet_write_number(sheet, row, column, *cell.number, format);
  return worksheet_write_string(sheet, row, column, cell.text.c_str(), format);
}

// Excel has no NaN or infinity. Checked before the sheet is added, so that a
// refused sheet leaves nothing behind.
bool Writable(const std::string&) { return true; }
bool Writable(const SheetCell& cell) {
  return !cell.number.has_value() || std::isfinite(*cell.number);
}

}  // namespace

struct WorkbookWriter::State {
  std::unique_ptr<lxw_workbook, WorkbookFree> workbook;
  lxw_format* bold = nullptr;  // owned by the workbook
};

WorkbookWriter::WorkbookWriter(std::string path, std::unique_ptr<State> state)
    : path_(std::move(path)), state_(std::move(state)) {}
WorkbookWriter::WorkbookWriter(WorkbookWriter&&) noexcept = default;
WorkbookWriter& WorkbookWriter::operator=(WorkbookWriter&&) noexcept = default;
WorkbookWriter::~WorkbookWriter() = default;

Result<WorkbookWriter> WorkbookWriter::Create(const std::string& path) {
  if (path.empty()) return InvalidArgumentError("xlsx: empty output path");
  auto state = std::make_unique<State>();
  state->workbook.reset(workbook_new(path.c_str()));
  if (state->workbook == nullptr) {
    return InternalError(path + ": libxlsxwriter could not create a workbook");
  }
  state->bold = workbook_add_format(state->workbook.get());
  if (state->bold == nullptr) return InternalError(path + ": libxlsxwriter could not add a format");
  format_set_bold(state->bold);
  return WorkbookWriter(path, std::move(state));
}

Status WorkbookWriter::AddSheet(std::string_view name,
                                const std::vector<std::vector<std::string>>& rows,
                                const SheetStyle& style) {
  return AddCells(name, rows, style);
}

Status WorkbookWriter::AddTypedSheet(std::string_view name,
                                     const std::vector<std::vector<SheetCell>>& rows,
                                     const SheetStyle& style) {
  return AddCells(name, rows, style);
}

template <typename Cell>
Status WorkbookWriter::AddCells(std::string_view name, const std::vector<std::vector<Cell>>& rows,
                                const SheetStyle& style) {
  if (state_ == nullptr) return FailedPreconditionError(path_ + ": workbook already closed");
  const std::string sheet_name(name);
  const std::string what = "sheet '" + sheet_name + "'";
  if (sheet_name.empty()) return InvalidArgumentError(path_ + ": empty sheet name");
  RETURN_IF_ERROR(ToStatus(workbook_validate_sheet_name(state_->workbook.get(), sheet_name.c_str()),
                           path_, what));
  if (rows.size() > LXW_ROW_MAX) {
    return ResourceExhaustedError(path_ + ": " + what + ": " + std::to_string(rows.size()) +
                                  " rows, more than Excel's " + std::to_string(LXW_ROW_MAX));
  }
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    const auto& row = rows[row_idx];
    if (row.size() > LXW_COL_MAX) {
      return ResourceExhaustedError(path_ + ": " + what + ": " + std::to_string(row.size()) +
                                    " columns, more than Excel's " + std::to_string(LXW_COL_MAX));
    }
    for (size_t column_idx = 0; column_idx < row.size(); ++column_idx) {
      if (!Writable(row[column_idx])) {
        return InvalidArgumentError(path_ + ": " + what + " row " + std::to_string(row_idx + 1) +
                                    " column " + std::to_string(column_idx + 1) +
                                    ": a number that is not finite");
      }
    }
  }
  lxw_worksheet* sheet = workbook_add_worksheet(state_->workbook.get(), sheet_name.c_str());
  if (sheet == nullptr) return InternalError(path_ + ": " + what + ": could not add the sheet");
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    lxw_format* format = (style.bold_header && row_idx == 0) ? state_->bold : nullptr;
    const auto& row = rows[row_idx];
    for (size_t column_idx = 0; column_idx < row.size(); ++column_idx) {
      if (IsEmpty(row[column_idx])) continue;
      lxw_error error = WriteCell(sheet, static_cast<lxw_row_t>(row_idx),
                                  static_cast<lxw_col_t>(column_idx), row[column_idx], format);
      if (error != LXW_NO_ERROR) {
        return ToStatus(error, path_,
                        what + " row " + std::to_string(row_idx + 1) + " column " +
                            std::to_string(column_idx + 1));
      }
    }
  }
  return Status::Ok();
}

Status WorkbookWriter::Close() {
  if (state_ == nullptr) return FailedPreconditionError(path_ + ": workbook already closed");
  // workbook_close frees the workbook whatever happens, so ownership goes first.
  lxw_workbook* workbook = state_->workbook.release();
  state_.reset();
  return ToStatus(workbook_close(workbook), path_, "writing the workbook");
}

}  // namespace opendtm::xlsx
