#include "forms/export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "forms/internal/testing.h"

namespace opendtm::forms {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ParseExportFormatTest, KnowsTheFiveFormats) {
  EXPECT_EQ(ParseExportFormat("xlsform"), ExportFormat::kXlsForm);
  EXPECT_EQ(ParseExportFormat("xform"), ExportFormat::kXForm);
  EXPECT_EQ(ParseExportFormat("codebook-md"), ExportFormat::kCodebookMarkdown);
  EXPECT_EQ(ParseExportFormat("codebook-html"), ExportFormat::kCodebookHtml);
  EXPECT_EQ(ParseExportFormat("json"), ExportFormat::kJson);
  EXPECT_EQ(ParseExportFormat("XLSForm"), std::nullopt);
  EXPECT_EQ(ParseExportFormat(""), std::nullopt);
  EXPECT_EQ(ExportFormatName(ExportFormat::kCodebookHtml), "codebook-html");
}

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("export_test_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // Files in the directory, to check that no temporary file is left behind.
  size_t FileCount() {
    return std::distance(fs::directory_iterator(dir_), fs::directory_iterator());
  }

  fs::path dir_;
  dictionary::Dictionary dictionary_ = testing::SmallDictionary();
};

TEST_F(ExportTest, WritesEachFormatAndNoTemporaryFile) {
  struct Case {
    ExportFormat format;
    const char* file;
    const char* starts_with;
  };
  for (const Case& test_case : {Case{ExportFormat::kXForm, "form.xml", "<?xml"},
                                Case{ExportFormat::kXlsForm, "form.xlsx", "PK\x03\x04"},
                                Case{ExportFormat::kJson, "dictionary.json", "{"},
                                Case{ExportFormat::kCodebookMarkdown, "codebook.md", ""},
                                Case{ExportFormat::kCodebookHtml, "codebook.html", ""}}) {
    const fs::path path = dir_ / test_case.file;
    Status status = ExportDictionary(dictionary_, test_case.format, {}, path.string());
    ASSERT_TRUE(status.ok()) << test_case.file << ": " << status.ToString();
    std::string content = Read(path);
    EXPECT_FALSE(content.empty()) << test_case.file;
    EXPECT_THAT(content, StartsWith(test_case.starts_with)) << test_case.file;
    EXPECT_EQ(fs::status(path).permissions() & fs::perms::others_read, fs::perms::others_read);
  }
  EXPECT_EQ(FileCount(), 5u);
}

TEST_F(ExportTest, ReplacesAnExistingFile) {
  const fs::path path = dir_ / "form.xml";
  std::ofstream(path) << "old";
  ASSERT_TRUE(ExportDictionary(dictionary_, ExportFormat::kXForm, {}, path.string()).ok());
  EXPECT_THAT(Read(path), HasSubstr("<h:html"));
  EXPECT_EQ(FileCount(), 1u);
}

TEST_F(ExportTest, AFailedExportLeavesTheOldFileAndNoTemporaryFile) {
  const fs::path path = dir_ / "form.xml";
  std::ofstream(path) << "old";
  FormOptions options;
  options.form_id = "not valid";
  Status status = ExportDictionary(dictionary_, ExportFormat::kXForm, options, path.string());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Read(path), "old");
  EXPECT_EQ(FileCount(), 1u);
}

TEST_F(ExportTest, ReportsAMissingDirectoryWithThePath) {
  const std::string path = (dir_ / "missing" / "form.xml").string();
  Status status = ExportDictionary(dictionary_, ExportFormat::kXForm, {}, path);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr(path));
  status = ExportDictionary(dictionary_, ExportFormat::kXlsForm, {}, path);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace opendtm::forms
