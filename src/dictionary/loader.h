// Loading a data dictionary from YAML, and checking that it is well formed.
//
// The file format is documented in dictionary/README.md. The loader checks
// everything that makes a dictionary usable (names, types, lists, labels,
// expressions, risk mappings, unknown keys) and reports *every* problem it
// finds, one per line, each naming the file, the line, the indicator (or list)
// and the problem:
//
//   dictionary/ops.yaml:41: indicator lighting_hours: unknown choice list 'hours'
//
// GBV-safety rules are not the loader's job: see linter.h.
//
// An operation's file extends the default dictionary:
//
//   extends: ../dictionary/dtm-default.yaml   # path relative to this file
//   operation: nga
//   version: 2026.11.1-nga.1
//   choice_lists: {...}   # new lists, or new choices appended to existing ones
//   indicators: [...]     # new indicators, each with indicator_type: mission
//
// and is held to the same rules: it may only add.
#ifndef OPENDTM_DICTIONARY_LOADER_H_
#define OPENDTM_DICTIONARY_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "dictionary/dictionary.h"

namespace opendtm::dictionary {

// Loads and checks the dictionary in `path` (following `extends:`).
// Errors: NotFound when a file cannot be read; InvalidArgument when the YAML is
// malformed or the dictionary breaks a rule, with every problem on its own line.
Result<Dictionary> LoadDictionaryFile(const std::string& path);

// Same, from text in memory. `source_name` is used in messages and to resolve a
// relative `extends:` path.
Result<Dictionary> LoadDictionaryText(std::string_view yaml, const std::string& source_name);

}  // namespace opendtm::dictionary

#endif  // OPENDTM_DICTIONARY_LOADER_H_
