#include "analysis/trends.h"

#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "core/text.h"

namespace opendtm::analysis {
namespace {

int64_t PeopleAt(const Frame& frame, int indicator, size_t row) {
  if (indicator < 0) return 0;
  const Column& column = frame.columns[indicator];
  if (column.kind != ColumnKind::kInteger || !column.present[row]) return 0;
  return column.integers[row];
}

// The band's place on the risk scale; nullopt for insufficient data.
std::optional<int> Rank(RiskBand band) {
  switch (band) {
    case RiskBand::kLower:
      return 0;
    case RiskBand::kMedium:
      return 1;
    case RiskBand::kHigh:
      return 2;
    case RiskBand::kVeryHigh:
      return 3;
    case RiskBand::kInsufficientData:
      break;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<AreaTrend>> Trends(const Frame& before, const Frame& after,
                                      const dictionary::Dictionary& dictionary,
                                      const RiskIndex& index, Level level, int64_t today_days) {
  if (before.assessment_type != after.assessment_type) {
    return InvalidArgumentError("trends compare rounds of one assessment type");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> areas_before, AreaOfRows(before, dictionary, level));
  ASSIGN_OR_RETURN(std::vector<std::string> areas_after, AreaOfRows(after, dictionary, level));
  const int people = dictionary.IndexOf("ind_total");
  ASSIGN_OR_RETURN(FrameRisk risks_before, index.ScoreFrame(before, today_days));
  ASSIGN_OR_RETURN(FrameRisk risks_after, index.ScoreFrame(after, today_days));
  // The later round's row of each site (the last when a site has several).
  std::unordered_map<std::string, size_t, core::StringHash, std::equal_to<>> row_after;
  for (size_t row = 0; row < after.rows(); ++row) row_after[after.site_ids[row]] = row;
  std::unordered_map<std::string, size_t, core::StringHash, std::equal_to<>> row_before;
  for (size_t row = 0; row < before.rows(); ++row) row_before[before.site_ids[row]] = row;

  std::map<std::string, AreaTrend, std::less<>> by_area;
  std::map<std::string, double, std::less<>> change_sums;  // Σ score changes by area
  for (size_t row = 0; row < after.rows(); ++row) {
    AreaTrend& trend = by_area[areas_after[row]];
    ++trend.sites_after;
    trend.people_after += PeopleAt(after, people, row);
    auto earlier = row_before.find(after.site_ids[row]);
    if (earlier == row_before.end()) {
      ++trend.new_sites;
      continue;
    }
    const std::optional<double> score_was = risks_before.Score(earlier->second);
    const std::optional<double> score_is = risks_after.Score(row);
    if (score_was && score_is) {
      ++trend.scored_in_both;
      change_sums[areas_after[row]] += *score_is - *score_was;
    }
    const std::optional<int> was = Rank(risks_before.band[earlier->second]);
    const RiskBand band = risks_after.band[row];
    const std::optional<int> is = Rank(band);
    if (was && is && *is > *was) {
      ++trend.moved_up;
      if (band == RiskBand::kVeryHigh) ++trend.to_very_high;
    }
    if (was && is && *is < *was) ++trend.moved_down;
  }
  for (size_t row = 0; row < before.rows(); ++row) {
    auto later = row_after.find(before.site_ids[row]);
    // A site reported again counts where it is now.
    AreaTrend& trend =
        by_area[later == row_after.end() ? areas_before[row] : areas_after[later->second]];
    ++trend.sites_before;
    trend.people_before += PeopleAt(before, people, row);
    if (later == row_after.end()) ++trend.closed_sites;
  }
  std::vector<AreaTrend> trends;
  for (auto& [name, trend] : by_area) {
    trend.area = name;
    if (trend.scored_in_both > 0) {
      trend.mean_score_change = change_sums[name] / static_cast<double>(trend.scored_in_both);
    }
    trends.push_back(std::move(trend));
  }
  return trends;
}

std::vector<AdminAreaTrend> AdminFigureTrends(std::span<const AdminAreaTotal> before,
                                              std::span<const AdminAreaTotal> after) {
  std::map<std::string, AdminAreaTrend> areas;
  auto area_of = [](const store::AdminFigure& figure) -> const std::string& {
    if (figure.admin_level == 2) return figure.admin2_pcode;
    if (figure.admin_level == 1) return figure.admin1_pcode;
    return figure.country;
  };
  for (const AdminAreaTotal& total : before) {
    AdminAreaTrend& trend = areas[area_of(total.figure)];
    trend.records_before += total.records;
    trend.people_before += total.figure.num_present_idp_ind;
  }
  for (const AdminAreaTotal& total : after) {
    AdminAreaTrend& trend = areas[area_of(total.figure)];
    trend.records_after += total.records;
    trend.people_after += total.figure.num_present_idp_ind;
  }
  std::vector<AdminAreaTrend> trends;
  trends.reserve(areas.size());
  for (auto& [area, trend] : areas) {
    trend.area = area;
    trend.new_area = trend.records_before == 0;
    trend.no_longer_published = trend.records_after == 0;
    trends.push_back(std::move(trend));
  }
  return trends;
}

}  // namespace opendtm::analysis
