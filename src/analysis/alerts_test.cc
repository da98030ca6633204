#include "analysis/alerts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "analysis/testing.h"

namespace opendtm::analysis {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using testing::Default;
using testing::ScoredAnswers;

constexpr auto kSa = store::AssessmentType::kSiteAssessment;
constexpr auto kBa = store::AssessmentType::kBaselineAssessment;

// Every scored item at its worst (very_high) or best (lower); Unanswered()
// leaves them all blank (insufficient_data).
std::map<std::string, std::string> VeryHigh() { return ScoredAnswers(true); }
std::map<std::string, std::string> Lower() { return ScoredAnswers(false); }
std::map<std::string, std::string> Unanswered() { return {}; }

class RiskAlertsTest : public testing::StoredOperationTest {
 protected:
  void SetUp() override {
    StoredOperationTest::SetUp();
    Result<RiskIndex> index = RiskIndex::Create(Default());
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::make_unique<RiskIndex>(std::move(index).value());
  }

  // The frames of rounds [first, last], all types.
  std::vector<Frame> Frames(int first, int last) {
    Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, first, last);
    EXPECT_TRUE(frames.ok()) << frames.status().ToString();
    return frames.ok() ? *frames : std::vector<Frame>();
  }

  // Ingests as the ingest does: the round exists in the store.
  void IngestRound(int round, store::AssessmentType type, const testing::SiteAnswers& sites) {
    if (!store_->FindRound(operation_id_, round).ok()) {
      ASSERT_TRUE(store_->CreateRound({operation_id_, round, "", "", store::RoundStatus::kOpen})
                      .ok());
    }
    Ingest(round, type, sites);
  }

  std::unique_ptr<RiskIndex> index_;
};

std::vector<std::string> SitesOf(const std::vector<RiskTransition>& transitions) {
  std::vector<std::string> sites;
  for (const RiskTransition& transition : transitions) sites.push_back(transition.site_id);
  return sites;
}

TEST_F(RiskAlertsTest, SitesThatBecameVeryHighFromAnyOtherBandOrNew) {
  Ingest(1, kSa, {{"S1", Lower()},        // lower -> very high: alert
                  {"S2", VeryHigh()},     // very high in both: none
                  {"S3", Unanswered()},   // insufficient data -> very high: alert
                  {"S5", VeryHigh()}});   // very high -> lower: none
  Ingest(2, kSa, {{"S1", VeryHigh()},
                  {"S2", VeryHigh()},
                  {"S3", VeryHigh()},
                  {"S4", VeryHigh()},     // new and very high: alert
                  {"S5", Lower()},
                  {"S6", Lower()}});      // new and lower: none
  std::vector<Frame> frames = Frames(1, 2);
  ASSERT_THAT(frames, SizeIs(2));
  Result<std::vector<RiskTransition>> transitions =
      VeryHighTransitions(frames[0], frames[1], *index_);
  ASSERT_TRUE(transitions.ok()) << transitions.status().ToString();
  EXPECT_THAT(SitesOf(*transitions), ElementsAre("S1", "S3", "S4"));
  const RiskTransition& s1 = (*transitions)[0];
  EXPECT_EQ(s1.round, 2);
  EXPECT_EQ(s1.previous_round, 1);
  EXPECT_EQ(s1.previous_band, RiskBand::kLower);
  EXPECT_DOUBLE_EQ(s1.score, 100);
  EXPECT_EQ((*transitions)[1].previous_band, RiskBand::kInsufficientData);
  EXPECT_EQ((*transitions)[2].previous_band, std::nullopt);

  // Backwards nothing is compared.
  Result<std::vector<RiskTransition>> backwards =
      VeryHighTransitions(frames[1], frames[0], *index_);
  EXPECT_EQ(backwards.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(VeryHighTransitions(frames[0], frames[0], *index_).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(RiskAlertsTest, OnlyOneAssessmentTypeAtATime) {
  Ingest(1, kBa, {{"S1", Lower()}});
  Ingest(2, kSa, {{"S1", VeryHigh()}});
  std::vector<Frame> frames = Frames(1, 2);
  ASSERT_THAT(frames, SizeIs(2));
  Result<std::vector<RiskTransition>> transitions =
      VeryHighTransitions(frames[0], frames[1], *index_);
  EXPECT_EQ(transitions.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RiskAlertsTest, ASiteWithSeveralSubmissionsIsReadAtItsNewest) {
  Ingest(1, kSa, {{"S1", Lower()}, {"S2", Lower()}});
  Ingest(2, kSa, {{"S1", VeryHigh()}, {"S2", Lower()}});
  Ingest(2, kSa, {{"S1", Lower()}, {"S2", VeryHigh()}});  // a later batch of the round
  std::vector<Frame> frames = Frames(1, 2);
  ASSERT_THAT(frames, SizeIs(2));
  ASSERT_EQ(frames[1].rows(), 4u);
  Result<std::vector<RiskTransition>> transitions =
      VeryHighTransitions(frames[0], frames[1], *index_);
  ASSERT_TRUE(transitions.ok());
  EXPECT_THAT(SitesOf(*transitions), ElementsAre("S2"));
}

TEST_F(RiskAlertsTest, TheAlertNamesTheSiteRoundsScoreAndEarlierBand) {
  RiskTransition moved{"NGA-0042", 5, 4, RiskBand::kHigh, 41.2499};
  store::Alert alert = RiskAlert(moved, operation_id_, "2026-05-01T10:00:00Z");
  EXPECT_EQ(alert.operation_id, operation_id_);
  EXPECT_EQ(alert.round, 5);
  EXPECT_EQ(alert.site_id, "NGA-0042");
  EXPECT_EQ(alert.rule, kRiskVeryHighRule);
  EXPECT_EQ(alert.indicator, "");
  EXPECT_EQ(alert.value, "very_high");
  EXPECT_EQ(alert.previous_round, 4);
  EXPECT_EQ(alert.previous_value, "high");
  EXPECT_EQ(alert.score, 41.2);
  EXPECT_EQ(alert.created_at, "2026-05-01T10:00:00Z");
  EXPECT_EQ(alert.message,
            "site NGA-0042: GBV risk band very_high in round 5 (score 41.2), was high in round 4");

  RiskTransition appeared{"NGA-0043", 5, 3, std::nullopt, 100};
  store::Alert new_site = RiskAlert(appeared, operation_id_, "");
  EXPECT_EQ(new_site.previous_value, "");
  EXPECT_EQ(new_site.previous_round, 3);
  EXPECT_THAT(new_site.message, HasSubstr("(score 100.0), not reported in round 3"));
}

std::vector<std::string> Describe(const std::vector<store::Alert>& alerts) {
  std::vector<std::string> described;
  for (const store::Alert& alert : alerts) {
    described.push_back(alert.site_id + " r" + std::to_string(alert.round) + " from r" +
                        std::to_string(alert.previous_round.value_or(-1)) + " " +
                        alert.previous_value);
  }
  return described;
}

TEST_F(RiskAlertsTest, AroundARoundComparesItsNeighboursWithData) {
  // The first round with data has nothing to compare with.
  IngestRound(1, kSa, {{"S1", Lower()}, {"S2", VeryHigh()}});
  Result<std::vector<store::Alert>> first =
      RiskAlertsAround(*store_, Default(), *index_, operation_id_, 1, kSa, "t1");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_THAT(*first, IsEmpty());

  // Round 3 before round 2: compared with round 1; baseline data in round 2
  // does not count as a round of site assessments.
  IngestRound(2, kBa, {{"S1", Lower()}});
  IngestRound(3, kSa, {{"S1", VeryHigh()}, {"S2", VeryHigh()}});
  Result<std::vector<store::Alert>> third =
      RiskAlertsAround(*store_, Default(), *index_, operation_id_, 3, kSa, "t3");
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_THAT(Describe(*third), ElementsAre("S1 r3 from r1 lower"));
  EXPECT_EQ((*third)[0].created_at, "t3");
  EXPECT_EQ((*third)[0].operation_id, operation_id_);

  // Round 2 arrives: compared with round 1, and round 3 with it.
  IngestRound(2, kSa, {{"S1", Lower()}, {"S2", Lower()}, {"S3", VeryHigh()}});
  Result<std::vector<store::Alert>> second =
      RiskAlertsAround(*store_, Default(), *index_, operation_id_, 2, kSa, "t2");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_THAT(Describe(*second),
              ElementsAre("S3 r2 from r1 ", "S1 r3 from r2 lower", "S2 r3 from r2 lower"));

  // No neighbour of that type, or no data of that type in the round: none.
  Result<std::vector<store::Alert>> baseline =
      RiskAlertsAround(*store_, Default(), *index_, operation_id_, 2, kBa, "t");
  ASSERT_TRUE(baseline.ok());
  EXPECT_THAT(*baseline, IsEmpty());
  Result<std::vector<store::Alert>> empty_round =
      RiskAlertsAround(*store_, Default(), *index_, operation_id_, 7, kSa, "t");
  ASSERT_TRUE(empty_round.ok());
  EXPECT_THAT(*empty_round, IsEmpty());
}

}  // namespace
}  // namespace opendtm::analysis
