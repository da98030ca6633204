#include "ingest/batch_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "dictionary/loader.h"
#include "dictionary/testing.h"

namespace opendtm::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using dictionary::testing::DefaultDictionary;

int IndexOf(std::string_view name) {
  const auto& indicators = DefaultDictionary().indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    if (indicators[indicator_idx].name == name) return static_cast<int>(indicator_idx);
  }
  ADD_FAILURE() << "no indicator " << name;
  return 0;
}

// A validated, accepted row as SiteValidator leaves it.
RowOutcome Outcome(int64_t line, std::string site_id, std::string ind_total,
                   std::string adm1 = "NP03", std::string round = "2",
                   std::string hh_total = "") {
  RowOutcome outcome;
  outcome.line = line;
  outcome.site_id = site_id;
  outcome.cleaned.assign(DefaultDictionary().indicators().size(), "");
  outcome.cleaned[IndexOf("site_id")] = std::move(site_id);
  outcome.cleaned[IndexOf("ind_total")] = std::move(ind_total);
  outcome.cleaned[IndexOf("hh_total")] = std::move(hh_total);
  outcome.cleaned[IndexOf("adm1_pcode")] = std::move(adm1);
  outcome.cleaned[IndexOf("round")] = std::move(round);
  return outcome;
}

std::vector<std::string> Rules(const RowOutcome& outcome) {
  std::vector<std::string> out;
  for (const Finding& finding : outcome.findings) out.push_back(finding.rule);
  return out;
}

BatchContext Context() {
  BatchContext context;
  context.file = "round2.csv";
  context.columns.assign(DefaultDictionary().indicators().size(), "");
  context.columns[IndexOf("site_id")] = "SSID";
  context.columns[IndexOf("ind_total")] = "Individuals";
  return context;
}

// --- site_duplicate ---------------------------------------------------------------

TEST(BatchChecksTest, SecondRowOfASiteIsQuarantined) {
  std::vector<RowOutcome> rows = {Outcome(4, "S1", "10"), Outcome(5, "S2", "10"),
                                  Outcome(6, "S1", "12"), Outcome(7, "S1", "13")};
  CheckBatch(DefaultDictionary(), Context(), rows);
  EXPECT_FALSE(rows[0].quarantined);
  EXPECT_FALSE(rows[1].quarantined);
  for (size_t row_idx : {2u, 3u}) {
    ASSERT_TRUE(rows[row_idx].quarantined);
    const Finding& finding = rows[row_idx].findings[rows[row_idx].quarantine_finding];
    EXPECT_EQ(finding.rule, "site_duplicate");
    EXPECT_EQ(finding.severity, Severity::kError);
    EXPECT_EQ(finding.column, "SSID");
    EXPECT_EQ(finding.value, "S1");
    EXPECT_EQ(finding.row, rows[row_idx].line);
  }
}

TEST(BatchChecksTest, DifferentRoundsInOneFileAreNotDuplicates) {
  std::vector<RowOutcome> rows = {Outcome(4, "S1", "10", "NP03", "1"),
                                  Outcome(5, "S1", "10", "NP03", "2")};
  CheckBatch(DefaultDictionary(), Context(), rows);
  EXPECT_THAT(rows[0].findings, IsEmpty());
  EXPECT_THAT(rows[1].findings, IsEmpty());
}

TEST(BatchChecksTest, ASiteAlreadyStoredForTheRoundIsADuplicate) {
  BatchContext context = Context();
  context.stored_site_ids = {"S1"};
  std::vector<RowOutcome> rows = {Outcome(4, "S1", "10"), Outcome(5, "S2", "10")};
  CheckBatch(DefaultDictionary(), context, rows);
  ASSERT_TRUE(rows[0].quarantined);
  EXPECT_THAT(Rules(rows[0]), ElementsAre("site_duplicate"));
  EXPECT_FALSE(rows[1].quarantined);
}

TEST(BatchChecksTest, QuarantinedRowsDoNotClaimTheirSite) {
  std::vector<RowOutcome> rows = {Outcome(4, "S1", "10"), Outcome(5, "S1", "10")};
  rows[0].AddFinding(Finding{}, /*quarantines=*/true);
  CheckBatch(DefaultDictionary(), Context(), rows);
  EXPECT_EQ(rows[0].findings.size(), 1u);
  EXPECT_FALSE(rows[1].quarantined);
  EXPECT_THAT(rows[1].findings, IsEmpty());
}

// --- population_change ---------------------------------------------------------------

TEST(BatchChecksTest, PopulationChangeSinceThePreviousRound) {
  BatchContext context = Context();
  context.previous_ind_total = {{"S1", 100}, {"S2", 100}, {"S3", 100}, {"S4", 30}, {"S5", 100}};
  std::vector<RowOutcome> rows = {
      Outcome(4, "S1", "200"),  // doubled, +100
      Outcome(5, "S2", "50"),   // halved, -50
      Outcome(6, "S3", "199"),  // less than double
      Outcome(7, "S4", "70"),   // more than double, but only +40 people
      Outcome(8, "S5", ""),     // no figure this round
      Outcome(9, "S6", "150"),  // no previous round
  };
  CheckBatch(DefaultDictionary(), context, rows);
  ASSERT_THAT(Rules(rows[0]), ElementsAre("population_change"));
  EXPECT_EQ(rows[0].findings[0].severity, Severity::kWarning);
  EXPECT_EQ(rows[0].findings[0].column, "Individuals");
  EXPECT_FALSE(rows[0].quarantined);
  EXPECT_THAT(Rules(rows[1]), ElementsAre("population_change"));
  for (size_t row_idx = 2; row_idx < rows.size(); ++row_idx) {
    EXPECT_THAT(rows[row_idx].findings, IsEmpty()) << row_idx;
  }
}

// --- outlier_mad -------------------------------------------------------------------

TEST(BatchChecksTest, OutlierByModifiedZScorePerAdmin1) {
  // NP03: 100 102 98 101 99 and 1000; NP04: the same figures spread widely.
  std::vector<RowOutcome> rows;
  int64_t line = 4;
  for (std::string value : {"100", "102", "98", "101", "99", "1000"}) {
    rows.push_back(Outcome(line, "A" + std::to_string(line), value, "NP03"));
    ++line;
  }
  for (std::string value : {"100", "400", "900", "1000", "30", "2000"}) {
    rows.push_back(Outcome(line, "B" + std::to_string(line), value, "NP04"));
    ++line;
  }
  CheckBatch(DefaultDictionary(), Context(), rows);
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    if (row_idx == 5) {
      ASSERT_THAT(Rules(rows[row_idx]), ElementsAre("outlier_mad"));
      const Finding& finding = rows[row_idx].findings[0];
      EXPECT_EQ(finding.severity, Severity::kWarning);
      EXPECT_EQ(finding.indicator, "ind_total");
      EXPECT_EQ(finding.row, 9);
      EXPECT_EQ(finding.value, "1000");
      EXPECT_FALSE(rows[row_idx].quarantined);
    } else {
      EXPECT_THAT(rows[row_idx].findings, IsEmpty()) << row_idx;
    }
  }
}

TEST(BatchChecksTest, OutlierSkipsSmallGroupsAndZeroMad) {
  std::vector<RowOutcome> rows;
  int64_t line = 4;
  for (std::string value : {"100", "101", "99", "5000"}) {  // 4 sites: too few
    rows.push_back(Outcome(line, "A" + std::to_string(line), value, "NP03"));
    ++line;
  }
  for (std::string value : {"50", "50", "50", "50", "50", "900"}) {  // MAD 0
    rows.push_back(Outcome(line, "B" + std::to_string(line), value, "NP04"));
    ++line;
  }
  CheckBatch(DefaultDictionary(), Context(), rows);
  for (const RowOutcome& outcome : rows) EXPECT_THAT(outcome.findings, IsEmpty());
}

TEST(BatchChecksTest, OutlierChecksHouseholdsAndStreamsFindingsByOrdinal) {
  BatchChecker checker(DefaultDictionary(), Context());
  std::vector<RowOutcome> rows;
  int64_t line = 10;
  for (std::string households : {"20", "21", "19", "20", "22", "18", "400"}) {
    rows.push_back(Outcome(line, "H" + std::to_string(line), "", "", "2", households));
    ++line;
  }
  for (RowOutcome& outcome : rows) checker.Check(outcome);
  std::vector<BatchFinding> findings = checker.Finish();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].row_ordinal, 6u);
  EXPECT_EQ(findings[0].finding.indicator, "hh_total");
  EXPECT_EQ(findings[0].finding.row, 16);
  EXPECT_EQ(findings[0].finding.rule, "outlier_mad");
}

}  // namespace
}  // namespace opendtm::ingest
