#include "analysis/area_risk.h"

#include <algorithm>
#include <map>
#include <string_view>

namespace opendtm::analysis {
namespace {

// An integer column's value of a row, nullopt when absent or not an integer column.
std::optional<int64_t> IntegerAt(const Frame& frame, int indicator, size_t row) {
  if (indicator < 0) return std::nullopt;
  const Column& column = frame.columns[indicator];
  if (column.kind != ColumnKind::kInteger || !column.present[row]) return std::nullopt;
  return column.integers[row];
}

struct Sums {
  AreaRisk risk;
  double score_sum = 0;
  int64_t scored = 0;
  double weighted_sum = 0;
  double weights = 0;
};

}  // namespace

Result<std::vector<AreaRisk>> RiskByArea(const Frame& frame,
                                         const dictionary::Dictionary& dictionary,
                                         const FrameRisk& risks, Level level) {
  if (risks.rows() != frame.rows()) {
    return InvalidArgumentError(std::to_string(risks.rows()) + " risk scores for a frame of " +
                                std::to_string(frame.rows()) + " rows");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> areas, AreaOfRows(frame, dictionary, level));
  const int people = dictionary.IndexOf("ind_total");
  const int women_and_girls = dictionary.IndexOf("f_total");
  std::map<std::string, Sums, std::less<>> by_area;  // sorted by name
  for (size_t row = 0; row < frame.rows(); ++row) {
    const std::optional<double> score = risks.Score(row);
    const RiskBand band = risks.band[row];
    Sums& sums = by_area[areas[row]];
    sums.risk.area = areas[row];
    ++sums.risk.sites;
    ++sums.risk.sites_per_band[static_cast<size_t>(band)];
    const std::optional<int64_t> individuals = IntegerAt(frame, people, row);
    if (score) {
      sums.score_sum += *score;
      ++sums.scored;
      if (individuals) {
        sums.weighted_sum += *score * static_cast<double>(*individuals);
        sums.weights += static_cast<double>(*individuals);
      }
    }
    if (band == RiskBand::kHigh || band == RiskBand::kVeryHigh) {
      sums.risk.people_high_or_very_high += individuals.value_or(0);
      sums.risk.women_and_girls_high_or_very_high +=
          IntegerAt(frame, women_and_girls, row).value_or(0);
    }
  }
  std::vector<AreaRisk> result;
  for (auto& [name, sums] : by_area) {
    if (sums.scored > 0) sums.risk.mean_score = sums.score_sum / static_cast<double>(sums.scored);
    if (sums.weights > 0) sums.risk.weighted_mean_score = sums.weighted_sum / sums.weights;
    result.push_back(std::move(sums.risk));
  }
  return result;
}

}  // namespace opendtm::analysis
