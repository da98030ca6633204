// `${name}` references in XLSForm text (expressions, labels, choice filters).
//
// The form writers only need to find and replace references, not to evaluate
// expressions (that is expr/'s job), so this is a scanner, not a parser.
#ifndef OPENDTM_FORMS_INTERNAL_REFERENCES_H_
#define OPENDTM_FORMS_INTERNAL_REFERENCES_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opendtm::forms::internal {

// One piece of a text split at its references: literal text, or a reference.
struct TextPiece {
  bool is_reference = false;
  std::string text;  // the literal text, or the referenced name
};

// Splits `text` into literal pieces and `${name}` references (names as
// written, trimmed of spaces). A "${" without its "}" stays literal text.
std::vector<TextPiece> SplitReferences(std::string_view text);

// Every referenced name, in order of first appearance.
std::vector<std::string> ReferencedNames(std::string_view text);

// Replaces every `${name}` with `replace(name)`; returns InvalidArgument
// naming the reference when `replace` returns nullopt.
Result<std::string> ReplaceReferences(
    std::string_view text,
    const std::function<std::optional<std::string>(std::string_view)>& replace);

}  // namespace opendtm::forms::internal

#endif  // OPENDTM_FORMS_INTERNAL_REFERENCES_H_
