#include "geo/gazetteer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace opendtm::geo {
namespace {

using ::testing::HasSubstr;

const std::string kGlobalPcodes =
    std::string(OPENDTM_SHARED_DIR) + "/data/real/global-pcodes-adm-1-2.hxl.csv";

TEST(GazetteerTest, ReadsTheRealOchaFile) {
  Result<Gazetteer> gazetteer = Gazetteer::LoadFile(kGlobalPcodes);
  ASSERT_TRUE(gazetteer.ok()) << gazetteer.status().ToString();
  EXPECT_EQ(gazetteer->size(), 33363u);
  EXPECT_EQ(gazetteer->Countries().size(), 156u);

  const AdminArea* abia = gazetteer->Find("NG001");
  ASSERT_NE(abia, nullptr);
  EXPECT_EQ(abia->name, "Abia");
  EXPECT_EQ(abia->level, 1);
  EXPECT_EQ(abia->country, "NGA");
  EXPECT_EQ(abia->parent_pcode, "NGA");
  EXPECT_EQ(abia->valid_from, "2019-04-17");
  // Nigeria: 37 states (36 and the Federal Capital Territory), 774 LGAs.
  EXPECT_EQ(gazetteer->AreasOf("NGA", 1).size(), 37u);
  EXPECT_EQ(gazetteer->AreasOf("NGA", 2).size(), 774u);
  for (const AdminArea* lga : gazetteer->AreasOf("NGA", 2)) {
    const AdminArea* state = gazetteer->Find(lga->parent_pcode);
    ASSERT_NE(state, nullptr) << lga->pcode;
    EXPECT_EQ(state->level, 1);
  }
  // Haiti's HT01 is "West" here (the DTM API says "Ouest"): join on P-codes.
  ASSERT_NE(gazetteer->Find("HT01"), nullptr);
  EXPECT_EQ(gazetteer->Find("HT01")->name, "West");
  EXPECT_EQ(gazetteer->Find("XX99"), nullptr);
}

class PlainGazetteerTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("opendtm_gaz_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".csv");
    std::ofstream(path_) << text;
    return path_.string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
};

TEST_F(PlainGazetteerTest, ReadsCodeNameLevelParent) {
  Result<Gazetteer> gazetteer = Gazetteer::LoadFile(
      Write("code,name,level,parent,country\nXA01,North,1,XAA,XAA\nXA0101,Hills,2,XA01,\n"));
  ASSERT_TRUE(gazetteer.ok()) << gazetteer.status().ToString();
  EXPECT_EQ(gazetteer->Find("XA0101")->country, "XAA");
  EXPECT_EQ(gazetteer->AreasOf("XAA", 2).size(), 1u);
}

TEST_F(PlainGazetteerTest, BadLevelNamesFileRowAndColumn) {
  Result<Gazetteer> gazetteer =
      Gazetteer::LoadFile(Write("code,name,level,parent\nXA01,North,one,XAA\n"));
  ASSERT_FALSE(gazetteer.ok());
  EXPECT_THAT(gazetteer.status().message(), HasSubstr(path_.string() + ": row 2, column 3"));
  EXPECT_THAT(gazetteer.status().message(), HasSubstr("admin level 'one'"));
}

TEST_F(PlainGazetteerTest, DuplicatePcodeIsAnError) {
  Result<Gazetteer> gazetteer =
      Gazetteer::LoadFile(Write("code,name,level,parent\nXA01,North,1,XAA\nXA01,South,1,XAA\n"));
  ASSERT_FALSE(gazetteer.ok());
  EXPECT_THAT(gazetteer.status().message(), HasSubstr("row 3: P-code XA01 appears twice"));
}

TEST_F(PlainGazetteerTest, InvalidRowsCanBeSkippedAndReported) {
  std::vector<std::string> skipped;
  Result<Gazetteer> gazetteer = Gazetteer::LoadFile(
      Write("code,name,level,parent\nXA01,North,1,XAA\nXA02,South,x,XAA\nXA01,Again,1,XAA\n"
            "XA0101,Hills,2,XA01\n"),
      &skipped);
  ASSERT_TRUE(gazetteer.ok()) << gazetteer.status().ToString();
  EXPECT_EQ(gazetteer->size(), 2u);
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_THAT(skipped[0], HasSubstr("row 3, column 3: admin level 'x'"));
  EXPECT_THAT(skipped[1], HasSubstr("row 4: P-code XA01 appears twice"));
}

TEST_F(PlainGazetteerTest, MissingColumnIsNamed) {
  Result<Gazetteer> gazetteer = Gazetteer::LoadFile(Write("pcode,label\nXA01,North\n"));
  ASSERT_FALSE(gazetteer.ok());
  EXPECT_THAT(gazetteer.status().message(), HasSubstr("no admin level column"));
}

}  // namespace
}  // namespace opendtm::geo
