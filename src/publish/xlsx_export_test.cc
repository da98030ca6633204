#include "publish/xlsx_export.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/sha256.h"
#include "publish/testing.h"

namespace opendtm::publish {
namespace {

using namespace testing;  // NOLINT: the hand-built releases

bool HaveOpenpyxl() {
  return std::filesystem::exists("/usr/bin/python3") &&
         RunCommand("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null").has_value();
}

// Reads the workbook back with openpyxl (a reader we did not write) and
// prints, per sheet, its name then each row as type:value cells separated by
// "|" ("-" for an empty cell).
std::string ReadBack(const TempDir& dir, const std::string& path) {
  const std::string script =
      "import openpyxl,sys\n"
      "wb=openpyxl.load_workbook(sys.argv[1])\n"
      "for ws in wb.worksheets:\n"
      "  print('['+ws.title+']')\n"
      "  for row in ws.iter_rows(values_only=True):\n"
      "    print('|'.join('-' if c is None else type(c).__name__+':'+str(c) for c in row))\n";
  const std::string script_path = dir.File("read.py");
  std::ofstream(script_path) << script;
  auto output = RunCommand("/usr/bin/python3 " + script_path + " " + path);
  EXPECT_TRUE(output.has_value()) << "openpyxl could not read " << path;
  return output.value_or("");
}

TEST(XlsxExportTest, OpenpyxlReadsOneSheetPerLevelAndTheReadme) {
  TempDir dir;
  const std::string path = dir.File("public.xlsx");
  XlsxOptions options;
  options.generated_at = "2026-04-02T09:30:00Z";
  options.purpose = "HDX publication";
  auto summary = ExportXlsx(PublicRelease(), options, path);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rows, 6);
  EXPECT_EQ(summary->columns, 17);
  EXPECT_EQ(summary->sha256, core::Sha256::HexOf(ReadFile(path)));

  if (!HaveOpenpyxl()) GTEST_SKIP() << "/usr/bin/python3 with openpyxl not installed";
  const std::string book = ReadBack(dir, path);
  // admin2: the CSV's columns, numbers as numbers, suppressed cells empty
  // and flagged "suppressed" (no reason), a true 0 kept, a blank left empty.
  EXPECT_NE(book.find("[admin2]\n"
                      "str:level|str:pcode|str:name|str:admin1_pcode|str:admin2_pcode|str:round|"
                      "str:assessment_type|str:sites|"
                      "str:latitude|str:longitude|str:ind_total|str:f_total|str:f_total__flag|"
                      "str:m_total|str:m_total__flag|str:households|str:lighting=adequate|"
                      "str:lighting=none|str:water_litres\n"
                      "str:admin2|str:HT0111|str:Port-au-Prince|str:HT01|str:HT0111|int:1|str:SA|"
                      "int:12|float:18.5392|float:-72.335|int:1530|int:800|-|int:730|-|int:310|"
                      "int:7|int:5|float:1250.5\n"
                      "str:admin2|str:HT0112|str:Delmas|str:HT01|str:HT0112|int:1|str:SA|int:4|-|"
                      "-|int:42|-|str:suppressed|-|str:suppressed|int:9|int:0|int:4|-\n"),
            std::string::npos)
      << book;
  EXPECT_NE(book.find("[admin1]\n"
                      "str:level|str:pcode|str:name|str:admin1_pcode|str:round|"
                      "str:assessment_type|str:sites|str:latitude|str:longitude|"),
            std::string::npos)
      << book;
  EXPECT_NE(book.find("str:admin1|str:HT01|str:Ouest|str:HT01|int:2|str:SA|int:10|-|-|int:1200|"),
            std::string::npos)
      << book;
  // The README, last.
  const size_t readme = book.find("[README]\n");
  ASSERT_NE(readme, std::string::npos) << book;
  EXPECT_LT(book.find("[admin2]"), book.find("[admin1]"));
  EXPECT_EQ(book.find("[", readme + 1), std::string::npos) << "README is the last sheet";
  const std::string text = book.substr(readme);
  for (const char* line : {
           "str:operation|str:Haiti Earthquake (HTI)\n",
           "str:rounds|str:1, 2\n",
           "str:levels|str:admin2, admin1\n",
           "str:tier|str:public\n",
           "str:policy version|str:3\n",
           "str:dictionary version|str:2026.1\n",
           "str:generated at|str:2026-04-02T09:30:00Z\n",
           "str:purpose|str:HDX publication\n",
           "str:k_sites|str:3\n",
           "str:k_people|str:5\n",
           "str:cells suppressed|str:4 (whole release)\n",
           "str:rounding|str:none\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  EXPECT_NE(text.find("str:suppressed|str:Withheld to protect people: a figure over fewer than "
                      "3 sites (k_sites), a count of people below 5 (k_people)"),
            std::string::npos)
      << text;
  for (const char* reason : {"small", "complementary", "homogeneous", "gate"}) {
    EXPECT_EQ(book.find(reason), std::string::npos) << "a reason in the file: " << reason;
  }
  EXPECT_EQ(text.find("microdata"), std::string::npos) << "no microdata report in this release";
}

TEST(XlsxExportTest, SiteSheetsHashtagsAndTheMicrodataReport) {
  TempDir dir;
  const std::string path = dir.File("partner.xlsx");
  XlsxOptions options;
  options.hashtag_row = true;
  auto summary = ExportXlsx(PartnerRelease(), options, path);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rows, 5);

  if (!HaveOpenpyxl()) GTEST_SKIP() << "/usr/bin/python3 with openpyxl not installed";
  const std::string book = ReadBack(dir, path);
  EXPECT_NE(book.find("[site]\n"
                      "str:operation|str:level|str:pcode|str:name|str:admin1_pcode|"
                      "str:admin2_pcode|str:admin3_pcode|str:round|str:assessment_type|"
                      "str:sites|str:latitude|str:longitude|str:ind_total|str:f_total|"
                      "str:f_total__flag|str:m_total|str:m_total__flag|str:lighting\n"
                      "str:#operation+name|str:#adm+level|str:#loc+code|str:#loc+name|"
                      "str:#adm1+code|str:#adm2+code|str:#adm3+code|"
                      "str:#round+code|str:#assessment+type|str:#loc+count|str:#geo+lat|"
                      "str:#geo+lon|str:#affected+idps+ind+total|str:#affected+idps+ind+f|"
                      "str:#meta+flag|str:#affected+idps+ind+m|str:#meta+flag|"
                      "str:#indicator+lighting\n"
                      "str:Haiti Earthquake|str:site|str:HT-001|str:Camp \"Corail\", Cesselesse|"
                      "str:HT01|str:HT0111|str:HT011101|"
                      "int:3|str:SA|int:1|float:18.6021|float:-72.2486|int:120|int:65|-|int:55|-|"
                      "str:adequate\n"
                      // A text cell: no ' added (Excel runs no formula from it).
                      "str:Haiti Earthquake|str:site|str:HT-002|str:=HYPERLINK(\"http://x\")|"
                      "str:HT01|str:HT0111|-|int:3|"
                      "str:SA|int:1|float:18.5617|float:-72.3236|int:45|-|"
                      "str:suppressed|-|str:suppressed|str:none\n"),
            std::string::npos)
      << book;
  EXPECT_NE(book.find("[admin2]\n"), std::string::npos) << book;
  for (const char* line : {
           "str:operation|str:Hurricane Matthew (HTI)\n",
           "str:tier|str:partner\n",
           "str:policy version|str:0 (built-in default)\n",
           "str:rounding|str:people counts rounded to the nearest multiple of 5\n",
           "str:k-anonymity k|str:3\n",
           "str:quasi-identifiers|str:adm3_pcode, site_type\n",
           "str:site rows checked|str:3\n",
           "str:generalised (shown one admin level up)|str:1\n",
           "str:withheld|str:0\n",
       }) {
    EXPECT_NE(book.find(line), std::string::npos) << line << "\n" << book;
  }
}

TEST(XlsxExportTest, AnUnsuppressedTierSaysSo) {
  TempDir dir;
  Release release = PublicRelease();
  release.tier = store::Tier::kProtection;
  release.rules.tier = store::Tier::kProtection;
  release.rules.suppressed = false;
  const std::string path = dir.File("protection.xlsx");
  XlsxOptions options;
  options.levels = {Level::kAdmin1};
  ASSERT_TRUE(ExportXlsx(release, options, path).ok());
  if (!HaveOpenpyxl()) GTEST_SKIP() << "/usr/bin/python3 with openpyxl not installed";
  const std::string book = ReadBack(dir, path);
  EXPECT_EQ(book.find("[admin2]"), std::string::npos) << book;
  EXPECT_NE(book.find("str:suppression|str:none: tier protection receives unsuppressed figures"),
            std::string::npos)
      << book;
  EXPECT_EQ(book.find("str:suppressed|str:Withheld"), std::string::npos) << book;
}

TEST(XlsxExportTest, TheWorkbookIsReadableByItsOwnerOnly) {
  TempDir dir;
  const std::string path = dir.File("partner.xlsx");
  std::ofstream(path) << "an older export";
  std::filesystem::permissions(path, std::filesystem::perms::all);  // 0777
  mode_t old_umask = ::umask(0);
  auto summary = ExportXlsx(PartnerRelease(), {}, path);
  ::umask(old_umask);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(std::filesystem::status(path).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::remove(path);
  ASSERT_TRUE(ExportXlsx(PartnerRelease(), {}, path).ok());
  EXPECT_EQ(std::filesystem::status(path).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(XlsxExportTest, ReportsAnUnwritablePath) {
  TempDir dir;
  auto summary = ExportXlsx(PublicRelease(), {}, dir.File("missing/public.xlsx"));
  EXPECT_EQ(summary.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace opendtm::publish
