// The GBV-safe form linter: the rules of spec/dictionary.md that keep survivors
// and individuals out of a site assessment.
//
//   gbv-free-text   rule 1: no free-text question in gbv_risk or protection
//   gbv-pii         rule 1: no pii question in gbv_risk or protection;
//                   rule 2: a pii question is never stored, so it must not be
//                   aggregated, scored, tagged for export or used as a
//                   quasi-identifier
//   gbv-individual  rule 1: no question about an individual person or incident
//                   (names, ages of survivors, incident dates) in gbv_risk or
//                   protection
//
// Rule 3 (GBV questions only where a referral pathway exists) needs the service
// directory and is reported as not yet checked.
//
// Findings are data: a dictionary with findings is still a loaded dictionary.
// Thread-safety: pure functions.
#ifndef OPENDTM_DICTIONARY_LINTER_H_
#define OPENDTM_DICTIONARY_LINTER_H_

#include <string>
#include <vector>

#include "dictionary/dictionary.h"

namespace opendtm::dictionary {

inline constexpr std::string_view kRuleFreeText = "gbv-free-text";
inline constexpr std::string_view kRulePii = "gbv-pii";
inline constexpr std::string_view kRuleIndividual = "gbv-individual";

struct LintFinding {
  std::string rule;       // one of the kRule* ids
  SourceLocation location;
  std::string indicator;  // the indicator's name
  std::string message;    // what is wrong and what to do

  // "FILE:LINE: RULE: indicator: message"
  std::string ToString() const;
};

struct LintReport {
  std::vector<LintFinding> findings;
  int scored_indicators = 0;  // indicators with a risk mapping
  int scored_domains = 0;     // distinct risk domains among them
  // Rules that could not be applied, and why.
  std::vector<std::string> unchecked;

  bool clean() const { return findings.empty(); }
};

// Applies rules 1 and 2 to every indicator of `dictionary`.
LintReport LintDictionary(const Dictionary& dictionary);

}  // namespace opendtm::dictionary

#endif  // OPENDTM_DICTIONARY_LINTER_H_
