// XPath 1.0 conversions between strings, numbers and dates, and the string
// helpers behind selected(), count-selected() and string-length().
//
// None of these functions allocates: they read borrowed text and write into
// caller-provided buffers. All are pure and thread-safe.
#ifndef OPENDTM_EXPR_INTERNAL_CONVERSIONS_H_
#define OPENDTM_EXPR_INTERNAL_CONVERSIONS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace opendtm::expr::internal {

// Removes XML whitespace (space, tab, CR, LF) from both ends.
std::string_view TrimXmlSpace(std::string_view text);

// XPath number(string) as ODK does it: after trimming whitespace, an optional
// '-' followed by digits with an optional decimal point ("12", "-1.5", ".5",
// "5."); otherwise an ISO date or date-time (see IsoDateToDays); otherwise NaN.
// "" is NaN. No '+', exponent, hexadecimal, "inf" or "NaN" spelling is a number.
double StringToNumber(std::string_view text);

// StringToNumber, with the common case (a plain count) inline: up to 15
// digits, exact in a double.
inline double FastStringToNumber(std::string_view text) {
  if (!text.empty() && text.size() <= 15) {
    uint64_t value = 0;
    for (char c : text) {
      const unsigned digit = static_cast<unsigned char>(c) - static_cast<unsigned>('0');
      if (digit > 9) return StringToNumber(text);
      value = value * 10 + digit;
    }
    return static_cast<double>(value);
  }
  return StringToNumber(text);
}

// Days since 1970-01-01 of "YYYY-MM-DD", optionally followed by 'T' or ' ' and
// "HH:MM[:SS[.fff]]" with an optional "Z" or "+HH:MM"/"-HH:MM" offset; the time
// adds a fraction of a day (a time without offset is taken as UTC). nullopt
// when `text` is not such a date or names a day that does not exist.
std::optional<double> IsoDateToDays(std::string_view text);

// Enough for any FormatNumber or FormatDate output.
inline constexpr size_t kFormatBufferSize = 32;

// Writes the XPath string of `number` into `buffer` (kFormatBufferSize bytes)
// and returns its length. Follows ECMAScript's Number::toString, which the
// web form engines (Enketo, ODK Web Forms) use: "12", "0.5", "-3.25",
// "100000000000000000000", "1e+21", "1e-7", "NaN", "Infinity", "-Infinity";
// -0 is "0". The shortest text that reads back as the same double.
size_t FormatNumber(double number, char* buffer);

// Writes `days` since 1970-01-01 as "YYYY-MM-DD" into `buffer`
// (kFormatBufferSize bytes) and returns its length (10 for years 0-9999; the
// year has at least four digits and a '-' before zero).
size_t FormatDate(int64_t days, char* buffer);

// selected(list, value): whether `value` is one of the whitespace-separated
// tokens of `list`. Whole tokens only: "no" is not selected in "none".
// `value` must already be trimmed; an empty `value` is never selected.
bool IsSelected(std::string_view list, std::string_view value);

// count-selected(list): the number of whitespace-separated tokens.
int CountSelected(std::string_view list);

// string-length(): Unicode code points of UTF-8 text (bytes that do not start a
// code point, as in invalid UTF-8, are not counted).
size_t CountCodePoints(std::string_view text);

}  // namespace opendtm::expr::internal

#endif  // OPENDTM_EXPR_INTERNAL_CONVERSIONS_H_
