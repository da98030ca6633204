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

// Every scored item answered with the given answer's points, per domain kept
// simple: "worst" answers score the maximum, "best" zero.
std::map<std::string, std::string> Answers(bool worst) {
  return {{"lighting", worst ? "none" : "adequate"},
          {"latrines_sex_separated", worst ? "no" : "yes"},
          {"bathing_sex_separated", worst ? "no" : "yes"},
          {"wash_lockable", worst ? "no" : "yes"},
          {"water_location", worst ? "off_site_gt20" : "on_site_lt20"},
          {"private_living_area", worst ? "none" : "gt75"},
          {"security_on_site", worst ? "no" : "yes"},
          {"security_provider", worst ? "none" : "police"},
          {"incidents_reported", worst ? "yes" : "no"},
          {"women_feel_safe", worst ? "no" : "yes"},
          {"children_feel_safe", worst ? "no" : "yes"},
          {"unsafe_areas", worst ? "latrines market water_points" : "none"},
          {"female_security_staff", worst ? "no" : "yes"},
          {"smc_exists", "yes"},
          {"smc_women_pct", worst ? "none" : "gt75"},
          {"women_committee", worst ? "no" : "yes"},
          {"women_in_distributions", worst ? "no" : "yes"},
          {"gbv_referral_mechanism", worst ? "no" : "yes"},
          {"women_friendly_spaces", worst ? "0" : "2"},
          {"cmr_available", worst ? "no" : "yes"},
          {"women_know_gbv_services", worst ? "no" : "yes"},
          {"psea_awareness", worst ? "no" : "yes"},
          {"complaints_mechanism", worst ? "no" : "yes"}};
}

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
         {{"S1", With(Answers(true), "NG008", "300", "160")},
          {"S2", With(Answers(false), "NG008", "100", "55")},
          {"S3", {{"adm1_pcode", "NG002"}, {"ind_total", "40"}}}});
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 1);
  ASSERT_TRUE(frames.ok() && frames->size() == 1);
  Result<RiskIndex> index = RiskIndex::Create(Default());
  ASSERT_TRUE(index.ok());

  Result<std::vector<AreaRisk>> areas = RiskByArea((*frames)[0], Default(), *index, Level::kAdmin1);
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
  Result<std::vector<AreaRisk>> sites = RiskByArea((*frames)[0], Default(), *index, Level::kSite);
  ASSERT_TRUE(sites.ok());
  ASSERT_THAT(*sites, SizeIs(3));
  EXPECT_THAT((*sites)[0].mean_score, Optional(DoubleNear(100.0, 1e-9)));
}

}  // namespace
}  // namespace opendtm::analysis
