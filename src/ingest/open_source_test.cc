#include "ingest/open_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "xlsx/workbook_writer.h"

namespace opendtm::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kRealDir = std::string(OPENDTM_SHARED_DIR) + "/data/real/";

class OpenSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("open_source_test_" + std::to_string(::getpid()) + "_" +
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

int64_t CountRows(RowReader& reader) {
  int64_t rows = 0;
  SourceRow row;
  while (true) {
    Result<bool> more = reader.Next(row);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) return rows;
    ++rows;
  }
}

TEST_F(OpenSourceTest, PicksTheReaderForRealFiles) {
  auto nepal = OpenSource(kRealDir + "dtm-nepal-2015-site-assessment-round2.redacted.csv", {});
  ASSERT_TRUE(nepal.ok()) << nepal.status().ToString();
  EXPECT_EQ((*nepal)->header().header_line, 3);
  EXPECT_EQ(CountRows(**nepal), 146);

  SourceOptions header_given;
  header_given.header_row = 3;
  auto nepal_given =
      OpenSource(kRealDir + "dtm-nepal-2015-site-assessment-round2.redacted.csv", header_given);
  ASSERT_TRUE(nepal_given.ok());
  EXPECT_EQ((*nepal_given)->header().names.size(), 180u);
  EXPECT_EQ(CountRows(**nepal_given), 146);

  auto hdx = OpenSource(kRealDir + "hdx-iom-dtm-from-api-hti.hxl.csv", {});
  ASSERT_TRUE(hdx.ok());
  EXPECT_FALSE((*hdx)->header().hxl_tags.empty());
  EXPECT_EQ(CountRows(**hdx), 1733);

  auto api = OpenSource(kRealDir + "dtm-api-v3-displacement-admin1-admin0pcode-hti.json", {});
  ASSERT_TRUE(api.ok()) << api.status().ToString();
  EXPECT_EQ((*api)->header().names.back(), "adminLevel");
  EXPECT_EQ(CountRows(**api), 235);
}

TEST_F(OpenSourceTest, XlsxByExtensionAndByContent) {
  const std::string path = (dir_ / "form.xlsx").string();
  {
    auto writer = xlsx::WorkbookWriter::Create(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->AddSheet("one", {{"a", "b"}, {"1", "2"}}).ok());
    ASSERT_TRUE(writer->AddSheet("two", {{"c"}, {"3"}, {"4"}}).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  SourceOptions options;
  options.sheet = "two";
  auto by_extension = OpenSource(path, options);
  ASSERT_TRUE(by_extension.ok()) << by_extension.status().ToString();
  EXPECT_THAT((*by_extension)->header().names, ElementsAre("c"));
  EXPECT_EQ(CountRows(**by_extension), 2);

  const std::string renamed = (dir_ / "export.bin").string();
  std::filesystem::copy_file(path, renamed);
  auto by_content = OpenSource(renamed, {});
  ASSERT_TRUE(by_content.ok()) << by_content.status().ToString();
  EXPECT_THAT((*by_content)->header().names, ElementsAre("a", "b"));
}

TEST_F(OpenSourceTest, TextFormatsAndJsonContent) {
  auto tsv = OpenSource(Write("x.TSV", "a\tb\tc\n1\t2\t3\n"), {});
  ASSERT_TRUE(tsv.ok());
  EXPECT_THAT((*tsv)->header().names, ElementsAre("a", "b", "c"));
  auto hxl = OpenSource(Write("x.hxl", "#adm1+code\nHT01\n"), {});
  ASSERT_TRUE(hxl.ok());
  EXPECT_THAT((*hxl)->header().hxl_tags, ElementsAre("#adm1+code"));
  auto json = OpenSource(Write("response", "\n {\"result\":[{\"a\":1}]}"), {});
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_THAT((*json)->header().names, ElementsAre("a", "adminLevel"));
}

TEST_F(OpenSourceTest, Errors) {
  auto missing = OpenSource((dir_ / "missing.csv").string(), {});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("missing.csv: no such file"));

  auto unknown = OpenSource(Write("notes.doc", "hello"), {});
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("notes.doc: unknown format '.doc'"));

  auto legacy = OpenSource(Write("old.xls", "\xD0\xCF\x11\xE0"), {});
  EXPECT_EQ(legacy.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(legacy.status().message(), HasSubstr("save a legacy .xls workbook as .xlsx"));

  auto directory = OpenSource(dir_.string(), {});
  EXPECT_EQ(directory.status().code(), StatusCode::kInvalidArgument);

  SourceOptions small;
  small.limits.max_file_bytes = 1000;
  auto too_big = OpenSource(kRealDir + "global-pcodes-adm-1-2.hxl.csv", small);
  EXPECT_EQ(too_big.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(too_big.status().message(), HasSubstr("max_file_bytes"));
}

}  // namespace
}  // namespace opendtm::ingest
