// `dtm analyze`: figures computed from the stored rounds.
//
//   dtm analyze risk --operation OP [--country ISO3] --round N [--type SA|BA|ETT]
//                    [--band BAND,BAND…] [--format table|csv|json]
//       The GBV risk index of every site of the round (accepted submissions of
//       the assessment type, default SA), by site ID: score, band, coverage,
//       the four domain scores and the top contributing items
//       (analysis/risk_index.h). --band keeps the sites of the bands named
//       (very_high, high, medium, lower, insufficient_data).
//       Scores show one decimal and coverage three; bands come from the
//       unrounded figures. An absent score or domain score is blank (JSON
//       null). Every format says that the score measures risk factors, not
//       the prevalence of violence: the table in a footer (after a count of
//       sites per band), CSV in a `note` column, JSON in a `note` field of the
//       document {"operation", "country", "round", "assessment_type", "note",
//       "bands": {band: sites}, "sites": [{"site_id", "round", "score",
//       "band", "coverage", "domains": {"layout", "security",
//       "participation", "services"}, "top_items": [{"item", "answer",
//       "points"}]}]}; "bands" counts the sites printed.
//   dtm analyze risk … --level site|admin3|admin2|admin1|country
//       The index by area instead (analysis/area_risk.h): per area the sites,
//       sites per band, mean and population-weighted mean score, and the people
//       and the women and girls living in high or very high risk sites. JSON
//       {"operation", "country", "round", "assessment_type", "level", "note",
//       "areas": [{"pcode" | "name" | "site_id", "sites", "bands", "mean_score",
//       "weighted_mean_score", "people_in_high_or_very_high",
//       "women_and_girls_in_high_or_very_high"}]}; CSV with a `note` column; the
//       table with a note footer. Not with --band (which lists sites).
//
//   dtm analyze rollup --operation OP [--country ISO3] --round N|A-B|all
//                      --level site|admin3|admin2|admin1|country
//                      [--format table|csv|json]
//       The rounds' accepted submissions added up by area (analysis/rollup.h),
//       per round and assessment type. JSON: an array with one object per
//       area, round and assessment type: "level", then "pcode" (null for sites
//       without an area at that level) or "name" (an area the ingest kept by
//       name), or "site_id" at the site level; "round", "assessment_type",
//       "sites"; every summed indicator by name as an integer (a decimal one as
//       a number; null when no site gave it); every share-of-sites indicator
//       by name as {answer: {"sites", "share_of_sites", "share_of_people"}},
//       its list's answers then "missing", shares of all the area's sites and
//       of its people (ind_total), four decimals. CSV: the same, one line per
//       object, pcode and name as two columns, a share of sites as the column
//       INDICATOR=ANSWER in percent (one decimal). The table: the counts only.
//   dtm analyze trends --operation OP [--country ISO3] --round A-B|all
//                      --level site|admin3|admin2|admin1|country [--type SA|BA|ETT]
//                      [--format table|csv|json]
//       Between each pair of consecutive rounds with accepted submissions of
//       the type, per area (analysis/trends.h): sites before and after, new and
//       closed sites, people before and after and the change, and the sites
//       whose GBV risk band moved up, down, or up into very_high. JSON
//       {"operation", "country", "note", "trends": [{"level", area,
//       "from_round", "to_round", "assessment_type", "sites_before",
//       "sites_after", "new_sites", "closed_sites", "people_before",
//       "people_after", "people_change", "moved_up", "moved_down",
//       "to_very_high"}]}; CSV with a `note` column; a table with a note footer.
//       NotFound (3) when fewer than two such rounds.
//
//   Operations of admin-level figures (DTM API records, no round of site
//   data) roll up, join region and global figures and have trends alike:
//   their groups say "source": "admin_figures", count "records" (published
//   records added up) instead of "sites", and name each area beside its
//   P-code (the gazetteer's name, else the records'); their trends compare
//   records and people per area, with new_area and no_longer_published.
//
// Each subcommand lives in its own file: risk_command.h, rollup_command.h,
// trends_command.h (shared printing: analysis_output.h).
//
// Exit codes: 0 ok, 2 usage, 3+ failure (NotFound 3: no such operation, or
// no accepted submission in the round).
#ifndef OPENDTM_CLI_ANALYZE_COMMAND_H_
#define OPENDTM_CLI_ANALYZE_COMMAND_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

int RunAnalyzeCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_ANALYZE_COMMAND_H_
