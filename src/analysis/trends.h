// Trends: what changed in each area between two rounds of one assessment type.
//
// A site's area is the one it has in the later round, or in the earlier one
// when it was not reported again. Per area:
//   - sites in each round, new sites (reported in the later round and not the
//     earlier) and closed sites (reported in the earlier and not the later);
//   - people (Σ ind_total) in each round, over the sites that report it;
//   - band changes of the GBV risk index among the sites in both rounds:
//     moved up (lower < medium < high < very_high) or down; a site with
//     insufficient data in either round is in neither count;
//     to_very_high counts those that moved up into very_high;
//   - the mean change of the GBV risk score among the sites scored in both
//     rounds (at the site level: the site's own change).
// Areas come sorted by name.
//
// Thread-safety: pure function over immutable inputs.
#ifndef OPENDTM_ANALYSIS_TRENDS_H_
#define OPENDTM_ANALYSIS_TRENDS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/admin_figures.h"
#include "analysis/frame.h"
#include "analysis/risk_index.h"
#include "analysis/rollup.h"
#include "core/status.h"
#include "dictionary/dictionary.h"

namespace opendtm::analysis {

struct AreaTrend {
  std::string area;
  int64_t sites_before = 0;
  int64_t sites_after = 0;
  int64_t new_sites = 0;
  int64_t closed_sites = 0;
  int64_t people_before = 0;
  int64_t people_after = 0;
  int64_t moved_up = 0;
  int64_t moved_down = 0;
  int64_t to_very_high = 0;
  int64_t scored_in_both = 0;
  // Mean of (later score - earlier score) over scored_in_both sites; nullopt
  // when none.
  std::optional<double> mean_score_change;
};

// Errors: InvalidArgument when the frames are of different assessment types;
// those of AreaOfRows and RiskIndex::ScoreFrame.
Result<std::vector<AreaTrend>> Trends(const Frame& before, const Frame& after,
                                      const dictionary::Dictionary& dictionary,
                                      const RiskIndex& index, Level level, int64_t today_days = 0);

// What changed in an area between two keys of admin-level figures
// (admin_figures.h: AdminAreaTotals of each, at one level): the published
// records added up and the people (numPresentIdpInd) in each, an area
// published in only one of them counting 0 in the other (new: only after;
// no_longer_published: only before).
struct AdminAreaTrend {
  std::string area;  // the P-code
  int64_t records_before = 0;
  int64_t records_after = 0;
  int64_t people_before = 0;
  int64_t people_after = 0;
  bool new_area = false;
  bool no_longer_published = false;
};

// Areas sorted by P-code. `before` and `after` are the totals of one key each
// (their figure.round, reporting_date and assessment_type not checked).
std::vector<AdminAreaTrend> AdminFigureTrends(std::span<const AdminAreaTotal> before,
                                              std::span<const AdminAreaTotal> after);

}  // namespace opendtm::analysis

#endif  // OPENDTM_ANALYSIS_TRENDS_H_
