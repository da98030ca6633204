#include "analysis/rollup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/testing.h"

namespace opendtm::analysis {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;
using testing::Default;
using testing::IndexOf;

class RollupTest : public testing::StoredOperationTest {
 protected:
  // Round 1: two sites in NG008, one in NG002, one without an admin 1.
  Frame RoundOne() {
    Ingest(1, store::AssessmentType::kSiteAssessment,
           {{"S1", {{"adm0_pcode", "NGA"}, {"adm1_pcode", "NG008"}, {"adm2_pcode", "NG008001"},
                    {"ind_total", "100"}, {"hh_total", "20"}, {"lighting", "none"}}},
            {"S2", {{"adm0_pcode", "NGA"}, {"adm1_pcode", "NG008"}, {"ind_total", "50"},
                    {"lighting", "adequate"}}},
            {"S3", {{"adm0_pcode", "NGA"}, {"adm1_pcode", "NG002"}, {"ind_total", "30"},
                    {"hh_total", "6"}, {"lighting", "unknown"}}},
            {"S4", {}}});
    Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 1);
    EXPECT_TRUE(frames.ok() && frames->size() == 1);
    return frames.ok() && !frames->empty() ? (*frames)[0] : Frame();
  }

  static size_t Choice(std::string_view name) {
    const dictionary::ChoiceList* list =
        Default().ListOf(Default().indicators()[IndexOf("lighting")]);
    for (size_t choice_idx = 0; choice_idx < list->choices.size(); ++choice_idx) {
      if (list->choices[choice_idx].name == name) return choice_idx;
    }
    ADD_FAILURE() << "no choice " << name;
    return 0;
  }
};

TEST_F(RollupTest, Admin1SumsCountsAndCountsSitesAndPeoplePerAnswer) {
  Frame frame = RoundOne();
  Result<std::vector<AreaTotals>> areas = RollUp(frame, Default(), Level::kAdmin1);
  ASSERT_TRUE(areas.ok()) << areas.status().ToString();
  ASSERT_THAT(*areas, SizeIs(3));
  // Sorted by area; the site without an admin 1 is an area of its own, "".
  EXPECT_EQ((*areas)[0].area, "");
  EXPECT_EQ((*areas)[1].area, "NG002");
  EXPECT_EQ((*areas)[2].area, "NG008");

  const int individuals = IndexOf("ind_total");
  const int households = IndexOf("hh_total");
  const int lighting = IndexOf("lighting");
  const AreaTotals& ng008 = (*areas)[2];
  EXPECT_EQ(ng008.sites, 2);
  EXPECT_EQ(ng008.sums[individuals], 150);
  EXPECT_EQ(ng008.reporting[individuals], 2);
  EXPECT_EQ(ng008.sums[households], 20);
  EXPECT_EQ(ng008.reporting[households], 1);  // S2 gave no households: not a 0
  EXPECT_EQ(ng008.people, 150);
  const size_t slots = ng008.answer_sites[lighting].size();
  EXPECT_EQ(ng008.answer_sites[lighting][Choice("none")], 1);
  EXPECT_EQ(ng008.answer_people[lighting][Choice("none")], 100);
  EXPECT_EQ(ng008.answer_sites[lighting][Choice("adequate")], 1);
  EXPECT_EQ(ng008.answer_people[lighting][Choice("adequate")], 50);
  EXPECT_EQ(ng008.answer_sites[lighting][slots - 1], 0);  // no site without an answer

  const AreaTotals& ng002 = (*areas)[1];
  EXPECT_EQ(ng002.answer_sites[lighting][Choice("unknown")], 1);  // a row of its own
  EXPECT_EQ(ng002.answer_people[lighting][Choice("unknown")], 30);

  const AreaTotals& nowhere = (*areas)[0];
  EXPECT_EQ(nowhere.sites, 1);
  EXPECT_EQ(nowhere.reporting[individuals], 0);
  EXPECT_EQ(nowhere.answer_sites[lighting][slots - 1], 1);  // missing: counted, not hidden

  // Not every indicator adds up: a P-code is neither summed nor shared.
  EXPECT_THAT(ng008.answer_sites[IndexOf("adm1_pcode")], SizeIs(0));
  EXPECT_EQ(ng008.sums[IndexOf("adm1_pcode")], 0);
}

TEST_F(RollupTest, EveryLevelCountsEverySiteOnce) {
  Frame frame = RoundOne();
  for (Level level : {Level::kSite, Level::kAdmin3, Level::kAdmin2, Level::kAdmin1,
                      Level::kCountry}) {
    Result<std::vector<AreaTotals>> areas = RollUp(frame, Default(), level);
    ASSERT_TRUE(areas.ok()) << LevelName(level) << ": " << areas.status().ToString();
    int64_t sites = 0;
    double individuals = 0;
    for (const AreaTotals& area : *areas) {
      sites += area.sites;
      individuals += area.sums[IndexOf("ind_total")];
    }
    EXPECT_EQ(sites, 4) << LevelName(level);
    EXPECT_EQ(individuals, 180) << LevelName(level);
  }
  Result<std::vector<AreaTotals>> sites = RollUp(frame, Default(), Level::kSite);
  ASSERT_TRUE(sites.ok());
  std::vector<std::string> names;
  for (const AreaTotals& area : *sites) names.push_back(area.area);
  EXPECT_THAT(names, ElementsAre("S1", "S2", "S3", "S4"));
  Result<std::vector<AreaTotals>> countries = RollUp(frame, Default(), Level::kCountry);
  ASSERT_TRUE(countries.ok());
  ASSERT_THAT(*countries, SizeIs(2));
  EXPECT_EQ((*countries)[1].area, "NGA");
  EXPECT_EQ((*countries)[1].sites, 3);
  Result<std::vector<AreaTotals>> admin2 = RollUp(frame, Default(), Level::kAdmin2);
  ASSERT_TRUE(admin2.ok());
  ASSERT_THAT(*admin2, SizeIs(2));
  EXPECT_EQ((*admin2)[1].area, "NG008001");
  EXPECT_EQ(LevelName(Level::kAdmin2), "admin2");
}

TEST_F(RollupTest, AFrameOfAnotherDictionaryIsRefused) {
  Frame frame = RoundOne();
  frame.columns.pop_back();
  Result<std::vector<AreaTotals>> areas = RollUp(frame, Default(), Level::kAdmin1);
  ASSERT_FALSE(areas.ok());
  EXPECT_EQ(areas.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace opendtm::analysis
