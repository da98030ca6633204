#include "geo/country_extent.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace opendtm::geo {
namespace {

const std::string kRealFile =
    std::string(OPENDTM_SHARED_DIR) + "/data/real/country-bbox-naturalearth.csv";

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(CountryExtentsTest, ReadsTheNaturalEarthFile) {
  Result<CountryExtents> extents = CountryExtents::LoadFile(kRealFile);
  ASSERT_TRUE(extents.ok()) << extents.status().ToString();
  EXPECT_EQ(extents->size(), 235u);
  const CountryExtent* nepal = extents->Find("npl");
  ASSERT_NE(nepal, nullptr);
  EXPECT_EQ(nepal->name, "Nepal");
  EXPECT_DOUBLE_EQ(nepal->min_lon, 80.0517);
  EXPECT_DOUBLE_EQ(nepal->max_lat, 30.3875);
  EXPECT_TRUE(nepal->Contains(27.7172, 85.3240));   // Kathmandu
  EXPECT_FALSE(nepal->Contains(85.3240, 27.7172));  // swapped
  EXPECT_EQ(extents->Find("XXX"), nullptr);
}

TEST(CountryExtentsTest, ColumnsMayComeInAnyOrder) {
  std::string path = WriteTemp("extent_order.csv",
                               "name,max_lat,max_lon,min_lat,min_lon,iso3,extra\n"
                               "Testland,2,3,-1,-2,tst,x\n");
  Result<CountryExtents> extents = CountryExtents::LoadFile(path);
  ASSERT_TRUE(extents.ok()) << extents.status().ToString();
  const CountryExtent* box = extents->Find("TST");
  ASSERT_NE(box, nullptr);
  EXPECT_DOUBLE_EQ(box->min_lon, -2);
  EXPECT_DOUBLE_EQ(box->max_lon, 3);
  EXPECT_TRUE(box->Contains(0, 0));
}

TEST(CountryExtentsTest, RefusesMissingColumnsBadNumbersAndRepeats) {
  Result<CountryExtents> missing =
      CountryExtents::LoadFile(WriteTemp("extent_missing.csv", "iso3,name,min_lon\nA,B,1\n"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("min_lat"), std::string::npos);

  Result<CountryExtents> bad = CountryExtents::LoadFile(WriteTemp(
      "extent_bad.csv", "iso3,name,min_lon,min_lat,max_lon,max_lat\nAAA,A,x,1,2,3\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 2"), std::string::npos);

  Result<CountryExtents> inverted = CountryExtents::LoadFile(WriteTemp(
      "extent_inverted.csv", "iso3,name,min_lon,min_lat,max_lon,max_lat\nAAA,A,5,1,2,3\n"));
  EXPECT_FALSE(inverted.ok());

  Result<CountryExtents> repeated = CountryExtents::LoadFile(
      WriteTemp("extent_repeat.csv",
                "iso3,name,min_lon,min_lat,max_lon,max_lat\nAAA,A,1,1,2,3\naaa,A,1,1,2,3\n"));
  ASSERT_FALSE(repeated.ok());
  EXPECT_NE(repeated.status().message().find("twice"), std::string::npos);

  EXPECT_EQ(CountryExtents::LoadFile("/nonexistent/extent.csv").status().code(),
            StatusCode::kNotFound);
}

TEST(CountryExtentsTest, LoadCountryExtentReadsOneCountry) {
  Result<CountryExtent> nigeria = LoadCountryExtent(kRealFile, "nga");
  ASSERT_TRUE(nigeria.ok()) << nigeria.status().ToString();
  EXPECT_EQ(nigeria->iso3, "NGA");
  EXPECT_TRUE(nigeria->Contains(9.0765, 7.3986));  // Abuja
  Result<CountryExtent> nowhere = LoadCountryExtent(kRealFile, "XXX");
  EXPECT_EQ(nowhere.status().code(), StatusCode::kNotFound);
  EXPECT_NE(nowhere.status().message().find("XXX"), std::string::npos);
  EXPECT_EQ(LoadCountryExtent(kRealFile + ".missing", "NGA").status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace opendtm::geo
