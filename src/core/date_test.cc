#include "core/date.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_reader.h"

namespace opendtm::core {

// Readable failure messages ("2015-05-21" instead of the object's bytes).
void PrintTo(const Date& date, std::ostream* out) { *out << ToIso(date); }

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ErrorOf(const Result<Date>& result) {
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  return result.status().message();
}

DateColumnInference Infer(const std::vector<std::string_view>& values) {
  return InferDateOrder(values);
}

TEST(DateTest, OrdersChronologically) {
  EXPECT_LT((Date{2015, 4, 25}), (Date{2015, 5, 1}));
  EXPECT_LT((Date{2014, 12, 31}), (Date{2015, 1, 1}));
  EXPECT_LT((Date{2015, 5, 1}), (Date{2015, 5, 2}));
  EXPECT_EQ((Date{2015, 5, 21}), (Date{2015, 5, 21}));
  EXPECT_NE((Date{2015, 5, 21}), (Date{2015, 5, 22}));
}

TEST(DateTest, LeapYearsAndValidity) {
  EXPECT_TRUE(IsLeapYear(2016));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2015));
  EXPECT_EQ(DaysInMonth(2015, 2), 28);
  EXPECT_EQ(DaysInMonth(2016, 2), 29);
  EXPECT_EQ(DaysInMonth(2015, 4), 30);
  EXPECT_EQ(DaysInMonth(2015, 13), 0);
  EXPECT_TRUE(IsValidDate({2016, 2, 29}));
  EXPECT_FALSE(IsValidDate({2015, 2, 29}));
  EXPECT_FALSE(IsValidDate({1900, 2, 29}));
  EXPECT_TRUE(IsValidDate({2000, 2, 29}));
  EXPECT_FALSE(IsValidDate({2015, 4, 31}));
  EXPECT_FALSE(IsValidDate({2015, 0, 1}));
  EXPECT_FALSE(IsValidDate({2015, 1, 0}));
  EXPECT_FALSE(IsValidDate({0, 1, 1}));
  EXPECT_FALSE(IsValidDate({10000, 1, 1}));
  EXPECT_TRUE(IsValidDate({1, 1, 1}));
  EXPECT_TRUE(IsValidDate({9999, 12, 31}));
}

TEST(DateTest, DaysSinceEpochKnownValues) {
  EXPECT_EQ(DaysSinceEpoch({1970, 1, 1}), 0);
  EXPECT_EQ(DaysSinceEpoch({1970, 1, 2}), 1);
  EXPECT_EQ(DaysSinceEpoch({1969, 12, 31}), -1);
  EXPECT_EQ(DaysSinceEpoch({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysSinceEpoch({2015, 4, 25}), 16550);
  EXPECT_EQ(DaysSinceEpoch({1, 1, 1}), -719162);
  EXPECT_EQ(DaysSinceEpoch({9999, 12, 31}), 2932896);
  EXPECT_EQ(DaysSinceEpoch({2016, 3, 1}) - DaysSinceEpoch({2016, 2, 28}), 2);
  EXPECT_EQ(DaysSinceEpoch({2015, 3, 1}) - DaysSinceEpoch({2015, 2, 28}), 1);
}

TEST(DateTest, FromDaysSinceEpochInvertsEveryDay) {
  // Every day from 1600-01-01 to 2400-12-31, which crosses both kinds of century.
  Date expected{1600, 1, 1};
  for (int64_t days = DaysSinceEpoch({1600, 1, 1}); days <= DaysSinceEpoch({2400, 12, 31});
       ++days) {
    const Date date = FromDaysSinceEpoch(days);
    ASSERT_EQ(date, expected) << days;
    ASSERT_EQ(DaysSinceEpoch(date), days);
    // Advance `expected` by one calendar day independently of the algorithm.
    if (++expected.day > DaysInMonth(expected.year, expected.month)) {
      expected.day = 1;
      if (++expected.month > 12) {
        expected.month = 1;
        ++expected.year;
      }
    }
  }
  EXPECT_EQ(FromDaysSinceEpoch(-719162), (Date{1, 1, 1}));
  EXPECT_EQ(FromDaysSinceEpoch(2932896), (Date{9999, 12, 31}));
}

TEST(DateTest, ToIsoPadsWithZeros) {
  EXPECT_EQ(ToIso({2015, 5, 4}), "2015-05-04");
  EXPECT_EQ(ToIso({33, 12, 31}), "0033-12-31");
}

TEST(ParseIsoDateTest, AcceptsDateAndApiMidnight) {
  EXPECT_EQ(*ParseIsoDate("2015-05-21"), (Date{2015, 5, 21}));
  EXPECT_EQ(*ParseIsoDate("2010-11-30T00:00:00"), (Date{2010, 11, 30}));
  EXPECT_EQ(*ParseIsoDate("2016-02-29"), (Date{2016, 2, 29}));
}

TEST(ParseIsoDateTest, RejectsLooseOrInvalidText) {
  for (const char* text :
       {"2015-5-21", "15-05-21", "2015/05/21", " 2015-05-21", "2015-05-21 ", "2015-05-21T10:30:00",
        "2015-05-21T00:00:00Z", "2015-05-21T", "", "20150521", "2015-05-2x"}) {
    EXPECT_THAT(ErrorOf(ParseIsoDate(text)), HasSubstr("is not an ISO date")) << text;
  }
  EXPECT_EQ(ErrorOf(ParseIsoDate("2015-02-29")),
            "'2015-02-29' is not a valid date: February 2015 has 28 days");
  EXPECT_EQ(ErrorOf(ParseIsoDate("2015-13-01")),
            "'2015-13-01' is not a valid date: month 13 is not in 1-12");
  EXPECT_EQ(ErrorOf(ParseIsoDate("2015-04-00")),
            "'2015-04-00' is not a valid date: day 0 is not in 1-30");
  EXPECT_EQ(ErrorOf(ParseIsoDate("0000-01-01")),
            "'0000-01-01' is not a valid date: year 0 is not in 1-9999");
}

TEST(ExcelSerialTest, FollowsExcels1900System) {
  EXPECT_EQ(FromExcelSerial(1), (Date{1900, 1, 1}));
  EXPECT_EQ(FromExcelSerial(59), (Date{1900, 2, 28}));
  EXPECT_EQ(FromExcelSerial(60), std::nullopt);  // Excel's fictitious 1900-02-29
  EXPECT_EQ(FromExcelSerial(61), (Date{1900, 3, 1}));
  EXPECT_EQ(FromExcelSerial(25569), (Date{1970, 1, 1}));
  EXPECT_EQ(FromExcelSerial(42139), (Date{2015, 5, 15}));
  EXPECT_EQ(FromExcelSerial(42119), (Date{2015, 4, 25}));  // the earthquake
  EXPECT_EQ(FromExcelSerial(42145.75), (Date{2015, 5, 21}));
  EXPECT_EQ(FromExcelSerial(2958465), (Date{9999, 12, 31}));
  EXPECT_EQ(FromExcelSerial(2958465.5), (Date{9999, 12, 31}));
  EXPECT_EQ(FromExcelSerial(2958466), std::nullopt);
  EXPECT_EQ(FromExcelSerial(0), std::nullopt);
  EXPECT_EQ(FromExcelSerial(0.5), std::nullopt);
  EXPECT_EQ(FromExcelSerial(-5), std::nullopt);
  EXPECT_EQ(FromExcelSerial(std::nan("")), std::nullopt);
}

TEST(ParseDateTest, ReadsEverySupportedSpelling) {
  const Date may21{2015, 5, 21};
  EXPECT_EQ(*ParseDate("2015-05-21", DateOrder::kDayFirst), may21);
  EXPECT_EQ(*ParseDate("2015-05-21T00:00:00", DateOrder::kMonthFirst), may21);
  EXPECT_EQ(*ParseDate("21.05.2015", DateOrder::kDayFirst), may21);
  EXPECT_EQ(*ParseDate("21/05/2015", DateOrder::kDayFirst), may21);
  EXPECT_EQ(*ParseDate("21/5/15", DateOrder::kDayFirst), may21);
  EXPECT_EQ(*ParseDate("21-05-2015", DateOrder::kDayFirst), may21);
  EXPECT_EQ(*ParseDate("5/21/2015", DateOrder::kMonthFirst), may21);
  EXPECT_EQ(*ParseDate("42145", DateOrder::kDayFirst), may21);
  EXPECT_EQ(*ParseDate("42145.0", DateOrder::kAmbiguous), may21);
  EXPECT_EQ(*ParseDate(" 21/05/2015 ", DateOrder::kDayFirst), may21);
  EXPECT_EQ(*ParseDate("4/6/15", DateOrder::kDayFirst), (Date{2015, 6, 4}));
  EXPECT_EQ(*ParseDate("4/6/15", DateOrder::kMonthFirst), (Date{2015, 4, 6}));
  // A bare four-digit number is an Excel serial, not a year (documented trap).
  EXPECT_EQ(*ParseDate("2015", DateOrder::kDayFirst), (Date{1905, 7, 7}));
}

TEST(ParseDateTest, TwoDigitYearsPivotAt70) {
  EXPECT_EQ(ParseDate("1/2/00", DateOrder::kDayFirst)->year, 2000);
  EXPECT_EQ(ParseDate("1/2/15", DateOrder::kDayFirst)->year, 2015);
  EXPECT_EQ(ParseDate("1/2/69", DateOrder::kDayFirst)->year, 2069);
  EXPECT_EQ(ParseDate("1/2/70", DateOrder::kDayFirst)->year, 1970);
  EXPECT_EQ(ParseDate("1/2/99", DateOrder::kDayFirst)->year, 1999);
}

TEST(ParseDateTest, ExplainsWhatIsWrong) {
  EXPECT_EQ(ErrorOf(ParseDate("31/02/2015", DateOrder::kDayFirst)),
            "'31/02/2015' is not a valid date read day-first: February 2015 has 28 days");
  EXPECT_EQ(ErrorOf(ParseDate("4/25/15", DateOrder::kDayFirst)),
            "'4/25/15' is not a valid date read day-first: month 25 is not in 1-12");
  EXPECT_EQ(ErrorOf(ParseDate("21/05/2015", DateOrder::kMonthFirst)),
            "'21/05/2015' is not a valid date read month-first: month 21 is not in 1-12");
  EXPECT_EQ(ErrorOf(ParseDate("29/02/15", DateOrder::kDayFirst)),
            "'29/02/15' is not a valid date read day-first: February 2015 has 28 days");
  EXPECT_EQ(ErrorOf(ParseDate("31/13/2015", DateOrder::kNotNeeded)),
            "'31/13/2015' is not a valid date: read day-first, month 13 is not in 1-12; read "
            "month-first, month 31 is not in 1-12");
  EXPECT_EQ(ErrorOf(ParseDate("", DateOrder::kDayFirst)), "'' is not a date: the value is empty");
  EXPECT_EQ(ErrorOf(ParseDate("60", DateOrder::kDayFirst)),
            "'60' is not a date: Excel serial 60 is 1900-02-29, which does not exist");
  EXPECT_THAT(ErrorOf(ParseDate("0", DateOrder::kDayFirst)), HasSubstr("outside 1-2958465"));
  for (const char* text : {"soon", "Unknown", "21/05", "21/05/015", "21/05-2015", "121/5/2015",
                           "2015/05/21", "21 May 2015", "5."}) {
    EXPECT_THAT(ErrorOf(ParseDate(text, DateOrder::kDayFirst)),
                HasSubstr("is not a date: expected YYYY-MM-DD, D/M/Y, M/D/Y or an Excel serial"))
        << text;
  }
}

TEST(ParseDateTest, WithoutAnOrderOnlySelfEvidentValuesParse) {
  for (DateOrder order : {DateOrder::kNotNeeded, DateOrder::kAmbiguous, DateOrder::kConflicting}) {
    EXPECT_EQ(*ParseDate("21/05/2015", order), (Date{2015, 5, 21})) << DateOrderName(order);
    EXPECT_EQ(*ParseDate("4/25/15", order), (Date{2015, 4, 25})) << DateOrderName(order);
    EXPECT_EQ(*ParseDate("5/5/15", order), (Date{2015, 5, 5})) << DateOrderName(order);
    EXPECT_EQ(ErrorOf(ParseDate("4/6/15", order)),
              "'4/6/15' has an ambiguous day/month order: 4 June 2015 or 6 April 2015");
  }
}

TEST(InferDateOrderTest, FirstNumberAbove12SettlesDayFirst) {
  const DateColumnInference inference = Infer({"21/05/2015", "4/6/15", "", "  ", "13.04.2015"});
  EXPECT_EQ(inference.order, DateOrder::kDayFirst);
  EXPECT_EQ(inference.non_empty_count, 3);
  EXPECT_EQ(inference.day_first_count, 2);
  EXPECT_EQ(inference.ambiguous_count, 1);
  EXPECT_THAT(inference.day_first_examples, ElementsAre("21/05/2015", "13.04.2015"));
  EXPECT_THAT(inference.Describe(), HasSubstr("'21/05/2015' and '13.04.2015'"));
}

TEST(InferDateOrderTest, SecondNumberAbove12SettlesMonthFirst) {
  const DateColumnInference inference = Infer({"4/6/15", "4/25/2015", "12/31/14"});
  EXPECT_EQ(inference.order, DateOrder::kMonthFirst);
  EXPECT_EQ(inference.month_first_count, 2);
  EXPECT_THAT(inference.month_first_examples, ElementsAre("4/25/2015", "12/31/14"));
}

TEST(InferDateOrderTest, BothKindsOfEvidenceConflict) {
  const DateColumnInference inference = Infer({"21/05/2015", "4/25/15", "25/04/2015", "4/6/15"});
  EXPECT_EQ(inference.order, DateOrder::kConflicting);
  EXPECT_EQ(inference.day_first_count, 2);
  EXPECT_EQ(inference.month_first_count, 1);
  EXPECT_EQ(inference.Describe(),
            "conflicting day/month order: '21/05/2015' and '25/04/2015' can only be day-first "
            "but '4/25/15' can only be month-first (2 day-first values, 1 month-first value)");
}

TEST(InferDateOrderTest, UnsettledAmbiguousValuesMakeTheColumnAmbiguous) {
  const DateColumnInference inference = Infer({"4/6/15", "5/5/15", "2015-05-21", "3/7/2015"});
  EXPECT_EQ(inference.order, DateOrder::kAmbiguous);
  EXPECT_EQ(inference.ambiguous_count, 2);
  EXPECT_EQ(inference.order_free_count, 1);
  EXPECT_EQ(inference.iso_count, 1);
  EXPECT_THAT(inference.ambiguous_examples, ElementsAre("4/6/15", "3/7/2015"));
  EXPECT_THAT(inference.Describe(),
              HasSubstr("ambiguous day/month order: '4/6/15' and '3/7/2015'"));
}

TEST(InferDateOrderTest, IsoSerialsAndSameDayValuesNeedNoOrder) {
  const DateColumnInference inference =
      Infer({"2015-05-21", "42139", "5/5/15", "2010-11-30T00:00:00"});
  EXPECT_EQ(inference.order, DateOrder::kNotNeeded);
  EXPECT_EQ(inference.iso_count, 2);
  EXPECT_EQ(inference.excel_serial_count, 1);
  EXPECT_EQ(inference.order_free_count, 1);
  EXPECT_EQ(Infer({}).order, DateOrder::kNotNeeded);
  EXPECT_EQ(Infer({"", " "}).non_empty_count, 0);
}

TEST(InferDateOrderTest, InvalidValuesAreCountedNotEvidence) {
  // 29/02/15 is invalid day-first (2015 is not a leap year) and month-first.
  const DateColumnInference inference =
      Infer({"31/13/2015", "29/02/15", "Unknown", "2015-02-30", "60", "4/6/15"});
  EXPECT_EQ(inference.order, DateOrder::kAmbiguous);
  EXPECT_EQ(inference.invalid_count, 5);
  EXPECT_EQ(inference.day_first_count, 0);
  EXPECT_EQ(inference.month_first_count, 0);
  EXPECT_THAT(inference.invalid_examples, ElementsAre("31/13/2015", "29/02/15", "Unknown"));
  EXPECT_THAT(inference.Describe(), HasSubstr("5 values not a date in any order"));
}

TEST(InferDateOrderTest, LeapDaySettlesOnlyInALeapYear) {
  // 29/02/16 is valid only day-first; 02/29/16 only month-first.
  EXPECT_EQ(Infer({"29/02/16", "4/6/16"}).order, DateOrder::kDayFirst);
  EXPECT_EQ(Infer({"02/29/16", "4/6/16"}).order, DateOrder::kMonthFirst);
}

TEST(InferDateOrderTest, KeepsAtMostThreeDistinctExamples) {
  const DateColumnInference inference =
      Infer({"13/1/15", "13/1/15", "14/1/15", "15/1/15", "16/1/15", "17/1/15"});
  EXPECT_EQ(inference.day_first_count, 6);
  EXPECT_THAT(inference.day_first_examples, ElementsAre("13/1/15", "14/1/15", "15/1/15"));
  EXPECT_EQ(kMaxDateExamples, 3);
}

TEST(InferDateOrderTest, ColumnWithoutDatesSaysSo) {
  const DateColumnInference inference = Infer({"Unknown", ">2 months", "Unknown"});
  EXPECT_EQ(inference.order, DateOrder::kNotNeeded);
  EXPECT_EQ(inference.invalid_count, 3);
  EXPECT_EQ(inference.Describe(),
            "no date values; 3 values not a date in any order, e.g. 'Unknown' and '>2 months'");
}

// The real Nepal DTM round 2 file: survey dates mix DD/MM/YYYY and D/M/YY
// although the header says DD.MM.YYYY. Row 3 is the header, data from row 4.
CsvTable ReadNepalFile() {
  Result<CsvTable> table =
      ReadCsvFile(std::string(OPENDTM_SHARED_DIR) +
                      "/data/real/dtm-nepal-2015-site-assessment-round2.redacted.csv",
                  CsvOptions{});
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return std::move(table).value_or(CsvTable{});
}

// The data values of the column whose header starts with `code` + " ".
std::vector<std::string_view> Column(const CsvTable& table, std::string_view code) {
  std::vector<std::string_view> values;
  if (table.rows.size() < 3) return values;
  const std::vector<std::string>& header = table.rows[2];
  for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
    if (!header[column_idx].starts_with(std::string(code) + " ")) continue;
    for (size_t row_idx = 3; row_idx < table.rows.size(); ++row_idx) {
      values.push_back(table.rows[row_idx].at(column_idx));
    }
    return values;
  }
  ADD_FAILURE() << "no column " << code;
  return values;
}

TEST(NepalDatesTest, SurveyDateColumnIsDayFirstAndAllIn2015) {
  const CsvTable table = ReadNepalFile();
  ASSERT_GT(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[2].at(3), "1.1.a.1 Survey date (DD.MM.YYYY)");
  const std::vector<std::string_view> values = Column(table, "1.1.a.1");
  ASSERT_EQ(values.size(), 146u);

  const DateColumnInference inference = InferDateOrder(values);
  EXPECT_EQ(inference.order, DateOrder::kDayFirst) << inference.Describe();
  EXPECT_EQ(inference.non_empty_count, 146);
  EXPECT_EQ(inference.month_first_count, 0);
  EXPECT_EQ(inference.invalid_count, 0);
  EXPECT_GT(inference.day_first_count, 100);
  EXPECT_GT(inference.ambiguous_count, 0);  // "4/6/15" and the like

  int d_m_yy = 0;
  int before_earthquake = 0;
  for (std::string_view value : values) {
    Result<Date> date = ParseDate(value, inference.order);
    ASSERT_TRUE(date.ok()) << date.status().ToString();
    EXPECT_TRUE(IsValidDate(*date));
    EXPECT_EQ(date->year, 2015) << value;
    if (value.size() <= 7) ++d_m_yy;
    if (*date < Date{2015, 4, 25}) ++before_earthquake;
  }
  EXPECT_GT(d_m_yy, 0);  // the mix of spellings is real
  // A data issue, not a parse failure: "13/04/2015" and "10/4/15".
  EXPECT_EQ(before_earthquake, 2);
}

TEST(NepalDatesTest, SiteStartDateColumnHasConflictingOrder) {
  // Two values ("4/25/15", "4/26/15") were typed month-first among day-first ones.
  const CsvTable table = ReadNepalFile();
  const DateColumnInference inference = InferDateOrder(Column(table, "1.4.a.1"));
  EXPECT_EQ(inference.order, DateOrder::kConflicting) << inference.Describe();
  EXPECT_EQ(inference.month_first_count, 2);
  EXPECT_THAT(inference.month_first_examples, ElementsAre("4/25/15", "4/26/15"));
  EXPECT_THAT(inference.Describe(), HasSubstr("'4/25/15' and '4/26/15' can only be month-first"));
}

}  // namespace
}  // namespace opendtm::core
