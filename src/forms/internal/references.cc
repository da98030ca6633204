#include "forms/internal/references.h"

#include <algorithm>

namespace opendtm::forms::internal {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

std::vector<TextPiece> SplitReferences(std::string_view text) {
  std::vector<TextPiece> pieces;
  std::string literal;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("${", pos);
    size_t close = open == std::string_view::npos ? open : text.find('}', open + 2);
    if (open == std::string_view::npos || close == std::string_view::npos) {
      literal.append(text.substr(pos));
      break;
    }
    literal.append(text.substr(pos, open - pos));
    if (!literal.empty()) pieces.push_back({false, std::move(literal)});
    literal.clear();
    pieces.push_back({true, std::string(Trim(text.substr(open + 2, close - open - 2)))});
    pos = close + 1;
  }
  if (!literal.empty()) pieces.push_back({false, std::move(literal)});
  return pieces;
}

std::vector<std::string> ReferencedNames(std::string_view text) {
  std::vector<std::string> names;
  for (TextPiece& piece : SplitReferences(text)) {
    if (piece.is_reference && std::find(names.begin(), names.end(), piece.text) == names.end()) {
      names.push_back(std::move(piece.text));
    }
  }
  return names;
}

Result<std::string> ReplaceReferences(
    std::string_view text,
    const std::function<std::optional<std::string>(std::string_view)>& replace) {
  std::string out;
  out.reserve(text.size());
  for (const TextPiece& piece : SplitReferences(text)) {
    if (!piece.is_reference) {
      out += piece.text;
      continue;
    }
    std::optional<std::string> replacement = replace(piece.text);
    if (!replacement) {
      return InvalidArgumentError("'" + std::string(text) + "' refers to ${" + piece.text +
                                  "}, which is not a question of the form");
    }
    out += *replacement;
  }
  return out;
}

}  // namespace opendtm::forms::internal
