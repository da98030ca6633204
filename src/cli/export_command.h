// `dtm export`: an operation's figures as a file, for one tier, through the
// disclosure layer (spec/disclosure.md) and audited.
//
//   dtm export (--operation OP | --country ISO3) --round N|A-B|all
//              --level L[,L…] --tier T --format F -o FILE --purpose "…"
//              [--as USER] [--no-hxl-row]
//
//   Levels: site, admin3, admin2, admin1, country (admin0 is country).
//   Formats:
//     csv, hxl   one row per area (or site) and round (publish/csv_export.h);
//                hxl adds the hashtag row (--no-hxl-row leaves it out)
//     xlsx       one sheet per level and a README sheet (publish/xlsx_export.h)
//     geojson    sites as points, areas at the mean of their sites' points
//     json       the shape of `dtm analyze rollup --format json`
//     dtm-api    the DTM API v3 response of the stored admin-level figures of
//                one level (country/admin0, admin1 or admin2), not of rollups
//   --country exports every operation of the country, each read audited.
//
// An operation of admin-level figures (DTM API records, no round of site
// data) exports in csv, hxl, xlsx and json as area tables
// (disclosure::ReleaseAdminFigureTables: each key's finest records added up
// per area, public totals, gazetteer names), with a `records` column instead
// of `sites`; geojson has no point to draw for them and is refused. Site
// operations and admin-level operations are exported one kind at a time.
//
// An export that would hold no row (no round, no figure in the rounds, no
// row at the levels for the tier, figures published only above the level)
// writes nothing, says why ("nothing to export: …"), is audited as refused
// and exits 1.
//
// The tier must be one the user holds (protection under a valid agreement);
// a level the tier may not see is refused (a site-level export to public:
// exit 1 naming the rule), and the refusal is audited. Suppressed figures
// are empty or null, never 0, with their reason beside them.
//
// Exit codes: 0 written; 1 refused; 2 usage; 3+ operational failures.
#ifndef OPENDTM_CLI_EXPORT_COMMAND_H_
#define OPENDTM_CLI_EXPORT_COMMAND_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

int RunExportCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_EXPORT_COMMAND_H_
