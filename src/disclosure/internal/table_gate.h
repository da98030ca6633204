// The microdata gate over one table (release_builder.h, steps 4 and 5): which
// sites lose their admin3, and the suppression that keeps the admin3 rows
// from putting them back. Private to the disclosure module.
//
// Thread-safety: pure functions over the table they are given.
#ifndef OPENDTM_DISCLOSURE_INTERNAL_TABLE_GATE_H_
#define OPENDTM_DISCLOSURE_INTERNAL_TABLE_GATE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/status.h"
#include "disclosure/internal/release_layout.h"
#include "disclosure/internal/release_table.h"
#include "disclosure/internal/table_suppression.h"
#include "disclosure/policy.h"
#include "disclosure/protection_audit.h"
#include "disclosure/release.h"
#include "disclosure/suppression.h"

namespace opendtm::disclosure::internal {

// Applies the gate to `table`'s site rows; returns the rows of the admin3
// areas of the sites that no longer show their admin3.
std::vector<int64_t> GateTable(Table& table, int k, std::span<const size_t> quasi_identifier_slots,
                               MicrodataReport& report);

// The site-row slots of the dictionary's quasi-identifiers the tier sees.
std::vector<size_t> QuasiIdentifierSlots(const Layout& layout);

// True when a site row of `table` shows a named admin3.
bool RecordsAdmin3(const Table& table);

// SuppressTable for a tier that sees site rows through the gate: the admin3
// rows of every admin2 that holds a site the gate shows without its admin3
// are withheld (TableRow::withheld) before suppression, so that no figure,
// count or row of theirs tells which admin3 holds it.
Result<SuppressionCounts> SuppressWithGate(Table& table, const Layout& layout,
                                           const TierRules& rules, const Seeds* seeds,
                                           ProtectionAuditReport* audit);

}  // namespace opendtm::disclosure::internal

#endif  // OPENDTM_DISCLOSURE_INTERNAL_TABLE_GATE_H_
