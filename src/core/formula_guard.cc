#include "core/formula_guard.h"

#include "core/number.h"

namespace opendtm::core {
namespace {

bool IsTrigger(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// True when the first character after any leading `'` is a trigger.
bool FormulaLike(std::string_view value) {
  const size_t first = value.find_first_not_of('\'');
  return first != std::string_view::npos && IsTrigger(value[first]);
}

// ^\+?[0-9 ()-]+$
bool PhoneLike(std::string_view value) {
  if (!value.empty() && value.front() == '+') value.remove_prefix(1);
  if (value.empty()) return false;
  for (char c : value) {
    const bool allowed = (c >= '0' && c <= '9') || c == ' ' || c == '(' || c == ')' || c == '-';
    if (!allowed) return false;
  }
  return true;
}

}  // namespace

std::string NeutraliseFormula(std::string_view value) {
  if (!FormulaLike(value)) return std::string(value);
  // Only a sign can start a number or a phone number (a tab or CR before
  // digits is still neutralised: ParseNumber would trim it).
  const bool signed_value = value.front() == '+' || value.front() == '-';
  if (signed_value && (ParseNumber(value).has_value() || PhoneLike(value))) {
    return std::string(value);
  }
  std::string out = "'";
  out += value;
  return out;
}

std::string_view RestoreFormula(std::string_view value) {
  if (value.empty() || value.front() != '\'' || !FormulaLike(value)) return value;
  return value.substr(1);
}

void RestoreFormulas(std::span<std::string> cells) {
  for (std::string& cell : cells) {
    const std::string_view restored = RestoreFormula(cell);
    if (restored.size() != cell.size()) cell.erase(0, 1);
  }
}

}  // namespace opendtm::core
