#include "cli/operation_release.h"

#include <algorithm>
#include <functional>
#include <map>
#include <utility>

#include "analysis/admin_figures.h"
#include "cli/site_data_release.h"
#include "cli/store_access.h"
#include "disclosure/admin_figure_release.h"

namespace opendtm::cli {
namespace {

std::string LevelsText(const std::vector<analysis::Level>& levels) {
  std::string text;
  for (analysis::Level level : levels) {
    if (!text.empty()) text += ", ";
    text += analysis::LevelName(level);
  }
  return text;
}

// Why the admin-level figures of `operation` give no row at `levels`.
std::string AdminFiguresEmptyReason(const store::Operation& operation,
                                    const std::vector<store::AdminFigure>& in_rounds,
                                    const std::vector<analysis::Level>& levels,
                                    const std::string& round_text) {
  if (in_rounds.empty()) {
    return "'" + operation.name + "' has no admin-level figure in round(s) " + round_text;
  }
  int finest = 0;
  for (const store::AdminFigure& figure : in_rounds) finest = std::max(finest, figure.admin_level);
  return "'" + operation.name + "' publishes admin-level figures down to " +
         std::string(analysis::LevelName(analysis::LevelOfAdmin(finest))) + " only: none at " +
         LevelsText(levels) + " in round(s) " + round_text;
}

Result<OperationRelease> AdminFigureRelease(store::Store& store,
                                            const dictionary::Dictionary& dictionary,
                                            const store::Operation& operation, DisclosedRead& read,
                                            const std::vector<analysis::Level>& levels,
                                            const std::string& round_text,
                                            std::vector<store::AdminFigure> figures) {
  // Admin-level figures name their rounds without the operation having
  // rounds of site data: "all" is every stored figure.
  std::pair<int, int> rounds{0, 1'000'000};
  if (round_text != "all") {
    ASSIGN_OR_RETURN(rounds, RoundRange(round_text, store, operation.id));
  }
  std::vector<store::AdminFigure> in_rounds;
  for (store::AdminFigure& figure : figures) {
    if (figure.round >= rounds.first && figure.round <= rounds.second) {
      in_rounds.push_back(std::move(figure));
    }
  }
  ASSIGN_OR_RETURN(std::vector<store::AdminAreaRecord> areas, store.AdminAreas(operation.country));
  std::map<std::string, std::string, std::less<>> names;
  for (const store::AdminAreaRecord& area : areas) names[area.pcode] = area.name;
  disclosure::AdminFigureTableRequest request;
  request.tier = read.tier();
  request.policy = read.policy();
  request.levels = levels;
  request.first_round = rounds.first;
  request.last_round = rounds.second;
  request.operation = operation.name;
  request.country = operation.country;
  request.area_names = &names;
  Result<disclosure::Release> release =
      disclosure::ReleaseAdminFigureTables(in_rounds, dictionary, request);
  if (!release.ok()) {
    if (release.status().code() == StatusCode::kPermissionDenied) {
      return read.Refuse(release.status());
    }
    return release.status();
  }
  OperationRelease result{std::move(*release), ""};
  if (result.release.rows.empty()) {
    result.empty_reason = AdminFiguresEmptyReason(operation, in_rounds, levels, round_text);
  }
  return result;
}

}  // namespace

Result<OperationRelease> ReleaseOperation(store::Store& store,
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
  ASSIGN_OR_RETURN(std::vector<store::Round> site_rounds, store.ListRounds(operation.id));
  if (site_rounds.empty()) {
    ASSIGN_OR_RETURN(std::vector<store::AdminFigure> figures, store.AdminFigures(operation.id));
    if (!figures.empty()) {
      return AdminFigureRelease(store, dictionary, operation, read, levels, round_text,
                                std::move(figures));
    }
  }
  ASSIGN_OR_RETURN(disclosure::Release release,
                   SiteDataRelease(store, dictionary, operation, read, levels, round_text, audit));
  OperationRelease result{std::move(release), ""};
  if (!result.release.rows.empty()) return result;
  if (site_rounds.empty()) {
    result.empty_reason = "'" + operation.name + "' has no round: nothing was ingested for it";
  } else if (result.release.rounds.empty()) {
    result.empty_reason =
        "'" + operation.name + "' has no accepted submission in round(s) " + round_text;
  } else {
    result.empty_reason = "no row at " + LevelsText(levels) + " for tier " +
                          std::string(store::TierName(read.tier())) + " in round(s) " + round_text +
                          " of '" + operation.name + "'";
    if (result.release.admin3_withheld > 0) {
      result.empty_reason += ": " + std::to_string(result.release.admin3_withheld) +
                             " admin3 rows withheld by the microdata gate";
    }
  }
  return result;
}

}  // namespace opendtm::cli
