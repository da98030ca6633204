#include "cli/site_data_release.h"

#include <algorithm>
#include <map>
#include <thread>
#include <utility>

#include "analysis/frame.h"
#include "analysis/risk_index.h"
#include "cli/store_access.h"
#include "core/date.h"
#include "disclosure/release_builder.h"
#include "disclosure/risk_columns.h"

namespace opendtm::cli {

Status LevelRefusal(const disclosure::TierRules& rules, analysis::Level level) {
  const std::string tier(store::TierName(rules.tier));
  if (level == analysis::Level::kSite) {
    return PermissionDeniedError("tier " + tier +
                                 " may not receive site rows: it sees aggregates at " +
                                 std::string(analysis::LevelName(rules.finest_aggregate)) +
                                 " and above (spec/disclosure.md, tier matrix)");
  }
  return PermissionDeniedError("tier " + tier + " may not receive " +
                               std::string(analysis::LevelName(level)) +
                               " figures: it sees aggregates at " +
                               std::string(analysis::LevelName(rules.finest_aggregate)) +
                               " and above (spec/disclosure.md, tier matrix)");
}

Result<disclosure::Release> SiteDataRelease(store::Store& store,
                                            const dictionary::Dictionary& dictionary,
                                            const store::Operation& operation, DisclosedRead& read,
                                            const std::vector<analysis::Level>& levels,
                                            const std::string& round_text,
                                            disclosure::ProtectionAuditReport* audit) {
  for (analysis::Level level : levels) {
    if (!disclosure::LevelVisible(read.rules(), level)) {
      return read.Refuse(LevelRefusal(read.rules(), level));
    }
  }
  ASSIGN_OR_RETURN(auto rounds, RoundRange(round_text, store, operation.id));
  ASSIGN_OR_RETURN(
      std::vector<analysis::Frame> frames,
      analysis::LoadFrames(store, dictionary, operation.id, rounds.first, rounds.second));
  // The GBV risk index travels as two sensitive derived indicators
  // (disclosure/risk_columns.h); a dictionary without scored items has none.
  disclosure::FramesWithRisk with_risk{dictionary, std::move(frames)};
  if (Result<analysis::RiskIndex> index = analysis::RiskIndex::Create(dictionary);
      index.ok() && !dictionary.ScoredIndicators().empty()) {
    ASSIGN_OR_RETURN(
        with_risk, disclosure::WithRiskColumns(dictionary, std::move(with_risk.frames), *index,
                                               core::DaysSinceEpoch(Today()),
                                               std::max(1u, std::thread::hardware_concurrency())));
  }
  ASSIGN_OR_RETURN(std::vector<store::AdminAreaRecord> areas, store.AdminAreas(operation.country));
  std::map<std::string, std::string, std::less<>> names;
  for (const store::AdminAreaRecord& area : areas) names[area.pcode] = area.name;
  disclosure::ReleaseRequest request;
  request.tier = read.tier();
  request.policy = read.policy();
  request.levels = levels;
  request.operation = operation.name;
  request.country = operation.country;
  request.area_names = &names;
  request.audit = audit;
  request.threads = std::max(1u, std::thread::hardware_concurrency());
  Result<disclosure::Release> release =
      disclosure::BuildRelease(with_risk.frames, with_risk.dictionary, request);
  if (!release.ok() && release.status().code() == StatusCode::kPermissionDenied) {
    return read.Refuse(release.status());
  }
  return release;
}

}  // namespace opendtm::cli
