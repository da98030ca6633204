#include "demo/country_box.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace opendtm::demo {
namespace {

using ::testing::HasSubstr;

const std::string kBoxes =
    std::string(OPENDTM_SHARED_DIR) + "/data/real/country-bbox-naturalearth.csv";

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

TEST(CountryBoxTest, ReadsNigeriaFromTheRealFile) {
  Result<CountryBox> box = LoadCountryBox(kBoxes, "NGA");
  ASSERT_TRUE(box.ok()) << box.status().ToString();
  EXPECT_EQ(box->iso3, "NGA");
  EXPECT_EQ(box->name, "Nigeria");
  EXPECT_DOUBLE_EQ(box->min_lon, 2.6860);
  EXPECT_DOUBLE_EQ(box->min_lat, 4.2774);
  EXPECT_DOUBLE_EQ(box->max_lon, 14.6271);
  EXPECT_DOUBLE_EQ(box->max_lat, 13.8729);
  EXPECT_TRUE(box->Contains(11.85, 13.16));    // Maiduguri
  EXPECT_FALSE(box->Contains(13.16, 11.85) && box->Contains(13.16, 15.0));
  EXPECT_FALSE(box->Contains(14.2, 11.9));     // a swapped point east of 13.87
}

TEST(CountryBoxTest, MatchesIso3IgnoringCase) {
  Result<CountryBox> box = LoadCountryBox(kBoxes, "npl");
  ASSERT_TRUE(box.ok()) << box.status().ToString();
  EXPECT_EQ(box->iso3, "NPL");
}

TEST(CountryBoxTest, UnknownCountryIsNotFound) {
  Result<CountryBox> box = LoadCountryBox(kBoxes, "XXX");
  ASSERT_FALSE(box.ok());
  EXPECT_EQ(box.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(box.status().message(), HasSubstr("XXX"));
}

TEST(CountryBoxTest, MissingFileIsNotFound) {
  Result<CountryBox> box = LoadCountryBox("/nonexistent/boxes.csv", "NGA");
  ASSERT_FALSE(box.ok());
  EXPECT_EQ(box.status().code(), StatusCode::kNotFound);
}

TEST(CountryBoxTest, ColumnsInAnyOrder) {
  const std::string path = WriteTempFile("demo_box_order.csv",
                                         "name,max_lat,max_lon,min_lat,min_lon,iso3\n"
                                         "Testland,2,3,-1,-2,TST\n");
  Result<CountryBox> box = LoadCountryBox(path, "TST");
  ASSERT_TRUE(box.ok()) << box.status().ToString();
  EXPECT_DOUBLE_EQ(box->min_lon, -2);
  EXPECT_DOUBLE_EQ(box->min_lat, -1);
  EXPECT_DOUBLE_EQ(box->max_lon, 3);
  EXPECT_DOUBLE_EQ(box->max_lat, 2);
}

TEST(CountryBoxTest, MissingColumnIsNamed) {
  const std::string path =
      WriteTempFile("demo_box_missing.csv", "iso3,name,min_lon,min_lat,max_lon\nTST,T,1,2,3\n");
  Result<CountryBox> box = LoadCountryBox(path, "TST");
  ASSERT_FALSE(box.ok());
  EXPECT_EQ(box.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(box.status().message(), HasSubstr("max_lat"));
}

TEST(CountryBoxTest, BadNumbersAndInvertedBoxesAreRejectedWithTheLine) {
  const std::string path = WriteTempFile("demo_box_bad.csv",
                                         "iso3,name,min_lon,min_lat,max_lon,max_lat\n"
                                         "AAA,A,1,2,x,4\n"
                                         "BBB,B,5,2,3,4\n"
                                         "CCC,C,1,2,3,95\n");
  Result<CountryBox> not_number = LoadCountryBox(path, "AAA");
  ASSERT_FALSE(not_number.ok());
  EXPECT_THAT(not_number.status().message(), HasSubstr(":2: max_lon 'x' is not a number"));
  Result<CountryBox> inverted = LoadCountryBox(path, "BBB");
  ASSERT_FALSE(inverted.ok());
  EXPECT_THAT(inverted.status().message(), HasSubstr(":3: "));
  EXPECT_THAT(inverted.status().message(), HasSubstr("minimum above its maximum"));
  Result<CountryBox> out_of_range = LoadCountryBox(path, "CCC");
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_EQ(out_of_range.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace opendtm::demo
