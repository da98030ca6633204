#include "publish/csv_export.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/csv_reader.h"
#include "core/sha256.h"
#include "publish/json_export.h"
#include "publish/testing.h"

namespace opendtm::publish {
namespace {

using namespace testing;  // NOLINT: the hand-built releases

CsvOptions Options(bool hashtag_row, std::vector<Level> levels = {}) {
  CsvOptions options;
  options.hashtag_row = hashtag_row;
  options.levels = std::move(levels);
  return options;
}

// The CSV as a table of cells (through the project's own reader).
std::vector<std::vector<std::string>> Cells(const std::string& text) {
  auto table = core::ParseCsv(text, "export", core::CsvOptions{.delimiter = ',', .limits = {}});
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? table->rows : std::vector<std::vector<std::string>>{};
}

size_t ColumnOf(const std::vector<std::string>& header, const std::string& name) {
  auto found = std::find(header.begin(), header.end(), name);
  EXPECT_NE(found, header.end()) << "no column " << name;
  return static_cast<size_t>(found - header.begin());
}

TEST(CsvExportTest, HxlOfThePublicReleaseMatchesGolden) {
  auto hxl = ExportCsv(PublicRelease(), Options(true));
  ASSERT_TRUE(hxl.ok()) << hxl.status().ToString();
  ExpectGolden("public.hxl.csv", hxl->text);
  EXPECT_EQ(hxl->summary.rows, 6);
  // level, pcode, name, admin1_pcode, admin2_pcode, round, assessment_type,
  // sites, latitude, longitude and seven figure columns (lighting, a site
  // answer, applies to no level here).
  EXPECT_EQ(hxl->summary.columns, 17);
  EXPECT_EQ(hxl->summary.sha256, core::Sha256::HexOf(hxl->text));
}

TEST(CsvExportTest, PlainCsvIsTheHxlWithoutItsHashtagRow) {
  auto hxl = ExportCsv(PublicRelease(), Options(true));
  auto csv = ExportCsv(PublicRelease(), {});
  ASSERT_TRUE(hxl.ok() && csv.ok());
  ExpectGolden("public.csv", csv->text);
  const size_t header_end = hxl->text.find('\n') + 1;
  const size_t hashtags_end = hxl->text.find('\n', header_end) + 1;
  EXPECT_EQ(csv->text, hxl->text.substr(0, header_end) + hxl->text.substr(hashtags_end));
  EXPECT_EQ(hxl->text.substr(header_end, 11), "#adm+level,");
  EXPECT_NE(csv->summary.sha256, hxl->summary.sha256);
  EXPECT_EQ(csv->summary.rows, hxl->summary.rows);
  EXPECT_EQ(csv->summary.columns, hxl->summary.columns);
}

TEST(CsvExportTest, AdminFigureReleasesCountRecordsNotSites) {
  Release release = PublicRelease();
  release.admin_figures = true;
  auto csv = ExportCsv(release, {.levels = {}, .hashtag_row = true});
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  const auto cells = Cells(csv->text);
  EXPECT_EQ(cells[0][7], "records");
  EXPECT_EQ(cells[1][7], "#meta+count");
  auto json = ExportJson(release, {});
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->text.find("\"source\":\"admin_figures\""), std::string::npos);
  EXPECT_NE(json->text.find("\"records\":"), std::string::npos);
  EXPECT_EQ(json->text.find(",\"sites\":"), std::string::npos);  // answer counts keep theirs
}

TEST(CsvExportTest, SuppressedCellsAreEmptyFlaggedSuppressedAndNothingElseIsBlanked) {
  const Release release = PublicRelease();
  auto csv = ExportCsv(release, {});
  ASSERT_TRUE(csv.ok());
  const auto cells = Cells(csv->text);
  ASSERT_EQ(cells.size(), 7u);
  const std::vector<std::string>& header = cells[0];
  EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + 8),
            (std::vector<std::string>{"level", "pcode", "name", "admin1_pcode", "admin2_pcode",
                                      "round", "assessment_type", "sites"}));
  // Flag columns exactly for the columns with a suppressed cell, each right
  // after its column.
  std::vector<std::string> flags;
  for (size_t idx = 0; idx < header.size(); ++idx) {
    if (header[idx].ends_with("__flag")) {
      flags.push_back(header[idx]);
      EXPECT_EQ(header[idx], header[idx - 1] + "__flag");
    }
  }
  EXPECT_EQ(flags, (std::vector<std::string>{"f_total__flag", "m_total__flag"}));
  EXPECT_EQ(std::count(header.begin(), header.end(), "lighting"), 0)
      << "a site-only column in an area file";

  // Every cell of the release against the file: suppressed → empty + flag,
  // value → its text, never a 0 for a suppressed cell.
  for (size_t row_idx = 0; row_idx < release.rows.size(); ++row_idx) {
    const ReleaseRow& row = release.rows[row_idx];
    const std::vector<std::string>& line = cells[row_idx + 1];
    ASSERT_EQ(line.size(), header.size());
    EXPECT_EQ(line[ColumnOf(header, "pcode")], row.pcode);
    for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
      const ReleaseColumn& column = release.columns[column_idx];
      if (!disclosure::ColumnApplies(column, row.level)) continue;
      const ReleaseCell& cell = row.cells[column_idx];
      const std::string& written = line[ColumnOf(header, column.name)];
      if (cell.state == CellState::kSuppressed) {
        EXPECT_EQ(written, "") << row.pcode << " " << column.name;
        EXPECT_EQ(line[ColumnOf(header, column.name + "__flag")], "suppressed");
      } else if (cell.state == CellState::kBlank) {
        EXPECT_EQ(written, "") << row.pcode << " " << column.name;
      } else {
        EXPECT_NE(written, "") << row.pcode << " " << column.name;
      }
    }
  }
  // Delmas round 1: f_total and m_total withheld, the rest published,
  // lighting=adequate a true 0.
  const std::vector<std::string>& delmas = cells[2];
  EXPECT_EQ(delmas[ColumnOf(header, "ind_total")], "42");
  EXPECT_EQ(delmas[ColumnOf(header, "f_total")], "");
  EXPECT_EQ(delmas[ColumnOf(header, "f_total__flag")], "suppressed");
  EXPECT_EQ(delmas[ColumnOf(header, "m_total__flag")], "suppressed");
  EXPECT_EQ(delmas[ColumnOf(header, "households")], "9");
  EXPECT_EQ(delmas[ColumnOf(header, "lighting=adequate")], "0");
  EXPECT_EQ(delmas[ColumnOf(header, "water_litres")], "");
  // Port-au-Prince: nothing suppressed, empty flags.
  EXPECT_EQ(cells[1][ColumnOf(header, "f_total")], "800");
  EXPECT_EQ(cells[1][ColumnOf(header, "f_total__flag")], "");
  EXPECT_EQ(cells[1][ColumnOf(header, "water_litres")], "1250.5");
}

TEST(CsvExportTest, OneLevelNamesItInTheHashtagsAndKeepsTheReleaseFlagColumns) {
  auto hxl = ExportCsv(PublicRelease(), Options(true, {Level::kAdmin1}));
  ASSERT_TRUE(hxl.ok()) << hxl.status().ToString();
  ExpectGolden("public-admin1.hxl.csv", hxl->text);
  const auto cells = Cells(hxl->text);
  ASSERT_EQ(cells.size(), 4u);
  EXPECT_EQ(cells[1][ColumnOf(cells[0], "pcode")], "#adm1+code");
  EXPECT_EQ(cells[1][ColumnOf(cells[0], "name")], "#adm1+name");
  EXPECT_EQ(cells[1][ColumnOf(cells[0], "f_total__flag")], "#meta+flag");
  EXPECT_EQ(cells[1][ColumnOf(cells[0], "water_litres")], "") << "an untagged column";
  EXPECT_EQ(hxl->summary.rows, 2);
}

TEST(CsvExportTest, SitesAndSeveralOperationsAddTheOperationColumnAndSiteAnswers) {
  auto hxl = ExportCsv(PartnerRelease(), Options(true));
  ASSERT_TRUE(hxl.ok()) << hxl.status().ToString();
  ExpectGolden("partner.hxl.csv", hxl->text);
  const auto cells = Cells(hxl->text);
  ASSERT_EQ(cells.size(), 7u);
  const std::vector<std::string>& header = cells[0];
  EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + 12),
            (std::vector<std::string>{"operation", "level", "pcode", "name", "admin1_pcode",
                                      "admin2_pcode", "admin3_pcode", "round", "assessment_type",
                                      "sites", "latitude", "longitude"}));
  EXPECT_EQ(cells[1][0], "#operation+name");
  EXPECT_EQ(cells[1][ColumnOf(header, "pcode")], "#adm+code") << "two levels in the file";
  EXPECT_EQ(cells[2][ColumnOf(header, "name")], "Camp \"Corail\", Cesselesse");
  EXPECT_EQ(cells[2][ColumnOf(header, "lighting")], "adequate");
  EXPECT_EQ(cells[3][ColumnOf(header, "f_total")], "");
  EXPECT_EQ(cells[3][ColumnOf(header, "f_total__flag")], "suppressed");
  // A site answer column is empty on area rows; an answer count on site rows.
  EXPECT_EQ(cells[5][ColumnOf(header, "lighting")], "");
  EXPECT_EQ(cells[2][ColumnOf(header, "lighting=adequate")], "");
  // A count suppressed under k_sites is withheld even when it is 0.
  EXPECT_EQ(cells[6][ColumnOf(header, "lighting=adequate")], "");
  EXPECT_EQ(cells[6][ColumnOf(header, "lighting=adequate__flag")], "suppressed");
}

// Below protection a flag never tells why (a reason tells a range).
TEST(CsvExportTest, NoReasonIsWrittenWhateverTheReason) {
  Release release = PublicRelease();
  release.rows[0].cells[4] = Small(7);
  release.rows[0].cells[5] = Complementary(5);
  for (bool hashtag_row : {false, true}) {
    auto csv = ExportCsv(release, Options(hashtag_row));
    ASSERT_TRUE(csv.ok()) << csv.status().ToString();
    for (const char* reason : {"small", "complementary", "homogeneous", "gate"}) {
      EXPECT_EQ(csv->text.find(reason), std::string::npos) << reason << "\n" << csv->text;
    }
    const auto cells = Cells(csv->text);
    const size_t row = hashtag_row ? 2 : 1;
    EXPECT_EQ(cells[row][ColumnOf(cells[0], "lighting=adequate__flag")], "suppressed");
    EXPECT_EQ(cells[row][ColumnOf(cells[0], "lighting=none__flag")], "suppressed");
  }
}

// Two areas of one name under different parents are told apart by their
// paths; a country row names no path.
TEST(CsvExportTest, EveryRowNamesItsAreaPathDownToItsLevel) {
  Release release = PublicRelease();
  release.levels = {Level::kAdmin2, Level::kAdmin1, Level::kCountry};
  release.rows[2].name = "Port-au-Prince";
  release.rows[2].parent = "HT02";
  release.rows[2].area_path = {"HT02", "HT0113"};
  ReleaseRow country = AreaRow(Level::kCountry, "HTI", "Haiti", "", 2, 10, release.rows[5].cells);
  release.rows.push_back(country);
  auto csv = ExportCsv(release, Options(true));
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  const auto cells = Cells(csv->text);
  const std::vector<std::string>& header = cells[0];
  EXPECT_EQ(cells[1][ColumnOf(header, "admin1_pcode")], "#adm1+code");
  EXPECT_EQ(cells[1][ColumnOf(header, "admin2_pcode")], "#adm2+code");
  EXPECT_EQ(std::count(header.begin(), header.end(), "admin3_pcode"), 0) << "no admin3 written";
  auto path = [&](size_t row) {
    return cells[row][ColumnOf(header, "admin1_pcode")] + "/" +
           cells[row][ColumnOf(header, "admin2_pcode")];
  };
  EXPECT_EQ(path(2), "HT01/HT0111");  // Port-au-Prince of Ouest
  EXPECT_EQ(path(4), "HT02/HT0113");  // another Port-au-Prince
  EXPECT_EQ(path(6), "HT01/") << "an admin1 row names its admin1 only";
  EXPECT_EQ(path(8), "/") << "a country row names no path";
  EXPECT_EQ(cells[8][ColumnOf(header, "level")], "country");
}

// A name a spreadsheet would run as a formula gets a leading ', numbers and
// hashtags do not (core/formula_guard.h).
TEST(CsvExportTest, FormulasInTextAreNeutralised) {
  auto csv = ExportCsv(PartnerRelease(), Options(true));
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_NE(csv->text.find(",\"'=HYPERLINK(\"\"http://x\"\")\","), std::string::npos) << csv->text;
  EXPECT_NE(csv->text.find(",-72.3236,"), std::string::npos) << "a negative number stays a number";
  const auto cells = Cells(csv->text);
  EXPECT_EQ(cells[3][ColumnOf(cells[0], "name")], "'=HYPERLINK(\"http://x\")");
}

TEST(CsvExportTest, RefusesALevelTheReleaseDoesNotHold) {
  auto csv = ExportCsv(PublicRelease(), Options(false, {Level::kSite}));
  EXPECT_EQ(csv.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(csv.status().message().find("no site rows"), std::string::npos);
}

TEST(CsvExportTest, RefusesAMalformedRelease) {
  Release short_row = PublicRelease();
  short_row.rows[2].cells.pop_back();
  EXPECT_EQ(ExportCsv(short_row, {}).status().code(), StatusCode::kInvalidArgument);

  Release no_reason = PublicRelease();
  no_reason.rows[0].cells[0].state = CellState::kSuppressed;
  auto refused = ExportCsv(no_reason, {});
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("without a reason"), std::string::npos);

  Release clash = PublicRelease();
  clash.columns[3].name = "sites";
  EXPECT_EQ(ExportCsv(clash, {}).status().code(), StatusCode::kInvalidArgument);
}

TEST(CsvExportTest, AnEmptyReleaseIsAHeader) {
  Release release = PublicRelease();
  release.rows.clear();
  auto csv = ExportCsv(release, {});
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->summary.rows, 0);
  EXPECT_EQ(csv->text,
            "level,pcode,name,admin1_pcode,admin2_pcode,round,assessment_type,sites,ind_total,"
            "f_total,m_total,households,lighting=adequate,lighting=none,water_litres\n");
}

// GDAL's CSV driver, guessing types and making points of latitude and
// longitude, reads a suppressed figure as unset (not 0) beside its reason.
TEST(CsvExportTest, GdalReadsSuppressedFiguresAsUnset) {
  if (!HaveOgrinfo()) GTEST_SKIP() << "ogrinfo (GDAL) not installed";
  TempDir dir;
  auto csv = ExportCsv(PublicRelease(), {});
  ASSERT_TRUE(csv.ok());
  const std::string path = dir.File("public.csv");
  std::ofstream(path, std::ios::binary) << csv->text;
  auto output = RunCommand(
      "ogrinfo -ro -al -q -oo AUTODETECT_TYPE=YES -oo X_POSSIBLE_NAMES=longitude"
      " -oo Y_POSSIBLE_NAMES=latitude " +
      path + " 2>&1");
  ASSERT_TRUE(output.has_value());
  EXPECT_NE(output->find("POINT (-72.335 18.5392)"), std::string::npos) << *output;
  EXPECT_NE(output->find("water_litres (Real) = 1250.5"), std::string::npos) << *output;
  const std::string delmas = FeatureBlock(*output, "pcode (String) = HT0112");
  EXPECT_NE(delmas.find("ind_total (Integer) = 42"), std::string::npos) << delmas;
  EXPECT_NE(delmas.find("f_total__flag (String) = suppressed"), std::string::npos) << delmas;
  EXPECT_NE(delmas.find("lighting=adequate (Integer) = 0"), std::string::npos) << delmas;
  EXPECT_EQ(delmas.find("f_total (Integer)"), std::string::npos) << "unset, not 0:\n" << delmas;
  EXPECT_EQ(delmas.find("m_total (Integer)"), std::string::npos) << delmas;
  EXPECT_EQ(delmas.find("POINT"), std::string::npos) << delmas;
}

}  // namespace
}  // namespace opendtm::publish
