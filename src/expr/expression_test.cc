#include "expr/expression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "expr/internal/conversions.h"

namespace opendtm::expr {
namespace {

// The questions every test form has, by slot.
const std::vector<std::string>& QuestionNames() {
  static const std::vector<std::string> names = {
      "a",      "b",       "c",        "d",        "smc_exists",  "unsafe_areas", "m_0_1",
      "m_1_5",  "m_6_17",  "m_18_59",  "m_60plus", "m_total",     "f_0_1",        "f_1_5",
      "f_6_17", "f_18_59", "f_60plus", "f_total",  "survey_date", "site_code",    "pattern",
  };
  return names;
}

std::optional<int> Resolve(std::string_view name) {
  const std::vector<std::string>& names = QuestionNames();
  for (size_t slot = 0; slot < names.size(); ++slot) {
    if (names[slot] == name) return static_cast<int>(slot);
  }
  return std::nullopt;
}

// 2024-05-01.
constexpr int64_t kToday = 19844;

// One submitted row: values by question name, laid out in slots.
class Row {
 public:
  using Values = std::initializer_list<std::pair<std::string, std::string>>;

  Row(Values values = {}, std::string current = "")
      : values_(QuestionNames().size()), current_(std::move(current)) {
    for (const auto& [name, value] : values) Set(name, value);
    for (const std::string& value : values_) views_.push_back(value);
  }
  explicit Row(const std::map<std::string, std::string>& values) : values_(QuestionNames().size()) {
    for (const auto& [name, value] : values) Set(name, value);
    for (const std::string& value : values_) views_.push_back(value);
  }

  void Set(const std::string& name, const std::string& value) {
    values_[static_cast<size_t>(*Resolve(name))] = value;
  }

  EvaluationContext Context() const {
    EvaluationContext context;
    context.slots = views_;
    context.current = current_;
    context.today_days = kToday;
    return context;
  }

 private:
  std::vector<std::string> values_;
  std::vector<std::string_view> views_;
  std::string current_;
};

Expression MustCompile(std::string_view text) {
  Result<Expression> compiled = Expression::Compile(text, Resolve);
  EXPECT_TRUE(compiled.ok()) << text << ": " << compiled.status().ToString();
  if (!compiled.ok()) std::abort();
  return std::move(compiled).value();
}

Value Eval(std::string_view text, const Row& row = Row()) {
  return MustCompile(text).Evaluate(row.Context());
}

double Number(std::string_view text, const Row& row = Row()) {
  Value value = Eval(text, row);
  EXPECT_EQ(value.kind(), Value::Kind::kNumber) << text;
  return value.AsNumber();
}

std::string String(std::string_view text, const Row& row = Row()) {
  return Eval(text, row).AsString();
}

bool True(std::string_view text, const Row& row = Row()) {
  const Expression expression = MustCompile(text);
  const bool result = expression.EvaluateBoolean(row.Context());
  // Evaluate and EvaluateBoolean always agree.
  EXPECT_EQ(expression.Evaluate(row.Context()).AsBoolean(), result) << text;
  return result;
}

// The message of the compile error for `text`, "" when it compiles.
std::string ErrorOf(std::string_view text) {
  Result<Expression> compiled = Expression::Compile(text, Resolve);
  if (compiled.ok()) return "";
  EXPECT_EQ(compiled.status().code(), StatusCode::kInvalidArgument);
  return compiled.status().message();
}

// ---- Literals and syntax -------------------------------------------------------

TEST(ExpressionLiteralsTest, Numbers) {
  EXPECT_EQ(Number("0"), 0);
  EXPECT_EQ(Number("12"), 12);
  EXPECT_EQ(Number("1.5"), 1.5);
  EXPECT_EQ(Number(".5"), 0.5);
  EXPECT_EQ(Number("5."), 5);
  EXPECT_EQ(Number("007"), 7);
  EXPECT_EQ(Number("-3"), -3);
}

TEST(ExpressionLiteralsTest, StringsInEitherQuote) {
  EXPECT_EQ(String("'it is'"), "it is");
  EXPECT_EQ(String("\"it's\""), "it's");
  EXPECT_EQ(String("'say \"hi\"'"), "say \"hi\"");
  EXPECT_EQ(String("''"), "");
  EXPECT_EQ(String("'${a} stays text'"), "${a} stays text");
  EXPECT_EQ(Eval("'x'").kind(), Value::Kind::kString);
}

TEST(ExpressionLiteralsTest, WhitespaceAnywhere) {
  EXPECT_EQ(Number(" \t1\n+\r\n2 "), 3);
  EXPECT_TRUE(True("selected ( ${a} , 'x' )", Row({{"a", "x"}})));
  EXPECT_TRUE(True("${a}='x'and${b}='y'", Row({{"a", "x"}, {"b", "y"}})));
}

TEST(ExpressionLiteralsTest, CurrentValue) {
  EXPECT_EQ(String(".", Row({}, "here")), "here");
  EXPECT_EQ(Number(". + 1", Row({}, "41")), 42);
}

TEST(ExpressionLiteralsTest, ReferencesReadTheirSlot) {
  Row row({{"a", "first"}, {"c", "third"}});
  EXPECT_EQ(String("${a}", row), "first");
  EXPECT_EQ(String("${b}", row), "");
  EXPECT_EQ(String("${c}", row), "third");
}

// ---- Precedence ------------------------------------------------------------

TEST(ExpressionPrecedenceTest, MultiplicativeBeforeAdditive) {
  EXPECT_EQ(Number("1 + 2 * 3"), 7);
  EXPECT_EQ(Number("(1 + 2) * 3"), 9);
  EXPECT_EQ(Number("10 - 6 div 2"), 7);
  EXPECT_EQ(Number("2 + 7 mod 4"), 5);
}

TEST(ExpressionPrecedenceTest, LeftAssociative) {
  EXPECT_EQ(Number("10 - 4 - 3"), 3);
  EXPECT_EQ(Number("16 div 4 div 2"), 2);
  EXPECT_EQ(Number("7 mod 4 * 2"), 6);
  EXPECT_EQ(Number("2 * 3 mod 4"), 2);
  // (3 > 2) > 1 is true > 1, that is 1 > 1.
  EXPECT_FALSE(True("3 > 2 > 1"));
}

TEST(ExpressionPrecedenceTest, UnaryMinusBindsTightest) {
  EXPECT_EQ(Number("-2 * 3"), -6);
  EXPECT_EQ(Number("- - 2"), 2);
  EXPECT_EQ(Number("2 - -2"), 4);
  EXPECT_EQ(Number("-(2 + 3)"), -5);
  EXPECT_EQ(Number("-${a} + 1", Row({{"a", "3"}})), -2);
  EXPECT_EQ(Number("2*-3"), -6);
}

TEST(ExpressionPrecedenceTest, ArithmeticBeforeRelationalBeforeEquality) {
  EXPECT_TRUE(True("1 + 1 < 3"));
  EXPECT_TRUE(True("1 + 2 = 3"));
  EXPECT_TRUE(True("1 < 2 = 2 < 3"));  // (1 < 2) = (2 < 3)
  EXPECT_TRUE(True("1 < 2 = true()"));
  EXPECT_FALSE(True("2 = 2 < 1"));  // 2 = (2 < 1) compares booleans: true = false
}

TEST(ExpressionPrecedenceTest, AndBeforeOr) {
  EXPECT_TRUE(True("1 = 1 or 1 = 2 and 1 = 2"));  // true or (false and false)
  EXPECT_FALSE(True("(1 = 1 or 1 = 2) and 1 = 2"));
  EXPECT_FALSE(True("1 = 2 or 1 = 1 and 1 = 2"));  // false or (true and false)
  EXPECT_TRUE(True("1 = 2 and 1 = 1 or 1 = 1"));   // (false and true) or true
}

TEST(ExpressionPrecedenceTest, EqualityBeforeAnd) {
  EXPECT_TRUE(True("${a} = 'x' and ${b} != 'y'", Row({{"a", "x"}, {"b", "z"}})));
  EXPECT_FALSE(True("${a} = 'x' and ${b} != 'y'", Row({{"a", "x"}, {"b", "y"}})));
}

// ---- Arithmetic ------------------------------------------------------------------

TEST(ExpressionArithmeticTest, DivisionByZeroFollowsIeee) {
  EXPECT_EQ(Number("1 div 0"), INFINITY);
  EXPECT_EQ(Number("-1 div 0"), -INFINITY);
  EXPECT_TRUE(std::isnan(Number("0 div 0")));
  EXPECT_TRUE(std::isnan(Number("5 mod 0")));
  EXPECT_EQ(String("1 div 0"), "Infinity");
  EXPECT_EQ(String("0 div 0"), "NaN");
}

TEST(ExpressionArithmeticTest, ModuloTakesTheSignOfTheDividend) {
  EXPECT_EQ(Number("7 mod 3"), 1);
  EXPECT_EQ(Number("-7 mod 3"), -1);
  EXPECT_EQ(Number("7 mod -3"), 1);
  EXPECT_EQ(Number("7.5 mod 2"), 1.5);
}

TEST(ExpressionArithmeticTest, StringsConvertToNumbers) {
  Row row({{"a", "12"}, {"b", " 3.5 "}, {"c", ""}, {"d", "abc"}});
  EXPECT_EQ(Number("${a} + ${b}", row), 15.5);
  EXPECT_EQ(Number("${a} * 2", row), 24);
  EXPECT_TRUE(std::isnan(Number("${a} + ${c}", row)));  // empty is NaN
  EXPECT_TRUE(std::isnan(Number("${a} + ${d}", row)));
  EXPECT_EQ(Number("true() + true()"), 2);
  EXPECT_EQ(Number("'2' * '3'"), 6);
}

// ---- Comparisons -------------------------------------------------------------------

TEST(ExpressionComparisonTest, StringsCompareAsStrings) {
  EXPECT_FALSE(True("'1.0' = '1'"));
  EXPECT_TRUE(True("'abc' = 'abc'"));
  EXPECT_FALSE(True("'abc' != 'abc'"));
  EXPECT_TRUE(True("${a} = ${b}", Row({{"a", "x"}, {"b", "x"}})));
  EXPECT_TRUE(True("${a} != ${b}", Row({{"a", "x"}, {"b", "y"}})));
}

TEST(ExpressionComparisonTest, EitherSideNumberComparesNumbers) {
  EXPECT_TRUE(True("'1.0' = 1"));
  EXPECT_TRUE(True("1 = ' 1 '"));
  EXPECT_TRUE(True("${a} = 5", Row({{"a", "5.0"}})));
  EXPECT_FALSE(True("${a} = 5", Row({{"a", "five"}})));
}

TEST(ExpressionComparisonTest, EitherSideBooleanComparesBooleans) {
  EXPECT_TRUE(True("${a} = true()", Row({{"a", "no"}})));  // non-empty string is true
  EXPECT_TRUE(True("${a} = false()", Row({{"a", ""}})));
  EXPECT_TRUE(True("1 = true()"));
  EXPECT_TRUE(True("0 = false()"));
  EXPECT_TRUE(True("(0 div 0) = false()"));
  EXPECT_TRUE(True("'false' = true()"));
  EXPECT_TRUE(True("(1 = 1) != (1 = 2)"));
}

TEST(ExpressionComparisonTest, EmptyValues) {
  Row empty({{"a", ""}});
  EXPECT_FALSE(True("${a} = 0", empty));  // NaN = 0
  EXPECT_TRUE(True("${a} != 0", empty));  // NaN != 0
  EXPECT_TRUE(True("${a} = ''", empty));  // string comparison
  EXPECT_FALSE(True("${a} != ''", empty));
  EXPECT_FALSE(True("${a} < 1", empty));
  EXPECT_FALSE(True("${a} >= 1", empty));
  EXPECT_FALSE(True("${a} > -1", empty));
  EXPECT_FALSE(True("${a} != ${a}", empty));                 // "" != "" as strings
  EXPECT_TRUE(True("number(${a}) != number(${a})", empty));  // NaN != NaN
  EXPECT_FALSE(True("number(${a}) = number(${a})", empty));
}

TEST(ExpressionComparisonTest, RelationalAlwaysNumeric) {
  EXPECT_TRUE(True("'10' > '9'"));  // not lexicographic
  EXPECT_FALSE(True("'abc' < 'abd'"));
  EXPECT_FALSE(True("'abc' >= 'abc'"));
  EXPECT_TRUE(True("${a} <= ${b}", Row({{"a", "2"}, {"b", "2"}})));
  EXPECT_TRUE(True("true() > false()"));
  EXPECT_TRUE(True("1 < 2"));
  EXPECT_FALSE(True("2 < 2"));
  EXPECT_TRUE(True("2 <= 2"));
  EXPECT_TRUE(True("3 > 2"));
  EXPECT_TRUE(True("2 >= 2"));
  EXPECT_TRUE(True("${a} > ${b}", Row({{"a", "10"}, {"b", "9"}})));
}

// ---- Dates and today() ------------------------------------------------------------

TEST(ExpressionDateTest, TodayReadsAsIsoDate) {
  Value today = Eval("today()");
  EXPECT_EQ(today.kind(), Value::Kind::kString);
  EXPECT_EQ(today.AsString(), "2024-05-01");
  EXPECT_EQ(today.AsNumber(), kToday);
  EXPECT_EQ(String("string(today())"), "2024-05-01");
  EXPECT_EQ(String("concat('on ', today())"), "on 2024-05-01");
  EXPECT_EQ(Number("number(today())"), kToday);
  EXPECT_EQ(String("string(number(today()))"), "19844");
}

TEST(ExpressionDateTest, DatesCompareWithToday) {
  const char* expression = "${survey_date} <= today()";
  EXPECT_TRUE(True(expression, Row({{"survey_date", "2024-04-30"}})));
  EXPECT_TRUE(True(expression, Row({{"survey_date", "2024-05-01"}})));
  EXPECT_FALSE(True(expression, Row({{"survey_date", "2024-05-02"}})));
  EXPECT_FALSE(True(expression, Row({{"survey_date", ""}})));
  EXPECT_FALSE(True(expression, Row({{"survey_date", "not a date"}})));
  EXPECT_FALSE(True(expression, Row({{"survey_date", "2024-02-30"}})));
  EXPECT_TRUE(True("${survey_date} > '2023-12-31'", Row({{"survey_date", "2024-01-01"}})));
}

TEST(ExpressionDateTest, DateArithmetic) {
  EXPECT_EQ(Number("today() - ${survey_date}", Row({{"survey_date", "2024-04-24"}})), 7);
  EXPECT_TRUE(True("today() - 30 <= ${survey_date}", Row({{"survey_date", "2024-04-10"}})));
  EXPECT_FALSE(True("today() - 30 <= ${survey_date}", Row({{"survey_date", "2024-03-01"}})));
  EXPECT_EQ(Number("${survey_date} + 0", Row({{"survey_date", "1970-01-02"}})), 1);
}

TEST(ExpressionDateTest, EqualityWithTodayFollowsXPath) {
  EXPECT_TRUE(True("today() = '2024-05-01'"));  // as text
  EXPECT_TRUE(True("${survey_date} = today()", Row({{"survey_date", "2024-05-01"}})));
  EXPECT_FALSE(True("today() != '2024-05-01'"));
  EXPECT_TRUE(True("today() = 19844"));  // as a number
  EXPECT_TRUE(True("today() = today()"));
  EXPECT_TRUE(True("today() = true()"));
  EXPECT_TRUE(True("today()"));
}

// ---- Functions ---------------------------------------------------------------------

TEST(ExpressionFunctionTest, SelectedMatchesWholeTokens) {
  EXPECT_TRUE(True("selected('a b c', 'b')"));
  EXPECT_FALSE(True("selected('none', 'no')"));
  EXPECT_FALSE(True("selected('no', 'none')"));
  EXPECT_TRUE(True("selected('no', 'no')"));
  EXPECT_TRUE(True("selected('none no', 'no')"));
  EXPECT_FALSE(True("selected('xno nox', 'no')"));
  EXPECT_TRUE(True("selected('  a \t b\nc ', 'c')"));
  EXPECT_TRUE(True("selected('a b', ' b ')"));  // the value is trimmed
  EXPECT_FALSE(True("selected('a b', '')"));
  EXPECT_FALSE(True("selected('', 'a')"));
  EXPECT_FALSE(True("selected('a b', 'a b')"));  // never two tokens
  EXPECT_TRUE(True("selected(${unsafe_areas}, 'latrines')",
                   Row({{"unsafe_areas", "water_points latrines"}})));
  EXPECT_TRUE(True("selected(${a}, ${b})", Row({{"a", "x y"}, {"b", "y"}})));
  EXPECT_FALSE(True("selected(${a}, ${b})", Row({{"a", "x yy"}, {"b", "y"}})));
  EXPECT_TRUE(True("selected(${a}, concat('y', ''))", Row({{"a", "x y"}})));
  EXPECT_TRUE(True("selected('1 2 3', 2)"));
}

TEST(ExpressionFunctionTest, CountSelected) {
  EXPECT_EQ(Number("count-selected('')"), 0);
  EXPECT_EQ(Number("count-selected('   ')"), 0);
  EXPECT_EQ(Number("count-selected('a')"), 1);
  EXPECT_EQ(Number("count-selected(' a  b\tc ')"), 3);
  EXPECT_EQ(Number("count-selected(${unsafe_areas})", Row({{"unsafe_areas", "x y"}})), 2);
}

TEST(ExpressionFunctionTest, StringLengthCountsCodePoints) {
  EXPECT_EQ(Number("string-length('abc')"), 3);
  EXPECT_EQ(Number("string-length('')"), 0);
  EXPECT_EQ(Number("string-length('\xC3\xA9t\xC3\xA9')"), 3);         // "été"
  EXPECT_EQ(Number("string-length('\xE6\x97\xA5\xE6\x9C\xAC')"), 2);  // 日本
  EXPECT_EQ(Number("string-length('\xF0\x9F\x98\x80')"), 1);          // an emoji
  EXPECT_EQ(Number("string-length(12.5)"), 4);
  EXPECT_EQ(Number("string-length()", Row({}, "abcd")), 4);
  EXPECT_EQ(Number("string-length(${a})", Row({{"a", "xy"}})), 2);
}

TEST(ExpressionFunctionTest, RegexFindsAMatchAnywhere) {
  const char* code = "regex(., '^[A-Z]{2}[0-9]{2,}$')";
  EXPECT_TRUE(True(code, Row({}, "AB12")));
  EXPECT_TRUE(True(code, Row({}, "AB123456")));
  EXPECT_FALSE(True(code, Row({}, "AB1")));
  EXPECT_FALSE(True(code, Row({}, "ab12")));
  EXPECT_FALSE(True(code, Row({}, "xAB12")));
  EXPECT_FALSE(True(code, Row({}, "")));
  // Unanchored patterns match a part of the value, as in ODK.
  EXPECT_TRUE(True("regex('xx12yy', '[0-9]+')"));
  EXPECT_FALSE(True("regex('xxyy', '[0-9]+')"));
  EXPECT_TRUE(True("regex('', '^$')"));
  EXPECT_TRUE(True("regex('', '')"));
  EXPECT_TRUE(True("regex(12, '^1')"));
}

TEST(ExpressionFunctionTest, RegexIsUtf8Aware) {
  EXPECT_TRUE(True("regex('\xC3\xA9', '^.$')"));
  EXPECT_TRUE(True("regex('caf\xC3\xA9', '\xC3\xA9$')"));
  // Invalid UTF-8 in a value is matched safely.
  EXPECT_FALSE(True("regex(., '^[a-z]+$')", Row({}, "ab\xFF")));
  EXPECT_TRUE(True("regex(., '^ab')", Row({}, "ab\xFF")));
}

TEST(ExpressionFunctionTest, RegexWithComputedPattern) {
  EXPECT_TRUE(True("regex(${a}, ${pattern})", Row({{"a", "K12"}, {"pattern", "^K[0-9]+$"}})));
  EXPECT_FALSE(True("regex(${a}, ${pattern})", Row({{"a", "X12"}, {"pattern", "^K[0-9]+$"}})));
  EXPECT_TRUE(True("regex(${a}, concat('^', ${b}, '$'))", Row({{"a", "abc"}, {"b", "a.c"}})));
  // An invalid computed pattern matches nothing.
  EXPECT_FALSE(True("regex(${a}, ${pattern})", Row({{"a", "x"}, {"pattern", "[x"}})));
}

TEST(ExpressionFunctionTest, RegexBacktrackingIsBounded) {
  // Exponential without PCRE2's match limit; counts as no match.
  std::string value(40, 'a');
  value += '!';
  EXPECT_FALSE(True("regex(., '^(a+)+$')", Row({}, value)));
  EXPECT_FALSE(True("regex(., ${pattern})", Row({{"pattern", "^(a+)+$"}}, value)));
}

TEST(ExpressionFunctionTest, If) {
  EXPECT_EQ(String("if(1 = 1, 'yes', 'no')"), "yes");
  EXPECT_EQ(String("if(1 = 2, 'yes', 'no')"), "no");
  EXPECT_EQ(Number("if('', 1, 2)"), 2);
  EXPECT_EQ(Number("if('x', 1, 2)"), 1);
  EXPECT_EQ(Number("if(${a} = 'x', 1, 2) + 10", Row({{"a", "x"}})), 11);
  EXPECT_EQ(Number("1 + if(true(), 2, 3) * 2"), 5);
  EXPECT_EQ(String("if(true(), if(false(), 'a', 'b'), 'c')"), "b");
}

TEST(ExpressionFunctionTest, IfWithBranchesOfDifferentKinds) {
  const char* expression = "if(${a} = 'n', 5, 'none')";
  EXPECT_EQ(Eval(expression, Row({{"a", "n"}})).kind(), Value::Kind::kNumber);
  EXPECT_EQ(Eval(expression, Row({{"a", "s"}})).AsString(), "none");
  EXPECT_TRUE(True("if(${a} = 'n', 5, 'none') = 5", Row({{"a", "n"}})));
  EXPECT_TRUE(True("if(${a} = 'n', 5, 'none') = '5'", Row({{"a", "n"}})));  // number side wins
  EXPECT_TRUE(True("if(${a} = 'n', 5, 'none') = 'none'", Row({{"a", "s"}})));
  EXPECT_TRUE(True("if(${a} = 'n', 5, '') = false()", Row({{"a", "s"}})));
  EXPECT_TRUE(True("if(true(), today(), '') = '2024-05-01'"));
  EXPECT_TRUE(True("if(true(), today(), '') = if(true(), '2024-05-01', 1)"));
  EXPECT_TRUE(True("if(${a} = 'n', 1 = 1, 'x') != if(${a} = 'n', 0, 'y')", Row({{"a", "n"}})));
  EXPECT_EQ(Number("if(${a} = 'n', true(), '3') + 1", Row({{"a", "n"}})), 2);
  EXPECT_EQ(Number("if(${a} = 'n', true(), '3') + 1", Row({{"a", "m"}})), 4);
}

// A regression guard: converting the result of if() must convert both
// branches, not only the last one emitted.
TEST(ExpressionFunctionTest, ConversionAfterBranchesAppliesToBoth) {
  const char* expression = "if(${a} = 'x', ${b}, ${c}) + 1";
  EXPECT_EQ(Number(expression, Row({{"a", "x"}, {"b", "2"}, {"c", "5"}})), 3);
  EXPECT_EQ(Number(expression, Row({{"a", "y"}, {"b", "2"}, {"c", "5"}})), 6);
  const char* coalesced = "coalesce(${a}, ${b}) * 2";
  EXPECT_EQ(Number(coalesced, Row({{"a", "3"}, {"b", "5"}})), 6);
  EXPECT_EQ(Number(coalesced, Row({{"a", ""}, {"b", "5"}})), 10);
}

TEST(ExpressionFunctionTest, Coalesce) {
  EXPECT_EQ(String("coalesce(${a}, 'x')", Row({{"a", ""}})), "x");
  EXPECT_EQ(String("coalesce(${a}, 'x')", Row({{"a", "y"}})), "y");
  EXPECT_EQ(String("coalesce(${a}, ${b})", Row({{"a", ""}, {"b", ""}})), "");
  EXPECT_EQ(Number("coalesce(${a}, 0) + 1", Row({{"a", ""}})), 1);
  EXPECT_EQ(Number("coalesce(${a}, 0) + 1", Row({{"a", "2"}})), 3);
  EXPECT_EQ(Eval("coalesce(5, 'x')").kind(), Value::Kind::kNumber);
  EXPECT_EQ(Eval("coalesce(0 div 0, 'x')").AsString(), "NaN");  // "NaN" is not empty
  EXPECT_EQ(String("coalesce(' ', 'x')"), " ");
}

TEST(ExpressionFunctionTest, Concat) {
  EXPECT_EQ(String("concat('a', 1, true(), 0.5)"), "a1true0.5");
  EXPECT_EQ(String("concat()"), "");
  EXPECT_EQ(String("concat(${a})", Row({{"a", "x"}})), "x");
  EXPECT_EQ(String("concat(${a}, '-', ${b})", Row({{"a", "x"}, {"b", "y"}})), "x-y");
  EXPECT_EQ(String("concat(concat('a', 'b'), concat('c', 'd'))"), "abcd");
  EXPECT_EQ(Number("string-length(concat('ab', 'cd'))"), 4);
}

TEST(ExpressionFunctionTest, ConcatBeyondTheScratchBuffer) {
  const std::string long_value(700, 'x');
  Row row({{"a", long_value}, {"b", long_value}});
  EXPECT_EQ(String("concat(${a}, ${b}, ${a})", row), long_value + long_value + long_value);
  EXPECT_EQ(Number("string-length(concat(${a}, ${b}))", row), 1400);
}

TEST(ExpressionFunctionTest, NumberIntStringBoolean) {
  EXPECT_EQ(Number("number('12')"), 12);
  EXPECT_EQ(Number("number(true())"), 1);
  EXPECT_TRUE(std::isnan(Number("number('')")));
  EXPECT_TRUE(std::isnan(Number("number('1e5')")));
  EXPECT_TRUE(std::isnan(Number("number('+5')")));
  EXPECT_EQ(Number("number()", Row({}, "7")), 7);
  EXPECT_EQ(Number("int(3.7)"), 3);
  EXPECT_EQ(Number("int(-3.7)"), -3);
  EXPECT_EQ(Number("int('12.9')"), 12);
  EXPECT_TRUE(std::isnan(Number("int('')")));
  EXPECT_EQ(String("string(12)"), "12");
  EXPECT_EQ(String("string(false())"), "false");
  EXPECT_EQ(String("string()", Row({}, "cur")), "cur");
  EXPECT_FALSE(True("boolean('')"));
  EXPECT_TRUE(True("boolean('0')"));  // a non-empty string
  EXPECT_FALSE(True("boolean(0)"));
  EXPECT_FALSE(True("boolean(0 div 0)"));
  EXPECT_TRUE(True("boolean(-1)"));
  EXPECT_EQ(Eval("boolean(1)").kind(), Value::Kind::kBoolean);
}

TEST(ExpressionFunctionTest, NotTrueFalse) {
  EXPECT_TRUE(True("true()"));
  EXPECT_FALSE(True("false()"));
  EXPECT_TRUE(True("not(false())"));
  EXPECT_TRUE(True("not('')"));
  EXPECT_FALSE(True("not('x')"));
  EXPECT_TRUE(True("not(0)"));
  EXPECT_TRUE(True("not(not(1))"));
}

TEST(ExpressionFunctionTest, AndOrOnValuesOfAnyKind) {
  EXPECT_FALSE(True("1 and 0"));
  EXPECT_TRUE(True("'' or 'x'"));
  EXPECT_FALSE(True("'' or ''"));
  EXPECT_TRUE(True("${a} and ${b}", Row({{"a", "x"}, {"b", "y"}})));
  EXPECT_FALSE(True("${a} and ${b}", Row({{"a", "x"}})));
  EXPECT_EQ(Eval("1 or 0").kind(), Value::Kind::kBoolean);
}

// ---- Numbers as text -----------------------------------------------------------

TEST(ExpressionNumberTextTest, XPathStyle) {
  EXPECT_EQ(String("string(12)"), "12");
  EXPECT_EQ(String("string(12.000)"), "12");
  EXPECT_EQ(String("string(0.5)"), "0.5");
  EXPECT_EQ(String("string(-1.5)"), "-1.5");
  EXPECT_EQ(String("string(1 div 3)"), "0.3333333333333333");
  EXPECT_EQ(String("string(0.1 + 0.2)"), "0.30000000000000004");
  EXPECT_EQ(String("string(-0)"), "0");
  EXPECT_EQ(String("string(-1 div 0)"), "-Infinity");
  EXPECT_EQ(String("string(100000000000000000000)"), "100000000000000000000");
  EXPECT_EQ(String("string(1000000000000000000000)"), "1e+21");
  EXPECT_EQ(String("string(0.000001)"), "0.000001");
  EXPECT_EQ(String("string(0.00000015)"), "1.5e-7");
  EXPECT_EQ(String("${a} + ${b}", Row({{"a", "10"}, {"b", "2.5"}})), "12.5");
}

// ---- Values ----------------------------------------------------------------------

TEST(ValueTest, Conversions) {
  EXPECT_EQ(Value::Boolean(true).AsString(), "true");
  EXPECT_EQ(Value::Boolean(true).AsNumber(), 1);
  EXPECT_EQ(Value::Number(2.5).AsString(), "2.5");
  EXPECT_FALSE(Value::Number(std::nan("")).AsBoolean());
  EXPECT_EQ(Value::String(" 42 ").AsNumber(), 42);
  EXPECT_EQ(Value::String("2024-05-01").AsNumber(), kToday);
  EXPECT_FALSE(Value::String("").AsBoolean());
  EXPECT_TRUE(Value::String("0").AsBoolean());
  Value owned = Value::OwnedString("owned text");
  Value copy = owned;
  owned = Value::Number(1);
  EXPECT_EQ(copy.AsString(), "owned text");
  EXPECT_EQ(copy.kind(), Value::Kind::kString);
}

TEST(ValueTest, ComputedStringsOutliveTheEvaluationAndTheirCopies) {
  Expression expression = MustCompile("concat(${a}, '!')");
  std::optional<Value> copy;
  std::optional<Value> long_copy;
  {
    Row row({{"a", "short"}});
    Value value = expression.Evaluate(row.Context());
    copy = value;
    Row long_row({{"a", std::string(100, 'z')}});
    long_copy = expression.Evaluate(long_row.Context());
  }
  EXPECT_EQ(copy->AsString(), "short!");
  EXPECT_EQ(long_copy->AsString(), std::string(100, 'z') + "!");
}

// Regression: a literal result used to be a view into the Expression's
// constants, dangling once the Expression was gone (caught by ASan).
TEST(ValueTest, LiteralResultsOutliveTheExpression) {
  std::optional<Value> short_literal;
  std::optional<Value> long_literal;
  {
    Row row({{"a", "x"}});
    short_literal = MustCompile("if(${a} = 'x', 'short', 'other')").Evaluate(row.Context());
    long_literal = MustCompile("'a literal longer than thirty-two bytes'").Evaluate(row.Context());
  }
  EXPECT_EQ(short_literal->AsString(), "short");
  EXPECT_EQ(long_literal->AsString(), "a literal longer than thirty-two bytes");
}

TEST(ValueTest, StringResultsBorrowTheContext) {
  Expression expression = MustCompile("${a}");
  Row row({{"a", "borrowed"}});
  Value value = expression.Evaluate(row.Context());
  EXPECT_EQ(value.AsString(), "borrowed");
}

// ---- Errors ------------------------------------------------------------------------

TEST(ExpressionErrorTest, MissingOperand) {
  EXPECT_EQ(ErrorOf("${a} >= "), "expression '${a} >= ': column 8: expected a value after '>='");
  EXPECT_EQ(ErrorOf("1 + * 2"),
            "expression '1 + * 2': column 5: expected a value after '+', found '*'");
  EXPECT_EQ(ErrorOf("${a} = 'x' and"),
            "expression '${a} = 'x' and': column 15: expected a value after 'and'");
  EXPECT_EQ(ErrorOf("-"), "expression '-': column 2: expected a value after '-'");
  EXPECT_EQ(ErrorOf("(1 + 2) and or 3"),
            "expression '(1 + 2) and or 3': column 13: expected a value after 'and', found 'or'");
  EXPECT_EQ(ErrorOf(") + 1"), "expression ') + 1': column 1: expected a value, found ')'");
  EXPECT_EQ(ErrorOf("selected(${a},)"),
            "expression 'selected(${a},)': column 15: expected a value after ',', found ')'");
}

TEST(ExpressionErrorTest, Empty) {
  EXPECT_EQ(ErrorOf(""), "expression '': column 1: empty expression");
  EXPECT_EQ(ErrorOf("  \t"), "expression '  \t': column 1: empty expression");
}

TEST(ExpressionErrorTest, UnknownFunction) {
  EXPECT_EQ(ErrorOf("foo(1)"), "expression 'foo(1)': column 1: unknown function foo()");
  EXPECT_EQ(ErrorOf("${a} = jr:choice-name(${a}, '${a}')"),
            "expression '${a} = jr:choice-name(${a}, '${a}')': column 8: unknown function "
            "jr:choice-name()");
  EXPECT_EQ(ErrorOf("count_selected(${a})"),
            "expression 'count_selected(${a})': column 1: unknown function count_selected()");
}

TEST(ExpressionErrorTest, WrongArgumentCount) {
  EXPECT_EQ(ErrorOf("selected(${a})"),
            "expression 'selected(${a})': column 1: selected() takes 2 arguments, got 1");
  EXPECT_EQ(ErrorOf("not()"), "expression 'not()': column 1: not() takes 1 argument, got 0");
  EXPECT_EQ(ErrorOf("1 + string(1, 2)"),
            "expression '1 + string(1, 2)': column 5: string() takes 0 or 1 arguments, got 2");
  EXPECT_EQ(ErrorOf("today(1)"),
            "expression 'today(1)': column 1: today() takes 0 arguments, got 1");
  EXPECT_EQ(ErrorOf("if(1, 2)"), "expression 'if(1, 2)': column 1: if() takes 3 arguments, got 2");
}

TEST(ExpressionErrorTest, UnknownQuestion) {
  EXPECT_EQ(ErrorOf("${lightin} = 'yes'"),
            "expression '${lightin} = 'yes'': column 1: unknown question ${lightin}");
  EXPECT_EQ(ErrorOf("${a} + ${zz}"), "expression '${a} + ${zz}': column 8: unknown question ${zz}");
  // No resolver: every reference is unknown.
  Result<Expression> compiled = Expression::Compile("${a}", SlotResolver());
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().message(), "expression '${a}': column 1: unknown question ${a}");
  // Without references, no resolver is needed.
  EXPECT_TRUE(Expression::Compile("1 + 1", SlotResolver()).ok());
}

TEST(ExpressionErrorTest, UnbalancedParentheses) {
  EXPECT_EQ(ErrorOf("(1 + 2"),
            "expression '(1 + 2': column 7: missing ')' to close '(' at column 1");
  EXPECT_EQ(ErrorOf("1 + 2)"),
            "expression '1 + 2)': column 6: unexpected ')' without a matching '('");
  EXPECT_EQ(ErrorOf("not(${a}"),
            "expression 'not(${a}': column 9: missing ')' to close '(' at column 4");
  EXPECT_EQ(ErrorOf("((1)"), "expression '((1)': column 5: missing ')' to close '(' at column 1");
  EXPECT_EQ(ErrorOf("(1 2)"),
            "expression '(1 2)': column 4: expected ')' to close '(' at column 1, found '2'");
  EXPECT_EQ(ErrorOf("selected(${a} 'x')"),
            "expression 'selected(${a} 'x')': column 15: expected ',' or ')' in selected() opened "
            "at column 9, found the string 'x'");
}

TEST(ExpressionErrorTest, TrailingGarbage) {
  EXPECT_EQ(
      ErrorOf("1 2"),
      "expression '1 2': column 3: expected an operator or the end of the expression, found '2'");
  EXPECT_EQ(ErrorOf("${a} is 'x'"),
            "expression '${a} is 'x'': column 6: expected an operator or the end of the "
            "expression, found 'is'");
  EXPECT_EQ(ErrorOf("'a' 'b'"),
            "expression ''a' 'b'': column 5: expected an operator or the end of the expression, "
            "found the string 'b'");
}

TEST(ExpressionErrorTest, HelpfulHints) {
  EXPECT_EQ(ErrorOf("${a} == 'x'"),
            "expression '${a} == 'x'': column 6: '==' is not an operator: write '=' to compare");
  EXPECT_EQ(
      ErrorOf("${a} = yes"),
      "expression '${a} = yes': column 8: unexpected name 'yes': write a string as 'yes' or a "
      "reference as ${yes}");
  EXPECT_EQ(ErrorOf("${a} = true"),
            "expression '${a} = true': column 8: unexpected name 'true': write true() for the "
            "boolean value");
  EXPECT_EQ(ErrorOf("${a} && ${b}"),
            "expression '${a} && ${b}': column 6: unexpected character '&': write 'and'");
  EXPECT_EQ(ErrorOf("${a} || ${b}"),
            "expression '${a} || ${b}': column 6: unexpected character '|': write 'or'");
  EXPECT_EQ(ErrorOf("!${a}"),
            "expression '!${a}': column 1: unexpected character '!': write not(x), or != for 'not "
            "equal'");
  EXPECT_EQ(ErrorOf("/data/a = 1"),
            "expression '/data/a = 1': column 1: paths such as /data/name are not supported: "
            "refer to a question as ${name}");
  EXPECT_EQ(ErrorOf("../a"),
            "expression '../a': column 1: paths such as '..' are not supported: refer to a "
            "question as ${name}");
  EXPECT_EQ(ErrorOf("$a"),
            "expression '$a': column 1: unexpected character '$': write a "
            "reference as ${name}");
  EXPECT_EQ(ErrorOf("1 # 2"), "expression '1 # 2': column 3: unexpected character '#'");
}

TEST(ExpressionErrorTest, MalformedTokens) {
  EXPECT_EQ(ErrorOf("'abc"),
            "expression ''abc': column 1: unterminated string: ' without a closing '");
  EXPECT_EQ(ErrorOf("${a} = \"x"),
            "expression '${a} = \"x': column 8: unterminated string: \" without a closing \"");
  EXPECT_EQ(ErrorOf("${}"), "expression '${}': column 1: empty reference ${}");
  EXPECT_EQ(ErrorOf("1 + ${a"),
            "expression '1 + ${a': column 5: unterminated reference: '${' without '}'");
  EXPECT_EQ(ErrorOf("${a b}"), "expression '${a b}': column 1: invalid question name in ${a b}");
  EXPECT_EQ(ErrorOf("${1a}"), "expression '${1a}': column 1: invalid question name in ${1a}");
  EXPECT_EQ(ErrorOf("1e5"), "expression '1e5': column 1: invalid number '1e5'");
  EXPECT_EQ(ErrorOf("1.2.3"), "expression '1.2.3': column 1: invalid number '1.2.3'");
}

TEST(ExpressionErrorTest, InvalidRegularExpression) {
  EXPECT_EQ(ErrorOf("regex(., '[a-')"),
            "expression 'regex(., '[a-')': column 10: invalid regular expression '[a-': missing "
            "terminating ] for character class at offset 3");
  EXPECT_EQ(ErrorOf("regex(., '(')"),
            "expression 'regex(., '(')': column 10: invalid regular expression '(': missing "
            "closing parenthesis at offset 1");
}

TEST(ExpressionErrorTest, ColumnsCountCodePoints) {
  // 'é' is 2 bytes but 1 column.
  EXPECT_EQ(ErrorOf("'\xC3\xA9' = ${nope}"),
            "expression ''\xC3\xA9' = ${nope}': column 7: unknown question ${nope}");
}

TEST(ExpressionErrorTest, DeepNestingIsRejectedNotCrashing) {
  std::string ok = std::string(64, '(') + "1" + std::string(64, ')');
  EXPECT_EQ(ErrorOf(ok), "");
  std::string deep = std::string(65, '(') + "1" + std::string(65, ')');
  EXPECT_NE(ErrorOf(deep).find("column 65: nested too deeply (more than 64 levels)"),
            std::string::npos);
  std::string calls;
  for (int level = 0; level < 100; ++level) calls += "not(";
  calls += "1" + std::string(100, ')');
  EXPECT_NE(ErrorOf(calls).find("nested too deeply"), std::string::npos);
  std::string negations(10000, '-');
  EXPECT_NE(ErrorOf(negations + "1").find("nested too deeply"), std::string::npos);
}

TEST(ExpressionErrorTest, LongChainsAreRejectedNotCrashing) {
  std::string chain = "1";
  for (int term = 0; term < 100; ++term) chain += " + 1";
  EXPECT_EQ(Number(chain), 101);
  std::string long_chain = "1";
  for (int term = 0; term < 100000; ++term) long_chain += "+1";
  const std::string error = ErrorOf(long_chain);
  EXPECT_NE(error.find("too complex (more than 256 nested operations)"), std::string::npos)
      << error;
  // The message quotes a shortened text.
  EXPECT_LT(error.size(), 300u);
  EXPECT_NE(error.find("...': column 512: "), std::string::npos) << error;
}

TEST(ExpressionErrorTest, ManyArgumentsNeedStack) {
  std::string wide = "concat(";
  for (int arg = 0; arg < 200; ++arg) wide += (arg ? ", 'x'" : "'x'");
  wide += ")";
  EXPECT_NE(ErrorOf(wide).find("too complex: needs more than 128 evaluation stack entries"),
            std::string::npos);
  std::string fits = "concat(";
  for (int arg = 0; arg < 100; ++arg) fits += (arg ? ", 'x'" : "'x'");
  fits += ")";
  EXPECT_EQ(String(fits), std::string(100, 'x'));
}

// ---- References ---------------------------------------------------------------------

TEST(ExpressionReferencesTest, DistinctInOrderOfFirstAppearance) {
  Expression expression = MustCompile("${b} + ${a} + ${b} + ${c}");
  EXPECT_EQ(expression.references(), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(expression.text(), "${b} + ${a} + ${b} + ${c}");
  EXPECT_TRUE(MustCompile("1 + .").references().empty());
}

TEST(ExpressionReferencesTest, ReferencedNamesWithoutCompiling) {
  EXPECT_EQ(ReferencedNames("${b} + ${a} + ${b}"), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(ReferencedNames("${unknown_but_listed} = 1"),
            (std::vector<std::string>{"unknown_but_listed"}));
  EXPECT_TRUE(ReferencedNames("").empty());
  // A ${name} inside a string literal is text, as for the compiler.
  EXPECT_EQ(ReferencedNames("concat('${x}', ${y})"), (std::vector<std::string>{"y"}));
  // Never fails: malformed pieces are skipped.
  EXPECT_EQ(ReferencedNames("${a} && ${b} # ${} ${c d} ${e"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ReferencedNames("${a} = 'unterminated ${b}"), (std::vector<std::string>{"a"}));
}

TEST(ExpressionReferencesTest, AgreesWithCompile) {
  for (const char* text :
       {"${m_0_1} + ${m_1_5} = ${m_total}",
        "not(selected(${unsafe_areas}, 'none') and count-selected(${unsafe_areas}) > 1)",
        "if(${a} = '${b}', ${c}, ${a})"}) {
    EXPECT_EQ(MustCompile(text).references(), ReferencedNames(text)) << text;
  }
}

// ---- Moves and threads -----------------------------------------------------------------

TEST(ExpressionTest, MovesKeepTheCompiledForm) {
  Expression first = MustCompile("${a} = 'x'");
  Expression second = std::move(first);
  EXPECT_TRUE(second.EvaluateBoolean(Row({{"a", "x"}}).Context()));
  Expression third = MustCompile("1");
  third = std::move(second);
  EXPECT_EQ(third.text(), "${a} = 'x'");
  EXPECT_TRUE(third.EvaluateBoolean(Row({{"a", "x"}}).Context()));
}

TEST(ExpressionTest, SlotBeyondTheRowReadsAsUnanswered) {
  Expression expression = MustCompile("${pattern} = ''");
  EvaluationContext context;  // no slots at all
  EXPECT_TRUE(expression.EvaluateBoolean(context));
}

TEST(ExpressionTest, EvaluatesConcurrently) {
  Expression sum = MustCompile("${m_0_1} + ${m_1_5} = ${m_total}");
  Expression code = MustCompile("regex(${site_code}, '^[A-Z]{2}[0-9]{2,}$')");
  Expression text = MustCompile("concat(${site_code}, '-', ${m_total} * 2)");
  std::vector<Row> rows;
  for (int row_idx = 0; row_idx < 500; ++row_idx) {
    rows.emplace_back(std::map<std::string, std::string>{
        {"m_0_1", std::to_string(row_idx)},
        {"m_1_5", std::to_string(row_idx % 7)},
        {"m_total", std::to_string(row_idx + (row_idx % 3 == 0 ? 0 : row_idx % 7))},
        {"site_code", row_idx % 2 ? "AB" + std::to_string(row_idx) : "bad"}});
  }
  std::vector<std::string> expected;
  for (const Row& row : rows) {
    expected.push_back(std::to_string(sum.EvaluateBoolean(row.Context())) +
                       std::to_string(code.EvaluateBoolean(row.Context())) +
                       text.Evaluate(row.Context()).AsString());
  }
  auto check = [&](int* mismatches) {
    for (int round = 0; round < 20; ++round) {
      for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
        const EvaluationContext context = rows[row_idx].Context();
        const std::string got = std::to_string(sum.EvaluateBoolean(context)) +
                                std::to_string(code.EvaluateBoolean(context)) +
                                text.Evaluate(context).AsString();
        if (got != expected[row_idx]) ++*mismatches;
      }
    }
  };
  int mismatches_first = 0;
  int mismatches_second = 0;
  std::thread first(check, &mismatches_first);
  std::thread second(check, &mismatches_second);
  first.join();
  second.join();
  EXPECT_EQ(mismatches_first, 0);
  EXPECT_EQ(mismatches_second, 0);
}

// ---- Realistic DTM expressions ----------------------------------------------------------

TEST(ExpressionDtmTest, RelevantOnYesNo) {
  const char* relevant = "${smc_exists} = 'yes'";
  EXPECT_TRUE(True(relevant, Row({{"smc_exists", "yes"}})));
  EXPECT_FALSE(True(relevant, Row({{"smc_exists", "no"}})));
  EXPECT_FALSE(True(relevant, Row({{"smc_exists", ""}})));
  EXPECT_FALSE(True(relevant, Row({{"smc_exists", "yes "}})));
}

TEST(ExpressionDtmTest, RangeConstraint) {
  const char* constraint = ". >= 0 and . <= 100000";
  for (const char* ok : {"0", "1", "100000", "50.5", " 12 "}) {
    EXPECT_TRUE(True(constraint, Row({}, ok))) << ok;
  }
  for (const char* bad : {"-1", "100001", "abc", "", "1e3", "12 people"}) {
    EXPECT_FALSE(True(constraint, Row({}, bad))) << bad;
  }
}

TEST(ExpressionDtmTest, SaddBucketsSumToTotal) {
  const char* check = "${m_0_1} + ${m_1_5} + ${m_6_17} + ${m_18_59} + ${m_60plus} = ${m_total}";
  EXPECT_TRUE(True(check, Row({{"m_0_1", "3"},
                               {"m_1_5", "10"},
                               {"m_6_17", "25"},
                               {"m_18_59", "40"},
                               {"m_60plus", "2"},
                               {"m_total", "80"}})));
  EXPECT_FALSE(True(check, Row({{"m_0_1", "3"},
                                {"m_1_5", "10"},
                                {"m_6_17", "25"},
                                {"m_18_59", "40"},
                                {"m_60plus", "2"},
                                {"m_total", "81"}})));
  // One bucket unanswered: the sum is NaN, and the check fails.
  EXPECT_FALSE(True(check, Row({{"m_0_1", "3"},
                                {"m_1_5", "10"},
                                {"m_6_17", "25"},
                                {"m_18_59", "40"},
                                {"m_total", "78"}})));
}

TEST(ExpressionDtmTest, SaddWithCoalesce) {
  const char* check =
      "coalesce(${f_0_1}, 0) + coalesce(${f_1_5}, 0) + coalesce(${f_6_17}, 0) + "
      "coalesce(${f_18_59}, 0) + coalesce(${f_60plus}, 0) = ${f_total}";
  EXPECT_TRUE(True(check, Row({{"f_0_1", "3"}, {"f_6_17", "25"}, {"f_total", "28"}})));
  EXPECT_FALSE(True(check, Row({{"f_0_1", "3"}, {"f_6_17", "25"}, {"f_total", "29"}})));
  EXPECT_TRUE(True(check, Row({{"f_total", "0"}})));
  EXPECT_EQ(Number("coalesce(${f_0_1}, 0) + coalesce(${f_1_5}, 0)", Row({{"f_1_5", "4"}})), 4);
}

TEST(ExpressionDtmTest, NoneIsExclusive) {
  const char* constraint =
      "not(selected(${unsafe_areas}, 'none') and count-selected(${unsafe_areas}) > 1)";
  EXPECT_TRUE(True(constraint, Row({{"unsafe_areas", "none"}})));
  EXPECT_TRUE(True(constraint, Row({{"unsafe_areas", "latrines water_points"}})));
  EXPECT_TRUE(True(constraint, Row({{"unsafe_areas", ""}})));
  EXPECT_FALSE(True(constraint, Row({{"unsafe_areas", "none latrines"}})));
  EXPECT_TRUE(True(constraint, Row({{"unsafe_areas", "nonexistent latrines"}})));
}

TEST(ExpressionDtmTest, SiteCodeFormat) {
  const char* constraint = "regex(., '^[A-Z]{2}[0-9]{2,}$')";
  EXPECT_TRUE(True(constraint, Row({}, "SS0123")));
  EXPECT_FALSE(True(constraint, Row({}, "SS-0123")));
  EXPECT_FALSE(True(constraint, Row({}, "S0123")));
}

TEST(ExpressionDtmTest, CalculationsProduceValues) {
  Row row({{"m_total", "40"}, {"f_total", "42"}});
  EXPECT_EQ(Number("${m_total} + ${f_total}", row), 82);
  EXPECT_EQ(String("if(${m_total} + ${f_total} > 50, 'large', 'small')", row), "large");
  EXPECT_EQ(Number("int(${f_total} div ${m_total} * 100)", row), 105);
}

}  // namespace
}  // namespace opendtm::expr
