// A release: the table of figures one tier may receive, after the disclosure
// layer has withheld what the tier may not see and suppressed small cells.
// Every exporter (publish/) and every command that shows stored figures
// writes a Release and nothing else, so that no output can bypass the layer.
//
// Rows are areas at the levels asked for (and sites, at kSite), one per area
// and round (and assessment type); columns are the dictionary's indicators:
//   - a summed indicator (integer or decimal, aggregate `sum`) is one column
//     named after the indicator, on area rows (the sum) and site rows (the
//     site's value);
//   - a share-of-sites select is, on area rows, one column per choice named
//     "INDICATOR=CHOICE" holding the number of sites that chose it, and on
//     site rows one column named after the indicator holding the answer
//     (choice names, space-separated for select_multiple);
//   - other indicators (text, dates, P-codes, coordinates) are site columns
//     only.
// A cell is blank (no site gave a value: nothing to protect), a value, or
// suppressed with its reason; a suppressed cell is written empty or null,
// never 0, with the reason in "<column>__flag" or a `flags` object.
//
// Thread-safety: value types.
#ifndef OPENDTM_DISCLOSURE_RELEASE_H_
#define OPENDTM_DISCLOSURE_RELEASE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/rollup.h"
#include "disclosure/policy.h"
#include "store/records.h"

namespace opendtm::disclosure {

enum class CellState : uint8_t { kBlank, kValue, kSuppressed };

enum class SuppressionReason : uint8_t {
  kNone,
  kSmallCell,      // primary: too few sites, or a people count under k_people
  kComplementary,  // secondary: protects another suppressed cell
  kHomogeneous,    // the answered sites of a small area all share one answer
};

// "small_cell", "complementary", "homogeneous" ("" for kNone): for
// the operation team's report; files below protection say only
// "suppressed", since a reason tells a range.
std::string_view ReasonName(SuppressionReason reason);

enum class ValueKind : uint8_t { kText, kInteger, kNumber };

struct ReleaseColumn {
  std::string name;       // "ind_total", "lighting=adequate", "lighting"
  std::string indicator;  // the dictionary indicator it comes from
  std::string choice;     // for answer counts, the choice; "" otherwise
  std::string hxl;        // hashtag with attributes, "" when none
  ValueKind kind = ValueKind::kText;
  bool people = false;    // a count of people: k_people applies
  bool on_sites = false;  // filled on site rows
  bool on_areas = false;  // filled on area rows
};

struct ReleaseCell {
  CellState state = CellState::kBlank;
  SuppressionReason reason = SuppressionReason::kNone;
  int64_t integer = 0;  // kInteger
  double number = 0;    // kNumber
  std::string text;     // kText
};

struct ReleaseRow {
  analysis::Level level = analysis::Level::kAdmin2;
  std::string operation;  // the operation's name
  std::string country;    // ISO3
  // The area's P-code (or name, where the ingest kept areas by name); the
  // site ID on site rows.
  std::string pcode;
  std::string name;  // the area's or site's name, "" when unknown
  // The P-code of the area that holds this row at the next coarser level the
  // tier can see ("" at the top): what secondary suppression and its checker
  // read the hierarchy from.
  std::string parent;
  // The P-codes of the row's area path, from admin1 down to the row's own
  // area ({"HT01", "HT0111"} on an admin2 row; empty on a country row); on a
  // site row, the path of the area it is shown in, as the microdata gate left
  // it (a generalised or withheld site's admin3 ""; its admin2 and admin1 stay).
  // "" where the operation records no area at that level. Exporters write it
  // as admin1_pcode, admin2_pcode, admin3_pcode, so that two areas of the same
  // name under different parents are told apart (spec/disclosure.md).
  std::vector<std::string> area_path;
  int round = 0;
  store::AssessmentType assessment_type = store::AssessmentType::kSiteAssessment;
  int64_t sites = 0;  // sites added up (1 on a site row)
  // A site's point; an area's is the mean of its sites' points (empty when
  // none has one, or when every people count of the area is suppressed…
  // exporters leave suppressed areas off maps).
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::vector<ReleaseCell> cells;  // by column
};

// What the microdata gate did to site rows released below protection.
struct MicrodataReport {
  int k = 0;
  std::vector<std::string> quasi_identifiers;  // the columns checked
  int64_t records = 0;                         // site rows checked
  int64_t generalised = 0;  // rows shown without their admin3 (under their admin2)
  int64_t withheld = 0;     // rows with quasi-identifier values withheld (admin2 path kept)
};

struct Release {
  Tier tier = Tier::kPublic;
  int policy_version = 0;
  TierRules rules;
  std::string dictionary_version;
  std::vector<std::string> operations;  // "name (ISO3)"
  std::vector<int> rounds;              // ascending
  std::vector<analysis::Level> levels;  // as asked, finest first
  std::vector<ReleaseColumn> columns;
  // By level (in `levels` order), then operation, round, assessment type and
  // P-code.
  std::vector<ReleaseRow> rows;
  int64_t small_cells = 0;    // cells suppressed as primary
  int64_t complementary = 0;  // cells suppressed as secondary
  int64_t homogeneous = 0;    // cells suppressed for homogeneity
  // Admin3 rows of the levels asked withheld whole for the microdata gate:
  // their admin2 holds a site shown without its admin3.
  int64_t admin3_withheld = 0;
  // Protected cells whose interval could not be met (0 when the spec's rule
  // holds for every one; see suppression.h).
  int64_t unprotected = 0;
  std::optional<MicrodataReport> microdata;  // site rows below protection
  // Rows add up admin-level figures as published (DTM API records,
  // admin_figure_release.h), not site submissions: each row's `sites` counts
  // the records added up, and exporters name that count `records`.
  bool admin_figures = false;
};

// True when `column` is filled on rows of `level`.
bool ColumnApplies(const ReleaseColumn& column, analysis::Level level);

}  // namespace opendtm::disclosure

#endif  // OPENDTM_DISCLOSURE_RELEASE_H_
