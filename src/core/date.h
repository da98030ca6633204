// Calendar dates as found in DTM files, and how to read a whole column of them.
//
// One DTM column often mixes several spellings of a date: ISO "2015-05-21",
// "21.05.2015", "21/05/2015", "21/5/15", American "5/21/2015", and Excel serial
// numbers ("42145") where a cell lost its formatting. The day/month order of the
// slash and dot forms cannot be known from one value ("4/6/15"), so it is
// decided per column:
//
//   1. InferDateOrder(values) looks at every non-empty value of the column and
//      returns a DateColumnInference: day-first, month-first, not needed,
//      ambiguous or conflicting, with counts and example values as evidence.
//   2. ParseDate(value, inference.order) then reads each value.
//
// The inference only proves what the values allow: in a day-first column an
// ambiguous "6/1/15" is read as 6 January 2015 even if the enumerator meant
// June 1. Checking that dates fall in a plausible window (the round's dates)
// is the validator's job.
//
// Dates are proleptic Gregorian, years 1-9999, with no time zone.
//
// Thread-safety: value types and pure functions, safe to use concurrently.
#ifndef OPENDTM_CORE_DATE_H_
#define OPENDTM_CORE_DATE_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opendtm::core {

// A calendar date. Not necessarily valid: check with IsValidDate. Ordered
// chronologically (year, then month, then day).
struct Date {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31

  friend auto operator<=>(const Date&, const Date&) = default;
};

// True for Gregorian leap years (divisible by 4, except centuries not divisible by 400).
bool IsLeapYear(int year);

// The number of days of `month` (1-12) in `year`; 0 when month is out of range.
int DaysInMonth(int year, int month);

// True when 1 <= year <= 9999, 1 <= month <= 12 and 1 <= day <= DaysInMonth.
bool IsValidDate(Date date);

// Days from 1970-01-01 to `date` (negative before). Precondition: IsValidDate(date).
int64_t DaysSinceEpoch(Date date);

// The date `days` after 1970-01-01; inverse of DaysSinceEpoch. Precondition:
// the result lies in years 1-9999 (-719162 <= days <= 2932896).
Date FromDaysSinceEpoch(int64_t days);

// "YYYY-MM-DD", zero-padded ("2015-05-04"). Precondition: IsValidDate(date).
std::string ToIso(Date date);

// Parses exactly "YYYY-MM-DD", or the same followed by "T00:00:00" (midnight,
// as the DTM API sends "2010-11-30T00:00:00"). No whitespace, no other time of
// day, no time zone: the text must match as a whole.
// Errors: InvalidArgument naming the value, e.g. "'2015-5-21' is not an ISO
// date (YYYY-MM-DD)" or "'2015-02-29' is not a valid date: February 2015 has
// 28 days".
Result<Date> ParseIsoDate(std::string_view text);

// The date of an Excel serial number in the 1900 date system: 1 is 1900-01-01,
// 59 is 1900-02-28, 61 is 1900-03-01 and 2958465 is 9999-12-31. Excel counts a
// 1900-02-29 that never existed, so serial 60 has no date (nullopt) and serials
// from 61 on are one day ahead of a plain count. A fraction (time of day) is
// dropped: 42145.75 is 2015-05-21. Returns nullopt for serials below 1 or above
// 2958465, for 60, and for NaN.
std::optional<Date> FromExcelSerial(double serial);

// How the two leading numbers of a "a/b/y" or "a.b.y" date are read.
enum class DateOrder {
  kDayFirst,     // D/M/Y: evidence for day-first only
  kMonthFirst,   // M/D/Y: evidence for month-first only
  kNotNeeded,    // no value depends on the order (ISO, Excel serials, "5/5/15", empty)
  kAmbiguous,    // some values depend on the order and none settles it
  kConflicting,  // some values can only be day-first and others only month-first
};

// "day-first", "month-first", "not needed", "ambiguous" or "conflicting".
std::string_view DateOrderName(DateOrder order);

// What InferDateOrder found in a column. Every non-empty value is counted in
// exactly one of the *_count fields below non_empty_count. Examples keep the
// first kMaxDateExamples distinct values of each kind, as they were written
// (trimmed), for messages.
struct DateColumnInference {
  DateOrder order = DateOrder::kNotNeeded;
  int non_empty_count = 0;
  int iso_count = 0;           // "2015-05-21" (optionally "T00:00:00")
  int excel_serial_count = 0;  // "42145": digits with an optional fraction
  int day_first_count = 0;     // valid only when read day-first ("21/05/2015")
  int month_first_count = 0;   // valid only when read month-first ("4/25/15")
  int ambiguous_count = 0;     // valid both ways, different dates ("4/6/15")
  int order_free_count = 0;    // valid both ways, same date ("5/5/15")
  int invalid_count = 0;       // not a date in any order or format ("31/31/2015", "soon")
  std::vector<std::string> day_first_examples;
  std::vector<std::string> month_first_examples;
  std::vector<std::string> ambiguous_examples;
  std::vector<std::string> invalid_examples;

  // One sentence for a report, naming example values, e.g.
  // "conflicting day/month order: '21/05/2015' can only be day-first but
  // '4/25/15' can only be month-first (97 day-first values, 1 month-first
  // value)", followed by "; 2 values not a date in any order, e.g. 'soon'"
  // when there are invalid values. "no date values" when kNotNeeded and no
  // value is a valid date.
  std::string Describe() const;
};

// The most examples of each kind DateColumnInference keeps.
inline constexpr int kMaxDateExamples = 3;

// Decides the day/month order of a column from all its values (empty and
// whitespace-only values are skipped; values are trimmed). A value settles
// day-first when it is a valid date read day-first and not read month-first,
// and vice versa; the year matters only for 29 February. The order is
//   kConflicting if both kinds of settling value occur, else
//   kDayFirst or kMonthFirst if one kind occurs, else
//   kAmbiguous if a value reads as two different dates, else
//   kNotNeeded.
// Invalid values do not influence the order; they are counted and kept as
// examples. Never fails: the result is a finding. `values` is only read during
// the call.
DateColumnInference InferDateOrder(std::span<const std::string_view> values);

// Parses one date value (trimmed first) in any supported format:
//   - ISO "YYYY-MM-DD", optionally with "T00:00:00" (see ParseIsoDate);
//   - an Excel serial: digits, optionally '.' and digits (see FromExcelSerial);
//     a bare "2015" is therefore serial 2015 (1905-07-07), not a year;
//   - "a<sep>b<sep>year" with <sep> one of '/', '.', '-' (the same twice), a and
//     b of 1-2 digits and a year of 4 digits, or of 2 digits where 00-69 means
//     2000-2069 and 70-99 means 1970-1999 (Excel's pivot year).
// `order` says how a and b are read. kDayFirst and kMonthFirst read every value
// that way. Under kNotNeeded, kAmbiguous and kConflicting a value is read in
// the one order in which it is valid, or when both orders give the same date;
// a value valid in both orders with different dates is an error.
// Errors (all InvalidArgument, naming the value):
//   "'' is not a date: the value is empty";
//   "'soon' is not a date: expected YYYY-MM-DD, D/M/Y, M/D/Y or an Excel serial number";
//   "'2015-02-29' is not a valid date: February 2015 has 28 days";
//   "'31/02/2015' is not a valid date read day-first: February 2015 has 28 days";
//   "'4/25/15' is not a valid date read day-first: month 25 is not in 1-12";
//   "'31/13/2015' is not a valid date: read day-first, month 13 is not in 1-12;
//    read month-first, month 31 is not in 1-12" (under the other three orders);
//   "'60' is not a date: Excel serial 60 is 1900-02-29, which does not exist";
//   "'4/6/15' has an ambiguous day/month order: 4 June 2015 or 6 April 2015".
Result<Date> ParseDate(std::string_view value, DateOrder order);

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_DATE_H_
