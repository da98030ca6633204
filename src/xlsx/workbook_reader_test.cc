#include "xlsx/workbook_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "xlsx/workbook_writer.h"

namespace opendtm::xlsx {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Sheet {
  std::vector<int64_t> numbers;
  std::vector<std::vector<std::string>> rows;
};

class WorkbookReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("workbook_reader_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }

  // Runs a Python script with Debian's /usr/bin/python3 (which has openpyxl);
  // argv[1] is `path`.
  void RunPython(const std::string& script, const std::string& path) {
    const std::string script_path = PathOf("make.py");
    std::ofstream(script_path) << script;
    const std::string command = "/usr/bin/python3 " + script_path + " " + path;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  static Result<Sheet> ReadSheet(const std::string& path, size_t sheet_index,
                                 const ReadLimits& limits = {}) {
    ASSIGN_OR_RETURN(auto workbook, WorkbookReader::Open(path, limits));
    ASSIGN_OR_RETURN(auto sheet, workbook->OpenSheet(sheet_index));
    Sheet result;
    SheetRow row;
    while (true) {
      ASSIGN_OR_RETURN(const bool more, sheet->Next(row));
      if (!more) break;
      result.numbers.push_back(row.number);
      result.rows.push_back(row.cells);
    }
    return result;
  }

  std::filesystem::path dir_;
};

// A minimal workbook written part by part, to reach what Excel and openpyxl
// write only sometimes: inline strings, rich text with phonetic runs, _xHHHH_
// escapes, cells and rows without references, error and formula-string cells.
constexpr char kRawWorkbookScript[] = R"PY(
import sys, zipfile
parts = {
 "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
 "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="raw" sheetId="1" r:id="rId1"/></sheets></workbook>',
 "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/raw.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
 "xl/sharedStrings.xml": '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>plain</t></si><si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si><si><t xml:space="preserve">line_x000D_&#10;two </t></si><si/></sst>',
 "xl/worksheets/raw.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
   '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
   '<row r="2" s="3" customFormat="1"><c r="A2" s="3"/><c r="B2" s="3"/></row>'
   '<row><c t="inlineStr"><is><t>inline</t></is></c><c t="e"><v>#N/A</v></c><c t="str"><f>A1&amp;"x"</f><v>plainx</v></c><c t="b"><v>0</v></c></row>'
   '<row r="7"><c r="AB7"><v>1E-3</v></c></row>'
   '</sheetData></worksheet>',
}
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in parts.items():
        z.writestr(name, text)
)PY";

TEST_F(WorkbookReaderTest, ReadsWhatWorkbookWriterWrote) {
  const std::string path = PathOf("written.xlsx");
  {
    auto writer = WorkbookWriter::Create(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer
                    ->AddSheet("survey", {{"type", "name", "label"},
                                          {"integer", "", "Households"},
                                          {},
                                          {"text", "site_id", "Site ID", "extra"}})
                    .ok());
    ASSERT_TRUE(writer->AddSheet("choices", {{"list_name", "name"}, {"yn", "yes"}}).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  auto workbook = WorkbookReader::Open(path, {});
  ASSERT_TRUE(workbook.ok()) << workbook.status().ToString();
  EXPECT_THAT((*workbook)->sheet_names(), ElementsAre("survey", "choices"));

  auto survey = ReadSheet(path, 0);
  ASSERT_TRUE(survey.ok()) << survey.status().ToString();
  EXPECT_THAT(survey->numbers, ElementsAre(1, 2, 4));
  EXPECT_THAT(survey->rows, ElementsAre(ElementsAre("type", "name", "label"),
                                        ElementsAre("integer", "", "Households"),
                                        ElementsAre("text", "site_id", "Site ID", "extra")));
  auto choices = ReadSheet(path, 1);
  ASSERT_TRUE(choices.ok());
  EXPECT_THAT(choices->rows[1], ElementsAre("yn", "yes"));
}

TEST_F(WorkbookReaderTest, OpenpyxlNumbersDatesBooleansAndGaps) {
  const std::string path = PathOf("openpyxl.xlsx");
  RunPython(R"PY(
import sys, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "sites"
ws.append(["site", "count", "date", "ok", "ratio"])
ws.append(["S1", 12, datetime.date(2015, 5, 21), True, 0.25])
ws["A3"] = "S2"
ws["C3"] = datetime.datetime(2015, 5, 21, 12, 0)
ws["E3"] = "=B2*2"
ws["A5"] = "S1"
ws["D5"] = "far"
ws2 = wb.create_sheet("second")
ws2["B2"] = "only"
wb.save(sys.argv[1])
)PY",
            path);
  auto sheet = ReadSheet(path, 0);
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  EXPECT_THAT(sheet->numbers, ElementsAre(1, 2, 3, 5));
  EXPECT_THAT(sheet->rows[0], ElementsAre("site", "count", "date", "ok", "ratio"));
  EXPECT_THAT(sheet->rows[1], ElementsAre("S1", "12", "42145", "TRUE", "0.25"));
  EXPECT_THAT(sheet->rows[2],
              ElementsAre("S2", "", "42145.5"));  // a formula without a cached value
  EXPECT_THAT(sheet->rows[3], ElementsAre("S1", "", "", "far"));

  auto second = ReadSheet(path, 1);
  ASSERT_TRUE(second.ok());
  EXPECT_THAT(second->numbers, ElementsAre(2));
  EXPECT_THAT(second->rows[0], ElementsAre("", "only"));
}

TEST_F(WorkbookReaderTest, InlineRichEscapedErrorAndUnreferencedCells) {
  const std::string path = PathOf("raw.xlsx");
  RunPython(kRawWorkbookScript, path);
  auto sheet = ReadSheet(path, 0);
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  EXPECT_THAT(sheet->numbers, ElementsAre(1, 3, 7));
  EXPECT_THAT(sheet->rows[0],
              ElementsAre("plain", "rich text", "line\r\ntwo "));  // the empty 4th is dropped
  EXPECT_THAT(sheet->rows[1], ElementsAre("inline", "#N/A", "plainx", "FALSE"));
  ASSERT_EQ(sheet->rows[2].size(), 28u);
  EXPECT_EQ(sheet->rows[2][27], "1E-3");
}

TEST_F(WorkbookReaderTest, Limits) {
  const std::string path = PathOf("raw.xlsx");
  RunPython(kRawWorkbookScript, path);
  ReadLimits columns;
  columns.max_columns = 10;
  auto wide = ReadSheet(path, 0, columns);
  EXPECT_EQ(wide.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(wide.status().message(), HasSubstr("cell AB7 is beyond column 10 (max_columns)"));

  ReadLimits unpacked;
  unpacked.max_unpacked_bytes = 200;
  auto bomb = ReadSheet(path, 0, unpacked);
  EXPECT_EQ(bomb.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(bomb.status().message(), HasSubstr("max_unpacked_bytes"));

  ReadLimits cell;
  cell.max_cell_bytes = 4;
  EXPECT_EQ(ReadSheet(path, 0, cell).status().code(), StatusCode::kInvalidArgument);

  ReadLimits file;
  file.max_file_bytes = 100;
  EXPECT_EQ(ReadSheet(path, 0, file).status().code(), StatusCode::kResourceExhausted);
}

TEST_F(WorkbookReaderTest, MalformedXmlNamesPartAndLine) {
  const std::string path = PathOf("broken.xlsx");
  std::string script = kRawWorkbookScript;
  script.replace(script.find("</sheetData>"), 12, "<row><c></sheetData>");
  RunPython(script, path);
  auto sheet = ReadSheet(path, 0);
  EXPECT_EQ(sheet.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(sheet.status().message(), HasSubstr("broken.xlsx: xl/worksheets/raw.xml: line 1:"));
}

TEST_F(WorkbookReaderTest, NotAWorkbook) {
  const std::string text = PathOf("text.xlsx");
  std::ofstream(text) << "site,name\n";
  auto opened = WorkbookReader::Open(text, {});
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(opened.status().message(), HasSubstr("text.xlsx: not an .xlsx workbook"));

  EXPECT_EQ(WorkbookReader::Open(PathOf("missing.xlsx"), {}).status().code(),
            StatusCode::kNotFound);

  const std::string zip = PathOf("other.zip");
  RunPython("import sys, zipfile\nzipfile.ZipFile(sys.argv[1], 'w').writestr('a.txt', 'x')\n", zip);
  auto no_workbook = WorkbookReader::Open(zip, {});
  EXPECT_EQ(no_workbook.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(no_workbook.status().message(), HasSubstr("no part xl/_rels/workbook.xml.rels"));
}

TEST_F(WorkbookReaderTest, SheetIndexOutOfRange) {
  const std::string path = PathOf("raw.xlsx");
  RunPython(kRawWorkbookScript, path);
  auto workbook = WorkbookReader::Open(path, {});
  ASSERT_TRUE(workbook.ok());
  auto sheet = (*workbook)->OpenSheet(3);
  EXPECT_EQ(sheet.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(sheet.status().message(), HasSubstr("no sheet 4 (the workbook has 1)"));
}

}  // namespace
}  // namespace opendtm::xlsx
