// Numbers as they appear in DTM spreadsheets and CSV files, and back to text.
//
// DTM files write numbers the way Excel displays them: "12,419" households,
// "1,234,567.5", " 37 " with stray spaces. These parsers accept that and
// nothing looser: a comma is only a thousands separator where it groups digits
// correctly ("1,23" is not a number), the decimal mark is always '.', and
// "NaN", "inf", hex and locale-specific forms are rejected. Decimal commas
// ("1.234,5") are not supported.
//
// Thread-safety: pure functions, safe to call concurrently.
#ifndef OPENDTM_CORE_NUMBER_H_
#define OPENDTM_CORE_NUMBER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opendtm::core {

// Parses a decimal number. Accepted, in order:
//   - leading and trailing whitespace (as core::Trim: ASCII, NBSP, BOM);
//   - an optional sign '+' or '-';
//   - an integer part: plain digits ("12419"), or thousands groups separated by
//     commas whose first group has 1-3 digits without a leading zero and whose
//     other groups have exactly 3 digits ("12,419", "1,234,567"); the integer
//     part may be omitted when a fraction follows (".5");
//   - an optional fraction: '.' and at least one digit ("0.5"; "5." is rejected);
//   - an optional exponent: 'e' or 'E', optional sign, digits ("1.5e3").
// Returns the nearest double, or nullopt when the text does not match that
// grammar ("", "abc", "1,23", "1,,234", "12 419", "NaN", "inf", "0x1A"), or
// when its magnitude is outside the range of double ("1e400", "1e-400").
std::optional<double> ParseNumber(std::string_view text);

// Parses a whole number with the grammar of ParseNumber, without an exponent.
// A fraction made only of zeros is accepted ("12.0" -> 12, as pandas writes
// integer columns that contain blanks); any other fraction is rejected
// ("12.5" -> nullopt), never rounded. Returns nullopt too when the value is
// outside the range of int64_t. Examples: "12" -> 12, " -12,419 " -> -12419.
std::optional<int64_t> ParseInteger(std::string_view text);

// Returns the shortest text that parses back (with ParseNumber or strtod) to
// exactly `value`, as std::to_chars writes it: integers without a fraction
// ("12", not "12.0"), "0.5", "0.1", "1e+20" when the exponent form is shorter
// than the fixed one. Negative zero is written "0". Not-a-number and infinities
// are written "nan", "inf" and "-inf" (which ParseNumber rejects).
std::string FormatNumber(double value);

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_NUMBER_H_
