// CSV and HXL exports of a Release: one row per area (or site) and round, the
// columns of publish/internal/release_table.h —
//   [operation,] level, pcode, name, admin1_pcode… (the area path, down to
//   the finest level written), round, assessment_type, sites,
//   [latitude, longitude,] then the release's columns that apply to the
//   levels written, each followed by <column>__flag when the release
//   suppresses one of its cells —
// with a row of HXL hashtags directly under the header when asked (HXL), and
// without it for people who would delete it in Excel (plain CSV, interop.md).
//
// A suppressed cell is empty, never 0, and its flag cell says "suppressed",
// whatever the reason (a reason would tell the reader a range; the reasons
// go to the operation team in the export's report, suppression_report.h);
// flag cells are empty otherwise. A blank cell (no site gave a value) is
// empty too, without a flag. Cells of a column that does not apply to the row's level are empty.
// The pcode and name hashtags name the level when the file holds one level
// (#adm2+code, #loc+code for site rows…) and are #adm+code/#adm+name when it
// holds several; every flag column is tagged #meta+flag (release_table.h).
//
// RFC 4180 quoting and spreadsheet formulas neutralised (core/csv_writer.h:
// a name such as "=HYPERLINK(…)" is written "'=HYPERLINK(…)"), UTF-8 without
// a BOM, "\n" line ends.
//
// Thread-safety: pure function of its arguments.
#ifndef OPENDTM_PUBLISH_CSV_EXPORT_H_
#define OPENDTM_PUBLISH_CSV_EXPORT_H_

#include <vector>

#include "analysis/rollup.h"
#include "core/status.h"
#include "disclosure/release.h"
#include "publish/export_summary.h"

namespace opendtm::publish {

struct CsvOptions {
  // The levels written, any order (rows come in the release's order); empty:
  // every level of the release.
  std::vector<analysis::Level> levels;
  // HXL: a row of hashtags under the header. false: plain CSV.
  bool hashtag_row = false;
};

// The CSV (or HXL) text of `release`. Errors: InvalidArgument when a level
// asked is not in the release, or the release is malformed (a row whose cells
// do not match its columns, a suppressed cell without a reason, a column named
// like an identity or flag column).
Result<ExportedText> ExportCsv(const disclosure::Release& release, const CsvOptions& options);

}  // namespace opendtm::publish

#endif  // OPENDTM_PUBLISH_CSV_EXPORT_H_
