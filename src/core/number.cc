#include "core/number.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "core/text.h"

namespace opendtm::core {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A number split into its parts, with the text of each part borrowed from the
// input. `integer_digits` has the thousands separators removed.
struct NumberText {
  bool negative = false;
  std::string integer_digits;
  std::string_view fraction_digits;  // without the '.'
  std::string_view exponent;         // with the 'e' and its sign
};

// Scans `text` (already trimmed) under the grammar documented in number.h.
// Returns nullopt when it does not match.
std::optional<NumberText> Scan(std::string_view text, bool allow_exponent) {
  NumberText number;
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    number.negative = text[pos] == '-';
    ++pos;
  }

  // Integer part: digits, with commas allowed only as correct thousands groups.
  const size_t integer_start = pos;
  size_t group_length = 0;
  bool grouped = false;
  while (pos < text.size() && (IsDigit(text[pos]) || text[pos] == ',')) {
    if (text[pos] == ',') {
      if (grouped ? group_length != 3 : (group_length < 1 || group_length > 3)) return {};
      // "0,123" is not a thousands-grouped number.
      if (!grouped && text[integer_start] == '0') return {};
      grouped = true;
      group_length = 0;
    } else {
      number.integer_digits.push_back(text[pos]);
      ++group_length;
    }
    ++pos;
  }
  if (grouped && group_length != 3) return {};

  if (pos < text.size() && text[pos] == '.') {
    const size_t fraction_start = ++pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    number.fraction_digits = text.substr(fraction_start, pos - fraction_start);
    if (number.fraction_digits.empty()) return {};
  }
  if (number.integer_digits.empty() && number.fraction_digits.empty()) return {};

  if (allow_exponent && pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    const size_t exponent_start = pos++;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    const size_t digits_start = pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    if (pos == digits_start) return {};
    number.exponent = text.substr(exponent_start, pos - exponent_start);
  }
  if (pos != text.size()) return {};
  return number;
}

// The common forms, read without building text: an optional '-', 1 to
// `max_digits` digits, then (when `fraction` allows) '.' and at least one
// digit, and nothing else. Returns the end of the integer digits and of the
// whole, or nullopt for anything else (the full grammar then decides).
struct PlainForm {
  size_t integer_end = 0;
  bool has_fraction = false;
};
std::optional<PlainForm> MatchPlain(std::string_view text, size_t max_digits, bool fraction) {
  size_t pos = !text.empty() && text[0] == '-' ? 1 : 0;
  const size_t digits_start = pos;
  while (pos < text.size() && IsDigit(text[pos])) ++pos;
  if (pos == digits_start || pos - digits_start > max_digits) return std::nullopt;
  PlainForm form{pos, false};
  if (pos == text.size()) return form;
  if (!fraction || text[pos] != '.') return std::nullopt;
  const size_t fraction_start = ++pos;
  while (pos < text.size() && IsDigit(text[pos])) ++pos;
  if (pos == fraction_start || pos != text.size()) return std::nullopt;
  form.has_fraction = true;
  return form;
}

}  // namespace

std::optional<double> ParseNumber(std::string_view text) {
  // "12", "-3", "13.801929": std::from_chars reads them as they are.
  if (MatchPlain(text, /*max_digits=*/18, /*fraction=*/true)) {
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value,
                                           std::chars_format::fixed);
    if (ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(value)) {
      return value;
    }
  }
  std::optional<NumberText> number = Scan(Trim(text), /*allow_exponent=*/true);
  if (!number) return std::nullopt;

  // Rebuild a form std::from_chars accepts: no '+', no commas.
  std::string plain;
  plain.reserve(number->integer_digits.size() + number->fraction_digits.size() +
                number->exponent.size() + 3);
  if (number->negative) plain.push_back('-');
  plain += number->integer_digits.empty() ? "0" : number->integer_digits;
  if (!number->fraction_digits.empty()) {
    plain.push_back('.');
    plain += number->fraction_digits;
  }
  plain += number->exponent;

  double value = 0;
  const char* end = plain.data() + plain.size();
  const auto [ptr, ec] = std::from_chars(plain.data(), end, value, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  // Up to 18 digits always fit in int64_t: no overflow check needed.
  if (std::optional<PlainForm> plain = MatchPlain(text, /*max_digits=*/18, /*fraction=*/false)) {
    const bool negative = text[0] == '-';
    int64_t value = 0;
    for (size_t pos = negative ? 1 : 0; pos < plain->integer_end; ++pos) {
      value = value * 10 + (text[pos] - '0');
    }
    return negative ? -value : value;
  }
  std::optional<NumberText> number = Scan(Trim(text), /*allow_exponent=*/false);
  if (!number || number->integer_digits.empty()) return std::nullopt;
  if (number->fraction_digits.find_first_not_of('0') != std::string_view::npos) {
    return std::nullopt;
  }

  std::string plain;
  plain.reserve(number->integer_digits.size() + 1);
  if (number->negative) plain.push_back('-');
  plain += number->integer_digits;

  int64_t value = 0;
  const char* end = plain.data() + plain.size();
  const auto [ptr, ec] = std::from_chars(plain.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::string FormatNumber(double value) {
  if (std::isnan(value)) return "nan";
  if (value == 0) return "0";  // also negative zero
  char buffer[64];
  const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  // 64 bytes always suffice for the shortest form of a double.
  if (ec != std::errc()) return "nan";
  return std::string(buffer, ptr);
}

}  // namespace opendtm::core
