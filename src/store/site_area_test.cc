#include "store/site_area.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace opendtm::store {
namespace {

using ::testing::ElementsAre;

Site Listed(std::string adm1, std::string adm2, std::string adm3) {
  Site site;
  site.site_id = "S1";
  site.adm1_pcode = std::move(adm1);
  site.adm2_pcode = std::move(adm2);
  site.adm3_pcode = std::move(adm3);
  return site;
}

TEST(SiteAreaTest, TheMasterListsPcodesWinLevelByLevel) {
  EXPECT_THAT(MasterAreaOf(Listed("NG008", "NG008001", "NG008001001"), {"NG036", "", "x"}),
              ElementsAre("NG008", "NG008001", "NG008001001"));
}

TEST(SiteAreaTest, ALevelTheMasterListLeavesBlankKeepsTheReportedPcode) {
  EXPECT_THAT(MasterAreaOf(Listed("NG008", "NG008001", ""), {"NG008", "NG008001", "NG008001002"}),
              ElementsAre("NG008", "NG008001", "NG008001002"));
  EXPECT_THAT(MasterAreaOf(Listed("", "", ""), {"NG036", "NG036001", ""}),
              ElementsAre("NG036", "NG036001", ""));
}

TEST(SiteAreaTest, AReportedPcodeUnderAnotherAreaIsDropped) {
  EXPECT_THAT(MasterAreaOf(Listed("NG008", "NG008001", ""), {"NG008", "NG008002", "NG008002003"}),
              ElementsAre("NG008", "NG008001", ""));
  // A blank report is not another area.
  EXPECT_THAT(MasterAreaOf(Listed("NG008", "", ""), {"", "NG008002", ""}),
              ElementsAre("NG008", "NG008002", ""));
}

}  // namespace
}  // namespace opendtm::store
