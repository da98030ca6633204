// ReleaseRow::area_path as the release builder fills it and the microdata
// gate trims it (release.h, release_builder.h, internal/microdata.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "disclosure/release_builder.h"
#include "disclosure/testing.h"

namespace opendtm::disclosure {
namespace {

using analysis::Level;
using testing::At;
using testing::Default;
using ::testing::ElementsAre;
using testing::FindRow;
using testing::FrameBuilder;
using ::testing::IsEmpty;
using testing::With;

Release Build(const analysis::Frame& frame, Tier tier, std::vector<Level> levels) {
  ReleaseRequest request;
  request.tier = tier;
  request.policy = DefaultPolicy();
  request.levels = std::move(levels);
  request.operation = "demo-nga";
  request.country = "NGA";
  Result<Release> release =
      BuildRelease(std::span<const analysis::Frame>(&frame, 1), Default(), request);
  EXPECT_TRUE(release.ok()) << release.status().ToString();
  return release.ok() ? std::move(release).value() : Release();
}

// Admin2 "X" exists under Borno (NG001) and under Yobe (NG002): two rows,
// told apart by their paths.
TEST(AreaPathTest, EveryRowNamesItsPathFromAdmin1DownToItsLevel) {
  FrameBuilder builder;
  for (const char* id : {"A", "B", "C"}) builder.Site(id, With(At("NG001", "X", "X1"), {}));
  for (const char* id : {"D", "E", "F"}) builder.Site(id, With(At("NG002", "X", "X1"), {}));
  const Release release =
      Build(builder.frame(), Tier::kOperationAdmin,
            {Level::kSite, Level::kAdmin3, Level::kAdmin2, Level::kAdmin1, Level::kCountry});
  std::vector<std::vector<std::string>> admin2_paths;
  for (const ReleaseRow& row : release.rows) {
    if (row.level == Level::kAdmin2) admin2_paths.push_back(row.area_path);
    if (row.level == Level::kCountry) {
      EXPECT_THAT(row.area_path, IsEmpty());
    }
    if (row.level == Level::kAdmin1) {
      EXPECT_THAT(row.area_path, ElementsAre(row.pcode));
    }
    if (row.level == Level::kAdmin3) {
      EXPECT_EQ(row.area_path.size(), 3u);
    }
  }
  EXPECT_THAT(admin2_paths, ElementsAre(ElementsAre("NG001", "X"), ElementsAre("NG002", "X")));
  EXPECT_THAT(FindRow(release, Level::kSite, "A")->area_path, ElementsAre("NG001", "X", "X1"));
  EXPECT_THAT(FindRow(release, Level::kSite, "D")->area_path, ElementsAre("NG002", "X", "X1"));

  // Public sees admin2 and above: the same paths, without admin3.
  const Release public_release =
      Build(builder.frame(), Tier::kPublic, {Level::kAdmin2, Level::kAdmin1});
  for (const ReleaseRow& row : public_release.rows) {
    if (row.level == Level::kAdmin2) {
      EXPECT_THAT(row.area_path, ElementsAre(row.parent, "X"));
    }
  }
}

// The gate's generalising and withholding reach the path: a lone site's path
// never names the area the gate took away.
TEST(AreaPathTest, TheMicrodataGateTrimsSitePaths) {
  FrameBuilder builder;
  auto site = [&](const char* id, const char* adm2, const char* adm3, const char* type) {
    builder.Site(id, With(At("NG001", adm2, adm3), {{"site_type", type}}));
  };
  site("A", "X", "X1", "camp");
  site("B", "X", "X1", "camp");
  site("C", "X", "X1", "camp");
  site("D", "X", "X2", "camp");
  site("E", "X", "X3", "camp");
  site("F", "X", "X3", "camp");
  site("G", "Y", "Y1", "collective_centre");
  builder.Site("H", With(At("NG002", "P1"), {{"site_type", "camp"}}));
  const Release partner = Build(builder.frame(), Tier::kPartner, {Level::kSite});
  auto path = [&](const char* id) { return FindRow(partner, Level::kSite, id)->area_path; };
  EXPECT_THAT(path("A"), ElementsAre("NG001", "X", "X1"));
  for (const char* id : {"D", "E", "F"}) EXPECT_THAT(path(id), ElementsAre("NG001", "X", ""));
  // Withheld: its admin3 goes, its admin2 and admin1 stay (they are not
  // quasi-identifiers).
  EXPECT_THAT(path("G"), ElementsAre("NG001", "Y", "")) << "withheld";
  // No admin3 recorded, alone in P1: withheld too, never moved to admin1.
  EXPECT_THAT(path("H"), ElementsAre("NG002", "P1", ""));

  const Release protection = Build(builder.frame(), Tier::kProtection, {Level::kSite});
  EXPECT_THAT(FindRow(protection, Level::kSite, "G")->area_path, ElementsAre("NG001", "Y", "Y1"));
  EXPECT_THAT(FindRow(protection, Level::kSite, "H")->area_path, ElementsAre("NG002", "P1", ""));
}

}  // namespace
}  // namespace opendtm::disclosure
