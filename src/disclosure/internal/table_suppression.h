// Suppression of one table (release_builder.h, step 4): its figures with the
// spec's attributes (public totals and group facts exempt, floors, ceilings,
// protection levels, rounding), homogeneity, the relations and limits a
// reader knows, a priori bounds, then SuppressProtected. Private to the
// disclosure module.
//
// Thread-safety: pure functions over the table they are given.
#ifndef OPENDTM_DISCLOSURE_INTERNAL_TABLE_SUPPRESSION_H_
#define OPENDTM_DISCLOSURE_INTERNAL_TABLE_SUPPRESSION_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "disclosure/internal/release_layout.h"
#include "disclosure/internal/release_table.h"
#include "disclosure/policy.h"
#include "disclosure/protection_audit.h"
#include "disclosure/release.h"
#include "disclosure/suppression.h"

namespace opendtm::disclosure::internal {

// Reasons another tier's suppression gives cells of this table, by row and
// slot (kNone: none): a partner also reads the public release.
using Seeds = std::vector<std::vector<SuppressionReason>>;

// Suppresses `table` under `rules`, starting from `seeds` (when not null:
// reasons another tier's suppression gives its cells, kept), and writes the
// reasons back with the values zeroed; areas whose people figures are all
// withheld, or with fewer than k_sites sites, lose their point. When `audit`
// is not null, the exact protection audit of the result is merged into it.
Result<SuppressionCounts> SuppressTable(Table& table, const Layout& layout, const TierRules& rules,
                                        const Seeds* seeds, ProtectionAuditReport* audit);

// The reasons of `from`'s suppressed area cells, on the cells of `to` with
// the same level, area path and column.
Seeds SeedsFrom(const Table& from, const Layout& from_layout, const Table& to,
                const Layout& to_layout);

// The name of a figure's cell in audit reports: "round 12 admin2
// NG001/NG001002 women_feel_safe=no".
std::string CellName(const TableRow& entry, const ReleaseColumn& column);

}  // namespace opendtm::disclosure::internal

#endif  // OPENDTM_DISCLOSURE_INTERNAL_TABLE_SUPPRESSION_H_
