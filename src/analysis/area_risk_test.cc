#include "analysis/area_risk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "analysis/testing.h"

namespace opendtm::analysis {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Optional;
using ::testing::SizeIs;
using testing::Default;
using testing::ScoredAnswers;

std::map<std::string, std::string> With(std::map<std::string, std::string> answers,
                                        const std::string& adm1, const std::string& people,
                                        const std::string& women) {
  answers["adm1_pcode"] = adm1;
  answers["ind_total"] = people;
  answers["f_total"] = women;
  return answers;
}

class AreaRiskTest : public testing::StoredOperationTest {};

TEST_F(AreaRiskTest, BandsMeansAndPeopleAtRiskPerArea) {
  // NG008: a very high risk site (score 100) and a lower one (0); NG002: one
  // site with nothing answered.
  Ingest(1, store::AssessmentType::kSiteAssessment,
         {{"S1", With(ScoredAnswers(true), "NG008", "300", "160")},
          {"S2", With(ScoredAnswers(false), "NG008", "100", "55")},
          {"S3", {{"adm1_pcode", "NG002"}, {"ind_total", "40"}}}});
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 1);
  ASSERT_TRUE(frames.ok() && frames->size() == 1);
  Result<RiskIndex> index = RiskIndex::Create(Default());
  ASSERT_TRUE(index.ok());

  // One row at a time, as the areas read them (rows by site: S1, S2, S3).
  Result<FrameRisk> risks = index->ScoreFrame((*frames)[0]);
  ASSERT_TRUE(risks.ok()) << risks.status().ToString();
  ASSERT_EQ(risks->rows(), 3u);
  EXPECT_THAT(risks->Score(0), Optional(DoubleNear(100.0, 1e-9)));
  EXPECT_EQ(risks->band[0], RiskBand::kVeryHigh);
  EXPECT_EQ(risks->Score(2), std::nullopt);

  Result<std::vector<AreaRisk>> areas = RiskByArea((*frames)[0], Default(), *risks, Level::kAdmin1);
  FrameRisk short_of_a_row = *risks;
  short_of_a_row.band.pop_back();
  EXPECT_FALSE(RiskByArea((*frames)[0], Default(), short_of_a_row, Level::kAdmin1).ok());
  ASSERT_TRUE(areas.ok()) << areas.status().ToString();
  ASSERT_THAT(*areas, SizeIs(2));
  const AreaRisk& ng002 = (*areas)[0];
  EXPECT_EQ(ng002.area, "NG002");
  EXPECT_EQ(ng002.sites_per_band[static_cast<size_t>(RiskBand::kInsufficientData)], 1);
  EXPECT_EQ(ng002.mean_score, std::nullopt);  // nothing answered: no score to average
  EXPECT_EQ(ng002.people_high_or_very_high, 0);

  const AreaRisk& ng008 = (*areas)[1];
  EXPECT_EQ(ng008.area, "NG008");
  EXPECT_EQ(ng008.sites, 2);
  EXPECT_THAT(ng008.sites_per_band, ElementsAre(1, 0, 0, 1, 0));  // very_high, …, lower
  EXPECT_THAT(ng008.mean_score, Optional(DoubleNear(50.0, 1e-9)));
  // Weighted by people: (100 × 300 + 0 × 100) / 400.
  EXPECT_THAT(ng008.weighted_mean_score, Optional(DoubleNear(75.0, 1e-9)));
  EXPECT_EQ(ng008.people_high_or_very_high, 300);
  EXPECT_EQ(ng008.women_and_girls_high_or_very_high, 160);

  // The site level is each site on its own.
  Result<std::vector<AreaRisk>> sites = RiskByArea((*frames)[0], Default(), *risks, Level::kSite);
  ASSERT_TRUE(sites.ok());
  ASSERT_THAT(*sites, SizeIs(3));
  EXPECT_THAT((*sites)[0].mean_score, Optional(DoubleNear(100.0, 1e-9)));
}

}  // namespace
}  // namespace opendtm::analysis
