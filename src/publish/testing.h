// Test helpers for publish: small releases built by hand (the release builder
// is not needed to test how a release is written), golden files, running a
// real client on a file.
#ifndef OPENDTM_PUBLISH_TESTING_H_
#define OPENDTM_PUBLISH_TESTING_H_

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "disclosure/release.h"

namespace opendtm::publish::testing {

using analysis::Level;
using disclosure::CellState;
using disclosure::Release;
using disclosure::ReleaseCell;
using disclosure::ReleaseColumn;
using disclosure::ReleaseRow;
using disclosure::SuppressionReason;
using disclosure::ValueKind;

inline ReleaseCell Integer(int64_t value) {
  return {CellState::kValue, SuppressionReason::kNone, value, 0, ""};
}
inline ReleaseCell Number(double value) {
  return {CellState::kValue, SuppressionReason::kNone, 0, value, ""};
}
inline ReleaseCell Text(std::string value) {
  return {CellState::kValue, SuppressionReason::kNone, 0, 0, std::move(value)};
}
inline ReleaseCell Blank() { return {}; }
// Suppressed cells keep a value the way a careless builder might: the
// exporters must write them empty or null all the same.
inline ReleaseCell Small(int64_t hidden) {
  return {CellState::kSuppressed, SuppressionReason::kSmallCell, hidden, 0, ""};
}
inline ReleaseCell Complementary(int64_t hidden) {
  return {CellState::kSuppressed, SuppressionReason::kComplementary, hidden, 0, ""};
}

inline ReleaseColumn PeopleColumn(std::string name, std::string hxl) {
  ReleaseColumn column;
  column.indicator = name;
  column.name = std::move(name);
  column.hxl = std::move(hxl);
  column.kind = ValueKind::kInteger;
  column.people = true;
  column.on_sites = true;
  column.on_areas = true;
  return column;
}

inline ReleaseColumn AnswerCountColumn(std::string indicator, std::string choice, std::string hxl) {
  ReleaseColumn column;
  column.name = indicator + "=" + choice;
  column.indicator = std::move(indicator);
  column.choice = std::move(choice);
  column.hxl = std::move(hxl);
  column.kind = ValueKind::kInteger;
  column.on_areas = true;
  return column;
}

inline ReleaseColumn SiteAnswerColumn(std::string indicator, std::string hxl) {
  ReleaseColumn column;
  column.name = indicator;
  column.indicator = std::move(indicator);
  column.hxl = std::move(hxl);
  column.kind = ValueKind::kText;
  column.on_sites = true;
  return column;
}

// An area row; its area path is {parent, pcode} at admin2, {pcode} at
// admin1, none at country (set it by hand for site rows).
inline ReleaseRow AreaRow(Level level, std::string pcode, std::string name, std::string parent,
                          int round, int64_t sites, std::vector<ReleaseCell> cells) {
  ReleaseRow row;
  if (level == Level::kAdmin2) row.area_path = {parent, pcode};
  if (level == Level::kAdmin1) row.area_path = {pcode};
  row.level = level;
  row.operation = "Haiti Earthquake";
  row.country = "HTI";
  row.pcode = std::move(pcode);
  row.name = std::move(name);
  row.parent = std::move(parent);
  row.round = round;
  row.sites = sites;
  row.cells = std::move(cells);
  return row;
}

// The public tier's release of one operation, admin2 and admin1, rounds 1
// and 2. Columns: ind_total, f_total, m_total (people), households,
// lighting=adequate, lighting=none (answer counts), lighting (a site answer:
// applies to no level here), water_litres (decimal, untagged).
// Suppressed: Delmas round 1 f_total (small cell, 3) and m_total
// (complementary: ind_total - f_total), Carrefour round 1 f_total and m_total
// (complementary, through Ouest's totals). Delmas' lighting=adequate is a
// true 0; its water_litres is blank. Port-au-Prince and Ouest have points.
inline Release PublicRelease() {
  Release release;
  release.tier = store::Tier::kPublic;
  release.policy_version = 3;
  release.rules.tier = store::Tier::kPublic;
  release.dictionary_version = "2026.1";
  release.operations = {"Haiti Earthquake (HTI)"};
  release.rounds = {1, 2};
  release.levels = {Level::kAdmin2, Level::kAdmin1};
  release.columns = {PeopleColumn("ind_total", "#affected+idps+ind+total"),
                     PeopleColumn("f_total", "#affected+idps+ind+f"),
                     PeopleColumn("m_total", "#affected+idps+ind+m"),
                     PeopleColumn("households", "#affected+idps+hh"),
                     AnswerCountColumn("lighting", "adequate", "#indicator+lighting+adequate"),
                     AnswerCountColumn("lighting", "none", "#indicator+lighting+none"),
                     SiteAnswerColumn("lighting", "#indicator+lighting"),
                     PeopleColumn("water_litres", "")};
  release.columns[3].people = false;
  release.columns[7].people = false;
  release.columns[7].kind = ValueKind::kNumber;
  release.rows = {
      AreaRow(Level::kAdmin2, "HT0111", "Port-au-Prince", "HT01", 1, 12,
              {Integer(1530), Integer(800), Integer(730), Integer(310), Integer(7), Integer(5),
               Blank(), Number(1250.5)}),
      AreaRow(Level::kAdmin2, "HT0112", "Delmas", "HT01", 1, 4,
              {Integer(42), Small(3), Complementary(39), Integer(9), Integer(0), Integer(4),
               Blank(), Blank()}),
      AreaRow(Level::kAdmin2, "HT0113", "Carrefour", "HT01", 1, 5,
              {Integer(600), Complementary(320), Complementary(280), Integer(120), Integer(2),
               Integer(3), Blank(), Number(400)}),
      AreaRow(Level::kAdmin2, "HT0111", "Port-au-Prince", "HT01", 2, 10,
              {Integer(1200), Integer(640), Integer(560), Integer(250), Integer(6), Integer(4),
               Blank(), Number(980.25)}),
      AreaRow(Level::kAdmin1, "HT01", "Ouest", "HTI", 1, 21,
              {Integer(2172), Integer(1123), Integer(1049), Integer(439), Integer(9), Integer(12),
               Blank(), Number(1650.5)}),
      AreaRow(Level::kAdmin1, "HT01", "Ouest", "HTI", 2, 10,
              {Integer(1200), Integer(640), Integer(560), Integer(250), Integer(6), Integer(4),
               Blank(), Number(980.25)}),
  };
  release.rows[0].latitude = 18.5392;
  release.rows[0].longitude = -72.335;
  release.rows[4].latitude = 18.55;
  release.rows[4].longitude = -72.3;
  release.small_cells = 1;
  release.complementary = 3;
  return release;
}

// The partner tier's release of two operations, site rows and admin2, round
// 3: a site's f_total under k_people is suppressed (people counts are
// suppressed on site rows too), with its m_total as complement; site rows
// carry the lighting answer; the microdata gate generalised one row (HT-002,
// shown at its admin2). A name with a comma and quotes checks CSV quoting; a
// site named like a formula, spreadsheet formula neutralisation.
inline Release PartnerRelease() {
  Release release;
  release.tier = store::Tier::kPartner;
  release.policy_version = 0;
  release.rules.tier = store::Tier::kPartner;
  release.rules.site_rows = true;
  release.rules.finest_aggregate = Level::kAdmin3;
  release.rules.rounding_base = 5;
  release.dictionary_version = "2026.1";
  release.operations = {"Haiti Earthquake (HTI)", "Hurricane Matthew (HTI)"};
  release.rounds = {3};
  release.levels = {Level::kSite, Level::kAdmin2};
  release.columns = {PeopleColumn("ind_total", "#affected+idps+ind+total"),
                     PeopleColumn("f_total", "#affected+idps+ind+f"),
                     PeopleColumn("m_total", "#affected+idps+ind+m"),
                     AnswerCountColumn("lighting", "adequate", "#indicator+lighting+adequate"),
                     SiteAnswerColumn("lighting", "#indicator+lighting")};
  auto site = [](std::string operation, std::string id, std::string name, double latitude,
                 double longitude, std::vector<ReleaseCell> cells) {
    ReleaseRow row =
        AreaRow(Level::kSite, std::move(id), std::move(name), "HT0111", 3, 1, std::move(cells));
    row.operation = std::move(operation);
    row.latitude = latitude;
    row.longitude = longitude;
    return row;
  };
  release.rows = {
      site("Haiti Earthquake", "HT-001", "Camp \"Corail\", Cesselesse", 18.6021, -72.2486,
           {Integer(120), Integer(65), Integer(55), Blank(), Text("adequate")}),
      site("Haiti Earthquake", "HT-002", "=HYPERLINK(\"http://x\")", 18.5617, -72.3236,
           {Integer(45), Small(2), Complementary(43), Blank(), Text("none")}),
      site("Hurricane Matthew", "HM-010", "Lycée de Jérémie", 18.6501, -74.1158,
           {Integer(300), Integer(160), Integer(140), Blank(), Blank()}),
      AreaRow(Level::kAdmin2, "HT0111", "Port-au-Prince", "HT01", 3, 2,
              {Integer(165), Complementary(67), Complementary(98), Small(1), Blank()}),
      AreaRow(Level::kAdmin2, "HT0811", "Jérémie", "HT08", 3, 1,
              {Integer(300), Integer(160), Integer(140), Small(0), Blank()}),
  };
  release.rows[2].parent = "HT0811";
  release.rows[0].area_path = {"HT01", "HT0111", "HT011101"};
  release.rows[1].area_path = {"HT01", "HT0111", ""};  // generalised by the gate
  release.rows[2].area_path = {"HT08", "HT0811", "HT081101"};
  release.rows[4].operation = "Hurricane Matthew";
  release.small_cells = 3;
  release.complementary = 3;
  release.microdata = disclosure::MicrodataReport{3, {"adm3_pcode", "site_type"}, 3, 1, 0};
  return release;
}

// ---- Files and clients ----

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Compares `text` with tests/data/publish/<name>. With OPENDTM_UPDATE_GOLDEN=1
// in the environment, writes the file instead (then review the diff).
inline void ExpectGolden(const std::string& name, const std::string& text) {
  const std::string path = std::string(OPENDTM_SOURCE_DIR) + "/tests/data/publish/" + name;
  if (const char* update = std::getenv("OPENDTM_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary) << text;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path))
      << path << " missing (OPENDTM_UPDATE_GOLDEN=1 writes it)";
  EXPECT_EQ(text, ReadFile(path)) << "differs from " << path;
}

// Runs `command` through the shell; what it printed, or nullopt when it
// could not run or exited with a failure.
inline std::optional<std::string> RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string output;
  char buffer[4096];
  size_t count;
  while ((count = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, count);
  if (pclose(pipe) != 0) return std::nullopt;
  return output;
}

// The lines ogrinfo printed for the feature whose text holds `marker` (from
// the "OGRFeature" line before it to the next one), "" when none does.
inline std::string FeatureBlock(const std::string& ogrinfo, const std::string& marker) {
  const size_t at = ogrinfo.find(marker);
  if (at == std::string::npos) return "";
  const size_t begin = ogrinfo.rfind("OGRFeature", at);
  const size_t end = ogrinfo.find("OGRFeature", at);
  return ogrinfo.substr(begin == std::string::npos ? 0 : begin,
                        end == std::string::npos ? std::string::npos : end - begin);
}

// True when GDAL's ogrinfo is on the PATH.
inline bool HaveOgrinfo() { return RunCommand("which ogrinfo >/dev/null 2>&1").has_value(); }

// A directory of its own for the running test, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    path_ =
        std::filesystem::path(::testing::TempDir()) /
        ("publish_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace opendtm::publish::testing

#endif  // OPENDTM_PUBLISH_TESTING_H_
