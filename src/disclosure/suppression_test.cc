#include "disclosure/suppression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "disclosure/testing.h"

namespace opendtm::disclosure {
namespace {

using ::testing::HasSubstr;

TierRules Partner() { return DefaultPolicy().For(Tier::kPartner); }

Figure People(int64_t value) {
  Figure figure;
  figure.value = value;
  figure.people = true;
  return figure;
}

Figure Count(int64_t value, int64_t sites) {
  Figure figure;
  figure.value = value;
  figure.sites_rule = true;
  figure.sites = sites;
  return figure;
}

Figure Blank() {
  Figure figure;
  figure.blank = true;
  figure.people = true;
  return figure;
}

Figure Plain(int64_t value) {
  Figure figure;
  figure.value = value;
  return figure;
}

bool IsSuppressed(const Figure& figure) { return figure.reason != SuppressionReason::kNone; }

// The suppressed figures the relations determine, by the tests' own exact
// checker (published and blank figures are constants).
std::vector<size_t> Derivable(const std::vector<Figure>& figures,
                              const std::vector<Relation>& relations) {
  std::vector<int> unknown_of(figures.size(), -1);
  std::vector<size_t> figure_of;
  for (size_t figure = 0; figure < figures.size(); ++figure) {
    if (!IsSuppressed(figures[figure])) continue;
    unknown_of[figure] = static_cast<int>(figure_of.size());
    figure_of.push_back(figure);
  }
  std::vector<testing::ExactEquation> equations;
  for (const Relation& relation : relations) {
    testing::ExactEquation equation;
    if (unknown_of[relation.total] >= 0) equation.emplace_back(unknown_of[relation.total], 1);
    for (size_t part : relation.parts) {
      if (unknown_of[part] >= 0) equation.emplace_back(unknown_of[part], -1);
    }
    if (!equation.empty()) equations.push_back(std::move(equation));
  }
  const std::vector<bool> determined =
      testing::ExactlyDetermined(equations, static_cast<int>(figure_of.size()));
  std::vector<size_t> derivable;
  for (size_t unknown = 0; unknown < figure_of.size(); ++unknown) {
    if (determined[unknown]) derivable.push_back(figure_of[unknown]);
  }
  return derivable;
}

std::vector<SuppressionReason> Reasons(const std::vector<Figure>& figures) {
  std::vector<SuppressionReason> reasons;
  for (const Figure& figure : figures) reasons.push_back(figure.reason);
  return reasons;
}

constexpr SuppressionReason kNone = SuppressionReason::kNone;
constexpr SuppressionReason kSmall = SuppressionReason::kSmallCell;
constexpr SuppressionReason kComplement = SuppressionReason::kComplementary;

// --- Primary -------------------------------------------------------------------

TEST(SuppressTest, PeopleCountsUnderKPeopleAreSuppressedATrueZeroIsNot) {
  std::vector<Figure> figures = {People(0), People(1), People(4), People(5), People(120), Plain(2)};
  Result<SuppressionCounts> counts = Suppress(figures, {}, Partner());
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(Reasons(figures),
            (std::vector<SuppressionReason>{kNone, kSmall, kSmall, kNone, kNone, kNone}));
  EXPECT_EQ(counts->primary, 2);
  EXPECT_EQ(counts->complementary, 0);
}

TEST(SuppressTest, AggregatesOverFewerThanKSitesAreSuppressedEvenWhenZero) {
  std::vector<Figure> figures = {Count(7, 2), Count(0, 1), Count(7, 3), Plain(7)};
  figures[3].sites = 1;  // not an aggregate the k_sites rule applies to
  ASSERT_TRUE(Suppress(figures, {}, Partner()).ok());
  EXPECT_EQ(Reasons(figures), (std::vector<SuppressionReason>{kSmall, kSmall, kNone, kNone}));
}

TEST(SuppressTest, BlankFiguresArePublishedBlankAndCountAsKnown) {
  // 6 = blank + 2 + 4: the 2 is small; the blank cannot hide it, so the 4 goes.
  std::vector<Figure> figures = {People(6), Blank(), People(2), People(4)};
  figures[1].reason = kSmall;  // a blank never stays suppressed
  ASSERT_TRUE(Suppress(figures, std::vector<Relation>{{0, {1, 2, 3}}}, Partner()).ok());
  EXPECT_EQ(Reasons(figures), (std::vector<SuppressionReason>{kNone, kNone, kSmall, kSmall}));
  figures = {People(6), Blank(), People(2), Plain(4)};
  ASSERT_TRUE(Suppress(figures, std::vector<Relation>{{0, {1, 2, 3}}}, Partner()).ok());
  EXPECT_EQ(Reasons(figures), (std::vector<SuppressionReason>{kNone, kNone, kSmall, kComplement}));
}

TEST(SuppressTest, AFigureGivenSuppressedStaysSuppressedWithItsReason) {
  std::vector<Figure> figures = {People(30), People(10), People(20)};
  figures[2].reason = kComplement;
  ASSERT_TRUE(Suppress(figures, std::vector<Relation>{{0, {1, 2}}}, Partner()).ok());
  EXPECT_EQ(Reasons(figures), (std::vector<SuppressionReason>{kNone, kComplement, kComplement}));
}

TEST(SuppressTest, TiersWithoutSuppressionKeepEveryFigure) {
  std::vector<Figure> figures = {People(3), People(1), People(2)};
  Result<SuppressionCounts> counts =
      Suppress(figures, std::vector<Relation>{{0, {1, 2}}}, DefaultPolicy().For(Tier::kProtection));
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(Reasons(figures), (std::vector<SuppressionReason>{kNone, kNone, kNone}));
  EXPECT_EQ(counts->primary + counts->complementary, 0);
}

// --- Secondary -----------------------------------------------------------------

TEST(SuppressTest, OneLevelTableSuppressesTheSmallestPublishedPartAboveZero) {
  // 20 = 3 + 0 + 7 + 10: the 3 is small; 0 + 7 + 10 published would give it
  // away. The smallest part above 0, the 7, is suppressed; the total stays.
  std::vector<Figure> figures = {People(20), People(3), People(0), People(7), People(10)};
  std::vector<Relation> relations = {{0, {1, 2, 3, 4}}};
  Result<SuppressionCounts> counts = Suppress(figures, relations, Partner());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(Reasons(figures),
            (std::vector<SuppressionReason>{kNone, kSmall, kNone, kComplement, kNone}));
  EXPECT_EQ(counts->primary, 1);
  EXPECT_EQ(counts->complementary, 1);
  EXPECT_THAT(Derivable(figures, relations), ::testing::IsEmpty());
}

TEST(SuppressTest, CandidatesTieOnValuePartBeforeTotalThenLowestIndex) {
  // 5 = x + 5, x a 0 over one site: the part 5 goes rather than the total 5.
  std::vector<Figure> figures = {Plain(5), Count(0, 1), Plain(5)};
  ASSERT_TRUE(Suppress(figures, std::vector<Relation>{{0, {1, 2}}}, Partner()).ok());
  EXPECT_EQ(Reasons(figures), (std::vector<SuppressionReason>{kNone, kSmall, kComplement}));
  // 17 = 3 + 7 + 7: the first 7.
  figures = {People(17), People(3), People(7), People(7)};
  ASSERT_TRUE(Suppress(figures, std::vector<Relation>{{0, {1, 2, 3}}}, Partner()).ok());
  EXPECT_EQ(Reasons(figures), (std::vector<SuppressionReason>{kNone, kSmall, kComplement, kNone}));
  // Only zeros left beside the total: the total (the one value above 0).
  figures = {Plain(3), People(3), People(0), People(0)};
  ASSERT_TRUE(Suppress(figures, std::vector<Relation>{{0, {1, 2, 3}}}, Partner()).ok());
  EXPECT_EQ(Reasons(figures), (std::vector<SuppressionReason>{kComplement, kSmall, kNone, kNone}));
}

TEST(SuppressTest, Admin1MinusPublishedAdmin2CannotRevealASuppressedAdmin2) {
  // admin1 (0) = B1 (1) + B2 (2) + B3 (3); each admin2 = its sites.
  // B1 = 4 = 1 + 3 (both sites small): B1 is small too. Suppressing B2 as
  // its complement in admin1 leaves B2 = 6 + 6 published below it: the rule
  // must reach down and suppress one of B2's sites as well.
  std::vector<Figure> figures = {
      People(34),                          // 0 admin1
      People(4),  People(12), People(18),  // 1-3 admin2
      People(1),  People(3),               // 4-5 sites of B1
      People(6),  People(6),               // 6-7 sites of B2
      People(9),  People(9),               // 8-9 sites of B3
  };
  std::vector<Relation> relations = {{0, {1, 2, 3}}, {1, {4, 5}}, {2, {6, 7}}, {3, {8, 9}}};
  Result<SuppressionCounts> counts = Suppress(figures, relations, Partner());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(figures[1].reason, kSmall);
  EXPECT_EQ(figures[4].reason, kSmall);
  EXPECT_EQ(figures[5].reason, kSmall);
  EXPECT_EQ(figures[2].reason, kComplement);  // 12 < 18
  EXPECT_EQ(figures[6].reason, kComplement);  // a site of B2 (lowest index of two 6s)
  EXPECT_EQ(figures[7].reason, kNone);        // B2 = x + 6: x and B2 both unknown
  EXPECT_EQ(figures[0].reason, kNone);
  EXPECT_THAT(Derivable(figures, relations), ::testing::IsEmpty());
}

TEST(SuppressTest, SaddMarginsProtectASmallAgeCell) {
  // ind (0) = m (1) + f (2); m = m ages (3-7); f = f ages (8-12).
  std::vector<Figure> figures = {People(100), People(48), People(52), People(6), People(9),
                                 People(15),  People(16), People(2),  People(7), People(10),
                                 People(14),  People(13), People(8)};
  std::vector<Relation> relations = {{0, {1, 2}}, {1, {3, 4, 5, 6, 7}}, {2, {8, 9, 10, 11, 12}}};
  Result<SuppressionCounts> counts = Suppress(figures, relations, Partner());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(figures[7].reason, kSmall);
  EXPECT_EQ(figures[3].reason, kComplement);  // the smallest other male age cell
  EXPECT_EQ(counts->complementary, 1);
  EXPECT_THAT(Derivable(figures, relations), ::testing::IsEmpty());
}

TEST(SuppressTest, SaddMarginsAcrossTotalsNeedMoreThanOneComplement) {
  // m_total small (4) with its age cells 1, 3, 0, 0, 0, and ind = m + f.
  std::vector<Figure> figures = {People(50), People(4), People(46), People(1),  People(3),
                                 People(0),  People(0), People(0),  People(10), People(9),
                                 People(9),  People(9), People(9)};
  std::vector<Relation> relations = {{0, {1, 2}}, {1, {3, 4, 5, 6, 7}}, {2, {8, 9, 10, 11, 12}}};
  ASSERT_TRUE(Suppress(figures, relations, Partner()).ok());
  EXPECT_EQ(figures[1].reason, kSmall);
  EXPECT_EQ(figures[3].reason, kSmall);
  EXPECT_EQ(figures[4].reason, kSmall);
  // ind - f would give m away: f or ind must go, and then f's parts.
  EXPECT_TRUE(IsSuppressed(figures[0]) || IsSuppressed(figures[2]));
  EXPECT_THAT(Derivable(figures, relations), ::testing::IsEmpty());
}

// A 4 × 4 table with row and column totals published. Suppressed: two 2 × 2
// blocks (rows 1-2 × columns 1-2, rows 3-4 × columns 3-4) and the cell at row
// 2, column 3 joining them. Every row and every column holds 0 or at least 2
// suppressed cells, so "two per relation" calls it safe; yet rows 1 and 2
// minus columns 1 and 2 give that joining cell exactly.
struct ChainTable {
  std::vector<Figure> figures;
  std::vector<Relation> relations;
  static size_t Cell(size_t row, size_t column) { return row * 4 + column; }
};

ChainTable MakeChainTable() {
  ChainTable table;
  for (size_t row = 0; row < 4; ++row) {
    for (size_t column = 0; column < 4; ++column) {
      table.figures.push_back(Plain(10 + 4 * row + column));
    }
  }
  for (size_t row = 0; row < 4; ++row) {
    int64_t sum = 0;
    std::vector<size_t> parts;
    for (size_t column = 0; column < 4; ++column) {
      sum += table.figures[ChainTable::Cell(row, column)].value;
      parts.push_back(ChainTable::Cell(row, column));
    }
    table.figures.push_back(Plain(sum));
    table.relations.push_back({table.figures.size() - 1, parts});
  }
  for (size_t column = 0; column < 4; ++column) {
    int64_t sum = 0;
    std::vector<size_t> parts;
    for (size_t row = 0; row < 4; ++row) {
      sum += table.figures[ChainTable::Cell(row, column)].value;
      parts.push_back(ChainTable::Cell(row, column));
    }
    table.figures.push_back(Plain(sum));
    table.relations.push_back({table.figures.size() - 1, parts});
  }
  for (auto [row, column] : {std::pair<size_t, size_t>{0, 0},
                             {0, 1},
                             {1, 0},
                             {1, 1},
                             {2, 2},
                             {2, 3},
                             {3, 2},
                             {3, 3},
                             {1, 2}}) {
    table.figures[ChainTable::Cell(row, column)].reason = kSmall;
  }
  return table;
}

TEST(SuppressTest, ChainThroughSeveralRelationsIsFoundWhereTwoPerRelationLooksSafe) {
  ChainTable table = MakeChainTable();
  // The rule of thumb is met...
  for (const Relation& relation : table.relations) {
    int suppressed = IsSuppressed(table.figures[relation.total]) ? 1 : 0;
    for (size_t part : relation.parts) suppressed += IsSuppressed(table.figures[part]) ? 1 : 0;
    EXPECT_NE(suppressed, 1);
  }
  // ... and still the joining cell is derivable, and only it.
  EXPECT_EQ(Derivable(table.figures, table.relations),
            (std::vector<size_t>{ChainTable::Cell(1, 2)}));

  Result<SuppressionCounts> counts = Suppress(table.figures, table.relations, Partner());
  ASSERT_TRUE(counts.ok());
  EXPECT_GE(counts->complementary, 1);
  EXPECT_THAT(Derivable(table.figures, table.relations), ::testing::IsEmpty());
}

TEST(SuppressTest, SameInputGivesTheSameSuppression) {
  // A three-level hierarchy of random small counts, suppressed twice.
  std::mt19937_64 random(42);
  std::vector<Figure> figures;
  std::vector<Relation> relations;
  figures.push_back(People(0));
  Relation top{0, {}};
  for (int admin2 = 0; admin2 < 6; ++admin2) {
    const size_t area = figures.size();
    figures.push_back(People(0));
    top.parts.push_back(area);
    Relation relation{area, {}};
    for (int site = 0; site < 5; ++site) {
      relation.parts.push_back(figures.size());
      figures.push_back(People(static_cast<int64_t>(random() % 9)));
      figures[area].value += figures.back().value;
    }
    figures[0].value += figures[area].value;
    relations.push_back(relation);
  }
  relations.push_back(top);
  std::vector<Figure> again = figures;
  ASSERT_TRUE(Suppress(figures, relations, Partner()).ok());
  ASSERT_TRUE(Suppress(again, relations, Partner()).ok());
  EXPECT_EQ(Reasons(figures), Reasons(again));
  EXPECT_THAT(Derivable(figures, relations), ::testing::IsEmpty());
}

TEST(SuppressTest, RandomHierarchiesWithMarginsLeaveNothingDerivable) {
  std::mt19937_64 random(7);
  for (int trial = 0; trial < 60; ++trial) {
    // Areas each with a few rows of (total = a + b), areas = Σ rows per column.
    std::vector<Figure> figures;
    std::vector<Relation> relations;
    const int areas = 1 + static_cast<int>(random() % 3);
    std::vector<size_t> area_totals[3];
    for (int area = 0; area < areas; ++area) {
      const size_t first = figures.size();
      for (int column = 0; column < 3; ++column) figures.push_back(People(0));
      Relation sums[3] = {{first, {}}, {first + 1, {}}, {first + 2, {}}};
      const int rows = 1 + static_cast<int>(random() % 5);
      for (int row = 0; row < rows; ++row) {
        const int64_t a = static_cast<int64_t>(random() % 8);
        const int64_t b = static_cast<int64_t>(random() % 12);
        const size_t at = figures.size();
        figures.push_back(People(a + b));
        figures.push_back(People(a));
        figures.push_back(People(b));
        relations.push_back({at, {at + 1, at + 2}});
        for (int column = 0; column < 3; ++column) {
          sums[column].parts.push_back(at + column);
          figures[first + column].value += figures[at + column].value;
        }
      }
      for (int column = 0; column < 3; ++column) {
        relations.push_back(sums[column]);
        area_totals[column].push_back(first + column);
      }
      relations.push_back({first, {first + 1, first + 2}});
    }
    for (int column = 0; column < 3; ++column) {
      figures.push_back(People(0));
      for (size_t area : area_totals[column]) figures.back().value += figures[area].value;
      relations.push_back({figures.size() - 1, area_totals[column]});
    }
    ASSERT_TRUE(Suppress(figures, relations, Partner()).ok()) << "trial " << trial;
    EXPECT_THAT(Derivable(figures, relations), ::testing::IsEmpty()) << "trial " << trial;
    for (const Figure& figure : figures) {
      if (!IsSuppressed(figure)) {
        EXPECT_TRUE(figure.value == 0 || figure.value >= 5);
      }
    }
  }
}

// --- Errors ----------------------------------------------------------------------

TEST(SuppressTest, ARelationThatDoesNotHoldIsRefusedByName) {
  std::vector<Figure> figures = {People(10), People(4), People(5)};
  Result<SuppressionCounts> counts =
      Suppress(figures, std::vector<Relation>{{0, {1, 2}}}, Partner());
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(counts.status().message(), HasSubstr("relation 0 does not hold"));
  EXPECT_THAT(counts.status().message(), HasSubstr("add up to 9"));
}

TEST(SuppressTest, ARelationNamingAMissingFigureIsRefused) {
  std::vector<Figure> figures = {People(10), People(10)};
  Result<SuppressionCounts> counts =
      Suppress(figures, std::vector<Relation>{{0, {1}}, {0, {1, 7}}}, Partner());
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(counts.status().message(), HasSubstr("relation 1 names figure 7"));
}

}  // namespace
}  // namespace opendtm::disclosure
