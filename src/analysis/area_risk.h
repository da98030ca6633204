// The GBV risk index by area (spec/risk-index.md, "Aggregates"): per area of
// a level, the sites per band, the mean score, the population-weighted mean
// score (weights: ind_total), and the people, and the women and girls
// (f_total), living in high or very high risk sites.
//
// Means are over the sites that have a score (insufficient_data sites with a
// score count; sites with nothing answered do not); the weighted mean over
// those that also report ind_total. Areas come sorted by name, as rollups.
//
// Thread-safety: pure function over immutable inputs.
#ifndef OPENDTM_ANALYSIS_AREA_RISK_H_
#define OPENDTM_ANALYSIS_AREA_RISK_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/frame.h"
#include "analysis/risk_index.h"
#include "analysis/rollup.h"
#include "core/status.h"
#include "dictionary/dictionary.h"

namespace opendtm::analysis {

struct AreaRisk {
  std::string area;
  int64_t sites = 0;
  std::array<int64_t, 5> sites_per_band = {};  // indexed by RiskBand
  std::optional<double> mean_score;
  std::optional<double> weighted_mean_score;
  int64_t people_high_or_very_high = 0;
  int64_t women_and_girls_high_or_very_high = 0;
};

// Adds up the scores of `frame`'s rows (`risks`, as RiskIndex::ScoreFrame
// gives them) at `level`. Errors: InvalidArgument when `risks` is not one per
// row; those of AreaOfRows.
Result<std::vector<AreaRisk>> RiskByArea(const Frame& frame,
                                         const dictionary::Dictionary& dictionary,
                                         const FrameRisk& risks, Level level);

}  // namespace opendtm::analysis

#endif  // OPENDTM_ANALYSIS_AREA_RISK_H_
