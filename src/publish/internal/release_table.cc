#include "publish/internal/release_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string_view>

#include "store/records.h"

namespace opendtm::publish::internal {
namespace {

using disclosure::CellState;
using disclosure::Release;
using disclosure::ReleaseCell;
using disclosure::ReleaseColumn;
using disclosure::ReleaseRow;

constexpr std::string_view kFlagSuffix = "__flag";

// The hashtag head of a level's codes and names (#adm2+code, #adm2+name).
std::string LevelTag(std::span<const analysis::Level> levels) {
  if (levels.size() != 1) return "#adm";
  switch (levels.front()) {
    case analysis::Level::kSite:
      return "#loc";
    case analysis::Level::kAdmin3:
      return "#adm3";
    case analysis::Level::kAdmin2:
      return "#adm2";
    case analysis::Level::kAdmin1:
      return "#adm1";
    case analysis::Level::kCountry:
      return "#country";
    default:
      return "#adm";
  }
}

bool Contains(std::span<const analysis::Level> levels, analysis::Level level) {
  return std::find(levels.begin(), levels.end(), level) != levels.end();
}

std::string CellText(const ReleaseCell& cell, const ReleaseColumn& column) {
  if (cell.state != CellState::kValue) return "";
  switch (column.kind) {
    case disclosure::ValueKind::kInteger:
      return std::to_string(cell.integer);
    case disclosure::ValueKind::kNumber:
      return NumberText(cell.number);
    case disclosure::ValueKind::kText:
      return cell.text;
  }
  return "";
}

}  // namespace

size_t AreaPathDepth(analysis::Level level) {
  switch (level) {
    case analysis::Level::kSite:
    case analysis::Level::kAdmin3:
      return 3;
    case analysis::Level::kAdmin2:
      return 2;
    case analysis::Level::kAdmin1:
      return 1;
    default:
      return 0;
  }
}

std::string AreaPathField(size_t depth) { return "admin" + std::to_string(depth + 1) + "_pcode"; }

std::string AreaPcode(const ReleaseRow& row, size_t depth) {
  if (depth >= AreaPathDepth(row.level) || depth >= row.area_path.size()) return "";
  return row.area_path[depth];
}

Result<ReleaseTable> LayOutTable(const Release& release, std::span<const analysis::Level> levels) {
  ReleaseTable table;
  // 1. Levels: those asked, in the release's order.
  for (analysis::Level level : levels) {
    if (!Contains(release.levels, level)) {
      return InvalidArgumentError("the release has no " + std::string(analysis::LevelName(level)) +
                                  " rows");
    }
  }
  for (analysis::Level level : release.levels) {
    if (levels.empty() || Contains(levels, level)) table.levels.push_back(level);
  }

  // 2. Rows of those levels; every row's cells checked against the columns,
  // and which columns have a suppressed cell anywhere in the release (on a
  // row of a level the column applies to: the others are never written).
  std::vector<bool> flagged(release.columns.size(), false);
  for (size_t row_idx = 0; row_idx < release.rows.size(); ++row_idx) {
    const ReleaseRow& row = release.rows[row_idx];
    if (row.cells.size() != release.columns.size()) {
      return InvalidArgumentError("release row " + std::to_string(row_idx + 1) + " (" + row.pcode +
                                  ") has " + std::to_string(row.cells.size()) + " cells for " +
                                  std::to_string(release.columns.size()) + " columns");
    }
    for (size_t column_idx = 0; column_idx < row.cells.size(); ++column_idx) {
      const ReleaseCell& cell = row.cells[column_idx];
      if (cell.state != CellState::kSuppressed ||
          !disclosure::ColumnApplies(release.columns[column_idx], row.level)) {
        continue;
      }
      if (cell.reason == disclosure::SuppressionReason::kNone) {
        return InvalidArgumentError("release row " + std::to_string(row_idx + 1) + " (" +
                                    row.pcode + "): " + release.columns[column_idx].name +
                                    " is suppressed without a reason");
      }
      flagged[column_idx] = true;
    }
    if (Contains(table.levels, row.level)) {
      table.rows.push_back(&row);
      if (HasPoint(row)) table.points = true;
    }
  }

  // 3. Identity columns.
  const std::string level_tag = LevelTag(table.levels);
  if (release.operations.size() > 1) {
    table.fields.push_back({FieldKind::kOperation, "operation", "#operation+name"});
  }
  table.fields.push_back({FieldKind::kLevel, "level", "#adm+level"});
  table.fields.push_back({FieldKind::kPcode, "pcode", level_tag + "+code"});
  table.fields.push_back({FieldKind::kName, "name", level_tag + "+name"});
  size_t path_depth = 0;
  for (analysis::Level level : table.levels)
    path_depth = std::max(path_depth, AreaPathDepth(level));
  for (size_t depth = 0; depth < path_depth; ++depth) {
    table.fields.push_back({FieldKind::kAreaPcode, AreaPathField(depth),
                            "#adm" + std::to_string(depth + 1) + "+code", depth});
  }
  table.fields.push_back({FieldKind::kRound, "round", "#round+code"});
  table.fields.push_back({FieldKind::kAssessmentType, "assessment_type", "#assessment+type"});
  // Admin-level figures add up published records, not sites.
  if (release.admin_figures) {
    table.fields.push_back({FieldKind::kSites, "records", "#meta+count"});
  } else {
    table.fields.push_back({FieldKind::kSites, "sites", "#loc+count"});
  }
  if (table.points) {
    table.fields.push_back({FieldKind::kLatitude, "latitude", "#geo+lat"});
    table.fields.push_back({FieldKind::kLongitude, "longitude", "#geo+lon"});
  }
  const std::set<std::string, std::less<>> identity = {
      "operation", "level",        "pcode",        "site_id",      "name",
      "round",     "admin1_pcode", "admin2_pcode", "admin3_pcode", "assessment_type",
      "sites",     "records",      "latitude",     "longitude",    "flags"};

  // 4. The release's columns that apply to a level written, each with its flag.
  for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
    const ReleaseColumn& column = release.columns[column_idx];
    if (identity.contains(column.name) || column.name.ends_with(kFlagSuffix)) {
      return InvalidArgumentError("release column '" + column.name +
                                  "' is named like an identity or flag column");
    }
    const bool applies = std::any_of(
        table.levels.begin(), table.levels.end(),
        [&](analysis::Level level) { return disclosure::ColumnApplies(column, level); });
    if (!applies) continue;
    table.fields.push_back({FieldKind::kValue, column.name, column.hxl, column_idx});
    if (flagged[column_idx]) {
      table.fields.push_back(
          {FieldKind::kFlag, column.name + std::string(kFlagSuffix), "#meta+flag", column_idx});
    }
  }
  table.columns = static_cast<int64_t>(
      std::count_if(table.fields.begin(), table.fields.end(),
                    [](const TableField& field) { return field.kind != FieldKind::kFlag; }));
  return table;
}

std::string FieldText(const Release& release, const TableField& field, const ReleaseRow& row) {
  switch (field.kind) {
    case FieldKind::kOperation:
      return row.operation;
    case FieldKind::kLevel:
      return std::string(analysis::LevelName(row.level));
    case FieldKind::kPcode:
      return row.pcode;
    case FieldKind::kName:
      return row.name;
    case FieldKind::kAreaPcode:
      return AreaPcode(row, field.column);
    case FieldKind::kRound:
      return std::to_string(row.round);
    case FieldKind::kAssessmentType:
      return std::string(store::AssessmentTypeName(row.assessment_type));
    case FieldKind::kSites:
      return std::to_string(row.sites);
    case FieldKind::kLatitude:
      return HasPoint(row) ? NumberText(*row.latitude) : "";
    case FieldKind::kLongitude:
      return HasPoint(row) ? NumberText(*row.longitude) : "";
    case FieldKind::kValue:
    case FieldKind::kFlag: {
      const ReleaseColumn& column = release.columns[field.column];
      if (!disclosure::ColumnApplies(column, row.level)) return "";
      const ReleaseCell& cell = row.cells[field.column];
      if (field.kind == FieldKind::kValue) return CellText(cell, column);
      return cell.state == CellState::kSuppressed ? std::string(kSuppressedFlag) : "";
    }
  }
  return "";
}

bool HasPoint(const ReleaseRow& row) {
  return row.latitude && row.longitude && std::isfinite(*row.latitude) &&
         std::isfinite(*row.longitude);
}

std::string NumberText(double number) {
  if (!std::isfinite(number)) return "";
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, number);
  if (error != std::errc()) return "";
  return std::string(buffer, end);
}

}  // namespace opendtm::publish::internal
