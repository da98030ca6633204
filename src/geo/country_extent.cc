#include "geo/country_extent.h"

#include <array>
#include <optional>
#include <vector>

#include "core/csv_reader.h"
#include "core/number.h"
#include "core/text.h"

namespace opendtm::geo {
namespace {

Status CheckBox(const CountryExtent& extent) {
  if (extent.iso3.empty()) return InvalidArgumentError("empty ISO3 code");
  if (!(extent.min_lat >= -90 && extent.max_lat <= 90 && extent.min_lon >= -180 &&
        extent.max_lon <= 180)) {
    return InvalidArgumentError(extent.iso3 + ": coordinates outside -90..90 / -180..180");
  }
  if (extent.min_lat > extent.max_lat || extent.min_lon > extent.max_lon) {
    return InvalidArgumentError(extent.iso3 + ": the box's minimum exceeds its maximum");
  }
  return Status::Ok();
}

}  // namespace

Result<CountryExtents> CountryExtents::LoadFile(const std::string& path) {
  ASSIGN_OR_RETURN(core::CsvTable table, core::ReadCsvFile(path, core::CsvOptions{}));
  if (table.rows.empty()) return InvalidArgumentError(path + ": empty file");

  // 1. Find the six columns by header name.
  constexpr std::array<std::string_view, 6> kColumns = {"iso3",    "name",    "min_lon",
                                                        "min_lat", "max_lon", "max_lat"};
  std::array<int, 6> column_of;
  column_of.fill(-1);
  const std::vector<std::string>& header = table.rows[0];
  for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
    std::string name = core::AsciiLower(core::Trim(header[column_idx]));
    for (size_t wanted = 0; wanted < kColumns.size(); ++wanted) {
      if (name == kColumns[wanted] && column_of[wanted] < 0) {
        column_of[wanted] = static_cast<int>(column_idx);
      }
    }
  }
  for (size_t wanted = 0; wanted < kColumns.size(); ++wanted) {
    if (column_of[wanted] < 0) {
      return InvalidArgumentError(path + ": line 1: no column '" + std::string(kColumns[wanted]) +
                                  "' (expected iso3,name,min_lon,min_lat,max_lon,max_lat)");
    }
  }

  // 2. One box per data row.
  CountryExtents extents;
  for (size_t row_idx = 1; row_idx < table.rows.size(); ++row_idx) {
    const std::vector<std::string>& row = table.rows[row_idx];
    std::string where = path + ": line " + std::to_string(table.row_lines[row_idx]);
    auto cell = [&row](int column_idx) -> std::string_view {
      return static_cast<size_t>(column_idx) < row.size() ? core::Trim(row[column_idx])
                                                          : std::string_view();
    };
    if (row.size() == 1 && cell(0).empty()) continue;  // blank line
    CountryExtent extent;
    extent.iso3 = core::AsciiUpper(cell(column_of[0]));
    extent.name = std::string(cell(column_of[1]));
    std::array<double*, 4> targets = {&extent.min_lon, &extent.min_lat, &extent.max_lon,
                                      &extent.max_lat};
    for (size_t coordinate = 0; coordinate < targets.size(); ++coordinate) {
      std::string_view text = cell(column_of[coordinate + 2]);
      std::optional<double> number = core::ParseNumber(text);
      if (!number) {
        return InvalidArgumentError(where + ": " + std::string(kColumns[coordinate + 2]) + " '" +
                                    std::string(text) + "' is not a number");
      }
      *targets[coordinate] = *number;
    }
    Status added = extents.Add(std::move(extent));
    if (!added.ok()) return InvalidArgumentError(where + ": " + added.message());
  }
  return extents;
}

Status CountryExtents::Add(CountryExtent extent) {
  extent.iso3 = core::AsciiUpper(extent.iso3);
  RETURN_IF_ERROR(CheckBox(extent));
  std::string key = extent.iso3;
  auto [it, inserted] = by_iso3_.emplace(std::move(key), std::move(extent));
  if (!inserted) return AlreadyExistsError(it->first + " is listed twice");
  return Status::Ok();
}

const CountryExtent* CountryExtents::Find(std::string_view iso3) const {
  auto it = by_iso3_.find(core::AsciiUpper(iso3));
  return it == by_iso3_.end() ? nullptr : &it->second;
}

Result<CountryExtent> LoadCountryExtent(const std::string& path, std::string_view iso3) {
  ASSIGN_OR_RETURN(CountryExtents extents, CountryExtents::LoadFile(path));
  const CountryExtent* extent = extents.Find(iso3);
  if (extent == nullptr) {
    return NotFoundError(path + ": no bounding box for country '" + std::string(iso3) + "'");
  }
  return *extent;
}

}  // namespace opendtm::geo
