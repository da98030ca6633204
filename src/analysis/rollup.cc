#include "analysis/rollup.h"

#include <algorithm>
#include <unordered_map>

#include "core/text.h"

namespace opendtm::analysis {

using dictionary::Aggregate;
using dictionary::Indicator;
using dictionary::ValueType;

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kSite:
      return "site";
    case Level::kAdmin3:
      return "admin3";
    case Level::kAdmin2:
      return "admin2";
    case Level::kAdmin1:
      return "admin1";
    case Level::kCountry:
      return "country";
  }
  return "site";
}

namespace {

std::string_view LevelIndicator(Level level) {
  switch (level) {
    case Level::kAdmin3:
      return "adm3_pcode";
    case Level::kAdmin2:
      return "adm2_pcode";
    case Level::kAdmin1:
      return "adm1_pcode";
    case Level::kCountry:
      return "adm0_pcode";
    case Level::kSite:
      break;
  }
  return "";
}

// A column's value of one row as a number (nullopt when absent or not numeric).
std::optional<double> NumberAt(const Column& column, size_t row) {
  if (!column.present[row]) return std::nullopt;
  if (column.kind == ColumnKind::kInteger) return static_cast<double>(column.integers[row]);
  if (column.kind == ColumnKind::kNumber) return column.numbers[row];
  return std::nullopt;
}

}  // namespace

Result<std::vector<std::string>> AreaOfRows(const Frame& frame,
                                            const dictionary::Dictionary& dictionary,
                                            Level level) {
  if (frame.columns.size() != dictionary.indicators().size()) {
    return InvalidArgumentError("the frame has " + std::to_string(frame.columns.size()) +
                                " columns; the dictionary has " +
                                std::to_string(dictionary.indicators().size()) + " indicators");
  }
  if (level == Level::kSite) return frame.site_ids;
  const int area_indicator = dictionary.IndexOf(LevelIndicator(level));
  if (area_indicator < 0 || frame.columns[area_indicator].kind != ColumnKind::kText) {
    return InvalidArgumentError("the dictionary has no text indicator " +
                                std::string(LevelIndicator(level)) + " for the " +
                                std::string(LevelName(level)) + " level");
  }
  const Column& column = frame.columns[area_indicator];
  std::vector<std::string> areas(frame.rows());
  for (size_t row = 0; row < frame.rows(); ++row) {
    if (column.present[row]) areas[row] = column.texts[row];
  }
  return areas;
}

Result<std::vector<AreaTotals>> RollUp(const Frame& frame,
                                       const dictionary::Dictionary& dictionary, Level level) {
  const std::vector<Indicator>& indicators = dictionary.indicators();
  ASSIGN_OR_RETURN(std::vector<std::string> area_names, AreaOfRows(frame, dictionary, level));
  const int people_indicator = dictionary.IndexOf("ind_total");

  // What each indicator adds up to.
  std::vector<uint8_t> summed(indicators.size(), 0);
  std::vector<size_t> answers(indicators.size(), 0);  // choices + 1 for shares; 0 otherwise
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const Indicator& indicator = indicators[indicator_idx];
    const ColumnKind kind = frame.columns[indicator_idx].kind;
    if (indicator.aggregate == Aggregate::kSum &&
        (kind == ColumnKind::kInteger || kind == ColumnKind::kNumber)) {
      summed[indicator_idx] = 1;
    }
    if (indicator.aggregate == Aggregate::kShareOfSites && kind == ColumnKind::kChoice) {
      const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
      if (list != nullptr) answers[indicator_idx] = list->choices.size() + 1;
    }
  }

  std::vector<AreaTotals> areas;
  std::unordered_map<std::string, size_t, core::StringHash, std::equal_to<>> area_of;
  for (size_t row = 0; row < frame.rows(); ++row) {
    const std::string& name = area_names[row];
    auto [it, added] = area_of.try_emplace(name, areas.size());
    if (added) {
      AreaTotals& fresh = areas.emplace_back();
      fresh.area = name;
      fresh.sums.resize(indicators.size());
      fresh.reporting.resize(indicators.size());
      fresh.answer_sites.resize(indicators.size());
      fresh.answer_people.resize(indicators.size());
      for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
        fresh.answer_sites[indicator_idx].resize(answers[indicator_idx]);
        fresh.answer_people[indicator_idx].resize(answers[indicator_idx]);
      }
    }
    AreaTotals& area = areas[it->second];
    ++area.sites;
    const double people =
        people_indicator >= 0 ? NumberAt(frame.columns[people_indicator], row).value_or(0) : 0;
    area.people += people;
    for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
      const Column& column = frame.columns[indicator_idx];
      if (summed[indicator_idx]) {
        if (std::optional<double> value = NumberAt(column, row)) {
          area.sums[indicator_idx] += *value;
          ++area.reporting[indicator_idx];
        }
      } else if (answers[indicator_idx] > 0) {
        const size_t slot = column.present[row] ? column.choices[row] : answers[indicator_idx] - 1;
        ++area.answer_sites[indicator_idx][slot];
        area.answer_people[indicator_idx][slot] += people;
        if (column.present[row]) ++area.reporting[indicator_idx];
      }
    }
  }
  std::sort(areas.begin(), areas.end(),
            [](const AreaTotals& a, const AreaTotals& b) { return a.area < b.area; });
  return areas;
}

}  // namespace opendtm::analysis
