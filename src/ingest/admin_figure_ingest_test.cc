#include "ingest/admin_figure_ingest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/csv_reader.h"
#include "dictionary/loader.h"
#include "dictionary/testing.h"
#include "ingest/open_source.h"
#include "store/sqlite_store.h"

namespace opendtm::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string Real(const std::string& name) {
  return std::string(OPENDTM_SHARED_DIR) + "/data/real/" + name;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// (admin level, operation, round, assessment type, admin1 P-code).
using TotalKey = std::tuple<int, std::string, std::string, std::string, std::string>;
using Totals = std::map<TotalKey, int64_t>;
using OperationSet = std::set<std::pair<std::string, std::string>>;

// What a source file holds, read without the code under test.
struct SourceFacts {
  Totals totals;
  OperationSet operations;
  int64_t rows = 0;
  int64_t null_males = 0;
};

// A DTM API JSON response, read with nlohmann::json.
SourceFacts JsonFacts(const std::string& path, int level) {
  SourceFacts facts;
  nlohmann::json response = nlohmann::json::parse(ReadAll(path));
  for (const nlohmann::json& record : response.at("result")) {
    ++facts.rows;
    std::string admin1 =
        record.contains("admin1Pcode") ? record["admin1Pcode"].get<std::string>() : std::string();
    facts.totals[{level, record["operation"].get<std::string>(),
                  std::to_string(record["roundNumber"].get<int64_t>()),
                  record["assessmentType"].get<std::string>(), admin1}] +=
        record["numPresentIdpInd"].get<int64_t>();
    facts.operations.emplace(record["operation"].get<std::string>(),
                             record["admin0Pcode"].get<std::string>());
    if (record["numberMales"].is_null()) ++facts.null_males;
  }
  return facts;
}

// A CSV flattening or the HDX file, read with core's CSV parser. The level
// comes from the adminLevel column when there is one, else `level`.
SourceFacts CsvFacts(const std::string& path, int level) {
  SourceFacts facts;
  Result<core::CsvTable> table = core::ReadCsvFile(path, core::CsvOptions());
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  if (!table.ok()) return facts;
  const std::vector<std::string>& header = table->rows[0];
  auto column = [&](const std::string& name) {
    auto found = std::find(header.begin(), header.end(), name);
    return found == header.end() ? -1 : static_cast<int>(found - header.begin());
  };
  const int operation = column("operation"), country = column("admin0Pcode");
  const int people = column("numPresentIdpInd"), round = column("roundNumber");
  const int type = column("assessmentType"), admin1 = column("admin1Pcode");
  const int admin_level = column("adminLevel"), males = column("numberMales");
  for (size_t row_idx = 1; row_idx < table->rows.size(); ++row_idx) {
    const std::vector<std::string>& row = table->rows[row_idx];
    if (!row[0].empty() && row[0][0] == '#') continue;  // the HXL row
    ++facts.rows;
    int row_level = admin_level >= 0 ? std::stoi(row[admin_level]) : level;
    facts.totals[{row_level, row[operation], row[round], row[type],
                  admin1 >= 0 ? row[admin1] : std::string()}] += std::stoll(row[people]);
    facts.operations.emplace(row[operation], row[country]);
    if (row[males].empty()) ++facts.null_males;
  }
  return facts;
}

class AdminFigureIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(dictionary_, nullptr);
    Result<std::unique_ptr<store::SqliteStore>> opened =
        store::SqliteStore::Open(":memory:", *dictionary_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    scratch_ = std::filesystem::temp_directory_path() /
               ("admin_figure_ingest_test." + std::to_string(::getpid()) + "." +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(scratch_);
  }
  void TearDown() override { std::filesystem::remove_all(scratch_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (scratch_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  Result<SiteIngestSummary> Ingest(const std::string& path, bool dry_run = false) {
    AdminFigureIngestOptions options;
    options.path = path;
    options.dry_run = dry_run;
    options.who = "tester";
    options.now = "2026-03-31T10:00:00Z";
    return RunAdminFigureIngest(*store_, options);
  }

  std::vector<store::AdminFigure> AllFigures() {
    std::vector<store::AdminFigure> figures;
    Result<std::vector<store::Operation>> operations = store_->ListOperations();
    EXPECT_TRUE(operations.ok());
    for (const store::Operation& operation : *operations) {
      Result<std::vector<store::AdminFigure>> of = store_->AdminFigures(operation.id);
      EXPECT_TRUE(of.ok());
      for (const store::AdminFigure& figure : *of) {
        EXPECT_EQ(figure.operation_id, operation.id);
        EXPECT_EQ(figure.operation_name, operation.name);
        EXPECT_EQ(figure.country, operation.country);
        figures.push_back(figure);
      }
    }
    return figures;
  }

  Totals StoredTotals() {
    Totals totals;
    for (const store::AdminFigure& figure : AllFigures()) {
      totals[{figure.admin_level, figure.operation_name, std::to_string(figure.round),
              figure.assessment_type, figure.admin1_pcode}] += figure.num_present_idp_ind;
    }
    return totals;
  }

  OperationSet StoredOperations() {
    OperationSet operations;
    Result<std::vector<store::Operation>> listed = store_->ListOperations();
    EXPECT_TRUE(listed.ok());
    if (!listed.ok()) return operations;
    for (const store::Operation& operation : *listed) {
      operations.emplace(operation.name, operation.country);
    }
    return operations;
  }

  // Totals per (operation, round, assessment type, admin1), levels merged: the
  // grouping of the issue.
  static std::map<std::tuple<std::string, std::string, std::string, std::string>, int64_t>
  WithoutLevel(const Totals& totals) {
    std::map<std::tuple<std::string, std::string, std::string, std::string>, int64_t> merged;
    for (const auto& [key, sum] : totals) {
      merged[{std::get<1>(key), std::get<2>(key), std::get<3>(key), std::get<4>(key)}] += sum;
    }
    return merged;
  }

  // Ingests a real file and checks it against `facts`.
  void CheckRealFile(const std::string& path, const SourceFacts& facts, int64_t expected_rows) {
    ASSERT_EQ(facts.rows, expected_rows);
    Result<SiteIngestSummary> summary = Ingest(path);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_GT(summary->batch_id, 0);
    EXPECT_EQ(summary->rows_read, expected_rows);
    EXPECT_EQ(summary->accepted, expected_rows);
    EXPECT_EQ(summary->quarantined, 0);
    EXPECT_THAT(summary->findings, IsEmpty());
    EXPECT_FALSE(summary->has_problems);

    std::vector<store::AdminFigure> figures = AllFigures();
    EXPECT_EQ(static_cast<int64_t>(figures.size()), expected_rows);
    EXPECT_EQ(StoredTotals(), facts.totals);
    EXPECT_EQ(WithoutLevel(StoredTotals()), WithoutLevel(facts.totals));
    EXPECT_EQ(StoredOperations(), facts.operations);
    int64_t null_males = 0;
    for (const store::AdminFigure& figure : figures) {
      if (!figure.males) ++null_males;
      EXPECT_EQ(figure.batch_id, summary->batch_id);
    }
    EXPECT_EQ(null_males, facts.null_males);

    Result<store::Batch> batch = store_->FindBatch(summary->batch_id);
    ASSERT_TRUE(batch.ok());
    EXPECT_FALSE(batch->operation_id.has_value());
    EXPECT_FALSE(batch->round.has_value());
    EXPECT_EQ(batch->rows_read, expected_rows);
    EXPECT_EQ(batch->accepted, expected_rows);
    EXPECT_EQ(batch->quarantined, 0);
  }

  const dictionary::Dictionary* dictionary_ = &dictionary::testing::DefaultDictionary();
  std::unique_ptr<store::SqliteStore> store_;
  std::filesystem::path scratch_;
};


constexpr char kAdmin1Header[] =
    "id,operation,admin0Name,admin0Pcode,admin1Name,admin1Pcode,numPresentIdpInd,reportingDate,"
    "yearReportingDate,monthReportingDate,roundNumber,displacementReason,numberMales,"
    "numberFemales,idpOriginAdmin1Name,idpOriginAdmin1Pcode,assessmentType\n";

// ---- The real Haiti files ------------------------------------------------------

TEST_F(AdminFigureIngestTest, HaitiAdmin0JsonTotalsEqualTheSource) {
  const std::string path = Real("dtm-api-v3-displacement-admin0-admin0pcode-hti.json");
  SourceFacts facts = JsonFacts(path, 0);
  EXPECT_EQ(facts.operations.size(), 5u);
  EXPECT_EQ(facts.null_males, 31);
  CheckRealFile(path, facts, 114);
}

TEST_F(AdminFigureIngestTest, HaitiAdmin1JsonTotalsEqualTheSource) {
  const std::string path = Real("dtm-api-v3-displacement-admin1-admin0pcode-hti.json");
  SourceFacts facts = JsonFacts(path, 1);
  EXPECT_EQ(facts.operations.size(), 5u);
  CheckRealFile(path, facts, 235);
}

TEST_F(AdminFigureIngestTest, HaitiAdmin0CsvTotalsEqualTheSource) {
  const std::string path = Real("dtm-api-v3-displacement-admin0-hti.csv");
  CheckRealFile(path, CsvFacts(path, 0), 114);
}

TEST_F(AdminFigureIngestTest, HaitiAdmin1CsvTotalsEqualTheSource) {
  const std::string path = Real("dtm-api-v3-displacement-admin1-hti.csv");
  CheckRealFile(path, CsvFacts(path, 1), 235);
}

TEST_F(AdminFigureIngestTest, HaitiAdmin2CsvTotalsEqualTheSource) {
  const std::string path = Real("dtm-api-v3-displacement-admin2-hti.csv");
  SourceFacts facts = CsvFacts(path, 2);
  EXPECT_EQ(facts.operations.size(), 5u);
  CheckRealFile(path, facts, 1384);
  for (const store::AdminFigure& figure : AllFigures()) {
    EXPECT_EQ(figure.admin_level, 2);
    EXPECT_FALSE(figure.admin2_pcode.empty());
  }
}

TEST_F(AdminFigureIngestTest, HdxHaitiFileTotalsEqualTheSourcePerLevel) {
  const std::string path = Real("hdx-iom-dtm-from-api-hti.hxl.csv");
  SourceFacts facts = CsvFacts(path, -1);
  EXPECT_EQ(facts.operations.size(), 5u);
  CheckRealFile(path, facts, 1733);
  std::map<int, int> by_level;
  for (const store::AdminFigure& figure : AllFigures()) ++by_level[figure.admin_level];
  EXPECT_EQ(by_level, (std::map<int, int>{{0, 114}, {1, 235}, {2, 1384}}));
}

// The HDX file says the same as the three API files together.
TEST_F(AdminFigureIngestTest, HdxFileTotalsEqualTheApiFilesTotals) {
  Totals api;
  for (const auto& [name, level] :
       std::vector<std::pair<std::string, int>>{{"dtm-api-v3-displacement-admin0-hti.csv", 0},
                                                {"dtm-api-v3-displacement-admin1-hti.csv", 1},
                                                {"dtm-api-v3-displacement-admin2-hti.csv", 2}}) {
    for (const auto& [key, sum] : CsvFacts(Real(name), level).totals) api[key] += sum;
  }
  ASSERT_TRUE(Ingest(Real("hdx-iom-dtm-from-api-hti.hxl.csv")).ok());
  EXPECT_EQ(StoredTotals(), api);
}

// ---- Records stored as they came ---------------------------------------------

TEST_F(AdminFigureIngestTest, JsonRecordIsStoredAsItsOriginalText) {
  const std::string path = Real("dtm-api-v3-displacement-admin1-admin0pcode-hti.json");
  const std::string text = ReadAll(path);
  nlohmann::json response = nlohmann::json::parse(text);
  ASSERT_TRUE(Ingest(path).ok());
  std::vector<store::AdminFigure> figures = AllFigures();
  ASSERT_EQ(figures.size(), response["result"].size());
  std::set<std::string> records_seen;
  for (const store::AdminFigure& figure : figures) {
    EXPECT_NE(text.find(figure.record_json), std::string::npos) << figure.record_json;
    nlohmann::ordered_json record = nlohmann::ordered_json::parse(figure.record_json);
    EXPECT_EQ(record.begin().key(), "id");  // field order kept
    EXPECT_EQ(record["id"].dump(), figure.source_id);
    EXPECT_EQ(record["numPresentIdpInd"].get<int64_t>(), figure.num_present_idp_ind);
    EXPECT_EQ(record["numberMales"].is_null(), !figure.males.has_value());
    records_seen.insert(figure.record_json);
  }
  std::set<std::string> originals;
  for (const nlohmann::json& record : response["result"]) originals.insert(record.dump());
  std::set<std::string> stored;
  for (const std::string& record : records_seen)
    stored.insert(nlohmann::json::parse(record).dump());
  EXPECT_EQ(stored, originals);
}

TEST_F(AdminFigureIngestTest, CsvRowIsStoredAsJsonObjectOfItsFieldsInColumnOrder) {
  const std::string path = Real("hdx-iom-dtm-from-api-hti.hxl.csv");
  Result<SiteIngestSummary> summary = Ingest(path);
  ASSERT_TRUE(summary.ok());
  EXPECT_THAT(summary->notes, ::testing::Contains(HasSubstr("operationStatus")));
  Result<core::CsvTable> table = core::ReadCsvFile(path, core::CsvOptions());
  ASSERT_TRUE(table.ok());
  std::set<std::vector<std::string>> source_rows(table->rows.begin() + 2, table->rows.end());
  for (const store::AdminFigure& figure : AllFigures()) {
    nlohmann::ordered_json record = nlohmann::ordered_json::parse(figure.record_json);
    std::vector<std::string> keys;
    std::vector<std::string> values;
    for (const auto& [key, value] : record.items()) {
      keys.push_back(key);
      ASSERT_TRUE(value.is_string());
      values.push_back(value.get<std::string>());
    }
    EXPECT_THAT(keys, ElementsAreArray(table->rows[0]));
    EXPECT_EQ(source_rows.count(values), 1u) << figure.record_json;
  }
}

// ---- Quarantine ---------------------------------------------------------------

TEST_F(AdminFigureIngestTest, RepeatedKeyAndNonNumericFigureAreQuarantined) {
  const std::string path =
      Write("figures.csv",
            std::string(kAdmin1Header) +
                // 2: kept
                "1,Op A,Haiti,HTI,Ouest,HT01,100,2020-01-31T00:00:00,2020,1,5,Conflict,40,60,"
                "Not available,Not available,BA\n"
                // 3: kept
                "2,Op A,Haiti,HTI,Nord,HT03,50,2020-01-31T00:00:00,2020,1,5,Conflict,,,"
                "Not available,Not available,BA\n"
                // 4: the key of line 2 again, another figure: figure_duplicate
                "1,Op A,Haiti,HTI,Ouest,HT01,999,2020-01-31T00:00:00,2020,1,5,Conflict,40,60,"
                "Not available,Not available,BA\n"
                // 5-7: not whole numbers: type
                "3,Op A,Haiti,HTI,Sud,HT07,12a,2020-01-31T00:00:00,2020,1,5,Conflict,,,"
                "Not available,Not available,BA\n"
                "4,Op A,Haiti,HTI,Sud,HT07,,2020-01-31T00:00:00,2020,1,5,Conflict,,,"
                "Not available,Not available,BA\n"
                "5,Op A,Haiti,HTI,Sud,HT07,1.5,2020-01-31T00:00:00,2020,1,5,Conflict,,,"
                "Not available,Not available,BA\n"
                // 8: line 2's key but SA: another figure
                "1,Op A,Haiti,HTI,Ouest,HT01,70,2020-01-31T00:00:00,2020,1,5,Conflict,null,null,"
                "Not available,Not available,SA\n"
                // 9: the same name in another country: another operation
                "6,Op A,Chad,TCD,Lac,TD07,30,2020-01-31T00:00:00,2020,1,5,Conflict,abc,,"
                "Not available,Not available,BA\n");
  Result<SiteIngestSummary> summary = Ingest(path);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rows_read, 8);
  EXPECT_EQ(summary->accepted, 4);
  EXPECT_EQ(summary->quarantined, 4);
  EXPECT_EQ(summary->rows_read, summary->accepted + summary->quarantined);
  ASSERT_EQ(summary->findings.count("figure_duplicate"), 1u);
  EXPECT_EQ(summary->findings.at("figure_duplicate").rows, 1);
  ASSERT_EQ(summary->findings.count("type"), 1u);
  EXPECT_EQ(summary->findings.at("type").rows, 4);  // 3 quarantined + numberMales 'abc'
  EXPECT_TRUE(summary->has_problems);

  std::map<int64_t, std::string> rule_by_line;
  for (const Finding& finding : summary->sample) {
    rule_by_line[finding.row] +=
        finding.rule + (finding.column.empty() ? "" : ":" + finding.column);
  }
  EXPECT_EQ(rule_by_line, (std::map<int64_t, std::string>{{4, "figure_duplicate"},
                                                          {5, "type:numPresentIdpInd"},
                                                          {6, "type:numPresentIdpInd"},
                                                          {7, "type:numPresentIdpInd"},
                                                          {9, "type:numberMales"}}));

  EXPECT_EQ(StoredOperations(), (OperationSet{{"Op A", "HTI"}, {"Op A", "TCD"}}));
  std::map<std::string, store::AdminFigure> by_id_type;
  for (const store::AdminFigure& figure : AllFigures()) {
    by_id_type[figure.source_id + figure.assessment_type] = figure;
  }
  ASSERT_EQ(by_id_type.size(), 4u);
  EXPECT_EQ(by_id_type["1BA"].num_present_idp_ind, 100);  // the earlier record is kept
  EXPECT_EQ(by_id_type["1BA"].males, 40);
  EXPECT_EQ(by_id_type["1BA"].females, 60);
  EXPECT_EQ(by_id_type["2BA"].males, std::nullopt);  // empty: unknown
  EXPECT_EQ(by_id_type["1SA"].males, std::nullopt);  // "null": unknown
  EXPECT_EQ(by_id_type["1SA"].females, std::nullopt);
  EXPECT_EQ(by_id_type["6BA"].males, std::nullopt);  // "abc": blanked
  EXPECT_EQ(by_id_type["6BA"].country, "TCD");
  EXPECT_THAT(by_id_type["6BA"].record_json, HasSubstr("\"numberMales\":\"abc\""));

  Result<store::Batch> batch = store_->FindBatch(summary->batch_id);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->rows_read, 8);
  EXPECT_EQ(batch->accepted, 4);
  EXPECT_EQ(batch->quarantined, 4);

  // The quarantined records are listed under the operation they name, with
  // their cleaning-log entries under their operation and round.
  Result<store::Operation> op_a = store_->FindOperation("Op A", std::string("HTI"));
  ASSERT_TRUE(op_a.ok());
  Result<std::vector<store::QuarantineEntry>> quarantine =
      store_->Quarantine(op_a->id, std::nullopt);
  ASSERT_TRUE(quarantine.ok());
  std::vector<int64_t> quarantined_rows;
  for (const store::QuarantineEntry& entry : *quarantine) {
    quarantined_rows.push_back(entry.source_row);
    EXPECT_EQ(entry.round, 5);
    EXPECT_EQ(entry.batch_id, summary->batch_id);
  }
  EXPECT_THAT(quarantined_rows, ElementsAre(4, 5, 6, 7));
  EXPECT_EQ((*quarantine)[0].rule, "figure_duplicate");
  EXPECT_EQ((*quarantine)[0].raw_cells.at(6), "999");
  Result<std::vector<store::CleaningLogEntry>> log = store_->CleaningLog(op_a->id, 5);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->size(), 4u);  // the 4 quarantined records; numberMales 'abc' is Op A of TCD
}

TEST_F(AdminFigureIngestTest, AFileWhoseEveryRecordWasQuarantinedIsRecognisedOnReingest) {
  const std::string path =
      Write("all-bad.csv",
            std::string(kAdmin1Header) +
                "3,Op B,Haiti,HTI,Sud,HT07,12a,2020-01-31T00:00:00,2020,1,5,Conflict,,,"
                "Not available,Not available,BA\n"
                "4,Op B,Haiti,HTI,Sud,HT07,n/a,2020-01-31T00:00:00,2020,1,5,Conflict,,,"
                "Not available,Not available,BA\n");
  Result<SiteIngestSummary> first = Ingest(path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->quarantined, 2);
  Result<SiteIngestSummary> second = Ingest(path);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->already_ingested_batch, first->batch_id);
  EXPECT_EQ(second->quarantined, 2);
  Result<store::Operation> op_b = store_->FindOperation("Op B", std::string("HTI"));
  ASSERT_TRUE(op_b.ok());
  EXPECT_THAT(*store_->Quarantine(op_b->id, std::nullopt), SizeIs(2));
}

TEST_F(AdminFigureIngestTest, JsonDuplicateAndStringFigureAreQuarantined) {
  const std::string record =
      R"({"id": 7, "operation": "Op J", "admin0Name": "Haiti", "admin0Pcode": "HTI", )"
      R"("admin1Name": "Ouest", "admin1Pcode": "HT01", "numPresentIdpInd": 10, )"
      R"("reportingDate": "2021-05-31T00:00:00", "yearReportingDate": 2021, )"
      R"("monthReportingDate": 5, "roundNumber": 3, "displacementReason": "Conflict", )"
      R"("numberMales": null, "numberFemales": null, "idpOriginAdmin1Name": "Not available", )"
      R"("idpOriginAdmin1Pcode": "Not available", "assessmentType": "SA"})";
  std::string bad = record;
  bad.replace(bad.find("\"numPresentIdpInd\": 10"), 22, "\"numPresentIdpInd\": \"ten\"");
  bad.replace(bad.find("\"id\": 7"), 7, "\"id\": 8");
  const std::string path = Write(
      "figures.json", "{\"result\": [" + record + ", " + record + ", " + bad +
                          "], \"statusCode\": 200, \"isSuccess\": true, \"errorMessages\": [], "
                          "\"totalRecordsCount\": 3}");
  Result<SiteIngestSummary> summary = Ingest(path);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rows_read, 3);
  EXPECT_EQ(summary->accepted, 1);
  EXPECT_EQ(summary->quarantined, 2);
  EXPECT_EQ(summary->findings.at("figure_duplicate").rows, 1);
  EXPECT_EQ(summary->findings.at("type").rows, 1);
  std::vector<store::AdminFigure> figures = AllFigures();
  ASSERT_EQ(figures.size(), 1u);
  EXPECT_EQ(figures[0].record_json, record);
  EXPECT_EQ(figures[0].admin_level, 1);
  EXPECT_EQ(figures[0].round, 3);
  EXPECT_EQ(figures[0].males, std::nullopt);
}

// ---- Idempotence, dry run, routing -------------------------------------------

TEST_F(AdminFigureIngestTest, IngestingTheSameFileTwiceChangesNothing) {
  const std::string path = Real("dtm-api-v3-displacement-admin2-hti.csv");
  Result<SiteIngestSummary> first = Ingest(path);
  ASSERT_TRUE(first.ok());
  const Totals totals = StoredTotals();
  const size_t operations = store_->ListOperations()->size();

  Result<SiteIngestSummary> second = Ingest(path);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->batch_id, 0);
  EXPECT_EQ(second->already_ingested_batch, first->batch_id);
  EXPECT_EQ(second->rows_read, 1384);
  EXPECT_EQ(second->accepted, 1384);

  // The same bytes under another name are the same file.
  const std::string copy = Write("copy.csv", ReadAll(path));
  Result<SiteIngestSummary> third = Ingest(copy);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->already_ingested_batch, first->batch_id);

  EXPECT_EQ(AllFigures().size(), 1384u);
  EXPECT_EQ(StoredTotals(), totals);
  EXPECT_EQ(store_->ListOperations()->size(), operations);

  // Once undone, the file can be ingested again.
  ASSERT_TRUE(store_->UndoBatch(first->batch_id, "tester", "2026-04-01T00:00:00Z").ok());
  EXPECT_THAT(AllFigures(), IsEmpty());
  Result<SiteIngestSummary> again = Ingest(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->already_ingested_batch, 0);
  EXPECT_EQ(StoredTotals(), totals);
}

TEST_F(AdminFigureIngestTest, DryRunStoresNothing) {
  Result<SiteIngestSummary> summary = Ingest(Real("hdx-iom-dtm-from-api-hti.hxl.csv"), true);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->batch_id, 0);
  EXPECT_EQ(summary->rows_read, 1733);
  EXPECT_EQ(summary->accepted, 1733);
  EXPECT_THAT(*store_->ListOperations(), IsEmpty());
}

TEST_F(AdminFigureIngestTest, HashtagOnlyFileMapsByHxlTags) {
  // The HDX file without its human header: the hashtags are the column names.
  const std::string text = ReadAll(Real("hdx-iom-dtm-from-api-hti.hxl.csv"));
  const size_t first_newline = text.find('\n');
  size_t end = first_newline;
  for (int line = 0; line < 11; ++line) end = text.find('\n', end + 1);
  const std::string path = Write("tags.csv", text.substr(first_newline + 1, end - first_newline));
  Result<SiteIngestSummary> summary = Ingest(path);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->accepted, 10);
  std::vector<store::AdminFigure> figures = AllFigures();
  ASSERT_EQ(figures.size(), 10u);
  EXPECT_EQ(figures[0].operation_name, "Haiti Earthquake");
  EXPECT_EQ(figures[0].num_present_idp_ind, 1068882);
  EXPECT_EQ(figures[0].admin_level, 0);
}

TEST_F(AdminFigureIngestTest, LooksLikeAdminFiguresRoutesDtmApiFilesOnly) {
  for (const std::string name :
       {"dtm-api-v3-displacement-admin0-admin0pcode-hti.json",
        "dtm-api-v3-displacement-admin1-admin0pcode-hti.json",
        "dtm-api-v3-displacement-admin0-hti.csv", "dtm-api-v3-displacement-admin1-hti.csv",
        "dtm-api-v3-displacement-admin2-hti.csv", "hdx-iom-dtm-from-api-hti.hxl.csv"}) {
    Result<std::unique_ptr<RowReader>> reader = OpenSource(Real(name), SourceOptions());
    ASSERT_TRUE(reader.ok()) << name << ": " << reader.status().ToString();
    EXPECT_TRUE(LooksLikeAdminFigures((*reader)->header())) << name;
  }
  Result<std::unique_ptr<RowReader>> nepal =
      OpenSource(Real("dtm-nepal-2015-site-assessment-round2.redacted.csv"), SourceOptions());
  ASSERT_TRUE(nepal.ok());
  EXPECT_FALSE(LooksLikeAdminFigures((*nepal)->header()));
}

TEST_F(AdminFigureIngestTest, FileWithoutFigureColumnsIsRefused) {
  const std::string path = Write("sites.csv", "site_id,operation,admin0Pcode\nS1,Op,HTI\n");
  Result<SiteIngestSummary> summary = Ingest(path);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(summary.status().message(), HasSubstr("numPresentIdpInd"));
  EXPECT_THAT(*store_->ListOperations(), IsEmpty());
}

TEST_F(AdminFigureIngestTest, MissingFileIsNotFound) {
  Result<SiteIngestSummary> summary = Ingest((scratch_ / "absent.csv").string());
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace opendtm::ingest
