#include "dictionary/dictionary.h"

#include <algorithm>
#include <charconv>

namespace opendtm::dictionary {

const Indicator* Dictionary::FindIndicator(std::string_view name) const {
  for (const Indicator& indicator : indicators_) {
    if (indicator.name == name) return &indicator;
  }
  return nullptr;
}

int Dictionary::IndexOf(std::string_view name) const {
  for (size_t indicator_idx = 0; indicator_idx < indicators_.size(); ++indicator_idx) {
    if (indicators_[indicator_idx].name == name) return static_cast<int>(indicator_idx);
  }
  return -1;
}

const ChoiceList* Dictionary::FindList(std::string_view name) const {
  for (const ChoiceList& list : choice_lists_) {
    if (list.name == name) return &list;
  }
  return nullptr;
}

ChoiceList* Dictionary::MutableList(std::string_view name) {
  for (ChoiceList& list : choice_lists_) {
    if (list.name == name) return &list;
  }
  return nullptr;
}

const ChoiceList* Dictionary::ListOf(const Indicator& indicator) const {
  return indicator.is_select() ? FindList(indicator.list_name) : nullptr;
}

std::vector<std::string> Dictionary::Languages() const {
  std::vector<std::string> found;
  auto collect = [&found](const LocalizedText& text) {
    for (const auto& [language, value] : text) {
      if (!value.empty() && std::find(found.begin(), found.end(), language) == found.end()) {
        found.push_back(language);
      }
    }
  };
  for (const Indicator& indicator : indicators_) collect(indicator.label);
  for (const ChoiceList& list : choice_lists_) {
    for (const Choice& choice : list.choices) collect(choice.label);
  }
  // "en" first, then the other DTM languages, then anything else alphabetically.
  auto rank = [](const std::string& language) {
    static const std::vector<std::string> kPreferred = {"en", "fr", "es", "ar"};
    auto it = std::find(kPreferred.begin(), kPreferred.end(), language);
    return static_cast<int>(it - kPreferred.begin());
  };
  std::sort(found.begin(), found.end(), [&rank](const std::string& a, const std::string& b) {
    int rank_a = rank(a);
    int rank_b = rank(b);
    return rank_a != rank_b ? rank_a < rank_b : a < b;
  });
  return found;
}

std::vector<const Indicator*> Dictionary::IndicatorsIn(Module module) const {
  std::vector<const Indicator*> out;
  for (const Indicator& indicator : indicators_) {
    if (indicator.module == module) out.push_back(&indicator);
  }
  return out;
}

std::vector<const Indicator*> Dictionary::ScoredIndicators() const {
  std::vector<const Indicator*> out;
  for (const Indicator& indicator : indicators_) {
    if (indicator.risk) out.push_back(&indicator);
  }
  return out;
}

int CompareVersions(std::string_view a, std::string_view b) {
  // Compare part by part; a missing part sorts first ("2026.11" < "2026.11.1").
  while (!a.empty() || !b.empty()) {
    size_t a_end = std::min(a.find_first_of(".-"), a.size());
    size_t b_end = std::min(b.find_first_of(".-"), b.size());
    std::string_view a_part = a.substr(0, a_end);
    std::string_view b_part = b.substr(0, b_end);
    if (a_part.empty() != b_part.empty()) return a_part.empty() ? -1 : 1;
    long long a_number = 0;
    long long b_number = 0;
    auto a_parsed = std::from_chars(a_part.data(), a_part.data() + a_part.size(), a_number);
    auto b_parsed = std::from_chars(b_part.data(), b_part.data() + b_part.size(), b_number);
    bool a_numeric = a_parsed.ec == std::errc() && a_parsed.ptr == a_part.data() + a_part.size();
    bool b_numeric = b_parsed.ec == std::errc() && b_parsed.ptr == b_part.data() + b_part.size();
    if (a_numeric && b_numeric) {
      if (a_number != b_number) return a_number < b_number ? -1 : 1;
    } else if (int cmp = a_part.compare(b_part); cmp != 0) {
      return cmp < 0 ? -1 : 1;
    }
    a = a_end < a.size() ? a.substr(a_end + 1) : std::string_view();
    b = b_end < b.size() ? b.substr(b_end + 1) : std::string_view();
  }
  return 0;
}

}  // namespace opendtm::dictionary
