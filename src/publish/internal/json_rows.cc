#include "publish/internal/json_rows.h"

#include <cmath>

#include "publish/internal/release_table.h"

namespace opendtm::publish::internal {

using disclosure::CellState;

nlohmann::ordered_json CellJson(const disclosure::Release& release, size_t column,
                                const disclosure::ReleaseRow& row) {
  const disclosure::ReleaseCell& cell = row.cells[column];
  if (cell.state != CellState::kValue) return nullptr;
  switch (release.columns[column].kind) {
    case disclosure::ValueKind::kInteger:
      return cell.integer;
    case disclosure::ValueKind::kNumber:
      return std::isfinite(cell.number) ? nlohmann::ordered_json(cell.number)
                                        : nlohmann::ordered_json(nullptr);
    case disclosure::ValueKind::kText:
      return cell.text;
  }
  return nullptr;
}

nlohmann::ordered_json FlagsJson(const disclosure::Release& release,
                                 const disclosure::ReleaseRow& row) {
  nlohmann::ordered_json flags = nlohmann::ordered_json::object();
  for (size_t column = 0; column < release.columns.size(); ++column) {
    const disclosure::ReleaseCell& cell = row.cells[column];
    if (cell.state != CellState::kSuppressed ||
        !disclosure::ColumnApplies(release.columns[column], row.level)) {
      continue;
    }
    flags[release.columns[column].name] = std::string(kSuppressedFlag);
  }
  return flags;
}

void AddAreaPath(const disclosure::ReleaseRow& row, nlohmann::ordered_json& object) {
  for (size_t depth = 0; depth < AreaPathDepth(row.level); ++depth) {
    object[AreaPathField(depth)] = TextOrNull(AreaPcode(row, depth));
  }
}

nlohmann::ordered_json TextOrNull(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

std::string CompactJson(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false,
                    nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace opendtm::publish::internal
