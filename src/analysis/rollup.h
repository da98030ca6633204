// Rollups: one frame's sites added up by area.
//
// The area of a row at a level is its site ID (kSite), the stored text of its
// adm3_pcode / adm2_pcode / adm1_pcode indicator (kAdmin3..kAdmin1), or of
// adm0_pcode (kCountry): a P-code, or a name where the ingest kept the area by
// name (as in the Nepal file), so such areas group by name. A row without a
// value at the level is the area "" (never dropped). Per area:
//   - sites: the number of rows;
//   - for each integer or decimal indicator whose aggregate is `sum`: the sum
//     of the present values and the number of sites that gave one (to tell a
//     0 from nothing);
//   - for each select_one indicator whose aggregate is `share_of_sites`: the
//     number of sites per answer, and the people (`ind_total`) living in them,
//     with one more slot, after the list's choices, for sites without an
//     answer. `unknown` is a choice like any other. Shares are these counts
//     over the area's sites and over its people (PeopleIn): every site of the
//     area is in the denominator.
// Areas come sorted by name, so results do not depend on row order or on
// threads.
//
// Thread-safety: pure functions over immutable frames.
#ifndef OPENDTM_ANALYSIS_ROLLUP_H_
#define OPENDTM_ANALYSIS_ROLLUP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/frame.h"
#include "core/status.h"
#include "dictionary/dictionary.h"

namespace opendtm::analysis {

enum class Level { kSite, kAdmin3, kAdmin2, kAdmin1, kCountry };

// "site", "admin3", "admin2", "admin1", "country".
std::string_view LevelName(Level level);

struct AreaTotals {
  std::string area;
  int64_t sites = 0;
  // By indicator index (0 for indicators that are not summed).
  std::vector<double> sums;
  // Sites with a value, by indicator (summed and share indicators; 0 for others).
  std::vector<int64_t> reporting;
  // By indicator index, then choice index (the last slot: no answer); empty
  // for indicators that are not shares of sites.
  std::vector<std::vector<int64_t>> answer_sites;
  std::vector<std::vector<double>> answer_people;
  double people = 0;  // Σ ind_total over the area's sites with one
};

// The area of each row of `frame` at `level` (as above: "" where the row has
// none). Errors: InvalidArgument when the dictionary has no text indicator
// for the level.
Result<std::vector<std::string>> AreaOfRows(const Frame& frame,
                                            const dictionary::Dictionary& dictionary, Level level);

// Adds up `frame` at `level`. Errors: InvalidArgument when the dictionary has
// no indicator for the level (adm1_pcode…) or `frame` has other columns than
// the dictionary's indicators.
Result<std::vector<AreaTotals>> RollUp(const Frame& frame,
                                       const dictionary::Dictionary& dictionary, Level level);

}  // namespace opendtm::analysis

#endif  // OPENDTM_ANALYSIS_ROLLUP_H_
