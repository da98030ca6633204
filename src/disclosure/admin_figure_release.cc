#include "disclosure/admin_figure_release.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "analysis/admin_figures.h"

namespace opendtm::disclosure {
namespace {

// The nearest multiple of `base`, halves away from zero.
int64_t NearestMultiple(int64_t value, int64_t base) {
  const int64_t magnitude = value < 0 ? -value : value;
  const int64_t rounded = (magnitude + base / 2) / base * base;
  return value < 0 ? -rounded : rounded;
}

ReleasedAdminFigure Released(const store::AdminFigure& figure) {
  ReleasedAdminFigure released;
  released.admin_level = figure.admin_level;
  released.source_id = figure.source_id;
  released.operation_name = figure.operation_name;
  released.country_name = figure.country_name;
  released.country = figure.country;
  released.round = figure.round;
  released.reporting_date = figure.reporting_date;
  released.assessment_type = figure.assessment_type;
  released.admin1_pcode = figure.admin1_pcode;
  released.admin1_name = figure.admin1_name;
  released.admin2_pcode = figure.admin2_pcode;
  released.admin2_name = figure.admin2_name;
  released.displacement_reason = figure.displacement_reason;
  released.origin_admin1_pcode = figure.origin_admin1_pcode;
  released.origin_admin1_name = figure.origin_admin1_name;
  released.num_present_idp_ind.value = figure.num_present_idp_ind;
  released.males.value = figure.males;
  released.females.value = figure.females;
  return released;
}

}  // namespace

Result<AdminFigureRelease> ReleaseAdminFigures(std::span<const store::AdminFigure> figures,
                                               const Policy& policy, Tier tier) {
  AdminFigureRelease release;
  release.tier = tier;
  release.policy_version = policy.version;
  release.rules = policy.For(tier);
  const TierRules& rules = release.rules;

  // 1. Levels: each must be one the tier sees.
  for (const store::AdminFigure& figure : figures) {
    if (figure.admin_level < 0 || figure.admin_level > 2) {
      return InvalidArgumentError("admin-level figure of " + figure.operation_name + " round " +
                                  std::to_string(figure.round) + ": admin level " +
                                  std::to_string(figure.admin_level) + ", not 0, 1 or 2");
    }
    const analysis::Level level = analysis::LevelOfAdmin(figure.admin_level);
    if (!LevelVisible(rules, level)) {
      return PermissionDeniedError("tier " + std::string(store::TierName(tier)) +
                                   " may not receive admin" + std::to_string(figure.admin_level) +
                                   " figures: it sees aggregates at " +
                                   std::string(analysis::LevelName(rules.finest_aggregate)) +
                                   " and above (spec/disclosure.md)");
    }
  }

  // 2. Every count as stored: public totals at admin2 and above (header).
  release.figures.reserve(figures.size());
  for (const store::AdminFigure& figure : figures) release.figures.push_back(Released(figure));
  if (tier == Tier::kOperationAdmin || rules.rounding_base <= 1) return release;

  // 3. Rounding below operation_admin.
  for (ReleasedAdminFigure& figure : release.figures) {
    for (ReleasedCount* count : {&figure.num_present_idp_ind, &figure.males, &figure.females}) {
      if (count->value) count->value = NearestMultiple(*count->value, rules.rounding_base);
    }
  }
  return release;
}

namespace {

// The columns of a release of admin-level figures: the three people counts.
std::vector<ReleaseColumn> FigureColumns(const dictionary::Dictionary& dictionary) {
  std::vector<ReleaseColumn> columns;
  for (const char* name : {"ind_total", "m_total", "f_total"}) {
    ReleaseColumn column;
    column.name = name;
    column.indicator = name;
    if (const int indicator = dictionary.IndexOf(name); indicator >= 0) {
      column.hxl = dictionary.indicators()[static_cast<size_t>(indicator)].hxl;
    }
    column.kind = ValueKind::kInteger;
    column.people = true;
    column.on_areas = true;
    columns.push_back(std::move(column));
  }
  return columns;
}

ReleaseCell CellOf(const ReleasedCount& count) {
  ReleaseCell cell;
  if (count.reason != SuppressionReason::kNone) {
    cell.state = CellState::kSuppressed;
    cell.reason = count.reason;
  } else if (count.value) {
    cell.state = CellState::kValue;
    cell.integer = *count.value;
  }
  return cell;
}

// A released area figure as a release row.
ReleaseRow RowOf(const ReleasedAdminFigure& figure, const analysis::AdminAreaTotal& total,
                 analysis::Level level, const AdminFigureTableRequest& request) {
  ReleaseRow row;
  row.level = level;
  row.operation = request.operation;
  row.country = figure.country;
  row.round = figure.round;
  row.assessment_type = store::ParseAssessmentType(figure.assessment_type)
                            .value_or(store::AssessmentType::kSiteAssessment);
  row.sites = total.records;
  std::string published_name;
  if (level == analysis::Level::kAdmin2) {
    row.pcode = figure.admin2_pcode;
    published_name = figure.admin2_name;
    row.parent = figure.admin1_pcode;
    row.area_path = {figure.admin1_pcode, figure.admin2_pcode};
  } else if (level == analysis::Level::kAdmin1) {
    row.pcode = figure.admin1_pcode;
    published_name = figure.admin1_name;
    row.parent = figure.country;
    row.area_path = {figure.admin1_pcode};
  } else {
    row.pcode = figure.country;
    published_name = figure.country_name;
  }
  row.name = published_name;
  if (request.area_names != nullptr) {
    if (auto it = request.area_names->find(row.pcode); it != request.area_names->end()) {
      row.name = it->second;
    }
  }
  row.cells = {CellOf(figure.num_present_idp_ind), CellOf(figure.males), CellOf(figure.females)};
  return row;
}

}  // namespace

Result<Release> ReleaseAdminFigureTables(std::span<const store::AdminFigure> figures,
                                         const dictionary::Dictionary& dictionary,
                                         const AdminFigureTableRequest& request) {
  Release release;
  release.tier = request.tier;
  release.policy_version = request.policy.version;
  release.rules = request.policy.For(request.tier);
  release.dictionary_version = dictionary.version();
  release.operations.push_back(request.operation + " (" + request.country + ")");
  release.levels = request.levels;
  release.columns = FigureColumns(dictionary);
  release.admin_figures = true;
  // 1. Levels: each must be one the tier sees, as for site data.
  for (analysis::Level level : request.levels) {
    if (!LevelVisible(release.rules, level)) {
      return PermissionDeniedError(
          "tier " + std::string(store::TierName(request.tier)) + " may not receive " +
          std::string(analysis::LevelName(level)) + " figures: it sees aggregates at " +
          std::string(analysis::LevelName(release.rules.finest_aggregate)) +
          " and above (spec/disclosure.md)");
    }
  }
  std::vector<int> rounds;
  for (analysis::Level level : request.levels) {
    if (analysis::AdminOfLevel(level) < 0) continue;  // nothing is published there
    // 2. The areas' totals, released as records are (rounding, level check).
    ASSIGN_OR_RETURN(
        std::vector<analysis::AdminAreaTotal> totals,
        analysis::AdminAreaTotals(figures, level, request.first_round, request.last_round));
    std::vector<store::AdminFigure> area_figures;
    area_figures.reserve(totals.size());
    for (const analysis::AdminAreaTotal& total : totals) area_figures.push_back(total.figure);
    ASSIGN_OR_RETURN(AdminFigureRelease released,
                     ReleaseAdminFigures(area_figures, request.policy, request.tier));
    // 3. One row per area total (ReleaseAdminFigures keeps the order).
    for (size_t total_idx = 0; total_idx < totals.size(); ++total_idx) {
      release.rows.push_back(RowOf(released.figures[total_idx], totals[total_idx], level, request));
      rounds.push_back(totals[total_idx].figure.round);
    }
  }
  std::sort(rounds.begin(), rounds.end());
  rounds.erase(std::unique(rounds.begin(), rounds.end()), rounds.end());
  release.rounds = std::move(rounds);
  return release;
}

}  // namespace opendtm::disclosure
