#include "geo/gazetteer.h"

#include <algorithm>
#include <optional>
#include <set>

#include "core/csv_reader.h"
#include "core/number.h"
#include "core/hxl.h"
#include "core/text.h"

namespace opendtm::geo {
namespace {

// Column positions of the fields a gazetteer needs.
struct GazetteerColumns {
  int country = -1;
  int level = -1;
  int pcode = -1;
  int name = -1;
  int parent = -1;
  int valid_from = -1;
};

bool IsHashtagRow(const std::vector<std::string>& row) {
  bool any = false;
  for (const std::string& cell : row) {
    std::string_view trimmed = core::Trim(cell);
    if (trimmed.empty()) continue;
    if (trimmed[0] != '#') return false;
    any = true;
  }
  return any;
}

std::optional<GazetteerColumns> ColumnsFromHashtags(const std::vector<std::string>& row) {
  GazetteerColumns columns;
  for (size_t column_idx = 0; column_idx < row.size(); ++column_idx) {
    std::string tag = core::NormalizeHxlTag(row[column_idx]);
    int index = static_cast<int>(column_idx);
    if (tag == "#country+code") columns.country = index;
    else if (tag == "#geo+admin_level") columns.level = index;
    else if (tag == "#adm+code") columns.pcode = index;
    else if (tag == "#adm+name") columns.name = index;
    else if (tag == "#adm+code+parent") columns.parent = index;
    else if (tag == "#date+start") columns.valid_from = index;
  }
  return columns;
}

GazetteerColumns ColumnsFromHeader(const std::vector<std::string>& row) {
  GazetteerColumns columns;
  for (size_t column_idx = 0; column_idx < row.size(); ++column_idx) {
    std::string name = core::FoldCase(core::Trim(row[column_idx]));
    int index = static_cast<int>(column_idx);
    if (name == "country" || name == "location") columns.country = index;
    else if (name == "level" || name == "admin level") columns.level = index;
    else if (name == "code" || name == "p-code" || name == "pcode") columns.pcode = index;
    else if (name == "name") columns.name = index;
    else if (name == "parent" || name == "parent p-code") columns.parent = index;
    else if (name == "valid_from" || name == "valid from date") columns.valid_from = index;
  }
  return columns;
}

std::string_view Cell(const std::vector<std::string>& row, int column) {
  if (column < 0 || static_cast<size_t>(column) >= row.size()) return {};
  return core::Trim(row[column]);
}

}  // namespace

Result<Gazetteer> Gazetteer::LoadFile(const std::string& path,
                                     std::vector<std::string>* skipped_rows) {
  ASSIGN_OR_RETURN(core::CsvTable table, core::ReadCsvFile(path, core::CsvOptions()));
  if (table.rows.empty()) return InvalidArgumentError(path + ": empty gazetteer file");

  // 1. Find the columns: by hashtag when a hashtag row is among the first rows,
  //    else by the header row.
  size_t first_data_row = 1;
  GazetteerColumns columns = ColumnsFromHeader(table.rows[0]);
  for (size_t row_idx = 0; row_idx < std::min<size_t>(table.rows.size(), 5); ++row_idx) {
    if (IsHashtagRow(table.rows[row_idx])) {
      columns = *ColumnsFromHashtags(table.rows[row_idx]);
      first_data_row = row_idx + 1;
      break;
    }
  }
  auto missing = [&path](std::string_view what) {
    return InvalidArgumentError(path + ": row 1: no " + std::string(what) +
                                " column (expected the OCHA hashtags #country+code, "
                                "#geo+admin_level, #adm+code, #adm+name, #adm+code+parent, or "
                                "a header code,name,level,parent[,country])");
  };
  if (columns.pcode < 0) return missing("P-code");
  if (columns.level < 0) return missing("admin level");
  if (columns.name < 0) return missing("name");

  // 2. One area per data row.
  Gazetteer gazetteer;
  for (size_t row_idx = first_data_row; row_idx < table.rows.size(); ++row_idx) {
    const std::vector<std::string>& row = table.rows[row_idx];
    int line = table.row_lines[row_idx];
    if (std::all_of(row.begin(), row.end(),
                    [](const std::string& cell) { return core::Trim(cell).empty(); })) {
      continue;
    }
    AdminArea area;
    area.pcode = std::string(Cell(row, columns.pcode));
    area.name = std::string(Cell(row, columns.name));
    area.parent_pcode = std::string(Cell(row, columns.parent));
    area.country = std::string(Cell(row, columns.country));
    area.valid_from = std::string(Cell(row, columns.valid_from));
    std::optional<int64_t> level = core::ParseInteger(Cell(row, columns.level));
    std::string problem;
    if (!level || *level < 0 || *level > 5) {
      problem = path + ": row " + std::to_string(line) + ", column " +
                std::to_string(columns.level + 1) + ": admin level '" +
                std::string(Cell(row, columns.level)) + "' is not a number from 0 to 5";
    } else if (area.pcode.empty()) {
      problem = path + ": row " + std::to_string(line) + ", column " +
                std::to_string(columns.pcode + 1) + ": empty P-code";
    }
    if (problem.empty()) {
      area.level = static_cast<int>(*level);
      if (area.country.empty() && area.level == 1) area.country = area.parent_pcode;
      if (area.country.empty()) {
        // Plain files without a country column: inherit it from the parent.
        if (const AdminArea* parent = gazetteer.Find(area.parent_pcode)) {
          area.country = parent->country;
        }
      }
      Status added = gazetteer.Add(std::move(area));
      if (!added.ok()) problem = path + ": row " + std::to_string(line) + ": " + added.message();
    }
    if (!problem.empty()) {
      if (skipped_rows == nullptr) return InvalidArgumentError(problem);
      skipped_rows->push_back(std::move(problem));
    }
  }
  return gazetteer;
}

Status Gazetteer::Add(AdminArea area) {
  if (by_pcode_.count(area.pcode)) {
    return AlreadyExistsError("P-code " + area.pcode + " appears twice");
  }
  by_pcode_.emplace(area.pcode, areas_.size());
  areas_.push_back(std::move(area));
  return Status::Ok();
}

const AdminArea* Gazetteer::Find(std::string_view pcode) const {
  auto it = by_pcode_.find(std::string(pcode));
  return it == by_pcode_.end() ? nullptr : &areas_[it->second];
}

std::vector<const AdminArea*> Gazetteer::AreasOf(std::string_view country, int level) const {
  std::vector<const AdminArea*> out;
  for (const AdminArea& area : areas_) {
    if (area.country == country && area.level == level) out.push_back(&area);
  }
  return out;
}

std::vector<std::string> Gazetteer::Countries() const {
  std::set<std::string> countries;
  for (const AdminArea& area : areas_) countries.insert(area.country);
  return {countries.begin(), countries.end()};
}

}  // namespace opendtm::geo
