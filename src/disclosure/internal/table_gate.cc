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

namespace {

// Marks withheld the admin3 rows of the admin2 rows `folded` marks.
void Withhold(Table& table, const std::vector<bool>& folded) {
  for (TableRow& entry : table) {
    entry.withheld = !entry.site && entry.row.level == Level::kAdmin3 && entry.parent >= 0 &&
                     folded[entry.parent];
  }
}

// Adds to `folded` the admin2 rows that hold a site the gate shows without
// its admin3 in `table` as suppressed; true when it grew.
bool FoldGatedAdmin2s(const Table& table, std::span<const size_t> quasi_identifier_slots, int k,
                      std::vector<bool>& folded) {
  Table shown = table;
  MicrodataReport ignored;
  bool grown = false;
  for (int64_t area : GateTable(shown, k, quasi_identifier_slots, ignored)) {
    const int64_t admin2 = area < 0 ? -1 : table[area].parent;
    if (admin2 < 0 || folded[admin2]) continue;
    folded[admin2] = true;
    grown = true;
  }
  return grown;
}

}  // namespace

// The admin3 rows of an admin2 that holds a generalised site are withheld
// (spec/disclosure.md, "Public totals"): what the gate hides is which admin3
// holds the site, and an admin3 row's existence, its `sites` and any of its
// counts can tell that, whatever their values. Its sites are then known
// only under the admin2. Which sites the gate generalises can depend on the
// suppressed site cells (a numeric quasi-identifier), so the table is
// suppressed again, from `original`, until the folded admin2s stop growing
// (they only grow, so this ends); the first set comes from the table before
// suppression, which with categorical quasi-identifiers is already the last.
Result<SuppressionCounts> SuppressWithGate(Table& table, const Layout& layout,
                                           const TierRules& rules, const Seeds* seeds,
                                           ProtectionAuditReport* audit) {
  const Table original = table;
  const std::vector<size_t> quasi_identifier_slots = QuasiIdentifierSlots(layout);
  std::vector<bool> folded(table.size(), false);
  FoldGatedAdmin2s(original, quasi_identifier_slots, rules.k_anonymity, folded);
  while (true) {
    Withhold(table, folded);
    ProtectionAuditReport pass_audit;
    ASSIGN_OR_RETURN(
        SuppressionCounts counts,
        SuppressTable(table, layout, rules, seeds, audit != nullptr ? &pass_audit : nullptr));
    if (!FoldGatedAdmin2s(table, quasi_identifier_slots, rules.k_anonymity, folded)) {
      if (audit != nullptr) MergeAudit(*audit, std::move(pass_audit));
      return counts;
    }
    table = original;
  }
}

}  // namespace opendtm::disclosure::internal
