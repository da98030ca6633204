#include "disclosure/internal/release_table.h"

#include <cmath>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "analysis/rollup.h"

namespace opendtm::disclosure::internal {
namespace {

using analysis::AreaTotals;
using analysis::Column;
using analysis::ColumnKind;
using analysis::Frame;
using analysis::Level;
using dictionary::Aggregate;
using dictionary::Dictionary;
using dictionary::Indicator;
using dictionary::ValueType;

std::string_view LastComponent(std::string_view path) {
  const size_t separator = path.rfind(kPathSeparator);
  return separator == std::string_view::npos ? path : path.substr(separator + 1);
}

std::string NameOf(const ReleaseRequest& request, std::string_view pcode) {
  if (request.area_names == nullptr) return "";
  auto it = request.area_names->find(pcode);
  return it == request.area_names->end() ? "" : it->second;
}

// A decimal in thousandths, so that sums of decimals hold exactly in the
// relations suppression checks. Errors past ±9e15.
Result<int64_t> Thousandths(double value) {
  const double scaled = std::round(value * 1000);
  if (!(std::fabs(scaled) < 9e15)) {
    return InvalidArgumentError("a decimal value (" + std::to_string(value) +
                                ") is too large for suppression");
  }
  return static_cast<int64_t>(scaled);
}

class TableBuilder {
 public:
  TableBuilder(const Frame& frame, const Dictionary& dictionary, const Layout& layout,
               std::span<const Level> admin_levels, bool site_rows, const ReleaseRequest& request)
      : frame_(frame),
        dictionary_(dictionary),
        layout_(layout),
        admin_levels_(admin_levels),
        site_rows_(site_rows),
        request_(request),
        row_of_key_(admin_levels.size()) {}

  Result<Table> Build() {
    RETURN_IF_ERROR(KeyAreas());
    RETURN_IF_ERROR(AddAreaRows());
    if (site_rows_) AddSiteRows();
    RETURN_IF_ERROR(AddUpPointsAndDecimals());
    return std::move(table_);
  }

 private:
  // 1. Each frame row's area at each visible admin level as a path from the
  // country, written into a copy of the frame that the rollup groups by.
  Status KeyAreas() {
    keyed_ = frame_;
    paths_.assign(admin_levels_.size(), std::vector<std::string>(frame_.rows()));
    for (size_t level_idx = admin_levels_.size(); level_idx-- > 0;) {
      const Level level = admin_levels_[level_idx];
      const int indicator = dictionary_.IndexOf(analysis::LevelIndicator(level));
      if (indicator < 0 || keyed_.columns[indicator].kind != ColumnKind::kText) {
        return InvalidArgumentError("the dictionary has no text indicator " +
                                    std::string(analysis::LevelIndicator(level)) + " for the " +
                                    std::string(analysis::LevelName(level)) + " level");
      }
      Column& column = keyed_.columns[indicator];
      for (size_t row = 0; row < frame_.rows(); ++row) {
        std::string path = level_idx + 1 < admin_levels_.size()
                               ? paths_[level_idx + 1][row] + kPathSeparator
                               : std::string();
        if (column.present[row]) path += column.texts[row];
        column.texts[row] = path;
        column.present[row] = 1;
        paths_[level_idx][row] = std::move(path);
      }
    }
    return Status();
  }

  // 2. Area rows from the rollup, linked to their parents.
  Status AddAreaRows() {
    ASSIGN_OR_RETURN(std::vector<std::vector<AreaTotals>> totals,
                     analysis::RollUpLevels(keyed_, dictionary_, admin_levels_));
    for (size_t level_idx = admin_levels_.size(); level_idx-- > 0;) {
      for (const AreaTotals& area : totals[level_idx]) {
        const uint32_t row_idx = static_cast<uint32_t>(table_.size());
        TableRow& entry = table_.emplace_back();
        entry.key = area.area;
        ReleaseRow& row = entry.row;
        FillIdentity(row, admin_levels_[level_idx]);
        row.area_path = AreaPath(entry.key);
        row.pcode = std::string(LastComponent(entry.key));
        row.name = NameOf(request_, row.pcode);
        row.sites = area.sites;
        if (level_idx + 1 < admin_levels_.size()) {
          const size_t separator = entry.key.rfind(kPathSeparator);
          const std::string parent_key =
              separator == std::string::npos ? std::string() : entry.key.substr(0, separator);
          auto parent = row_of_key_[level_idx + 1].find(parent_key);
          if (parent == row_of_key_[level_idx + 1].end()) {
            return InternalError("area " + row.pcode + " has no enclosing area in the rollup");
          }
          Link(row_idx, parent->second);
        }
        row_of_key_[level_idx].emplace(entry.key, row_idx);
        const std::vector<size_t>& plans = layout_.area_plans;
        row.cells.resize(plans.size());
        entry.reporting.assign(plans.size(), 0);
        for (size_t slot = 0; slot < plans.size(); ++slot) {
          const ColumnPlan& plan = layout_.plans[plans[slot]];
          ReleaseCell& cell = row.cells[slot];
          const int64_t reporting = area.reporting[plan.indicator];
          entry.reporting[slot] = reporting;
          if (reporting == 0) continue;  // no site gave a value: blank
          cell.state = CellState::kValue;
          if (plan.source == Source::kAnswerCount) {
            cell.integer = area.answer_sites[plan.indicator][plan.choice];
          } else if (plan.column.kind == ValueKind::kInteger) {
            cell.integer = std::llround(area.sums[plan.indicator]);
          } else {
            cell.number = area.sums[plan.indicator];
          }
        }
      }
    }
    return Status();
  }

  // 3. One site row per frame row, under its finest area.
  void AddSiteRows() {
    const int name_indicator = dictionary_.IndexOf("site_name");
    const int latitude = dictionary_.IndexOf("latitude");
    const int longitude = dictionary_.IndexOf("longitude");
    const std::vector<size_t>& plans = layout_.site_plans;
    std::string text;
    site_row_of_frame_row_.assign(frame_.rows(), 0);
    for (size_t frame_row = 0; frame_row < frame_.rows(); ++frame_row) {
      const uint32_t row_idx = static_cast<uint32_t>(table_.size());
      site_row_of_frame_row_[frame_row] = row_idx;
      TableRow& entry = table_.emplace_back();
      entry.site = true;
      ReleaseRow& row = entry.row;
      FillIdentity(row, Level::kSite);
      row.pcode = frame_.site_ids[frame_row];
      if (name_indicator >= 0) {
        analysis::CellText(frame_.columns[name_indicator], nullptr, frame_row, row.name);
      }
      row.sites = 1;
      if (latitude >= 0 && longitude >= 0) {
        const Column& lat = frame_.columns[latitude];
        const Column& lon = frame_.columns[longitude];
        if (lat.kind == ColumnKind::kNumber && lon.kind == ColumnKind::kNumber &&
            lat.present[frame_row] && lon.present[frame_row]) {
          row.latitude = lat.numbers[frame_row];
          row.longitude = lon.numbers[frame_row];
        }
      }
      if (!admin_levels_.empty()) {
        entry.key = paths_[0][frame_row];
        row.area_path = AreaPath(entry.key);
        Link(row_idx, row_of_key_[0].at(entry.key));
      }
      row.cells.resize(plans.size());
      for (size_t slot = 0; slot < plans.size(); ++slot) {
        const ColumnPlan& plan = layout_.plans[plans[slot]];
        const Column& column = frame_.columns[plan.indicator];
        if (!column.present[frame_row]) continue;
        ReleaseCell& cell = row.cells[slot];
        switch (plan.column.kind) {
          case ValueKind::kInteger:
            cell.integer = column.integers[frame_row];
            break;
          case ValueKind::kNumber:
            cell.number = column.numbers[frame_row];
            break;
          case ValueKind::kText:
            analysis::CellText(column, dictionary_.ListOf(dictionary_.indicators()[plan.indicator]),
                               frame_row, text);
            cell.text = text;
            break;
        }
        cell.state = CellState::kValue;
      }
    }
  }

  // 4. Areas' points (the mean of their sites'), and sums of decimals in
  // thousandths, added up each frame row's chain of areas.
  Status AddUpPointsAndDecimals() {
    const int latitude = dictionary_.IndexOf("latitude");
    const int longitude = dictionary_.IndexOf("longitude");
    std::vector<size_t> decimals;  // plans
    for (size_t plan_idx = 0; plan_idx < layout_.plans.size(); ++plan_idx) {
      if (layout_.plans[plan_idx].decimal && layout_.plans[plan_idx].figure) {
        decimals.push_back(plan_idx);
      }
    }
    for (TableRow& entry : table_) {
      if (!decimals.empty()) entry.milli.assign(layout_.PlansOf(entry.site).size(), 0);
    }
    if (admin_levels_.empty()) return Status();
    for (size_t frame_row = 0; frame_row < frame_.rows(); ++frame_row) {
      const uint32_t finest = row_of_key_[0].at(paths_[0][frame_row]);
      std::optional<std::pair<double, double>> point;
      if (latitude >= 0 && longitude >= 0) {
        const Column& lat = frame_.columns[latitude];
        const Column& lon = frame_.columns[longitude];
        if (lat.kind == ColumnKind::kNumber && lon.kind == ColumnKind::kNumber &&
            lat.present[frame_row] && lon.present[frame_row]) {
          point.emplace(lat.numbers[frame_row], lon.numbers[frame_row]);
        }
      }
      for (int64_t row_idx = finest; row_idx >= 0; row_idx = table_[row_idx].parent) {
        if (!point) break;
        TableRow& area = table_[row_idx];
        area.latitude_sum += point->first;
        area.longitude_sum += point->second;
        ++area.points;
      }
      for (size_t plan_idx : decimals) {
        const Column& column = frame_.columns[layout_.plans[plan_idx].indicator];
        if (!column.present[frame_row]) continue;
        ASSIGN_OR_RETURN(const int64_t thousandths, Thousandths(column.numbers[frame_row]));
        if (site_rows_ && layout_.site_slot[plan_idx] >= 0) {
          table_[site_row_of_frame_row_[frame_row]].milli[layout_.site_slot[plan_idx]] =
              thousandths;
        }
        for (int64_t row_idx = finest; row_idx >= 0; row_idx = table_[row_idx].parent) {
          table_[row_idx].milli[layout_.area_slot[plan_idx]] += thousandths;
        }
      }
    }
    for (TableRow& entry : table_) {
      if (entry.site || entry.points == 0) continue;
      entry.row.latitude = entry.latitude_sum / static_cast<double>(entry.points);
      entry.row.longitude = entry.longitude_sum / static_cast<double>(entry.points);
    }
    return Status();
  }

  void FillIdentity(ReleaseRow& row, Level level) const {
    row.level = level;
    row.operation = request_.operation;
    row.country = request_.country;
    row.round = frame_.round;
    row.assessment_type = frame_.assessment_type;
  }

  // The P-codes of an area's key from admin1 down (release.h, area_path):
  // its components without the country's, when the country is visible.
  std::vector<std::string> AreaPath(std::string_view key) const {
    std::vector<std::string> path;
    size_t start = 0;
    while (true) {
      const size_t separator = key.find(kPathSeparator, start);
      path.emplace_back(key.substr(start, separator - start));
      if (separator == std::string_view::npos) break;
      start = separator + 1;
    }
    if (!admin_levels_.empty() && admin_levels_.back() == Level::kCountry) {
      path.erase(path.begin());
    }
    return path;
  }

  void Link(uint32_t child, uint32_t parent) {
    table_[child].parent = parent;
    table_[child].row.parent = table_[parent].row.pcode;
    table_[parent].children.push_back(child);
  }

  const Frame& frame_;
  const Dictionary& dictionary_;
  const Layout& layout_;
  std::span<const Level> admin_levels_;  // visible, finest first
  bool site_rows_;
  const ReleaseRequest& request_;
  Frame keyed_;
  std::vector<std::vector<std::string>> paths_;                        // by level, by frame row
  std::vector<std::unordered_map<std::string, uint32_t>> row_of_key_;  // by level
  std::vector<uint32_t> site_row_of_frame_row_;
  Table table_;
};

}  // namespace

namespace {

void AppendLinked(const Table& table, const TableRow& entry, std::vector<uint32_t>& linked) {
  for (uint32_t child : entry.children) {
    if (table[child].withheld) {
      AppendLinked(table, table[child], linked);
    } else {
      linked.push_back(child);
    }
  }
}

}  // namespace

std::vector<uint32_t> Linked(const Table& table, size_t row_idx) {
  std::vector<uint32_t> linked;
  if (!table[row_idx].withheld) AppendLinked(table, table[row_idx], linked);
  return linked;
}

Result<Table> BuildTable(const analysis::Frame& frame, const dictionary::Dictionary& dictionary,
                         const Layout& layout, std::span<const analysis::Level> admin_levels,
                         bool site_rows, const ReleaseRequest& request) {
  return TableBuilder(frame, dictionary, layout, admin_levels, site_rows, request).Build();
}

}  // namespace opendtm::disclosure::internal
