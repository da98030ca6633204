// Risk alerts: the sites whose GBV risk band became very high from one round
// to the next, so that the operation follows them up (store::Alert, rule
// kRiskVeryHighRule). Like every use of the risk index, an alert says that the
// risk factors reported about a site are many, not that violence happened.
//
// Between an earlier and a later round of one assessment type, a site raises
// an alert when its band in the later round is very_high and
//   - its band in the earlier round was any other (lower, medium, high, or
//     insufficient_data: too little answered to place it then), or
//   - it was not reported in the earlier round: a new site that is very high
//     at once needs the same follow-up as one that got there.
// A site very high in both rounds raises none (it was raised when it got
// there). The first round with data has nothing to compare with and raises
// none: it is a baseline, read with `dtm analyze risk`. A site with several
// rows in a frame is read at its last one (its newest submission), as Trends
// reads it.
//
// Alerts are never withdrawn here: when a round ingested late sits between
// two others, the alerts already raised for the later one stay (closing them
// is the officer's call), and the store skips alerts it already has.
//
// Thread-safety: VeryHighTransitions and RiskAlert are pure functions;
// RiskAlertsAround reads the store (see store.h).
#ifndef OPENDTM_ANALYSIS_ALERTS_H_
#define OPENDTM_ANALYSIS_ALERTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/frame.h"
#include "analysis/risk_index.h"
#include "core/status.h"
#include "dictionary/dictionary.h"
#include "store/records.h"
#include "store/store.h"

namespace opendtm::analysis {

// The rule of a risk alert, as stored and listed.
inline constexpr std::string_view kRiskVeryHighRule = "risk_very_high";

// One site that became very high.
struct RiskTransition {
  std::string site_id;
  int round = 0;           // the later round
  int previous_round = 0;  // the earlier round
  // The band in the earlier round; nullopt when the site was not reported then.
  std::optional<RiskBand> previous_band;
  double score = 0;  // the later round's score, unrounded
};

// The sites of `after` that became very high since `before`, by site ID.
// Both frames were loaded with the dictionary `index` was created from.
// Errors: InvalidArgument when the frames are of different assessment types,
// or `before` is not an earlier round than `after`; those of
// RiskIndex::ScoreFrame and ScoreRow.
Result<std::vector<RiskTransition>> VeryHighTransitions(const Frame& before, const Frame& after,
                                                        const RiskIndex& index,
                                                        int64_t today_days = 0);

// The alert to store for `transition` in `operation_id`: rule
// kRiskVeryHighRule, value "very_high", previous_value the earlier band ("" for
// a new site), score rounded to one decimal, created at `created_at`, and a
// message naming the site, the rounds, the score and the earlier band.
store::Alert RiskAlert(const RiskTransition& transition, int64_t operation_id,
                       std::string_view created_at);

// The risk alerts that data of round `round` and `type` brings, once stored:
//   1. the previous round with accepted submissions of `type`, if any: the
//      sites of `round` that became very high since then;
//   2. the next round with accepted submissions of `type`, if any (rounds
//      ingested out of order): the sites of that round that became very high
//      since `round`.
// Loads only the rounds it compares (LoadFrames over the smallest span) and
// returns the alerts in that order (not yet stored: see Store::AddAlerts).
// Returns none when `round` has no accepted submission of `type`. `index` was
// created from `dictionary`. Errors: from the store and the index.
Result<std::vector<store::Alert>> RiskAlertsAround(store::Store& store,
                                                   const dictionary::Dictionary& dictionary,
                                                   const RiskIndex& index, int64_t operation_id,
                                                   int round, store::AssessmentType type,
                                                   std::string_view created_at,
                                                   int64_t today_days = 0);

}  // namespace opendtm::analysis

#endif  // OPENDTM_ANALYSIS_ALERTS_H_
