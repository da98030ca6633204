#include "core/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/text.h"

namespace opendtm::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Rows = std::vector<std::vector<std::string>>;

std::string RealFile(const std::string& name) {
  return std::string(OPENDTM_SHARED_DIR) + "/data/real/" + name;
}

CsvTable Parse(std::string_view text, const CsvOptions& options = {}) {
  Result<CsvTable> table = ParseCsv(text, "test.csv", options);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return std::move(table).value_or(CsvTable{});
}

Status ParseError(std::string_view text, const CsvOptions& options = {}) {
  Result<CsvTable> table = ParseCsv(text, "test.csv", options);
  EXPECT_FALSE(table.ok());
  return table.status();
}

TEST(ParseCsvTest, EmptyInputHasNoRows) {
  const CsvTable table = Parse("");
  EXPECT_TRUE(table.rows.empty());
  EXPECT_TRUE(table.row_lines.empty());
}

TEST(ParseCsvTest, SplitsSimpleRecords) {
  const CsvTable table = Parse("a,b,c\n1,2,3\n");
  EXPECT_EQ(table.rows, (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_THAT(table.row_lines, ElementsAre(1, 2));
  EXPECT_EQ(table.delimiter, ',');
  EXPECT_EQ(table.source_encoding, Encoding::kUtf8);
  EXPECT_FALSE(table.converted_from_cp1252);
}

TEST(ParseCsvTest, AcceptsEveryLineEndingAndNoFinalNewline) {
  const Rows expected{{"a", "b"}, {"1", "2"}, {"3", "4"}};
  EXPECT_EQ(Parse("a,b\r\n1,2\r\n3,4\r\n").rows, expected);
  EXPECT_EQ(Parse("a,b\n1,2\n3,4").rows, expected);
  EXPECT_EQ(Parse("a,b\r1,2\r3,4\r").rows, expected);
  EXPECT_EQ(Parse("a,b\r\n1,2\n3,4\r").rows, expected);
  EXPECT_THAT(Parse("a,b\r1,2\r\n3,4").row_lines, ElementsAre(1, 2, 3));
}

TEST(ParseCsvTest, KeepsEmptyFieldsAndEmptyLines) {
  EXPECT_EQ(Parse("a,,c\n,,\n").rows, (Rows{{"a", "", "c"}, {"", "", ""}}));
  EXPECT_EQ(Parse("a,\n").rows, (Rows{{"a", ""}}));
  EXPECT_EQ(Parse("a,").rows, (Rows{{"a", ""}}));
  // An empty line is a record with one empty field (RFC 4180).
  const CsvTable table = Parse("a\n\nb\n");
  EXPECT_EQ(table.rows, (Rows{{"a"}, {""}, {"b"}}));
  EXPECT_THAT(table.row_lines, ElementsAre(1, 2, 3));
}

TEST(ParseCsvTest, UnquotesFieldsWithDelimitersQuotesAndNewlines) {
  const CsvTable table = Parse(
      "name,note\n\"Bogota, D.C.\",\"say "
      "\"\"hi\"\"\"\n\"two\nlines\",\"crlf\r\nkept\"\nlast,\"\"\n");
  EXPECT_EQ(table.rows, (Rows{{"name", "note"},
                              {"Bogota, D.C.", "say \"hi\""},
                              {"two\nlines", "crlf\r\nkept"},
                              {"last", ""}}));
  // Record 3 spans lines 3-5 (one break in each field), so record 4 starts on 6.
  EXPECT_THAT(table.row_lines, ElementsAre(1, 2, 3, 6));
}

TEST(ParseCsvTest, IsLenientAboutStrayQuotesLikePython) {
  EXPECT_EQ(Parse("\"ab\"c,d\n").rows, (Rows{{"abc", "d"}}));
  EXPECT_EQ(Parse("5'11\",x\n").rows, (Rows{{"5'11\"", "x"}}));
  EXPECT_EQ(Parse("a\"b,c").rows, (Rows{{"a\"b", "c"}}));
}

TEST(ParseCsvTest, KeepsRaggedRowsAsTheyAre) {
  const CsvTable table = Parse("a,b,c\n1,2\n1,2,3,4\n\n5\n");
  ASSERT_EQ(table.rows.size(), 5u);
  EXPECT_EQ(table.rows[1].size(), 2u);
  EXPECT_EQ(table.rows[2].size(), 4u);
  EXPECT_EQ(table.rows[3].size(), 1u);
  EXPECT_EQ(table.rows[4], (std::vector<std::string>{"5"}));
}

TEST(ParseCsvTest, StripsBomAndConvertsCp1252) {
  const CsvTable bom = Parse(
      "\xEF\xBB\xBF"
      "Location,Name\nNPL,Nepal\n");
  EXPECT_EQ(bom.rows[0][0], "Location");
  EXPECT_EQ(bom.source_encoding, Encoding::kUtf8Bom);
  EXPECT_FALSE(bom.converted_from_cp1252);

  const CsvTable cp1252 = Parse("vdc,note\nFal\x9Awcha,\x93quoted\x94\n");
  EXPECT_EQ(cp1252.source_encoding, Encoding::kCp1252);
  EXPECT_TRUE(cp1252.converted_from_cp1252);
  EXPECT_EQ(cp1252.rows[1][0], "Fal\xC5\xA1wcha");
  EXPECT_EQ(cp1252.rows[1][1], "\xE2\x80\x9Cquoted\xE2\x80\x9D");
}

TEST(ParseCsvTest, RejectsBomFollowedByInvalidUtf8) {
  const Status status = ParseError(
      "\xEF\xBB\xBF"
      "a,b\n\xE9,x\n");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("test.csv"));
}

TEST(ParseCsvTest, SniffsDelimiter) {
  EXPECT_EQ(Parse("a;b;c\n1,5;2,5;3\n").delimiter, ';');
  EXPECT_EQ(Parse("a;b;c\n1,5;2,5;3\n").rows[1], (std::vector<std::string>{"1,5", "2,5", "3"}));
  EXPECT_EQ(Parse("a\tb\n1\t2\n").delimiter, '\t');
  EXPECT_EQ(Parse("a,b\n1,2\n").delimiter, ',');
  EXPECT_EQ(Parse("single\ncolumn\n").delimiter, ',');
  // Delimiters inside quotes do not count, even across lines.
  EXPECT_EQ(Parse("\"x;y;z\nw;v\";b\nc;d\n").delimiter, ';');
  // The count in the first record must repeat: ',' appears once in every
  // record, ';' twice in the first record only.
  EXPECT_EQ(Parse("a;b;c,d\n1,2\n3,4\n").delimiter, ',');
  // Ties go to the higher count, then to ',' before ';' before tab.
  EXPECT_EQ(Parse("a,b;c;d\n").delimiter, ';');
  EXPECT_EQ(Parse("a,b;c\n").delimiter, ',');
}

TEST(ParseCsvTest, ExplicitDelimiterOverridesSniffing) {
  CsvOptions options;
  options.delimiter = ';';
  const CsvTable table = Parse("a,b;c\n", options);
  EXPECT_EQ(table.delimiter, ';');
  EXPECT_EQ(table.rows, (Rows{{"a,b", "c"}}));
}

TEST(ParseCsvTest, UnterminatedQuoteNamesSourceLineAndColumn) {
  const Status status = ParseError("a,b\n1,2\n3,\"open\nstill open\n");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "test.csv:3: column 2: quoted field is not closed before the end of the input");
  // The record's start line is reported even after earlier multi-line fields.
  EXPECT_THAT(ParseError("\"a\nb\"\n\"c").message(), HasSubstr("test.csv:3: column 1:"));
}

TEST(ParseCsvTest, EnforcesLimits) {
  CsvOptions options;
  options.limits.max_bytes = 10;
  Status status = ParseError("a,b,c,d,e,f\n", options);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("test.csv: 12 bytes exceeds the limit of 10 bytes"));

  options = {};
  options.limits.max_rows = 2;
  EXPECT_EQ(Parse("a\nb\n", options).rows.size(), 2u);
  status = ParseError("a\nb\nc\n", options);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("test.csv:3: more than 2 rows"));

  options = {};
  options.limits.max_columns = 3;
  EXPECT_EQ(Parse("a,b,c\n", options).rows[0].size(), 3u);
  status = ParseError("a,b,c\n1,2,3,4\n", options);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("test.csv:2: more than 3 fields"));

  options = {};
  options.limits.max_field_bytes = 4;
  EXPECT_EQ(Parse("abcd,\"ab\"\"c\"\n", options).rows[0][1], "ab\"c");
  status = ParseError("abcd,abcde\n", options);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("test.csv:1: column 2: field longer than 4 bytes"));
  status = ParseError("x\n\"ab\ncde\"\n", options);
  EXPECT_THAT(status.message(), HasSubstr("test.csv:2: column 1: field longer than 4 bytes"));
}

TEST(ReadCsvFileTest, MissingFileIsNotFound) {
  const Result<CsvTable> table = ReadCsvFile(RealFile("no-such-file.csv"), {});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(table.status().message(), HasSubstr("no-such-file.csv"));
}

TEST(ReadCsvFileTest, DirectoryIsInvalidArgument) {
  const Result<CsvTable> table = ReadCsvFile(RealFile(""), {});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kInvalidArgument);
}

TEST(ReadCsvFileTest, FileOverMaxBytesIsRefusedBeforeReading) {
  CsvOptions options;
  options.limits.max_bytes = 1000;
  const Result<CsvTable> table = ReadCsvFile(RealFile("global-pcode-lengths.csv"), options);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kResourceExhausted);
}

// OCHA global P-codes: UTF-8 with BOM, CRLF, an HXL hashtag row, quoted names
// with commas ("Bogota, D.C.").
TEST(ReadCsvFileTest, RealGlobalPcodesFile) {
  const Result<CsvTable> table = ReadCsvFile(RealFile("global-pcodes-adm-1-2.hxl.csv"), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->source_encoding, Encoding::kUtf8Bom);
  EXPECT_EQ(table->delimiter, ',');
  ASSERT_EQ(table->rows.size(), 33'365u);  // header + HXL row + 33,363 areas
  EXPECT_EQ(table->row_lines.size(), 33'365u);
  EXPECT_EQ(table->row_lines.back(), 33'365);
  for (const std::vector<std::string>& row : table->rows) ASSERT_EQ(row.size(), 6u);
  EXPECT_EQ(table->rows[0][0], "Location");
  EXPECT_THAT(table->rows[0], ElementsAre("Location", "Admin Level", "P-Code", "Name",
                                          "Parent P-Code", "Valid from date"));
  EXPECT_EQ(table->rows[1][0], "#country+code");
  EXPECT_EQ(table->rows.back(),
            (std::vector<std::string>{"ZWE", "2", "ZW1924", "Harare Rural", "ZW19", "2018-09-11"}));
  int bogota = 0;
  for (const std::vector<std::string>& row : table->rows) {
    if (row[3] == "Bogota, D.C.") ++bogota;
  }
  EXPECT_EQ(bogota, 2);  // CO11 at level 1 and CO11001 at level 2
}

// IOM DTM Nepal round 2: 2 banner rows, the header on row 3, 146 sites.
TEST(ReadCsvFileTest, RealNepalSiteAssessmentFile) {
  const Result<CsvTable> table =
      ReadCsvFile(RealFile("dtm-nepal-2015-site-assessment-round2.redacted.csv"), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->source_encoding, Encoding::kUtf8);
  EXPECT_EQ(table->delimiter, ',');
  ASSERT_EQ(table->rows.size(), 3u + 146u);
  for (size_t row_idx = 0; row_idx < table->rows.size(); ++row_idx) {
    EXPECT_EQ(table->rows[row_idx].size(), 180u) << "row " << row_idx + 1;
  }
  EXPECT_EQ(table->rows[0][0], "12,419");
  EXPECT_EQ(table->rows[1][0], "NEPAL DTM - Round 2 Data");
  EXPECT_EQ(table->rows[2][0], "1.1.c.1 Site ID (SSID)");
  EXPECT_EQ(table->rows[2][13], "If other, please specify");  // a quoted header
  EXPECT_EQ(table->rows[3][1], "Tribhuwan University");
  EXPECT_EQ(table->rows[3][6], " Kathmandu Metropolitan ");  // untrimmed, as written

  // Answer labels vary in case only: "No lighting" x57, "No Lighting" x2.
  int no_lighting = 0;
  for (const std::vector<std::string>& row : table->rows) {
    for (const std::string& value : row) {
      if (NormalizeLabel(value) == "no lighting") ++no_lighting;
    }
  }
  EXPECT_EQ(no_lighting, 59);
}

// Old OCHA Nepal P-codes: Windows-1252, LF, no final newline.
TEST(ReadCsvFileTest, RealCp1252PcodeFile) {
  const Result<CsvTable> table = ReadCsvFile(RealFile("nepal-2015-vdc-pcode-to-hlcit.csv"), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->source_encoding, Encoding::kCp1252);
  EXPECT_TRUE(table->converted_from_cp1252);
  // 3,989 VDCs + the header, as Python's csv module counts them.
  ASSERT_EQ(table->rows.size(), 3'990u);
  for (const std::vector<std::string>& row : table->rows) ASSERT_EQ(row.size(), 3u);
  EXPECT_THAT(table->rows[0], ElementsAre("p_code", "hlcit", "vdc"));
  EXPECT_THAT(table->rows[1], ElementsAre("C-BAG-23-001", "524 2 05 23 5 022", "Attarpur"));
  EXPECT_EQ(table->rows.back()[2], "Thulopokhari");  // the unterminated last line
  EXPECT_THAT(table->rows[1568], ElementsAre("E-MEC-02-012", "524 1 01 02 5 018",
                                             "Fal\xC5\xA1wcha"));  // cp1252 0x9A -> š
  for (const std::vector<std::string>& row : table->rows) {
    for (const std::string& value : row) ASSERT_TRUE(IsValidUtf8(value)) << value;
  }
}

TEST(ReadCsvFileTest, RealCp1252CentroidFile) {
  const Result<CsvTable> table = ReadCsvFile(RealFile("nepal-2015-vdc-hlcit-centroids.csv"), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_TRUE(table->converted_from_cp1252);
  ASSERT_EQ(table->rows.size(), 3'984u);  // 3,983 VDCs + the header
  EXPECT_THAT(table->rows[0], ElementsAre("X", "Y", "VDC_NAME", "OCHA_VNAME", "HLCIT_CODE"));
  EXPECT_EQ(table->rows[1597][2], "A\xC5\xA0mchok");  // cp1252 0x8A -> Š
}

}  // namespace
}  // namespace opendtm::core
