#include "publish/geojson_export.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/sha256.h"
#include "publish/testing.h"

namespace opendtm::publish {
namespace {

using namespace testing;  // NOLINT: the hand-built releases
using nlohmann::json;

TEST(GeoJsonExportTest, PublicReleaseMatchesGolden) {
  auto geojson = ExportGeoJson(PublicRelease(), {});
  ASSERT_TRUE(geojson.ok()) << geojson.status().ToString();
  ExpectGolden("public.geojson", geojson->text);
  EXPECT_EQ(geojson->summary.rows, 6);
  EXPECT_EQ(geojson->summary.columns, 17);
  EXPECT_EQ(geojson->summary.sha256, core::Sha256::HexOf(geojson->text));
}

TEST(GeoJsonExportTest, FeaturesArePointsOrNullWithSuppressedValuesNull) {
  auto geojson = ExportGeoJson(PublicRelease(), {});
  ASSERT_TRUE(geojson.ok());
  const json collection = json::parse(geojson->text);
  EXPECT_EQ(collection["type"], "FeatureCollection");
  // The tier and policy that produced the file, as foreign members.
  EXPECT_EQ(collection["tier"], "public");
  EXPECT_EQ(collection["policy_version"], PublicRelease().policy_version);
  ASSERT_EQ(collection["features"].size(), 6u);
  const json& port_au_prince = collection["features"][0];
  EXPECT_EQ(port_au_prince["type"], "Feature");
  EXPECT_EQ(port_au_prince["geometry"],
            json::parse(R"({"type": "Point", "coordinates": [-72.335, 18.5392]})"));
  EXPECT_FALSE(port_au_prince["properties"].contains("flags"));
  EXPECT_EQ(port_au_prince["properties"]["f_total"], 800);

  const json& delmas = collection["features"][1];
  EXPECT_TRUE(delmas["geometry"].is_null());
  const json& properties = delmas["properties"];
  EXPECT_EQ(properties["pcode"], "HT0112");
  EXPECT_EQ(properties["level"], "admin2");
  EXPECT_EQ(properties["round"], 1);
  EXPECT_EQ(properties["sites"], 4);
  EXPECT_TRUE(properties["f_total"].is_null());
  EXPECT_TRUE(properties["m_total"].is_null());
  EXPECT_EQ(properties["ind_total"], 42) << "no blanket blanking";
  EXPECT_EQ(properties["lighting=adequate"], 0) << "a true 0 is published";
  EXPECT_TRUE(properties["water_litres"].is_null());
  EXPECT_FALSE(properties.contains("lighting")) << "a site column on an area feature";
  EXPECT_EQ(properties["flags"],
            json::parse(R"({"f_total": "suppressed", "m_total": "suppressed"})"));
  EXPECT_EQ(properties["admin1_pcode"], "HT01");
  EXPECT_EQ(properties["admin2_pcode"], "HT0112");
}

TEST(GeoJsonExportTest, SitesOfSeveralOperationsMatchGolden) {
  auto geojson = ExportGeoJson(PartnerRelease(), {.levels = {Level::kSite}});
  ASSERT_TRUE(geojson.ok()) << geojson.status().ToString();
  ExpectGolden("partner-sites.geojson", geojson->text);
  const json collection = json::parse(geojson->text);
  ASSERT_EQ(collection["features"].size(), 3u);
  const json& site = collection["features"][1]["properties"];
  EXPECT_EQ(site["operation"], "Haiti Earthquake");
  EXPECT_EQ(site["lighting"], "none");
  EXPECT_TRUE(site["f_total"].is_null());
  EXPECT_EQ(site["flags"]["f_total"], "suppressed");
  EXPECT_EQ(site["admin1_pcode"], "HT01");
  EXPECT_EQ(collection["features"][2]["properties"]["name"], "Lycée de Jérémie");
}

// GDAL's GeoJSON driver: points in WGS 84, integer figures, suppressed ones
// null, the flags as a JSON field.
TEST(GeoJsonExportTest, GdalReadsPointsNullsAndFlags) {
  if (!HaveOgrinfo()) GTEST_SKIP() << "ogrinfo (GDAL) not installed";
  TempDir dir;
  auto geojson = ExportGeoJson(PublicRelease(), {});
  ASSERT_TRUE(geojson.ok());
  const std::string path = dir.File("public.geojson");
  std::ofstream(path, std::ios::binary) << geojson->text;
  auto summary = RunCommand("ogrinfo -ro -al -so " + path + " 2>&1");
  ASSERT_TRUE(summary.has_value());
  EXPECT_NE(summary->find("Feature Count: 6"), std::string::npos) << *summary;
  EXPECT_NE(summary->find("Geometry: Point"), std::string::npos) << *summary;
  EXPECT_NE(summary->find("ID[\"EPSG\",4326]"), std::string::npos) << *summary;
  EXPECT_NE(summary->find("f_total: Integer"), std::string::npos) << *summary;
  EXPECT_NE(summary->find("water_litres: Real"), std::string::npos) << *summary;
  auto features = RunCommand("ogrinfo -ro -al -q " + path + " 2>&1");
  ASSERT_TRUE(features.has_value());
  EXPECT_NE(FeatureBlock(*features, "pcode (String) = HT0111").find("POINT (-72.335 18.5392)"),
            std::string::npos)
      << *features;
  const std::string delmas = FeatureBlock(*features, "pcode (String) = HT0112");
  EXPECT_NE(delmas.find("f_total (Integer) = (null)"), std::string::npos) << delmas;
  EXPECT_NE(delmas.find("ind_total (Integer) = 42"), std::string::npos) << delmas;
  EXPECT_NE(delmas.find("\"f_total\": \"suppressed\""), std::string::npos) << delmas;
  EXPECT_EQ(delmas.find("POINT"), std::string::npos) << delmas;
}

}  // namespace
}  // namespace opendtm::publish
