#include "core/csv_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/csv_reader.h"
#include "core/formula_guard.h"

namespace opendtm::core {
namespace {

TEST(CsvWriterTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvField("plain text"), "plain text");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  const std::vector<std::string> fields = {"NGA-0001", "Camp, north", "", "62.5"};
  EXPECT_EQ(CsvLine(fields), "NGA-0001,\"Camp, north\",,62.5\n");
  EXPECT_EQ(CsvLine({}), "\n");
}

TEST(CsvWriterTest, TheReaderReadsBackWhatWasWritten) {
  const std::vector<std::string> fields = {"a,b", "say \"hi\"", "two\r\nlines", "", " spaced "};
  Result<CsvTable> table = ParseCsv(CsvLine(fields), "written.csv", CsvOptions{});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(table->rows[0], fields);
}

TEST(CsvWriterTest, FormulasAreNeutralisedAndNumbersAreNot) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("-Camp 4"), "'-Camp 4");
  EXPECT_EQ(CsvField("@home"), "'@home");
  EXPECT_EQ(CsvField("+cmd"), "'+cmd");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
  EXPECT_EQ(CsvField("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvField("-72.335"), "-72.335");
  EXPECT_EQ(CsvField("+509 3712-3456"), "+509 3712-3456");
  EXPECT_EQ(CsvLine({"-5", "Camp = 4", "a-b"}), "-5,Camp = 4,a-b\n");
}

TEST(CsvWriterTest, TheReaderRestoresNeutralisedFormulas) {
  const std::vector<std::string> fields = {
      "=HYPERLINK(\"http://x\")", "-Camp 4", "@home", "'=already", "-1.5", "'plain"};
  Result<CsvTable> table = ParseCsv(CsvLine(fields), "written.csv", CsvOptions{});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->rows.size(), 1u);
  std::vector<std::string> restored;
  for (const std::string& cell : table->rows[0]) restored.emplace_back(RestoreFormula(cell));
  EXPECT_EQ(restored, fields);
}

}  // namespace
}  // namespace opendtm::core
