// The master list decides a site's area (spec/disclosure.md): a round that
// reports another admin P-code for a registered site raises
// pcode_differs_from_master_list and stores the master list's P-code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "dictionary/testing.h"
#include "ingest/site_validator.h"

namespace opendtm::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using dictionary::testing::DefaultDictionary;

int IndexOf(std::string_view name) { return DefaultDictionary().IndexOf(name); }

// Site S1 of round 11, with `values` in columns "col <indicator>".
MappedRow Row(const std::vector<std::pair<std::string, std::string>>& values) {
  const size_t count = DefaultDictionary().indicators().size();
  MappedRow row;
  row.line = 12;
  row.values.assign(count, "");
  row.columns.assign(count, "");
  std::vector<std::pair<std::string, std::string>> all = {
      {"site_id", "S1"}, {"round", "11"}, {"survey_date", "2026-05-21"}};
  all.insert(all.end(), values.begin(), values.end());
  for (const auto& [name, value] : all) {
    row.values[IndexOf(name)] = value;
    row.columns[IndexOf(name)] = "col " + name;
  }
  return row;
}

const geo::Gazetteer& Gazetteer() {
  static const geo::Gazetteer* gazetteer = [] {
    auto* built = new geo::Gazetteer;
    for (geo::AdminArea area : {geo::AdminArea{"NGA", 1, "NG008", "Borno", "NGA", ""},
                                geo::AdminArea{"NGA", 2, "NG008001", "Abadam", "NG008", ""},
                                geo::AdminArea{"NGA", 2, "NG008002", "Askira", "NG008", ""},
                                geo::AdminArea{"NGA", 1, "NG036", "Yobe", "NGA", ""},
                                geo::AdminArea{"NGA", 2, "NG036001", "Bade", "NG036", ""}}) {
      EXPECT_TRUE(built->Add(std::move(area)).ok());
    }
    return built;
  }();
  return *gazetteer;
}

ValidationContext Context() {
  ValidationContext context;
  context.file = "round11.csv";
  context.country = "NGA";
  context.gazetteer = &Gazetteer();
  context.known_site_ids = {"S1", "S2"};
  store::Site s1;
  s1.site_id = "S1";
  s1.adm1_pcode = "NG008";
  s1.adm2_pcode = "NG008001";
  context.master_sites.emplace("S1", s1);
  return context;
}

RowOutcome Validated(const MappedRow& row, ValidationContext context = Context()) {
  Result<SiteValidator> validator = SiteValidator::Create(DefaultDictionary(), std::move(context));
  EXPECT_TRUE(validator.ok()) << validator.status().ToString();
  return validator->Validate(row);
}

std::vector<std::string> Rules(const RowOutcome& outcome) {
  std::vector<std::string> rules;
  for (const Finding& finding : outcome.findings) rules.push_back(finding.rule);
  return rules;
}

TEST(MasterAreaTest, TheMasterListsAreaPassesSilently) {
  RowOutcome outcome = Validated(Row({{"adm1_pcode", "NG008"}, {"adm2_pcode", "NG008001"}}));
  EXPECT_THAT(outcome.findings, IsEmpty());
  EXPECT_EQ(outcome.cleaned[IndexOf("adm1_pcode")], "NG008");
  EXPECT_EQ(outcome.cleaned[IndexOf("adm2_pcode")], "NG008001");
}

TEST(MasterAreaTest, AnotherValidPcodeIsAFindingAndTheMasterListsIsStored) {
  RowOutcome outcome = Validated(Row({{"adm1_pcode", "NG036"}, {"adm2_pcode", "NG036001"}}));
  ASSERT_THAT(Rules(outcome),
              ElementsAre("pcode_differs_from_master_list", "pcode_differs_from_master_list"));
  const Finding& admin1 = outcome.findings[0];
  EXPECT_EQ(admin1.file, "round11.csv");
  EXPECT_EQ(admin1.row, 12);
  EXPECT_EQ(admin1.column, "col adm1_pcode");
  EXPECT_EQ(admin1.indicator, "adm1_pcode");
  EXPECT_EQ(admin1.severity, Severity::kWarning);
  EXPECT_EQ(admin1.value, "NG036");
  EXPECT_EQ(admin1.suggestion, "NG008");
  EXPECT_NE(admin1.message.find("'NG036'"), std::string::npos) << admin1.message;
  EXPECT_NE(admin1.message.find("'NG008'"), std::string::npos) << admin1.message;
  EXPECT_FALSE(outcome.quarantined);
  EXPECT_EQ(outcome.cleaned[IndexOf("adm1_pcode")], "NG008");
  EXPECT_EQ(outcome.cleaned[IndexOf("adm2_pcode")], "NG008001");
}

// The demo's round 11: an unknown P-code is blanked (pcode_unknown), and the
// site stays in its area instead of falling under a blank admin1.
TEST(MasterAreaTest, AnUnknownPcodeLeavesTheSiteInItsArea) {
  RowOutcome outcome = Validated(Row({{"adm1_pcode", "NG999"}, {"adm2_pcode", "NG008001"}}));
  EXPECT_THAT(Rules(outcome), ElementsAre("pcode_unknown", "pcode_differs_from_master_list"));
  EXPECT_EQ(outcome.cleaned[IndexOf("adm1_pcode")], "NG008");
  EXPECT_EQ(outcome.cleaned[IndexOf("adm2_pcode")], "NG008001");
}

TEST(MasterAreaTest, AMissingPcodeIsFilledFromTheMasterListWithoutAFinding) {
  RowOutcome outcome = Validated(Row({}));
  EXPECT_THAT(outcome.findings, IsEmpty());
  EXPECT_EQ(outcome.cleaned[IndexOf("adm1_pcode")], "NG008");
  EXPECT_EQ(outcome.cleaned[IndexOf("adm2_pcode")], "NG008001");
}

TEST(MasterAreaTest, AFinerLevelUnderAnotherAreaIsDropped) {
  // The master list has no admin3 for S1; the row's admin3 lies under the
  // admin2 it reported, which is not the master list's.
  ValidationContext context = Context();
  context.gazetteer = nullptr;
  RowOutcome outcome = Validated(
      Row({{"adm1_pcode", "NG008"}, {"adm2_pcode", "NG008002"}, {"adm3_pcode", "NG008002003"}}),
      std::move(context));
  ASSERT_THAT(Rules(outcome),
              ElementsAre("pcode_differs_from_master_list", "pcode_differs_from_master_list"));
  EXPECT_EQ(outcome.findings[1].indicator, "adm3_pcode");
  EXPECT_EQ(outcome.cleaned[IndexOf("adm2_pcode")], "NG008001");
  EXPECT_EQ(outcome.cleaned[IndexOf("adm3_pcode")], "");
}

TEST(MasterAreaTest, SitesOutsideTheMasterListKeepWhatTheyReport) {
  MappedRow row = Row({{"adm1_pcode", "NG036"}});
  row.values[IndexOf("site_id")] = "S2";
  RowOutcome outcome = Validated(row);
  EXPECT_THAT(outcome.findings, IsEmpty());
  EXPECT_EQ(outcome.cleaned[IndexOf("adm1_pcode")], "NG036");
}

}  // namespace
}  // namespace opendtm::ingest
