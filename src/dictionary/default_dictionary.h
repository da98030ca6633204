// The default dictionary as compiled into the binary.
//
// dictionary/dtm-default.yaml is embedded at build time (the build generates
// the definition of DefaultDictionaryYaml), so that what is sensitive never
// depends on a file of the current directory, an option or an environment
// variable: an operation's dictionary is the one its store holds, and the
// store gives every new operation this one (store/store.h).
//
// Thread-safety: pure functions over constant data.
#ifndef OPENDTM_DICTIONARY_DEFAULT_DICTIONARY_H_
#define OPENDTM_DICTIONARY_DEFAULT_DICTIONARY_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "dictionary/dictionary.h"

namespace opendtm::dictionary {

// The source name the embedded default dictionary is loaded under, in
// messages and as Dictionary::source_file().
inline constexpr std::string_view kDefaultDictionarySource = "<built-in dtm-default.yaml>";

// The bytes of dictionary/dtm-default.yaml as they were at build time
// (comments included); lives as long as the program.
std::string_view DefaultDictionaryYaml();

// The `version:` of the built-in default dictionary ("2026.11.1"), read once;
// "" if it does not load (see LoadDefaultDictionary).
const std::string& DefaultDictionaryVersion();

// DefaultDictionaryYaml() loaded and checked. Errors: those of
// LoadDictionaryText, which a build whose tests pass never returns.
Result<Dictionary> LoadDefaultDictionary();

}  // namespace opendtm::dictionary

#endif  // OPENDTM_DICTIONARY_DEFAULT_DICTIONARY_H_
