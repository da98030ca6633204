#include "xlsx/workbook_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace opendtm::xlsx {
namespace {

namespace fs = std::filesystem;

class WorkbookWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("xlsx_test_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs `command` and returns what it printed, or nullopt when it failed.
std::optional<std::string> RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string output;
  char buffer[4096];
  size_t count;
  while ((count = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, count);
  if (pclose(pipe) != 0) return std::nullopt;
  return output;
}

bool HaveOpenpyxl() {
  return fs::exists("/usr/bin/python3") &&
         RunCommand("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null").has_value();
}

TEST_F(WorkbookWriterTest, WritesAZipWithEverySheetAndStringCells) {
  const std::string path = PathOf("book.xlsx");
  auto writer = WorkbookWriter::Create(path);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE(writer
                  ->AddSheet("survey",
                             {{"type", "name", "label::Français (fr)"},
                              {"integer", "round", "Numéro du round"},
                              {"text", "", "001"},
                              {"note", "formula", "=1+1"}},
                             {.bold_header = true})
                  .ok());
  ASSERT_TRUE(writer->AddSheet("choices", {{"list_name", "name"}, {"yes_no", "yes"}}).ok());
  ASSERT_TRUE(writer->AddSheet("settings", {}).ok());
  EXPECT_FALSE(fs::exists(path)) << "nothing is written before Close()";
  ASSERT_TRUE(writer->Close().ok());

  const std::string bytes = ReadFile(path);
  ASSERT_GE(bytes.size(), 4u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(bytes.find("xl/worksheets/sheet3.xml"), std::string::npos);

  if (!HaveOpenpyxl()) GTEST_SKIP() << "/usr/bin/python3 with openpyxl not installed";
  const std::string script =
      "import openpyxl,sys\n"
      "wb=openpyxl.load_workbook(sys.argv[1])\n"
      "print(','.join(wb.sheetnames))\n"
      "for row in wb['survey'].iter_rows(values_only=True):\n"
      "  print('|'.join('None' if c is None else type(c).__name__+':'+c for c in row))\n"
      "print(wb['survey']['A1'].font.b, wb['survey']['A2'].font.b)\n";
  const std::string script_path = PathOf("read.py");
  std::ofstream(script_path) << script;
  auto output = RunCommand("/usr/bin/python3 " + script_path + " " + path);
  ASSERT_TRUE(output.has_value());
  EXPECT_EQ(*output,
            "survey,choices,settings\n"
            "str:type|str:name|str:label::Français (fr)\n"
            "str:integer|str:round|str:Numéro du round\n"
            "str:text|None|str:001\n"
            "str:note|str:formula|str:=1+1\n"
            "True False\n");
}

TEST_F(WorkbookWriterTest, TypedSheetsWriteNumbersAsNumbers) {
  const std::string path = PathOf("typed.xlsx");
  auto writer = WorkbookWriter::Create(path);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE(writer
                  ->AddTypedSheet("admin2",
                                  {{SheetCell::Text("pcode"), SheetCell::Text("ind_total")},
                                   {SheetCell::Text("HT0111"), SheetCell::Number(1068882)},
                                   {SheetCell::Text("HT0112"), SheetCell::Text("")},
                                   {SheetCell::Text("HT0113"), SheetCell::Number(0.25)}},
                                  {.bold_header = true})
                  .ok());
  ASSERT_TRUE(writer->AddSheet("README", {{"tier", "public"}}).ok());
  ASSERT_TRUE(writer->Close().ok());

  if (!HaveOpenpyxl()) GTEST_SKIP() << "/usr/bin/python3 with openpyxl not installed";
  const std::string script =
      "import openpyxl,sys\n"
      "wb=openpyxl.load_workbook(sys.argv[1])\n"
      "print(','.join(wb.sheetnames))\n"
      "for row in wb['admin2'].iter_rows(values_only=True):\n"
      "  print('|'.join('None' if c is None else type(c).__name__+':'+str(c) for c in row))\n";
  const std::string script_path = PathOf("read.py");
  std::ofstream(script_path) << script;
  auto output = RunCommand("/usr/bin/python3 " + script_path + " " + path);
  ASSERT_TRUE(output.has_value());
  EXPECT_EQ(*output,
            "admin2,README\n"
            "str:pcode|str:ind_total\n"
            "str:HT0111|int:1068882\n"
            "str:HT0112|None\n"
            "str:HT0113|float:0.25\n");
}

TEST_F(WorkbookWriterTest, TypedSheetsRefuseANumberExcelCannotHold) {
  auto writer = WorkbookWriter::Create(PathOf("nan.xlsx"));
  ASSERT_TRUE(writer.ok());
  Status status = writer->AddTypedSheet(
      "admin2", {{SheetCell::Number(1)}, {SheetCell::Text("a"), SheetCell::Number(NAN)}});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("row 2 column 2"), std::string::npos) << status.message();
  // The refused sheet left nothing: its name is still free.
  EXPECT_TRUE(writer->AddTypedSheet("admin2", {{SheetCell::Number(1)}}).ok());
  ASSERT_TRUE(writer->Close().ok());
}

TEST_F(WorkbookWriterTest, RefusesSheetNamesExcelRefuses) {
  auto writer = WorkbookWriter::Create(PathOf("names.xlsx"));
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ(writer->AddSheet("", {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(writer->AddSheet("a/b", {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(writer->AddSheet(std::string(32, 'x'), {}).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(writer->AddSheet("survey", {}).ok());
  Status duplicate = writer->AddSheet("survey", {});
  EXPECT_EQ(duplicate.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(duplicate.message().find(PathOf("names.xlsx")), std::string::npos);
  ASSERT_TRUE(writer->Close().ok());
}

TEST_F(WorkbookWriterTest, RefusesACellLongerThanExcelAllows) {
  auto writer = WorkbookWriter::Create(PathOf("long.xlsx"));
  ASSERT_TRUE(writer.ok());
  Status status = writer->AddSheet("survey", {{"ok", std::string(32768, 'a')}});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("row 1 column 2"), std::string::npos) << status.message();
}

TEST_F(WorkbookWriterTest, ReportsAnUnwritablePathWithThePath) {
  const std::string path = PathOf("missing-dir/book.xlsx");
  auto writer = WorkbookWriter::Create(path);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->AddSheet("survey", {{"a"}}).ok());
  Status status = writer->Close();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find(path), std::string::npos) << status.message();
}

TEST_F(WorkbookWriterTest, AcceptsNothingAfterClose) {
  auto writer = WorkbookWriter::Create(PathOf("closed.xlsx"));
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(writer->AddSheet("survey", {}).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(writer->Close().code(), StatusCode::kFailedPrecondition);
}

TEST_F(WorkbookWriterTest, DiscardsAWorkbookNeverClosed) {
  const std::string path = PathOf("abandoned.xlsx");
  {
    auto writer = WorkbookWriter::Create(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->AddSheet("survey", {{"a", "b"}}).ok());
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(WorkbookWriterTest, RefusesAnEmptyPath) {
  EXPECT_EQ(WorkbookWriter::Create("").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace opendtm::xlsx
