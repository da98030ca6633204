#include "forms/dictionary_json.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace opendtm::forms {
namespace {

using dictionary::ChoiceList;
using dictionary::Indicator;
using dictionary::LocalizedText;
using dictionary::RiskMapping;
using dictionary::RiskRange;
using dictionary::ValueType;
// Keeps keys in insertion order, so that the document reads like the dictionary.
using Json = nlohmann::ordered_json;

// "en" first, then fr, es, ar, then any other language alphabetically (the
// order of Dictionary::Languages()).
Json TextJson(const LocalizedText& text) {
  static constexpr std::array<std::string_view, 4> kPreferred = {"en", "fr", "es", "ar"};
  Json out = Json::object();
  for (std::string_view language : kPreferred) {
    if (auto it = text.find(language); it != text.end() && !it->second.empty()) {
      out[it->first] = it->second;
    }
  }
  for (const auto& [language, value] : text) {
    bool preferred = std::find(kPreferred.begin(), kPreferred.end(), language) != kPreferred.end();
    if (!preferred && !value.empty()) out[language] = value;
  }
  return out;
}

// Whole numbers as integers ("0", not "0.0").
Json NumberJson(double value) {
  if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 9.0e15) {
    return static_cast<int64_t>(value);
  }
  return value;
}

Json RiskJson(const RiskMapping& risk, const ChoiceList* list, bool select_multiple) {
  Json out = Json::object();
  out["domain"] = dictionary::RiskDomainName(risk.domain);
  if (!risk.points.empty()) {
    Json points = Json::object();
    if (list != nullptr) {
      for (const dictionary::Choice& choice : list->choices) {
        if (auto it = risk.points.find(choice.name); it != risk.points.end()) {
          points[it->first] = it->second;
        }
      }
    }
    for (const auto& [choice, choice_points] : risk.points) {
      if (!points.contains(choice)) points[choice] = choice_points;  // not in the list
    }
    out["points"] = std::move(points);
  }
  if (risk.cap) out["cap"] = *risk.cap;
  if (!risk.ranges.empty()) {
    Json ranges = Json::array();
    for (const RiskRange& range : risk.ranges) {
      Json entry = Json::object();
      if (range.min) entry["min"] = NumberJson(*range.min);
      if (range.max) entry["max"] = NumberJson(*range.max);
      entry["points"] = range.points;
      ranges.push_back(std::move(entry));
    }
    out["ranges"] = std::move(ranges);
  }
  if (risk.when_not_relevant) {
    out["when_not_relevant"] = {{"when", risk.when_not_relevant->when},
                                {"points", risk.when_not_relevant->points}};
  }
  out["max_points"] = risk.MaxPoints(select_multiple);
  return out;
}

Json IndicatorJson(const dictionary::Dictionary& dictionary, const Indicator& indicator) {
  Json out = Json::object();
  auto add_text = [&out](const char* key, const std::string& value) {
    if (!value.empty()) out[key] = value;
  };
  auto add_localized = [&out](const char* key, const LocalizedText& value) {
    Json text = TextJson(value);
    if (!text.empty()) out[key] = std::move(text);
  };
  add_text("name", indicator.name);
  add_text("code", indicator.code);
  out["module"] = dictionary::ModuleName(indicator.module);
  add_localized("label", indicator.label);
  add_localized("hint", indicator.hint);
  out["type"] = indicator.TypeString();
  if (indicator.required == "yes" || indicator.required == "true") {
    out["required"] = true;
  } else {
    add_text("required", indicator.required);
  }
  add_text("relevant", indicator.relevant);
  add_text("constraint", indicator.constraint);
  add_localized("constraint_message", indicator.constraint_message);
  add_text("hxl", indicator.hxl);
  out["class"] = dictionary::ClassName(indicator.dissemination_class);
  out["aggregate"] = dictionary::AggregateName(indicator.aggregate);
  out["indicator_type"] = dictionary::IndicatorTypeName(indicator.indicator_type);
  if (indicator.quasi_identifier) out["quasi_identifier"] = true;
  if (indicator.risk) {
    out["risk"] = RiskJson(*indicator.risk, dictionary.ListOf(indicator),
                           indicator.type == ValueType::kSelectMultiple);
  }
  return out;
}

}  // namespace

std::string DictionaryToJson(const dictionary::Dictionary& dictionary) {
  Json document = Json::object();
  if (!dictionary.version().empty()) document["version"] = dictionary.version();
  if (!dictionary.operation().empty()) document["operation"] = dictionary.operation();

  Json lists = Json::object();
  for (const ChoiceList& list : dictionary.choice_lists()) {
    Json choices = Json::array();
    for (const dictionary::Choice& choice : list.choices) {
      Json entry = Json::object();
      entry["name"] = choice.name;
      entry["label"] = TextJson(choice.label);
      if (!choice.variants.empty()) entry["variants"] = choice.variants;
      choices.push_back(std::move(entry));
    }
    lists[list.name] = std::move(choices);
  }
  if (!lists.empty()) document["choice_lists"] = std::move(lists);

  Json indicators = Json::array();
  for (const Indicator& indicator : dictionary.indicators()) {
    indicators.push_back(IndicatorJson(dictionary, indicator));
  }
  if (!indicators.empty()) document["indicators"] = std::move(indicators);

  // `replace` rather than the default `strict`: a stray invalid byte in a label
  // must not turn into an exception.
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace opendtm::forms
