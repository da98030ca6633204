#include "ingest/column_mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/csv_reader.h"
#include "dictionary/loader.h"
#include "dictionary/testing.h"

namespace opendtm::ingest {
namespace {

using ::testing::HasSubstr;

const dictionary::Dictionary& Default() { return dictionary::testing::DefaultDictionary(); }

int IndexOf(const std::string& name) {
  const auto& indicators = Default().indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    if (indicators[indicator_idx].name == name) return static_cast<int>(indicator_idx);
  }
  ADD_FAILURE() << "no indicator " << name;
  return -1;
}

SourceHeader Header(std::vector<std::string> names, std::vector<std::string> hxl = {}) {
  SourceHeader header;
  header.source_name = "export.csv";
  header.names = std::move(names);
  header.hxl_tags = std::move(hxl);
  return header;
}

TEST(ColumnMappingTest, MapsKoboExportColumns) {
  SourceHeader header = Header({"start", "site/site_id", "gbv_risk/lighting",
                                "gbv_risk/unsafe_areas/latrines", "gbv_risk/unsafe_areas/market",
                                "site/_location_latitude", "site/_location_longitude",
                                "site/_location_altitude", "_uuid", "_submitted_by", "deviceid",
                                "_submission_time", "_index", "mystery"});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), nullptr);
  ASSERT_TRUE(mapping.ok()) << mapping.status().ToString();
  const auto& bindings = mapping->bindings();
  EXPECT_EQ(bindings[0].role, ColumnRole::kMetadata);
  EXPECT_EQ(bindings[1].role, ColumnRole::kIndicator);
  EXPECT_EQ(bindings[1].indicator, IndexOf("site_id"));
  EXPECT_EQ(bindings[1].matched_by, "group path");
  EXPECT_EQ(bindings[3].role, ColumnRole::kChoiceFlag);
  EXPECT_EQ(bindings[3].choice, "latrines");
  EXPECT_EQ(bindings[5].indicator, IndexOf("latitude"));
  EXPECT_EQ(bindings[6].indicator, IndexOf("longitude"));
  EXPECT_EQ(bindings[7].role, ColumnRole::kMetadata);
  EXPECT_EQ(bindings[8].role, ColumnRole::kSubmissionUuid);
  EXPECT_EQ(bindings[13].role, ColumnRole::kUnmapped);
  ASSERT_EQ(mapping->findings().size(), 1u);
  EXPECT_EQ(mapping->findings()[0].rule, "unmapped_column");
  EXPECT_EQ(mapping->findings()[0].column, "mystery");

  // The verbatim copy keeps the columns that feed an indicator, nothing else.
  EXPECT_THAT(mapping->VerbatimColumns(), ::testing::ElementsAre(1, 2, 3, 4, 5, 6));
  std::vector<std::string> dropped;
  for (const DroppedColumn& column : mapping->DroppedColumns()) {
    dropped.push_back(column.header + ": " + column.reason);
  }
  EXPECT_THAT(dropped, ::testing::ElementsAre(
                           "start: export metadata", "site/_location_altitude: export metadata",
                           "_uuid: export metadata", "_submitted_by: export metadata",
                           "deviceid: export metadata", "_submission_time: export metadata",
                           "_index: export metadata", "mystery: not in the dictionary"));

  SourceRow row;
  row.line = 2;
  row.cells = {"2026-01-05", "NGA-0001", "none", "1", "1", "11.5", "13.2", "300",
               "uuid:abc-123", "enum1", "dev9", "2026-01-06T10:00:00", "1", "?"};
  MappedRow mapped;
  mapping->Apply(row, mapped);
  EXPECT_EQ(mapped.values[IndexOf("site_id")], "NGA-0001");
  EXPECT_EQ(mapped.values[IndexOf("lighting")], "none");
  EXPECT_EQ(mapped.values[IndexOf("unsafe_areas")], "latrines market");
  EXPECT_EQ(mapped.values[IndexOf("latitude")], "11.5");
  EXPECT_EQ(mapped.columns[IndexOf("lighting")], "gbv_risk/lighting");
  EXPECT_EQ(mapped.submission_uuid, "abc-123");
  EXPECT_EQ(mapped.enumerator, "enum1");
  EXPECT_EQ(mapped.device, "dev9");
  EXPECT_EQ(mapped.values[IndexOf("site_name")], "");
}

TEST(ColumnMappingTest, OnlyForFillsTheIndicatorsAskedFor) {
  SourceHeader header = Header({"site/site_id", "site/survey_date", "site/round",
                                "gbv_risk/unsafe_areas/latrines", "site/location", "_uuid"});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), nullptr);
  ASSERT_TRUE(mapping.ok()) << mapping.status().ToString();
  SourceRow row;
  row.line = 2;
  row.cells = {"NGA-0001", "2026-01-05", "3", "1", "11.5 13.2 300 5", "uuid:abc"};
  MappedRow mapped;

  const int dates_and_round[] = {IndexOf("survey_date"), IndexOf("round")};
  mapping->OnlyFor(dates_and_round).Apply(row, mapped);
  EXPECT_EQ(mapped.values[IndexOf("survey_date")], "2026-01-05");
  EXPECT_EQ(mapped.values[IndexOf("round")], "3");
  EXPECT_EQ(mapped.values[IndexOf("site_id")], "");
  EXPECT_EQ(mapped.values[IndexOf("unsafe_areas")], "");
  EXPECT_EQ(mapped.values[IndexOf("latitude")], "");
  EXPECT_EQ(mapped.submission_uuid, "");

  const int split_and_point[] = {IndexOf("unsafe_areas"), IndexOf("longitude")};
  mapping->OnlyFor(split_and_point).Apply(row, mapped);
  EXPECT_EQ(mapped.values[IndexOf("unsafe_areas")], "latrines");
  EXPECT_EQ(mapped.values[IndexOf("longitude")], "13.2");
  EXPECT_EQ(mapped.values[IndexOf("survey_date")], "");

  mapping->Apply(row, mapped);  // the original still fills everything
  EXPECT_EQ(mapped.values[IndexOf("site_id")], "NGA-0001");
  EXPECT_EQ(mapped.submission_uuid, "abc");
}

TEST(ColumnMappingTest, KoboSubmissionIdentityAcrossEdits) {
  SourceHeader header =
      Header({"site/site_id", "_uuid", "_id", "meta/deprecatedID", "meta/rootUuid"});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), nullptr);
  ASSERT_TRUE(mapping.ok()) << mapping.status().ToString();
  EXPECT_EQ(mapping->bindings()[2].role, ColumnRole::kSubmissionRecordId);
  EXPECT_EQ(mapping->bindings()[3].role, ColumnRole::kDeprecatedUuid);
  EXPECT_EQ(mapping->bindings()[4].role, ColumnRole::kSubmissionRootUuid);
  MappedRow mapped;
  // An edit: a new version, the version it replaces, Kobo's stable root.
  mapping->Apply({2, {"S1", "v2", "4411", "uuid:v1", "uuid:root-1"}}, mapped);
  EXPECT_EQ(mapped.submission_uuid, "v2");
  EXPECT_EQ(mapped.deprecated_uuid, "v1");
  EXPECT_EQ(mapped.submission_key, "root:root-1");  // rootUuid wins over _id
  // No rootUuid: the record number; a first version has no deprecatedID.
  mapping->Apply({3, {"S2", "v9", "4412", "", ""}}, mapped);
  EXPECT_EQ(mapped.submission_key, "id:4412");
  EXPECT_EQ(mapped.deprecated_uuid, "");
  mapping->Apply({4, {"S3", "", "", "", ""}}, mapped);
  EXPECT_EQ(mapped.submission_key, "");
  EXPECT_EQ(mapped.submission_uuid, "");
}

TEST(ColumnMappingTest, ARowReusedAcrossMappingsGetsEachMappingsColumnNames) {
  Result<ColumnMapping> first =
      ColumnMapping::Build(Header({"site/site_id", "gbv_risk/lighting"}), Default(), nullptr);
  Result<ColumnMapping> second =
      ColumnMapping::Build(Header({"lighting", "site_id"}), Default(), nullptr);
  ASSERT_TRUE(first.ok() && second.ok());
  MappedRow mapped;
  first->Apply({2, {"S1", "none"}}, mapped);
  EXPECT_EQ(mapped.columns[IndexOf("lighting")], "gbv_risk/lighting");
  second->Apply({2, {"none", "S1"}}, mapped);
  EXPECT_EQ(mapped.columns[IndexOf("lighting")], "lighting");
  EXPECT_EQ(mapped.columns[IndexOf("site_id")], "site_id");
  EXPECT_EQ(mapped.values[IndexOf("site_id")], "S1");
  first->Apply({3, {"S2", ""}}, mapped);
  EXPECT_EQ(mapped.columns[IndexOf("site_id")], "site/site_id");
  EXPECT_EQ(mapped.values[IndexOf("lighting")], "");  // cleared, not left from before
}

TEST(ColumnMappingTest, WholeSelectMultipleColumnWinsOverSplitFlags) {
  SourceHeader header = Header({"gbv_risk/unsafe_areas", "gbv_risk/unsafe_areas/latrines"});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), nullptr);
  ASSERT_TRUE(mapping.ok());
  SourceRow row{2, {"market", "1"}};
  MappedRow mapped;
  mapping->Apply(row, mapped);
  EXPECT_EQ(mapped.values[IndexOf("unsafe_areas")], "market");
}

TEST(ColumnMappingTest, GeopointColumnIsLatitudeFirst) {
  SourceHeader header = Header({"site/location"});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), nullptr);
  ASSERT_TRUE(mapping.ok());
  SourceRow row{2, {"12.25 13.5 300 5"}};
  MappedRow mapped;
  mapping->Apply(row, mapped);
  EXPECT_EQ(mapped.values[IndexOf("latitude")], "12.25");
  EXPECT_EQ(mapped.values[IndexOf("longitude")], "13.5");
}

TEST(ColumnMappingTest, MapsByCodeLabelAndHashtag) {
  std::string french_label(dictionary::TextIn(Default().FindIndicator("lighting")->label, "fr"));
  SourceHeader header = Header({"10.1.a.2 Is there security on-site?", french_label, "IDPs",
                                "2.1.c.1 Males <1"},
                               {"", "", "#affected +ind +idps +total", ""});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), nullptr);
  ASSERT_TRUE(mapping.ok());
  const auto& bindings = mapping->bindings();
  EXPECT_EQ(bindings[0].indicator, IndexOf("security_on_site"));
  EXPECT_EQ(bindings[0].matched_by, "DTM code");
  EXPECT_EQ(bindings[1].indicator, IndexOf("lighting"));
  EXPECT_EQ(bindings[1].matched_by, "label (fr)");
  EXPECT_EQ(bindings[2].indicator, IndexOf("ind_total"));
  EXPECT_EQ(bindings[2].matched_by, "HXL");
  // 2.1.c.1 is shared by the five male age cells: not mapped by code.
  EXPECT_EQ(bindings[3].role, ColumnRole::kUnmapped);
}

TEST(ColumnMappingTest, SecondColumnForTheSameIndicatorIsReported) {
  SourceHeader header = Header({"lighting", "gbv_risk/lighting"});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), nullptr);
  ASSERT_TRUE(mapping.ok());
  EXPECT_EQ(mapping->bindings()[1].role, ColumnRole::kUnmapped);
  ASSERT_EQ(mapping->findings().size(), 1u);
  EXPECT_THAT(mapping->findings()[0].message, HasSubstr("already fed by column 'lighting'"));
  EXPECT_THAT(mapping->VerbatimColumns(), ::testing::ElementsAre(0));
  ASSERT_EQ(mapping->DroppedColumns().size(), 1u);
  EXPECT_EQ(mapping->DroppedColumns()[0].header, "gbv_risk/lighting");
  EXPECT_EQ(mapping->DroppedColumns()[0].reason,
            "indicator lighting is already fed by column 'lighting'");
}

class MappingFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("opendtm_map_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
             ".yaml");
    std::ofstream(path_) << text;
    return path_.string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
};

TEST_F(MappingFileTest, OverridesColumnsAndMapsValues) {
  Result<MappingFile> file = LoadMappingFile(
      Write("columns:\n  \"Lit?\": lighting\n  \"Junk\": ignore\nvalues:\n  "
            "private_living_area: {\">75\": gt75}\n"),
      Default());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  SourceHeader header = Header({"Lit?", "Junk", "private_living_area"});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), &*file);
  ASSERT_TRUE(mapping.ok());
  EXPECT_EQ(mapping->bindings()[0].matched_by, "mapping file");
  EXPECT_EQ(mapping->bindings()[1].role, ColumnRole::kIgnored);
  EXPECT_TRUE(mapping->findings().empty());
  EXPECT_THAT(mapping->VerbatimColumns(), ::testing::ElementsAre(0, 2));
  ASSERT_EQ(mapping->DroppedColumns().size(), 1u);
  EXPECT_EQ(mapping->DroppedColumns()[0].reason, "ignored by the mapping file");
  SourceRow row{5, {"No lighting", "x", ">75"}};
  MappedRow mapped;
  mapping->Apply(row, mapped);
  EXPECT_EQ(mapped.values[IndexOf("private_living_area")], "gt75");
  ASSERT_EQ(mapped.value_maps.size(), 1u);
  EXPECT_EQ(mapped.value_maps[0].from, ">75");
}

TEST_F(MappingFileTest, ErrorsNameFileLineAndProblem) {
  Result<MappingFile> bad_target =
      LoadMappingFile(Write("columns:\n  \"Lit?\": lightning\n"), Default());
  ASSERT_FALSE(bad_target.ok());
  EXPECT_THAT(bad_target.status().message(),
              HasSubstr(":2: column 'Lit?' maps to unknown indicator 'lightning'"));
  Result<MappingFile> bad_choice =
      LoadMappingFile(Write("values:\n  lighting: {dark: darkness}\n"), Default());
  ASSERT_FALSE(bad_choice.ok());
  EXPECT_THAT(bad_choice.status().message(), HasSubstr("'darkness' is not a choice of list lighting"));

  Result<MappingFile> file = LoadMappingFile(Write("columns:\n  \"Absent\": lighting\n"), Default());
  ASSERT_TRUE(file.ok());
  Result<ColumnMapping> mapping = ColumnMapping::Build(Header({"x"}), Default(), &*file);
  ASSERT_FALSE(mapping.ok());
  EXPECT_THAT(mapping.status().message(), HasSubstr("column 'Absent' is not in export.csv"));
}

TEST(ColumnMappingTest, RealNepalFileMapsWithTheShippedMappingFile) {
  std::string path =
      std::string(OPENDTM_SHARED_DIR) + "/data/real/dtm-nepal-2015-site-assessment-round2.redacted.csv";
  Result<core::CsvTable> table = core::ReadCsvFile(path, core::CsvOptions());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  Result<MappingFile> file = LoadMappingFile(
      std::string(OPENDTM_SOURCE_DIR) + "/mappings/dtm-nepal-2015-r2.yaml", Default());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->header_row, 3);
  SourceHeader header = Header(table->rows[2]);
  header.source_name = path;
  header.header_line = 3;
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), &*file);
  ASSERT_TRUE(mapping.ok()) << mapping.status().ToString();
  for (const char* name : {"site_id", "survey_date", "lighting", "m_0_1", "f_60plus", "m_total",
                           "f_total", "ind_total", "hh_total", "adm1_pcode", "adm2_pcode",
                           "adm3_pcode", "latitude", "longitude", "smc_focal_phone",
                           "origin_adm1_pcode", "gbv_referral_mechanism"}) {
    EXPECT_GE(mapping->ColumnOf(IndexOf(name)), 0) << name;
  }
  EXPECT_EQ(mapping->ColumnOf(IndexOf("ind_total")), 67);  // "2.1.b.2 Total number of IDP"

  SourceRow row{4, table->rows[3]};
  MappedRow mapped;
  mapping->Apply(row, mapped);
  EXPECT_EQ(mapped.values[IndexOf("site_id")], "1");
  EXPECT_EQ(mapped.values[IndexOf("ind_total")], "450");
  EXPECT_EQ(mapped.values[IndexOf("m_18_59")], "143");
  EXPECT_EQ(mapped.values[IndexOf("adm2_pcode")], "Kathmandu");
}

// Issue 14, point 7: without --mapping the Nepal file mapped the households
// and none of the people (2.1.b.2 is shared by the three totals) and stored
// 146 sites without a single individual.
TEST(ColumnMappingTest, RealNepalFileWithoutAMappingIsRefusedNamingTheTotals) {
  std::string path =
      std::string(OPENDTM_SHARED_DIR) + "/data/real/dtm-nepal-2015-site-assessment-round2.redacted.csv";
  Result<core::CsvTable> table = core::ReadCsvFile(path, core::CsvOptions());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  SourceHeader header = Header(table->rows[2]);
  header.source_name = path;
  header.header_line = 3;
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), nullptr);
  ASSERT_FALSE(mapping.ok());
  EXPECT_EQ(mapping.status().code(), StatusCode::kInvalidArgument);
  const std::string message(mapping.status().message());
  EXPECT_THAT(message, HasSubstr("maps none of the population totals"));
  EXPECT_THAT(message, HasSubstr("core indicators not found: ind_total, m_total, f_total."));
  EXPECT_THAT(message, HasSubstr("'2.1.b.2 Total number of IDP Male Individuals'"));
  EXPECT_THAT(message, HasSubstr("--mapping FILE"));
  EXPECT_THAT(message, HasSubstr(path));
}

TEST(ColumnMappingTest, AFileWithoutPopulationColumnsNeedsNoTotals) {
  EXPECT_TRUE(ColumnMapping::Build(Header({"site_id", "hh_total"}), Default(), nullptr).ok());
  EXPECT_TRUE(ColumnMapping::Build(Header({"site_id", "lighting"}), Default(), nullptr).ok());
  // One total is enough.
  EXPECT_TRUE(ColumnMapping::Build(Header({"site_id", "2.1.c.1 Males <1", "ind_total"}), Default(),
                                   nullptr)
                  .ok());
  Result<ColumnMapping> coded =
      ColumnMapping::Build(Header({"site_id", "2.1.c.1 Males <1"}), Default(), nullptr);
  ASSERT_FALSE(coded.ok());
  EXPECT_THAT(coded.status().message(),
              HasSubstr("core indicators not found: hh_total, ind_total, m_total, f_total."));
}

}  // namespace
}  // namespace opendtm::ingest
