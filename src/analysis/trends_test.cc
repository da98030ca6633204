#include "analysis/trends.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "analysis/testing.h"

namespace opendtm::analysis {
namespace {

using testing::Default;
using ::testing::DoubleNear;
using ::testing::Optional;
using testing::ScoredAnswers;
using ::testing::SizeIs;

std::map<std::string, std::string> Site(bool worst, const std::string& adm1,
                                        const std::string& people) {
  std::map<std::string, std::string> answers = ScoredAnswers(worst);
  answers["adm1_pcode"] = adm1;
  answers["ind_total"] = people;
  return answers;
}

class TrendsTest : public testing::StoredOperationTest {};

TEST_F(TrendsTest, NewAndClosedSitesPeopleAndBandMoves) {
  const auto sa = store::AssessmentType::kSiteAssessment;
  Ingest(1, sa,
         {{"S1", Site(false, "NG008", "100")},  // lower
          {"S2", Site(false, "NG008", "50")},   // not reported in round 2
          {"S3", Site(true, "NG002", "30")}});  // very high
  Ingest(2, sa,
         {{"S1", Site(true, "NG008", "120")},    // up to very high
          {"S3", Site(false, "NG002", "10")},    // down to lower
          {"S4", Site(false, "NG008", "40")}});  // new
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 2);
  ASSERT_TRUE(frames.ok() && frames->size() == 2);
  Result<RiskIndex> index = RiskIndex::Create(Default());
  ASSERT_TRUE(index.ok());

  Result<std::vector<AreaTrend>> trends =
      Trends((*frames)[0], (*frames)[1], Default(), *index, Level::kAdmin1);
  ASSERT_TRUE(trends.ok()) << trends.status().ToString();
  ASSERT_THAT(*trends, SizeIs(2));
  const AreaTrend& ng002 = (*trends)[0];
  EXPECT_EQ(ng002.area, "NG002");
  EXPECT_EQ(ng002.sites_before, 1);
  EXPECT_EQ(ng002.sites_after, 1);
  EXPECT_EQ(ng002.people_before, 30);
  EXPECT_EQ(ng002.people_after, 10);
  EXPECT_EQ(ng002.moved_up, 0);
  EXPECT_EQ(ng002.moved_down, 1);
  EXPECT_EQ(ng002.scored_in_both, 1);
  EXPECT_THAT(ng002.mean_score_change, Optional(DoubleNear(-100.0, 1e-9)));  // 100 -> 0

  const AreaTrend& ng008 = (*trends)[1];
  EXPECT_EQ(ng008.area, "NG008");
  EXPECT_EQ(ng008.sites_before, 2);
  EXPECT_EQ(ng008.sites_after, 2);
  EXPECT_EQ(ng008.new_sites, 1);
  EXPECT_EQ(ng008.closed_sites, 1);
  EXPECT_EQ(ng008.people_before, 150);
  EXPECT_EQ(ng008.people_after, 160);
  EXPECT_EQ(ng008.moved_up, 1);
  EXPECT_EQ(ng008.to_very_high, 1);
  EXPECT_EQ(ng008.moved_down, 0);
  EXPECT_THAT(ng008.mean_score_change, Optional(DoubleNear(100.0, 1e-9)));  // S1: 0 -> 100

  // Per site: S2 closed, S4 new.
  Result<std::vector<AreaTrend>> sites =
      Trends((*frames)[0], (*frames)[1], Default(), *index, Level::kSite);
  ASSERT_TRUE(sites.ok());
  ASSERT_THAT(*sites, SizeIs(4));
  EXPECT_EQ((*sites)[1].area, "S2");
  EXPECT_EQ((*sites)[1].closed_sites, 1);
  EXPECT_EQ((*sites)[3].area, "S4");
  EXPECT_EQ((*sites)[3].new_sites, 1);
  EXPECT_EQ((*sites)[3].mean_score_change, std::nullopt);  // nothing to compare with
  EXPECT_THAT((*sites)[2].mean_score_change, Optional(DoubleNear(-100.0, 1e-9)));  // S3
}

TEST_F(TrendsTest, OnlyOneAssessmentTypeAtATime) {
  Ingest(1, store::AssessmentType::kSiteAssessment, {{"S1", {}}});
  Ingest(1, store::AssessmentType::kBaselineAssessment, {{"S1", {}}});
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 1);
  ASSERT_TRUE(frames.ok() && frames->size() == 2);
  Result<RiskIndex> index = RiskIndex::Create(Default());
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(Trends((*frames)[0], (*frames)[1], Default(), *index, Level::kAdmin1).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(AdminFigureTrendsTest, AreasComparedWithNewAndNoLongerPublishedOnes) {
  auto total = [](std::string admin1, int64_t people, int64_t records) {
    AdminAreaTotal area;
    area.figure.admin_level = 1;
    area.figure.country = "HTI";
    area.figure.admin1_pcode = std::move(admin1);
    area.figure.num_present_idp_ind = people;
    area.records = records;
    return area;
  };
  const std::vector<AdminAreaTotal> before = {total("HT01", 100, 3), total("HT02", 40, 1)};
  const std::vector<AdminAreaTotal> after = {total("HT01", 70, 2), total("HT03", 5, 1)};
  std::vector<AdminAreaTrend> trends = AdminFigureTrends(before, after);
  ASSERT_THAT(trends, SizeIs(3));
  EXPECT_EQ(trends[0].area, "HT01");
  EXPECT_EQ(trends[0].people_before, 100);
  EXPECT_EQ(trends[0].people_after, 70);
  EXPECT_EQ(trends[0].records_before, 3);
  EXPECT_FALSE(trends[0].new_area || trends[0].no_longer_published);
  EXPECT_TRUE(trends[1].no_longer_published);
  EXPECT_EQ(trends[1].people_after, 0);
  EXPECT_TRUE(trends[2].new_area);
  EXPECT_EQ(trends[2].people_before, 0);
}

}  // namespace
}  // namespace opendtm::analysis
