#include "ingest/csv_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/csv_reader.h"
#include "ingest/internal/header_detection.h"

namespace opendtm::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Rows = std::vector<std::vector<std::string>>;

const std::string kRealDir = std::string(OPENDTM_SHARED_DIR) + "/data/real/";

class CsvSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("csv_source_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::filesystem::path dir_;
};

struct ReadAll {
  SourceHeader header;
  Rows rows;
  std::vector<int64_t> lines;
  Status status;
};

ReadAll Read(const std::string& path, const CsvSourceOptions& options = {}) {
  ReadAll all;
  auto source = CsvSource::Open(path, options);
  if (!source.ok()) {
    all.status = source.status();
    return all;
  }
  SourceRow row;
  while (true) {
    Result<bool> more = (*source)->Next(row);
    if (!more.ok()) {
      all.status = more.status();
      break;
    }
    if (!*more) break;
    all.rows.push_back(row.cells);
    all.lines.push_back(row.line);
  }
  all.header = (*source)->header();
  return all;
}

// --- Real files, read in place ------------------------------------------------

TEST_F(CsvSourceTest, NepalSiteAssessmentHeaderDetectedBelowBanner) {
  ReadAll all = Read(kRealDir + "dtm-nepal-2015-site-assessment-round2.redacted.csv");
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  EXPECT_EQ(all.header.header_line, 3);
  ASSERT_EQ(all.header.names.size(), 180u);
  EXPECT_EQ(all.header.names[0], "1.1.c.1 Site ID (SSID)");
  EXPECT_EQ(all.header.names[179], "Site classification");
  EXPECT_TRUE(all.header.hxl_tags.empty());
  EXPECT_THAT(all.header.notes, testing::Contains(HasSubstr("rows 1-2 above the header skipped")));
  ASSERT_EQ(all.rows.size(), 146u);
  for (const auto& cells : all.rows) EXPECT_EQ(cells.size(), 180u);
  EXPECT_THAT(std::vector<std::string>(all.rows[0].begin(), all.rows[0].begin() + 5),
              ElementsAre("1", "Tribhuwan University", "2", "21/05/2015", "Bagmati"));
  EXPECT_EQ(all.lines[0], 4);
  EXPECT_EQ(all.rows.back()[0], "151");
  EXPECT_EQ(all.rows.back()[1], "Tudikhel");
}

TEST_F(CsvSourceTest, NepalPcodesCp1252Converted) {
  ReadAll all = Read(kRealDir + "nepal-2015-vdc-pcode-to-hlcit.csv");
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  EXPECT_THAT(all.header.names, ElementsAre("p_code", "hlcit", "vdc"));
  EXPECT_THAT(all.header.notes, testing::Contains(HasSubstr("converted from Windows-1252")));
  ASSERT_EQ(all.rows.size(), 3989u);
  EXPECT_THAT(all.rows[1567], ElementsAre("E-MEC-02-012", "524 1 01 02 5 018", "Fal\u0161wcha"));
  EXPECT_EQ(all.lines[1567], 1569);
}

TEST_F(CsvSourceTest, GlobalPcodesHxlRowFilled) {
  ReadAll all = Read(kRealDir + "global-pcodes-adm-1-2.hxl.csv");
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  EXPECT_THAT(all.header.names, ElementsAre("Location", "Admin Level", "P-Code", "Name",
                                            "Parent P-Code", "Valid from date"));
  EXPECT_THAT(all.header.hxl_tags, ElementsAre("#country+code", "#geo+admin_level", "#adm+code",
                                               "#adm+name", "#adm+code+parent", "#date+start"));
  EXPECT_EQ(all.header.header_line, 1);
  ASSERT_EQ(all.rows.size(), 33363u);
  EXPECT_THAT(all.rows[0], ElementsAre("AFG", "1", "AF01", "Kabul", "AFG", "2019-10-22"));
  EXPECT_EQ(all.lines[0], 3);
  EXPECT_THAT(all.rows.back(),
              ElementsAre("ZWE", "2", "ZW1924", "Harare Rural", "ZW19", "2018-09-11"));
}

TEST_F(CsvSourceTest, DtmApiCsvForms) {
  ReadAll admin2 = Read(kRealDir + "dtm-api-v3-displacement-admin2-hti.csv");
  ASSERT_TRUE(admin2.status.ok()) << admin2.status.ToString();
  ASSERT_EQ(admin2.header.names.size(), 19u);
  EXPECT_EQ(admin2.header.names.front(), "id");
  EXPECT_EQ(admin2.header.names.back(), "assessmentType");
  ASSERT_EQ(admin2.rows.size(), 1384u);
  EXPECT_EQ(admin2.rows[0][0], "33176");
  EXPECT_EQ(admin2.rows[0][7], "HT0116");
  EXPECT_EQ(admin2.rows.back()[0], "36747");
  EXPECT_EQ(admin2.rows.back()[18], "BA");

  ReadAll admin1 = Read(kRealDir + "dtm-api-v3-displacement-admin1-hti.csv");
  ASSERT_TRUE(admin1.status.ok()) << admin1.status.ToString();
  EXPECT_EQ(admin1.rows.size(), 235u);
  EXPECT_EQ(admin1.rows[0][6], "1059849");

  ReadAll admin0 = Read(kRealDir + "dtm-api-v3-displacement-admin0-hti.csv");
  ASSERT_TRUE(admin0.status.ok()) << admin0.status.ToString();
  EXPECT_EQ(admin0.header.names.front(), "operation");
  EXPECT_EQ(admin0.rows.size(), 114u);
  EXPECT_EQ(admin0.rows[0][9], "509533");
}

TEST_F(CsvSourceTest, HdxDtmFromApiMixedLevels) {
  ReadAll all = Read(kRealDir + "hdx-iom-dtm-from-api-hti.hxl.csv");
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  ASSERT_EQ(all.header.names.size(), 21u);
  EXPECT_EQ(all.header.names[8], "adminLevel");
  EXPECT_EQ(all.header.hxl_tags[8], "#adm+level");
  EXPECT_EQ(all.header.hxl_tags[0], "#id+code");
  ASSERT_EQ(all.rows.size(), 1733u);
  int levels[3] = {0, 0, 0};
  for (const auto& cells : all.rows) {
    ASSERT_EQ(cells.size(), 21u);
    levels[cells[8][0] - '0']++;
  }
  EXPECT_EQ(levels[0], 114);
  EXPECT_EQ(levels[1], 235);
  EXPECT_EQ(levels[2], 1384);
  EXPECT_EQ(all.rows[0][1], "Haiti Earthquake");
  EXPECT_EQ(all.rows[0][9], "1068882");
}

// --- Syntax --------------------------------------------------------------------

TEST_F(CsvSourceTest, QuotedFieldsWithNewlinesAndQuotes) {
  ReadAll all = Read(Write("q.csv",
                           "name,comment\r\n"
                           "a,\"line one\nline two\"\r\n"
                           "b,\"say \"\"hi\"\", ok\"\r\n"
                           "c,\"x\r\ny\"z\n"
                           "d,plain \"quote\"\n"));
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  ASSERT_EQ(all.rows.size(), 4u);
  EXPECT_THAT(all.rows[0], ElementsAre("a", "line one\nline two"));
  EXPECT_THAT(all.rows[1], ElementsAre("b", "say \"hi\", ok"));
  EXPECT_THAT(all.rows[2], ElementsAre("c", "x\r\nyz"));
  EXPECT_THAT(all.rows[3], ElementsAre("d", "plain \"quote\""));
  EXPECT_THAT(all.lines, ElementsAre(2, 4, 5, 7));
}

TEST_F(CsvSourceTest, MixedLineEndingsAndNoFinalBreak) {
  ReadAll all = Read(Write("le.csv", "a,b\rone,1\r\ntwo,2\nthree,3\rfour,4"));
  ASSERT_TRUE(all.status.ok());
  ASSERT_EQ(all.rows.size(), 4u);
  EXPECT_THAT(all.rows[3], ElementsAre("four", "4"));
  EXPECT_THAT(all.lines, ElementsAre(2, 3, 4, 5));
}

TEST_F(CsvSourceTest, EmptyLinesSkippedAndDelimiterOnlyLinesKept) {
  ReadAll all = Read(Write("e.csv", "a,b\n\n1,2\r\n\r\n,\n3,4\n\n"));
  ASSERT_TRUE(all.status.ok());
  ASSERT_EQ(all.rows.size(), 3u);
  EXPECT_THAT(all.rows[1], ElementsAre("", ""));
  EXPECT_THAT(all.lines, ElementsAre(3, 5, 6));
}

TEST_F(CsvSourceTest, RaggedRowsKeepTheirLength) {
  ReadAll all = Read(Write("r.csv", "a,b,c\n1\n1,2,3,4\n,,\n"));
  ASSERT_TRUE(all.status.ok());
  EXPECT_THAT(all.rows[0], ElementsAre("1"));
  EXPECT_THAT(all.rows[1], ElementsAre("1", "2", "3", "4"));
  EXPECT_THAT(all.rows[2], ElementsAre("", "", ""));
}

TEST_F(CsvSourceTest, SemicolonAndTabSniffed) {
  auto semicolon = CsvSource::Open(Write("s.csv", "name;note\nx;\"1,5\"\ny;2,5\n"), {});
  ASSERT_TRUE(semicolon.ok());
  EXPECT_EQ((*semicolon)->delimiter(), ';');
  EXPECT_THAT((*semicolon)->header().names, ElementsAre("name", "note"));
  ReadAll semi = Read(Write("s2.csv", "name;note\nx;\"1,5\"\ny;2,5\n"));
  EXPECT_THAT(semi.rows[1], ElementsAre("y", "2,5"));

  ReadAll tab = Read(Write("t.tsv", "name\tcount, approx\tnote\nx\t1,000\tok\n"));
  ASSERT_TRUE(tab.status.ok());
  EXPECT_THAT(tab.header.names, ElementsAre("name", "count, approx", "note"));
  EXPECT_THAT(tab.rows[0], ElementsAre("x", "1,000", "ok"));
}

TEST_F(CsvSourceTest, ExplicitDelimiterWins) {
  CsvSourceOptions options;
  options.delimiter = ';';
  ReadAll all = Read(Write("d.csv", "a,b;c\n1,2;3\n"), options);
  EXPECT_THAT(all.header.names, ElementsAre("a,b", "c"));
}

TEST_F(CsvSourceTest, Utf8BomRemoved) {
  ReadAll all = Read(Write("bom.csv", "\xEF\xBB\xBFsite,name\n1,K\xC3\xA4ln\n"));
  ASSERT_TRUE(all.status.ok());
  EXPECT_THAT(all.header.names, ElementsAre("site", "name"));
  EXPECT_THAT(all.rows[0], ElementsAre("1", "K\u00e4ln"));
  EXPECT_TRUE(all.header.notes.empty());
}

TEST_F(CsvSourceTest, InvalidUtf8AfterBomIsAnError) {
  ReadAll all = Read(Write("bad.csv", "\xEF\xBB\xBFsite,name\n1,ok\n2,caf\xE9\n"));
  EXPECT_EQ(all.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(all.status.message(), HasSubstr("bad.csv:3: column 2: not valid UTF-8"));
}

TEST_F(CsvSourceTest, Cp1252AfterTheSniffWindowConvertedWithNote) {
  std::string text = "site,name\n";
  while (text.size() < kCsvChunkBytes + 1000) text += "1,plain ascii name\n";
  text += "2,Caf\xE9 \x93quoted\x94\n3,K\xC3\xA4ln\n";
  ReadAll all = Read(Write("late.csv", text));
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  ASSERT_GE(all.rows.size(), 2u);
  EXPECT_EQ(all.rows[all.rows.size() - 2][1], "Caf\u00e9 \u201cquoted\u201d");
  EXPECT_EQ(all.rows.back()[1], "K\u00e4ln");  // valid UTF-8 fields are kept
  EXPECT_THAT(all.header.notes, testing::Contains(HasSubstr("converted from Windows-1252")));
}

TEST_F(CsvSourceTest, UnterminatedQuoteNamesFileLineAndColumn) {
  ReadAll all = Read(Write("open.csv", "a,b\n1,2\n3,\"never\nclosed\n"));
  EXPECT_EQ(all.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(all.status.message(), HasSubstr("open.csv:3: column 2: quoted field is not closed"));
  EXPECT_EQ(all.rows.size(), 1u);
}

TEST_F(CsvSourceTest, MissingFileIsNotFound) {
  ReadAll all = Read((dir_ / "nope.csv").string());
  EXPECT_EQ(all.status.code(), StatusCode::kNotFound);
  EXPECT_THAT(all.status.message(), HasSubstr("nope.csv"));
}

TEST_F(CsvSourceTest, EmptyFileHasNoHeaderAndNoRows) {
  ReadAll all = Read(Write("empty.csv", ""));
  ASSERT_TRUE(all.status.ok());
  EXPECT_TRUE(all.header.names.empty());
  EXPECT_TRUE(all.rows.empty());
}

// --- Limits ----------------------------------------------------------------------

TEST_F(CsvSourceTest, LimitsAreResourceExhausted) {
  const std::string path = Write("l.csv", "a,b,c\n1,2,3\n4,5,6\n7,8,9\n");
  CsvSourceOptions columns;
  columns.limits.max_columns = 2;
  ReadAll too_wide = Read(path, columns);
  EXPECT_EQ(too_wide.status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(too_wide.status.message(), HasSubstr("l.csv:1: more than 2 fields"));
  EXPECT_THAT(too_wide.status.message(), HasSubstr("max_columns"));

  CsvSourceOptions rows;
  rows.limits.max_rows = 3;
  ReadAll too_long = Read(path, rows);
  EXPECT_EQ(too_long.status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(too_long.status.message(), HasSubstr("l.csv:4: more than 3 rows (max_rows)"));
  EXPECT_EQ(too_long.rows.size(), 2u);

  CsvSourceOptions bytes;
  bytes.limits.max_file_bytes = 10;
  EXPECT_EQ(Read(path, bytes).status.code(), StatusCode::kResourceExhausted);

  CsvSourceOptions field;
  field.limits.max_field_bytes = 4;
  ReadAll too_big = Read(Write("f.csv", "a,b\n1,\"12345\n6\"\n"), field);
  EXPECT_EQ(too_big.status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(too_big.status.message(), HasSubstr("f.csv:2: column 2: field longer than 4 bytes"));
}

// --- Header, banner and HXL detection ------------------------------------------------

TEST_F(CsvSourceTest, ExplicitHeaderRow) {
  CsvSourceOptions options;
  options.header_row = 2;
  ReadAll all = Read(Write("h.csv", "Title of the export,,\nsite,name,count\n1,x,3\n"), options);
  ASSERT_TRUE(all.status.ok());
  EXPECT_EQ(all.header.header_line, 2);
  EXPECT_THAT(all.header.names, ElementsAre("site", "name", "count"));
  EXPECT_THAT(all.rows, ElementsAre(ElementsAre("1", "x", "3")));
  EXPECT_THAT(all.header.notes, testing::Contains(HasSubstr("row 1 above the header skipped")));

  options.header_row = 9;
  ReadAll beyond = Read(Write("h2.csv", "a,b\n1,2\n"), options);
  EXPECT_EQ(beyond.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(beyond.status.message(), HasSubstr("header_row 9 is beyond the last row"));
}

TEST_F(CsvSourceTest, ExplicitHeaderRowWithHashtagsBelow) {
  CsvSourceOptions options;
  options.header_row = 2;
  ReadAll all =
      Read(Write("h.csv", "banner\nsite,count\n#loc+code,#affected+idps\nS1,5\n"), options);
  ASSERT_TRUE(all.status.ok());
  EXPECT_THAT(all.header.hxl_tags, ElementsAre("#loc+code", "#affected+idps"));
  EXPECT_THAT(all.rows, ElementsAre(ElementsAre("S1", "5")));
}

TEST_F(CsvSourceTest, HashtagRowFirstGivesTheNames) {
  ReadAll all = Read(Write("x.csv", "#adm1+code,#affected+idps,\nHT01,12,extra\n"));
  ASSERT_TRUE(all.status.ok());
  EXPECT_THAT(all.header.names, ElementsAre("#adm1+code", "#affected+idps", ""));
  EXPECT_THAT(all.header.hxl_tags, ElementsAre("#adm1+code", "#affected+idps", ""));
  EXPECT_THAT(all.rows, ElementsAre(ElementsAre("HT01", "12", "extra")));
}

TEST_F(CsvSourceTest, HashtagRowUnderBannerAndHeader) {
  ReadAll all = Read(
      Write("x.csv",
            "Displacement figures 2024,,\nsite,admin1,idps\n#loc +name, #adm1+code,#affected+idps\n"
            "A,HT01,5\n"));
  ASSERT_TRUE(all.status.ok());
  EXPECT_EQ(all.header.header_line, 2);
  EXPECT_THAT(all.header.names, ElementsAre("site", "admin1", "idps"));
  EXPECT_THAT(all.header.hxl_tags, ElementsAre("#loc +name", "#adm1+code", "#affected+idps"));
  EXPECT_THAT(all.rows, ElementsAre(ElementsAre("A", "HT01", "5")));
}

TEST_F(CsvSourceTest, NumericFirstRowIsNotAHeader) {
  ReadAll all = Read(Write("n.csv", "1,2,3\n4,5,6\n"));
  ASSERT_TRUE(all.status.ok());
  EXPECT_THAT(all.header.names, ElementsAre("1", "2", "3"));
  EXPECT_THAT(all.header.notes, testing::Contains(HasSubstr("no header row recognised")));
  EXPECT_EQ(all.rows.size(), 1u);
}

TEST(HeaderDetectionTest, HashtagSyntax) {
  EXPECT_TRUE(internal::IsHxlHashtag("#adm1+code"));
  EXPECT_TRUE(internal::IsHxlHashtag(" #affected +idps +age0_4 "));
  EXPECT_TRUE(internal::IsHxlHashtag("#Country"));
  EXPECT_FALSE(internal::IsHxlHashtag("#"));
  EXPECT_FALSE(internal::IsHxlHashtag("#1abc"));
  EXPECT_FALSE(internal::IsHxlHashtag("# of people"));
  EXPECT_FALSE(internal::IsHxlHashtag("#adm1+"));
  EXPECT_FALSE(internal::IsHxlHashtag("adm1"));
  EXPECT_FALSE(internal::IsHxlHashtagRow({"", "", ""}));
  EXPECT_TRUE(internal::IsHxlHashtagRow({"#a", "", "note"}));
  EXPECT_FALSE(internal::IsHxlHashtagRow({"#a", "b", "c"}));
}

TEST(HeaderDetectionTest, BannerTotalsAndTitleAboveTheHeader) {
  std::vector<SourceRow> rows = {
      {1, {"12,419", "TOTAL HH", "", "", "SITE MANAGEMENT", ""}},
      {2, {"NEPAL DTM", "", "", "", "", ""}},
      {3, {"Site ID", "Site Name", "Round", "Date", "Zone", "Other"}},
      {4, {"1", "Tribhuwan", "2", "21/05/2015", "Bagmati", ""}},
      {5, {"2", "Balambu", "2", "21/05/2015", "Bagmati", ""}},
  };
  const internal::HeaderLayout layout = internal::DetectHeaderLayout(rows);
  EXPECT_EQ(layout.header_index, 2u);
  EXPECT_EQ(layout.first_data_index, 3u);
  EXPECT_FALSE(layout.hxl_index.has_value());
  EXPECT_TRUE(layout.recognised);
}

TEST(HeaderDetectionTest, HeaderWithBlankCellBeatsWiderTextData) {
  std::vector<SourceRow> rows = {
      {1, {"", "code", "name"}},
      {2, {"x", "C-BAG-23-001", "Attarpur"}},
  };
  EXPECT_EQ(internal::DetectHeaderLayout(rows).header_index, 0u);
}

// --- Streaming -----------------------------------------------------------------------

// Builds a random CSV that exercises chunk boundaries (quotes, CRLF, doubled
// quotes, embedded line breaks) and compares the stream with the whole-buffer
// parser of core/csv_reader.h.
TEST_F(CsvSourceTest, StreamMatchesWholeBufferParserAcrossChunks) {
  std::mt19937 random(42);
  const char* pieces[] = {"a", "bb", "é", "12", " ", "x,y", "q\"q", "l\nl", "cr\r\nlf"};
  std::string text = "c1,c2,c3,c4\r\n";
  while (text.size() < 3 * kCsvChunkBytes) {
    for (int column = 0; column < 4; ++column) {
      std::string field;
      const int parts = static_cast<int>(random() % 4) + 1;
      for (int part = 0; part < parts; ++part) field += pieces[random() % 9];
      const bool needs_quotes = field.find_first_of(",\"\r\n") != std::string::npos;
      if (needs_quotes || random() % 3 == 0) {
        std::string quoted = "\"";
        for (char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        field = quoted + "\"";
      }
      text += field;
      text += column < 3 ? "," : (random() % 2 == 0 ? "\r\n" : "\n");
    }
  }
  const std::string path = Write("big.csv", text);
  ReadAll streamed = Read(path);
  ASSERT_TRUE(streamed.status.ok()) << streamed.status.ToString();
  auto whole = core::ReadCsvFile(path, {});
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(streamed.rows.size() + 1, whole->rows.size());
  for (size_t row_idx = 0; row_idx < streamed.rows.size(); ++row_idx) {
    ASSERT_EQ(streamed.rows[row_idx], whole->rows[row_idx + 1]) << "row " << row_idx;
    ASSERT_EQ(streamed.lines[row_idx], whole->row_lines[row_idx + 1]) << "row " << row_idx;
  }
}

TEST_F(CsvSourceTest, CrLfSplitAcrossChunksIsOneLineBreak) {
  std::string text = "a,b\n";
  text += "1,";
  text += std::string(kCsvChunkBytes - text.size() - 1, 'x');  // '\r' is the chunk's last byte
  text += "\r\n2,y\n";
  ReadAll all = Read(Write("crlf.csv", text));
  ASSERT_TRUE(all.status.ok());
  ASSERT_EQ(all.rows.size(), 2u);
  EXPECT_THAT(all.rows[1], ElementsAre("2", "y"));
  EXPECT_THAT(all.lines, ElementsAre(2, 3));
}

TEST_F(CsvSourceTest, StreamedRowsReuseTheirStrings) {
  std::string text = "a,b\n";
  for (int row_idx = 0; row_idx < 40; ++row_idx) {
    text += "a value longer than the small-string buffer " + std::to_string(row_idx) + ",2\n";
  }
  auto source = CsvSource::Open(Write("reuse.csv", text), {});
  ASSERT_TRUE(source.ok());
  SourceRow row;
  for (int row_idx = 0; row_idx < 30; ++row_idx) ASSERT_TRUE(*(*source)->Next(row));
  const char* storage = row.cells[0].data();
  ASSERT_TRUE(*(*source)->Next(row));
  EXPECT_EQ(row.cells[0], "a value longer than the small-string buffer 30");
  EXPECT_EQ(row.cells[0].data(), storage);  // no allocation for the streamed row
}

}  // namespace
}  // namespace opendtm::ingest
