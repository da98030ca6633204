// The GBV risk index of one site in one round, exactly as spec/risk-index.md
// defines it: a score of **risk factors**, never of incidents or prevalence.
//
// Every scored indicator of the dictionary (module gbv_risk, with a `risk`
// mapping) gives points for its answer:
//   select_one       the answer's points; a choice without points (`unknown`)
//                    is not answered;
//   select_multiple  the sum of the selected choices' points, capped at `cap`;
//                    answered when at least one selected choice has points;
//   integer/decimal  the points of the first range holding the value; a value
//                    in no range is not answered;
// and a blank answer is not answered. An item whose `relevant` condition is
// false is not answered either, unless its `when_not_relevant` condition is
// true: then it scores those points (smc_women_pct scores 3 when there is no
// committee) and its answer reads "not asked: CONDITION".
//
// Over the answered items, per domain and for the site:
// score = 100 × Σ points / Σ max points (max: RiskMapping::MaxPoints);
// coverage = Σ max points of the answered items / Σ max points of every scored
// item. The band is insufficient_data when coverage < RiskBands::min_coverage
// or a domain has no answered item; otherwise the first threshold the score
// reaches (very_high, high, medium), else lower. Thresholds are compared with
// the unrounded score; round only for display.
//
// Thread-safety: a RiskIndex is immutable after Create; Score, ScoreRow and
// ScoreFrame may be called from several threads at once.
#ifndef OPENDTM_ANALYSIS_RISK_INDEX_H_
#define OPENDTM_ANALYSIS_RISK_INDEX_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/frame.h"
#include "core/status.h"
#include "dictionary/dictionary.h"

namespace opendtm::analysis {

// What every output that shows a score says (JSON `note`, table footer).
inline constexpr std::string_view kRiskNote =
    "The GBV risk index scores risk factors reported about a site (layout, security, "
    "participation, services); it does not measure the prevalence of violence.";

enum class RiskBand { kVeryHigh, kHigh, kMedium, kLower, kInsufficientData };

// "very_high", "high", "medium", "lower", "insufficient_data".
std::string_view RiskBandName(RiskBand band);

// Band thresholds on the site score (0-100). The defaults are the Iraq safety
// audit's 80, 61 and 40 points out of 209 as shares of the maximum.
struct RiskBands {
  double very_high = 38.3;
  double high = 29.2;
  double medium = 19.1;
  double min_coverage = 0.6;
};

// One scored item's part in a site's score.
struct RiskItem {
  int indicator = -1;   // index in dictionary.indicators()
  std::string answer;   // the answer as stored, or the condition that scored it
  int points = 0;
};

// Points over maximum points of the answered items of one domain.
struct DomainScore {
  dictionary::RiskDomain domain = dictionary::RiskDomain::kLayout;
  int points = 0;
  int max_points = 0;   // of the answered items; 0 when none was answered
  // 100 × points / max_points; nullopt when no item was answered.
  std::optional<double> score;
};

struct SiteRisk {
  // 100 × points / max_points over all answered items; nullopt when none was.
  std::optional<double> score;
  RiskBand band = RiskBand::kInsufficientData;
  double coverage = 0;  // 0..1
  int points = 0;
  int max_points = 0;   // of the answered items
  // In the order of dictionary::AllRiskDomains() (layout, security,
  // participation, services).
  std::array<DomainScore, 4> domains;
  // Up to kTopItems answered items with points > 0, by points descending, then
  // in dictionary order.
  std::vector<RiskItem> top_items;
};

inline constexpr size_t kTopItems = 5;

// The risk of every row of a frame, column by column (RiskIndex::ScoreFrame):
// what risk by area, trends and the benchmark read, without the answers'
// text (RiskIndex::ScoreRow gives one row in full). Points are kept rather
// than scores (a fifth of the memory to write); the accessors compute the
// scores exactly as SiteRisk has them.
struct FrameRisk {
  int total_max_points = 0;            // the coverage denominator
  std::vector<int16_t> points;         // by row, of the answered items
  std::vector<int16_t> max_points;     // by row, of the answered items
  // By domain (layout, security, participation, services), then row.
  std::array<std::vector<int16_t>, 4> domain_points;
  std::array<std::vector<int16_t>, 4> domain_max_points;
  std::vector<RiskBand> band;          // by row
  // kTopItems slots per row (row × kTopItems + slot), as SiteRisk::top_items:
  // the item's indicator index (-1 for an empty slot) and its points.
  std::vector<int16_t> top_indicator;
  std::vector<int16_t> top_points;

  size_t rows() const { return band.size(); }
  // 100 × points / max_points; nullopt when nothing was answered.
  std::optional<double> Score(size_t row) const;
  // Σ max points answered / Σ max points of every scored item.
  double Coverage(size_t row) const;
  // The domain's score; nullopt when it has no answered item.
  std::optional<double> DomainScore(size_t domain, size_t row) const;
};

class RiskIndex {
 public:
  // Resolves the dictionary's scored indicators and compiles their relevance
  // conditions (their maxima must add up to at most 32,767 points); the bands
  // are the dictionary's own (`risk_bands:`, an
  // operation's extension may set them), else the defaults. The index keeps
  // pointers into `dictionary`, which must outlive it. Errors:
  // InvalidArgument naming the indicator when a condition does not compile,
  // or when a scored indicator's maximum is not positive; FailedPrecondition
  // when the dictionary scores nothing.
  static Result<RiskIndex> Create(const dictionary::Dictionary& dictionary);
  // As above with the given bands instead of the dictionary's.
  static Result<RiskIndex> Create(const dictionary::Dictionary& dictionary, RiskBands bands);

  // Scores row `row` of `frame` (loaded with the index's dictionary) from its
  // typed columns: the same result as Score over RowText(frame, dictionary,
  // row). Errors: InvalidArgument when row >= frame.rows() or the frame's
  // columns are not the dictionary's.
  Result<SiteRisk> ScoreRow(const Frame& frame, size_t row, int64_t today_days = 0) const;

  // Scores every row of `frame` on up to `threads` threads (0 or 1: the
  // calling thread only), as ScoreRow does without the answers' text; the
  // result does not depend on `threads`. Errors: as ScoreRow.
  Result<FrameRisk> ScoreFrame(const Frame& frame, int64_t today_days = 0,
                               unsigned threads = 1) const;

  RiskIndex(RiskIndex&&) noexcept;
  RiskIndex& operator=(RiskIndex&&) noexcept;
  ~RiskIndex();

  // Scores one site-round from its cleaned values, indexed like
  // dictionary.indicators() ("" when blank; a shorter span reads as blank).
  // `today_days` (days since 1970-01-01) is today() in relevance conditions.
  SiteRisk Score(std::span<const std::string_view> values, int64_t today_days = 0) const;

  // Σ max points of every scored item (the coverage denominator).
  int total_max_points() const;
  const RiskBands& bands() const;
  // The scored indicators' indices, in dictionary order.
  std::vector<int> scored_indicators() const;
  // Every indicator a score reads (the scored ones and those their
  // conditions read), sorted: what LoadFrames needs to load for it.
  std::vector<int> indicators_read() const;

 private:
  struct Plan;
  class RowScorer;
  Status CheckFrame(const Frame& frame) const;
  explicit RiskIndex(std::unique_ptr<Plan> plan);
  std::unique_ptr<Plan> plan_;
};

}  // namespace opendtm::analysis

#endif  // OPENDTM_ANALYSIS_RISK_INDEX_H_
