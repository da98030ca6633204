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
//   - for each select_one or select_multiple indicator whose aggregate is
//     `share_of_sites`: the number of sites per answer, and the people
//     (`ind_total`) living in them, with one more slot, after the list's
//     choices, for sites without an answer. `unknown` is a choice like any
//     other. A select_multiple site counts under every choice it selected, so
//     its shares do not add up to 1. Shares are these counts over the area's
//     sites and over its people (PeopleIn): every site of the area is in the
//     denominator.
// Options split each area by the answer to one indicator (`--by`): a select
// gives one group per choice and one, "", for no answer (a select_multiple
// site is in the group of each choice it selected, so groups overlap); a text
// or P-code indicator (origin_adm1_pcode) one group per distinct value. And
// they keep only the rows that meet conditions (`--where`).
//
// One pass over the rows serves every level asked for: rows are grouped into
// cells (the combination of their areas at every level and their `by`
// answer), cells are added up column by column, and each level's areas are
// sums of cells. Integer sums are exact; sums of decimals are added in row
// order, so results do not depend on threads. Areas come sorted by name, then
// by the `by` answer (in list order for a select, by name for text; no
// answer last).
//
// Thread-safety: pure functions over immutable frames.
#ifndef OPENDTM_ANALYSIS_ROLLUP_H_
#define OPENDTM_ANALYSIS_ROLLUP_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analysis/frame.h"
#include "core/status.h"
#include "dictionary/dictionary.h"

namespace opendtm::analysis {

// kRegion and kGlobal add up operations (analysis/regions.h), not a frame's
// rows: RollUp refuses them.
enum class Level { kSite, kAdmin3, kAdmin2, kAdmin1, kCountry, kRegion, kGlobal };

// A condition on a row: its indicator's value equals `value` (a choice name
// for select_one; for select_multiple, the choice is among those selected; a
// number for integer and decimal indicators, compared as numbers; the stored
// text otherwise).
struct RowCondition {
  int indicator = -1;  // index in dictionary.indicators()
  std::string value;
};

struct RollupOptions {
  // Index of the indicator splitting each area by its answer; -1: none.
  int by_indicator = -1;
  // Rows must meet every condition.
  std::vector<RowCondition> where;
  // Threads adding up the columns (0 or 1: the calling thread only).
  unsigned threads = 1;
};

// Parses "INDICATOR=VALUE" into a condition, checking the indicator exists
// and, for a select, that VALUE is one of its choices. Errors: InvalidArgument
// saying which.
Result<RowCondition> ParseCondition(std::string_view text, const dictionary::Dictionary& dictionary);

// "site", "admin3", "admin2", "admin1", "country", "region", "global".
std::string_view LevelName(Level level);

// The structural indicator holding a row's area at an admin level:
// "adm3_pcode" … "adm0_pcode" (kCountry); "" for site, region and global.
std::string_view LevelIndicator(Level level);

struct AreaTotals {
  std::string area;
  // With RollupOptions::by_indicator: the group's choice name or text, "" for
  // sites without an answer; "" otherwise.
  std::string by;
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

// Adds up `frame` at each of `levels`: the result has one list of areas per
// level, in the order asked. Errors: InvalidArgument when the dictionary has
// no indicator for a level (adm1_pcode…), when `frame` has other columns than
// the dictionary's indicators, or when an option names an indicator that is
// not there (by: a number or a select of over 64 choices).
Result<std::vector<std::vector<AreaTotals>>> RollUpLevels(
    const Frame& frame, const dictionary::Dictionary& dictionary, std::span<const Level> levels,
    const RollupOptions& options = RollupOptions());

// RollUpLevels for each of `frames`, by frame: the frames are shared out
// among options.threads threads (each frame added up on one), so the result
// is the same whatever the number of threads. Errors: the first frame's
// error, as RollUpLevels.
Result<std::vector<std::vector<std::vector<AreaTotals>>>> RollUpFrames(
    std::span<const Frame* const> frames, const dictionary::Dictionary& dictionary,
    std::span<const Level> levels, const RollupOptions& options = RollupOptions());

// RollUpLevels for one level.
Result<std::vector<AreaTotals>> RollUp(const Frame& frame,
                                       const dictionary::Dictionary& dictionary, Level level,
                                       const RollupOptions& options = RollupOptions());

}  // namespace opendtm::analysis

#endif  // OPENDTM_ANALYSIS_ROLLUP_H_
