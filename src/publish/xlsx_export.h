// XLSX export of a Release: one sheet per level written, named after the
// level ("admin2", "admin1", "site"…, finest first as in the release), then a
// README sheet.
//
// A level's sheet is the CSV export of that level alone (csv_export.h): the
// same header (bold), optionally the hashtag row, one row per area (or site)
// and round. Numbers are written as numbers (round, sites, coordinates,
// integer and decimal figures), everything else as text; a blank or
// suppressed cell is left empty, never 0, with "suppressed" in the
// <column>__flag column (never the reason). Text is written as text cells:
// Excel runs no formula from them, so no `'` is added.
//
// The README sheet has two columns (what, value), in this order:
//   source, operations (one row each), rounds, levels, tier, policy version
//   (0: the built-in default policy), dictionary version, generated at,
//   purpose; then the suppression legend: what an empty cell flagged
//   "suppressed" means, the tier's thresholds (k_sites, k_people)
//   and the number of cells suppressed in the whole release, never by reason
//   (or that the tier's figures are not suppressed), and the rounding base;
//   then, when the
//   release has one, the microdata report (k, quasi-identifiers, site rows
//   checked, generalised, withheld).
//
// Thread-safety: pure function of its arguments; writes only `path`.
#ifndef OPENDTM_PUBLISH_XLSX_EXPORT_H_
#define OPENDTM_PUBLISH_XLSX_EXPORT_H_

#include <string>
#include <vector>

#include "analysis/rollup.h"
#include "core/status.h"
#include "disclosure/release.h"
#include "publish/export_summary.h"

namespace opendtm::publish {

struct XlsxOptions {
  // The levels written, one sheet each; empty: every level of the release.
  std::vector<analysis::Level> levels;
  // A row of HXL hashtags under each sheet's header.
  bool hashtag_row = false;
  // For the README sheet: when the export was made (ISO time) and the stated
  // purpose of the download ("" leaves the value empty).
  std::string generated_at;
  std::string purpose;
};

// Writes the workbook to `path` (replacing it), readable by its owner only
// (mode 0600, core/private_file.h). The summary counts the rows
// of every level sheet, the columns of the table of all levels written
// (export_summary.h) and hashes the file written. Errors: those of ExportCsv;
// those of xlsx::WorkbookWriter (Unavailable when `path` cannot be written,
// ResourceExhausted past Excel's limits); NotFound or DataLoss when the file
// cannot be read back to hash it.
Result<ExportSummary> ExportXlsx(const disclosure::Release& release, const XlsxOptions& options,
                                 const std::string& path);

}  // namespace opendtm::publish

#endif  // OPENDTM_PUBLISH_XLSX_EXPORT_H_
