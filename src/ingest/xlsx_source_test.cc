#include "ingest/xlsx_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "xlsx/workbook_writer.h"

namespace opendtm::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Rows = std::vector<std::vector<std::string>>;

class XlsxSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("xlsx_source_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name,
                    const std::vector<std::pair<std::string, Rows>>& sheets) {
    const std::string path = (dir_ / name).string();
    auto writer = xlsx::WorkbookWriter::Create(path);
    EXPECT_TRUE(writer.ok());
    for (const auto& [sheet, rows] : sheets) EXPECT_TRUE(writer->AddSheet(sheet, rows).ok());
    EXPECT_TRUE(writer->Close().ok());
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

ReadAll Read(const std::string& path, const XlsxSourceOptions& options = {}) {
  ReadAll all;
  auto source = XlsxSource::Open(path, options);
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

TEST_F(XlsxSourceTest, BannerHeaderAndHxlRowDetected) {
  const std::string path = Write("sites.xlsx", {{"data",
                                                 {{"NEPAL DTM - Round 2"},
                                                  {},
                                                  {"Site ID", "Site Name", "Households", "Comment"},
                                                  {"#loc+code", "#loc+name", "#affected+hh", ""},
                                                  {"1", "Tribhuwan University", "120"},
                                                  {"2", "", "35", "late"}}}});
  ReadAll all = Read(path);
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  EXPECT_EQ(all.header.header_line, 3);
  EXPECT_THAT(all.header.names, ElementsAre("Site ID", "Site Name", "Households", "Comment"));
  EXPECT_THAT(all.header.hxl_tags, ElementsAre("#loc+code", "#loc+name", "#affected+hh", ""));
  EXPECT_THAT(all.rows, ElementsAre(ElementsAre("1", "Tribhuwan University", "120", ""),
                                    ElementsAre("2", "", "35", "late")));
  EXPECT_THAT(all.lines, ElementsAre(5, 6));
  EXPECT_THAT(all.header.notes, testing::Contains(HasSubstr("row 1 above the header skipped")));
}

TEST_F(XlsxSourceTest, SheetByNameOrPosition) {
  const std::string path = Write("two.xlsx", {{"survey", {{"type", "name"}, {"text", "a"}}},
                                              {"choices", {{"list_name", "name"}, {"yn", "yes"}}}});
  XlsxSourceOptions options;
  EXPECT_THAT(Read(path, options).header.names, ElementsAre("type", "name"));
  options.sheet = "choices";
  ReadAll by_name = Read(path, options);
  EXPECT_THAT(by_name.header.names, ElementsAre("list_name", "name"));
  EXPECT_THAT(by_name.header.notes, testing::Contains("sheet 'choices'"));
  options.sheet = "2";
  EXPECT_THAT(Read(path, options).rows, ElementsAre(ElementsAre("yn", "yes")));
  options.sheet = "settings";
  ReadAll missing = Read(path, options);
  EXPECT_EQ(missing.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status.message(),
              HasSubstr("no sheet 'settings' (sheets: 'survey', 'choices')"));
  options.sheet = "3";
  EXPECT_EQ(Read(path, options).status.code(), StatusCode::kInvalidArgument);
}

TEST_F(XlsxSourceTest, ExplicitHeaderRowIsASheetRow) {
  const std::string path = Write("h.xlsx", {{"s", {{"Report"}, {}, {}, {"a", "b"}, {"1", "2"}}}});
  XlsxSourceOptions options;
  options.header_row = 4;
  ReadAll all = Read(path, options);
  ASSERT_TRUE(all.status.ok());
  EXPECT_EQ(all.header.header_line, 4);
  EXPECT_THAT(all.rows, ElementsAre(ElementsAre("1", "2")));
  EXPECT_THAT(all.lines, ElementsAre(5));
}

TEST_F(XlsxSourceTest, OpenpyxlDatesStaySerialNumbers) {
  const std::string path = (dir_ / "openpyxl.xlsx").string();
  const std::string script = (dir_ / "make.py").string();
  std::ofstream(script) << R"PY(
import sys, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "round"
ws.append(["site_id", "survey_date", "hh", "open"])
ws.append(["NG-001", datetime.date(2015, 5, 21), 120, True])
ws.append(["NG-002", None, 3.5, False])
ws["A5"] = "NG-003"
wb.create_sheet("notes")["A1"] = "x"
wb.save(sys.argv[1])
)PY";
  ASSERT_EQ(std::system(("/usr/bin/python3 " + script + " " + path).c_str()), 0);
  ReadAll all = Read(path);
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  EXPECT_THAT(all.header.names, ElementsAre("site_id", "survey_date", "hh", "open"));
  EXPECT_THAT(all.rows, ElementsAre(ElementsAre("NG-001", "42145", "120", "TRUE"),
                                    ElementsAre("NG-002", "", "3.5", "FALSE"),
                                    ElementsAre("NG-003", "", "", "")));
  EXPECT_THAT(all.lines, ElementsAre(2, 3, 5));
}

TEST_F(XlsxSourceTest, MaxRowsIsResourceExhausted) {
  const std::string path = Write("rows.xlsx", {{"s", {{"a"}, {"1"}, {"2"}, {"3"}}}});
  XlsxSourceOptions options;
  options.limits.max_rows = 3;
  ReadAll all = Read(path, options);
  EXPECT_EQ(all.status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(all.status.message(), HasSubstr("row 4: more than 3 rows (max_rows)"));
  EXPECT_EQ(all.rows.size(), 2u);
}

TEST_F(XlsxSourceTest, MissingFileIsNotFound) {
  EXPECT_EQ(Read((dir_ / "none.xlsx").string()).status.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace opendtm::ingest
