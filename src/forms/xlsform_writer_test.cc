#include "forms/xlsform_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "forms/form_builder.h"
#include "forms/internal/testing.h"

namespace opendtm::forms {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Form BuildSmallForm(const geo::Gazetteer* gazetteer = nullptr) {
  static const dictionary::Dictionary dictionary = testing::SmallDictionary();
  FormOptions options;
  options.languages = {"en", "fr"};
  options.gazetteer = gazetteer;
  if (gazetteer != nullptr) options.country = "NGA";
  auto form = BuildForm(dictionary, options);
  EXPECT_TRUE(form.ok()) << form.status().ToString();
  return form.ok() ? *form : Form{};
}

TEST(XlsFormRowsTest, SurveyColumnsAreExactlyTheXlsFormOnes) {
  XlsFormSheets sheets = XlsFormRows(BuildSmallForm());
  EXPECT_THAT(sheets.survey[0],
              ElementsAre("type", "name", "label::English (en)", "label::Français (fr)",
                          "hint::English (en)", "hint::Français (fr)", "required", "relevant",
                          "constraint", "constraint_message::English (en)",
                          "constraint_message::Français (fr)", "calculation", "appearance",
                          "choice_filter", "instance::hxl", "instance::dtm_code"));
  EXPECT_THAT(sheets.survey[1], ElementsAre("start", "start", "", "", "", "", "", "", "", "", "",
                                            "", "", "", "", ""));
  for (const auto& row : sheets.survey) EXPECT_EQ(row.size(), sheets.survey[0].size());
}

TEST(XlsFormRowsTest, ChoicesGetFilterColumnsAfterTheLabels) {
  geo::Gazetteer gazetteer = testing::SmallGazetteer();
  XlsFormSheets sheets = XlsFormRows(BuildSmallForm(&gazetteer));
  EXPECT_THAT(sheets.choices[0], ElementsAre("list_name", "name", "label::English (en)",
                                             "label::Français (fr)", "adm1"));
  EXPECT_THAT(sheets.choices[1], ElementsAre("yes_no_unknown", "yes", "Yes", "Oui", ""));
  EXPECT_THAT(sheets.choices.back(), ElementsAre("adm2", "NG002001", "Demsa", "Demsa", "NG002"));
}

TEST(XlsFormRowsTest, SettingsKeepTheVersionAsText) {
  XlsFormSheets sheets = XlsFormRows(BuildSmallForm());
  EXPECT_THAT(sheets.settings,
              ElementsAre(ElementsAre("form_title", "form_id", "version", "default_language"),
                          ElementsAre("OpenDTM site assessment (MSLA) 2026.11.1", "opendtm_msla",
                                      "2026.11.1", "English (en)")));
}

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

TEST(WriteXlsFormTest, OpenpyxlReadsTheSheets) {
  const fs::path dir = fs::path(::testing::TempDir()) / "xlsform_writer_test";
  fs::create_directories(dir);
  const std::string path = (dir / "form.xlsx").string();
  geo::Gazetteer gazetteer = testing::SmallGazetteer();
  ASSERT_TRUE(WriteXlsForm(BuildSmallForm(&gazetteer), path).ok());
  if (!RunCommand("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null")) {
    fs::remove_all(dir);
    GTEST_SKIP() << "/usr/bin/python3 with openpyxl not installed";
  }
  const std::string script = (dir / "read.py").string();
  std::ofstream(script)
      << "import openpyxl,sys\n"
         "wb=openpyxl.load_workbook(sys.argv[1])\n"
         "print(wb.sheetnames)\n"
         "s=wb['survey']\n"
         "rows=[[c if c is not None else '' for c in r] for r in s.iter_rows(values_only=True)]\n"
         "row=[r for r in rows if r[1]=='adm2_pcode'][0]\n"
         "print(row[0], row[rows[0].index('choice_filter')])\n"
         "print([c.value for c in wb['settings'][2]])\n";
  auto output = RunCommand("/usr/bin/python3 " + script + " " + path);
  fs::remove_all(dir);
  ASSERT_TRUE(output.has_value());
  EXPECT_EQ(*output,
            "['survey', 'choices', 'settings']\n"
            "select_one adm2 adm1=${adm1_pcode}\n"
            "['OpenDTM site assessment (MSLA) 2026.11.1', 'opendtm_msla', '2026.11.1', "
            "'English (en)']\n");
}

TEST(WriteXlsFormTest, ReportsAnUnwritablePath) {
  Status status = WriteXlsForm(BuildSmallForm(), "/nonexistent-dir/form.xlsx");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("/nonexistent-dir/form.xlsx"));
}

}  // namespace
}  // namespace opendtm::forms
