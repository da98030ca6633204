#include "publish/json_export.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/sha256.h"
#include "publish/testing.h"

namespace opendtm::publish {
namespace {

using namespace testing;  // NOLINT: the hand-built releases
using nlohmann::json;

TEST(JsonExportTest, PublicReleaseMatchesGolden) {
  auto exported = ExportJson(PublicRelease(), {});
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  ExpectGolden("public.json", exported->text);
  EXPECT_EQ(exported->summary.rows, 6);
  EXPECT_EQ(exported->summary.columns, 17);
  EXPECT_EQ(exported->summary.sha256, core::Sha256::HexOf(exported->text));
}

TEST(JsonExportTest, EnvelopeRowsAnswerGroupsNullsAndFlags) {
  auto exported = ExportJson(PublicRelease(), {.levels = {Level::kAdmin2}});
  ASSERT_TRUE(exported.ok());
  const json document = json::parse(exported->text);
  EXPECT_EQ(document["tier"], "public");
  EXPECT_EQ(document["policy_version"], 3);
  EXPECT_EQ(document["operations"], json::parse(R"j(["Haiti Earthquake (HTI)"])j"));
  EXPECT_EQ(document["rounds"], json::parse("[1, 2]"));
  EXPECT_EQ(document["levels"], json::parse(R"(["admin2"])"));
  ASSERT_EQ(document["rows"].size(), 4u);

  const json& delmas = document["rows"][1];
  EXPECT_EQ(delmas["level"], "admin2");
  EXPECT_EQ(delmas["pcode"], "HT0112");
  EXPECT_EQ(delmas["sites"], 4);
  EXPECT_EQ(delmas["ind_total"], 42);
  EXPECT_TRUE(delmas["f_total"].is_null());
  EXPECT_TRUE(delmas["m_total"].is_null());
  EXPECT_TRUE(delmas["water_litres"].is_null());
  EXPECT_EQ(delmas["lighting"], json::parse(R"({"adequate": {"sites": 0, "share_of_sites": 0.0},
                                                "none": {"sites": 4, "share_of_sites": 1.0}})"));
  EXPECT_EQ(delmas["flags"], json::parse(R"({"f_total": "suppressed", "m_total": "suppressed"})"));
  EXPECT_EQ(delmas["admin1_pcode"], "HT01");
  EXPECT_EQ(delmas["admin2_pcode"], "HT0112");
  const json& port_au_prince = document["rows"][0];
  EXPECT_EQ(port_au_prince["lighting"]["adequate"]["share_of_sites"], 0.5833);
  EXPECT_EQ(port_au_prince["water_litres"], 1250.5);
  EXPECT_EQ(port_au_prince["latitude"], 18.5392);
  EXPECT_TRUE(delmas["latitude"].is_null());
  EXPECT_FALSE(port_au_prince.contains("flags"));
  // The keys in the rollup's order.
  std::string keys;
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(exported->text);
  for (const auto& [key, value] : ordered["rows"][1].items()) keys += key + ",";
  EXPECT_EQ(keys,
            "level,pcode,name,admin1_pcode,admin2_pcode,round,assessment_type,sites,latitude,"
            "longitude,ind_total,f_total,m_total,households,lighting,water_litres,flags,");
}

TEST(JsonExportTest, SuppressedAnswerCountsAndSiteRowsOfSeveralOperations) {
  auto exported = ExportJson(PartnerRelease(), {});
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  ExpectGolden("partner.json", exported->text);
  const json document = json::parse(exported->text);
  ASSERT_EQ(document["rows"].size(), 5u);
  const json& site = document["rows"][1];
  EXPECT_EQ(site["operation"], "Haiti Earthquake");
  EXPECT_EQ(site["site_id"], "HT-002");
  EXPECT_FALSE(site.contains("pcode"));
  EXPECT_EQ(site["lighting"], "none");
  EXPECT_TRUE(site["f_total"].is_null());
  EXPECT_EQ(site["admin2_pcode"], "HT0111");
  EXPECT_TRUE(site["admin3_pcode"].is_null()) << "generalised: its admin3 is not named";
  EXPECT_EQ(document["rows"][0]["admin3_pcode"], "HT011101");
  const json& jeremie = document["rows"][4];
  EXPECT_EQ(jeremie["lighting"],
            json::parse(R"({"adequate": {"sites": null, "share_of_sites": null}})"))
      << "a count suppressed under k_sites is null even when it is 0";
  EXPECT_EQ(jeremie["flags"], json::parse(R"({"lighting=adequate": "suppressed"})"));
  EXPECT_FALSE(jeremie.contains("admin3_pcode")) << "an admin2 row's path ends at admin2";
}

}  // namespace
}  // namespace opendtm::publish
