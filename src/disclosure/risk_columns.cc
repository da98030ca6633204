#include "disclosure/risk_columns.h"

#include <cmath>
#include <string>
#include <utility>

namespace opendtm::disclosure {
namespace {

constexpr analysis::RiskBand kBands[] = {analysis::RiskBand::kVeryHigh, analysis::RiskBand::kHigh,
                                         analysis::RiskBand::kMedium, analysis::RiskBand::kLower,
                                         analysis::RiskBand::kInsufficientData};

dictionary::ChoiceList BandList() {
  dictionary::ChoiceList list;
  list.name = kRiskBandIndicator;
  for (analysis::RiskBand band : kBands) {
    dictionary::Choice choice;
    choice.name = std::string(analysis::RiskBandName(band));
    choice.label = {{"en", choice.name}};
    list.choices.push_back(std::move(choice));
  }
  return list;
}

dictionary::Indicator Derived(const char* name, const char* label, dictionary::ValueType type,
                              dictionary::Aggregate aggregate, const char* hxl) {
  dictionary::Indicator indicator;
  indicator.name = name;
  indicator.code = "x.risk";
  indicator.module = dictionary::Module::kGbvRisk;
  indicator.label = {{"en", label}};
  indicator.type = type;
  indicator.aggregate = aggregate;
  indicator.hxl = hxl;
  indicator.dissemination_class = dictionary::DisseminationClass::kSensitive;
  return indicator;
}

}  // namespace

Result<FramesWithRisk> WithRiskColumns(const dictionary::Dictionary& dictionary,
                                       std::vector<analysis::Frame> frames,
                                       const analysis::RiskIndex& index, int64_t today_days,
                                       unsigned threads) {
  for (const char* name : {kRiskBandIndicator, kRiskScoreIndicator}) {
    if (dictionary.IndexOf(name) >= 0 || dictionary.FindList(name) != nullptr) {
      return InvalidArgumentError(std::string("the dictionary already has '") + name +
                                  "', the name of the risk index's derived indicator");
    }
  }
  FramesWithRisk result{dictionary, {}};
  result.dictionary.AddChoiceList(BandList());
  dictionary::Indicator band =
      Derived(kRiskBandIndicator, "GBV risk band of the site", dictionary::ValueType::kSelectOne,
              dictionary::Aggregate::kShareOfSites, "#severity+gbv");
  band.list_name = kRiskBandIndicator;
  result.dictionary.AddIndicator(std::move(band));
  result.dictionary.AddIndicator(Derived(kRiskScoreIndicator, "GBV risk score of the site (0-100)",
                                         dictionary::ValueType::kDecimal,
                                         dictionary::Aggregate::kNone, "#severity+num+gbv"));
  for (analysis::Frame& frame : frames) {
    ASSIGN_OR_RETURN(analysis::FrameRisk risk, index.ScoreFrame(frame, today_days, threads));
    analysis::Column band_column;
    band_column.kind = analysis::ColumnKind::kChoice;
    analysis::Column score_column;
    score_column.kind = analysis::ColumnKind::kNumber;
    for (size_t row = 0; row < frame.rows(); ++row) {
      band_column.present.push_back(1);
      band_column.choices.push_back(static_cast<uint16_t>(risk.band[row]));
      std::optional<double> score = risk.Score(row);
      score_column.present.push_back(score ? 1 : 0);
      // Published to one decimal, as `dtm analyze risk` shows it: more digits
      // would claim a precision the index does not have.
      score_column.numbers.push_back(score ? std::round(*score * 10) / 10 : 0);
    }
    frame.columns.push_back(std::move(band_column));
    frame.columns.push_back(std::move(score_column));
  }
  result.frames = std::move(frames);
  return result;
}

}  // namespace opendtm::disclosure
