#include "cli/table_output.h"

#include <algorithm>

namespace opendtm::cli {

size_t DisplayWidth(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&widths](const std::vector<std::string>& row) {
    for (size_t column_idx = 0; column_idx < row.size() && column_idx < widths.size();
         ++column_idx) {
      widths[column_idx] = std::max(widths[column_idx], DisplayWidth(row[column_idx]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  auto print = [&](const std::vector<std::string>& row) {
    for (size_t column_idx = 0; column_idx < row.size(); ++column_idx) {
      out << row[column_idx];
      if (column_idx + 1 == row.size()) break;
      const size_t width = column_idx < widths.size() ? widths[column_idx] : 0;
      const size_t shown = DisplayWidth(row[column_idx]);
      out << std::string((width > shown ? width - shown : 0) + 2, ' ');
    }
    out << "\n";
  };
  print(header);
  for (const auto& row : rows) print(row);
}

}  // namespace opendtm::cli
