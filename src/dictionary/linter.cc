#include "dictionary/linter.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace opendtm::dictionary {
namespace {

bool IsGbvModule(Module module) {
  return module == Module::kGbvRisk || module == Module::kProtection;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// True when `phrase` occurs in `text` with no letter or digit on either side.
bool ContainsWords(std::string_view text, std::string_view phrase) {
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (size_t at = text.find(phrase); at != std::string_view::npos;
       at = text.find(phrase, at + 1)) {
    bool starts = at == 0 || !is_word(text[at - 1]);
    size_t end = at + phrase.size();
    bool ends = end == text.size() || !is_word(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

// Words of a machine name ("survivor_age" -> {"survivor", "age"}).
std::vector<std::string> NameWords(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  for (char c : name) {
    if (c == '_') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// What makes a question about one person or one incident rather than about the
// site. Names are matched word by word; English labels by phrase, so that the
// site-level "Have incidents been reported?" stays allowed.
std::string IndividualReason(const Indicator& indicator) {
  static const std::set<std::string, std::less<>> kPersonWords = {
      "survivor", "survivors", "victim", "victims", "perpetrator", "perpetrators",
      "name",     "names",     "age",    "dob",     "birth",       "phone",
      "address",  "surname"};
  for (const std::string& word : NameWords(indicator.name)) {
    if (kPersonWords.count(word)) {
      return "its name refers to a person ('" + word + "')";
    }
  }
  // Phrases about one person ("the survivor"), not about services for people in
  // general ("a referral mechanism for GBV survivors"); matched as whole words,
  // so that "Percentage of" does not read as "age of".
  static const std::vector<std::string> kPersonPhrases = {
      "the survivor", "the victim", "the perpetrator", "name of", "age of", "date of birth",
      "date of the incident", "incident date", "when did the incident", "phone number",
      "who was"};
  std::string label = Lower(TextIn(indicator.label, "en"));
  for (const std::string& phrase : kPersonPhrases) {
    if (ContainsWords(label, phrase)) {
      return "its question asks about a person or an incident ('" + phrase + "')";
    }
  }
  if (indicator.type == ValueType::kDate) {
    return "it records a date, which in this module dates an incident";
  }
  if (indicator.type == ValueType::kGeopoint) {
    return "it records a point location, which in this module locates an incident or a person";
  }
  return {};
}

}  // namespace

std::string LintFinding::ToString() const {
  return location.file + ":" + std::to_string(location.line) + ": " + rule + ": " + indicator +
         ": " + message;
}

LintReport LintDictionary(const Dictionary& dictionary) {
  LintReport report;
  std::set<RiskDomain> domains;
  auto add = [&report](std::string_view rule, const Indicator& indicator, std::string message) {
    report.findings.push_back(
        {std::string(rule), indicator.location, indicator.name, std::move(message)});
  };

  for (const Indicator& indicator : dictionary.indicators()) {
    if (indicator.risk) {
      ++report.scored_indicators;
      domains.insert(indicator.risk->domain);
    }
    std::string module(ModuleName(indicator.module));
    bool is_pii = indicator.dissemination_class == DisseminationClass::kPii;

    // Rule 1: what a GBV or protection question may never be.
    if (IsGbvModule(indicator.module)) {
      if (indicator.type == ValueType::kText) {
        add(kRuleFreeText, indicator,
            "free-text question in the " + module +
                " module: free text can carry a survivor's story or a name; use a select "
                "list or a count");
      }
      if (is_pii) {
        add(kRulePii, indicator,
            "pii question in the " + module +
                " module: no personal data may be collected with GBV or protection "
                "questions");
      }
      if (std::string reason = IndividualReason(indicator); !reason.empty()) {
        add(kRuleIndividual, indicator,
            "asks about an individual person or incident in the " + module + " module: " +
                reason + "; GBV risk is measured at site level only");
      }
    }

    // Rule 2: pii is never stored, so nothing may be built on it.
    if (is_pii) {
      std::vector<std::string> uses;
      if (indicator.aggregate != Aggregate::kNone) {
        uses.push_back("aggregated (" + std::string(AggregateName(indicator.aggregate)) + ")");
      }
      if (indicator.risk) uses.push_back("scored");
      if (!indicator.hxl.empty()) uses.push_back("tagged for export (" + indicator.hxl + ")");
      if (indicator.quasi_identifier) uses.push_back("a quasi-identifier");
      for (const std::string& use : uses) {
        add(kRulePii, indicator,
            "pii values are never stored, so a pii question cannot be " + use);
      }
    }
  }
  report.scored_domains = static_cast<int>(domains.size());
  report.unchecked.push_back(
      "rule 3 (GBV questions only where the operation has a GBV referral service) is not yet "
      "checked: it needs the service directory");
  return report;
}

}  // namespace opendtm::dictionary
