#include "demo/country_box.h"

#include <array>
#include <optional>
#include <vector>

#include "core/csv_reader.h"
#include "core/number.h"
#include "core/text.h"

namespace opendtm::demo {
namespace {

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t char_idx = 0; char_idx < a.size(); ++char_idx) {
    char x = a[char_idx];
    char y = b[char_idx];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

Result<CountryBox> LoadCountryBox(const std::string& path, std::string_view iso3) {
  core::CsvOptions options;
  options.delimiter = ',';
  ASSIGN_OR_RETURN(core::CsvTable table, core::ReadCsvFile(path, options));
  if (table.rows.empty()) return InvalidArgumentError(path + ": the file is empty");

  // Step 1: find the columns by name.
  constexpr std::array<std::string_view, 6> kColumns = {"iso3",    "name",    "min_lon",
                                                        "min_lat", "max_lon", "max_lat"};
  std::array<int, kColumns.size()> column_of;
  column_of.fill(-1);
  const std::vector<std::string>& header = table.rows.front();
  for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
    for (size_t wanted_idx = 0; wanted_idx < kColumns.size(); ++wanted_idx) {
      if (core::Trim(header[column_idx]) == kColumns[wanted_idx]) {
        column_of[wanted_idx] = static_cast<int>(column_idx);
      }
    }
  }
  for (size_t wanted_idx = 0; wanted_idx < kColumns.size(); ++wanted_idx) {
    if (column_of[wanted_idx] < 0) {
      return InvalidArgumentError(path + ": missing column '" + std::string(kColumns[wanted_idx]) +
                                  "' (expected iso3,name,min_lon,min_lat,max_lon,max_lat)");
    }
  }

  // Step 2: find the country's row and read its coordinates.
  for (size_t row_idx = 1; row_idx < table.rows.size(); ++row_idx) {
    const std::vector<std::string>& row = table.rows[row_idx];
    auto cell = [&](size_t wanted_idx) -> std::string_view {
      size_t column_idx = static_cast<size_t>(column_of[wanted_idx]);
      return column_idx < row.size() ? core::Trim(row[column_idx]) : std::string_view();
    };
    if (!EqualsIgnoringAsciiCase(cell(0), iso3)) continue;
    const std::string where = path + ":" + std::to_string(table.row_lines[row_idx]);
    CountryBox box;
    box.iso3 = std::string(cell(0));
    box.name = std::string(cell(1));
    std::array<double*, 4> targets = {&box.min_lon, &box.min_lat, &box.max_lon, &box.max_lat};
    for (size_t coordinate_idx = 0; coordinate_idx < targets.size(); ++coordinate_idx) {
      std::optional<double> value = core::ParseNumber(cell(coordinate_idx + 2));
      if (!value.has_value()) {
        return InvalidArgumentError(where + ": " + std::string(kColumns[coordinate_idx + 2]) +
                                    " '" + std::string(cell(coordinate_idx + 2)) +
                                    "' is not a number");
      }
      *targets[coordinate_idx] = *value;
    }
    if (box.min_lon < -180 || box.max_lon > 180 || box.min_lat < -90 || box.max_lat > 90) {
      return InvalidArgumentError(where + ": the box of " + box.iso3 +
                                  " lies outside longitudes [-180, 180] or latitudes [-90, 90]");
    }
    if (box.min_lon > box.max_lon || box.min_lat > box.max_lat) {
      return InvalidArgumentError(where + ": the box of " + box.iso3 +
                                  " has a minimum above its maximum");
    }
    return box;
  }
  return NotFoundError(path + ": no bounding box for country '" + std::string(iso3) + "'");
}

}  // namespace opendtm::demo
