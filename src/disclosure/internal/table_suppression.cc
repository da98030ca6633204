#include "disclosure/internal/table_suppression.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <utility>

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

bool AtOrAboveAdmin2(Level level) { return level >= Level::kAdmin2 && level <= Level::kCountry; }

// One table's figures and what links them, as suppression.h takes them.
struct TableSystem {
  // By row: the rows a reader knows it adds up (release_table.h, Linked).
  std::vector<std::vector<uint32_t>> children;
  std::vector<Figure> figures;
  std::vector<std::vector<int32_t>> figure_of;  // by row, by slot; -1: not a figure
  std::vector<Relation> relations;
  std::vector<Limit> limits;
};

// 1. Figures: every numeric cell of every visible level that a tier could
// need protected, with the spec's attributes: public totals and group facts
// exempt, floors and ceilings, protection levels, rounding.
void AddFigures(const Table& table, const Layout& layout, const TierRules& rules,
                TableSystem& system) {
  system.figure_of.resize(table.size());
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    const TableRow& entry = table[row_idx];
    const std::vector<size_t>& plans = layout.PlansOf(entry.site);
    system.figure_of[row_idx].assign(plans.size(), -1);
    if (entry.withheld) continue;
    for (size_t slot = 0; slot < plans.size(); ++slot) {
      const ColumnPlan& plan = layout.plans[plans[slot]];
      if (!plan.figure) continue;
      const ReleaseCell& cell = entry.row.cells[slot];
      Figure figure;
      figure.blank = cell.state == CellState::kBlank;
      figure.value = plan.decimal ? entry.milli[slot] : cell.integer;
      figure.people = plan.column.people;
      figure.sites_rule = !entry.site && plan.sites_rule;
      figure.sites = entry.site ? 1 : entry.reporting[slot];
      const bool answer = plan.source == Source::kAnswerCount;
      figure.exempt = plan.public_total && AtOrAboveAdmin2(entry.row.level);
      // A group fact: none or all of the answered sites of a large area.
      if (answer && !entry.site && entry.row.sites >= rules.n_group && figure.sites > 0 &&
          (figure.value == 0 || figure.value == figure.sites)) {
        figure.exempt = true;
      }
      figure.floor = plan.decimal ? kNoFloor : 0;
      figure.ceiling = answer ? entry.row.sites : kUnbounded;
      figure.protection = plan.column.people ? rules.k_people : plan.decimal ? 1000 : 1;
      if (plan.column.people && rules.rounding_base > 1) figure.rounding = rules.rounding_base;
      system.figure_of[row_idx][slot] = static_cast<int32_t>(system.figures.size());
      system.figures.push_back(figure);
    }
  }
  // Counts may go below 0 only where one does (an integer indicator without
  // a ">= 0" constraint): then a reader knows no floor for that column.
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    for (int32_t figure : system.figure_of[row_idx]) {
      if (figure >= 0 && system.figures[figure].value < 0) {
        system.figures[figure].floor = kNoFloor;
      }
    }
  }
}

// 2. Homogeneity (l = 2): in an area with fewer than n_group sites, the
// answers of a sensitive indicator whose answered sites all share one value
// (every count 0 or all of them) are suppressed, unless k_sites already does.
void MarkHomogeneous(const Table& table, const Layout& layout, const TierRules& rules,
                     TableSystem& system) {
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    const TableRow& entry = table[row_idx];
    if (entry.site || entry.row.sites >= rules.n_group) continue;
    const std::vector<size_t>& plans = layout.area_plans;
    for (size_t first = 0; first < plans.size();) {
      const int indicator = layout.plans[plans[first]].indicator;
      size_t end = first;
      while (end < plans.size() && layout.plans[plans[end]].indicator == indicator) ++end;
      const ColumnPlan& plan = layout.plans[plans[first]];
      if (plan.source == Source::kAnswerCount && plan.figure && plan.sensitive) {
        bool homogeneous = true;
        bool answered = false;
        for (size_t slot = first; slot < end; ++slot) {
          const int32_t figure = system.figure_of[row_idx][slot];
          if (figure < 0 || system.figures[figure].blank) continue;
          const Figure& count = system.figures[figure];
          answered = answered || count.sites > 0;
          homogeneous = homogeneous && (count.value == 0 || count.value == count.sites);
        }
        for (size_t slot = first; slot < end && homogeneous && answered; ++slot) {
          const int32_t figure = system.figure_of[row_idx][slot];
          if (figure < 0) continue;
          Figure& count = system.figures[figure];
          if (count.blank || count.exempt || count.sites < rules.k_sites) continue;
          count.reason = SuppressionReason::kHomogeneous;
        }
      }
      first = end;
    }
  }
}

// 3. Relations: each area = the rows it holds at the next finer level, per
// column; the SADD margins on every row where they hold. Limits: the answer
// counts of a single-choice indicator add up to at most the area's sites.
void AddRelations(const Table& table, const Layout& layout, TableSystem& system) {
  std::vector<Figure>& figures = system.figures;
  const auto& figure_of = system.figure_of;
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    const TableRow& entry = table[row_idx];
    const std::vector<uint32_t>& children = system.children[row_idx];
    if (children.empty()) continue;
    const bool children_are_sites = table[children[0]].site;
    const std::vector<size_t>& plans = layout.PlansOf(entry.site);
    for (size_t slot = 0; slot < plans.size(); ++slot) {
      if (figure_of[row_idx][slot] < 0) continue;
      const int child_slot = layout.SlotOf(plans[slot], children_are_sites);
      if (child_slot < 0) continue;
      Relation relation;
      relation.total = static_cast<size_t>(figure_of[row_idx][slot]);
      for (uint32_t child : children) {
        relation.parts.push_back(static_cast<size_t>(figure_of[child][child_slot]));
      }
      system.relations.push_back(std::move(relation));
    }
  }
  // Each margin's slots on site and area rows: [site?][margin][0 total, 1.. parts].
  std::array<std::array<std::array<int, 6>, kMargins.size()>, 2> margin_slots;
  for (int site = 0; site < 2; ++site) {
    for (size_t margin_idx = 0; margin_idx < kMargins.size(); ++margin_idx) {
      const Margin& margin = kMargins[margin_idx];
      margin_slots[site][margin_idx][0] = layout.SlotOf(margin.total, site == 1);
      for (size_t part_idx = 0; part_idx < margin.part_count; ++part_idx) {
        margin_slots[site][margin_idx][part_idx + 1] =
            layout.SlotOf(margin.parts[part_idx], site == 1);
      }
    }
  }
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    const TableRow& entry = table[row_idx];
    for (size_t margin_idx = 0; margin_idx < kMargins.size(); ++margin_idx) {
      const Margin& margin = kMargins[margin_idx];
      const std::array<int, 6>& slots = margin_slots[entry.site ? 1 : 0][margin_idx];
      auto figure_at = [&](size_t position) -> int32_t {
        return slots[position] < 0 ? -1 : figure_of[row_idx][slots[position]];
      };
      const int32_t total = figure_at(0);
      if (total < 0 || figures[total].blank) continue;
      Relation relation;
      relation.total = static_cast<size_t>(total);
      int64_t sum = 0;
      bool usable = true;
      for (size_t part_idx = 0; part_idx < margin.part_count && usable; ++part_idx) {
        const int32_t part = figure_at(part_idx + 1);
        usable = part >= 0 && !figures[part].blank &&
                 !__builtin_add_overflow(sum, figures[part].value, &sum);
        relation.parts.push_back(static_cast<size_t>(part));
      }
      if (usable && sum == figures[total].value) system.relations.push_back(std::move(relation));
    }
  }
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    const TableRow& entry = table[row_idx];
    if (entry.site) continue;
    const std::vector<size_t>& plans = layout.area_plans;
    for (size_t first = 0; first < plans.size();) {
      const int indicator = layout.plans[plans[first]].indicator;
      size_t end = first;
      while (end < plans.size() && layout.plans[plans[end]].indicator == indicator) ++end;
      Limit limit;
      limit.at_most = entry.row.sites;
      for (size_t slot = first; slot < end; ++slot) {
        const int32_t figure = figure_of[row_idx][slot];
        if (figure >= 0 && layout.plans[plans[slot]].single_choice) {
          limit.parts.push_back(static_cast<size_t>(figure));
        }
      }
      if (limit.parts.size() > 1) system.limits.push_back(std::move(limit));
      first = end;
    }
  }
}

// 4. A priori bounds L and U of every figure: what a reader would know if
// every suppressible figure were hidden, from the exempt figures alone (and
// each figure's floor, ceiling, and exempt total it belongs to on its row).
// Per column, the figures form a tree of sums (area = Σ the rows it holds),
// on which interval propagation, up then down, gives each figure's exact
// range (a tree of sums is acyclic: local consistency is global). The SADD
// margins between columns enter only as the cap of an exempt total; leaving
// the rest out can only widen [L, U], which asks more of the protection,
// never less.
void AprioriBounds(const Table& table, const Layout& layout, TableSystem& system) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<Figure>& figures = system.figures;
  std::vector<double> low(table.size()), high(table.size());
  for (size_t plan_idx = 0; plan_idx < layout.plans.size(); ++plan_idx) {
    const ColumnPlan& plan = layout.plans[plan_idx];
    if (!plan.figure) continue;
    auto figure_at = [&](size_t row_idx) -> int32_t {
      const int slot = layout.SlotOf(plan_idx, table[row_idx].site);
      return slot < 0 ? -1 : system.figure_of[row_idx][slot];
    };
    const int total_plan = [&] {
      for (size_t other = 0; other < layout.plans.size(); ++other) {
        if (!plan.belongs_to.empty() && layout.plans[other].column.name == plan.belongs_to) {
          return static_cast<int>(other);
        }
      }
      return -1;
    }();
    // Initial ranges.
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      const int32_t index = figure_at(row_idx);
      if (index < 0) continue;
      const Figure& figure = figures[index];
      if (figure.blank || figure.exempt) {
        low[row_idx] = high[row_idx] = figure.blank ? 0 : static_cast<double>(figure.value);
        continue;
      }
      low[row_idx] = figure.floor == kNoFloor ? -kInf : static_cast<double>(figure.floor);
      high[row_idx] = figure.ceiling == kUnbounded ? kInf : static_cast<double>(figure.ceiling);
      if (total_plan >= 0) {
        const int slot = layout.SlotOf(static_cast<size_t>(total_plan), table[row_idx].site);
        const int32_t total = slot < 0 ? -1 : system.figure_of[row_idx][slot];
        if (total >= 0 && figures[total].exempt && !figures[total].blank) {
          high[row_idx] = std::min(high[row_idx], static_cast<double>(figures[total].value));
        }
      }
    }
    // Up: children before parents (rows are coarsest first, sites last).
    for (size_t row_idx = table.size(); row_idx-- > 0;) {
      const std::vector<uint32_t>& children = system.children[row_idx];
      if (figure_at(row_idx) < 0 || children.empty() || figure_at(children[0]) < 0) continue;
      double low_sum = 0, high_sum = 0;
      for (uint32_t child : children) {
        low_sum += low[child];
        high_sum += high[child];
      }
      low[row_idx] = std::max(low[row_idx], low_sum);
      high[row_idx] = std::min(high[row_idx], high_sum);
    }
    // Down: parents before children; a child's range is its parent's minus
    // what its siblings can hold. Infinite sums are kept by count.
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      const std::vector<uint32_t>& children = system.children[row_idx];
      if (figure_at(row_idx) < 0 || children.empty() || figure_at(children[0]) < 0) continue;
      double low_finite = 0, high_finite = 0;
      int low_infinite = 0, high_infinite = 0;
      for (uint32_t child : children) {
        (std::isinf(low[child]) ? ++low_infinite : (low_finite += low[child], 0));
        (std::isinf(high[child]) ? ++high_infinite : (high_finite += high[child], 0));
      }
      for (uint32_t child : children) {
        const bool own_high_infinite = std::isinf(high[child]);
        const bool own_low_infinite = std::isinf(low[child]);
        const double others_high = high_infinite - (own_high_infinite ? 1 : 0) > 0
                                       ? kInf
                                       : high_finite - (own_high_infinite ? 0 : high[child]);
        const double others_low = low_infinite - (own_low_infinite ? 1 : 0) > 0
                                      ? -kInf
                                      : low_finite - (own_low_infinite ? 0 : low[child]);
        if (!std::isinf(low[row_idx]) && !std::isinf(others_high)) {
          low[child] = std::max(low[child], low[row_idx] - others_high);
        }
        if (!std::isinf(high[row_idx]) && !std::isinf(others_low)) {
          high[child] = std::min(high[child], high[row_idx] - others_low);
        }
      }
    }
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      const int32_t index = figure_at(row_idx);
      if (index < 0) continue;
      Figure& figure = figures[index];
      figure.lower_bound =
          std::isinf(low[row_idx]) ? kNoFloor : static_cast<int64_t>(std::ceil(low[row_idx]));
      figure.upper_bound =
          std::isinf(high[row_idx]) ? kUnbounded : static_cast<int64_t>(std::floor(high[row_idx]));
    }
  }
}

// The system of one table: figures with their primary reasons (seeded ones
// kept), relations, limits and a priori bounds.
TableSystem SystemOf(const Table& table, const Layout& layout, const TierRules& rules,
                     const Seeds* seeds) {
  TableSystem system;
  system.children.reserve(table.size());
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    system.children.push_back(Linked(table, row_idx));
  }
  AddFigures(table, layout, rules, system);
  MarkHomogeneous(table, layout, rules, system);
  if (seeds != nullptr) {
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      for (size_t slot = 0; slot < system.figure_of[row_idx].size(); ++slot) {
        const int32_t figure = system.figure_of[row_idx][slot];
        const SuppressionReason seeded = (*seeds)[row_idx][slot];
        if (figure < 0 || seeded == SuppressionReason::kNone) continue;
        if (system.figures[figure].reason == SuppressionReason::kNone || Protected(seeded)) {
          system.figures[figure].reason = seeded;
        }
      }
    }
  }
  AddRelations(table, layout, system);
  AprioriBounds(table, layout, system);
  return system;
}

}  // namespace

// The name of a figure's cell in audit reports: "round 12 admin2
// NG001/NG001002 women_feel_safe=no".
std::string CellName(const TableRow& entry, const ReleaseColumn& column) {
  std::string path = entry.key;
  std::replace(path.begin(), path.end(), kPathSeparator, '/');
  return "round " + std::to_string(entry.row.round) + " " +
         std::string(analysis::LevelName(entry.row.level)) + " " +
         (entry.site ? entry.row.pcode : path) + " " + column.name;
}

Result<SuppressionCounts> SuppressTable(Table& table, const Layout& layout, const TierRules& rules,
                                        const Seeds* seeds, ProtectionAuditReport* audit) {
  TableSystem system = SystemOf(table, layout, rules, seeds);
  std::vector<Figure>& figures = system.figures;
  // 5. Suppress, and write the reasons back with the values zeroed, so that
  // no exporter can leak them.
  Result<SuppressionCounts> counts =
      SuppressProtected(figures, system.relations, system.limits, rules);
  if (!counts.ok()) return InternalError("suppression: " + counts.status().message());
  if (audit != nullptr) {
    Result<ProtectionAuditReport> report =
        AuditProtection(figures, system.relations, system.limits);
    if (!report.ok()) return InternalError("protection audit: " + report.status().message());
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      for (size_t slot = 0; slot < system.figure_of[row_idx].size(); ++slot) {
        const int32_t figure = system.figure_of[row_idx][slot];
        for (ProtectionViolation& violation : report->violations) {
          if (figure >= 0 && violation.figure == static_cast<size_t>(figure)) {
            const size_t plan = layout.PlansOf(table[row_idx].site)[slot];
            violation.cell = CellName(table[row_idx], layout.plans[plan].column);
          }
        }
      }
    }
    MergeAudit(*audit, std::move(*report));
  }
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    TableRow& entry = table[row_idx];
    for (size_t slot = 0; slot < system.figure_of[row_idx].size(); ++slot) {
      const int32_t figure = system.figure_of[row_idx][slot];
      if (figure < 0 || figures[figure].reason == SuppressionReason::kNone) continue;
      ReleaseCell& cell = entry.row.cells[slot];
      cell = ReleaseCell();
      cell.state = CellState::kSuppressed;
      cell.reason = figures[figure].reason;
    }
  }
  // 6. Areas whose figures are withheld keep no point: exporters leave them
  // off maps.
  for (TableRow& entry : table) {
    if (entry.site) continue;
    bool any_people = false;
    bool all_suppressed = true;
    for (size_t slot = 0; slot < entry.row.cells.size(); ++slot) {
      const ReleaseCell& cell = entry.row.cells[slot];
      if (!layout.plans[layout.area_plans[slot]].column.people || cell.state == CellState::kBlank) {
        continue;
      }
      any_people = true;
      all_suppressed = all_suppressed && cell.state == CellState::kSuppressed;
    }
    if (entry.row.sites < rules.k_sites || (any_people && all_suppressed)) {
      entry.row.latitude.reset();
      entry.row.longitude.reset();
    }
  }
  return *counts;
}

// The reasons of `from`'s suppressed area cells, on the cells of `to` with
// the same level, area path and column.
Seeds SeedsFrom(const Table& from, const Layout& from_layout, const Table& to,
                const Layout& to_layout) {
  std::unordered_map<std::string, uint32_t> row_of;
  for (uint32_t row_idx = 0; row_idx < from.size(); ++row_idx) {
    if (from[row_idx].site) continue;
    row_of.emplace(std::to_string(static_cast<int>(from[row_idx].row.level)) + kPathSeparator +
                       from[row_idx].key,
                   row_idx);
  }
  Seeds seeds(to.size());
  for (size_t row_idx = 0; row_idx < to.size(); ++row_idx) {
    const TableRow& entry = to[row_idx];
    seeds[row_idx].assign(entry.row.cells.size(), SuppressionReason::kNone);
    if (entry.site) continue;
    auto found =
        row_of.find(std::to_string(static_cast<int>(entry.row.level)) + kPathSeparator + entry.key);
    if (found == row_of.end()) continue;
    const TableRow& other = from[found->second];
    for (size_t slot = 0; slot < entry.row.cells.size(); ++slot) {
      const std::string& name = to_layout.plans[to_layout.area_plans[slot]].column.name;
      const int from_slot = from_layout.SlotOf(name, false);
      if (from_slot < 0) continue;
      const ReleaseCell& cell = other.row.cells[from_slot];
      if (cell.state == CellState::kSuppressed) seeds[row_idx][slot] = cell.reason;
    }
  }
  return seeds;
}

}  // namespace opendtm::disclosure::internal
