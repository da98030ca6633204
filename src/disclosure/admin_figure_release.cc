#include "disclosure/admin_figure_release.h"

#include <string>
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

}  // namespace opendtm::disclosure
