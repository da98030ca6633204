#include "analysis/alerts.h"

#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <utility>

#include "core/text.h"

namespace opendtm::analysis {
namespace {

using RowOfSite = std::unordered_map<std::string, size_t, core::StringHash, std::equal_to<>>;

// Each site's last row (its newest submission).
RowOfSite LastRows(const Frame& frame) {
  RowOfSite rows;
  for (size_t row = 0; row < frame.rows(); ++row) rows[frame.site_ids[row]] = row;
  return rows;
}

// The score for people: one decimal, as every output shows it.
double RoundScore(double score) { return std::round(score * 10) / 10; }

std::string ScoreText(double score) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", RoundScore(score));
  return text;
}

// True when the round holds an accepted submission of `type`.
Result<bool> HasData(store::Store& store, int64_t operation_id, int round,
                     store::AssessmentType type) {
  ASSIGN_OR_RETURN(std::vector<store::Submission> identities,
                   store.SubmissionIdentities(operation_id, round));
  for (const store::Submission& identity : identities) {
    if (identity.state == store::SubmissionState::kAccepted && identity.assessment_type == type) {
      return true;
    }
  }
  return false;
}

// The frame of `round` and `type` among `frames`, or null.
const Frame* FrameOf(const std::vector<Frame>& frames, int round, store::AssessmentType type) {
  for (const Frame& frame : frames) {
    if (frame.round == round && frame.assessment_type == type) return &frame;
  }
  return nullptr;
}

}  // namespace

Result<std::vector<RiskTransition>> VeryHighTransitions(const Frame& before, const Frame& after,
                                                        const RiskIndex& index,
                                                        int64_t today_days) {
  if (before.assessment_type != after.assessment_type) {
    return InvalidArgumentError("risk alerts compare rounds of one assessment type");
  }
  if (before.round >= after.round) {
    return InvalidArgumentError("risk alerts compare a round with a later one (got rounds " +
                                std::to_string(before.round) + " and " +
                                std::to_string(after.round) + ")");
  }
  // The later round is scored whole (column by column, cheaper than row by
  // row); the earlier one only for the sites that are very high now.
  ASSIGN_OR_RETURN(const FrameRisk risk, index.ScoreFrame(after, today_days));
  const RowOfSite rows_before = LastRows(before);
  const RowOfSite rows_after = LastRows(after);
  std::vector<RiskTransition> transitions;
  // Rows are by site ID, so the last row of each site comes in site order.
  for (size_t row = 0; row < after.rows(); ++row) {
    const std::string& site_id = after.site_ids[row];
    if (rows_after.find(site_id)->second != row) continue;  // an older row of the site
    const std::optional<double> score = risk.Score(row);
    if (risk.band[row] != RiskBand::kVeryHigh || !score) continue;
    std::optional<RiskBand> previous_band;
    if (auto earlier = rows_before.find(site_id); earlier != rows_before.end()) {
      ASSIGN_OR_RETURN(const SiteRisk then, index.ScoreRow(before, earlier->second, today_days));
      if (then.band == RiskBand::kVeryHigh) continue;
      previous_band = then.band;
    }
    transitions.push_back({site_id, after.round, before.round, previous_band, *score});
  }
  return transitions;
}

store::Alert RiskAlert(const RiskTransition& transition, int64_t operation_id,
                       std::string_view created_at) {
  store::Alert alert;
  alert.operation_id = operation_id;
  alert.round = transition.round;
  alert.site_id = transition.site_id;
  alert.value = std::string(RiskBandName(RiskBand::kVeryHigh));
  alert.rule = std::string(kRiskVeryHighRule);
  alert.created_at = std::string(created_at);
  alert.previous_round = transition.previous_round;
  alert.previous_value =
      transition.previous_band ? std::string(RiskBandName(*transition.previous_band)) : "";
  alert.score = RoundScore(transition.score);
  const std::string earlier = std::to_string(transition.previous_round);
  alert.message = "site " + transition.site_id + ": GBV risk band very_high in round " +
                  std::to_string(transition.round) + " (score " + ScoreText(transition.score) +
                  "), " +
                  (transition.previous_band
                       ? "was " + std::string(RiskBandName(*transition.previous_band)) +
                             " in round " + earlier
                       : "not reported in round " + earlier);
  return alert;
}

// 1. Find the neighbouring rounds with data of `type` (ListRounds, then each
// candidate's identities, nearest first). 2. Load [previous, next] at once.
// 3. Compare previous -> round and round -> next.
Result<std::vector<store::Alert>> RiskAlertsAround(store::Store& store,
                                                   const dictionary::Dictionary& dictionary,
                                                   const RiskIndex& index, int64_t operation_id,
                                                   int round, store::AssessmentType type,
                                                   std::string_view created_at,
                                                   int64_t today_days) {
  ASSIGN_OR_RETURN(std::vector<store::Round> rounds, store.ListRounds(operation_id));
  std::optional<int> previous;
  for (auto it = rounds.rbegin(); it != rounds.rend() && !previous; ++it) {
    if (it->number >= round) continue;
    ASSIGN_OR_RETURN(bool has_data, HasData(store, operation_id, it->number, type));
    if (has_data) previous = it->number;
  }
  std::optional<int> next;
  for (auto it = rounds.begin(); it != rounds.end() && !next; ++it) {
    if (it->number <= round) continue;
    ASSIGN_OR_RETURN(bool has_data, HasData(store, operation_id, it->number, type));
    if (has_data) next = it->number;
  }
  std::vector<store::Alert> alerts;
  if (!previous && !next) return alerts;
  // Only what the scores read: loading every column would double the
  // ingest's time.
  const std::vector<int> read = index.indicators_read();
  ASSIGN_OR_RETURN(std::vector<Frame> frames,
                   LoadFrames(store, dictionary, operation_id, previous.value_or(round),
                              next.value_or(round), read));
  const Frame* current = FrameOf(frames, round, type);
  if (current == nullptr) return alerts;
  std::vector<std::pair<const Frame*, const Frame*>> pairs;
  if (previous) pairs.emplace_back(FrameOf(frames, *previous, type), current);
  if (next) pairs.emplace_back(current, FrameOf(frames, *next, type));
  for (const auto& [before, after] : pairs) {
    if (before == nullptr || after == nullptr) continue;
    ASSIGN_OR_RETURN(std::vector<RiskTransition> transitions,
                     VeryHighTransitions(*before, *after, index, today_days));
    for (const RiskTransition& transition : transitions) {
      alerts.push_back(RiskAlert(transition, operation_id, created_at));
    }
  }
  return alerts;
}

}  // namespace opendtm::analysis
