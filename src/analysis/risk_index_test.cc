#include "analysis/risk_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "analysis/testing.h"

namespace opendtm::analysis {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::FieldsAre;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::SizeIs;

using testing::Default;
using testing::IndexOf;
using testing::ScoredAnswers;
using testing::SiteAnswers;

// A site's answers by indicator name, laid out like the dictionary.
class Answers {
 public:
  explicit Answers(std::map<std::string, std::string> by_name) : by_name_(std::move(by_name)) {
    texts_.resize(Default().indicators().size());
    for (const auto& [name, value] : by_name_) texts_[IndexOf(name)] = value;
    for (const std::string& text : texts_) views_.push_back(text);
  }
  std::span<const std::string_view> values() const { return views_; }
  Answers With(const std::string& name, const std::string& value) const {
    std::map<std::string, std::string> changed = by_name_;
    changed[name] = value;
    return Answers(changed);
  }

 private:
  std::map<std::string, std::string> by_name_;
  std::vector<std::string> texts_;
  std::vector<std::string_view> views_;
};

// spec/risk-index.md, "Worked example", answer by answer.
Answers WorkedExample() {
  return Answers({
      {"lighting", "none"},                       // 3/3
      {"latrines_sex_separated", "no"},           // 2/2
      {"bathing_sex_separated", "yes"},           // 0/2
      {"wash_lockable", "unknown"},               // not answered
      {"water_location", "off_site_lt20"},        // 1/2
      {"private_living_area", "lt50"},            // 2/3
      {"security_on_site", "yes"},                // 0/2
      {"security_provider", "police"},            // 0/2
      {"incidents_reported", "yes"},              // 1/1
      {"women_feel_safe", "no"},                  // 3/3
      {"children_feel_safe", "yes"},              // 0/2
      {"unsafe_areas", "latrines water_points"},  // 2/3
      {"female_security_staff", "unknown"},       // not answered
      {"smc_exists", "yes"},
      {"smc_women_pct", "lt25"},                  // 2/3
      {"women_committee", "no"},                  // 2/2
      {"women_in_distributions", "yes"},          // 0/1
      {"gbv_referral_mechanism", "no"},           // 3/3
      {"women_friendly_spaces", "0"},             // 2/2
      {"cmr_available", "unknown"},               // not answered
      {"women_know_gbv_services", "partly"},      // 1/2
      {"psea_awareness", "yes"},                  // 0/1
      {"complaints_mechanism", "no"},             // 1/1
  });
}

RiskIndex DefaultIndex() {
  Result<RiskIndex> index = RiskIndex::Create(Default());
  EXPECT_TRUE(index.ok()) << index.status().ToString();
  return std::move(index).value();
}

TEST(RiskIndexTest, TheWorkedExampleOfTheSpec) {
  RiskIndex index = DefaultIndex();
  EXPECT_EQ(index.total_max_points(), 46);  // layout 14, security 14, participation 6, services 12
  EXPECT_THAT(index.scored_indicators(), SizeIs(22));

  SiteRisk risk = index.Score(WorkedExample().values());
  ASSERT_EQ(risk.domains[0].domain, dictionary::RiskDomain::kLayout);
  EXPECT_EQ(risk.domains[0].points, 8);
  EXPECT_EQ(risk.domains[0].max_points, 12);
  EXPECT_THAT(risk.domains[0].score, Optional(DoubleNear(66.7, 0.05)));
  ASSERT_EQ(risk.domains[1].domain, dictionary::RiskDomain::kSecurity);
  EXPECT_EQ(risk.domains[1].points, 6);
  EXPECT_EQ(risk.domains[1].max_points, 13);
  EXPECT_THAT(risk.domains[1].score, Optional(DoubleNear(46.2, 0.05)));
  ASSERT_EQ(risk.domains[2].domain, dictionary::RiskDomain::kParticipation);
  EXPECT_EQ(risk.domains[2].points, 4);
  EXPECT_EQ(risk.domains[2].max_points, 6);
  EXPECT_THAT(risk.domains[2].score, Optional(DoubleNear(66.7, 0.05)));
  ASSERT_EQ(risk.domains[3].domain, dictionary::RiskDomain::kServices);
  EXPECT_EQ(risk.domains[3].points, 7);
  EXPECT_EQ(risk.domains[3].max_points, 9);
  EXPECT_THAT(risk.domains[3].score, Optional(DoubleNear(77.8, 0.05)));

  EXPECT_EQ(risk.points, 25);
  EXPECT_EQ(risk.max_points, 40);
  EXPECT_THAT(risk.score, Optional(62.5));
  EXPECT_EQ(risk.band, RiskBand::kVeryHigh);
  EXPECT_DOUBLE_EQ(risk.coverage, 40.0 / 46.0);

  // Up to five items with points, by points then dictionary order.
  ASSERT_THAT(risk.top_items, SizeIs(5));
  EXPECT_THAT(risk.top_items[0], FieldsAre(IndexOf("lighting"), "none", 3));
  EXPECT_THAT(risk.top_items[1], FieldsAre(IndexOf("women_feel_safe"), "no", 3));
  EXPECT_THAT(risk.top_items[2], FieldsAre(IndexOf("gbv_referral_mechanism"), "no", 3));
  EXPECT_THAT(risk.top_items[3], FieldsAre(IndexOf("latrines_sex_separated"), "no", 2));
  EXPECT_THAT(risk.top_items[4], FieldsAre(IndexOf("private_living_area"), "lt50", 2));
}

TEST(RiskIndexTest, BandsCompareTheUnroundedScoreWithEachThreshold) {
  RiskBands bands;
  bands.very_high = 62.5;  // the worked example's score exactly
  Result<RiskIndex> index = RiskIndex::Create(Default(), bands);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->Score(WorkedExample().values()).band, RiskBand::kVeryHigh);
  bands.very_high = 62.500001;
  index = RiskIndex::Create(Default(), bands);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->Score(WorkedExample().values()).band, RiskBand::kHigh);
  bands = RiskBands{70, 65, 62.5, 0.6};
  index = RiskIndex::Create(Default(), bands);
  EXPECT_EQ(index->Score(WorkedExample().values()).band, RiskBand::kMedium);
  bands = RiskBands{90, 80, 70, 0.6};
  index = RiskIndex::Create(Default(), bands);
  EXPECT_EQ(index->Score(WorkedExample().values()).band, RiskBand::kLower);
  EXPECT_EQ(RiskBandName(RiskBand::kVeryHigh), "very_high");
  EXPECT_EQ(RiskBandName(RiskBand::kInsufficientData), "insufficient_data");
}

TEST(RiskIndexTest, NoCommitteeScoresTheWomensShareOfItAsNone) {
  RiskIndex index = DefaultIndex();
  // smc_women_pct is asked only where there is a committee; without one it
  // scores 3 of 3 (no committee, no women in it), whatever was left in it.
  SiteRisk risk = index.Score(WorkedExample().With("smc_exists", "no").With("smc_women_pct", "")
                                  .values());
  EXPECT_EQ(risk.domains[2].points, 5);  // 3 + women_committee 2 + 0
  EXPECT_EQ(risk.domains[2].max_points, 6);
  EXPECT_EQ(risk.points, 26);
  bool listed = false;
  for (const RiskItem& item : risk.top_items) {
    if (item.indicator == IndexOf("smc_women_pct")) {
      listed = true;
      EXPECT_EQ(item.points, 3);
      EXPECT_EQ(item.answer, "not asked: ${smc_exists} = 'no'");  // why it scored
    }
  }
  EXPECT_TRUE(listed);
  // Unknown whether there is a committee: the share is not answered.
  risk = index.Score(WorkedExample().With("smc_exists", "unknown").values());
  EXPECT_EQ(risk.domains[2].points, 2);
  EXPECT_EQ(risk.domains[2].max_points, 3);
}

TEST(RiskIndexTest, SelectMultipleSumsUpToItsCapAndNoneScoresZero) {
  RiskIndex index = DefaultIndex();
  const int unsafe = IndexOf("unsafe_areas");
  auto security = [&](const std::string& answer) {
    return index.Score(WorkedExample().With("unsafe_areas", answer).values()).domains[1];
  };
  EXPECT_EQ(security("latrines bathing_areas water_points market whole_site_at_night").points,
            7);  // 4 + 3 (capped), not 4 + 5
  EXPECT_EQ(security("none").points, 4);
  EXPECT_EQ(security("none").max_points, 13);  // answered, with 0 points
  EXPECT_EQ(security("").max_points, 10);      // not answered
  EXPECT_EQ(security("latrines").points, 5);
  SiteRisk risk = index.Score(WorkedExample().With("unsafe_areas", "market latrines").values());
  for (const RiskItem& item : risk.top_items) {
    if (item.indicator == unsafe) {
      EXPECT_EQ(item.answer, "market latrines");
    }
  }
}

TEST(RiskIndexTest, NumbersScoreByTheRangeHoldingThem) {
  RiskIndex index = DefaultIndex();
  auto services = [&](const std::string& answer) {
    return index.Score(WorkedExample().With("women_friendly_spaces", answer).values()).domains[3];
  };
  EXPECT_EQ(services("0").points, 7);
  EXPECT_EQ(services("3").points, 5);
  EXPECT_EQ(services("3").max_points, 9);
  EXPECT_EQ(services("").max_points, 7);     // blank: not answered
  EXPECT_EQ(services("0.5").max_points, 7);  // in no range: not answered
}

TEST(RiskIndexTest, LowCoverageOrAnEmptyDomainIsInsufficientData) {
  RiskIndex index = DefaultIndex();
  // Participation wholly unknown: a domain without answers.
  SiteRisk risk = index.Score(WorkedExample()
                                  .With("smc_exists", "unknown")
                                  .With("women_committee", "unknown")
                                  .With("women_in_distributions", "unknown")
                                  .values());
  EXPECT_EQ(risk.domains[2].score, std::nullopt);
  EXPECT_EQ(risk.band, RiskBand::kInsufficientData);
  EXPECT_TRUE(risk.score.has_value());  // still shown, flagged by the band
  EXPECT_GE(risk.coverage, 0.6);

  // Coverage below 0.6: 24 of 46 points answered.
  Answers sparse = WorkedExample()
                       .With("lighting", "unknown")
                       .With("private_living_area", "")
                       .With("security_provider", "")
                       .With("unsafe_areas", "")
                       .With("gbv_referral_mechanism", "unknown")
                       .With("women_committee", "");
  risk = index.Score(sparse.values());
  EXPECT_EQ(risk.max_points, 24);
  EXPECT_LT(risk.coverage, 0.6);
  EXPECT_EQ(risk.band, RiskBand::kInsufficientData);
  for (const DomainScore& domain : risk.domains) EXPECT_TRUE(domain.score.has_value());

  // Nothing answered at all.
  risk = index.Score({});
  EXPECT_EQ(risk.score, std::nullopt);
  EXPECT_EQ(risk.coverage, 0);
  EXPECT_EQ(risk.band, RiskBand::kInsufficientData);
  EXPECT_THAT(risk.top_items, IsEmpty());
}

TEST(RiskIndexTest, ADictionaryWithoutScoredItemsHasNoIndex) {
  // The small test dictionary without its scored items.
  std::string yaml = dictionary::testing::SmallDictionaryYaml();
  const std::string lighting_risk =
      "    risk: {domain: layout, points: {adequate: 0, inadequate: 2, none: 3}}\n";
  ASSERT_NE(yaml.find(lighting_risk), std::string::npos);
  yaml.erase(yaml.find(lighting_risk), lighting_risk.size());
  const size_t committee_risk = yaml.find("    risk:\n      domain: participation");
  ASSERT_NE(committee_risk, std::string::npos);
  yaml.erase(committee_risk, yaml.find("  - name: documentation") - committee_risk);
  // gbv_risk indicators must be scored: these become protection ones.
  for (size_t at = yaml.find("module: gbv_risk"); at != std::string::npos;
       at = yaml.find("module: gbv_risk")) {
    yaml.replace(at, 16, "module: protection");
  }
  Result<dictionary::Dictionary> plain = dictionary::LoadDictionaryText(yaml, "plain.yaml");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  Result<RiskIndex> index = RiskIndex::Create(*plain);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kFailedPrecondition);

  // With them: two items, and the committee scored when there is none.
  Result<dictionary::Dictionary> small =
      dictionary::LoadDictionaryText(dictionary::testing::SmallDictionaryYaml(), "small.yaml");
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  Result<RiskIndex> scored = RiskIndex::Create(*small);
  ASSERT_TRUE(scored.ok()) << scored.status().ToString();
  EXPECT_EQ(scored->total_max_points(), 5);
  std::vector<std::string_view> values(small->indicators().size());
  values[2] = "inadequate";  // lighting
  values[3] = "no";          // smc_exists
  SiteRisk risk = scored->Score(values);
  EXPECT_EQ(risk.points, 4);
  EXPECT_EQ(risk.max_points, 5);
  EXPECT_THAT(risk.score, Optional(80.0));
  // Two of the four domains have no item at all: no band.
  EXPECT_EQ(risk.band, RiskBand::kInsufficientData);
}

class RiskFrameTest : public testing::StoredOperationTest {};

// Pseudo-random answers to every scored item and to what their conditions
// read: every choice, blanks, unknowns, selections of several choices,
// numbers in and out of the ranges.
std::map<std::string, std::string> VariedAnswers(uint64_t seed) {
  uint64_t state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  std::map<std::string, std::string> answers;
  std::vector<std::string> asked;
  for (const dictionary::Indicator* indicator : Default().ScoredIndicators()) {
    asked.push_back(indicator->name);
  }
  asked.push_back("smc_exists");
  asked.push_back("sma_exists");
  for (const std::string& name : asked) {
    const dictionary::Indicator* indicator = Default().FindIndicator(name);
    if (indicator == nullptr || next(7) == 0) continue;  // blank now and then
    const dictionary::ChoiceList* list = Default().ListOf(*indicator);
    // Some sites answer mostly with the choices that score nothing, so that
    // every band is reached.
    const bool calm_answer = next(4) < seed % 4;
    const dictionary::RiskMapping* risk = indicator->risk ? &*indicator->risk : nullptr;
    if (calm_answer && risk != nullptr && indicator->type == dictionary::ValueType::kSelectOne) {
      for (const auto& [choice, points] : risk->points) {
        if (points == 0) answers[name] = choice;
      }
      if (answers.contains(name)) continue;
    }
    if (indicator->type == dictionary::ValueType::kSelectOne && list != nullptr) {
      answers[name] = list->choices[next(list->choices.size())].name;
    } else if (indicator->type == dictionary::ValueType::kSelectMultiple && list != nullptr) {
      std::string selection;
      for (const dictionary::Choice& choice : list->choices) {
        if (next(3) != 0) continue;
        if (!selection.empty()) selection += ' ';
        selection += choice.name;
      }
      if (!selection.empty()) answers[name] = selection;
    } else {
      answers[name] = std::to_string(next(6));
    }
  }
  return answers;
}

TEST_F(RiskFrameTest, TypedColumnsScoreAsTheTextDoes) {
  SiteAnswers sites;
  for (int site = 0; site < 600; ++site) {
    sites.emplace_back("S" + std::to_string(1000 + site), VariedAnswers(site));
  }
  sites.emplace_back("S9999", std::map<std::string, std::string>());  // nothing answered
  Ingest(1, store::AssessmentType::kSiteAssessment, sites);
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 1);
  ASSERT_TRUE(frames.ok() && frames->size() == 1);
  const Frame& frame = (*frames)[0];
  ASSERT_EQ(frame.rows(), sites.size());
  const RiskIndex index = DefaultIndex();

  Result<FrameRisk> typed = index.ScoreFrame(frame, 20000);
  ASSERT_TRUE(typed.ok()) << typed.status().ToString();
  ASSERT_EQ(typed->rows(), frame.rows());
  std::array<int, 5> per_band = {};
  int with_condition_points = 0;
  for (size_t row = 0; row < frame.rows(); ++row) {
    const std::vector<std::string> texts = RowText(frame, Default(), row);
    const std::vector<std::string_view> views(texts.begin(), texts.end());
    const SiteRisk want = index.Score(views, 20000);
    Result<SiteRisk> got = index.ScoreRow(frame, row, 20000);
    ASSERT_TRUE(got.ok());
    SCOPED_TRACE("site " + frame.site_ids[row]);
    // ScoreRow, from the typed columns, in full.
    EXPECT_EQ(got->score, want.score);
    EXPECT_EQ(got->band, want.band);
    EXPECT_EQ(got->coverage, want.coverage);
    EXPECT_EQ(got->points, want.points);
    EXPECT_EQ(got->max_points, want.max_points);
    for (size_t domain = 0; domain < want.domains.size(); ++domain) {
      EXPECT_EQ(got->domains[domain].points, want.domains[domain].points);
      EXPECT_EQ(got->domains[domain].max_points, want.domains[domain].max_points);
      EXPECT_EQ(got->domains[domain].score, want.domains[domain].score);
    }
    ASSERT_EQ(got->top_items.size(), want.top_items.size());
    for (size_t item = 0; item < want.top_items.size(); ++item) {
      EXPECT_EQ(got->top_items[item].indicator, want.top_items[item].indicator);
      EXPECT_EQ(got->top_items[item].answer, want.top_items[item].answer);
      EXPECT_EQ(got->top_items[item].points, want.top_items[item].points);
      if (want.top_items[item].answer.starts_with("not asked")) ++with_condition_points;
    }
    // ScoreFrame, column by column.
    EXPECT_EQ(typed->Score(row), want.score);
    EXPECT_EQ(typed->band[row], want.band);
    EXPECT_EQ(typed->Coverage(row), want.coverage);
    for (size_t domain = 0; domain < want.domains.size(); ++domain) {
      EXPECT_EQ(typed->DomainScore(domain, row), want.domains[domain].score) << domain;
    }
    for (size_t slot = 0; slot < kTopItems; ++slot) {
      const size_t at = row * kTopItems + slot;
      if (slot < want.top_items.size()) {
        EXPECT_EQ(typed->top_indicator[at], want.top_items[slot].indicator);
        EXPECT_EQ(typed->top_points[at], want.top_items[slot].points);
      } else {
        EXPECT_EQ(typed->top_indicator[at], -1);
      }
    }
    ++per_band[static_cast<size_t>(want.band)];
  }
  // The fixture reaches every band and the scored "not relevant" case.
  for (int count : per_band) EXPECT_GT(count, 0) << ::testing::PrintToString(per_band);
  EXPECT_GT(with_condition_points, 0);

  // On several threads, the same.
  Result<FrameRisk> threaded = index.ScoreFrame(frame, 20000, 3);
  ASSERT_TRUE(threaded.ok());
  for (size_t row = 0; row < frame.rows(); ++row) {
    EXPECT_EQ(threaded->Score(row), typed->Score(row));
    EXPECT_EQ(threaded->band[row], typed->band[row]);
  }
  EXPECT_EQ(threaded->top_indicator, typed->top_indicator);
  EXPECT_EQ(threaded->top_points, typed->top_points);
}

TEST_F(RiskFrameTest, TheWorkedExampleFromTheStore) {
  std::map<std::string, std::string> answers = {
      {"lighting", "none"}, {"latrines_sex_separated", "no"}, {"bathing_sex_separated", "yes"},
      {"wash_lockable", "unknown"}, {"water_location", "off_site_lt20"},
      {"private_living_area", "lt50"}, {"security_on_site", "yes"},
      {"security_provider", "police"}, {"incidents_reported", "yes"},
      {"women_feel_safe", "no"}, {"children_feel_safe", "yes"},
      {"unsafe_areas", "latrines water_points"}, {"female_security_staff", "unknown"},
      {"smc_exists", "yes"}, {"smc_women_pct", "lt25"}, {"women_committee", "no"},
      {"women_in_distributions", "yes"}, {"gbv_referral_mechanism", "no"},
      {"women_friendly_spaces", "0"}, {"cmr_available", "unknown"},
      {"women_know_gbv_services", "partly"}, {"psea_awareness", "yes"},
      {"complaints_mechanism", "no"}};
  Ingest(1, store::AssessmentType::kSiteAssessment, {{"S1", answers}});
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 1);
  ASSERT_TRUE(frames.ok() && frames->size() == 1);
  Result<SiteRisk> risk = DefaultIndex().ScoreRow((*frames)[0], 0);
  ASSERT_TRUE(risk.ok()) << risk.status().ToString();
  EXPECT_THAT(risk->score, Optional(DoubleNear(62.5, 1e-12)));
  EXPECT_EQ(risk->band, RiskBand::kVeryHigh);
  EXPECT_THAT(risk->coverage, DoubleNear(40.0 / 46.0, 1e-12));
  ASSERT_FALSE(risk->top_items.empty());
  EXPECT_EQ(risk->top_items[0].answer, "none");  // lighting, 3 points, first in order
  EXPECT_EQ(risk->top_items[0].points, 3);
}

TEST_F(RiskFrameTest, RefusesRowsBeyondTheFrameAndForeignFrames) {
  Ingest(1, store::AssessmentType::kSiteAssessment, {{"S1", ScoredAnswers(true)}});
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 1);
  ASSERT_TRUE(frames.ok() && frames->size() == 1);
  const RiskIndex index = DefaultIndex();
  Result<SiteRisk> beyond = index.ScoreRow((*frames)[0], 1);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.status().code(), StatusCode::kInvalidArgument);
  Frame foreign = (*frames)[0];
  foreign.columns.pop_back();
  Result<FrameRisk> scored = index.ScoreFrame(foreign);
  ASSERT_FALSE(scored.ok());
  EXPECT_THAT(scored.status().message(), ::testing::HasSubstr("another dictionary"));
}

TEST(RiskIndexTest, TheDictionaryBandsAreTheDefault) {
  std::string yaml = dictionary::testing::SmallDictionaryYaml();
  Result<dictionary::Dictionary> plain = dictionary::LoadDictionaryText(yaml, "small.yaml");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  Result<RiskIndex> defaults = RiskIndex::Create(*plain);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->bands().very_high, 38.3);
  Result<dictionary::Dictionary> own = dictionary::LoadDictionaryText(
      yaml + "risk_bands: {very_high: 50, high: 40, medium: 10, min_coverage: 0.5}\n", "own.yaml");
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  Result<RiskIndex> index = RiskIndex::Create(*own);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->bands().very_high, 50);
  EXPECT_EQ(index->bands().high, 40);
  EXPECT_EQ(index->bands().medium, 10);
  EXPECT_EQ(index->bands().min_coverage, 0.5);
  // The bands given explicitly win over the dictionary's.
  Result<RiskIndex> given = RiskIndex::Create(*own, RiskBands());
  ASSERT_TRUE(given.ok());
  EXPECT_EQ(given->bands().very_high, 38.3);
}

TEST(RiskIndexTest, TheNoteSaysItIsNotPrevalence) {
  EXPECT_NE(kRiskNote.find("risk factors"), std::string_view::npos);
  EXPECT_NE(kRiskNote.find("not measure the prevalence of violence"), std::string_view::npos);
}

}  // namespace
}  // namespace opendtm::analysis
