#include "ingest/xlsx_source.h"

#include <algorithm>
#include <utility>

#include "core/formula_guard.h"
#include "ingest/internal/header_detection.h"

namespace opendtm::ingest {
namespace {

// The 0-based index of `sheet` (a name, or a 1-based position) among `names`.
Result<size_t> FindSheet(const std::vector<std::string>& names, const std::string& sheet,
                         const std::string& path) {
  if (names.empty()) return InvalidArgumentError(path + ": the workbook has no worksheet");
  if (sheet.empty()) return size_t{0};
  const auto by_name = std::find(names.begin(), names.end(), sheet);
  if (by_name != names.end()) return static_cast<size_t>(by_name - names.begin());
  if (std::all_of(sheet.begin(), sheet.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      sheet.size() <= 6) {
    const size_t position = std::stoul(sheet);
    if (position >= 1 && position <= names.size()) return position - 1;
  }
  std::string listed;
  for (const std::string& name : names) listed += (listed.empty() ? "'" : ", '") + name + "'";
  return InvalidArgumentError(path + ": no sheet '" + sheet + "' (sheets: " + listed + ")");
}

}  // namespace

XlsxSource::XlsxSource(std::string path, const Limits& limits)
    : path_(std::move(path)), limits_(limits) {
  header_.source_name = path_;
}
XlsxSource::~XlsxSource() = default;

Result<std::unique_ptr<XlsxSource>> XlsxSource::Open(const std::string& path,
                                                     const XlsxSourceOptions& options) {
  std::unique_ptr<XlsxSource> source(new XlsxSource(path, options.limits));
  xlsx::ReadLimits read_limits;
  read_limits.max_file_bytes = options.limits.max_file_bytes;
  read_limits.max_unpacked_bytes = options.limits.max_unpacked_bytes;
  read_limits.max_shared_string_bytes = options.limits.max_shared_string_bytes;
  read_limits.max_columns = options.limits.max_columns;
  read_limits.max_cell_bytes = options.limits.max_field_bytes;
  ASSIGN_OR_RETURN(source->workbook_, xlsx::WorkbookReader::Open(path, read_limits));
  ASSIGN_OR_RETURN(const size_t sheet_index,
                   FindSheet(source->workbook_->sheet_names(), options.sheet, path));
  ASSIGN_OR_RETURN(source->sheet_, source->workbook_->OpenSheet(sheet_index));
  if (source->workbook_->sheet_names().size() > 1) {
    source->header_.notes.push_back("sheet '" + source->sheet_->name() + "'");
  }

  XlsxSource* self = source.get();
  const internal::RowSource next_row = [self](SourceRow& row) { return self->ReadRow(row); };
  ASSIGN_OR_RETURN(
      internal::HeaderScan scan,
      internal::ReadHeader(next_row, options.header_row, options.limits, source->header_));
  source->read_ahead_ = std::move(scan.rows);
  source->deferred_ = std::move(scan.deferred);
  for (SourceRow& row : source->read_ahead_) {
    if (row.cells.size() < source->header_.names.size()) {
      row.cells.resize(source->header_.names.size());
    }
  }
  return source;
}

// Reads the next non-empty sheet row, unpadded.
Result<bool> XlsxSource::ReadRow(SourceRow& row) {
  ASSIGN_OR_RETURN(const bool read, sheet_->Next(scratch_));
  if (!read) return false;
  if (rows_read_ >= limits_.max_rows) {
    return ResourceExhaustedError(path_ + ": row " + std::to_string(scratch_.number) +
                                  ": more than " + std::to_string(limits_.max_rows) +
                                  " rows (max_rows)");
  }
  ++rows_read_;
  row.line = scratch_.number;
  row.cells.swap(scratch_.cells);
  return true;
}

Result<bool> XlsxSource::Next(SourceRow& row) {
  if (!read_ahead_.empty()) {
    row.line = read_ahead_.front().line;
    row.cells.swap(read_ahead_.front().cells);
    read_ahead_.pop_front();
    core::RestoreFormulas(row.cells);  // core/formula_guard.h
    return true;
  }
  if (!deferred_.ok()) return deferred_;
  ASSIGN_OR_RETURN(const bool read, ReadRow(row));
  core::RestoreFormulas(row.cells);
  if (read && row.cells.size() < header_.names.size()) row.cells.resize(header_.names.size());
  return read;
}

}  // namespace opendtm::ingest
