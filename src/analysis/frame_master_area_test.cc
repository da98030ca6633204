// Frames put a registered site in its master-list area (spec/disclosure.md),
// whatever a round stored for it, so rollups never count it under another
// admin1 or a blank one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/frame.h"
#include "analysis/testing.h"

namespace opendtm::analysis {
namespace {

using store::AssessmentType;
using testing::Default;
using ::testing::ElementsAre;
using testing::IndexOf;

class FrameMasterAreaTest : public testing::StoredOperationTest {
 protected:
  void Register(const std::string& site_id, const std::string& adm1, const std::string& adm2) {
    store::Site site;
    site.operation_id = operation_id_;
    site.site_id = site_id;
    site.adm1_pcode = adm1;
    site.adm2_pcode = adm2;
    ASSERT_TRUE(store_->UpsertSite(site, {}).ok());
  }
};

TEST_F(FrameMasterAreaTest, RegisteredSitesAreInTheirMasterListArea) {
  Register("NGA-0001", "NG008", "NG008001");
  Ingest(11, AssessmentType::kSiteAssessment,
         {{"NGA-0001", {{"adm1_pcode", ""}, {"adm2_pcode", "NG036001"}}},
          {"NGA-0002", {{"adm1_pcode", "NG036"}, {"adm2_pcode", "NG036001"}}}});
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 11, 11);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  ASSERT_EQ(frames->size(), 1u);
  const Frame& frame = (*frames)[0];
  EXPECT_THAT(frame.site_ids, ElementsAre("NGA-0001", "NGA-0002"));
  EXPECT_THAT(frame.columns[IndexOf("adm1_pcode")].texts, ElementsAre("NG008", "NG036"));
  EXPECT_THAT(frame.columns[IndexOf("adm1_pcode")].present, ElementsAre(1, 1));
  EXPECT_THAT(frame.columns[IndexOf("adm2_pcode")].texts, ElementsAre("NG008001", "NG036001"));
}

TEST_F(FrameMasterAreaTest, ColumnsNotAskedForStayAbsent) {
  Register("NGA-0001", "NG008", "NG008001");
  Ingest(1, AssessmentType::kSiteAssessment, {{"NGA-0001", {{"ind_total", "10"}}}});
  const int only[] = {IndexOf("ind_total")};
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 1, only);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  EXPECT_THAT((*frames)[0].columns[IndexOf("adm1_pcode")].present, ElementsAre(0));
}

}  // namespace
}  // namespace opendtm::analysis
