// The resolved text of a dictionary: what the store keeps for an operation.
//
// An operation's file extends the default dictionary (`extends:`, loader.h);
// the store must keep what decided the operation's classes whatever happens
// later to the files it named, so it keeps the dictionary *resolved*: one
// YAML document with the chain of `extends:` flattened. Flattening follows
// the loader's rules exactly: the extension's version and operation replace
// the base's (no `operation:` in the extension means none), its risk_bands
// keys replace the base's one by one, its choice lists are added and its
// choices appended to the lists it shares with the base, and its indicators
// follow the base's. A file that extends nothing resolves to its own text,
// byte for byte (the built-in default's hash is the file's SHA-256).
//
// Loading a resolved text gives a dictionary equal to the file's (every
// indicator, list, choice, class, type and risk mapping; only the source
// lines differ).
//
// Thread-safety: pure functions (they read the files named by `extends:`).
#ifndef OPENDTM_DICTIONARY_RESOLVED_YAML_H_
#define OPENDTM_DICTIONARY_RESOLVED_YAML_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "dictionary/dictionary.h"

namespace opendtm::dictionary {

// The resolved text of the dictionary file at `path`, after checking that
// the file loads (LoadDictionaryFile). Errors: those of LoadDictionaryFile.
Result<std::string> ResolveDictionaryFile(const std::string& path);

// Loads a resolved text as the store holds it. `source_name` names it in
// messages ("operation demo-nga, dictionary version 2"). Errors:
// InvalidArgument when the text has an `extends:` key (a resolved text
// never names another file, and none is read on its behalf), and those of
// LoadDictionaryText.
Result<Dictionary> LoadResolvedDictionary(std::string_view resolved_yaml,
                                          const std::string& source_name);

}  // namespace opendtm::dictionary

#endif  // OPENDTM_DICTIONARY_RESOLVED_YAML_H_
