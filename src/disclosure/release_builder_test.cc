#include "disclosure/release_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/rollup.h"
#include "dictionary/loader.h"
#include "disclosure/testing.h"

namespace opendtm::disclosure {
namespace {

using analysis::Level;
using testing::At;
using testing::CellOf;
using testing::ColumnIndex;
using testing::Default;
using ::testing::ElementsAre;
using testing::FindRow;
using testing::FrameBuilder;
using ::testing::HasSubstr;
using testing::Values;
using testing::With;

const std::map<std::string, std::string, std::less<>>& AreaNames() {
  static const auto* names = new std::map<std::string, std::string, std::less<>>{
      {"NGA", "Nigeria"},         {"NG001", "Borno"},        {"NG002", "Yobe"},
      {"NG001001", "Maiduguri"},  {"NG001002", "Jere"},      {"NG002001", "Damaturu"},
      {"NG001001001", "Bolori"},  {"NG001001002", "Gwange"}, {"NG001002001", "Dusuman"},
      {"NG002001001", "Nayinawa"}};
  return *names;
}

// One operation's round: Borno (NG001) holds Maiduguri (Bolori: S01-S03,
// Gwange: S04) and Jere (Dusuman: S05-S07); Yobe (NG002) holds Damaturu
// (Nayinawa: S08-S09).
Values Sadd(int m_0_1, int m_1_5, int m_6_17, int m_18_59, int m_60plus, int f_0_1, int f_1_5,
            int f_6_17, int f_18_59, int f_60plus) {
  const int m = m_0_1 + m_1_5 + m_6_17 + m_18_59 + m_60plus;
  const int f = f_0_1 + f_1_5 + f_6_17 + f_18_59 + f_60plus;
  auto text = [](int value) { return std::to_string(value); };
  return {{"ind_total", text(m + f)},  {"m_total", text(m)},         {"f_total", text(f)},
          {"m_0_1", text(m_0_1)},      {"m_1_5", text(m_1_5)},       {"m_6_17", text(m_6_17)},
          {"m_18_59", text(m_18_59)},  {"m_60plus", text(m_60plus)}, {"f_0_1", text(f_0_1)},
          {"f_1_5", text(f_1_5)},      {"f_6_17", text(f_6_17)},     {"f_18_59", text(f_18_59)},
          {"f_60plus", text(f_60plus)}};
}

analysis::Frame Operation(int round = 1) {
  FrameBuilder builder(round);
  auto site = [&](const char* id, Values where, Values values) {
    values = With(std::move(where), values);
    values["site_name"] = std::string("Site ") + id;
    builder.Site(id, values);
  };
  const Values bolori = At("NG001", "NG001001", "NG001001001");
  const Values gwange = At("NG001", "NG001001", "NG001001002");
  const Values dusuman = At("NG001", "NG001002", "NG001002001");
  const Values nayinawa = At("NG002", "NG002001", "NG002001001");
  site("S01", bolori,
       With(Sadd(5, 10, 20, 30, 6, 6, 11, 21, 31, 7), {{"uasc", "2"},
                                                       {"hh_child_headed", "0"},
                                                       {"hh_total", "40"},
                                                       {"lighting", "none"},
                                                       {"women_feel_safe", "no"},
                                                       {"site_type", "camp"},
                                                       {"latitude", "11.0"},
                                                       {"longitude", "13.0"},
                                                       {"survey_date", "2026-01-10"},
                                                       {"latrines_functioning", "4"}}));
  site("S02", bolori,
       With(Sadd(8, 12, 20, 25, 5, 9, 12, 22, 26, 6), {{"uasc", "0"},
                                                       {"hh_child_headed", "3"},
                                                       {"hh_total", "35"},
                                                       {"lighting", "adequate"},
                                                       {"women_feel_safe", "yes"},
                                                       {"site_type", "camp"},
                                                       {"latitude", "11.2"},
                                                       {"longitude", "13.2"},
                                                       {"latrines_functioning", "6"}}));
  site("S03", bolori,
       With(Sadd(6, 9, 15, 22, 5, 7, 10, 16, 25, 8), {{"uasc", "9"},
                                                      {"hh_child_headed", "4"},
                                                      {"hh_total", "30"},
                                                      {"lighting", "none"},
                                                      {"women_feel_safe", "no"},
                                                      {"site_type", "camp"},
                                                      {"latitude", "11.4"},
                                                      {"longitude", "13.4"}}));
  site("S04", gwange,
       With(Sadd(5, 7, 9, 14, 6, 5, 8, 10, 16, 5), {{"uasc", "1"},
                                                    {"hh_child_headed", "1"},
                                                    {"hh_total", "20"},
                                                    {"lighting", "none"},
                                                    {"women_feel_safe", "no"},
                                                    {"site_type", "camp"},
                                                    {"latitude", "11.6"},
                                                    {"longitude", "13.6"}}));
  site("S05", dusuman,
       With(Sadd(10, 12, 18, 30, 7, 11, 13, 19, 31, 9), {{"uasc", "0"},
                                                         {"hh_child_headed", "0"},
                                                         {"hh_total", "50"},
                                                         {"lighting", "inadequate"},
                                                         {"disability", "3"},
                                                         {"women_feel_safe", "yes"},
                                                         {"site_type", "camp"}}));
  site("S06", dusuman,
       With(Sadd(9, 11, 17, 28, 8, 10, 12, 18, 29, 7), {{"uasc", "0"},
                                                        {"hh_child_headed", "0"},
                                                        {"hh_total", "45"},
                                                        {"lighting", "adequate"},
                                                        {"disability", "7"},
                                                        {"women_feel_safe", "yes"},
                                                        {"site_type", "host_community"}}));
  site("S07", dusuman,
       With(Sadd(7, 10, 16, 27, 9, 8, 11, 17, 28, 6), {{"uasc", "0"},
                                                       {"hh_child_headed", "0"},
                                                       {"hh_total", "44"},
                                                       {"lighting", "adequate"},
                                                       {"women_feel_safe", "yes"},
                                                       {"site_type", "collective_centre"}}));
  site("S08", nayinawa,
       With(Sadd(12, 14, 20, 35, 10, 13, 15, 21, 36, 11), {{"uasc", "6"},
                                                           {"hh_child_headed", "2"},
                                                           {"hh_total", "60"},
                                                           {"lighting", "none"},
                                                           {"women_feel_safe", "no"},
                                                           {"site_type", "camp"}}));
  site("S09", nayinawa,
       With(Sadd(11, 13, 19, 33, 9, 12, 14, 20, 34, 10), {{"uasc", "5"},
                                                          {"hh_child_headed", "1"},
                                                          {"hh_total", "55"},
                                                          {"lighting", "none"},
                                                          {"women_feel_safe", "no"},
                                                          {"site_type", "camp"}}));
  return builder.frame();
}

ReleaseRequest Request(Tier tier, std::vector<Level> levels) {
  ReleaseRequest request;
  request.tier = tier;
  request.policy = DefaultPolicy();
  request.levels = std::move(levels);
  request.operation = "demo-nga";
  request.country = "NGA";
  request.area_names = &AreaNames();
  return request;
}

Release Build(std::span<const analysis::Frame> frames, const ReleaseRequest& request) {
  Result<Release> release = BuildRelease(frames, Default(), request);
  EXPECT_TRUE(release.ok()) << release.status().ToString();
  return release.ok() ? std::move(release).value() : Release();
}

Release Build(const analysis::Frame& frame, const ReleaseRequest& request) {
  return Build(std::span<const analysis::Frame>(&frame, 1), request);
}

const Level kAllLevels[] = {Level::kSite, Level::kAdmin3, Level::kAdmin2, Level::kAdmin1,
                            Level::kCountry};

dictionary::DisseminationClass ClassOf(const std::string& indicator) {
  return Default().FindIndicator(indicator)->dissemination_class;
}

// --- Columns ---------------------------------------------------------------------

TEST(ReleaseBuilderTest, PartnerSiteRowsCarryOnlyPublicClassValues) {
  const analysis::Frame frame = Operation();
  const Release release = Build(
      frame, Request(Tier::kPartner,
                     {kAllLevels[0], kAllLevels[1], kAllLevels[2], kAllLevels[3], kAllLevels[4]}));
  for (const ReleaseColumn& column : release.columns) {
    if (column.on_sites) {
      EXPECT_EQ(ClassOf(column.indicator), dictionary::DisseminationClass::kPublic) << column.name;
    }
    EXPECT_NE(ClassOf(column.indicator), dictionary::DisseminationClass::kPii) << column.name;
  }
  // Sensitive and urgent aggregates are there, on area rows only.
  for (const char* name :
       {"hh_child_headed", "uasc", "women_feel_safe=no", "recruiters_visit=yes"}) {
    const int column = ColumnIndex(release, name);
    ASSERT_GE(column, 0) << name;
    EXPECT_TRUE(release.columns[column].on_areas) << name;
    EXPECT_FALSE(release.columns[column].on_sites) << name;
  }
  EXPECT_EQ(ColumnIndex(release, "women_feel_safe"), -1);  // the site answers
  EXPECT_EQ(ColumnIndex(release, "smc_focal_name"), -1);   // pii
  // Site identity is row identity, not columns.
  for (const char* name :
       {"site_id", "site_name", "adm1_pcode", "adm3_pcode", "latitude", "round"}) {
    EXPECT_EQ(ColumnIndex(release, name), -1) << name;
  }
  // Public-class answers on sites, their counts on areas.
  const int lighting = ColumnIndex(release, "lighting");
  ASSERT_GE(lighting, 0);
  EXPECT_TRUE(release.columns[lighting].on_sites);
  EXPECT_EQ(release.columns[lighting].kind, ValueKind::kText);
  const int adequate = ColumnIndex(release, "lighting=adequate");
  ASSERT_GE(adequate, 0);
  EXPECT_EQ(release.columns[adequate].hxl, "#indicator+lighting+adequate");
  EXPECT_EQ(release.columns[adequate].choice, "adequate");
  EXPECT_EQ(release.columns[adequate].kind, ValueKind::kInteger);
  EXPECT_EQ(ColumnIndex(release, "lighting=no answer"), -1);
  EXPECT_EQ(release.columns[ColumnIndex(release, "ind_total")].hxl, "#affected+idps+ind+total");
  EXPECT_TRUE(release.columns[ColumnIndex(release, "ind_total")].people);
  EXPECT_TRUE(release.columns[ColumnIndex(release, "hh_child_headed")].people);
  EXPECT_FALSE(release.columns[ColumnIndex(release, "latrines_functioning")].people);
  EXPECT_FALSE(release.columns[ColumnIndex(release, "women_friendly_spaces")].people);
  EXPECT_FALSE(release.columns[adequate].people);
  EXPECT_TRUE(release.columns[ColumnIndex(release, "survey_date")].on_sites);
}

TEST(ReleaseBuilderTest, PublicGetsAreaColumnsOnlyProtectionGetsSensitiveSiteValues) {
  const analysis::Frame frame = Operation();
  const Release open = Build(frame, Request(Tier::kPublic, {Level::kAdmin2}));
  for (const ReleaseColumn& column : open.columns) {
    EXPECT_FALSE(column.on_sites) << column.name;
    EXPECT_TRUE(column.on_areas) << column.name;
  }
  EXPECT_GE(ColumnIndex(open, "hh_child_headed"), 0);
  EXPECT_EQ(ColumnIndex(open, "survey_date"), -1);  // a site column, no site rows

  const Release protection = Build(frame, Request(Tier::kProtection, {Level::kSite}));
  for (const char* name : {"uasc", "hh_child_headed", "women_feel_safe"}) {
    const int column = ColumnIndex(protection, name);
    ASSERT_GE(column, 0) << name;
    EXPECT_TRUE(protection.columns[column].on_sites) << name;
  }
  EXPECT_FALSE(protection.microdata.has_value());
}

// --- Refusals ----------------------------------------------------------------------

TEST(ReleaseBuilderTest, PublicIsRefusedSiteRowsAndAdmin3NamingTheRule) {
  const analysis::Frame frame = Operation();
  Result<Release> sites =
      BuildRelease(std::span(&frame, 1), Default(), Request(Tier::kPublic, {Level::kSite}));
  ASSERT_FALSE(sites.ok());
  EXPECT_EQ(sites.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(sites.status().message(),
            "tier public may not receive site rows: it sees aggregates at admin2 and above "
            "(spec/disclosure.md)");
  Result<Release> admin3 = BuildRelease(std::span(&frame, 1), Default(),
                                        Request(Tier::kPublic, {Level::kAdmin2, Level::kAdmin3}));
  ASSERT_FALSE(admin3.ok());
  EXPECT_EQ(admin3.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(admin3.status().message(),
            "tier public may not receive admin3 aggregates: it sees aggregates at admin2 and "
            "above (spec/disclosure.md)");
}

TEST(ReleaseBuilderTest, RegionLevelsNoLevelAndForeignFramesAreInvalid) {
  const analysis::Frame frame = Operation();
  for (const std::vector<Level>& levels :
       {std::vector<Level>{Level::kRegion}, std::vector<Level>{Level::kAdmin1, Level::kGlobal},
        std::vector<Level>{}}) {
    Result<Release> release =
        BuildRelease(std::span(&frame, 1), Default(), Request(Tier::kOperationAdmin, levels));
    ASSERT_FALSE(release.ok());
    EXPECT_EQ(release.status().code(), StatusCode::kInvalidArgument);
  }
  Result<dictionary::Dictionary> small =
      dictionary::LoadDictionaryText(dictionary::testing::SmallDictionaryYaml(), "small.yaml");
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  Result<Release> foreign =
      BuildRelease(std::span(&frame, 1), *small, Request(Tier::kOperationAdmin, {Level::kAdmin1}));
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(foreign.status().message(), HasSubstr("columns"));
}

// --- Unsuppressed tiers ---------------------------------------------------------------

TEST(ReleaseBuilderTest, ProtectionAndOperationAdminSeeTheRollupUnsuppressed) {
  const analysis::Frame frame = Operation();
  const Level levels[] = {Level::kAdmin3, Level::kAdmin2, Level::kAdmin1, Level::kCountry};
  Result<std::vector<std::vector<analysis::AreaTotals>>> rollup =
      analysis::RollUpLevels(frame, Default(), levels);
  ASSERT_TRUE(rollup.ok());
  for (Tier tier : {Tier::kProtection, Tier::kOperationAdmin}) {
    const Release release = Build(frame, Request(tier, {std::begin(levels), std::end(levels)}));
    EXPECT_EQ(release.small_cells + release.complementary, 0);
    size_t compared = 0;
    for (size_t level_idx = 0; level_idx < 4; ++level_idx) {
      for (const analysis::AreaTotals& area : (*rollup)[level_idx]) {
        const ReleaseRow* row = FindRow(release, levels[level_idx], area.area);
        ASSERT_NE(row, nullptr) << area.area;
        EXPECT_EQ(row->sites, area.sites);
        for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
          const ReleaseColumn& column = release.columns[column_idx];
          const ReleaseCell& cell = row->cells[column_idx];
          ASSERT_NE(cell.state, CellState::kSuppressed);
          if (!column.on_areas) continue;
          const int indicator = Default().IndexOf(column.indicator);
          if (area.reporting[indicator] == 0) {
            EXPECT_EQ(cell.state, CellState::kBlank) << column.name;
            continue;
          }
          ASSERT_EQ(cell.state, CellState::kValue) << column.name;
          if (!column.choice.empty()) {
            const auto* list = Default().ListOf(Default().indicators()[indicator]);
            size_t choice = 0;
            while (list->choices[choice].name != column.choice) ++choice;
            EXPECT_EQ(cell.integer, area.answer_sites[indicator][choice]) << column.name;
          } else if (column.kind == ValueKind::kInteger) {
            EXPECT_EQ(cell.integer, static_cast<int64_t>(area.sums[indicator])) << column.name;
          } else {
            EXPECT_EQ(cell.number, area.sums[indicator]) << column.name;
          }
          ++compared;
        }
      }
    }
    EXPECT_GT(compared, 100u);
    // Small numbers are what protection acts on: Gwange's 1 child.
    EXPECT_EQ(CellOf(release, *FindRow(release, Level::kAdmin3, "NG001001002"), "uasc").integer, 1);
  }
}

// --- Rows -----------------------------------------------------------------------------

TEST(ReleaseBuilderTest, RowsAreOrderedByLevelRoundAndPcodeWithNamesParentsAndPoints) {
  const analysis::Frame frames[] = {Operation(2), Operation(1)};
  const Release release =
      Build(frames, Request(Tier::kOperationAdmin, {Level::kAdmin1, Level::kSite, Level::kAdmin2}));
  EXPECT_THAT(release.levels, ElementsAre(Level::kSite, Level::kAdmin2, Level::kAdmin1));
  EXPECT_THAT(release.rounds, ElementsAre(1, 2));
  EXPECT_THAT(release.operations, ElementsAre("demo-nga (NGA)"));
  EXPECT_EQ(release.dictionary_version, Default().version());
  std::vector<std::string> order;
  for (const ReleaseRow& row : release.rows) {
    order.push_back(std::string(analysis::LevelName(row.level)) + "/" + std::to_string(row.round) +
                    "/" + row.pcode);
  }
  std::vector<std::string> expected;
  for (int round : {1, 2}) {
    for (const char* site : {"S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09"}) {
      expected.push_back("site/" + std::to_string(round) + "/" + site);
    }
  }
  for (int round : {1, 2}) {
    for (const char* area : {"NG001001", "NG001002", "NG002001"}) {
      expected.push_back("admin2/" + std::to_string(round) + "/" + area);
    }
  }
  for (int round : {1, 2}) {
    for (const char* area : {"NG001", "NG002"}) {
      expected.push_back("admin1/" + std::to_string(round) + "/" + area);
    }
  }
  EXPECT_EQ(order, expected);

  const ReleaseRow* site = FindRow(release, Level::kSite, "S02", 1);
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->name, "Site S02");
  EXPECT_EQ(site->parent, "NG001001001");  // admin3: visible to the tier, though not asked
  EXPECT_EQ(site->sites, 1);
  EXPECT_DOUBLE_EQ(*site->latitude, 11.2);
  const ReleaseRow* maiduguri = FindRow(release, Level::kAdmin2, "NG001001", 1);
  ASSERT_NE(maiduguri, nullptr);
  EXPECT_EQ(maiduguri->name, "Maiduguri");
  EXPECT_EQ(maiduguri->parent, "NG001");
  EXPECT_EQ(maiduguri->operation, "demo-nga");
  EXPECT_EQ(maiduguri->country, "NGA");
  EXPECT_EQ(maiduguri->sites, 4);
  EXPECT_DOUBLE_EQ(*maiduguri->latitude, (11.0 + 11.2 + 11.4 + 11.6) / 4);
  EXPECT_DOUBLE_EQ(*maiduguri->longitude, (13.0 + 13.2 + 13.4 + 13.6) / 4);
  const ReleaseRow* yobe = FindRow(release, Level::kAdmin1, "NG002", 2);
  ASSERT_NE(yobe, nullptr);
  EXPECT_EQ(yobe->parent, "NGA");
  EXPECT_EQ(yobe->name, "Yobe");
  EXPECT_FALSE(yobe->latitude.has_value());  // none of its sites has a point
  EXPECT_EQ(CellOf(release, *site, "lighting").text, "adequate");
  EXPECT_EQ(CellOf(release, *site, "ind_total").integer, 145);
  EXPECT_EQ(CellOf(release, *site, "lighting=adequate").state, CellState::kBlank);
  EXPECT_EQ(CellOf(release, *maiduguri, "lighting=none").integer, 3);
  EXPECT_EQ(CellOf(release, *maiduguri, "lighting").state, CellState::kBlank);
}

TEST(ReleaseBuilderTest, SitesWithoutAnAdmin3StayUnderTheirOwnAdmin2) {
  // Two sites lack an admin3, in different admin2s: two "" areas, one per
  // parent, and each admin2 adds up exactly its own.
  FrameBuilder builder;
  builder.Site("A", With(At("NG001", "NG001001"), {{"ind_total", "10"}}))
      .Site("B", With(At("NG001", "NG001002"), {{"ind_total", "20"}}))
      .Site("C", With(At("NG001", "NG001002", "NG001002001"), {{"ind_total", "30"}}));
  const Release release =
      Build(builder.frame(), Request(Tier::kOperationAdmin, {Level::kAdmin3, Level::kAdmin2}));
  std::vector<std::string> admin3;
  for (const ReleaseRow& row : release.rows) {
    if (row.level == Level::kAdmin3) {
      admin3.push_back(row.parent + ">" + row.pcode + "=" +
                       std::to_string(CellOf(release, row, "ind_total").integer));
    }
  }
  EXPECT_THAT(admin3, ElementsAre("NG001001>=10", "NG001002>=20", "NG001002>NG001002001=30"));
}

// --- Suppression -----------------------------------------------------------------------

TEST(ReleaseBuilderTest, PublicAggregatesOverFewSitesAreSuppressedAndZeroedButNotPublicTotals) {
  const analysis::Frame frame = Operation();
  const Release release = Build(frame, Request(Tier::kPublic, {Level::kAdmin2, Level::kAdmin1}));
  // Damaturu has 2 sites: its public totals (households, individuals, males,
  // females, sites per site type and lighting) are published, as DTM does;
  // every other aggregate is suppressed, and none leaks a value.
  const ReleaseRow* damaturu = FindRow(release, Level::kAdmin2, "NG002001");
  ASSERT_NE(damaturu, nullptr);
  EXPECT_EQ(damaturu->sites, 2);
  for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
    const ReleaseColumn& column = release.columns[column_idx];
    const ReleaseCell& cell = damaturu->cells[column_idx];
    if (cell.state == CellState::kBlank) continue;
    const bool public_total =
        column.indicator == "hh_total" || column.indicator == "ind_total" ||
        column.indicator == "m_total" || column.indicator == "f_total" ||
        (!column.choice.empty() &&
         ClassOf(column.indicator) == dictionary::DisseminationClass::kPublic);
    if (public_total) {
      EXPECT_EQ(cell.state, CellState::kValue) << column.name;
      continue;
    }
    EXPECT_EQ(cell.state, CellState::kSuppressed) << column.name;
    EXPECT_EQ(cell.integer, 0);
    EXPECT_EQ(cell.number, 0);
    EXPECT_TRUE(cell.text.empty());
  }
  EXPECT_EQ(CellOf(release, *damaturu, "ind_total").integer, 187 + 175);
  EXPECT_EQ(CellOf(release, *damaturu, "site_type=camp").integer, 2);
  EXPECT_EQ(CellOf(release, *damaturu, "m_0_1").reason, SuppressionReason::kSmallCell);
  EXPECT_EQ(CellOf(release, *damaturu, "uasc").reason, SuppressionReason::kSmallCell);
  // Yobe holds Damaturu alone: its totals are published too.
  EXPECT_EQ(CellOf(release, *FindRow(release, Level::kAdmin1, "NG002"), "ind_total").state,
            CellState::kValue);
  int64_t counted[5] = {0, 0, 0, 0, 0};
  for (const ReleaseRow& row : release.rows) {
    for (const ReleaseCell& cell : row.cells) ++counted[static_cast<int>(cell.reason)];
  }
  EXPECT_EQ(release.small_cells, counted[static_cast<int>(SuppressionReason::kSmallCell)]);
  EXPECT_EQ(release.complementary, counted[static_cast<int>(SuppressionReason::kComplementary)]);
  EXPECT_EQ(release.homogeneous, counted[static_cast<int>(SuppressionReason::kHomogeneous)]);
  EXPECT_GT(release.small_cells, 0);
  EXPECT_EQ(release.unprotected, 0);
}

TEST(ReleaseBuilderTest, PartnerSeesSensitiveAggregatesAtAdmin3AndSmallSiteCountsSuppressed) {
  const analysis::Frame frame = Operation();
  ProtectionAuditReport audit;
  ReleaseRequest request = Request(
      Tier::kPartner, {kAllLevels[0], kAllLevels[1], kAllLevels[2], kAllLevels[3], kAllLevels[4]});
  request.audit = &audit;
  const Release release = Build(frame, request);
  // Dusuman and Gwange hold sites the microdata gate shows under their admin2
  // only: every admin3 row of their admin2s (Bolori's too) would tell which
  // admin3 holds such a site, and is withheld (spec/disclosure.md, "Public
  // totals"); the admin2 rows stay, with all their sites.
  for (const char* admin3 : {"NG001001001", "NG001001002", "NG001002001"}) {
    EXPECT_EQ(FindRow(release, Level::kAdmin3, admin3), nullptr) << admin3;
  }
  EXPECT_GE(release.admin3_withheld, 3);
  EXPECT_EQ(FindRow(release, Level::kAdmin2, "NG001001")->sites, 4);
  // On site rows, people counts under 5 are suppressed (S05's 3 disabled
  // people); every published one is at least 5, or a public total at admin2
  // and above.
  const ReleaseRow* s05 = FindRow(release, Level::kSite, "S05");
  EXPECT_EQ(CellOf(release, *s05, "disability").reason, SuppressionReason::kSmallCell);
  for (const ReleaseRow& row : release.rows) {
    for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
      const ReleaseCell& cell = row.cells[column_idx];
      if (release.columns[column_idx].people && cell.state == CellState::kValue) {
        EXPECT_TRUE(cell.integer >= 5)
            << row.pcode << " " << release.columns[column_idx].name << " " << cell.integer;
      }
    }
  }
  const ReleaseRow* s01 = FindRow(release, Level::kSite, "S01");
  EXPECT_EQ(CellOf(release, *s01, "hh_total").state, CellState::kValue);
  // Every protected cell keeps its interval (the audit's LPs).
  EXPECT_GT(audit.protected_cells, 10);
  EXPECT_THAT(audit.violations, ::testing::IsEmpty());
  EXPECT_EQ(release.unprotected, 0);
}

// The spec's group facts: in an area of at least n_group sites, a count
// saying none or all of its answered sites gave an answer is published,
// even for a sensitive indicator; other counts of a small number of sites
// are not.
TEST(ReleaseBuilderTest, GroupFactsOfLargeAreasArePublished) {
  FrameBuilder builder;
  for (int site_idx = 0; site_idx < 12; ++site_idx) {
    Values values = At("NG001", "NG001001", "NG001001001");
    values["women_feel_safe"] = "no";
    if (site_idx < 2) values["security_on_site"] = "yes";
    builder.Site("S" + std::to_string(100 + site_idx), values);
  }
  for (int site_idx = 0; site_idx < 4; ++site_idx) {
    Values values = At("NG001", "NG001002", "NG001002001");
    values["women_feel_safe"] = site_idx == 0 ? "yes" : "no";
    builder.Site("T" + std::to_string(100 + site_idx), values);
  }
  ReleaseRequest request = Request(Tier::kPublic, {Level::kAdmin2, Level::kAdmin1});
  ProtectionAuditReport audit;
  request.audit = &audit;
  const Release release = Build(builder.frame(), request);
  const ReleaseRow* large = FindRow(release, Level::kAdmin2, "NG001001");
  ASSERT_NE(large, nullptr);
  EXPECT_EQ(CellOf(release, *large, "women_feel_safe=no").state, CellState::kValue);
  EXPECT_EQ(CellOf(release, *large, "women_feel_safe=no").integer, 12);
  EXPECT_EQ(CellOf(release, *large, "women_feel_safe=yes").integer, 0);
  // The small area: 1 of 4 sites said yes: 2 distinct answers, not
  // homogeneous, but women_feel_safe=yes counts 1 site... over 4 answered
  // sites, above k_sites: published unless its protection needs it.
  const ReleaseRow* small = FindRow(release, Level::kAdmin2, "NG001002");
  ASSERT_NE(small, nullptr);
  EXPECT_NE(CellOf(release, *small, "women_feel_safe=yes").reason, SuppressionReason::kHomogeneous);
  EXPECT_THAT(audit.violations, ::testing::IsEmpty());
}

// Homogeneity: every answered site of a small area gave the same answer.
TEST(ReleaseBuilderTest, HomogeneousDistributionsOfSmallAreasAreSuppressed) {
  FrameBuilder builder;
  for (int site_idx = 0; site_idx < 4; ++site_idx) {
    Values values = At("NG001", "NG001001", "NG001001001");
    values["women_feel_safe"] = "no";
    builder.Site("S" + std::to_string(100 + site_idx), values);
  }
  for (int site_idx = 0; site_idx < 4; ++site_idx) {
    Values values = At("NG001", "NG001002", "NG001002001");
    values["women_feel_safe"] = site_idx < 2 ? "yes" : "no";
    builder.Site("T" + std::to_string(100 + site_idx), values);
  }
  ProtectionAuditReport audit;
  ReleaseRequest request = Request(Tier::kPublic, {Level::kAdmin2, Level::kAdmin1});
  request.audit = &audit;
  const Release release = Build(builder.frame(), request);
  const ReleaseRow* same = FindRow(release, Level::kAdmin2, "NG001001");
  EXPECT_EQ(CellOf(release, *same, "women_feel_safe=no").reason, SuppressionReason::kHomogeneous);
  EXPECT_EQ(CellOf(release, *same, "women_feel_safe=yes").reason, SuppressionReason::kHomogeneous);
  EXPECT_GT(release.homogeneous, 0);
  // The 4 of 4 cannot come back through the admin1 (8 sites) and the other
  // admin2: the audit finds every interval held.
  EXPECT_THAT(audit.violations, ::testing::IsEmpty());
  EXPECT_NE(
      CellOf(release, *FindRow(release, Level::kAdmin2, "NG001002"), "women_feel_safe=yes").state,
      CellState::kValue);
}

// A partner also reads the public release: no cell suppressed for partner
// is published to public.
TEST(ReleaseBuilderTest, PublicNeverPublishesACellSuppressedForPartner) {
  const analysis::Frame frame = Operation();
  const Release partner = Build(frame, Request(Tier::kPartner, {Level::kAdmin2, Level::kAdmin1}));
  const Release open = Build(frame, Request(Tier::kPublic, {Level::kAdmin2, Level::kAdmin1}));
  int64_t shared_suppressed = 0;
  for (const ReleaseRow& row : open.rows) {
    const ReleaseRow* other = FindRow(partner, row.level, row.pcode);
    ASSERT_NE(other, nullptr);
    for (size_t column_idx = 0; column_idx < open.columns.size(); ++column_idx) {
      const int partner_column = ColumnIndex(partner, open.columns[column_idx].name);
      if (partner_column < 0 || other->cells[partner_column].state != CellState::kSuppressed) {
        continue;
      }
      ++shared_suppressed;
      EXPECT_NE(row.cells[column_idx].state, CellState::kValue)
          << row.pcode << " " << open.columns[column_idx].name;
    }
  }
  EXPECT_GT(shared_suppressed, 0);
}

TEST(ReleaseBuilderTest, SuppressionIsTheSameWhicheverLevelsAreAsked) {
  const analysis::Frame frame = Operation();
  auto cells_of = [](const Release& release, Level level) {
    std::map<std::string, std::vector<std::string>> cells;
    for (const ReleaseRow& row : release.rows) {
      if (row.level != level) continue;
      for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
        const ReleaseCell& cell = row.cells[column_idx];
        cells[row.pcode].push_back(release.columns[column_idx].name + ":" +
                                   std::to_string(static_cast<int>(cell.state)) + ":" +
                                   std::to_string(static_cast<int>(cell.reason)) + ":" +
                                   std::to_string(cell.integer));
      }
    }
    return cells;
  };
  const Release alone = Build(frame, Request(Tier::kPublic, {Level::kAdmin2}));
  const Release with_admin1 =
      Build(frame, Request(Tier::kPublic, {Level::kAdmin1, Level::kAdmin2}));
  EXPECT_EQ(cells_of(alone, Level::kAdmin2), cells_of(with_admin1, Level::kAdmin2));
  EXPECT_GT(alone.small_cells, 0);

  const Release partner_admin3 = Build(frame, Request(Tier::kPartner, {Level::kAdmin3}));
  const Release partner_all = Build(
      frame, Request(Tier::kPartner,
                     {kAllLevels[0], kAllLevels[1], kAllLevels[2], kAllLevels[3], kAllLevels[4]}));
  // The admin3-only release has no site columns; compare area columns.
  std::map<std::string, std::vector<std::string>> expected;
  for (const ReleaseRow& row : partner_all.rows) {
    if (row.level != Level::kAdmin3) continue;
    for (size_t column_idx = 0; column_idx < partner_all.columns.size(); ++column_idx) {
      if (!partner_all.columns[column_idx].on_areas) continue;
      const ReleaseCell& cell = row.cells[column_idx];
      expected[row.pcode].push_back(partner_all.columns[column_idx].name + ":" +
                                    std::to_string(static_cast<int>(cell.state)) + ":" +
                                    std::to_string(static_cast<int>(cell.reason)) + ":" +
                                    std::to_string(cell.integer));
    }
  }
  EXPECT_EQ(cells_of(partner_admin3, Level::kAdmin3), expected);
}

// --- Microdata gate ----------------------------------------------------------------------

TEST(ReleaseBuilderTest, MicrodataGateGeneralisesThenWithholdsLoneSites) {
  // Admin2 X: X1 has 3 camps (a group of 3), X2 one camp, X3 two camps: the
  // three lone camps become X's (a group of 3 again). Admin2 Y: Y1's one
  // collective centre is alone even in Y: withheld. Admin2 W: W2's lone camp
  // shown as W's cannot be told from W1's three camps: generalised.
  FrameBuilder builder;
  auto site = [&](const char* id, const char* adm2, const char* adm3, const char* type) {
    builder.Site(
        id,
        With(At("NG001", adm2, adm3),
             {{"site_type", type}, {"ind_total", "100"}, {"latitude", "10"}, {"longitude", "12"}}));
  };
  site("A", "X", "X1", "camp");
  site("B", "X", "X1", "camp");
  site("C", "X", "X1", "camp");
  site("D", "X", "X2", "camp");
  site("E", "X", "X3", "camp");
  site("F", "X", "X3", "camp");
  site("G", "Y", "Y1", "collective_centre");
  site("H", "W", "W1", "camp");
  site("I", "W", "W1", "camp");
  site("J", "W", "W1", "camp");
  site("K", "W", "W2", "camp");
  const Release release = Build(builder.frame(), Request(Tier::kPartner, {Level::kSite}));
  ASSERT_TRUE(release.microdata.has_value());
  const MicrodataReport& report = *release.microdata;
  EXPECT_EQ(report.k, 3);
  EXPECT_THAT(report.quasi_identifiers,
              ElementsAre("adm3_pcode", "site_classification", "site_type", "shelter_type"));
  EXPECT_EQ(report.records, 11);
  EXPECT_EQ(report.generalised, 4);
  EXPECT_EQ(report.withheld, 1);
  auto row = [&](const char* id) { return FindRow(release, Level::kSite, id); };
  EXPECT_EQ(row("A")->parent, "X1");
  EXPECT_TRUE(row("A")->latitude.has_value());
  EXPECT_EQ(row("K")->parent, "W");
  EXPECT_EQ(row("H")->parent, "W1");
  for (const char* id : {"D", "E", "F"}) {
    EXPECT_EQ(row(id)->parent, "X") << id;
    EXPECT_FALSE(row(id)->latitude.has_value()) << id;
    EXPECT_EQ(CellOf(release, *row(id), "site_type").text, "camp") << id;
  }
  // G is alone in Y too: withheld, still shown under its admin2.
  EXPECT_EQ(row("G")->parent, "Y");
  EXPECT_THAT(row("G")->area_path, ElementsAre("NG001", "Y", ""));
  EXPECT_FALSE(row("G")->latitude.has_value());
  EXPECT_EQ(CellOf(release, *row("G"), "site_type").state, CellState::kBlank);
  // ind_total is no quasi-identifier: not blanked by the gate (Y's total,
  // a public total, is G's anyway); the admin3 rows of X, Y and W, which
  // hold generalised or withheld sites, are withheld whole.
  EXPECT_EQ(CellOf(release, *row("G"), "ind_total").integer, 100);
  EXPECT_EQ(release.admin3_withheld, 0);  // admin3 not asked
  const Release with_admin3 =
      Build(builder.frame(), Request(Tier::kPartner, {Level::kSite, Level::kAdmin3}));
  EXPECT_EQ(with_admin3.admin3_withheld, 6);
  for (const ReleaseRow& area : with_admin3.rows) EXPECT_NE(area.level, Level::kAdmin3);

  // Protection sees the rows as they are; areas alone need no gate.
  const Release protection = Build(builder.frame(), Request(Tier::kProtection, {Level::kSite}));
  EXPECT_FALSE(protection.microdata.has_value());
  EXPECT_EQ(FindRow(protection, Level::kSite, "G")->parent, "Y1");
  EXPECT_FALSE(Build(builder.frame(), Request(Tier::kPartner, {Level::kAdmin3})).microdata);
}

TEST(ReleaseBuilderTest, MicrodataGateWithholdsTheAdmin3RowsOfALoneSitesAdmin2) {
  // Admin2 X: three camps in X1, one in X2; admin2 Z: three camps in Z1. The
  // lone camp of X2 is shown under X without its admin3 (with X1's three
  // camps it is one of four). X2's row would put it back by its existence,
  // its `sites` (1) or its count of camps (1), and X1's by its `sites` (3,
  // the three camps shown in X1): every admin3 row of X is withheld. Z keeps
  // its admin3 rows.
  FrameBuilder builder;
  auto site = [&](const char* id, const char* adm2, const char* adm3, const char* people) {
    builder.Site(id, With(At("NG001", adm2, adm3), {{"site_type", "camp"},
                                                    {"ind_total", people},
                                                    {"uasc", "4"},
                                                    {"women_feel_safe", "no"}}));
  };
  site("A", "X", "X1", "100");
  site("B", "X", "X1", "120");
  site("C", "X", "X1", "140");
  site("D", "X", "X2", "160");
  site("E", "Z", "Z1", "100");
  site("F", "Z", "Z1", "110");
  site("G", "Z", "Z1", "120");
  ProtectionAuditReport audit;
  ReleaseRequest request = Request(Tier::kPartner, {Level::kSite, Level::kAdmin3, Level::kAdmin2});
  request.audit = &audit;
  const Release release = Build(builder.frame(), request);
  ASSERT_TRUE(release.microdata.has_value());
  EXPECT_EQ(release.microdata->generalised, 1);
  EXPECT_EQ(release.microdata->withheld, 0);
  const ReleaseRow* lone = FindRow(release, Level::kSite, "D");
  EXPECT_EQ(lone->parent, "X");
  EXPECT_THAT(lone->area_path, ElementsAre("NG001", "X", ""));
  EXPECT_EQ(CellOf(release, *lone, "site_type").text, "camp");
  EXPECT_THAT(FindRow(release, Level::kSite, "A")->area_path, ElementsAre("NG001", "X", "X1"));

  EXPECT_EQ(FindRow(release, Level::kAdmin3, "X1"), nullptr);
  EXPECT_EQ(FindRow(release, Level::kAdmin3, "X2"), nullptr);
  EXPECT_EQ(release.admin3_withheld, 2);
  const ReleaseRow* z1 = FindRow(release, Level::kAdmin3, "Z1");
  ASSERT_NE(z1, nullptr);
  EXPECT_EQ(z1->sites, 3);
  const ReleaseRow* x = FindRow(release, Level::kAdmin2, "X");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->sites, 4);
  EXPECT_EQ(CellOf(release, *x, "site_type=camp").integer, 4);
  // The admin2's figures add up its sites directly; every protected cell
  // keeps its interval against that.
  EXPECT_THAT(audit.violations, ::testing::IsEmpty());
  EXPECT_EQ(release.unprotected, 0);
  // Same frames, admin3 asked alone: the same rows are withheld.
  const Release admin3_only = Build(builder.frame(), Request(Tier::kPartner, {Level::kAdmin3}));
  EXPECT_EQ(FindRow(admin3_only, Level::kAdmin3, "X1"), nullptr);
  EXPECT_NE(FindRow(admin3_only, Level::kAdmin3, "Z1"), nullptr);
  EXPECT_EQ(admin3_only.admin3_withheld, 2);

  // Protection sees X2 as it is: no gate there.
  const Release protection =
      Build(builder.frame(), Request(Tier::kProtection, {Level::kSite, Level::kAdmin3}));
  EXPECT_EQ(FindRow(protection, Level::kSite, "D")->parent, "X2");
  EXPECT_NE(FindRow(protection, Level::kAdmin3, "X2"), nullptr);
  EXPECT_EQ(protection.admin3_withheld, 0);

  // Without admin3, a lone site is never moved from its admin2 to admin1.
  FrameBuilder flat;
  flat.Site("E", With(At("NG001", "P1"), {{"site_type", "camp"}}));
  flat.Site("F", With(At("NG001", "P2"), {{"site_type", "camp"}}));
  const Release flat_release = Build(flat.frame(), Request(Tier::kPartner, {Level::kSite}));
  for (const char* id : {"E", "F"}) {
    const ReleaseRow* row = FindRow(flat_release, Level::kSite, id);
    EXPECT_NE(row->parent, "NG001") << id;
    EXPECT_EQ(row->area_path.at(1), id == std::string("E") ? "P1" : "P2");
  }
  EXPECT_EQ(flat_release.microdata->generalised, 0);
}

TEST(ReleaseBuilderTest, MicrodataGateWithoutAdmin3NeverMovesSitesToAdmin1) {
  // No site records an admin3, and admin1 and admin2 are not
  // quasi-identifiers: a site alone with its values in its admin2 has nothing
  // to give up but its values. Admin2 P1 has two camps, P2 one, Q a lone
  // school: all four are withheld, each still under its admin2.
  FrameBuilder builder;
  auto site = [&](const char* id, const char* adm1, const char* adm2, const char* type) {
    builder.Site(id, With(At(adm1, adm2), {{"site_type", type}, {"ind_total", "100"}}));
  };
  site("A", "NG001", "P1", "camp");
  site("B", "NG001", "P1", "camp");
  site("C", "NG001", "P2", "camp");
  site("D", "NG002", "Q", "collective_centre");
  const Release release = Build(builder.frame(), Request(Tier::kPartner, {Level::kSite}));
  ASSERT_TRUE(release.microdata.has_value());
  EXPECT_THAT(release.microdata->quasi_identifiers,
              ElementsAre("site_classification", "site_type", "shelter_type"));
  EXPECT_EQ(release.microdata->generalised, 0);
  EXPECT_EQ(release.microdata->withheld, 4);
  for (const auto& [id, adm1, adm2] : {std::tuple{"A", "NG001", "P1"},
                                       {"B", "NG001", "P1"},
                                       {"C", "NG001", "P2"},
                                       {"D", "NG002", "Q"}}) {
    const ReleaseRow* row = FindRow(release, Level::kSite, id);
    EXPECT_EQ(row->parent, "") << id;  // the blank admin3 it is recorded under
    EXPECT_THAT(row->area_path, ElementsAre(adm1, adm2, "")) << id;
    EXPECT_EQ(CellOf(release, *row, "site_type").state, CellState::kBlank) << id;
    EXPECT_EQ(CellOf(release, *row, "ind_total").integer, 100) << id;
  }
}

TEST(ReleaseBuilderTest, TablesSuppressedOnSeveralThreadsGiveTheSameRelease) {
  const analysis::Frame frames[] = {Operation(1), Operation(2), Operation(3), Operation(4)};
  for (Tier tier : {Tier::kPartner, Tier::kPublic}) {
    const std::vector<Level> levels =
        tier == Tier::kPartner
            ? std::vector<Level>{Level::kSite, Level::kAdmin3, Level::kAdmin2, Level::kAdmin1}
            : std::vector<Level>{Level::kAdmin2, Level::kAdmin1, Level::kCountry};
    ProtectionAuditReport one_audit, four_audit;
    ReleaseRequest one = Request(tier, levels);
    one.audit = &one_audit;
    ReleaseRequest four = one;
    four.threads = 4;
    four.audit = &four_audit;
    const Release by_one = Build(frames, one);
    const Release by_four = Build(frames, four);
    ASSERT_EQ(by_one.rows.size(), by_four.rows.size());
    int64_t suppressed = 0;
    for (size_t row_idx = 0; row_idx < by_one.rows.size(); ++row_idx) {
      const ReleaseRow& a = by_one.rows[row_idx];
      const ReleaseRow& b = by_four.rows[row_idx];
      ASSERT_EQ(a.round, b.round);
      ASSERT_EQ(a.pcode, b.pcode);
      for (size_t column_idx = 0; column_idx < a.cells.size(); ++column_idx) {
        EXPECT_EQ(a.cells[column_idx].state, b.cells[column_idx].state);
        EXPECT_EQ(a.cells[column_idx].integer, b.cells[column_idx].integer);
        EXPECT_EQ(a.cells[column_idx].reason, b.cells[column_idx].reason);
        suppressed += a.cells[column_idx].state == CellState::kSuppressed ? 1 : 0;
      }
    }
    EXPECT_GT(suppressed, 0);
    EXPECT_EQ(by_one.complementary, by_four.complementary);
    EXPECT_EQ(one_audit.protected_cells, four_audit.protected_cells);
    EXPECT_THAT(four_audit.violations, ::testing::IsEmpty());
  }
}

// --- Rounding ------------------------------------------------------------------------------

TEST(ReleaseBuilderTest, PublicPeopleCountsAreRoundedToTheBaseAfterSuppression) {
  FrameBuilder builder;
  const Values x = At("NG001", "NG001001");
  for (const auto& [id, people, uasc] :
       {std::tuple{"A", "12", "0"}, {"B", "30", "5"}, {"C", "23", "10"}}) {
    builder.Site(
        id,
        With(x, {{"ind_total", people}, {"uasc", uasc}, {"hh_total", "7"}, {"lighting", "none"}}));
  }
  ReleaseRequest request = Request(Tier::kPublic, {Level::kAdmin2});
  request.policy.For(Tier::kPublic).rounding_base = 10;
  const Release release = Build(builder.frame(), request);
  const ReleaseRow& area = release.rows.at(0);
  EXPECT_EQ(CellOf(release, area, "ind_total").integer, 70);     // 65 → 70: halves go up
  EXPECT_EQ(CellOf(release, area, "uasc").integer, 20);          // 15 → 20
  EXPECT_EQ(CellOf(release, area, "hh_total").integer, 20);      // 21 → 20
  EXPECT_EQ(CellOf(release, area, "lighting=none").integer, 3);  // sites, not people

  request.policy.For(Tier::kPublic).rounding_base = 0;
  const Release exact = Build(builder.frame(), request);
  EXPECT_EQ(CellOf(exact, exact.rows.at(0), "ind_total").integer, 65);
  // Protection is not rounded by the public tier's base.
  request.tier = Tier::kProtection;
  request.policy.For(Tier::kPublic).rounding_base = 10;
  const Release protection = Build(builder.frame(), request);
  EXPECT_EQ(CellOf(protection, protection.rows.at(0), "ind_total").integer, 65);
}

TEST(ReleaseBuilderTest, AnAreaWithoutAnswersIsBlankNotZero) {
  FrameBuilder builder;
  for (const char* id : {"A", "B", "C"}) {
    builder.Site(id, With(At("NG001", "NG001001"), {{"ind_total", "50"}}));
  }
  const Release release = Build(builder.frame(), Request(Tier::kPublic, {Level::kAdmin2}));
  const ReleaseRow& area = release.rows.at(0);
  EXPECT_EQ(CellOf(release, area, "uasc").state, CellState::kBlank);
  EXPECT_EQ(CellOf(release, area, "lighting=none").state, CellState::kBlank);
  EXPECT_EQ(CellOf(release, area, "ind_total").integer, 150);
}

}  // namespace
}  // namespace opendtm::disclosure
