#include "core/formula_guard.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opendtm::core {
namespace {

TEST(FormulaGuardTest, TriggersGetALeadingQuote) {
  EXPECT_EQ(NeutraliseFormula("=1+2"), "'=1+2");
  EXPECT_EQ(NeutraliseFormula("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(NeutraliseFormula("+A1"), "'+A1");
  EXPECT_EQ(NeutraliseFormula("-Camp 4"), "'-Camp 4");
  EXPECT_EQ(NeutraliseFormula("@home"), "'@home");
  EXPECT_EQ(NeutraliseFormula("\t=1"), "'\t=1");
  EXPECT_EQ(NeutraliseFormula("\r5"), "'\r5") << "only a sign may start an exempt number";
  EXPECT_EQ(NeutraliseFormula("-1+2"), "'-1+2");
}

TEST(FormulaGuardTest, NumbersPhoneNumbersAndPlainTextAreUnchanged) {
  for (const char* value : {"-72.335", "+3", "-1e5", "-12,419", "+509 3712-3456", "-",
                            "+(509) 37 12", "Camp 4", "", "5", "a=b", "'", "'abc"}) {
    EXPECT_EQ(NeutraliseFormula(value), value);
  }
}

TEST(FormulaGuardTest, AQuoteBeforeATriggerIsItselfProtected) {
  EXPECT_EQ(NeutraliseFormula("'=x"), "''=x");
  EXPECT_EQ(NeutraliseFormula("'-5"), "''-5");
  EXPECT_EQ(RestoreFormula("''=x"), "'=x");
}

TEST(FormulaGuardTest, RestoreUndoesNeutralise) {
  EXPECT_EQ(RestoreFormula("'=1+2"), "=1+2");
  EXPECT_EQ(RestoreFormula("'-Camp 4"), "-Camp 4");
  EXPECT_EQ(RestoreFormula("'abc"), "'abc");
  EXPECT_EQ(RestoreFormula("'"), "'");
  EXPECT_EQ(RestoreFormula("-5"), "-5");
  const std::vector<std::string> values = {"=HYPERLINK(\"http://x\")",
                                           "-Camp 4",
                                           "@home",
                                           "'=x",
                                           "''@y",
                                           "-5",
                                           "'-5",
                                           "+509 37",
                                           "'",
                                           "''",
                                           "plain",
                                           "",
                                           "\t\tx",
                                           "'\r"};
  for (const std::string& value : values) {
    EXPECT_EQ(RestoreFormula(NeutraliseFormula(value)), value) << value;
  }
}

TEST(FormulaGuardTest, RestoresARowInPlace) {
  std::vector<std::string> row = {"'=x", "'-Camp 4", "'abc", "-5", "''@y"};
  RestoreFormulas(row);
  EXPECT_EQ(row, (std::vector<std::string>{"=x", "-Camp 4", "'abc", "-5", "'@y"}));
}

}  // namespace
}  // namespace opendtm::core
