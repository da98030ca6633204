// DictionaryToJson: the data dictionary, machine-readable, for the API, the
// dashboard and scripts that need indicator metadata without a YAML parser.
//
// Shape (keys in this order; a key whose value is empty is left out):
//   {"version": "2026.11.1",
//    "operation": "nga",                       // only for an operation's dictionary
//    "choice_lists": {LIST: [{"name", "label": {LANG: TEXT}, "variants": [...]}]},
//    "indicators": [{"name", "code", "module", "label": {LANG: TEXT}, "hint",
//                    "type",                    // XLSForm type string: "select_one lighting",
//                                               // "integer", "pcode 2"
//                    "required",                // true, or an XLSForm expression
//                    "relevant", "constraint", "constraint_message",
//                    "hxl", "class", "aggregate", "indicator_type",
//                    "quasi_identifier",        // only when true
//                    "risk": {"domain", "points": {CHOICE: N}, "cap",
//                             "ranges": [{"min", "max", "points"}],
//                             "when_not_relevant": {"when", "points"},
//                             "max_points"}}]}
// Lists and indicators are in dictionary order, risk points in the order of the
// choice list, texts with "en" first, then fr, es, ar, then other languages
// alphabetically. Pretty-printed with a 2-space indent, UTF-8 (text that is not
// valid UTF-8 is written with U+FFFD in its place), ending with a newline.
//
// Thread-safety: a pure function.
#ifndef OPENDTM_FORMS_DICTIONARY_JSON_H_
#define OPENDTM_FORMS_DICTIONARY_JSON_H_

#include <string>

#include "dictionary/dictionary.h"

namespace opendtm::forms {

std::string DictionaryToJson(const dictionary::Dictionary& dictionary);

}  // namespace opendtm::forms

#endif  // OPENDTM_FORMS_DICTIONARY_JSON_H_
