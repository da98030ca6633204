// Classes only go up: comparing an operation's dictionary with the one
// that replaces it.
//
// The classes and quasi-identifiers of an operation's dictionary decide what
// each tier receives (spec/disclosure.md). A new version may raise an
// indicator's class (public < sensitive < urgent), never lower it; a pii
// indicator stays pii (it was never stored, and a later version must not
// start releasing the column); a quasi-identifier stays one. Versions only
// add (compatibility.h) is a separate rule: a caller checks both.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_DICTIONARY_PROTECTION_CHANGES_H_
#define OPENDTM_DICTIONARY_PROTECTION_CHANGES_H_

#include <string>
#include <vector>

#include "dictionary/dictionary.h"

namespace opendtm::dictionary {

// Every change from `previous` to `next` that protects an indicator less, in
// `previous`'s order, one message each: "lowers the class of indicator
// security_on_site from sensitive to public", "indicator uasc is no longer a
// quasi_identifier". Indicators absent from `next` are not listed here
// (removing one breaks compatibility.h's rule). Empty when nothing is lowered.
std::vector<std::string> LoweredProtections(const Dictionary& previous, const Dictionary& next);

}  // namespace opendtm::dictionary

#endif  // OPENDTM_DICTIONARY_PROTECTION_CHANGES_H_
