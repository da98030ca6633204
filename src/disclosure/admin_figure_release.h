// The release of stored admin-level figures (DTM API v3 records, see
// store::AdminFigure) to one tier: what publish/dtm_api_export.h writes, so
// that a DTM-compatible response goes through the disclosure layer like every
// other output (spec/disclosure.md).
//
// Each released figure keeps every field of its record as stored (names,
// P-codes, dates and "Not available" verbatim), the three people counts
// (numPresentIdpInd, numberMales, numberFemales) included: every record is
// an area total at admin2 or above, and the spec's public-totals rule
// (spec/disclosure.md, "Public totals") exempts the totals of individuals,
// males and females at admin2 and above from k_sites and k_people for every
// tier: DTM publishes them, and a public table that hides them is useless.
// So no count is suppressed at any tier; below operation_admin, counts are
// rounded to TierRules::rounding_base when it is above 1 (to the nearest
// multiple, halves away from zero), as the release builder rounds people
// counts. ReleasedCount keeps a reason so that the shape can say
// "suppressed" should a count ever need it; none does today.
//
// Thread-safety: pure function of its arguments; value types.
#ifndef OPENDTM_DISCLOSURE_ADMIN_FIGURE_RELEASE_H_
#define OPENDTM_DISCLOSURE_ADMIN_FIGURE_RELEASE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/rollup.h"
#include "core/status.h"
#include "dictionary/dictionary.h"
#include "disclosure/policy.h"
#include "disclosure/release.h"
#include "store/records.h"

namespace opendtm::disclosure {

// A people count of a released figure: nullopt when unknown (stored null) or
// suppressed (reason set).
struct ReleasedCount {
  std::optional<int64_t> value;
  SuppressionReason reason = SuppressionReason::kNone;
};

// One admin-level figure as a tier may receive it. Fields are
// store::AdminFigure's, verbatim, but for the counts.
struct ReleasedAdminFigure {
  int admin_level = 0;    // 0, 1 or 2
  std::string source_id;  // the record's `id` as stored, "" for admin0
  std::string operation_name;
  std::string country_name;
  std::string country;  // ISO3
  int round = 0;
  std::string reporting_date;   // verbatim ("2010-11-30T00:00:00")
  std::string assessment_type;  // verbatim ("SA", "BA", "ETT")
  std::string admin1_pcode;
  std::string admin1_name;
  std::string admin2_pcode;
  std::string admin2_name;
  std::string displacement_reason;
  std::string origin_admin1_pcode;  // "Not available" kept
  std::string origin_admin1_name;
  ReleasedCount num_present_idp_ind;  // never unknown as stored: nullopt only when suppressed
  ReleasedCount males;
  ReleasedCount females;
};

struct AdminFigureRelease {
  Tier tier = Tier::kPublic;
  int policy_version = 0;
  TierRules rules;
  std::vector<ReleasedAdminFigure> figures;  // in the order given
  int64_t small_cells = 0;                   // counts suppressed as primary (0: public totals)
  int64_t complementary = 0;                 // counts suppressed as secondary (0)
};

// The release of `figures` (any admin levels, any operations; borrowed for
// the call) to `tier` under `policy`. Errors: PermissionDenied when the tier
// may not see a level of the figures ("tier public may not receive admin2
// figures: …"); InvalidArgument for an admin level other than 0, 1 or 2.
Result<AdminFigureRelease> ReleaseAdminFigures(std::span<const store::AdminFigure> figures,
                                               const Policy& policy, Tier tier);

// What ReleaseAdminFigureTables releases: one operation's figures at the
// levels asked, for a tier.
struct AdminFigureTableRequest {
  Tier tier = Tier::kPublic;
  Policy policy;
  std::vector<analysis::Level> levels;  // finest first, as Release::levels
  int first_round = 0;
  int last_round = 1'000'000;
  std::string operation;  // its name
  std::string country;    // ISO3
  // The gazetteer's area names by P-code (borrowed for the call; may be
  // null): an area it does not name keeps the name its records give it.
  const std::map<std::string, std::string, std::less<>>* area_names = nullptr;
};

// The figures of one operation as a Release of area tables, which every
// exporter of publish/ writes (csv, hxl, xlsx, json; no points for geojson):
// per level asked, each key's finest records added up per area
// (analysis::AdminAreaTotals: the same sums as `dtm analyze rollup`), then
// released as ReleaseAdminFigures releases records (public totals: nothing
// suppressed; rounded below operation_admin). Columns ind_total, m_total and
// f_total (hashtags from `dictionary`); a row's `sites` counts the records
// added up, and Release::admin_figures is set so that exporters call it
// `records`. Rows: by level (in the order asked), then round, reporting
// date, assessment type and P-code; a level finer than a key's finest
// published level (site, admin3, or admin2 of a key published at admin1) has
// none of its rows. Errors: PermissionDenied for a level the tier may not
// see (as ReleaseAdminFigures); InvalidArgument for a record's bad admin
// level.
Result<Release> ReleaseAdminFigureTables(std::span<const store::AdminFigure> figures,
                                         const dictionary::Dictionary& dictionary,
                                         const AdminFigureTableRequest& request);

}  // namespace opendtm::disclosure

#endif  // OPENDTM_DISCLOSURE_ADMIN_FIGURE_RELEASE_H_
