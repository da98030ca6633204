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

TEST_F(RollupTest, SplitByAnAnswerAndKeptByACondition) {
  Frame frame = RoundOne();
  const int lighting = IndexOf("lighting");
  RollupOptions options;
  options.by_indicator = lighting;
  Result<std::vector<AreaTotals>> areas = RollUp(frame, Default(), Level::kAdmin1, options);
  ASSERT_TRUE(areas.ok()) << areas.status().ToString();
  std::vector<std::string> groups;
  for (const AreaTotals& area : *areas) groups.push_back(area.area + "/" + area.by);
  // NG008 splits in two answers (list order: adequate before none); the
  // site without an answer is in the group "".
  EXPECT_THAT(groups, ElementsAre("/", "NG002/unknown", "NG008/adequate", "NG008/none"));

  // By a P-code: one group per value, sorted by name, no answer last.
  options.by_indicator = IndexOf("adm2_pcode");
  Result<std::vector<AreaTotals>> by_text = RollUp(frame, Default(), Level::kCountry, options);
  ASSERT_TRUE(by_text.ok()) << by_text.status().ToString();
  groups.clear();
  for (const AreaTotals& area : *by_text) groups.push_back(area.area + "/" + area.by);
  EXPECT_THAT(groups, ElementsAre("/", "NGA/NG008001", "NGA/"));
  EXPECT_EQ((*areas)[3].sums[IndexOf("ind_total")], 100);

  RollupOptions where;
  Result<RowCondition> condition = ParseCondition("lighting=none", Default());
  ASSERT_TRUE(condition.ok()) << condition.status().ToString();
  where.where.push_back(*condition);
  Result<std::vector<AreaTotals>> dark = RollUp(frame, Default(), Level::kCountry, where);
  ASSERT_TRUE(dark.ok());
  ASSERT_THAT(*dark, SizeIs(1));
  EXPECT_EQ((*dark)[0].area, "NGA");
  EXPECT_EQ((*dark)[0].sites, 1);
  EXPECT_EQ((*dark)[0].sums[IndexOf("hh_total")], 20);

  Result<RowCondition> number = ParseCondition("ind_total = 30", Default());
  ASSERT_TRUE(number.ok());
  where.where = {*number};
  Result<std::vector<AreaTotals>> thirty = RollUp(frame, Default(), Level::kAdmin1, where);
  ASSERT_TRUE(thirty.ok());
  ASSERT_THAT(*thirty, SizeIs(1));
  EXPECT_EQ((*thirty)[0].area, "NG002");

  EXPECT_FALSE(ParseCondition("lighting=candles", Default()).ok());
  EXPECT_FALSE(ParseCondition("ind_total=many", Default()).ok());
  EXPECT_FALSE(ParseCondition("no_such=1", Default()).ok());
  EXPECT_FALSE(ParseCondition("lighting", Default()).ok());
  options.by_indicator = IndexOf("ind_total");
  EXPECT_FALSE(RollUp(frame, Default(), Level::kAdmin1, options).ok());
}

TEST_F(RollupTest, ASelectMultipleCountsEverySelectedChoice) {
  Ingest(2, store::AssessmentType::kSiteAssessment,
         {{"S1", {{"adm1_pcode", "NG008"}, {"ind_total", "10"}, {"unsafe_areas", "latrines market"}}},
          {"S2", {{"adm1_pcode", "NG008"}, {"ind_total", "5"}, {"unsafe_areas", "latrines"}}},
          {"S3", {{"adm1_pcode", "NG008"}, {"ind_total", "1"}}}});
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 2, 2);
  ASSERT_TRUE(frames.ok() && frames->size() == 1);
  const int unsafe = IndexOf("unsafe_areas");
  const dictionary::ChoiceList* list = Default().ListOf(Default().indicators()[unsafe]);
  auto slot = [&](std::string_view name) {
    for (size_t choice_idx = 0; choice_idx < list->choices.size(); ++choice_idx) {
      if (list->choices[choice_idx].name == name) return choice_idx;
    }
    ADD_FAILURE() << name;
    return size_t{0};
  };
  Result<std::vector<AreaTotals>> areas = RollUp((*frames)[0], Default(), Level::kAdmin1);
  ASSERT_TRUE(areas.ok());
  ASSERT_THAT(*areas, SizeIs(1));
  const AreaTotals& ng008 = (*areas)[0];
  ASSERT_EQ(ng008.answer_sites[unsafe].size(), list->choices.size() + 1);
  EXPECT_EQ(ng008.answer_sites[unsafe][slot("latrines")], 2);
  EXPECT_EQ(ng008.answer_people[unsafe][slot("latrines")], 15);
  EXPECT_EQ(ng008.answer_sites[unsafe][slot("market")], 1);
  EXPECT_EQ(ng008.answer_sites[unsafe].back(), 1);  // S3: no answer
  EXPECT_EQ(ng008.answer_people[unsafe].back(), 1);
  EXPECT_EQ(ng008.reporting[unsafe], 2);

  // Split by it, a site is in each group it selected.
  RollupOptions options;
  options.by_indicator = unsafe;
  Result<std::vector<AreaTotals>> by = RollUp((*frames)[0], Default(), Level::kAdmin1, options);
  ASSERT_TRUE(by.ok());
  int64_t sites = 0;
  for (const AreaTotals& area : *by) sites += area.sites;
  EXPECT_EQ(sites, 4);  // S1 twice, S2, S3 (no answer)
  // Kept by a choice among those selected.
  Result<RowCondition> market = ParseCondition("unsafe_areas=market", Default());
  ASSERT_TRUE(market.ok());
  options = RollupOptions();
  options.where = {*market};
  Result<std::vector<AreaTotals>> kept = RollUp((*frames)[0], Default(), Level::kAdmin1, options);
  ASSERT_TRUE(kept.ok());
  ASSERT_THAT(*kept, SizeIs(1));
  EXPECT_EQ((*kept)[0].sites, 1);
}

TEST_F(RollupTest, OnePassServesEveryLevelAndThreadsChangeNothing) {
  Frame frame = RoundOne();
  const Level levels[] = {Level::kAdmin2, Level::kAdmin1, Level::kCountry, Level::kSite};
  RollupOptions options;
  options.threads = 3;
  Result<std::vector<std::vector<AreaTotals>>> together =
      RollUpLevels(frame, Default(), levels, options);
  ASSERT_TRUE(together.ok()) << together.status().ToString();
  ASSERT_THAT(*together, SizeIs(4));
  for (size_t level_idx = 0; level_idx < 4; ++level_idx) {
    Result<std::vector<AreaTotals>> alone = RollUp(frame, Default(), levels[level_idx]);
    ASSERT_TRUE(alone.ok());
    const std::vector<AreaTotals>& joint = (*together)[level_idx];
    ASSERT_EQ(joint.size(), alone->size()) << LevelName(levels[level_idx]);
    for (size_t area = 0; area < joint.size(); ++area) {
      EXPECT_EQ(joint[area].area, (*alone)[area].area);
      EXPECT_EQ(joint[area].sites, (*alone)[area].sites);
      EXPECT_EQ(joint[area].sums, (*alone)[area].sums);
      EXPECT_EQ(joint[area].reporting, (*alone)[area].reporting);
      EXPECT_EQ(joint[area].answer_sites, (*alone)[area].answer_sites);
      EXPECT_EQ(joint[area].answer_people, (*alone)[area].answer_people);
    }
  }
  EXPECT_FALSE(RollUpLevels(frame, Default(), {}, options).ok());

  // Several frames on several threads: each as on its own.
  Ingest(2, store::AssessmentType::kSiteAssessment,
         {{"S9", {{"adm0_pcode", "NGA"}, {"adm1_pcode", "NG002"}, {"ind_total", "7"}}}});
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 2);
  ASSERT_TRUE(frames.ok() && frames->size() == 2);
  const Frame* both[] = {&(*frames)[0], &(*frames)[1], &(*frames)[0]};
  Result<std::vector<std::vector<std::vector<AreaTotals>>>> each =
      RollUpFrames(both, Default(), levels, options);
  ASSERT_TRUE(each.ok()) << each.status().ToString();
  ASSERT_THAT(*each, SizeIs(3));
  for (size_t frame_idx = 0; frame_idx < 3; ++frame_idx) {
    Result<std::vector<std::vector<AreaTotals>>> alone =
        RollUpLevels(*both[frame_idx], Default(), levels);
    ASSERT_TRUE(alone.ok());
    ASSERT_EQ((*each)[frame_idx].size(), alone->size());
    for (size_t level_idx = 0; level_idx < alone->size(); ++level_idx) {
      ASSERT_EQ((*each)[frame_idx][level_idx].size(), (*alone)[level_idx].size());
      for (size_t area = 0; area < (*alone)[level_idx].size(); ++area) {
        EXPECT_EQ((*each)[frame_idx][level_idx][area].area, (*alone)[level_idx][area].area);
        EXPECT_EQ((*each)[frame_idx][level_idx][area].sums, (*alone)[level_idx][area].sums);
      }
    }
  }
  EXPECT_EQ((*each)[1][2][0].sums[IndexOf("ind_total")], 7);  // round 2, country NGA
  Frame broken = frame;
  broken.columns.pop_back();
  const Frame* with_broken[] = {&frame, &broken};
  EXPECT_FALSE(RollUpFrames(with_broken, Default(), levels, options).ok());
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
