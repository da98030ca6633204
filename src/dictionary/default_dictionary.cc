#include "dictionary/default_dictionary.h"

#include <string>

#include "dictionary/loader.h"

namespace opendtm::dictionary {

// DefaultDictionaryYaml() is defined in the generated default_dictionary_text.cc.

Result<Dictionary> LoadDefaultDictionary() {
  return LoadDictionaryText(DefaultDictionaryYaml(), std::string(kDefaultDictionarySource));
}

const std::string& DefaultDictionaryVersion() {
  // Immutable once initialised (thread-safe static initialisation).
  static const std::string version = [] {
    Result<Dictionary> loaded = LoadDefaultDictionary();
    return loaded.ok() ? loaded->version() : std::string();
  }();
  return version;
}

}  // namespace opendtm::dictionary
