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

// ---- The public tier on the real Haiti figures (admin0 and admin1 released
// together). Needs disclosure::Suppress. ----

class PublicDtmApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin0_ = RecordsOf(kAdmin0Path);
    admin1_ = RecordsOf(kAdmin1Path);
    figures_ = FiguresOf(admin0_, 0);
    for (store::AdminFigure& figure : FiguresOf(admin1_, 1)) figures_.push_back(figure);
    auto release = disclosure::ReleaseAdminFigures(figures_, disclosure::DefaultPolicy(),
                                                   store::Tier::kPublic);
    ASSERT_TRUE(release.ok()) << release.status().ToString();
    auto admin0 = ExportDtmApi(*release, 0);
    auto admin1 = ExportDtmApi(*release, 1);
    ASSERT_TRUE(admin0.ok() && admin1.ok());
    written0_ = json::parse(admin0->text)["result"];
    written1_ = json::parse(admin1->text)["result"];
    small_cells_ = release->small_cells;
    complementary_ = release->complementary;
  }

  json admin0_, admin1_, written0_, written1_;
  std::vector<store::AdminFigure> figures_;
  int64_t small_cells_ = 0;
  int64_t complementary_ = 0;
};

const char* const kCounts[] = {"numPresentIdpInd", "numberMales", "numberFemales"};

TEST_F(PublicDtmApiTest, TheShapeIsTheApisWithNullsOnly) {
  ASSERT_EQ(written0_.size(), admin0_.size());
  ASSERT_EQ(written1_.size(), admin1_.size());
  for (const auto& [written, original] :
       {std::tie(written0_, admin0_), std::tie(written1_, admin1_)}) {
    for (size_t record = 0; record < original.size(); ++record) {
      const json& out = written[record];
      const json& in = original[record];
      ASSERT_EQ(out.size(), in.size()) << "record " << record << " gained or lost a field";
      for (const auto& [key, value] : in.items()) {
        ASSERT_TRUE(out.contains(key)) << key;
        const bool count = key == kCounts[0] || key == kCounts[1] || key == kCounts[2];
        if (!count || !out[key].is_null()) {
          EXPECT_EQ(out[key], value) << "record " << record << " " << key;
        }
      }
    }
  }
}

TEST_F(PublicDtmApiTest, SmallPeopleCountsAreNull) {
  // admin1 record 62 (Hurricane Matthew round 9, HT08): 12 people, 8 males,
  // 4 females; 150 (Countrywide monitoring round 7, HT04): 7, 3 and 4;
  // 153 (HT03): 10, 3 and 7.
  EXPECT_TRUE(written1_[62]["numberFemales"].is_null());
  EXPECT_TRUE(written1_[150]["numberMales"].is_null());
  EXPECT_TRUE(written1_[150]["numberFemales"].is_null());
  EXPECT_TRUE(written1_[153]["numberMales"].is_null());
  for (const json* written : {&written0_, &written1_}) {
    for (const json& record : *written) {
      for (const char* count : kCounts) {
        if (record[count].is_null()) continue;
        const int64_t value = record[count];
        EXPECT_TRUE(value == 0 || value >= 5) << record.dump();
      }
    }
  }
  EXPECT_EQ(small_cells_, 4);
}

// The independent check, one relation at a time: where a sum holds in the
// stored figures, no suppressed count may be the only unknown of it (it would
// be its total minus the others). Holds only once secondary suppression does.
TEST_F(PublicDtmApiTest, NoSuppressedCountIsTheOnlyUnknownOfASum) {
  auto is_null = [](const json& record, const char* count) { return record[count].is_null(); };
  for (const auto& [written, original] :
       {std::tie(written0_, admin0_), std::tie(written1_, admin1_)}) {
    for (size_t record = 0; record < original.size(); ++record) {
      const json& in = original[record];
      if (in["numberMales"].is_null() ||
          in["numberMales"].get<int64_t>() + in["numberFemales"].get<int64_t>() !=
              in["numPresentIdpInd"].get<int64_t>()) {
        continue;
      }
      const int unknowns = is_null(written[record], kCounts[0]) +
                           is_null(written[record], kCounts[1]) +
                           is_null(written[record], kCounts[2]);
      EXPECT_NE(unknowns, 1) << "record " << record << ": " << written[record].dump();
    }
  }
  // admin0 = Σ admin1 with the same operation, round, date, type, reason and
  // origin (every admin0 record of these files has such admin1 records).
  using Key = std::tuple<std::string, int, std::string, std::string, std::string, std::string>;
  auto key_of = [](const json& record) {
    return Key{record["operation"],          record["roundNumber"],
               record["reportingDate"],      record["assessmentType"],
               record["displacementReason"], record["idpOriginAdmin1Pcode"]};
  };
  std::map<Key, std::vector<size_t>> parts;
  for (size_t record = 0; record < admin1_.size(); ++record) {
    parts[key_of(admin1_[record])].push_back(record);
  }
  int relations = 0;
  for (size_t record = 0; record < admin0_.size(); ++record) {
    const std::vector<size_t>& children = parts[key_of(admin0_[record])];
    for (const char* count : kCounts) {
      if (admin0_[record][count].is_null()) continue;
      int64_t sum = 0;
      bool known = true;
      for (size_t child : children) {
        if (admin1_[child][count].is_null())
          known = false;
        else
          sum += admin1_[child][count].get<int64_t>();
      }
      if (!known || sum != admin0_[record][count].get<int64_t>()) continue;
      ++relations;
      int unknowns = is_null(written0_[record], count);
      for (size_t child : children) unknowns += is_null(written1_[child], count);
      EXPECT_NE(unknowns, 1) << "admin0 record " << record << " " << count;
    }
  }
  EXPECT_GT(relations, 100);
  EXPECT_GT(complementary_, 0);
}

}  // namespace
}  // namespace opendtm::publish
