// The GBV risk index as two derived indicators, so that releases carry it
// through the same tiers, classes and suppression as the dictionary's own
// indicators (spec/disclosure.md: "the site's risk score and band are
// sensitive"):
//   gbv_risk_band   select_one (very_high, high, medium, lower,
//                   insufficient_data), class sensitive, aggregate
//                   share_of_sites: on area rows, the number of sites in each
//                   band ("gbv_risk_band=very_high"), suppressed for public and
//                   partner like any sensitive aggregate; on site rows (tiers
//                   that see sensitive values per site) the site's band;
//   gbv_risk_score  decimal 0-100 to one decimal, class sensitive, aggregate
//                   none: the site's score, on site rows only.
// The index measures risk factors at a site, not the prevalence of violence.
//
// Thread-safety: pure function of its arguments.
#ifndef OPENDTM_DISCLOSURE_RISK_COLUMNS_H_
#define OPENDTM_DISCLOSURE_RISK_COLUMNS_H_

#include <cstdint>
#include <vector>

#include "analysis/frame.h"
#include "analysis/risk_index.h"
#include "core/status.h"
#include "dictionary/dictionary.h"

namespace opendtm::disclosure {

inline constexpr const char* kRiskBandIndicator = "gbv_risk_band";
inline constexpr const char* kRiskScoreIndicator = "gbv_risk_score";

struct FramesWithRisk {
  dictionary::Dictionary dictionary;    // `dictionary` plus the two indicators
  std::vector<analysis::Frame> frames;  // each frame plus their two columns
};

// Scores each frame with `index` (built on `dictionary`) as of `today_days`
// and appends the two columns. Errors: InvalidArgument when the dictionary
// already has an indicator of either name; the index's.
Result<FramesWithRisk> WithRiskColumns(const dictionary::Dictionary& dictionary,
                                       std::vector<analysis::Frame> frames,
                                       const analysis::RiskIndex& index, int64_t today_days,
                                       unsigned threads = 1);

}  // namespace opendtm::disclosure

#endif  // OPENDTM_DISCLOSURE_RISK_COLUMNS_H_
