#include "publish/dtm_api_export.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "core/sha256.h"
#include "disclosure/admin_figure_release.h"
#include "disclosure/policy.h"
#include "publish/testing.h"

namespace opendtm::publish {
namespace {

using nlohmann::json;
using testing::ReadFile;

const std::string kAdmin0Path = std::string(OPENDTM_SHARED_DIR) +
                                "/data/real/dtm-api-v3-displacement-admin0-admin0pcode-hti.json";
const std::string kAdmin1Path = std::string(OPENDTM_SHARED_DIR) +
                                "/data/real/dtm-api-v3-displacement-admin1-admin0pcode-hti.json";

std::optional<int64_t> CountOf(const json& value) {
  return value.is_null() ? std::nullopt : std::optional<int64_t>(value.get<int64_t>());
}

// A real API record as the store keeps it (store::AdminFigure), field by
// field. record_json is left without the record, so that an export reading
// it instead of the fields could not reproduce the file.
store::AdminFigure FigureOf(const json& record, int admin_level) {
  store::AdminFigure figure;
  figure.admin_level = admin_level;
  if (record.contains("id")) figure.source_id = std::to_string(record["id"].get<int64_t>());
  figure.operation_name = record["operation"];
  figure.country_name = record["admin0Name"];
  figure.country = record["admin0Pcode"];
  figure.round = record["roundNumber"];
  figure.reporting_date = record["reportingDate"];
  figure.assessment_type = record["assessmentType"];
  figure.admin1_pcode = record.value("admin1Pcode", "");
  figure.admin1_name = record.value("admin1Name", "");
  figure.admin2_pcode = record.value("admin2Pcode", "");
  figure.admin2_name = record.value("admin2Name", "");
  figure.displacement_reason = record["displacementReason"];
  figure.origin_admin1_pcode = record["idpOriginAdmin1Pcode"];
  figure.origin_admin1_name = record["idpOriginAdmin1Name"];
  figure.num_present_idp_ind = record["numPresentIdpInd"];
  figure.males = CountOf(record["numberMales"]);
  figure.females = CountOf(record["numberFemales"]);
  figure.record_json = "{}";
  return figure;
}

// The file's records, in order.
json RecordsOf(const std::string& path) { return json::parse(ReadFile(path))["result"]; }

std::vector<store::AdminFigure> FiguresOf(const json& records, int admin_level) {
  std::vector<store::AdminFigure> figures;
  for (const json& record : records) figures.push_back(FigureOf(record, admin_level));
  return figures;
}

// Record for record (each parsed, in order: a message per record that
// differs), then byte for byte.
void ExpectReproduces(const std::string& text, const std::string& path) {
  const json original = json::parse(ReadFile(path));
  const nlohmann::ordered_json written = nlohmann::ordered_json::parse(text);
  const nlohmann::ordered_json expected = nlohmann::ordered_json::parse(ReadFile(path));
  ASSERT_EQ(written["result"].size(), expected["result"].size());
  for (size_t record = 0; record < expected["result"].size(); ++record) {
    // ordered_json compares keys in order too: same fields, same order.
    EXPECT_EQ(written["result"][record], expected["result"][record]) << "record " << record;
  }
  EXPECT_EQ(written, expected);
  EXPECT_EQ(text, ReadFile(path)) << "bytes differ from " << path;
}

TEST(DtmApiExportTest, OperationAdminReproducesTheRealAdmin0Response) {
  const std::vector<store::AdminFigure> figures = FiguresOf(RecordsOf(kAdmin0Path), 0);
  ASSERT_EQ(figures.size(), 114u);
  auto release = disclosure::ReleaseAdminFigures(figures, disclosure::DefaultPolicy(),
                                                 store::Tier::kOperationAdmin);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  auto response = ExportDtmApi(*release, 0);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ExpectReproduces(response->text, kAdmin0Path);
  EXPECT_EQ(response->summary.rows, 114);
  EXPECT_EQ(response->summary.columns, 14);
  EXPECT_EQ(response->summary.sha256, core::Sha256HexOfFile(kAdmin0Path).value());
}

TEST(DtmApiExportTest, OperationAdminReproducesTheRealAdmin1Response) {
  const std::vector<store::AdminFigure> figures = FiguresOf(RecordsOf(kAdmin1Path), 1);
  ASSERT_EQ(figures.size(), 235u);
  auto release = disclosure::ReleaseAdminFigures(figures, disclosure::DefaultPolicy(),
                                                 store::Tier::kOperationAdmin);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  auto response = ExportDtmApi(*release, 1);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ExpectReproduces(response->text, kAdmin1Path);
  EXPECT_EQ(response->summary.rows, 235);
  EXPECT_EQ(response->summary.columns, 17);
}

TEST(DtmApiExportTest, OneReleaseOfBothLevelsWritesEachLevelAlone) {
  std::vector<store::AdminFigure> figures = FiguresOf(RecordsOf(kAdmin1Path), 1);
  for (store::AdminFigure& figure : FiguresOf(RecordsOf(kAdmin0Path), 0)) figures.push_back(figure);
  auto release = disclosure::ReleaseAdminFigures(figures, disclosure::DefaultPolicy(),
                                                 store::Tier::kOperationAdmin);
  ASSERT_TRUE(release.ok());
  auto admin0 = ExportDtmApi(*release, 0);
  auto admin1 = ExportDtmApi(*release, 1);
  auto admin2 = ExportDtmApi(*release, 2);
  ASSERT_TRUE(admin0.ok() && admin1.ok() && admin2.ok());
  EXPECT_EQ(admin0->text, ReadFile(kAdmin0Path));
  EXPECT_EQ(admin1->text, ReadFile(kAdmin1Path));
  EXPECT_EQ(admin2->text,
            "{\"result\": [], \"statusCode\": 200, \"isSuccess\": true, \"errorMessages\": [], "
            "\"totalRecordsCount\": 0}\n");
  EXPECT_EQ(admin2->summary.columns, 19);
  EXPECT_EQ(ExportDtmApi(*release, 3).status().code(), StatusCode::kInvalidArgument);
}

TEST(DtmApiExportTest, Admin2RecordsHaveTheApiFieldsInOrder) {
  store::AdminFigure figure;
  figure.admin_level = 2;
  figure.source_id = "91234";
  figure.operation_name = "Countrywide monitoring";
  figure.country_name = "Haiti";
  figure.country = "HTI";
  figure.admin1_name = "Ouest";
  figure.admin1_pcode = "HT01";
  figure.admin2_name = "Port-au-Prince";
  figure.admin2_pcode = "HT0111";
  figure.num_present_idp_ind = 5006;
  figure.reporting_date = "2025-06-30T00:00:00";
  figure.round = 10;
  figure.displacement_reason = "Insecurity";
  figure.origin_admin1_name = "Not available";
  figure.origin_admin1_pcode = "Not available";
  figure.assessment_type = "BA";
  const store::AdminFigure figures[] = {figure};
  auto release = disclosure::ReleaseAdminFigures(figures, disclosure::DefaultPolicy(),
                                                 store::Tier::kOperationAdmin);
  ASSERT_TRUE(release.ok());
  auto response = ExportDtmApi(*release, 2);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->text,
            "{\"result\": [{\"id\": 91234, \"operation\": \"Countrywide monitoring\", "
            "\"admin0Name\": \"Haiti\", \"admin0Pcode\": \"HTI\", \"admin1Name\": \"Ouest\", "
            "\"admin1Pcode\": \"HT01\", \"admin2Name\": \"Port-au-Prince\", \"admin2Pcode\": "
            "\"HT0111\", \"numPresentIdpInd\": 5006, \"reportingDate\": \"2025-06-30T00:00:00\", "
            "\"yearReportingDate\": 2025, \"monthReportingDate\": 6, \"roundNumber\": 10, "
            "\"displacementReason\": \"Insecurity\", \"numberMales\": null, \"numberFemales\": "
            "null, \"idpOriginAdmin1Name\": \"Not available\", \"idpOriginAdmin1Pcode\": \"Not "
            "available\", \"assessmentType\": \"BA\"}], \"statusCode\": 200, \"isSuccess\": true, "
            "\"errorMessages\": [], \"totalRecordsCount\": 1}\n");
  EXPECT_EQ(response->summary.columns, 19);

  // An id that is not a whole number stays text; an unreadable date has no
  // year or month.
  release->figures[0].source_id = "HT-0042";
  release->figures[0].reporting_date = "June 2025";
  const json record = json::parse(ExportDtmApi(*release, 2)->text)["result"][0];
  EXPECT_EQ(record["id"], "HT-0042");
  EXPECT_EQ(record["reportingDate"], "June 2025");
  EXPECT_TRUE(record["yearReportingDate"].is_null());
  EXPECT_TRUE(record["monthReportingDate"].is_null());
}

// ---- The public and partner tiers on the real Haiti figures (admin0 and
// admin1 released together): public totals at admin2 and above
// (spec/disclosure.md), so DTM's own published responses come back as they
// are, not with nulls. ----

TEST(DtmApiExportTest, PublicAndPartnerReceiveTheRealResponsesAsPublished) {
  std::vector<store::AdminFigure> figures = FiguresOf(RecordsOf(kAdmin0Path), 0);
  for (store::AdminFigure& figure : FiguresOf(RecordsOf(kAdmin1Path), 1)) figures.push_back(figure);
  for (store::Tier tier : {store::Tier::kPublic, store::Tier::kPartner}) {
    auto release = disclosure::ReleaseAdminFigures(figures, disclosure::DefaultPolicy(), tier);
    ASSERT_TRUE(release.ok()) << release.status().ToString();
    EXPECT_EQ(release->small_cells + release->complementary, 0);
    auto admin0 = ExportDtmApi(*release, 0);
    auto admin1 = ExportDtmApi(*release, 1);
    ASSERT_TRUE(admin0.ok() && admin1.ok());
    ExpectReproduces(admin0->text, kAdmin0Path);
    ExpectReproduces(admin1->text, kAdmin1Path);
    // admin1 record 62 (Hurricane Matthew round 9, HT08): 12 people, 8 males,
    // 4 females, published as DTM publishes them.
    const json record = json::parse(admin1->text)["result"][62];
    EXPECT_EQ(record["numPresentIdpInd"], 12);
    EXPECT_EQ(record["numberFemales"], 4);
  }
}

}  // namespace
}  // namespace opendtm::publish
