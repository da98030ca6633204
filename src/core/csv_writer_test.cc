#include "core/csv_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/csv_reader.h"

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

}  // namespace
}  // namespace opendtm::core
