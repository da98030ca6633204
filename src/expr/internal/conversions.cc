#include "expr/internal/conversions.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

#include "core/date.h"

namespace opendtm::expr::internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at `text[pos]`; nullopt if any is not a digit.
std::optional<unsigned> Digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  unsigned value = 0;
  for (size_t index = pos; index < pos + count; ++index) {
    if (!IsDigit(text[index])) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(text[index] - '0');
  }
  return value;
}

// The fraction of a day of "HH:MM[:SS[.fff]][Z|+HH:MM|-HH:MM]"; nullopt when
// malformed. An offset moves the instant to UTC.
std::optional<double> TimeOfDay(std::string_view text) {
  std::optional<unsigned> hour = Digits(text, 0, 2);
  std::optional<unsigned> minute = Digits(text, 3, 2);
  if (!hour || !minute || text[2] != ':' || *hour > 23 || *minute > 59) return std::nullopt;
  double seconds = *hour * 3600.0 + *minute * 60.0;
  size_t pos = 5;
  if (pos < text.size() && text[pos] == ':') {
    std::optional<unsigned> second = Digits(text, pos + 1, 2);
    if (!second || *second > 60) return std::nullopt;
    seconds += *second;
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      size_t digits_end = pos + 1;
      while (digits_end < text.size() && IsDigit(text[digits_end])) ++digits_end;
      if (digits_end == pos + 1) return std::nullopt;
      double fraction = 0;
      double scale = 0.1;
      for (size_t index = pos + 1; index < digits_end; ++index, scale /= 10) {
        fraction += (text[index] - '0') * scale;
      }
      seconds += fraction;
      pos = digits_end;
    }
  }
  std::string_view zone = text.substr(pos);
  if (zone.empty() || zone == "Z") return seconds / 86400.0;
  if (zone[0] != '+' && zone[0] != '-') return std::nullopt;
  std::optional<unsigned> zone_hour = Digits(zone, 1, 2);
  if (!zone_hour) return std::nullopt;
  unsigned zone_minute = 0;
  if (zone.size() == 6 && zone[3] == ':') {
    std::optional<unsigned> parsed = Digits(zone, 4, 2);
    if (!parsed) return std::nullopt;
    zone_minute = *parsed;
  } else if (zone.size() == 5) {
    std::optional<unsigned> parsed = Digits(zone, 3, 2);
    if (!parsed) return std::nullopt;
    zone_minute = *parsed;
  } else if (zone.size() != 3) {
    return std::nullopt;
  }
  if (*zone_hour > 23 || zone_minute > 59) return std::nullopt;
  double offset = *zone_hour * 3600.0 + zone_minute * 60.0;
  seconds += zone[0] == '+' ? -offset : offset;
  return seconds / 86400.0;
}

}  // namespace

std::string_view TrimXmlSpace(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && IsXmlSpace(text[begin])) ++begin;
  while (end > begin && IsXmlSpace(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

double StringToNumber(std::string_view text) {
  text = TrimXmlSpace(text);
  if (text.empty()) return kNaN;
  // Fast path: the plain counts that make up most answers. Up to 15 digits
  // are exact in a double.
  if (text.size() <= 15) {
    uint64_t value = 0;
    size_t index = 0;
    for (; index < text.size() && IsDigit(text[index]); ++index) {
      value = value * 10 + static_cast<uint64_t>(text[index] - '0');
    }
    if (index == text.size()) return static_cast<double>(value);
  }
  // from_chars would also accept "inf", "nan" and hexadecimal-looking text in
  // some formats: XPath numbers start with a digit or '.' after the sign.
  size_t first = text[0] == '-' ? 1 : 0;
  if (first < text.size() && (IsDigit(text[first]) || text[first] == '.')) {
    double value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, error] = std::from_chars(text.data(), end, value, std::chars_format::fixed);
    if (error == std::errc() && ptr == end) return value;
    if (error == std::errc::result_out_of_range && ptr == end) {
      // Too large (a non-zero digit before the point) or too small to represent.
      std::string_view integer_part = text.substr(first, text.find('.') - first);
      const bool overflow = integer_part.find_first_not_of('0') != std::string_view::npos;
      const double magnitude = overflow ? std::numeric_limits<double>::infinity() : 0.0;
      return text[0] == '-' ? -magnitude : magnitude;
    }
  }
  if (std::optional<double> days = IsoDateToDays(text)) return *days;
  return kNaN;
}

std::optional<double> IsoDateToDays(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::optional<unsigned> year = Digits(text, 0, 4);
  std::optional<unsigned> month = Digits(text, 5, 2);
  std::optional<unsigned> day = Digits(text, 8, 2);
  const core::Date date{static_cast<int>(year.value_or(0)), static_cast<int>(month.value_or(0)),
                        static_cast<int>(day.value_or(0))};
  if (!year || !month || !day || !core::IsValidDate(date)) return std::nullopt;
  double days = static_cast<double>(core::DaysSinceEpoch(date));
  if (text.size() == 10) return days;
  if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
  std::optional<double> time = TimeOfDay(text.substr(11));
  if (!time) return std::nullopt;
  return days + *time;
}

size_t FormatNumber(double number, char* buffer) {
  auto copy = [buffer](std::string_view text) {
    std::memcpy(buffer, text.data(), text.size());
    return text.size();
  };
  if (std::isnan(number)) return copy("NaN");
  if (std::isinf(number)) return copy(number > 0 ? "Infinity" : "-Infinity");
  if (number == 0) return copy("0");  // also -0
  char* const end = buffer + kFormatBufferSize;
  // Integers below 2^53 are exact: skip the shortest-representation search.
  if (std::fabs(number) < 9007199254740992.0 && number == std::trunc(number)) {
    return static_cast<size_t>(std::to_chars(buffer, end, static_cast<int64_t>(number)).ptr -
                               buffer);
  }
  // 1. The shortest digits that read back as `number`, and their exponent:
  //    to_chars writes "-d.ddde+XX".
  char scientific[kFormatBufferSize];
  char* const stop = std::to_chars(scientific, scientific + sizeof(scientific), number,
                                   std::chars_format::scientific)
                         .ptr;
  const char* cursor = scientific;
  char* out = buffer;
  if (*cursor == '-') *out++ = *cursor++;
  char digits[20];
  int digit_count = 0;
  for (; cursor != stop && *cursor != 'e'; ++cursor) {
    if (*cursor != '.') digits[digit_count++] = *cursor;
  }
  int exponent = 0;
  std::from_chars(cursor + 1 + (cursor[1] == '+'), stop, exponent);
  // 2. Lay them out as ECMAScript's Number::toString does, with the value
  //    being 0.DIGITS x 10^point.
  const int point = exponent + 1;
  auto put_digits = [&](int from, int to) {
    for (int index = from; index < to; ++index) *out++ = digits[index];
  };
  if (digit_count <= point && point <= 21) {  // 123000
    put_digits(0, digit_count);
    for (int zero = digit_count; zero < point; ++zero) *out++ = '0';
  } else if (0 < point && point <= 21) {  // 123.45
    put_digits(0, point);
    *out++ = '.';
    put_digits(point, digit_count);
  } else if (-6 < point && point <= 0) {  // 0.000123
    *out++ = '0';
    *out++ = '.';
    for (int zero = point; zero < 0; ++zero) *out++ = '0';
    put_digits(0, digit_count);
  } else {  // 1.23e+25, 1e-7
    put_digits(0, 1);
    if (digit_count > 1) {
      *out++ = '.';
      put_digits(1, digit_count);
    }
    *out++ = 'e';
    *out++ = exponent < 0 ? '-' : '+';
    out = std::to_chars(out, end, exponent < 0 ? -exponent : exponent).ptr;
  }
  return static_cast<size_t>(out - buffer);
}

size_t FormatDate(int64_t days, char* buffer) {
  const core::Date date = core::FromDaysSinceEpoch(days);
  char* const end = buffer + kFormatBufferSize;
  char* out = buffer;
  int64_t year = date.year;
  if (year < 0) {
    *out++ = '-';
    year = -year;
  }
  // Zero-pad the year to four digits.
  for (int64_t limit = 1000; limit > 1 && year < limit; limit /= 10) *out++ = '0';
  out = std::to_chars(out, end, year).ptr;
  *out++ = '-';
  *out++ = static_cast<char>('0' + date.month / 10);
  *out++ = static_cast<char>('0' + date.month % 10);
  *out++ = '-';
  *out++ = static_cast<char>('0' + date.day / 10);
  *out++ = static_cast<char>('0' + date.day % 10);
  return static_cast<size_t>(out - buffer);
}

bool IsSelected(std::string_view list, std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    if (IsXmlSpace(c)) return false;  // can never equal a single token
  }
  // Search for the value and accept an occurrence bounded by whitespace or the
  // ends of the list: cheaper than splitting the list into tokens.
  size_t pos = list.find(value);
  while (pos != std::string_view::npos) {
    const size_t after = pos + value.size();
    const bool starts_token = pos == 0 || IsXmlSpace(list[pos - 1]);
    const bool ends_token = after == list.size() || IsXmlSpace(list[after]);
    if (starts_token && ends_token) return true;
    pos = list.find(value, pos + 1);
  }
  return false;
}

int CountSelected(std::string_view list) {
  int count = 0;
  bool in_token = false;
  for (char c : list) {
    const bool space = IsXmlSpace(c);
    if (!space && !in_token) ++count;
    in_token = !space;
  }
  return count;
}

size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

}  // namespace opendtm::expr::internal
