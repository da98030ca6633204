#include "publish/json_export.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "core/sha256.h"
#include "publish/internal/json_rows.h"
#include "publish/internal/release_table.h"
#include "store/records.h"

namespace opendtm::publish {
namespace {

// part / whole to 4 decimals, as the rollup's shares are (0 when whole is 0).
double Share(int64_t part, int64_t whole) {
  if (whole <= 0) return 0;
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", static_cast<double>(part) / static_cast<double>(whole));
  return std::strtod(text, nullptr);
}

nlohmann::ordered_json RowOf(const disclosure::Release& release, const disclosure::ReleaseRow& row,
                             bool with_operation, bool points) {
  nlohmann::ordered_json object;
  if (with_operation) object["operation"] = row.operation;
  object["level"] = std::string(analysis::LevelName(row.level));
  object[row.level == analysis::Level::kSite ? "site_id" : "pcode"] = row.pcode;
  object["name"] = internal::TextOrNull(row.name);
  internal::AddAreaPath(row, object);
  object["round"] = row.round;
  object["assessment_type"] = std::string(store::AssessmentTypeName(row.assessment_type));
  object[release.admin_figures ? "records" : "sites"] = row.sites;
  if (points) {
    const bool has_point = internal::HasPoint(row);
    object["latitude"] = has_point ? nlohmann::ordered_json(*row.latitude) : nullptr;
    object["longitude"] = has_point ? nlohmann::ordered_json(*row.longitude) : nullptr;
  }
  for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
    const disclosure::ReleaseColumn& column = release.columns[column_idx];
    if (!disclosure::ColumnApplies(column, row.level)) continue;
    const bool grouped =
        !column.choice.empty() && row.level != analysis::Level::kSite &&
        !column.indicator.empty() &&
        (!object.contains(column.indicator) || object[column.indicator].is_object());
    if (!grouped) {
      object[column.name] = internal::CellJson(release, column_idx, row);
      continue;
    }
    // An answer count: under its indicator, by choice (the indicator's key
    // takes the place of its first choice).
    const disclosure::ReleaseCell& cell = row.cells[column_idx];
    nlohmann::ordered_json count = {{"sites", nullptr}, {"share_of_sites", nullptr}};
    if (cell.state == disclosure::CellState::kValue) {
      count["sites"] = cell.integer;
      count["share_of_sites"] = Share(cell.integer, row.sites);
    }
    object[column.indicator][column.choice] = std::move(count);
  }
  nlohmann::ordered_json flags = internal::FlagsJson(release, row);
  if (!flags.empty()) object["flags"] = std::move(flags);
  return object;
}

}  // namespace

Result<ExportedText> ExportJson(const disclosure::Release& release, const JsonOptions& options) {
  ASSIGN_OR_RETURN(internal::ReleaseTable table, internal::LayOutTable(release, options.levels));
  nlohmann::ordered_json envelope;
  envelope["tier"] = std::string(store::TierName(release.tier));
  envelope["policy_version"] = release.policy_version;
  envelope["dictionary_version"] = release.dictionary_version;
  envelope["operations"] = release.operations;
  envelope["rounds"] = release.rounds;
  if (release.admin_figures) envelope["source"] = "admin_figures";
  nlohmann::ordered_json levels = nlohmann::ordered_json::array();
  for (analysis::Level level : table.levels)
    levels.push_back(std::string(analysis::LevelName(level)));
  envelope["levels"] = std::move(levels);
  // The envelope's text without its closing brace, then "rows" one per line.
  std::string text = internal::CompactJson(envelope);
  text.pop_back();
  text += ",\"rows\":[";
  const bool with_operation = release.operations.size() > 1;
  for (size_t row_idx = 0; row_idx < table.rows.size(); ++row_idx) {
    text += row_idx == 0 ? "\n" : ",\n";
    text +=
        internal::CompactJson(RowOf(release, *table.rows[row_idx], with_operation, table.points));
  }
  text += "\n]}\n";
  ExportedText out;
  out.text = std::move(text);
  out.summary.rows = static_cast<int64_t>(table.rows.size());
  out.summary.columns = table.columns;
  out.summary.sha256 = core::Sha256::HexOf(out.text);
  return out;
}

}  // namespace opendtm::publish
