#include "publish/geojson_export.h"

#include <nlohmann/json.hpp>
#include <string>

#include "core/sha256.h"
#include "publish/internal/json_rows.h"
#include "publish/internal/release_table.h"
#include "store/records.h"

namespace opendtm::publish {
namespace {

nlohmann::ordered_json FeatureOf(const disclosure::Release& release,
                                 const disclosure::ReleaseRow& row, bool with_operation) {
  nlohmann::ordered_json feature;
  feature["type"] = "Feature";
  if (internal::HasPoint(row)) {
    feature["geometry"] = {{"type", "Point"}, {"coordinates", {*row.longitude, *row.latitude}}};
  } else {
    feature["geometry"] = nullptr;
  }
  nlohmann::ordered_json properties;
  if (with_operation) properties["operation"] = row.operation;
  properties["level"] = std::string(analysis::LevelName(row.level));
  properties["pcode"] = row.pcode;
  properties["name"] = internal::TextOrNull(row.name);
  internal::AddAreaPath(row, properties);
  properties["round"] = row.round;
  properties["assessment_type"] = std::string(store::AssessmentTypeName(row.assessment_type));
  properties["sites"] = row.sites;
  for (size_t column = 0; column < release.columns.size(); ++column) {
    if (!disclosure::ColumnApplies(release.columns[column], row.level)) continue;
    properties[release.columns[column].name] = internal::CellJson(release, column, row);
  }
  nlohmann::ordered_json flags = internal::FlagsJson(release, row);
  if (!flags.empty()) properties["flags"] = std::move(flags);
  feature["properties"] = std::move(properties);
  return feature;
}

}  // namespace

Result<ExportedText> ExportGeoJson(const disclosure::Release& release,
                                   const GeoJsonOptions& options) {
  ASSIGN_OR_RETURN(internal::ReleaseTable table, internal::LayOutTable(release, options.levels));
  const bool with_operation = release.operations.size() > 1;
  ExportedText out;
  // Foreign members (RFC 7946, 6.1) say which tier and policy produced the
  // file; GIS tools ignore them.
  nlohmann::ordered_json header = {{"type", "FeatureCollection"},
                                   {"tier", std::string(store::TierName(release.tier))},
                                   {"policy_version", release.policy_version},
                                   {"dictionary_version", release.dictionary_version}};
  std::string opening = internal::CompactJson(header);
  opening.pop_back();  // the closing brace: the features follow
  out.text = opening + ",\"features\":[";
  for (size_t row_idx = 0; row_idx < table.rows.size(); ++row_idx) {
    out.text += row_idx == 0 ? "\n" : ",\n";
    out.text += internal::CompactJson(FeatureOf(release, *table.rows[row_idx], with_operation));
  }
  out.text += "\n]}\n";
  out.summary.rows = static_cast<int64_t>(table.rows.size());
  out.summary.columns = table.columns;
  out.summary.sha256 = core::Sha256::HexOf(out.text);
  return out;
}

}  // namespace opendtm::publish
