// JSON export of a Release, shaped like `dtm analyze rollup --format json`
// (cli/analyze_command.cc) so that scripts read both the same way:
//
//   {"tier": "public", "policy_version": 0, "dictionary_version": "…",
//    "operations": ["Haiti Earthquake (HTI)"], "rounds": [1, 2],
//    "levels": ["admin2", "admin1"],
//    "rows": [
//   {"level": "admin2", "pcode": "HT0111", "name": "Port-au-Prince",
//    "admin1_pcode": "HT01", "admin2_pcode": "HT0111", "round": 1,
//    "assessment_type": "SA", "sites": 12, "ind_total": 1530,
//    "lighting": {"adequate": {"sites": 7, "share_of_sites": 0.5833}, …},
//    "flags": {"f_total": "suppressed"}},
//   …]}
//
// Each row: [operation (when the release has several),] level, pcode (site
// rows: site_id, as the rollup writes them), name (null when unknown), the
// area path down to the row's own level (admin1_pcode…, release_table.h; null
// where unknown), round,
// assessment_type, sites ("records" in a release of admin-level figures,
// whose envelope adds "source": "admin_figures"), [latitude, longitude (when some row written has a
// point; null on the others),] then the release columns that apply to the
// row's level, in the release's order:
//   - integer and decimal figures as numbers;
//   - answer counts ("INDICATOR=CHOICE" columns on area rows) grouped under
//     their indicator, by choice, as {"sites": n, "share_of_sites": n / the
//     row's sites, to 4 decimals} (under their column name instead, as a
//     number, when another field already has the indicator's name);
//   - site answers (choice names) and other text as strings;
// null when blank or suppressed (a suppressed answer count is
// {"sites": null, "share_of_sites": null}), never 0; and `flags`, {column:
// "suppressed"} for the row's suppressed cells (never the reason: it would
// tell a range; answer counts by their column name,
// "lighting=none"), only when it has some.
//
// Layout: the envelope's fields on the first line, one row per line, UTF-8
// (invalid bytes in stored text replaced by U+FFFD).
//
// Thread-safety: pure function of its arguments.
#ifndef OPENDTM_PUBLISH_JSON_EXPORT_H_
#define OPENDTM_PUBLISH_JSON_EXPORT_H_

#include <vector>

#include "analysis/rollup.h"
#include "core/status.h"
#include "disclosure/release.h"
#include "publish/export_summary.h"

namespace opendtm::publish {

struct JsonOptions {
  // The levels written; empty: every level of the release.
  std::vector<analysis::Level> levels;
};

// The JSON text of `release`. Errors: those of ExportCsv.
Result<ExportedText> ExportJson(const disclosure::Release& release, const JsonOptions& options);

}  // namespace opendtm::publish

#endif  // OPENDTM_PUBLISH_JSON_EXPORT_H_
