#include "ingest/internal/header_detection.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "core/text.h"

namespace opendtm::ingest::internal {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsTagChar(char c) { return IsAsciiLetter(c) || IsAsciiDigit(c) || c == '_'; }
bool IsSpace(char c) { return c == ' ' || c == '\t'; }

bool IsNumeric(std::string_view cell) {
  bool digit = false;
  for (char c : cell) {
    if (IsAsciiDigit(c)) {
      digit = true;
    } else if (c != '.' && c != ',' && c != '+' && c != '-' && c != '%' && c != '/' && c != ':' &&
               c != ' ') {
      return false;
    }
  }
  return digit;
}

// Step 2's test: mostly distinct, mostly non-numeric text.
bool IsHeaderLike(const std::vector<std::string>& cells, size_t& non_empty) {
  std::unordered_set<std::string_view> distinct;
  size_t numeric = 0;
  non_empty = 0;
  for (const std::string& cell : cells) {
    const std::string_view text = core::Trim(cell);
    if (text.empty()) continue;
    ++non_empty;
    if (IsNumeric(text)) ++numeric;
    distinct.insert(text);
  }
  if (non_empty == 0) return false;
  return (non_empty - numeric) * 4 >= non_empty * 3 && distinct.size() * 4 >= non_empty * 3;
}

size_t CountNonEmpty(const std::vector<std::string>& cells) {
  return static_cast<size_t>(std::count_if(cells.begin(), cells.end(), [](const std::string& cell) {
    return !core::Trim(cell).empty();
  }));
}

std::string LineRange(int64_t first, int64_t last) {
  return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}

}  // namespace

bool IsHxlHashtag(std::string_view cell) {
  const std::string_view text = core::Trim(cell);
  size_t pos = 0;
  if (text.size() < 2 || text[pos++] != '#' || !IsAsciiLetter(text[pos])) return false;
  while (pos < text.size() && IsTagChar(text[pos])) ++pos;
  while (pos < text.size()) {
    while (pos < text.size() && IsSpace(text[pos])) ++pos;
    if (pos == text.size() || text[pos++] != '+') return false;
    while (pos < text.size() && IsSpace(text[pos])) ++pos;
    const size_t start = pos;
    while (pos < text.size() && IsTagChar(text[pos])) ++pos;
    if (pos == start) return false;
  }
  return true;
}

bool IsHxlHashtagRow(const std::vector<std::string>& cells) {
  size_t non_empty = 0;
  size_t tags = 0;
  for (const std::string& cell : cells) {
    if (core::Trim(cell).empty()) continue;
    ++non_empty;
    if (IsHxlHashtag(cell)) ++tags;
  }
  return tags > 0 && tags * 2 >= non_empty;
}

HeaderLayout DetectHeaderLayout(std::span<const SourceRow> rows) {
  HeaderLayout layout;
  // 1. The hashtag row.
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    if (!IsHxlHashtagRow(rows[row_idx].cells)) continue;
    layout.hxl_index = row_idx;
    layout.header_index = row_idx == 0 ? 0 : row_idx - 1;
    layout.first_data_index = row_idx + 1;
    return layout;
  }
  // 2. The first header-like row at least half as wide as the widest row.
  size_t widest = 0;
  for (const SourceRow& row : rows) widest = std::max(widest, CountNonEmpty(row.cells));
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    size_t non_empty = 0;
    if (IsHeaderLike(rows[row_idx].cells, non_empty) && non_empty * 2 >= widest) {
      layout.header_index = row_idx;
      layout.first_data_index = row_idx + 1;
      return layout;
    }
  }
  // 3. Nothing looks like a header.
  layout.first_data_index = rows.empty() ? 0 : 1;
  layout.recognised = false;
  return layout;
}

Result<HeaderScan> ReadHeader(const RowSource& next_row, int header_row, const Limits& limits,
                              SourceHeader& header) {
  HeaderScan scan;
  std::deque<SourceRow>& rows = scan.rows;
  HeaderLayout layout;
  int64_t skipped_first = 0;
  int64_t skipped_last = 0;
  if (header_row > 0) {
    // Read up to the header, dropping what is above it, then one more row for
    // the hashtag check.
    SourceRow row;
    while (true) {
      ASSIGN_OR_RETURN(const bool read, next_row(row));
      if (!read) {
        return InvalidArgumentError(header.source_name + ": header_row " +
                                    std::to_string(header_row) + " is beyond the last row (line " +
                                    std::to_string(skipped_last) + ")");
      }
      if (row.line >= header_row) break;
      if (skipped_first == 0) skipped_first = row.line;
      skipped_last = row.line;
    }
    rows.push_back(std::move(row));
    SourceRow below;
    Result<bool> read_below = next_row(below);
    if (!read_below.ok()) {
      scan.deferred = read_below.status();
    } else if (*read_below) {
      rows.push_back(std::move(below));
    }
    layout.first_data_index = 1;
    if (rows.size() > 1 && IsHxlHashtagRow(rows[1].cells)) {
      layout.hxl_index = 1;
      layout.first_data_index = 2;
    }
  } else {
    const int scan_rows = std::max(limits.max_header_scan_rows, 1);
    while (rows.size() < static_cast<size_t>(scan_rows)) {
      SourceRow row;
      Result<bool> read = next_row(row);
      if (!read.ok()) {
        if (rows.empty()) return read.status();
        scan.deferred = read.status();
        break;
      }
      if (!*read) break;
      rows.push_back(std::move(row));
    }
    if (rows.empty()) return scan;
    const std::vector<SourceRow> scanned(rows.begin(), rows.end());
    layout = DetectHeaderLayout(scanned);
    if (layout.header_index > 0) {
      skipped_first = rows.front().line;
      skipped_last = rows[layout.header_index - 1].line;
    }
  }

  const SourceRow& names_row = rows[layout.header_index];
  header.header_line = static_cast<int>(names_row.line);
  header.names = names_row.cells;
  if (layout.hxl_index.has_value()) {
    const std::vector<std::string>& tags_row = rows[*layout.hxl_index].cells;
    header.hxl_tags.clear();
    for (const std::string& cell : tags_row) {
      header.hxl_tags.emplace_back(IsHxlHashtag(cell) ? std::string(core::Trim(cell)) : "");
    }
    // A short header row gets empty names for the tagged columns beyond it,
    // and both vectors have one entry per column.
    const size_t width = std::max(header.names.size(), header.hxl_tags.size());
    if (*layout.hxl_index == layout.header_index) {
      header.names = header.hxl_tags;
    }
    header.names.resize(width);
    header.hxl_tags.resize(width);
    header.notes.push_back("HXL hashtag row at line " +
                           std::to_string(rows[*layout.hxl_index].line));
  }
  if (skipped_first > 0) {
    header.notes.push_back((skipped_first == skipped_last ? "row " : "rows ") +
                           LineRange(skipped_first, skipped_last) + " above the header skipped");
  }
  if (!layout.recognised) {
    header.notes.push_back("no header row recognised in the first " + std::to_string(rows.size()) +
                           " rows; line " + std::to_string(header.header_line) +
                           " used as the header");
  } else if (header_row <= 0 && header.header_line != rows.front().line) {
    header.notes.push_back("header detected at line " + std::to_string(header.header_line));
  }
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(layout.first_data_index));
  return scan;
}

}  // namespace opendtm::ingest::internal
