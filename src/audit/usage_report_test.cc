#include "audit/usage_report.h"

#include <gtest/gtest.h>

#include <vector>

namespace opendtm::audit {
namespace {

store::AuditRecord Record(std::string user, std::string organisation, std::string clusters,
                          std::string tier, std::string dataset, std::string outcome, int64_t rows,
                          std::string time) {
  store::AuditRecord record;
  record.user = std::move(user);
  record.organisation = std::move(organisation);
  record.clusters = std::move(clusters);
  record.tier = std::move(tier);
  record.dataset = std::move(dataset);
  record.outcome = std::move(outcome);
  record.rows = rows;
  record.time = std::move(time);
  return record;
}

std::vector<store::AuditRecord> Log() {
  return {Record("amina", "GBV AoR", "gbv,protection", "protection", "export", "allowed", 40,
                 "2026-06-01T10:00:00Z"),
          Record("amina", "GBV AoR", "gbv,protection", "protection", "rollup", "allowed", 12,
                 "2026-06-02T10:00:00Z"),
          Record("jo", "CCCM Partner", "cccm", "partner", "export", "allowed", 100,
                 "2026-06-03T10:00:00Z"),
          Record("jo", "CCCM Partner", "cccm", "partner", "export", "refused", 0,
                 "2026-06-04T10:00:00Z"),
          Record("mallory", "", "", "", "export", "refused", 0, "2026-06-05T10:00:00Z")};
}

TEST(UsageReportTest, ByClusterCountsARecordUnderEachOfItsClusters) {
  std::vector<UsageLine> report = UsageReport(Log(), UsageGrouping::kCluster);
  ASSERT_EQ(report.size(), 4u);
  EXPECT_EQ(report[0].key, "(none)");
  EXPECT_EQ(report[0].refused, 1);
  EXPECT_EQ(report[1].key, "cccm");
  EXPECT_EQ(report[1].reads, 1);
  EXPECT_EQ(report[1].downloads, 1);
  EXPECT_EQ(report[1].refused, 1);
  EXPECT_EQ(report[1].rows, 100);
  EXPECT_EQ(report[2].key, "gbv");
  EXPECT_EQ(report[2].reads, 2);
  EXPECT_EQ(report[2].downloads, 1);
  EXPECT_EQ(report[2].rows, 52);
  EXPECT_EQ(report[2].first, "2026-06-01T10:00:00Z");
  EXPECT_EQ(report[2].last, "2026-06-02T10:00:00Z");
  EXPECT_EQ(report[3].key, "protection");
  EXPECT_EQ(report[3].reads, 2);
}

TEST(UsageReportTest, OtherGroupingsCountEachRecordOnce) {
  for (UsageGrouping grouping :
       {UsageGrouping::kOrganisation, UsageGrouping::kDataset, UsageGrouping::kTier}) {
    int64_t total = 0;
    for (const UsageLine& line : UsageReport(Log(), grouping)) total += line.reads + line.refused;
    EXPECT_EQ(total, 5) << UsageGroupingName(grouping);
  }
  std::vector<UsageLine> by_dataset = UsageReport(Log(), UsageGrouping::kDataset);
  ASSERT_EQ(by_dataset.size(), 2u);
  EXPECT_EQ(by_dataset[0].key, "export");
  EXPECT_EQ(by_dataset[0].reads, 2);
  EXPECT_EQ(by_dataset[0].refused, 2);
  EXPECT_EQ(by_dataset[0].users, 3);
}

TEST(UsageReportTest, GroupingNamesRoundTrip) {
  for (UsageGrouping grouping : {UsageGrouping::kCluster, UsageGrouping::kOrganisation,
                                 UsageGrouping::kDataset, UsageGrouping::kTier}) {
    EXPECT_EQ(ParseUsageGrouping(UsageGroupingName(grouping)), grouping);
  }
  EXPECT_FALSE(ParseUsageGrouping("site").has_value());
}

}  // namespace
}  // namespace opendtm::audit
