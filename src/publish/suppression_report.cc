#include "publish/suppression_report.h"

#include <map>

namespace opendtm::publish {

std::vector<ReasonCount> SuppressedByReason(const disclosure::Release& release) {
  std::map<disclosure::SuppressionReason, int64_t> cells;
  for (const disclosure::ReleaseRow& row : release.rows) {
    for (size_t column_idx = 0; column_idx < row.cells.size(); ++column_idx) {
      const disclosure::ReleaseCell& cell = row.cells[column_idx];
      if (cell.state != disclosure::CellState::kSuppressed ||
          column_idx >= release.columns.size() ||
          !disclosure::ColumnApplies(release.columns[column_idx], row.level)) {
        continue;
      }
      ++cells[cell.reason];
    }
  }
  std::vector<ReasonCount> counts;
  for (const auto& [reason, count] : cells) counts.push_back({reason, count});
  return counts;
}

int64_t SuppressedCells(const disclosure::Release& release) {
  int64_t total = 0;
  for (const ReasonCount& count : SuppressedByReason(release)) total += count.cells;
  return total;
}

std::string SuppressionNote(const disclosure::Release& release) {
  const std::vector<ReasonCount> counts = SuppressedByReason(release);
  int64_t total = 0;
  std::string reasons;
  for (const ReasonCount& count : counts) {
    total += count.cells;
    if (!reasons.empty()) reasons += ", ";
    reasons +=
        std::string(disclosure::ReasonName(count.reason)) + " " + std::to_string(count.cells);
  }
  std::string note = std::to_string(total) + " cells suppressed";
  if (!reasons.empty()) note += " (" + reasons + ")";
  if (release.admin3_withheld > 0) {
    note += "; " + std::to_string(release.admin3_withheld) +
            " admin3 rows withheld for the microdata gate";
  }
  return note;
}

}  // namespace opendtm::publish
