#include "publish/suppression_report.h"

#include <gtest/gtest.h>

#include "publish/testing.h"

namespace opendtm::publish {
namespace {

using namespace testing;  // NOLINT: the hand-built releases

TEST(SuppressionReportTest, CountsEachReasonOfTheCellsWritten) {
  Release release = PublicRelease();
  // lighting (a site answer) applies to no area row: a suppressed cell there
  // is never written and not counted.
  release.rows[0].cells[6] = Small(1);
  release.rows[3].cells[4] = Small(2);
  const std::vector<ReasonCount> counts = SuppressedByReason(release);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].reason, SuppressionReason::kSmallCell);
  EXPECT_EQ(counts[0].cells, 2);
  EXPECT_EQ(counts[1].reason, SuppressionReason::kComplementary);
  EXPECT_EQ(counts[1].cells, 3);
  EXPECT_EQ(SuppressedCells(release), 5);
  EXPECT_EQ(SuppressionNote(release),
            "5 cells suppressed (" + std::string(disclosure::ReasonName(counts[0].reason)) +
                " 2, " + std::string(disclosure::ReasonName(counts[1].reason)) + " 3)");
}

TEST(SuppressionReportTest, NothingSuppressedSaysSo) {
  Release release = PublicRelease();
  for (ReleaseRow& row : release.rows) {
    for (ReleaseCell& cell : row.cells) {
      if (cell.state == CellState::kSuppressed) cell = Integer(10);
    }
  }
  EXPECT_TRUE(SuppressedByReason(release).empty());
  EXPECT_EQ(SuppressionNote(release), "0 cells suppressed");
}

}  // namespace
}  // namespace opendtm::publish
