#include "analysis/frame.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "analysis/risk_index.h"
#include "analysis/testing.h"

namespace opendtm::analysis {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;
using store::AssessmentType;

using testing::Default;
using testing::IndexOf;

class FrameTest : public testing::StoredOperationTest {};

TEST_F(FrameTest, EachRoundAndTypeIsAFrameOfTypedColumnsBySite) {
  Ingest(1, AssessmentType::kSiteAssessment,
         {{"NGA-0002", {{"ind_total", "80"}, {"lighting", "adequate"}, {"latitude", "9.25"}}},
          {"NGA-0001",
           {{"ind_total", "120"},
            {"lighting", "none"},
            {"unsafe_areas", "market latrines"},
            {"survey_date", "2026-01-15"},
            {"smc_focal_phone", "+234 555 0101"}}}});
  Ingest(1, AssessmentType::kBaselineAssessment, {{"NGA-0001", {{"ind_total", "100"}}}});
  Ingest(2, AssessmentType::kSiteAssessment, {{"NGA-0001", {{"lighting", "candles"}}}});
  Ingest(3, AssessmentType::kSiteAssessment, {{"NGA-0001", {}}});  // outside the range

  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 2);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  ASSERT_THAT(*frames, SizeIs(3));
  // By round, then assessment type as the store orders them (BA before SA).
  EXPECT_EQ((*frames)[0].round, 1);
  EXPECT_EQ((*frames)[0].assessment_type, AssessmentType::kBaselineAssessment);
  EXPECT_EQ((*frames)[1].round, 1);
  EXPECT_EQ((*frames)[1].assessment_type, AssessmentType::kSiteAssessment);
  EXPECT_EQ((*frames)[2].round, 2);

  const Frame& sa = (*frames)[1];
  ASSERT_EQ(sa.rows(), 2u);
  EXPECT_THAT(sa.site_ids, ElementsAre("NGA-0001", "NGA-0002"));  // by site
  ASSERT_THAT(sa.columns, SizeIs(Default().indicators().size()));

  const Column& individuals = sa.columns[IndexOf("ind_total")];
  EXPECT_EQ(individuals.kind, ColumnKind::kInteger);
  EXPECT_THAT(individuals.integers, ElementsAre(120, 80));
  EXPECT_THAT(individuals.present, ElementsAre(1, 1));

  const Column& latitude = sa.columns[IndexOf("latitude")];
  EXPECT_EQ(latitude.kind, ColumnKind::kNumber);
  EXPECT_THAT(latitude.numbers, ElementsAre(0, 9.25));
  EXPECT_THAT(latitude.present, ElementsAre(0, 1));

  const dictionary::ChoiceList* lighting_list =
      Default().ListOf(Default().indicators()[IndexOf("lighting")]);
  ASSERT_NE(lighting_list, nullptr);
  auto choice_of = [&](const dictionary::ChoiceList& list, std::string_view name) {
    for (size_t choice_idx = 0; choice_idx < list.choices.size(); ++choice_idx) {
      if (list.choices[choice_idx].name == name) return static_cast<uint16_t>(choice_idx);
    }
    ADD_FAILURE() << "no choice " << name;
    return uint16_t{0};
  };
  const Column& lighting = sa.columns[IndexOf("lighting")];
  EXPECT_EQ(lighting.kind, ColumnKind::kChoice);
  EXPECT_THAT(lighting.choices, ElementsAre(choice_of(*lighting_list, "none"),
                                            choice_of(*lighting_list, "adequate")));

  const dictionary::ChoiceList* areas =
      Default().ListOf(Default().indicators()[IndexOf("unsafe_areas")]);
  ASSERT_NE(areas, nullptr);
  const Column& unsafe = sa.columns[IndexOf("unsafe_areas")];
  EXPECT_EQ(unsafe.kind, ColumnKind::kChoices);
  EXPECT_THAT(unsafe.bitsets, ElementsAre((uint64_t{1} << choice_of(*areas, "market")) |
                                              (uint64_t{1} << choice_of(*areas, "latrines")),
                                          0));
  EXPECT_THAT(unsafe.present, ElementsAre(1, 0));

  const Column& surveyed = sa.columns[IndexOf("survey_date")];
  EXPECT_EQ(surveyed.kind, ColumnKind::kText);
  EXPECT_THAT(surveyed.texts, ElementsAre("2026-01-15", ""));

  // pii is never stored: its column is absent in every row.
  EXPECT_EQ(sa.columns[IndexOf("smc_focal_phone")].PresentCount(), 0u);

  // The baseline figure stays apart from the site assessment's.
  EXPECT_THAT((*frames)[0].columns[IndexOf("ind_total")].integers, ElementsAre(100));

  // Back to text, as rules over stored values read it.
  std::vector<std::string> first = RowText(sa, Default(), 0);
  EXPECT_EQ(first[IndexOf("ind_total")], "120");
  EXPECT_EQ(first[IndexOf("lighting")], "none");
  EXPECT_EQ(first[IndexOf("unsafe_areas")], "latrines market");  // list order
  EXPECT_EQ(first[IndexOf("survey_date")], "2026-01-15");
  EXPECT_EQ(first[IndexOf("latitude")], "");
  EXPECT_EQ(first[IndexOf("smc_focal_phone")], "");
  EXPECT_EQ(RowText(sa, Default(), 1)[IndexOf("latitude")], "9.25");

  // A code the list does not have is absent, and counted.
  const Column& unlisted = (*frames)[2].columns[IndexOf("lighting")];
  EXPECT_THAT(unlisted.present, ElementsAre(0));
  EXPECT_EQ(unlisted.unlisted, 1);
}

TEST_F(FrameTest, NoAcceptedSubmissionsNoFrames) {
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 12);
  ASSERT_TRUE(frames.ok());
  EXPECT_TRUE(frames->empty());
}

}  // namespace
}  // namespace opendtm::analysis

namespace opendtm::analysis {
namespace {

class FrameSubsetTest : public testing::StoredOperationTest {};

TEST_F(FrameSubsetTest, OnlyTheColumnsAskedForAreRead) {
  Ingest(1, AssessmentType::kSiteAssessment,
         {{"S1", {{"lighting", "none"}, {"ind_total", "10"}, {"adm1_pcode", "NG008"}}},
          {"S2", {{"lighting", "adequate"}, {"ind_total", "20"}}}});
  const int lighting = testing::IndexOf("lighting");
  const int people = testing::IndexOf("ind_total");
  const int admin1 = testing::IndexOf("adm1_pcode");
  const int only[] = {lighting};
  Result<std::vector<Frame>> frames = LoadFrames(*store_, testing::Default(), operation_id_, 1, 1, only);
  ASSERT_TRUE(frames.ok() && frames->size() == 1);
  const Frame& frame = (*frames)[0];
  ASSERT_EQ(frame.rows(), 2u);
  EXPECT_EQ(frame.columns[lighting].PresentCount(), 2u);
  // The others: every row there, and absent.
  EXPECT_EQ(frame.columns[people].present.size(), 2u);
  EXPECT_EQ(frame.columns[people].integers.size(), 2u);
  EXPECT_EQ(frame.columns[people].PresentCount(), 0u);
  EXPECT_EQ(frame.columns[admin1].texts.size(), 2u);
  EXPECT_EQ(frame.columns[admin1].PresentCount(), 0u);

  // What the risk index reads is enough for its scores.
  Result<RiskIndex> index = RiskIndex::Create(testing::Default());
  ASSERT_TRUE(index.ok());
  const std::vector<int> read = index->indicators_read();
  EXPECT_NE(std::find(read.begin(), read.end(), testing::IndexOf("smc_exists")), read.end());
  Result<std::vector<Frame>> full = LoadFrames(*store_, testing::Default(), operation_id_, 1, 1);
  Result<std::vector<Frame>> part = LoadFrames(*store_, testing::Default(), operation_id_, 1, 1, read);
  ASSERT_TRUE(full.ok() && part.ok());
  Result<FrameRisk> from_full = index->ScoreFrame((*full)[0]);
  Result<FrameRisk> from_part = index->ScoreFrame((*part)[0]);
  ASSERT_TRUE(from_full.ok() && from_part.ok());
  EXPECT_EQ(from_full->band, from_part->band);
  EXPECT_EQ(from_full->top_indicator, from_part->top_indicator);
}

}  // namespace
}  // namespace opendtm::analysis
