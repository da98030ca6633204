#include "expr/internal/conversions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/date.h"

namespace opendtm::expr::internal {
namespace {

std::string Format(double number) {
  char buffer[kFormatBufferSize];
  return std::string(buffer, FormatNumber(number, buffer));
}

std::string FormatDays(int64_t days) {
  char buffer[kFormatBufferSize];
  return std::string(buffer, FormatDate(days, buffer));
}

TEST(StringToNumberTest, XPathNumbers) {
  EXPECT_EQ(StringToNumber("0"), 0);
  EXPECT_EQ(StringToNumber("42"), 42);
  EXPECT_EQ(StringToNumber("-42"), -42);
  EXPECT_EQ(StringToNumber("1.25"), 1.25);
  EXPECT_EQ(StringToNumber(".5"), 0.5);
  EXPECT_EQ(StringToNumber("-.5"), -0.5);
  EXPECT_EQ(StringToNumber("5."), 5);
  EXPECT_EQ(StringToNumber(" \t12\r\n"), 12);
  EXPECT_EQ(StringToNumber("123456789012345678"), 123456789012345678.0);
  EXPECT_EQ(StringToNumber("000123"), 123);
}

TEST(StringToNumberTest, NotNumbersAreNaN) {
  for (const char* text : {"", " ", "-", ".", "+5", "1e5", "1E5", "0x10", "inf", "-inf", "nan",
                           "NaN", "Infinity", "1,5", "1 000", "12abc", "--1", "1-2", "abc"}) {
    EXPECT_TRUE(std::isnan(StringToNumber(text))) << text;
  }
}

TEST(StringToNumberTest, HugeAndTinyLiterals) {
  EXPECT_EQ(StringToNumber("1" + std::string(400, '0')), std::numeric_limits<double>::infinity());
  EXPECT_EQ(StringToNumber("-1" + std::string(400, '0')), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(StringToNumber("0." + std::string(400, '0') + "1"), 0);
}

TEST(StringToNumberTest, IsoDatesAreDaysSinceEpoch) {
  EXPECT_EQ(StringToNumber("1970-01-01"), 0);
  EXPECT_EQ(StringToNumber("1970-01-02"), 1);
  EXPECT_EQ(StringToNumber("1969-12-31"), -1);
  EXPECT_EQ(StringToNumber("2024-05-01"), 19844);
  EXPECT_EQ(StringToNumber("2000-02-29"), 11016);
  EXPECT_EQ(StringToNumber(" 2024-05-01 "), 19844);
  EXPECT_TRUE(std::isnan(StringToNumber("2023-02-29")));  // not a leap year
  EXPECT_TRUE(std::isnan(StringToNumber("2024-13-01")));
  EXPECT_TRUE(std::isnan(StringToNumber("2024-00-10")));
  EXPECT_TRUE(std::isnan(StringToNumber("2024-5-1")));
  EXPECT_TRUE(std::isnan(StringToNumber("01/05/2024")));
}

TEST(StringToNumberTest, DateTimesAddAFractionOfADay) {
  EXPECT_EQ(StringToNumber("1970-01-01T12:00"), 0.5);
  EXPECT_EQ(StringToNumber("1970-01-01T12:00:00Z"), 0.5);
  EXPECT_EQ(StringToNumber("1970-01-01 06:00:00"), 0.25);
  EXPECT_EQ(StringToNumber("1970-01-02T00:00:00.000+00:00"), 1);
  EXPECT_DOUBLE_EQ(StringToNumber("1970-01-01T12:00:00+02:00"), 10.0 / 24);
  EXPECT_DOUBLE_EQ(StringToNumber("1970-01-01T12:00:00-0230"), 14.5 / 24);
  EXPECT_DOUBLE_EQ(StringToNumber("1970-01-01T00:00:30.5"), 30.5 / 86400);
  EXPECT_TRUE(std::isnan(StringToNumber("1970-01-01T25:00")));
  EXPECT_TRUE(std::isnan(StringToNumber("1970-01-01T12")));
  EXPECT_TRUE(std::isnan(StringToNumber("1970-01-01T12:00+2")));
  EXPECT_TRUE(std::isnan(StringToNumber("1970-01-01X12:00")));
}

TEST(FormatDateTest, IsoWithFourDigitYears) {
  EXPECT_EQ(FormatDays(0), "1970-01-01");
  EXPECT_EQ(FormatDays(19844), "2024-05-01");
  EXPECT_EQ(FormatDays(-1), "1969-12-31");
  EXPECT_EQ(FormatDays(11016), "2000-02-29");
  EXPECT_EQ(FormatDays(core::DaysSinceEpoch(core::Date{5, 3, 9})), "0005-03-09");
  EXPECT_EQ(FormatDays(core::DaysSinceEpoch(core::Date{12345, 1, 2})), "12345-01-02");
  EXPECT_EQ(FormatDays(core::DaysSinceEpoch(core::Date{-44, 3, 15})), "-0044-03-15");
  // Years 1-9999 read back.
  for (int64_t days = -719162; days <= 2932896; days += 997) {
    EXPECT_EQ(StringToNumber(FormatDays(days)), static_cast<double>(days)) << days;
  }
}

TEST(FormatNumberTest, LikeEcmaScript) {
  EXPECT_EQ(Format(0), "0");
  EXPECT_EQ(Format(-0.0), "0");
  EXPECT_EQ(Format(12), "12");
  EXPECT_EQ(Format(-12), "-12");
  EXPECT_EQ(Format(0.5), "0.5");
  EXPECT_EQ(Format(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(Format(123456789.125), "123456789.125");
  EXPECT_EQ(Format(9007199254740993.0), "9007199254740992");
  EXPECT_EQ(Format(1e20), "100000000000000000000");
  EXPECT_EQ(Format(-1.2345678901234567e20), "-123456789012345670000");
  EXPECT_EQ(Format(1e21), "1e+21");
  EXPECT_EQ(Format(1.5e300), "1.5e+300");
  EXPECT_EQ(Format(1e-6), "0.000001");
  EXPECT_EQ(Format(-1.2345678901234567e-6), "-0.0000012345678901234567");
  EXPECT_EQ(Format(1e-7), "1e-7");
  EXPECT_EQ(Format(-2.5e-300), "-2.5e-300");
  EXPECT_EQ(Format(5e-324), "5e-324");
  EXPECT_EQ(Format(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(Format(std::nan("")), "NaN");
  EXPECT_EQ(Format(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(Format(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(FormatNumberTest, ReadsBack) {
  // Within the range written without an exponent (XPath numbers have none).
  for (double number : {0.1, 0.2, 0.30000000000000004, 1e-5, 123.456, 98765.4321, 2.5e15, 7e-6,
                        1.2345678901234567e20}) {
    EXPECT_EQ(StringToNumber(Format(number)), number) << Format(number);
  }
}

TEST(SelectedTest, WholeTokensOnly) {
  EXPECT_TRUE(IsSelected("a b c", "a"));
  EXPECT_TRUE(IsSelected("a b c", "b"));
  EXPECT_TRUE(IsSelected("a b c", "c"));
  EXPECT_FALSE(IsSelected("none", "no"));
  EXPECT_FALSE(IsSelected("nonono", "no"));
  EXPECT_TRUE(IsSelected("nonono no", "no"));
  EXPECT_TRUE(IsSelected("\tno\n", "no"));
  EXPECT_FALSE(IsSelected("", "no"));
  EXPECT_FALSE(IsSelected("no", ""));
  EXPECT_FALSE(IsSelected("a b", "a b"));
}

TEST(SelectedTest, CountsTokens) {
  EXPECT_EQ(CountSelected(""), 0);
  EXPECT_EQ(CountSelected(" \t\n"), 0);
  EXPECT_EQ(CountSelected("a"), 1);
  EXPECT_EQ(CountSelected("  a  b  "), 2);
  EXPECT_EQ(CountSelected("a\tb\nc\rd"), 4);
}

TEST(CodePointsTest, CountsUtf8) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("\xC3\xA9"), 1u);
  EXPECT_EQ(CountCodePoints("\xE2\x82\xAC 5"), 3u);
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80"), 1u);
}

TEST(TrimTest, XmlWhitespace) {
  EXPECT_EQ(TrimXmlSpace("  a b \t\r\n"), "a b");
  EXPECT_EQ(TrimXmlSpace(""), "");
  EXPECT_EQ(TrimXmlSpace(" \t "), "");
}

}  // namespace
}  // namespace opendtm::expr::internal
