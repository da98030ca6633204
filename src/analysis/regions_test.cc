#include "analysis/regions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analysis/testing.h"

namespace opendtm::analysis {
namespace {

using testing::Default;
using ::testing::HasSubstr;
using testing::IndexOf;
using ::testing::SizeIs;

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("opendtm_regions_" + std::to_string(::getpid()) + "_" + name))
                               .string();
  std::ofstream(path) << text;
  return path;
}

TEST(RegionTableTest, ReadsCountriesAndTheirRegions) {
  const std::string path =
      WriteFile("ok.csv",
                "# IOM regional offices\niso3,region\nNGA,West and Central Africa\n"
                "UKR,\"South-Eastern Europe, Eastern Europe and Central Asia\"\n");
  Result<RegionTable> table = RegionTable::Load(path);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->size(), 2u);
  EXPECT_EQ(table->RegionOf("NGA"), "West and Central Africa");
  EXPECT_EQ(table->RegionOf("UKR"), "South-Eastern Europe, Eastern Europe and Central Asia");
  EXPECT_EQ(table->RegionOf("HTI"), "");
  EXPECT_EQ(RegionOfOperation("", "NGA", *table), "West and Central Africa");
  EXPECT_EQ(RegionOfOperation("Lake Chad basin", "NGA", *table), "Lake Chad basin");
  EXPECT_EQ(RegionOfOperation("", "HTI", *table), kUnassignedRegion);
  std::filesystem::remove(path);
}

TEST(RegionTableTest, NamesTheLineOfABadRow) {
  const std::string twice = WriteFile("twice.csv", "iso3,region\nNGA,A\nNGA,B\n");
  Result<RegionTable> table = RegionTable::Load(twice);
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.status().message(), HasSubstr(":3: country NGA is given twice"));
  const std::string header = WriteFile("header.csv", "country,office\nNGA,A\n");
  EXPECT_THAT(RegionTable::Load(header).status().message(), HasSubstr(":1: the header"));
  const std::string short_code = WriteFile("short.csv", "iso3,region\nNG,A\n");
  EXPECT_THAT(RegionTable::Load(short_code).status().message(), HasSubstr(":2: expected"));
  EXPECT_EQ(RegionTable::Load("/nonexistent/regions.csv").status().code(), StatusCode::kNotFound);
  for (const std::string& path : {twice, header, short_code}) std::filesystem::remove(path);
}

TEST(RegionTableTest, TheShippedTableCoversEveryCountryOfTheExtents) {
  Result<RegionTable> table =
      RegionTable::Load(std::string(OPENDTM_SOURCE_DIR) + "/reference/regions.csv");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_GE(table->size(), 200u);
  EXPECT_EQ(table->RegionOf("NGA"), "West and Central Africa");
  EXPECT_EQ(table->RegionOf("HTI"), "Central and North America and the Caribbean");
  EXPECT_EQ(table->RegionOf("NPL"), "Asia and the Pacific");
}

class RegionsTest : public testing::StoredOperationTest {};

TEST_F(RegionsTest, OperationsAddUpPerRegionAndGlobally) {
  Ingest(1, store::AssessmentType::kSiteAssessment,
         {{"S1", {{"adm0_pcode", "NGA"}, {"ind_total", "100"}, {"lighting", "none"}}},
          {"S2", {{"adm0_pcode", "NGA"}, {"ind_total", "50"}}}});
  Result<std::vector<Frame>> frames = LoadFrames(*store_, Default(), operation_id_, 1, 1);
  ASSERT_TRUE(frames.ok() && frames->size() == 1);
  Result<std::vector<AreaTotals>> nga = RollUp((*frames)[0], Default(), Level::kCountry);
  ASSERT_TRUE(nga.ok());
  // Three operations: two in West and Central Africa, one elsewhere.
  std::vector<OperationFigures> operations = {
      {"nga-a", "NGA", "West and Central Africa", 1, *nga},
      {"nga-b", "NGA", "West and Central Africa", 4, *nga},
      {"hti", "HTI", "Central and North America and the Caribbean", 2, *nga}};
  Result<std::vector<AreaTotals>> regions = CombineOperations(operations, Level::kRegion);
  ASSERT_TRUE(regions.ok()) << regions.status().ToString();
  ASSERT_THAT(*regions, SizeIs(2));
  EXPECT_EQ((*regions)[0].area, "Central and North America and the Caribbean");
  EXPECT_EQ((*regions)[0].sites, 2);
  EXPECT_EQ((*regions)[1].area, "West and Central Africa");
  EXPECT_EQ((*regions)[1].sites, 4);
  EXPECT_EQ((*regions)[1].sums[IndexOf("ind_total")], 300);
  EXPECT_EQ((*regions)[1].people, 300);
  const int lighting = IndexOf("lighting");
  EXPECT_EQ((*regions)[1].answer_sites[lighting].back(), 2);  // no answer, twice
  Result<std::vector<AreaTotals>> world = CombineOperations(operations, Level::kGlobal);
  ASSERT_TRUE(world.ok());
  ASSERT_THAT(*world, SizeIs(1));
  EXPECT_EQ((*world)[0].area, "global");
  EXPECT_EQ((*world)[0].sites, 6);
  EXPECT_EQ((*world)[0].sums[IndexOf("ind_total")], 450);

  EXPECT_FALSE(CombineOperations(operations, Level::kAdmin1).ok());
  EXPECT_FALSE(RollUp((*frames)[0], Default(), Level::kRegion).ok());
  AreaTotals other = (*nga)[0];
  other.sums.pop_back();
  EXPECT_FALSE(AddTotals(other, (*nga)[0]).ok());
}

TEST(LatestAdminFiguresTest, TheLatestRoundOfTheTypeAddsUpToTheCountry) {
  auto figure = [](int round, std::string type, std::string admin1, int64_t people) {
    store::AdminFigure record;
    record.admin_level = 1;
    record.country = "HTI";
    record.admin1_pcode = std::move(admin1);
    record.round = round;
    record.reporting_date = "2024-0" + std::to_string(round) + "-30";
    record.assessment_type = std::move(type);
    record.num_present_idp_ind = people;
    return record;
  };
  const std::vector<store::AdminFigure> figures = {
      figure(1, "SA", "HT01", 10), figure(2, "SA", "HT01", 20), figure(2, "SA", "HT02", 5),
      figure(3, "BA", "HT01", 99)};
  Result<std::optional<OperationFigures>> latest = LatestAdminFigures(figures, Default(), "SA", {});
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  ASSERT_TRUE(latest->has_value());
  const OperationFigures& sa = **latest;
  EXPECT_EQ(sa.round, 2);
  EXPECT_TRUE(sa.admin_figures);
  EXPECT_EQ(sa.records, 2);
  ASSERT_THAT(sa.countries, SizeIs(1));
  EXPECT_EQ(sa.countries[0].sites, 0);  // records are not sites
  EXPECT_EQ(sa.countries[0].sums[IndexOf("ind_total")], 25);

  Result<std::optional<OperationFigures>> none = LatestAdminFigures(figures, Default(), "ETT", {});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

}  // namespace
}  // namespace opendtm::analysis
