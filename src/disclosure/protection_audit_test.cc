#include "disclosure/protection_audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "disclosure/internal/protection_lp.h"

namespace opendtm::disclosure {
namespace {

Figure Count(int64_t value, SuppressionReason reason = SuppressionReason::kNone,
             int64_t ceiling = kUnbounded) {
  Figure figure;
  figure.value = value;
  figure.reason = reason;
  figure.ceiling = ceiling;
  figure.upper_bound = ceiling;
  return figure;
}

TEST(ProtectionLpTest, SmallestAndLargestOfAVariable) {
  // x + y = 10, 0 <= x <= 4, 0 <= y.
  std::vector<double> lower{0, 0}, upper{4, internal::kInfinity};
  std::vector<internal::LinearRow> rows{{{{0, 1.0}, {1, 1.0}}, 10, 10}};
  Result<internal::ProtectionLp> lp = internal::ProtectionLp::Create(lower, upper, rows);
  ASSERT_TRUE(lp.ok()) << lp.status().ToString();
  Result<internal::LpOptimum> high = lp->Optimize(1, true);
  ASSERT_TRUE(high.ok());
  EXPECT_NEAR(high->value, 10, 1e-9);
  Result<internal::LpOptimum> low = lp->Optimize(1, false);
  ASSERT_TRUE(low.ok());
  EXPECT_NEAR(low->value, 6, 1e-9);
  Result<internal::LpOptimum> unbounded =
      internal::ProtectionLp::Create(std::vector<double>{0},
                                     std::vector<double>{internal::kInfinity}, {})
          ->Optimize(0, true);
  ASSERT_TRUE(unbounded.ok());
  EXPECT_EQ(unbounded->value, internal::kInfinity);
  EXPECT_FALSE(internal::ProtectionLp::Create(lower, upper,
                                              std::vector<internal::LinearRow>{{{{5, 1.0}}, 0, 0}})
                   .ok());
}

TEST(ProtectionAuditTest, TwoSuppressedPartsOfAPublishedTotalHoldTheirIntervals) {
  // total 10 = a 3 (small) + b 7 (complement): a ranges over 0..10.
  std::vector<Figure> figures{Count(10), Count(3, SuppressionReason::kSmallCell),
                              Count(7, SuppressionReason::kComplementary)};
  std::vector<Relation> relations{{0, {1, 2}}};
  Result<ProtectionAuditReport> report = AuditProtection(figures, relations, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->protected_cells, 1);
  EXPECT_THAT(report->violations, ::testing::IsEmpty());
}

// The demo case of issue 13: counts of a single-choice answer pinned by
// the limit "answers add up to at most the area's sites" although no sum
// gives them away.
TEST(ProtectionAuditTest, ALimitOnAnswersPinsACountThatSumsDoNot) {
  // An area of 4 sites: yes 1 (small), no 3 published, and the admin above
  // publishes yes = 2 of its 5 sites with a sibling's yes suppressed (1).
  std::vector<Figure> figures{
      Count(1, SuppressionReason::kSmallCell, 4),      // 0: yes, area A
      Count(3, SuppressionReason::kNone, 4),           // 1: no, area A
      Count(2, SuppressionReason::kNone, 5),           // 2: yes, parent
      Count(1, SuppressionReason::kComplementary, 1),  // 3: yes, area B (1 site)
  };
  std::vector<Relation> relations{{2, {0, 3}}};
  std::vector<Limit> limits{{{0, 1}, 4}};
  Result<ProtectionAuditReport> report = AuditProtection(figures, relations, limits);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // yes_A <= 4 - 3 = 1 and yes_A = 2 - yes_B >= 1: pinned at 1.
  ASSERT_EQ(report->violations.size(), 1u);
  const ProtectionViolation& violation = report->violations[0];
  EXPECT_EQ(violation.figure, 0u);
  EXPECT_EQ(violation.min, 1);
  EXPECT_EQ(violation.max, 1);
  EXPECT_FALSE(violation.below_holds);
  EXPECT_FALSE(violation.above_holds);

  // SuppressProtected fixes it with further complements (the published no).
  TierRules rules;
  figures[0].reason = SuppressionReason::kSmallCell;
  figures[0].sites = 1;
  figures[0].sites_rule = true;
  for (Figure& figure : figures) figure.sites = figure.sites == 0 ? 4 : figure.sites;
  Result<SuppressionCounts> counts = SuppressProtected(figures, relations, limits, rules);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->unprotected, 0);
  Result<ProtectionAuditReport> after = AuditProtection(figures, relations, limits);
  ASSERT_TRUE(after.ok());
  EXPECT_THAT(after->violations, ::testing::IsEmpty());
}

TEST(ProtectionAuditTest, ExemptFiguresAreNeverSuppressed) {
  // total 10 (exempt) = a 3 (small) + b 7: b must go, the total never.
  std::vector<Figure> figures{Count(10), Count(3), Count(7)};
  figures[0].exempt = true;
  figures[0].people = figures[1].people = figures[2].people = true;
  for (Figure& figure : figures) {
    figure.protection = 5;
    figure.upper_bound = 10;
  }
  figures[1].upper_bound = figures[2].upper_bound = 10;
  std::vector<Relation> relations{{0, {1, 2}}};
  TierRules rules;
  Result<SuppressionCounts> counts = SuppressProtected(figures, relations, {}, rules);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(figures[0].reason, SuppressionReason::kNone);
  EXPECT_EQ(figures[1].reason, SuppressionReason::kSmallCell);
  EXPECT_EQ(figures[2].reason, SuppressionReason::kComplementary);
  EXPECT_EQ(counts->unprotected, 0);
}

TEST(ProtectionAuditTest, RoundedFiguresAreKnownToHalfTheirBase) {
  EXPECT_EQ(RoundedToBase(7, 5), 5);
  EXPECT_EQ(RoundedToBase(8, 5), 10);
  EXPECT_EQ(RoundedToBase(-8, 5), -10);
  EXPECT_EQ(RoundedToBase(3, 0), 3);
  EXPECT_TRUE(Protected(SuppressionReason::kHomogeneous));
  EXPECT_FALSE(Protected(SuppressionReason::kComplementary));
  // total 12 published as 10 (base 5: 7.5..12.5) = a 3 (small, p 5) + b 9
  // published as 10 (7.5..12.5): a ranges over 0..5, so v + p = 8 is out of
  // reach — unlike with exact values, where a would be 3 exactly.
  std::vector<Figure> figures{Count(12), Count(3, SuppressionReason::kSmallCell), Count(9)};
  for (Figure& figure : figures) {
    figure.rounding = 5;
    figure.protection = 5;
  }
  std::vector<Relation> relations{{0, {1, 2}}};
  Result<ProtectionAuditReport> report = AuditProtection(figures, relations, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->violations.size(), 1u);
  EXPECT_EQ(report->violations[0].min, 0);
  EXPECT_EQ(report->violations[0].max, 5);
  figures[0].rounding = figures[2].rounding = 0;
  report = AuditProtection(figures, relations, {});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->violations.size(), 1u);
  EXPECT_EQ(report->violations[0].min, 3);
  EXPECT_EQ(report->violations[0].max, 3);
}

}  // namespace
}  // namespace opendtm::disclosure
