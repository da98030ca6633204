// Versions only add: comparing a dictionary with the version before it.
//
// DTM's rule is that an attribute collected before is never changed or removed
// when new indicators are added, so that every round stays comparable with the
// ones before it. CompareDictionaries lists every difference between two
// versions and marks the ones that break the rule:
//
//   breaking:   removed indicator, removed choice list, removed choice, changed
//               type / choice list / DTM code / module of an indicator, changed
//               meaning (English label) of a choice, a version number that did
//               not increase although the content changed
//   additions:  added indicator, list or choice, and other edits (question
//               wording, translations, class, HXL, risk points) reported for
//               review but allowed
//
// Thread-safety: pure functions.
#ifndef OPENDTM_DICTIONARY_COMPATIBILITY_H_
#define OPENDTM_DICTIONARY_COMPATIBILITY_H_

#include <string>
#include <vector>

#include "dictionary/dictionary.h"

namespace opendtm::dictionary {

struct DictionaryChange {
  bool breaking = false;
  // What changed, for people: "removed choice lighting/none",
  // "changed type of indicator round: integer -> decimal", "added indicator fuel".
  std::string message;
  // Where to look: the declaration in the NEW dictionary, or in the OLD one for
  // something that was removed.
  SourceLocation location;
};

// Every difference between `previous` and `next`, breaking ones first, each
// group in dictionary order.
std::vector<DictionaryChange> CompareDictionaries(const Dictionary& previous,
                                                  const Dictionary& next);

// True when any change breaks the "versions only add" rule.
bool HasBreakingChange(const std::vector<DictionaryChange>& changes);

}  // namespace opendtm::dictionary

#endif  // OPENDTM_DICTIONARY_COMPATIBILITY_H_
