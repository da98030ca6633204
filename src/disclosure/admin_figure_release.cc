#include "disclosure/admin_figure_release.h"

#include <array>
#include <cstdlib>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "analysis/admin_figures.h"
#include "disclosure/suppression.h"

namespace opendtm::disclosure {
namespace {

// The three people counts of a record, in the order their figures are laid
// out: figure 3 * record + slot.
enum CountSlot : size_t { kTotal = 0, kMales = 1, kFemales = 2, kSlots = 3 };

// What a coarser record and the finer records adding up to it share: the DTM
// API's aggregation key (interop.md: never the date alone) and, between
// admin1 and admin2, the admin1 P-code.
using FigureKey = std::tuple<std::string, std::string, int, std::string, std::string, std::string,
                             std::string, std::string>;

// The key of `figure` seen from `parent_level` (the coarser level of the pair).
FigureKey KeyAt(const store::AdminFigure& figure, int parent_level) {
  return {figure.operation_name,
          figure.country,
          figure.round,
          figure.reporting_date,
          figure.assessment_type,
          figure.displacement_reason,
          figure.origin_admin1_pcode,
          parent_level == 1 ? figure.admin1_pcode : std::string()};
}

std::optional<int64_t> StoredCount(const store::AdminFigure& figure, size_t slot) {
  switch (slot) {
    case kTotal:
      return figure.num_present_idp_ind;
    case kMales:
      return figure.males;
    default:
      return figure.females;
  }
}

// Σ parts, nullopt when one is unknown or the sum overflows.
std::optional<int64_t> SumOf(std::span<const store::AdminFigure> figures,
                             const std::vector<size_t>& records, size_t slot) {
  int64_t sum = 0;
  for (size_t record : records) {
    std::optional<int64_t> count = StoredCount(figures[record], slot);
    if (!count || __builtin_add_overflow(sum, *count, &sum)) return std::nullopt;
  }
  return sum;
}

// The relations that hold exactly among the stored counts (header, step 2).
std::vector<Relation> RelationsOf(std::span<const store::AdminFigure> figures) {
  std::vector<Relation> relations;
  for (size_t record = 0; record < figures.size(); ++record) {
    const store::AdminFigure& figure = figures[record];
    int64_t both = 0;
    if (figure.males && figure.females &&
        !__builtin_add_overflow(*figure.males, *figure.females, &both) &&
        both == figure.num_present_idp_ind) {
      relations.push_back(
          {kSlots * record + kTotal, {kSlots * record + kMales, kSlots * record + kFemales}});
    }
  }
  // parents[level][key]: the records of `level` (0 or 1) with that key;
  // children[level][key]: the records of level + 1 adding up to it.
  std::array<std::map<FigureKey, std::vector<size_t>>, 2> parents;
  std::array<std::map<FigureKey, std::vector<size_t>>, 2> children;
  for (size_t record = 0; record < figures.size(); ++record) {
    const int level = figures[record].admin_level;
    if (level < 2) parents[level][KeyAt(figures[record], level)].push_back(record);
    if (level > 0) children[level - 1][KeyAt(figures[record], level - 1)].push_back(record);
  }
  for (int level = 0; level < 2; ++level) {
    for (const auto& [key, coarser] : parents[level]) {
      auto finer = children[level].find(key);
      if (coarser.size() != 1 || finer == children[level].end()) continue;
      const size_t total = coarser.front();
      for (size_t slot : {kTotal, kMales, kFemales}) {
        std::optional<int64_t> stored = StoredCount(figures[total], slot);
        if (!stored || SumOf(figures, finer->second, slot) != stored) continue;
        Relation relation{kSlots * total + slot, {}};
        for (size_t part : finer->second) relation.parts.push_back(kSlots * part + slot);
        relations.push_back(std::move(relation));
      }
    }
  }
  return relations;
}

// The nearest multiple of `base`, halves away from zero.
int64_t RoundToBase(int64_t value, int64_t base) {
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

ReleasedCount& CountOf(ReleasedAdminFigure& figure, size_t slot) {
  switch (slot) {
    case kTotal:
      return figure.num_present_idp_ind;
    case kMales:
      return figure.males;
    default:
      return figure.females;
  }
}

}  // namespace

Result<AdminFigureRelease> ReleaseAdminFigures(std::span<const store::AdminFigure> figures,
                                               const Policy& policy, Tier tier) {
  AdminFigureRelease release;
  release.tier = tier;
  release.policy_version = policy.version;
  release.rules = policy.For(tier);
  const TierRules& rules = release.rules;

  // Levels: each must be one the tier sees.
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

  release.figures.reserve(figures.size());
  for (const store::AdminFigure& figure : figures) release.figures.push_back(Released(figure));
  if (tier == Tier::kOperationAdmin) return release;

  if (rules.suppressed) {
    std::vector<Figure> counts(kSlots * figures.size());
    for (size_t record = 0; record < figures.size(); ++record) {
      for (size_t slot : {kTotal, kMales, kFemales}) {
        Figure& count = counts[kSlots * record + slot];
        std::optional<int64_t> stored = StoredCount(figures[record], slot);
        count.people = true;
        count.blank = !stored.has_value();
        count.value = stored.value_or(0);
      }
    }
    const std::vector<Relation> relations = RelationsOf(figures);
    ASSIGN_OR_RETURN(SuppressionCounts suppressed, Suppress(counts, relations, rules));
    release.small_cells = suppressed.primary;
    release.complementary = suppressed.complementary;
    for (size_t record = 0; record < figures.size(); ++record) {
      for (size_t slot : {kTotal, kMales, kFemales}) {
        const SuppressionReason reason = counts[kSlots * record + slot].reason;
        if (reason == SuppressionReason::kNone) continue;
        ReleasedCount& count = CountOf(release.figures[record], slot);
        count.value.reset();
        count.reason = reason;
      }
    }
  }

  if (rules.rounding_base > 1) {
    for (ReleasedAdminFigure& figure : release.figures) {
      for (size_t slot : {kTotal, kMales, kFemales}) {
        ReleasedCount& count = CountOf(figure, slot);
        if (count.value) count.value = RoundToBase(*count.value, rules.rounding_base);
      }
    }
  }
  return release;
}

}  // namespace opendtm::disclosure
