#include "core/date.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>

#include "core/text.h"

namespace opendtm::core {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// Days from 1970-01-01 to 1899-12-30 and 1899-12-31: the day before serial 1 in
// Excel's 1900 system, shifted by its fictitious 1900-02-29 from serial 61 on.
constexpr int64_t kExcelEpochFromSerial61 = -25569;
constexpr int64_t kExcelEpochBeforeSerial60 = -25568;
constexpr double kMaxExcelSerial = 2958465;  // 9999-12-31

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return !text.empty();
}

// Parses a run of ASCII digits known to fit in an int.
int DigitsValue(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Why `date` is not valid ("month 13 is not in 1-12"), or "" when it is.
std::string InvalidReason(Date date) {
  if (date.year < 1 || date.year > 9999) {
    return "year " + std::to_string(date.year) + " is not in 1-9999";
  }
  if (date.month < 1 || date.month > 12) {
    return "month " + std::to_string(date.month) + " is not in 1-12";
  }
  const int days = DaysInMonth(date.year, date.month);
  if (date.day < 1) {
    return "day " + std::to_string(date.day) + " is not in 1-" + std::to_string(days);
  }
  if (date.day > days) {
    return std::string(kMonthNames[date.month - 1]) + " " + std::to_string(date.year) + " has " +
           std::to_string(days) + " days";
  }
  return "";
}

std::string Quote(std::string_view text) { return "'" + std::string(text) + "'"; }

// "4 June 2015", for messages about ambiguous values.
std::string LongForm(Date date) {
  return std::to_string(date.day) + " " + std::string(kMonthNames[date.month - 1]) + " " +
         std::to_string(date.year);
}

// The spelling of a value, decided before any day/month order is applied.
enum class Form { kIso, kExcelSerial, kDayMonth, kUnknown };

// "a<sep>b<sep>year" split into numbers, the year already widened to 4 digits.
struct DayMonthParts {
  int first = 0;
  int second = 0;
  int year = 0;

  Date ReadDayFirst() const { return {year, second, first}; }
  Date ReadMonthFirst() const { return {year, first, second}; }
};

bool LooksIso(std::string_view text) {
  return text.size() >= 5 && AllDigits(text.substr(0, 4)) && text[4] == '-';
}

bool LooksExcelSerial(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) return AllDigits(text);
  return AllDigits(text.substr(0, dot)) && AllDigits(text.substr(dot + 1));
}

// Splits "a/b/y", "a.b.y" or "a-b-y" (same separator twice, a and b of 1-2
// digits, y of 2 or 4 digits). Two-digit years: 00-69 -> 20xx, 70-99 -> 19xx.
std::optional<DayMonthParts> SplitDayMonth(std::string_view text) {
  const size_t first_end = text.find_first_of("/.-");
  if (first_end == std::string_view::npos) return std::nullopt;
  const char separator = text[first_end];
  const size_t second_end = text.find(separator, first_end + 1);
  if (second_end == std::string_view::npos) return std::nullopt;
  const std::string_view first = text.substr(0, first_end);
  const std::string_view second = text.substr(first_end + 1, second_end - first_end - 1);
  const std::string_view year = text.substr(second_end + 1);
  if (!AllDigits(first) || first.size() > 2 || !AllDigits(second) || second.size() > 2 ||
      !AllDigits(year) || (year.size() != 2 && year.size() != 4)) {
    return std::nullopt;
  }
  DayMonthParts parts{DigitsValue(first), DigitsValue(second), DigitsValue(year)};
  if (year.size() == 2) parts.year += parts.year < 70 ? 2000 : 1900;
  return parts;
}

Form Classify(std::string_view text) {
  if (LooksIso(text)) return Form::kIso;
  if (LooksExcelSerial(text)) return Form::kExcelSerial;
  if (SplitDayMonth(text)) return Form::kDayMonth;
  return Form::kUnknown;
}

Result<Date> ParseExcelSerialText(std::string_view text) {
  double serial = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), serial);
  if (ec == std::errc() && ptr == text.data() + text.size()) {
    if (std::optional<Date> date = FromExcelSerial(serial)) return *date;
    if (std::floor(serial) == 60) {
      return InvalidArgumentError(Quote(text) +
                                  " is not a date: Excel serial 60 is 1900-02-29, which "
                                  "does not exist");
    }
  }
  return InvalidArgumentError(Quote(text) +
                              " is not a date: as an Excel serial number it is outside 1-" +
                              std::to_string(static_cast<int64_t>(kMaxExcelSerial)));
}

Result<Date> ReadInOrder(std::string_view text, const DayMonthParts& parts, bool day_first) {
  const Date date = day_first ? parts.ReadDayFirst() : parts.ReadMonthFirst();
  const std::string reason = InvalidReason(date);
  if (reason.empty()) return date;
  return InvalidArgumentError(Quote(text) + " is not a valid date read " +
                              (day_first ? "day-first: " : "month-first: ") + reason);
}

// Reads a day/month value that must speak for itself (no column order known).
Result<Date> ReadSelfEvident(std::string_view text, const DayMonthParts& parts) {
  const Date day_first = parts.ReadDayFirst();
  const Date month_first = parts.ReadMonthFirst();
  const std::string day_first_reason = InvalidReason(day_first);
  const std::string month_first_reason = InvalidReason(month_first);
  if (day_first_reason.empty() && month_first_reason.empty()) {
    if (day_first == month_first) return day_first;
    return InvalidArgumentError(Quote(text) + " has an ambiguous day/month order: " +
                                LongForm(day_first) + " or " + LongForm(month_first));
  }
  if (day_first_reason.empty()) return day_first;
  if (month_first_reason.empty()) return month_first;
  return InvalidArgumentError(Quote(text) + " is not a valid date: read day-first, " +
                              day_first_reason + "; read month-first, " + month_first_reason);
}

// Keeps the first kMaxDateExamples distinct values.
void AddExample(std::string_view value, std::vector<std::string>& examples) {
  if (examples.size() >= static_cast<size_t>(kMaxDateExamples)) return;
  for (const std::string& example : examples) {
    if (example == value) return;
  }
  examples.emplace_back(value);
}

// "'a', 'b' and 'c'".
std::string QuoteList(const std::vector<std::string>& examples) {
  std::string out;
  for (size_t example_idx = 0; example_idx < examples.size(); ++example_idx) {
    if (example_idx > 0) out += example_idx + 1 == examples.size() ? " and " : ", ";
    out += Quote(examples[example_idx]);
  }
  return out;
}

std::string Plural(int count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

bool IsValidDate(Date date) { return InvalidReason(date).empty(); }

// Howard Hinnant's days_from_civil: counts in 400-year eras starting 1 March.
int64_t DaysSinceEpoch(Date date) {
  const int64_t year = static_cast<int64_t>(date.year) - (date.month <= 2 ? 1 : 0);
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t month_from_march = date.month > 2 ? date.month - 3 : date.month + 9;
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + date.day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// Howard Hinnant's civil_from_days, the inverse of DaysSinceEpoch.
Date FromDaysSinceEpoch(int64_t days) {
  const int64_t shifted = days + 719468;
  const int64_t era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
  const int64_t day_of_era = shifted - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
  const int64_t month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return Date{static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

std::string ToIso(Date date) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

Result<Date> ParseIsoDate(std::string_view text) {
  constexpr std::string_view kMidnight = "T00:00:00";
  std::string_view date_part = text;
  if (date_part.size() == 10 + kMidnight.size() && date_part.ends_with(kMidnight)) {
    date_part.remove_suffix(kMidnight.size());
  }
  if (date_part.size() != 10 || date_part[4] != '-' || date_part[7] != '-' ||
      !AllDigits(date_part.substr(0, 4)) || !AllDigits(date_part.substr(5, 2)) ||
      !AllDigits(date_part.substr(8, 2))) {
    return InvalidArgumentError(Quote(text) + " is not an ISO date (YYYY-MM-DD)");
  }
  const Date date{DigitsValue(date_part.substr(0, 4)), DigitsValue(date_part.substr(5, 2)),
                  DigitsValue(date_part.substr(8, 2))};
  const std::string reason = InvalidReason(date);
  if (!reason.empty()) return InvalidArgumentError(Quote(text) + " is not a valid date: " + reason);
  return date;
}

std::optional<Date> FromExcelSerial(double serial) {
  if (!(serial >= 1 && serial < kMaxExcelSerial + 1)) return std::nullopt;  // also NaN
  const auto whole = static_cast<int64_t>(std::floor(serial));
  if (whole == 60) return std::nullopt;
  const int64_t epoch = whole < 60 ? kExcelEpochBeforeSerial60 : kExcelEpochFromSerial61;
  return FromDaysSinceEpoch(whole + epoch);
}

std::string_view DateOrderName(DateOrder order) {
  switch (order) {
    case DateOrder::kDayFirst:
      return "day-first";
    case DateOrder::kMonthFirst:
      return "month-first";
    case DateOrder::kNotNeeded:
      return "not needed";
    case DateOrder::kAmbiguous:
      return "ambiguous";
    case DateOrder::kConflicting:
      return "conflicting";
  }
  return "unknown";
}

std::string DateColumnInference::Describe() const {
  std::string text;
  switch (order) {
    case DateOrder::kDayFirst:
      text = "day-first: " + QuoteList(day_first_examples) + " can only be read day-first (" +
             Plural(day_first_count, "such value") + ")";
      break;
    case DateOrder::kMonthFirst:
      text = "month-first: " + QuoteList(month_first_examples) + " can only be read month-first (" +
             Plural(month_first_count, "such value") + ")";
      break;
    case DateOrder::kNotNeeded:
      if (iso_count + excel_serial_count + order_free_count == 0) {
        text = "no date values";
        break;
      }
      text = "no day/month order needed (" + Plural(iso_count, "ISO value") + ", " +
             Plural(excel_serial_count, "Excel serial") + ", " + Plural(order_free_count, "value") +
             " that read the same either way)";
      break;
    case DateOrder::kAmbiguous:
      text = "ambiguous day/month order: " + QuoteList(ambiguous_examples) +
             " read as two different dates and no value settles the order (" +
             Plural(ambiguous_count, "ambiguous value") + ")";
      break;
    case DateOrder::kConflicting:
      text = "conflicting day/month order: " + QuoteList(day_first_examples) +
             " can only be day-first but " + QuoteList(month_first_examples) +
             " can only be month-first (" + Plural(day_first_count, "day-first value") + ", " +
             Plural(month_first_count, "month-first value") + ")";
      break;
  }
  if (invalid_count > 0) {
    text += "; " + Plural(invalid_count, "value") + " not a date in any order, e.g. " +
            QuoteList(invalid_examples);
  }
  return text;
}

DateColumnInference InferDateOrder(std::span<const std::string_view> values) {
  DateColumnInference inference;
  // 1. Classify every non-empty value and count the evidence.
  for (std::string_view raw : values) {
    const std::string_view value = Trim(raw);
    if (value.empty()) continue;
    ++inference.non_empty_count;
    switch (Classify(value)) {
      case Form::kIso:
        if (ParseIsoDate(value).ok()) {
          ++inference.iso_count;
        } else {
          ++inference.invalid_count;
          AddExample(value, inference.invalid_examples);
        }
        break;
      case Form::kExcelSerial:
        if (ParseExcelSerialText(value).ok()) {
          ++inference.excel_serial_count;
        } else {
          ++inference.invalid_count;
          AddExample(value, inference.invalid_examples);
        }
        break;
      case Form::kDayMonth: {
        const DayMonthParts parts = *SplitDayMonth(value);
        const bool day_first_valid = IsValidDate(parts.ReadDayFirst());
        const bool month_first_valid = IsValidDate(parts.ReadMonthFirst());
        if (day_first_valid && month_first_valid) {
          if (parts.ReadDayFirst() == parts.ReadMonthFirst()) {
            ++inference.order_free_count;
          } else {
            ++inference.ambiguous_count;
            AddExample(value, inference.ambiguous_examples);
          }
        } else if (day_first_valid) {
          ++inference.day_first_count;
          AddExample(value, inference.day_first_examples);
        } else if (month_first_valid) {
          ++inference.month_first_count;
          AddExample(value, inference.month_first_examples);
        } else {
          ++inference.invalid_count;
          AddExample(value, inference.invalid_examples);
        }
        break;
      }
      case Form::kUnknown:
        ++inference.invalid_count;
        AddExample(value, inference.invalid_examples);
        break;
    }
  }
  // 2. Decide: settling evidence first, then ambiguity.
  if (inference.day_first_count > 0 && inference.month_first_count > 0) {
    inference.order = DateOrder::kConflicting;
  } else if (inference.day_first_count > 0) {
    inference.order = DateOrder::kDayFirst;
  } else if (inference.month_first_count > 0) {
    inference.order = DateOrder::kMonthFirst;
  } else if (inference.ambiguous_count > 0) {
    inference.order = DateOrder::kAmbiguous;
  } else {
    inference.order = DateOrder::kNotNeeded;
  }
  return inference;
}

Result<Date> ParseDate(std::string_view value, DateOrder order) {
  const std::string_view text = Trim(value);
  if (text.empty()) {
    return InvalidArgumentError(Quote(value) + " is not a date: the value is empty");
  }
  switch (Classify(text)) {
    case Form::kIso:
      return ParseIsoDate(text);
    case Form::kExcelSerial:
      return ParseExcelSerialText(text);
    case Form::kDayMonth: {
      const DayMonthParts parts = *SplitDayMonth(text);
      if (order == DateOrder::kDayFirst) return ReadInOrder(text, parts, /*day_first=*/true);
      if (order == DateOrder::kMonthFirst) return ReadInOrder(text, parts, /*day_first=*/false);
      return ReadSelfEvident(text, parts);
    }
    case Form::kUnknown:
      break;
  }
  return InvalidArgumentError(Quote(text) +
                              " is not a date: expected YYYY-MM-DD, D/M/Y, M/D/Y or an Excel "
                              "serial number");
}

}  // namespace opendtm::core
