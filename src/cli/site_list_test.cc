#include "cli/site_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opendtm::cli {
namespace {

using disclosure::CellState;
using disclosure::Release;
using disclosure::ReleaseRow;

store::Site MasterSite(std::string id, std::string name) {
  store::Site site;
  site.site_id = std::move(id);
  site.name = std::move(name);
  site.adm1_pcode = "NG001";
  site.adm2_pcode = "NG001001";
  site.adm3_pcode = "NG001001001";
  site.latitude = 11.5;
  site.longitude = -13.25;
  site.site_type = "camp";
  return site;
}

// A partner's release of the site level: A shown as it is, B generalised
// (admin3 gone, no point), C withheld (admin3, point and type gone; its
// admin2 and admin1 stay: they are not quasi-identifiers).
Release PartnerRelease() {
  Release release;
  release.tier = store::Tier::kPartner;
  release.levels = {analysis::Level::kSite};
  disclosure::ReleaseColumn type_column;
  type_column.name = "site_type";
  type_column.indicator = "site_type";
  type_column.on_sites = true;
  release.columns = {type_column};
  auto row = [](std::string id, std::vector<std::string> path, bool point, std::string type) {
    ReleaseRow site;
    site.level = analysis::Level::kSite;
    site.pcode = std::move(id);
    site.area_path = std::move(path);
    if (point) {
      site.latitude = 11.5;
      site.longitude = -13.25;
    }
    site.cells.resize(1);
    if (!type.empty()) {
      site.cells[0].state = CellState::kValue;
      site.cells[0].text = std::move(type);
    }
    return site;
  };
  release.rows = {row("A", {"NG001", "NG001001", "NG001001001"}, true, "camp"),
                  row("B", {"NG001", "NG001001", ""}, false, "camp"),
                  row("C", {"NG001", "NG001001", ""}, false, "")};
  return release;
}

TEST(SiteListTest, TheMasterListAsItIsAboveTheGate) {
  const std::string csv = SiteListCsv({MasterSite("A", "=HYPERLINK(\"http://x\")")}, nullptr);
  EXPECT_EQ(csv,
            "site_id,site_name,adm1_pcode,adm2_pcode,adm3_pcode,latitude,longitude,site_type,"
            "status\n"
            "A,\"'=HYPERLINK(\"\"http://x\"\")\",NG001,NG001001,NG001001001,11.5,-13.25,camp,"
            "open\n");
}

TEST(SiteListTest, BelowProtectionTheReleaseDecidesAreasPointsAndTypes) {
  const Release release = PartnerRelease();
  const std::string csv = SiteListCsv({MasterSite("A", "Camp A"), MasterSite("B", "Camp B"),
                                       MasterSite("C", "Camp C"), MasterSite("D", "Camp D")},
                                      &release);
  EXPECT_EQ(csv,
            "site_id,site_name,adm1_pcode,adm2_pcode,adm3_pcode,latitude,longitude,site_type,"
            "status\n"
            "A,Camp A,NG001,NG001001,NG001001001,11.5,-13.25,camp,open\n"
            "B,Camp B,NG001,NG001001,,,,camp,open\n"
            "C,Camp C,NG001,NG001001,,,,,open\n"
            "D,Camp D,,,,,,,open\n")  // not in the release
      << csv;
}

TEST(SiteListTest, ASiteWithSeveralRowsKeepsOnlyWhatEveryRowShows) {
  Release release = PartnerRelease();
  ReleaseRow again = release.rows[0];
  again.area_path[2] = "";
  again.latitude.reset();
  again.longitude.reset();
  release.rows.push_back(again);
  const std::string csv = SiteListCsv({MasterSite("A", "Camp A")}, &release);
  EXPECT_NE(csv.find("\nA,Camp A,NG001,NG001001,,,,camp,open\n"), std::string::npos) << csv;
}

}  // namespace
}  // namespace opendtm::cli
