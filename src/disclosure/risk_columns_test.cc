#include "disclosure/risk_columns.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "analysis/testing.h"
#include "disclosure/release_builder.h"
#include "disclosure/testing.h"

namespace opendtm::disclosure {
namespace {

using analysis::Level;
using testing::At;
using testing::CellOf;
using testing::Default;
using testing::FindRow;
using testing::FrameBuilder;
using testing::Values;
using testing::With;

// Every scored item at its worst (very high risk) or best.
const auto Scored = analysis::testing::ScoredAnswers;

// Admin2 A: three sites at very high risk and one at lower risk; admin2 B:
// one very-high site alone.
analysis::Frame Sites() {
  FrameBuilder builder;
  for (const char* id : {"A1", "A2", "A3"}) {
    builder.Site(id, With(At("NG001", "NG001001", "NG001001001"), Scored(true)));
  }
  builder.Site("A4", With(At("NG001", "NG001001", "NG001001002"), Scored(false)));
  builder.Site("B1", With(At("NG001", "NG001002", "NG001002001"), Scored(true)));
  return builder.frame();
}

Result<Release> Build(Tier tier, std::vector<Level> levels) {
  Result<analysis::RiskIndex> index = analysis::RiskIndex::Create(Default());
  if (!index.ok()) return index.status();
  ASSIGN_OR_RETURN(FramesWithRisk with_risk,
                   WithRiskColumns(Default(), {Sites()}, *index, /*today_days=*/0));
  ReleaseRequest request;
  request.tier = tier;
  request.policy = DefaultPolicy();
  request.levels = std::move(levels);
  request.operation = "demo-nga";
  request.country = "NGA";
  return BuildRelease(with_risk.frames, with_risk.dictionary, request);
}

TEST(RiskColumnsTest, AddsTheBandAndScoreOfEachSiteAsSensitiveIndicators) {
  Result<analysis::RiskIndex> index = analysis::RiskIndex::Create(Default());
  ASSERT_TRUE(index.ok());
  Result<FramesWithRisk> with_risk = WithRiskColumns(Default(), {Sites()}, *index, 0);
  ASSERT_TRUE(with_risk.ok()) << with_risk.status().ToString();
  const dictionary::Dictionary& dictionary = with_risk->dictionary;
  ASSERT_EQ(dictionary.indicators().size(), Default().indicators().size() + 2);
  const dictionary::Indicator* band = dictionary.FindIndicator(kRiskBandIndicator);
  ASSERT_NE(band, nullptr);
  EXPECT_EQ(band->dissemination_class, dictionary::DisseminationClass::kSensitive);
  EXPECT_EQ(dictionary.FindIndicator(kRiskScoreIndicator)->dissemination_class,
            dictionary::DisseminationClass::kSensitive);
  const analysis::Frame& frame = with_risk->frames[0];
  ASSERT_EQ(frame.columns.size(), dictionary.indicators().size());
  Result<analysis::FrameRisk> risk = index->ScoreFrame(Sites(), 0);
  ASSERT_TRUE(risk.ok());
  const analysis::Column& bands = frame.columns[dictionary.IndexOf(kRiskBandIndicator)];
  const analysis::Column& scores = frame.columns[dictionary.IndexOf(kRiskScoreIndicator)];
  for (size_t row = 0; row < frame.rows(); ++row) {
    EXPECT_EQ(dictionary.ListOf(*band)->choices[bands.choices[row]].name,
              analysis::RiskBandName(risk->band[row]));
    EXPECT_NEAR(scores.numbers[row], *risk->Score(row), 0.05);
    EXPECT_DOUBLE_EQ(scores.numbers[row] * 10, std::round(scores.numbers[row] * 10));
  }
  EXPECT_EQ(analysis::RiskBandName(risk->band[0]), "very_high");
  EXPECT_EQ(analysis::RiskBandName(risk->band[3]), "lower");
  // Twice is refused: the names are taken.
  EXPECT_FALSE(WithRiskColumns(dictionary, {}, *index, 0).ok());
}

TEST(RiskColumnsTest, ProtectionSeesEachSiteBandPartnerOnlySuppressedCountsByArea) {
  Result<Release> protection = Build(Tier::kProtection, {Level::kSite, Level::kAdmin2});
  ASSERT_TRUE(protection.ok()) << protection.status().ToString();
  EXPECT_EQ(CellOf(*protection, *FindRow(*protection, Level::kSite, "A1"), kRiskBandIndicator).text,
            "very_high");
  EXPECT_EQ(CellOf(*protection, *FindRow(*protection, Level::kSite, "A4"), kRiskBandIndicator).text,
            "lower");
  const ReleaseRow* a = FindRow(*protection, Level::kAdmin2, "NG001001");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(CellOf(*protection, *a, "gbv_risk_band=very_high").integer, 3);

  Result<Release> partner = Build(Tier::kPartner, {Level::kSite, Level::kAdmin2});
  ASSERT_TRUE(partner.ok()) << partner.status().ToString();
  for (const ReleaseColumn& column : partner->columns) {
    if (column.on_sites) {
      EXPECT_EQ(column.indicator.find("gbv_risk"), std::string::npos) << column.name;
    }
  }
  // Admin2 B's one site is under k_sites: its count of very-high sites is
  // suppressed, and so is A's (the admin1 total minus A would give B away);
  // A's counts of bands nobody is in stay published as true zeros.
  const ReleaseRow* a_partner = FindRow(*partner, Level::kAdmin2, "NG001001");
  const ReleaseRow* b_partner = FindRow(*partner, Level::kAdmin2, "NG001002");
  ASSERT_NE(a_partner, nullptr);
  ASSERT_NE(b_partner, nullptr);
  const ReleaseCell& complement = CellOf(*partner, *a_partner, "gbv_risk_band=very_high");
  EXPECT_EQ(complement.state, CellState::kSuppressed);
  EXPECT_EQ(complement.reason, SuppressionReason::kComplementary);
  // A's count of a band nobody is in is 0 where published (protection
  // intervals may take it as a further complement: B's lone site must keep
  // a range of 0 to 1 against the limit of A's answers to A's sites).
  if (CellOf(*partner, *a_partner, "gbv_risk_band=high").state == CellState::kValue) {
    EXPECT_EQ(CellOf(*partner, *a_partner, "gbv_risk_band=high").integer, 0);
  }
  const ReleaseRow* admin1 = FindRow(*partner, Level::kAdmin1, "NG001");
  ASSERT_EQ(admin1, nullptr);  // not asked
  Result<Release> partner_admin1 = Build(Tier::kPartner, {Level::kAdmin1});
  ASSERT_TRUE(partner_admin1.ok());
  const ReleaseCell& total =
      CellOf(*partner_admin1, *FindRow(*partner_admin1, Level::kAdmin1, "NG001"),
             "gbv_risk_band=very_high");
  EXPECT_NE(total.state, CellState::kBlank);
  if (total.state == CellState::kValue) {
    EXPECT_EQ(total.integer, 4);
  }
  const ReleaseCell& lone = CellOf(*partner, *b_partner, "gbv_risk_band=very_high");
  EXPECT_EQ(lone.state, CellState::kSuppressed);
  EXPECT_EQ(lone.reason, SuppressionReason::kSmallCell);
  EXPECT_EQ(lone.integer, 0);
}

}  // namespace
}  // namespace opendtm::disclosure
