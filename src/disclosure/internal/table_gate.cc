#include "disclosure/internal/table_gate.h"

#include <algorithm>
#include <string>

#include "disclosure/internal/microdata.h"

namespace opendtm::disclosure::internal {

using analysis::Level;

// Applies the gate to `table`'s site rows; returns the rows of the admin3
// areas of the sites that no longer show their admin3.
std::vector<int64_t> GateTable(Table& table, int k, std::span<const size_t> quasi_identifier_slots,
                               MicrodataReport& report) {
  std::vector<internal::GatedSite> sites;
  std::vector<int64_t> admin3_of_site;
  for (TableRow& entry : table) {
    if (!entry.site) continue;
    internal::GatedSite& site = sites.emplace_back();
    site.row = &entry.row;
    // The site's area: its admin3 where the operation records one (the only
    // admin level that is a quasi-identifier, given up for its admin2);
    // otherwise the first named area above, which it keeps.
    const int64_t parent = entry.parent;
    const bool admin3 = parent >= 0 && table[parent].row.level == Level::kAdmin3 &&
                        !table[parent].row.pcode.empty() && table[parent].parent >= 0;
    admin3_of_site.push_back(admin3 ? parent : -1);
    if (admin3) {
      const TableRow& admin2 = table[table[parent].parent];
      site.area = table[parent].key;
      site.coarser_area = admin2.key;
      site.coarser_pcode = admin2.row.pcode;
      continue;
    }
    int64_t finest = parent;
    while (finest >= 0 && table[finest].row.pcode.empty() && table[finest].parent >= 0) {
      finest = table[finest].parent;
    }
    site.area = finest >= 0 ? table[finest].key : entry.key;
  }
  internal::GateSites(sites, quasi_identifier_slots, k, report);
  std::vector<int64_t> gate_areas;
  for (size_t site_idx = 0; site_idx < sites.size(); ++site_idx) {
    if (sites[site_idx].admin3_hidden) gate_areas.push_back(admin3_of_site[site_idx]);
  }
  std::sort(gate_areas.begin(), gate_areas.end());
  gate_areas.erase(std::unique(gate_areas.begin(), gate_areas.end()), gate_areas.end());
  return gate_areas;
}

// The site-row slots of the dictionary's quasi-identifiers the tier sees.
std::vector<size_t> QuasiIdentifierSlots(const Layout& layout) {
  std::vector<size_t> slots;
  for (size_t slot = 0; slot < layout.site_plans.size(); ++slot) {
    if (layout.plans[layout.site_plans[slot]].quasi_identifier) slots.push_back(slot);
  }
  return slots;
}

// True when a site row of `table` shows a named admin3.
bool RecordsAdmin3(const Table& table) {
  return std::any_of(table.begin(), table.end(), [](const TableRow& entry) {
    return !entry.site && entry.row.level == Level::kAdmin3 && !entry.row.pcode.empty();
  });
}

// Suppresses `table` with gate cells (spec/disclosure.md, "Public totals"):
// every figure of an admin3 row that holds a site the gate shows without its
// admin3 is suppressed with reason kGate and protected like a primary cell.
// Which sites the gate generalises depends on the suppressed site cells, so
// the table is suppressed again, from `original`, until the gate areas no
// longer grow (they only grow, so this ends).
Result<SuppressionCounts> SuppressWithGate(Table& table, const Layout& layout,
                                           const TierRules& rules, const Seeds* seeds,
                                           ProtectionAuditReport* audit) {
  const Table original = table;
  const std::vector<size_t> quasi_identifier_slots = QuasiIdentifierSlots(layout);
  std::vector<bool> gate_row(table.size(), false);
  while (true) {
    Seeds gate_seeds = seeds != nullptr ? *seeds : Seeds(table.size());
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      gate_seeds[row_idx].resize(table[row_idx].row.cells.size(), SuppressionReason::kNone);
      if (!gate_row[row_idx]) continue;
      std::fill(gate_seeds[row_idx].begin(), gate_seeds[row_idx].end(), SuppressionReason::kGate);
    }
    ProtectionAuditReport pass_audit;
    ASSIGN_OR_RETURN(
        SuppressionCounts counts,
        SuppressTable(table, layout, rules, &gate_seeds, audit != nullptr ? &pass_audit : nullptr));
    Table shown = table;
    MicrodataReport ignored;
    bool grown = false;
    for (int64_t area : GateTable(shown, rules.k_anonymity, quasi_identifier_slots, ignored)) {
      if (area < 0 || gate_row[area]) continue;
      gate_row[area] = true;
      grown = true;
    }
    if (!grown) {
      if (audit != nullptr) MergeAudit(*audit, std::move(pass_audit));
      return counts;
    }
    table = original;
  }
}

}  // namespace opendtm::disclosure::internal
