#include "core/number.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/csv_reader.h"

namespace opendtm::core {
namespace {

TEST(ParseNumberTest, AcceptsPlainSignedAndDecimal) {
  EXPECT_EQ(ParseNumber("12"), 12.0);
  EXPECT_EQ(ParseNumber("-12"), -12.0);
  EXPECT_EQ(ParseNumber("+12"), 12.0);
  EXPECT_EQ(ParseNumber("0.5"), 0.5);
  EXPECT_EQ(ParseNumber(".5"), 0.5);
  EXPECT_EQ(ParseNumber("-.5"), -0.5);
  EXPECT_EQ(ParseNumber("27.6811"), 27.6811);
  EXPECT_EQ(ParseNumber("  37 "), 37.0);
  EXPECT_EQ(ParseNumber("\t85.2906\xC2\xA0"), 85.2906);
  EXPECT_EQ(ParseNumber("1.5e3"), 1500.0);
  EXPECT_EQ(ParseNumber("1E-2"), 0.01);
  EXPECT_EQ(ParseNumber("007"), 7.0);
}

TEST(ParseNumberTest, AcceptsValidThousandsGrouping) {
  EXPECT_EQ(ParseNumber("12,419"), 12419.0);
  EXPECT_EQ(ParseNumber("66,756"), 66756.0);
  EXPECT_EQ(ParseNumber("1,234,567.5"), 1234567.5);
  EXPECT_EQ(ParseNumber("-1,000"), -1000.0);
  EXPECT_EQ(ParseNumber("999,999"), 999999.0);
}

TEST(ParseNumberTest, RejectsBadGrouping) {
  EXPECT_EQ(ParseNumber("1,23"), std::nullopt);
  EXPECT_EQ(ParseNumber("1,2345"), std::nullopt);
  EXPECT_EQ(ParseNumber("1234,567"), std::nullopt);
  EXPECT_EQ(ParseNumber("1,,234"), std::nullopt);
  EXPECT_EQ(ParseNumber(",123"), std::nullopt);
  EXPECT_EQ(ParseNumber("123,"), std::nullopt);
  EXPECT_EQ(ParseNumber("0,123"), std::nullopt);
  EXPECT_EQ(ParseNumber("1,234.5,6"), std::nullopt);
  EXPECT_EQ(ParseNumber("1.234,5"), std::nullopt);  // decimal comma: not supported
}

TEST(ParseNumberTest, RejectsNonNumbers) {
  for (const char* text :
       {"",   "   ", "abc", "12abc", "12 419", "NaN", "nan", "inf",   "-inf", "Infinity", "0x1A",
        "5.", ".",   "-",   "+-5",   "1e",     "1e+", "e5",  "1.2.3", "--5",  "> 75",     "12%"}) {
    EXPECT_EQ(ParseNumber(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(ParseNumberTest, RejectsOutOfRange) {
  EXPECT_EQ(ParseNumber("1e400"), std::nullopt);
  EXPECT_EQ(ParseNumber("-1e400"), std::nullopt);
  EXPECT_EQ(ParseNumber("1e-400"), std::nullopt);
  EXPECT_EQ(ParseNumber("1.7976931348623157e308"), std::numeric_limits<double>::max());
}

TEST(ParseIntegerTest, AcceptsWholeNumbers) {
  EXPECT_EQ(ParseInteger("12"), 12);
  EXPECT_EQ(ParseInteger(" -12,419 "), -12419);
  EXPECT_EQ(ParseInteger("12,419"), 12419);
  EXPECT_EQ(ParseInteger("+7"), 7);
  EXPECT_EQ(ParseInteger("0"), 0);
  EXPECT_EQ(ParseInteger("12.0"), 12);  // pandas' float spelling of an integer
  EXPECT_EQ(ParseInteger("12.000"), 12);
  EXPECT_EQ(ParseInteger("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseInteger("-9,223,372,036,854,775,808"), std::numeric_limits<int64_t>::min());
}

TEST(ParseIntegerTest, RejectsFractionsExponentsAndOverflow) {
  for (const char* text : {"12.5", "12.01", "1e3", "", "abc", "1,23", ".0", "12.",
                           "9223372036854775808", "-9223372036854775809", "NaN"}) {
    EXPECT_EQ(ParseInteger(text), std::nullopt) << "'" << text << "'";
  }
}

// Plain digits (and digits '.' digits) take a shorter road than the full
// grammar; the answers are the same, at the edges of that road too.
TEST(ParseIntegerTest, PlainDigitsAndTheirNeighboursFollowTheGrammar) {
  EXPECT_EQ(ParseInteger("007"), 7);
  EXPECT_EQ(ParseInteger("-0"), 0);
  EXPECT_EQ(ParseInteger("-12"), -12);
  EXPECT_EQ(ParseInteger("123456789012345678"), 123456789012345678);     // 18 digits
  EXPECT_EQ(ParseInteger("-123456789012345678"), -123456789012345678);
  EXPECT_EQ(ParseInteger("1234567890123456789"), 1234567890123456789);   // 19: the long road
  EXPECT_EQ(ParseInteger(" 12"), 12);
  EXPECT_EQ(ParseInteger("12 "), 12);
  for (const char* text : {"-", "--1", "1-", "12a", "1 2", "12.5", "99999999999999999999"}) {
    EXPECT_EQ(ParseInteger(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(ParseNumberTest, PlainDecimalsAndTheirNeighboursFollowTheGrammar) {
  EXPECT_EQ(ParseNumber("13.801929"), 13.801929);
  EXPECT_EQ(ParseNumber("-5.717233"), -5.717233);
  EXPECT_EQ(ParseNumber("007.50"), 7.5);
  EXPECT_EQ(ParseNumber("42"), 42.0);
  EXPECT_EQ(ParseNumber("0.1"), 0.1);  // correctly rounded, as the long road
  EXPECT_EQ(ParseNumber(".5"), 0.5);
  EXPECT_EQ(ParseNumber("1.5e3"), 1500.0);
  EXPECT_EQ(ParseNumber("+2.5"), 2.5);
  EXPECT_EQ(ParseNumber("1234567890123456789012.5"), 1234567890123456789012.5);
  for (const char* text : {"5.", "-.", "1.2.3", "1..2", "12-", "-", "1.5x"}) {
    EXPECT_EQ(ParseNumber(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(FormatNumberTest, WritesShortestRoundTripText) {
  EXPECT_EQ(FormatNumber(12), "12");
  EXPECT_EQ(FormatNumber(0.5), "0.5");
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(-3.25), "-3.25");
  EXPECT_EQ(FormatNumber(12419), "12419");
  EXPECT_EQ(FormatNumber(0.0), "0");
  EXPECT_EQ(FormatNumber(-0.0), "0");
  EXPECT_EQ(FormatNumber(1e20), "1e+20");
  EXPECT_EQ(FormatNumber(std::nan("")), "nan");
  EXPECT_EQ(FormatNumber(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatNumber(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(FormatNumberTest, RoundTripsThroughParseNumber) {
  for (double value : {0.1 + 0.2, 1.0 / 3.0, 27.6811, 85.2906, 1e-300, 123456789.125,
                       std::numeric_limits<double>::max(), -2.5e-7}) {
    const std::string text = FormatNumber(value);
    EXPECT_EQ(ParseNumber(text), value) << text;
  }
}

// The banner row of the Nepal file carries the totals: "12,419" households and
// "66,756" individuals. They must equal the column sums of the 146 site rows.
TEST(ParseNumberTest, RealNepalBannerTotalsMatchColumnSums) {
  Result<CsvTable> table =
      ReadCsvFile(std::string(OPENDTM_SHARED_DIR) +
                      "/data/real/dtm-nepal-2015-site-assessment-round2.redacted.csv",
                  CsvOptions{});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const std::vector<std::vector<std::string>>& rows = table->rows;
  ASSERT_GT(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "12,419");
  EXPECT_EQ(rows[0][2], "66,756");
  const std::optional<int64_t> households_total = ParseInteger(rows[0][0]);
  const std::optional<int64_t> individuals_total = ParseInteger(rows[0][2]);
  ASSERT_TRUE(households_total.has_value());
  ASSERT_TRUE(individuals_total.has_value());

  const std::vector<std::string>& header = rows[2];
  int households_column = -1;
  int individuals_column = -1;
  for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
    if (header[column_idx] == "2.1.a.1 Total Number of IDP Families/HHs") {
      households_column = static_cast<int>(column_idx);
    }
    if (header[column_idx] == "2.1.b.2 Total number of IDP") {
      individuals_column = static_cast<int>(column_idx);
    }
  }
  ASSERT_GE(households_column, 0);
  ASSERT_GE(individuals_column, 0);

  int64_t households = 0;
  int64_t individuals = 0;
  for (size_t row_idx = 3; row_idx < rows.size(); ++row_idx) {
    const std::optional<int64_t> site_households = ParseInteger(rows[row_idx][households_column]);
    const std::optional<int64_t> site_individuals = ParseInteger(rows[row_idx][individuals_column]);
    ASSERT_TRUE(site_households.has_value()) << "row " << row_idx + 1;
    ASSERT_TRUE(site_individuals.has_value()) << "row " << row_idx + 1;
    households += *site_households;
    individuals += *site_individuals;
  }
  EXPECT_EQ(households, 12419);
  EXPECT_EQ(households, *households_total);
  EXPECT_EQ(individuals, 66756);
  EXPECT_EQ(individuals, *individuals_total);
}

}  // namespace
}  // namespace opendtm::core
