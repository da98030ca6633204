#include "disclosure/admin_figure_release.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "disclosure/testing.h"

namespace opendtm::disclosure {
namespace {

using store::AdminFigure;
using store::Tier;
using testing::Default;

// A Haiti admin-level figure: `level` 0 (country), 1 (admin1 `admin1`).
AdminFigure Figure(int level, std::string admin1, int64_t total, std::optional<int64_t> males,
                   std::optional<int64_t> females) {
  AdminFigure figure;
  figure.admin_level = level;
  figure.source_id = level > 0 ? "7021" : "";
  figure.operation_name = "Hurricane Matthew";
  figure.country_name = "Haiti";
  figure.country = "HTI";
  figure.round = 9;
  figure.reporting_date = "2017-03-31T00:00:00";
  figure.assessment_type = "SA";
  figure.admin1_pcode = std::move(admin1);
  figure.admin1_name = figure.admin1_pcode.empty() ? "" : "Grand'Anse";
  figure.displacement_reason = "Natural disaster";
  figure.origin_admin1_pcode = "Not available";
  figure.origin_admin1_name = "Not available";
  figure.num_present_idp_ind = total;
  figure.males = males;
  figure.females = females;
  figure.record_json = "{}";
  return figure;
}

Result<AdminFigureRelease> ReleaseTo(const std::vector<AdminFigure>& figures, Tier tier,
                                     Policy policy = DefaultPolicy()) {
  return ReleaseAdminFigures(figures, policy, tier);
}

constexpr SuppressionReason kNone = SuppressionReason::kNone;

TEST(AdminFigureReleaseTest, OperationAdminAndProtectionReceiveEveryCountAsStored) {
  const std::vector<AdminFigure> figures = {Figure(1, "HT08", 12, 8, 4),
                                            Figure(1, "HT04", 3, std::nullopt, std::nullopt)};
  for (Tier tier : {Tier::kOperationAdmin, Tier::kProtection}) {
    auto release = ReleaseTo(figures, tier);
    ASSERT_TRUE(release.ok()) << release.status().ToString();
    EXPECT_EQ(release->tier, tier);
    ASSERT_EQ(release->figures.size(), 2u);
    EXPECT_EQ(release->figures[0].num_present_idp_ind.value, 12);
    EXPECT_EQ(release->figures[0].males.value, 8);
    EXPECT_EQ(release->figures[0].females.value, 4);
    EXPECT_EQ(release->figures[1].num_present_idp_ind.value, 3);
    EXPECT_FALSE(release->figures[1].males.value.has_value());
    EXPECT_EQ(release->figures[1].males.reason, kNone);
    EXPECT_EQ(release->small_cells + release->complementary, 0);
  }
}

TEST(AdminFigureReleaseTest, FieldsOtherThanCountsAreCopiedVerbatim) {
  AdminFigure figure = Figure(2, "HT08", 1500, 700, 800);
  figure.admin2_pcode = "HT0811";
  figure.admin2_name = "Jérémie";
  figure.origin_admin1_pcode = "HT01";
  figure.origin_admin1_name = "Ouest";
  auto release = ReleaseTo({figure}, Tier::kPublic);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  const ReleasedAdminFigure& released = release->figures[0];
  EXPECT_EQ(released.admin_level, 2);
  EXPECT_EQ(released.source_id, "7021");
  EXPECT_EQ(released.operation_name, "Hurricane Matthew");
  EXPECT_EQ(released.country_name, "Haiti");
  EXPECT_EQ(released.country, "HTI");
  EXPECT_EQ(released.round, 9);
  EXPECT_EQ(released.reporting_date, "2017-03-31T00:00:00");
  EXPECT_EQ(released.assessment_type, "SA");
  EXPECT_EQ(released.admin1_pcode, "HT08");
  EXPECT_EQ(released.admin1_name, "Grand'Anse");
  EXPECT_EQ(released.admin2_pcode, "HT0811");
  EXPECT_EQ(released.admin2_name, "Jérémie");
  EXPECT_EQ(released.displacement_reason, "Natural disaster");
  EXPECT_EQ(released.origin_admin1_pcode, "HT01");
  EXPECT_EQ(released.origin_admin1_name, "Ouest");
  EXPECT_EQ(released.num_present_idp_ind.value, 1500);
  EXPECT_EQ(release->policy_version, 0);
}

// ---- Public totals (spec/disclosure.md): every DTM API record is an area
// total at admin2 or above, published to public and partner as stored. ----

TEST(AdminFigureReleaseTest, PublicTotalsAreExemptFromKPeopleForPublicAndPartner) {
  AdminFigure admin2 = Figure(2, "HT08", 3, 1, 2);
  admin2.admin2_pcode = "HT0812";
  const std::vector<AdminFigure> figures = {Figure(0, "", 1000, std::nullopt, std::nullopt),
                                            Figure(1, "HT01", 996, 500, 496),
                                            Figure(1, "HT08", 4, 3, 1),
                                            Figure(1, "HT05", 0, 0, 0),
                                            Figure(1, "HT06", 4, std::nullopt, std::nullopt),
                                            admin2};
  for (Tier tier : {Tier::kPublic, Tier::kPartner}) {
    auto release = ReleaseTo(figures, tier);
    ASSERT_TRUE(release.ok()) << release.status().ToString();
    const auto& released = release->figures;
    ASSERT_EQ(released.size(), figures.size());
    for (size_t record = 0; record < figures.size(); ++record) {
      EXPECT_EQ(released[record].num_present_idp_ind.value, figures[record].num_present_idp_ind)
          << "record " << record;
      EXPECT_EQ(released[record].males.value, figures[record].males) << "record " << record;
      EXPECT_EQ(released[record].females.value, figures[record].females) << "record " << record;
      for (const ReleasedCount* count : {&released[record].num_present_idp_ind,
                                         &released[record].males, &released[record].females}) {
        EXPECT_EQ(count->reason, kNone) << "record " << record;
      }
    }
    EXPECT_FALSE(released[4].males.value.has_value()) << "unknown stays unknown";
    EXPECT_EQ(release->small_cells + release->complementary, 0);
  }
}

TEST(AdminFigureReleaseTest, CountsBelowOperationAdminAreRounded) {
  Policy policy = DefaultPolicy();
  policy.version = 4;
  policy.For(Tier::kPublic).rounding_base = 5;
  auto release = ReleaseTo({Figure(0, "", 1068882, 509533, 559349), Figure(1, "HT08", 12, 8, 4)},
                           Tier::kPublic, policy);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  EXPECT_EQ(release->policy_version, 4);
  EXPECT_EQ(release->figures[0].num_present_idp_ind.value, 1068880);
  EXPECT_EQ(release->figures[0].males.value, 509535);
  EXPECT_EQ(release->figures[0].females.value, 559350);
  EXPECT_EQ(release->figures[1].num_present_idp_ind.value, 10);
  EXPECT_EQ(release->figures[1].males.value, 10);
  EXPECT_EQ(release->figures[1].females.value, 5);

  // operation_admin is never rounded.
  policy.For(Tier::kOperationAdmin).rounding_base = 5;
  release = ReleaseTo({Figure(1, "HT08", 12, 8, 4)}, Tier::kOperationAdmin, policy);
  ASSERT_TRUE(release.ok());
  EXPECT_EQ(release->figures[0].num_present_idp_ind.value, 12);
}

TEST(AdminFigureReleaseTest, RefusesALevelTheTierMayNotSee) {
  Policy policy = DefaultPolicy();
  policy.For(Tier::kPublic).finest_aggregate = analysis::Level::kAdmin1;
  AdminFigure admin2 = Figure(2, "HT08", 100, std::nullopt, std::nullopt);
  auto release = ReleaseTo({Figure(1, "HT08", 100, 50, 50), admin2}, Tier::kPublic, policy);
  EXPECT_EQ(release.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(release.status().message().find("tier public may not receive admin2 figures"),
            std::string::npos)
      << release.status().message();
}

TEST(AdminFigureReleaseTest, RefusesAnAdminLevelOutsideTheApi) {
  auto release = ReleaseTo({Figure(3, "HT08", 100, 50, 50)}, Tier::kOperationAdmin);
  EXPECT_EQ(release.status().code(), StatusCode::kInvalidArgument);
}

TEST(AdminFigureTablesTest, AreasAddUpWithGazetteerNamesAndRecordCounts) {
  AdminFigure port_au_prince = Figure(2, "HT01", 100, 40, 60);
  port_au_prince.admin2_pcode = "HT0111";
  port_au_prince.admin1_name = "Ouest";
  port_au_prince.admin2_name = "Port-au-Prince";
  AdminFigure delmas = port_au_prince;
  delmas.admin2_pcode = "HT0112";
  delmas.admin2_name = "Delmas";
  delmas.num_present_idp_ind = 51;
  delmas.males = std::nullopt;
  const std::vector<AdminFigure> figures = {port_au_prince, delmas,
                                            Figure(1, "HT01", 999, std::nullopt, std::nullopt)};
  const std::map<std::string, std::string, std::less<>> gazetteer = {{"HT01", "West"}};
  AdminFigureTableRequest request;
  request.tier = Tier::kPublic;
  request.policy = DefaultPolicy();
  request.policy.For(Tier::kPublic).rounding_base = 5;
  request.levels = {analysis::Level::kAdmin2, analysis::Level::kAdmin1};
  request.operation = "Hurricane Matthew";
  request.country = "HTI";
  request.area_names = &gazetteer;
  Result<Release> release = ReleaseAdminFigureTables(figures, Default(), request);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  EXPECT_TRUE(release->admin_figures);
  EXPECT_EQ(release->rounds, std::vector<int>{9});
  ASSERT_EQ(release->columns.size(), 3u);
  EXPECT_EQ(release->columns[0].name, "ind_total");
  ASSERT_EQ(release->rows.size(), 3u);
  const ReleaseRow& first = release->rows[0];
  EXPECT_EQ(first.level, analysis::Level::kAdmin2);
  EXPECT_EQ(first.pcode, "HT0111");
  EXPECT_EQ(first.name, "Port-au-Prince");  // not in the gazetteer: the records' name
  EXPECT_EQ(first.area_path, (std::vector<std::string>{"HT01", "HT0111"}));
  EXPECT_EQ(first.sites, 1);
  EXPECT_EQ(first.cells[0].integer, 100);
  const ReleaseRow& admin1 = release->rows[2];
  EXPECT_EQ(admin1.pcode, "HT01");
  EXPECT_EQ(admin1.name, "West");           // the gazetteer's
  EXPECT_EQ(admin1.sites, 2);               // admin2 records added up, not the published 999
  EXPECT_EQ(admin1.cells[0].integer, 150);  // 151 rounded to 5
  EXPECT_EQ(admin1.cells[1].state, CellState::kValue);
  EXPECT_EQ(admin1.cells[1].integer, 40);

  // A level the tier may not see is refused; one finer than published is empty.
  request.levels = {analysis::Level::kSite};
  EXPECT_EQ(ReleaseAdminFigureTables(figures, Default(), request).status().code(),
            StatusCode::kPermissionDenied);
  request.tier = Tier::kProtection;
  request.levels = {analysis::Level::kAdmin3};
  Result<Release> admin3 = ReleaseAdminFigureTables(figures, Default(), request);
  ASSERT_TRUE(admin3.ok()) << admin3.status().ToString();
  EXPECT_TRUE(admin3->rows.empty());
}

}  // namespace
}  // namespace opendtm::disclosure
