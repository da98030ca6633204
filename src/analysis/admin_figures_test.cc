#include "analysis/admin_figures.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/testing.h"

namespace opendtm::analysis {
namespace {

using testing::Default;
using ::testing::ElementsAre;
using ::testing::FieldsAre;
using testing::IndexOf;
using ::testing::Optional;
using ::testing::SizeIs;

store::AdminFigure Figure(int level, std::string admin1, std::string admin2, int64_t people,
                          std::optional<int64_t> males, int round = 1) {
  store::AdminFigure figure;
  figure.admin_level = level;
  figure.country = "HTI";
  figure.admin1_pcode = std::move(admin1);
  figure.admin2_pcode = std::move(admin2);
  figure.round = round;
  figure.reporting_date = "2010-11-30T00:00:00";
  figure.assessment_type = "SA";
  figure.num_present_idp_ind = people;
  figure.males = males;
  if (males) figure.females = people - *males;
  return figure;
}

TEST(AdminFiguresTest, TheFinestLevelRollsUpAndCoarserFiguresAreCompared) {
  const std::vector<store::AdminFigure> figures = {
      Figure(2, "HT01", "HT0111", 100, 40),
      Figure(2, "HT01", "HT0112", 50, 20),
      Figure(2, "HT02", "HT0211", 30, std::nullopt),
      Figure(1, "HT01", "", 150, 60),        // agrees
      Figure(1, "HT02", "", 35, 15),         // 30 from admin 2: disagrees (males unknown there)
      Figure(1, "HT03", "", 5, 2),           // no admin 2 record at all
      Figure(0, "", "", 180, std::nullopt),  // 180 summed: agrees
      Figure(0, "", "", 7, 3, 2),            // another round: a key of its own
  };
  Result<std::vector<AdminFigureFrame>> frames = AdminFigureFrames(figures, Default(), 1, 5);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  ASSERT_THAT(*frames, SizeIs(2));
  const AdminFigureFrame& first = (*frames)[0];
  EXPECT_EQ(first.round, 1);
  EXPECT_EQ(first.finest_level, 2);
  EXPECT_EQ(first.frame.rows(), 3u);
  EXPECT_EQ(first.frame.site_ids[0], "admin2:HT0111");
  EXPECT_THAT(first.coarser, SizeIs(4));
  EXPECT_EQ((*frames)[1].finest_level, 0);
  EXPECT_EQ((*frames)[1].frame.rows(), 1u);

  Result<std::vector<AreaTotals>> admin1 = RollUp(first.frame, Default(), Level::kAdmin1);
  ASSERT_TRUE(admin1.ok()) << admin1.status().ToString();
  ASSERT_THAT(*admin1, SizeIs(2));
  EXPECT_EQ((*admin1)[0].area, "HT01");
  EXPECT_EQ((*admin1)[0].sums[IndexOf("ind_total")], 150);
  EXPECT_EQ((*admin1)[0].sums[IndexOf("m_total")], 60);
  EXPECT_EQ((*admin1)[1].reporting[IndexOf("m_total")], 0);  // HT0211's males are null

  std::vector<FigureDisagreement> disagreements =
      CompareWithPublished(first, *admin1, Level::kAdmin1, Default());
  // HT02: 35 published, 30 from admin 2, and its sexes unknown there; HT03:
  // nothing at admin 2.
  ASSERT_THAT(disagreements, SizeIs(6));
  EXPECT_THAT(disagreements[0], FieldsAre("HT02", "f_total", 20, std::nullopt));
  EXPECT_THAT(disagreements[1], FieldsAre("HT02", "ind_total", 35, Optional(int64_t{30})));
  EXPECT_THAT(disagreements[2], FieldsAre("HT02", "m_total", 15, std::nullopt));
  EXPECT_EQ(disagreements[3].area, "HT03");
  EXPECT_EQ(disagreements[3].summed, std::nullopt);

  Result<std::vector<AreaTotals>> country = RollUp(first.frame, Default(), Level::kCountry);
  ASSERT_TRUE(country.ok());
  EXPECT_THAT(CompareWithPublished(first, *country, Level::kCountry, Default()), SizeIs(0));
  EXPECT_EQ(LevelOfAdmin(1), Level::kAdmin1);
}

TEST(AdminFiguresTest, RoundsOutsideTheRangeAreLeftOut) {
  const std::vector<store::AdminFigure> figures = {Figure(0, "", "", 7, 3, 2)};
  Result<std::vector<AdminFigureFrame>> frames = AdminFigureFrames(figures, Default(), 3, 4);
  ASSERT_TRUE(frames.ok());
  EXPECT_THAT(*frames, SizeIs(0));
}

TEST(AdminFiguresTest, AreaTotalsAddUpTheFinestRecordsAsRollUpDoes) {
  std::vector<store::AdminFigure> figures = {
      Figure(2, "HT01", "HT0111", 100, 40),
      Figure(2, "HT01", "HT0112", 50, 20),
      Figure(2, "HT02", "HT0211", 30, std::nullopt),
      Figure(1, "HT01", "", 999, 1),
      Figure(0, "", "", 7, 3, 2),  // round 2: published at country level only
  };
  figures[0].admin1_name = "Ouest";
  figures[0].admin2_name = "Port-au-Prince";
  Result<std::vector<AdminAreaTotal>> admin1 = AdminAreaTotals(figures, Level::kAdmin1, 1, 5);
  ASSERT_TRUE(admin1.ok()) << admin1.status().ToString();
  ASSERT_THAT(*admin1, SizeIs(2));  // round 2 has nothing at admin1
  EXPECT_EQ((*admin1)[0].figure.admin_level, 1);
  EXPECT_EQ((*admin1)[0].figure.admin1_pcode, "HT01");
  EXPECT_EQ((*admin1)[0].figure.admin1_name, "Ouest");
  EXPECT_EQ((*admin1)[0].figure.admin2_pcode, "");
  EXPECT_EQ((*admin1)[0].figure.num_present_idp_ind, 150);  // not the published 999
  EXPECT_EQ((*admin1)[0].figure.males, 60);
  EXPECT_EQ((*admin1)[0].records, 2);
  EXPECT_EQ((*admin1)[0].source_level, 2);
  EXPECT_EQ((*admin1)[1].figure.males, std::nullopt);  // no record gives it

  Result<std::vector<AdminAreaTotal>> country = AdminAreaTotals(figures, Level::kCountry, 0, 9);
  ASSERT_TRUE(country.ok());
  ASSERT_THAT(*country, SizeIs(2));
  EXPECT_EQ((*country)[0].figure.num_present_idp_ind, 180);
  EXPECT_EQ((*country)[1].figure.round, 2);
  EXPECT_EQ((*country)[1].source_level, 0);

  EXPECT_EQ(AdminAreaTotals(figures, Level::kAdmin3, 0, 9).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AdminOfLevel(Level::kAdmin2), 2);
  EXPECT_EQ(AdminOfLevel(Level::kSite), -1);

  std::map<std::string, std::string, std::less<>> names = PublishedAreaNames(figures);
  EXPECT_EQ(names["HT01"], "Ouest");
  EXPECT_EQ(names["HT0111"], "Port-au-Prince");
  EXPECT_FALSE(names.contains("HT0112"));
}

}  // namespace
}  // namespace opendtm::analysis
