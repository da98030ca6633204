#include "store/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "dictionary/loader.h"
#include "dictionary/testing.h"
#include "store/internal/schema.h"

namespace opendtm::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// The small test dictionary plus a pii indicator and a decimal one. Indicator
// indexes: 0 site_id, 1 ind_total, 2 lighting, 3 smc_exists, 4 women_committee,
// 5 documentation, 6 focal_phone (pii), 7 latrine_ratio (decimal).
constexpr int kSiteId = 0;
constexpr int kIndTotal = 1;
constexpr int kLighting = 2;
constexpr int kFocalPhone = 6;
constexpr int kLatrineRatio = 7;
constexpr int kWaterHours = 8;  // only in the grown dictionary

std::string TestDictionaryYaml() {
  return dictionary::testing::SmallDictionaryYaml() + R"(
  - name: focal_phone
    code: "1.2.b.8"
    module: site
    label: {en: "Focal point phone", fr: "Téléphone du point focal"}
    type: text
    class: pii
    indicator_type: optional
  - name: latrine_ratio
    code: "4.3.a.1"
    module: services
    label: {en: "People per latrine", fr: "Personnes par latrine"}
    type: decimal
    class: public
    aggregate: mean
    indicator_type: core
)";
}

std::string GrownDictionaryYaml() {
  return TestDictionaryYaml() + R"(
  - name: water_hours
    code: "4.2.a.9"
    module: services
    label: {en: "Hours of water per day", fr: "Heures d'eau par jour"}
    type: integer
    class: public
    aggregate: mean
    indicator_type: core
)";
}

dictionary::Dictionary LoadYaml(const std::string& yaml) {
  Result<dictionary::Dictionary> loaded = dictionary::LoadDictionaryText(yaml, "test.yaml");
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? *loaded : dictionary::Dictionary();
}

// Runs `sql` on the database file directly (as a BI tool would) and returns
// the first column of every row as text.
std::vector<std::string> QueryFile(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(statement, 0);
    rows.push_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

// The detail lines of SQLite's plan for `sql` on the database file.
std::vector<std::string> QueryPlan(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> details;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &statement, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
    details.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 3)));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return details;
}

// Alerts as an ingest (urgent values) and the risk check after it raise them.
Alert UrgentAlert(int64_t operation_id, const std::string& site_id, const std::string& value,
                  int round = 1) {
  Alert alert;
  alert.operation_id = operation_id;
  alert.round = round;
  alert.site_id = site_id;
  alert.indicator = "uasc";
  alert.value = value;
  alert.rule = "urgent_alert";
  alert.created_at = "2026-02-01T10:00:00Z";
  alert.message = "Unaccompanied children: " + value;
  return alert;
}

Alert RiskAlert(int64_t operation_id, const std::string& site_id, int round = 2) {
  Alert alert;
  alert.operation_id = operation_id;
  alert.round = round;
  alert.site_id = site_id;
  alert.value = "very_high";
  alert.rule = "risk_very_high";
  alert.created_at = "2026-03-01T10:00:00Z";
  alert.previous_round = round - 1;
  alert.previous_value = "high";
  alert.score = 41.25;
  alert.message = "site " + site_id + ": very high";
  return alert;
}

std::vector<int64_t> IdsOf(const Result<std::vector<Alert>>& alerts) {
  std::vector<int64_t> ids;
  EXPECT_TRUE(alerts.ok()) << alerts.status().ToString();
  if (alerts.ok()) {
    for (const Alert& alert : *alerts) ids.push_back(alert.id);
  }
  return ids;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dictionary_ = LoadYaml(TestDictionaryYaml());
    ASSERT_EQ(dictionary_.indicators().size(), 8u);
    Result<std::unique_ptr<SqliteStore>> opened = SqliteStore::Open(":memory:", dictionary_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    Result<Operation> operation = store_->CreateOperation({0, "demo-nga", "NGA", "WCA"});
    ASSERT_TRUE(operation.ok()) << operation.status().ToString();
    operation_ = *operation;
  }

  void TearDown() override {
    store_.reset();
    for (const std::string& path : temp_paths_) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(path + suffix);
      }
    }
  }

  std::string TempPath(const std::string& name) {
    std::string path = (std::filesystem::temp_directory_path() /
                        ("opendtm_store_" + std::to_string(::getpid()) + "_" + name + ".db"))
                           .string();
    temp_paths_.push_back(path);
    return path;
  }

  Batch MakeBatch(int round = 1) const {
    Batch batch;
    batch.operation_id = operation_.id;
    batch.round = round;
    batch.source_name = "round1.csv";
    batch.source_sha256 = std::string(64, 'a');
    batch.created_at = "2026-02-01T10:00:00Z";
    batch.who = "imo@example.org";
    return batch;
  }

  Submission MakeSubmission(const std::string& site_id, int round = 1, int64_t row = 2) const {
    Submission submission;
    submission.operation_id = operation_.id;
    submission.round = round;
    submission.site_id = site_id;
    submission.source_row = row;
    submission.submission_uuid = "uuid-" + site_id + "-" + std::to_string(round);
    submission.submission_key = "id:" + site_id;
    submission.submission_time = "2026-01-15T09:30:00Z";
    submission.enumerator = "enum7";
    submission.device = "collect:abc";
    submission.values.assign(dictionary_.indicators().size(), "");
    submission.values[kSiteId] = site_id;
    submission.values[kIndTotal] = "120";
    submission.values[kLighting] = "none";
    submission.values[kFocalPhone] = "+234 803 555 0101";
    submission.values[kLatrineRatio] = "37.5";
    return submission;
  }

  // Ingests one submission per site id with a header and verbatim cells, commits.
  int64_t IngestSites(const std::vector<std::string>& site_ids, int round = 1) {
    Result<std::unique_ptr<IngestTransaction>> ingest = store_->BeginIngest(MakeBatch(round));
    EXPECT_TRUE(ingest.ok()) << ingest.status().ToString();
    if (!ingest.ok()) return 0;
    std::vector<std::string> header = {"site_id", "ind_total", "phone"};
    EXPECT_TRUE((*ingest)->PutSourceHeader(header).ok());
    int64_t row = 2;
    for (const std::string& site_id : site_ids) {
      std::vector<std::string> cells = {site_id, "120", ""};
      Result<int64_t> added = (*ingest)->AddSubmission(MakeSubmission(site_id, round, row++), cells);
      EXPECT_TRUE(added.ok()) << added.status().ToString();
    }
    int64_t count = static_cast<int64_t>(site_ids.size());
    EXPECT_TRUE((*ingest)->SetCounts(count, count, 0).ok());
    Status committed = (*ingest)->Commit();
    EXPECT_TRUE(committed.ok()) << committed.ToString();
    return (*ingest)->batch_id();
  }

  dictionary::Dictionary dictionary_;
  std::unique_ptr<SqliteStore> store_;
  Operation operation_;
  std::vector<std::string> temp_paths_;
};

// ---- Opening, schema, migrations -------------------------------------------------

TEST_F(SqliteStoreTest, OpenCreatesTheSchemaAtTheNewestVersion) {
  Result<int> version = store_->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, internal::Migrations().back().version);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

TEST_F(SqliteStoreTest, ReopeningAFileKeepsItsDataAndVersion) {
  std::string path = TempPath("reopen");
  {
    auto store = SqliteStore::Open(path, dictionary_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->CreateOperation({0, "Countrywide monitoring", "NGA", ""}).ok());
  }
  auto store = SqliteStore::Open(path, dictionary_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->SchemaVersion(), internal::Migrations().back().version);
  EXPECT_TRUE((*store)->FindOperation("Countrywide monitoring", std::nullopt).ok());
  EXPECT_THAT(QueryFile(path, "PRAGMA journal_mode"), ElementsAre("wal"));
  // A file the store creates has 16 KiB pages.
  EXPECT_THAT(QueryFile(path, "PRAGMA page_size"), ElementsAre("16384"));
  std::vector<std::string> versions;
  for (const internal::Migration& migration : internal::Migrations()) {
    versions.push_back(std::to_string(migration.version));
  }
  EXPECT_EQ(QueryFile(path, "SELECT version FROM schema_version ORDER BY version"), versions);
  // Submissions are indexed by round and site only (migration 5): undo goes
  // through the round.
  EXPECT_THAT(QueryFile(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND "
                              "tbl_name = 'submissions' ORDER BY name"),
              ElementsAre("submissions_by_replacing_batch", "submissions_by_round_site"));
  EXPECT_THAT(QueryPlan(path, "UPDATE submissions SET state = 'undone' "
                              "WHERE operation_id = 1 AND round = 2 AND batch_id = 3"),
              ElementsAre(HasSubstr("USING INDEX submissions_by_round_site")));
}

TEST_F(SqliteStoreTest, MigratesAVersionOneDatabaseAndKeepsItsQuarantine) {
  std::string path = TempPath("v1");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string v1(internal::Migrations()[0].sql);
    v1 +=
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at TEXT NOT NULL);"
        "INSERT INTO schema_version VALUES (1, 'v1', '2026-01-01');"
        "INSERT INTO operations (id, name, country) VALUES (7, 'demo-nga', 'NGA');"
        "INSERT INTO batches (id, operation_id, round, assessment_type, state) "
        "VALUES (3, 7, 1, 'SA', 'active');"
        "INSERT INTO quarantine (batch_id, source_row, rule, site_id, round) "
        "VALUES (3, 5, 'site_unknown', 'NGA-9999', 1);";
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_close(db);
  }
  auto store = SqliteStore::Open(path, dictionary_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->SchemaVersion(), internal::Migrations().back().version);
  Result<std::vector<QuarantineEntry>> quarantine = (*store)->Quarantine(7, std::nullopt);
  ASSERT_TRUE(quarantine.ok()) << quarantine.status().ToString();
  ASSERT_THAT(*quarantine, SizeIs(1));
  EXPECT_EQ((*quarantine)[0].operation_id, 7);
  EXPECT_EQ((*quarantine)[0].site_id, "NGA-9999");
  EXPECT_TRUE((*store)->CheckIntegrity().ok());
  // An existing file keeps the page size it was created with.
  store->reset();
  EXPECT_THAT(QueryFile(path, "PRAGMA page_size"), ElementsAre("4096"));
}

TEST_F(SqliteStoreTest, MigrationSixMovesStoredValuesIntoSubmissions) {
  std::string path = TempPath("v5");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string v5 =
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at TEXT NOT NULL);";
    for (int version = 1; version <= 5; ++version) {
      v5 += std::string(internal::Migrations()[version - 1].sql);
      v5 += "INSERT INTO schema_version VALUES (" + std::to_string(version) + ", 'v', '2026');";
    }
    // What version 5's Open made of this dictionary: a typed site_values
    // column per stored indicator, and one submission with its values row.
    v5 +=
        "INSERT INTO indicator_columns (name, value_type, sql_type) VALUES "
        "('site_id', 'text', 'TEXT'), ('ind_total', 'integer', 'INTEGER'), "
        "('latrine_ratio', 'decimal', 'REAL');"
        "ALTER TABLE site_values ADD COLUMN site_id TEXT;"
        "ALTER TABLE site_values ADD COLUMN ind_total INTEGER;"
        "ALTER TABLE site_values ADD COLUMN latrine_ratio REAL;"
        "INSERT INTO operations (id, name, country) VALUES (7, 'demo-nga', 'NGA');"
        "INSERT INTO batches (id, operation_id, round, assessment_type, state) "
        "VALUES (3, 7, 1, 'SA', 'active');"
        "INSERT INTO submissions (id, batch_id, operation_id, round, assessment_type, site_id, "
        "source_row, state) VALUES (11, 3, 7, 1, 'SA', 'NGA-0001', 2, 'accepted'), "
        "(12, 3, 7, 1, 'SA', 'NGA-0002', 3, 'accepted');"
        "INSERT INTO site_values (submission_id, site_id, ind_total, latrine_ratio) "
        "VALUES (11, 'NGA-0001', 120, 37.5);";  // 12 has no values row
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, v5.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_close(db);
  }
  auto store = SqliteStore::Open(path, dictionary_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->SchemaVersion(), internal::Migrations().back().version);
  Result<Submission> moved = (*store)->GetSubmission(11);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->values[kSiteId], "NGA-0001");
  EXPECT_EQ(moved->values[kIndTotal], "120");
  EXPECT_EQ(moved->values[kLatrineRatio], "37.5");
  EXPECT_EQ(moved->values[kLighting], "");  // a column this dictionary added on opening
  Result<Submission> without_values = (*store)->GetSubmission(12);
  ASSERT_TRUE(without_values.ok());
  EXPECT_EQ(without_values->values[kIndTotal], "");
  EXPECT_TRUE((*store)->CheckIntegrity().ok());
  store->reset();
  EXPECT_THAT(QueryFile(path, "SELECT name FROM sqlite_master WHERE name = 'site_values'"),
              IsEmpty());
  EXPECT_THAT(QueryFile(path, "SELECT site_id || '|' || ind_total || '|' || latrine_ratio "
                              "FROM v_site_values WHERE submission_id = 11"),
              ElementsAre("NGA-0001|120|37.5"));
}

TEST_F(SqliteStoreTest, MigrationSevenGivesStoredAlertsAStatusAndAHistory) {
  std::string path = TempPath("v6");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string v6 =
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at TEXT NOT NULL);";
    for (int version = 1; version <= 6; ++version) {
      v6 += std::string(internal::Migrations()[version - 1].sql);
      v6 += "INSERT INTO schema_version VALUES (" + std::to_string(version) + ", 'v', '2026');";
    }
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, v6.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    ASSERT_TRUE(internal::Migrations()[5].step(db).ok());  // drops site_values
    // A version-6 alert of an active batch and one of an undone batch.
    std::string rows =
        "INSERT INTO operations (id, name, country) VALUES (7, 'demo-nga', 'NGA');"
        "INSERT INTO batches (id, operation_id, round, assessment_type, state) "
        "VALUES (3, 7, 2, 'SA', 'active'), (4, 7, 2, 'SA', 'undone');"
        "INSERT INTO alerts (id, batch_id, operation_id, round, site_id, indicator, value, rule, "
        "created_at) VALUES (21, 3, 7, 2, 'NGA-0001', 'uasc', '4', 'urgent_alert', "
        "'2026-01-05T08:00:00Z'), (22, 4, 7, 2, 'NGA-0002', 'uasc', '1', 'urgent_alert', '');";
    ASSERT_EQ(sqlite3_exec(db, rows.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_close(db);
  }
  auto store = SqliteStore::Open(path, dictionary_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->SchemaVersion(), internal::Migrations().back().version);
  Result<std::vector<Alert>> alerts = (*store)->Alerts(7, {});
  ASSERT_TRUE(alerts.ok()) << alerts.status().ToString();
  ASSERT_THAT(*alerts, SizeIs(1));
  EXPECT_EQ((*alerts)[0].id, 21);
  EXPECT_EQ((*alerts)[0].value, "4");
  EXPECT_EQ((*alerts)[0].status, AlertStatus::kNew);
  EXPECT_EQ((*alerts)[0].status_by, "");
  EXPECT_EQ((*alerts)[0].previous_round, std::nullopt);
  EXPECT_EQ((*alerts)[0].score, std::nullopt);
  EXPECT_THAT(*(*store)->AlertHistory(21), IsEmpty());
  Result<Alert> acknowledged = (*store)->SetAlertStatus(21, AlertStatus::kAcknowledged, "cp-focal",
                                                        "2026-01-06T09:00:00Z", "called");
  ASSERT_TRUE(acknowledged.ok()) << acknowledged.status().ToString();
  EXPECT_EQ((*store)->SetAlertStatus(22, AlertStatus::kClosed, "x", "", "").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*store)->CheckIntegrity().ok());
  store->reset();
  EXPECT_THAT(QueryFile(path, "SELECT status || '|' || status_by FROM alerts ORDER BY id"),
              ElementsAre("acknowledged|cp-focal", "new|"));
  EXPECT_THAT(QueryFile(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND "
                              "tbl_name = 'alerts' ORDER BY name"),
              ElementsAre("alerts_by_site"));
}

TEST_F(SqliteStoreTest, RefusesADatabaseNewerThanTheCode) {
  std::string path = TempPath("newer");
  { ASSERT_TRUE(SqliteStore::Open(path, dictionary_).ok()); }
  QueryFile(path, "INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')");
  auto store = SqliteStore::Open(path, dictionary_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("newer"));
}

TEST_F(SqliteStoreTest, RefusesAFileThatIsNotADatabase) {
  std::string path = TempPath("garbage");
  std::ofstream(path) << std::string(4096, 'x');
  auto store = SqliteStore::Open(path, dictionary_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss) << store.status().ToString();
}

TEST_F(SqliteStoreTest, ValueColumnsAreTypedAndPiiHasNone) {
  std::string path = TempPath("columns");
  { ASSERT_TRUE(SqliteStore::Open(path, dictionary_).ok()); }
  // The indicators' columns follow the submission's own (the indicator
  // site_id, a column name the submission has, is site_id_value).
  const std::string value_columns =
      "FROM pragma_table_info('submissions') WHERE cid >= (SELECT cid FROM "
      "pragma_table_info('submissions') WHERE name = 'submission_key') + 1";
  EXPECT_THAT(QueryFile(path, "SELECT name " + value_columns),
              ElementsAre("site_id_value", "ind_total", "lighting", "smc_exists",
                          "women_committee", "documentation", "latrine_ratio"));
  EXPECT_THAT(QueryFile(path, "SELECT type " + value_columns),
              ElementsAre("TEXT", "INTEGER", "TEXT", "TEXT", "TEXT", "TEXT", "REAL"));
  EXPECT_THAT(QueryFile(path, "SELECT name FROM pragma_table_info('submissions') "
                              "WHERE name LIKE 'focal_phone%'"),
              IsEmpty());
  // One row per submission: there is no separate table of values (migration 6).
  EXPECT_THAT(QueryFile(path, "SELECT name FROM sqlite_master WHERE name = 'site_values'"),
              IsEmpty());
}

TEST_F(SqliteStoreTest, PiiValuesNeverReachTheFile) {
  std::string path = TempPath("pii");
  {
    auto opened = SqliteStore::Open(path, dictionary_);
    ASSERT_TRUE(opened.ok());
    store_ = std::move(opened).value();
    operation_ = *store_->CreateOperation({0, "demo-nga", "NGA", ""});
    IngestSites({"NGA-0001", "NGA-0002"});
    Result<Submission> stored = store_->FindSubmission(operation_.id, "NGA-0001", 1,
                                                       AssessmentType::kSiteAssessment);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->values[kFocalPhone], "");
    store_.reset();
  }
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream file(path + suffix, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("555 0101"), std::string::npos) << path << suffix;
  }
}

TEST_F(SqliteStoreTest, BiViewJoinsValuesToSubmissions) {
  std::string path = TempPath("view");
  {
    auto opened = SqliteStore::Open(path, dictionary_);
    ASSERT_TRUE(opened.ok());
    store_ = std::move(opened).value();
    operation_ = *store_->CreateOperation({0, "demo-nga", "NGA", ""});
    IngestSites({"NGA-0001"});
    store_.reset();
  }
  EXPECT_THAT(QueryFile(path, "SELECT operation || '|' || country || '|' || round || '|' || "
                              "assessment_type || '|' || site_id || '|' || state || '|' || "
                              "ind_total || '|' || lighting || '|' || latrine_ratio "
                              "FROM v_site_values"),
              ElementsAre("demo-nga|NGA|1|SA|NGA-0001|accepted|120|none|37.5"));
  // Typed storage: sums work without casts.
  EXPECT_THAT(QueryFile(path, "SELECT typeof(ind_total) || typeof(latrine_ratio) FROM submissions"),
              ElementsAre("integerreal"));
}

TEST_F(SqliteStoreTest, ADictionaryThatGainedAnIndicatorGainsAColumn) {
  std::string path = TempPath("grow");
  int64_t old_submission = 0;
  {
    auto opened = SqliteStore::Open(path, dictionary_);
    ASSERT_TRUE(opened.ok());
    store_ = std::move(opened).value();
    operation_ = *store_->CreateOperation({0, "demo-nga", "NGA", ""});
    IngestSites({"NGA-0001"});
    old_submission =
        store_->FindSubmission(operation_.id, "NGA-0001", 1, AssessmentType::kSiteAssessment)->id;
    store_.reset();
  }
  dictionary::Dictionary grown = LoadYaml(GrownDictionaryYaml());
  ASSERT_EQ(grown.indicators().size(), 9u);
  auto reopened = SqliteStore::Open(path, grown);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_THAT(QueryFile(path, "SELECT type FROM pragma_table_info('submissions') "
                              "WHERE name = 'water_hours'"),
              ElementsAre("INTEGER"));
  EXPECT_THAT(QueryFile(path, "SELECT dictionary_version FROM indicator_columns "
                              "WHERE name = 'water_hours'"),
              ElementsAre("2026.11.1"));
  Result<Submission> old = (*reopened)->GetSubmission(old_submission);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  ASSERT_THAT(old->values, SizeIs(9));
  EXPECT_EQ(old->values[kIndTotal], "120");
  EXPECT_EQ(old->values[kLatrineRatio], "37.5");
  EXPECT_EQ(old->values[kWaterHours], "");
  EXPECT_THAT(QueryFile(path, "SELECT count(water_hours) FROM v_site_values"), ElementsAre("0"));

  // New data fills the new column.
  auto ingest = (*reopened)->BeginIngest(MakeBatch(2));
  ASSERT_TRUE(ingest.ok());
  Submission submission = MakeSubmission("NGA-0001", 2);
  submission.values.resize(9);
  submission.values[kWaterHours] = "6";
  ASSERT_TRUE((*ingest)->AddSubmission(submission, {}).ok());
  ASSERT_TRUE((*ingest)->Commit().ok());
  ingest->reset();  // a transaction must not outlive its store
  EXPECT_EQ((*reopened)->FindSubmission(operation_.id, "NGA-0001", 2,
                                        AssessmentType::kSiteAssessment)->values[kWaterHours],
            "6");
  EXPECT_TRUE((*reopened)->CheckIntegrity().ok());

  // Opening again with the older dictionary still works: the extra column is kept.
  reopened->reset();
  auto older = SqliteStore::Open(path, dictionary_);
  ASSERT_TRUE(older.ok()) << older.status().ToString();
  EXPECT_THAT((*older)->GetSubmission(old_submission)->values, SizeIs(8));
}

TEST_F(SqliteStoreTest, RefusesADictionaryThatRetypedAnIndicator) {
  std::string path = TempPath("retype");
  { ASSERT_TRUE(SqliteStore::Open(path, dictionary_).ok()); }
  std::string yaml = TestDictionaryYaml();
  size_t at = yaml.find("type: decimal");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 13, "type: integer");
  auto store = SqliteStore::Open(path, LoadYaml(yaml));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("latrine_ratio"));
}

TEST_F(SqliteStoreTest, RefusesADictionaryThatMadeAStoredIndicatorPii) {
  std::string path = TempPath("topii");
  { ASSERT_TRUE(SqliteStore::Open(path, dictionary_).ok()); }
  std::string yaml = TestDictionaryYaml();
  size_t at = yaml.find("aggregate: mean");  // latrine_ratio
  ASSERT_NE(at, std::string::npos);
  size_t class_at = yaml.rfind("class: public", at);
  yaml.replace(class_at, 13, "class: pii");
  dictionary::Dictionary with_pii = LoadYaml(yaml);
  auto store = SqliteStore::Open(path, with_pii);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("pii"));
}

TEST_F(SqliteStoreTest, RefusesMoreIndicatorsThanSqliteHasColumns) {
  dictionary::Dictionary huge;
  for (int indicator_idx = 0; indicator_idx <= SqliteStore::kMaxValueColumns; ++indicator_idx) {
    dictionary::Indicator indicator;
    indicator.name = "count_" + std::to_string(indicator_idx);
    indicator.type = dictionary::ValueType::kInteger;
    huge.AddIndicator(indicator);
  }
  auto store = SqliteStore::Open(":memory:", huge);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kResourceExhausted);
}

// ---- Operations ---------------------------------------------------------------------

TEST_F(SqliteStoreTest, OperationsRoundTrip) {
  Result<Operation> found = store_->FindOperation("demo-nga", std::nullopt);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, operation_.id);
  EXPECT_EQ(found->country, "NGA");
  EXPECT_EQ(found->region, "WCA");
  EXPECT_EQ(store_->GetOperation(operation_.id)->name, "demo-nga");
  EXPECT_EQ(store_->GetOperation(999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->CreateOperation({0, "demo-nga", "NGA", ""}).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateOperation({0, "x", "Nigeria", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateOperation({0, "", "NGA", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->FindOperation("nope", std::nullopt).status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, AnOperationNameInTwoCountriesIsAmbiguous) {
  ASSERT_TRUE(store_->CreateOperation({0, "Lake Chad Basin Crisis", "TCD", ""}).ok());
  ASSERT_TRUE(store_->CreateOperation({0, "Lake Chad Basin Crisis", "NGA", ""}).ok());
  Result<Operation> ambiguous = store_->FindOperation("Lake Chad Basin Crisis", std::nullopt);
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(ambiguous.status().message(),
            "ambiguous: Lake Chad Basin Crisis exists in NGA, TCD: pass --country");
  Result<Operation> chad = store_->FindOperation("Lake Chad Basin Crisis", "TCD");
  ASSERT_TRUE(chad.ok());
  EXPECT_EQ(chad->country, "TCD");
  EXPECT_EQ(store_->FindOperation("Lake Chad Basin Crisis", "CMR").status().code(),
            StatusCode::kNotFound);
  Result<std::vector<Operation>> all = store_->ListOperations();
  ASSERT_TRUE(all.ok());
  ASSERT_THAT(*all, SizeIs(3));
  EXPECT_EQ((*all)[0].country, "NGA");  // by name, then country
  EXPECT_EQ((*all)[1].country, "TCD");
  EXPECT_EQ((*all)[2].name, "demo-nga");
}

// ---- Admin areas --------------------------------------------------------------------

TEST_F(SqliteStoreTest, AdminAreasUpsertByPcode) {
  std::vector<AdminAreaRecord> areas = {
      {"NG001", "Abia", 1, "NGA", "NGA", "2019-04-17"},
      {"NG001001", "Aba North", 2, "NG001", "NGA", "2019-04-17"},
      {"TD01", "Batha", 1, "TCD", "TCD", ""},
  };
  ASSERT_TRUE(store_->UpsertAdminAreas(areas).ok());
  Result<AdminAreaRecord> abia = store_->FindAdminArea("NG001");
  ASSERT_TRUE(abia.ok());
  EXPECT_EQ(abia->name, "Abia");
  EXPECT_EQ(abia->valid_from, "2019-04-17");
  std::vector<AdminAreaRecord> renamed = {{"NG001", "Abia State", 1, "NGA", "NGA", "2024-01-01"}};
  ASSERT_TRUE(store_->UpsertAdminAreas(renamed).ok());
  EXPECT_EQ(store_->FindAdminArea("NG001")->name, "Abia State");
  Result<std::vector<AdminAreaRecord>> nigeria = store_->AdminAreas("NGA");
  ASSERT_TRUE(nigeria.ok());
  ASSERT_THAT(*nigeria, SizeIs(2));
  EXPECT_EQ((*nigeria)[0].pcode, "NG001");
  EXPECT_EQ((*nigeria)[1].parent_pcode, "NG001");
  EXPECT_EQ(store_->FindAdminArea("XX99").status().code(), StatusCode::kNotFound);
  std::vector<AdminAreaRecord> bad = {{"", "Nowhere", 1, "NGA", "NGA", ""}};
  EXPECT_EQ(store_->UpsertAdminAreas(bad).code(), StatusCode::kInvalidArgument);
}

// ---- Rounds -------------------------------------------------------------------------

TEST_F(SqliteStoreTest, RoundsRoundTripAndLock) {
  ASSERT_TRUE(store_->CreateRound({operation_.id, 2, "2026-02-01", "2026-02-28",
                                   RoundStatus::kOpen}).ok());
  ASSERT_TRUE(store_->CreateRound({operation_.id, 1, "2026-01-01", "2026-01-31",
                                   RoundStatus::kClosed}).ok());
  EXPECT_EQ(store_->CreateRound({operation_.id, 1, "", "", RoundStatus::kOpen}).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateRound({999, 1, "", "", RoundStatus::kOpen}).code(),
            StatusCode::kNotFound);
  Result<Round> round = store_->FindRound(operation_.id, 2);
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->date_from, "2026-02-01");
  EXPECT_EQ(round->date_to, "2026-02-28");
  EXPECT_EQ(round->status, RoundStatus::kOpen);
  ASSERT_TRUE(store_->SetRoundStatus(operation_.id, 2, RoundStatus::kLocked).ok());
  EXPECT_EQ(store_->FindRound(operation_.id, 2)->status, RoundStatus::kLocked);
  EXPECT_EQ(store_->SetRoundStatus(operation_.id, 7, RoundStatus::kClosed).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->FindRound(operation_.id, 7).status().code(), StatusCode::kNotFound);
  Result<std::vector<Round>> rounds = store_->ListRounds(operation_.id);
  ASSERT_TRUE(rounds.ok());
  ASSERT_THAT(*rounds, SizeIs(2));
  EXPECT_EQ((*rounds)[0].number, 1);
  EXPECT_EQ((*rounds)[0].status, RoundStatus::kClosed);
}

// ---- Sites --------------------------------------------------------------------------

TEST_F(SqliteStoreTest, SitesKeepTheirStatusHistory) {
  Site site;
  site.operation_id = operation_.id;
  site.site_id = "NGA-0001";
  site.name = "Bakassi camp";
  site.adm1_pcode = "NG008";
  site.adm2_pcode = "NG008011";
  site.latitude = 11.85;
  site.longitude = 13.16;
  site.site_type = "camp";
  ASSERT_TRUE(store_->UpsertSite(site, {1, "", std::nullopt, "baseline"}).ok());
  site.name = "Bakassi IDP camp";  // not a status change: no history
  ASSERT_TRUE(store_->UpsertSite(site, {2, "", std::nullopt, ""}).ok());
  site.status = SiteStatus::kClosed;
  ASSERT_TRUE(store_->UpsertSite(site, {3, "", std::nullopt, "camp emptied"}).ok());
  site.status = SiteStatus::kMerged;
  site.merged_into = "NGA-0002";
  ASSERT_TRUE(store_->UpsertSite(site, {std::nullopt, "2026-04-10", std::nullopt, ""}).ok());

  Result<Site> found = store_->FindSite(operation_.id, "NGA-0001");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->name, "Bakassi IDP camp");
  EXPECT_EQ(found->adm2_pcode, "NG008011");
  EXPECT_EQ(found->latitude, 11.85);
  EXPECT_EQ(found->longitude, 13.16);
  EXPECT_EQ(found->status, SiteStatus::kMerged);
  EXPECT_EQ(found->merged_into, "NGA-0002");

  Result<std::vector<SiteStatusChange>> history = store_->SiteHistory(operation_.id, "NGA-0001");
  ASSERT_TRUE(history.ok());
  ASSERT_THAT(*history, SizeIs(3));
  EXPECT_EQ((*history)[0].status, SiteStatus::kOpen);
  EXPECT_EQ((*history)[0].from_round, 1);
  EXPECT_EQ((*history)[0].note, "baseline");
  EXPECT_EQ((*history)[1].status, SiteStatus::kClosed);
  EXPECT_EQ((*history)[1].from_round, 3);
  EXPECT_EQ((*history)[2].status, SiteStatus::kMerged);
  EXPECT_EQ((*history)[2].merged_into, "NGA-0002");
  EXPECT_EQ((*history)[2].from_round, std::nullopt);
  EXPECT_EQ((*history)[2].date, "2026-04-10");

  Site other;
  other.operation_id = operation_.id;
  other.site_id = "NGA-0002";
  ASSERT_TRUE(store_->UpsertSite(other, {}).ok());
  Result<std::vector<Site>> sites = store_->ListSites(operation_.id);
  ASSERT_TRUE(sites.ok());
  ASSERT_THAT(*sites, SizeIs(2));
  EXPECT_EQ((*sites)[1].site_id, "NGA-0002");
  EXPECT_EQ((*sites)[1].latitude, std::nullopt);
  // NGA-0001 is merged by now: still an ID of the master list.
  EXPECT_THAT(*store_->SiteIds(operation_.id), ElementsAre("NGA-0001", "NGA-0002"));
  EXPECT_THAT(*store_->SiteIds(999), IsEmpty());

  EXPECT_EQ(store_->FindSite(operation_.id, "NGA-9999").status().code(), StatusCode::kNotFound);
  other.site_id = "";
  EXPECT_EQ(store_->UpsertSite(other, {}).code(), StatusCode::kInvalidArgument);
  other.site_id = "X";
  other.operation_id = 999;
  EXPECT_EQ(store_->UpsertSite(other, {}).code(), StatusCode::kNotFound);
}

// ---- Ingest -------------------------------------------------------------------------

TEST_F(SqliteStoreTest, AnIngestRoundTripsEverythingItStores) {
  auto ingest = store_->BeginIngest(MakeBatch());
  ASSERT_TRUE(ingest.ok()) << ingest.status().ToString();
  IngestTransaction& tx = **ingest;
  Result<Round> round = tx.EnsureRound({operation_.id, 1, "2026-01-01", "2026-01-31",
                                        RoundStatus::kOpen});
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  Site site;
  site.operation_id = operation_.id;
  site.site_id = "NGA-0001";
  ASSERT_TRUE(tx.UpsertSite(site, {1, "", std::nullopt, "registered on ingest"}).ok());
  std::vector<std::string> header = {"site_id", "ind_total", "comment, \"quoted\"", "phone"};
  ASSERT_TRUE(tx.PutSourceHeader(header).ok());
  std::vector<std::string> cells = {"NGA-0001", "120", "line one\nline two, \"quoted\"", ""};
  Result<int64_t> submission_id = tx.AddSubmission(MakeSubmission("NGA-0001"), cells);
  ASSERT_TRUE(submission_id.ok()) << submission_id.status().ToString();

  CleaningLogEntry entry;
  entry.submission_id = *submission_id;
  entry.row = 2;
  entry.column = "Lighting";
  entry.indicator = "lighting";
  entry.old_value = "No Lighting";
  entry.new_value = "none";
  entry.rule = "choice_normalised";
  entry.action = "normalised";
  entry.who = "imo@example.org";
  entry.when = "2026-02-01T10:00:00Z";
  ASSERT_TRUE(tx.AddCleaningLog(entry).ok());

  QuarantineEntry quarantined;
  quarantined.source_row = 3;
  quarantined.rule = "site_unknown";
  quarantined.message = "site NGA-9999 is not in the master list";
  quarantined.site_id = "NGA-9999";
  quarantined.round = 1;
  quarantined.raw_cells = {"NGA-9999", "", "", ""};
  ASSERT_TRUE(tx.AddQuarantine(quarantined).ok());
  quarantined.rule = "site_id";  // same row, second reason: stored once in the copy
  ASSERT_TRUE(tx.AddQuarantine(quarantined).ok());

  ASSERT_TRUE(tx.AddAlert(UrgentAlert(operation_.id, "NGA-0001", "12")).ok());
  AdminFigure figure;
  figure.operation_id = operation_.id;
  figure.admin_level = 1;
  figure.source_id = "17";
  figure.operation_name = "demo-nga";
  figure.country_name = "Nigeria";
  figure.country = "NGA";
  figure.round = 1;
  figure.reporting_date = "2026-01-31T00:00:00";
  figure.assessment_type = "BA";
  figure.admin1_pcode = "NG008";
  figure.admin1_name = "Borno";
  figure.displacement_reason = "Conflict";
  figure.origin_admin1_pcode = "Not available";
  figure.num_present_idp_ind = 1500000;
  figure.females = 800000;
  figure.record_json = R"({"id":17,"numberMales":null})";
  ASSERT_TRUE(tx.AddAdminFigure(figure).ok());
  figure.operation_id = 999;
  EXPECT_EQ(tx.AddAdminFigure(figure).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(tx.SetCounts(2, 1, 1).ok());
  ASSERT_TRUE(tx.Commit().ok());
  EXPECT_EQ(tx.Commit().code(), StatusCode::kFailedPrecondition);
  int64_t batch_id = tx.batch_id();
  ingest->reset();

  Result<Submission> stored = store_->GetSubmission(*submission_id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  Submission expected = MakeSubmission("NGA-0001");
  expected.values[kFocalPhone] = "";  // pii is never stored
  EXPECT_EQ(stored->values, expected.values);
  EXPECT_EQ(stored->batch_id, batch_id);
  EXPECT_EQ(stored->submission_uuid, "uuid-NGA-0001-1");
  EXPECT_EQ(stored->submission_key, "id:NGA-0001");
  EXPECT_EQ(stored->enumerator, "enum7");
  EXPECT_EQ(stored->device, "collect:abc");
  EXPECT_EQ(stored->state, SubmissionState::kAccepted);
  EXPECT_EQ(store_->FindSubmission(operation_.id, "NGA-0001", 1,
                                   AssessmentType::kSiteAssessment)->id, *submission_id);
  EXPECT_EQ(store_->FindSubmission(operation_.id, "NGA-0001", 1,
                                   AssessmentType::kBaselineAssessment).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->FindSubmissionByUuid(operation_.id, "uuid-NGA-0001-1")->id, *submission_id);
  EXPECT_EQ(store_->FindSubmissionByUuid(operation_.id, "uuid-x").status().code(),
            StatusCode::kNotFound);
  EXPECT_THAT(*store_->Submissions(operation_.id, 1), SizeIs(1));
  EXPECT_THAT(*store_->Submissions(operation_.id, 2), IsEmpty());

  Result<VerbatimRow> verbatim = store_->GetVerbatimRow(*submission_id);
  ASSERT_TRUE(verbatim.ok()) << verbatim.status().ToString();
  EXPECT_EQ(verbatim->header, header);
  EXPECT_EQ(verbatim->cells, cells);
  EXPECT_EQ(store_->GetVerbatimRow(999).status().code(), StatusCode::kNotFound);

  Result<std::vector<CleaningLogEntry>> log = store_->CleaningLog(operation_.id, 1);
  ASSERT_TRUE(log.ok());
  ASSERT_THAT(*log, SizeIs(1));
  EXPECT_EQ((*log)[0].batch_id, batch_id);
  EXPECT_EQ((*log)[0].old_value, "No Lighting");
  EXPECT_EQ((*log)[0].action, "normalised");
  EXPECT_THAT(*store_->CleaningLog(operation_.id, 2), IsEmpty());
  EXPECT_EQ(store_->FindCleaningLogEntry((*log)[0].entry_id)->rule, "choice_normalised");

  Result<std::vector<QuarantineEntry>> quarantine = store_->Quarantine(operation_.id, batch_id);
  ASSERT_TRUE(quarantine.ok()) << quarantine.status().ToString();
  ASSERT_THAT(*quarantine, SizeIs(2));
  EXPECT_EQ((*quarantine)[0].rule, "site_unknown");
  EXPECT_EQ((*quarantine)[0].round, 1);
  EXPECT_THAT((*quarantine)[0].raw_cells, ElementsAre("NGA-9999", "", "", ""));
  EXPECT_EQ((*quarantine)[1].raw_cells, (*quarantine)[0].raw_cells);
  EXPECT_THAT(*store_->Quarantine(operation_.id, std::nullopt), SizeIs(2));

  Result<std::vector<Alert>> alerts = store_->Alerts(operation_.id, {});
  ASSERT_TRUE(alerts.ok());
  ASSERT_THAT(*alerts, SizeIs(1));
  EXPECT_EQ((*alerts)[0].indicator, "uasc");
  EXPECT_EQ((*alerts)[0].batch_id, batch_id);

  Result<std::vector<AdminFigure>> figures = store_->AdminFigures(operation_.id);
  ASSERT_TRUE(figures.ok());
  ASSERT_THAT(*figures, SizeIs(1));
  EXPECT_EQ((*figures)[0].num_present_idp_ind, 1500000);
  EXPECT_EQ((*figures)[0].males, std::nullopt);
  EXPECT_EQ((*figures)[0].females, 800000);
  EXPECT_EQ((*figures)[0].origin_admin1_pcode, "Not available");
  EXPECT_EQ((*figures)[0].record_json, R"({"id":17,"numberMales":null})");

  Result<Batch> batch = store_->FindBatch(batch_id);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->rows_read, 2);
  EXPECT_EQ(batch->accepted, 1);
  EXPECT_EQ(batch->quarantined, 1);
  EXPECT_EQ(batch->state, BatchState::kActive);
  EXPECT_EQ(batch->who, "imo@example.org");
  EXPECT_EQ(batch->source_sha256, std::string(64, 'a'));
  EXPECT_THAT(*store_->Batches(operation_.id), SizeIs(1));
  EXPECT_EQ(store_->FindBatch(999).status().code(), StatusCode::kNotFound);

  EXPECT_EQ(store_->FindRound(operation_.id, 1)->date_to, "2026-01-31");
  EXPECT_EQ(store_->SiteHistory(operation_.id, "NGA-0001")->at(0).batch_id, batch_id);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

TEST_F(SqliteStoreTest, ARoundsIdentitiesAndOneIndicatorsValuesCanBeReadAlone) {
  IngestSites({"NGA-0001", "NGA-0002"});
  Result<std::vector<Submission>> identities = store_->SubmissionIdentities(operation_.id, 1);
  ASSERT_TRUE(identities.ok()) << identities.status().ToString();
  ASSERT_THAT(*identities, SizeIs(2));
  EXPECT_EQ((*identities)[0].id, store_->Submissions(operation_.id, 1)->at(0).id);
  EXPECT_EQ((*identities)[1].site_id, "NGA-0002");
  EXPECT_EQ((*identities)[1].submission_uuid, "uuid-NGA-0002-1");
  EXPECT_EQ((*identities)[1].submission_key, "id:NGA-0002");
  EXPECT_EQ((*identities)[0].state, SubmissionState::kAccepted);
  EXPECT_THAT((*identities)[0].values, IsEmpty());  // the value rows are not read
  EXPECT_THAT(*store_->SubmissionIdentities(operation_.id, 2), IsEmpty());

  using SiteValue = std::pair<std::string, std::string>;
  int64_t undone = IngestSites({"NGA-0003"});  // taken back: not accepted any more
  ASSERT_TRUE(store_->UndoBatch(undone, "imo", "2026-02-02T10:00:00Z").ok());
  EXPECT_THAT(*store_->AcceptedValues(operation_.id, 1, AssessmentType::kSiteAssessment,
                                      "ind_total"),
              ElementsAre(SiteValue{"NGA-0001", "120"}, SiteValue{"NGA-0002", "120"}));
  EXPECT_THAT(*store_->AcceptedValues(operation_.id, 1, AssessmentType::kSiteAssessment,
                                      "latrine_ratio"),
              ElementsAre(SiteValue{"NGA-0001", "37.5"}, SiteValue{"NGA-0002", "37.5"}));
  EXPECT_THAT(*store_->AcceptedValues(operation_.id, 1, AssessmentType::kBaselineAssessment,
                                      "ind_total"),
              IsEmpty());
  // By site, and oldest first within a site (the newest is last).
  for (const auto& [site_id, total] : std::vector<SiteValue>{
           {"NGA-0002", "200"}, {"NGA-0001", "100"}, {"NGA-0002", "210"}}) {
    auto ingest = store_->BeginIngest(MakeBatch(2));
    ASSERT_TRUE(ingest.ok());
    Submission submission = MakeSubmission(site_id, 2);
    submission.values[kIndTotal] = total;
    ASSERT_TRUE((*ingest)->AddSubmission(submission, {}).ok());
    ASSERT_TRUE((*ingest)->Commit().ok());
  }
  EXPECT_THAT(*store_->AcceptedValues(operation_.id, 2, AssessmentType::kSiteAssessment,
                                      "ind_total"),
              ElementsAre(SiteValue{"NGA-0001", "100"}, SiteValue{"NGA-0002", "200"},
                          SiteValue{"NGA-0002", "210"}));
  EXPECT_EQ(store_->AcceptedValues(operation_.id, 1, AssessmentType::kSiteAssessment,
                                   "focal_phone").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->AcceptedValues(operation_.id, 1, AssessmentType::kSiteAssessment,
                                   "no_such_indicator").status().code(),
            StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, AcceptedSubmissionsAreVisitedWithTheirValuesInPlace) {
  IngestSites({"NGA-0002", "NGA-0001"});
  IngestSites({"NGA-0003"}, 2);
  int64_t undone = IngestSites({"NGA-0004"}, 2);
  ASSERT_TRUE(store_->UndoBatch(undone, "imo", "2026-02-02T10:00:00Z").ok());
  IngestSites({"NGA-0005"}, 3);

  std::vector<std::string> seen;
  Status status = store_->VisitAcceptedSubmissions(
      operation_.id, 1, 2, [&](const Submission& identity, const StoredValues& values) {
        EXPECT_THAT(identity.values, IsEmpty());
        EXPECT_EQ(identity.state, SubmissionState::kAccepted);
        EXPECT_FALSE(values.IsBlank(kIndTotal));
        EXPECT_EQ(values.Integer(kIndTotal), 120);
        EXPECT_EQ(values.Number(kLatrineRatio), 37.5);
        EXPECT_EQ(values.Text(kLighting), "none");
        EXPECT_EQ(values.Text(kIndTotal), "120");
        EXPECT_TRUE(values.IsBlank(kFocalPhone));  // pii: never stored
        EXPECT_TRUE(values.IsBlank(999));
        seen.push_back(std::to_string(identity.round) + " " + identity.site_id);
        return Status::Ok();
      });
  ASSERT_TRUE(status.ok()) << status.ToString();
  // By round, then site; the undone batch and round 3 are not visited.
  EXPECT_THAT(seen, ElementsAre("1 NGA-0001", "1 NGA-0002", "2 NGA-0003"));

  // The visitor's error stops the visit and comes back.
  int visits = 0;
  status = store_->VisitAcceptedSubmissions(
      operation_.id, 1, 3, [&](const Submission&, const StoredValues&) {
        ++visits;
        return InvalidArgumentError("enough");
      });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(visits, 1);
}

TEST_F(SqliteStoreTest, AnIngestCreatesTheOperationsItsRecordsName) {
  Batch batch = MakeBatch();
  batch.operation_id.reset();
  batch.round.reset();
  auto ingest = store_->BeginIngest(batch);
  ASSERT_TRUE(ingest.ok()) << ingest.status().ToString();
  Result<Operation> haiti = (*ingest)->EnsureOperation({0, "Haiti Earthquake", "HTI", ""});
  ASSERT_TRUE(haiti.ok());
  Result<Operation> again = (*ingest)->EnsureOperation({0, "Haiti Earthquake", "HTI", ""});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, haiti->id);
  EXPECT_EQ((*ingest)->EnsureOperation({0, "x", "Haiti", ""}).status().code(),
            StatusCode::kInvalidArgument);
  Result<Round> round = (*ingest)->EnsureRound({haiti->id, 3, "2010-11-01", "", RoundStatus::kOpen});
  ASSERT_TRUE(round.ok());
  Result<Round> existing = (*ingest)->EnsureRound({haiti->id, 3, "1999-01-01", "", RoundStatus::kLocked});
  ASSERT_TRUE(existing.ok());
  EXPECT_EQ(existing->date_from, "2010-11-01");  // the stored round, unchanged
  EXPECT_EQ((*ingest)->EnsureRound({999, 1, "", "", RoundStatus::kOpen}).status().code(),
            StatusCode::kNotFound);
  AdminFigure figure;
  figure.operation_id = haiti->id;
  figure.round = 3;
  figure.num_present_idp_ind = 10;
  ASSERT_TRUE((*ingest)->AddAdminFigure(figure).ok());
  // The failed EnsureRound above did not spoil the ingest: nothing was written.
  ASSERT_TRUE((*ingest)->Commit().ok()) << (*ingest)->Commit().ToString();
  int64_t batch_id = (*ingest)->batch_id();
  ingest->reset();
  Result<std::vector<Batch>> batches = store_->Batches(haiti->id);
  ASSERT_TRUE(batches.ok());
  ASSERT_THAT(*batches, SizeIs(1));
  EXPECT_EQ((*batches)[0].id, batch_id);
  EXPECT_EQ((*batches)[0].operation_id, std::nullopt);
  EXPECT_THAT(*store_->AdminFigures(haiti->id), SizeIs(1));
}

TEST_F(SqliteStoreTest, AFailedStepSpoilsTheIngest) {
  auto ingest = store_->BeginIngest(MakeBatch());
  ASSERT_TRUE(ingest.ok());
  Submission submission = MakeSubmission("NGA-0001");
  submission.values.resize(20);
  // Refused before writing: the ingest goes on.
  EXPECT_EQ((*ingest)->AddSubmission(submission, {}).status().code(), StatusCode::kInvalidArgument);
  // So is a submission of another round than the batch's (undo finds a
  // batch's submissions in its round).
  submission = MakeSubmission("NGA-0001");
  submission.round = 2;
  EXPECT_EQ((*ingest)->AddSubmission(submission, {}).status().code(), StatusCode::kInvalidArgument);
  CleaningLogEntry entry;
  entry.batch_id = 999;
  EXPECT_EQ((*ingest)->AddCleaningLog(entry).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE((*ingest)->AddSubmission(MakeSubmission("NGA-0001"), {}).ok());
  // A write the database refuses leaves the ingest good only for rolling back.
  submission = MakeSubmission("NGA-0002");
  submission.assessment_type = static_cast<AssessmentType>(7);
  EXPECT_FALSE((*ingest)->AddSubmission(submission, {}).ok());
  EXPECT_EQ((*ingest)->AddSubmission(MakeSubmission("NGA-0003"), {}).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ((*ingest)->Commit().code(), StatusCode::kFailedPrecondition);
  ingest->reset();
  EXPECT_THAT(*store_->Batches(operation_.id), IsEmpty());
}

TEST_F(SqliteStoreTest, OneIngestAtATime) {
  auto first = store_->BeginIngest(MakeBatch());
  ASSERT_TRUE(first.ok());
  auto second = store_->BeginIngest(MakeBatch());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  // The ingesting thread may read through the store meanwhile.
  EXPECT_TRUE(store_->ListOperations().ok());
  first->reset();
  EXPECT_TRUE(store_->BeginIngest(MakeBatch()).ok());
  Batch unknown = MakeBatch();
  unknown.operation_id = 999;
  EXPECT_EQ(store_->BeginIngest(unknown).status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, OtherThreadsWaitForAnOpenIngest) {
  auto ingest = store_->BeginIngest(MakeBatch());
  ASSERT_TRUE(ingest.ok());
  ASSERT_TRUE((*ingest)->AddSubmission(MakeSubmission("NGA-0001"), {}).ok());
  ASSERT_TRUE((*ingest)->Commit().ok());
  // The reader starts while the ingest object still holds the store; it can
  // only run once the object is gone, and then sees the committed row.
  size_t seen = 0;
  std::thread reader([&] { seen = store_->Submissions(operation_.id, 1)->size(); });
  ingest->reset();
  reader.join();
  EXPECT_EQ(seen, 1u);
}

TEST_F(SqliteStoreTest, DestroyingAnIngestWithoutCommitRollsItBack) {
  {
    auto ingest = store_->BeginIngest(MakeBatch());
    ASSERT_TRUE(ingest.ok());
    ASSERT_TRUE((*ingest)->EnsureOperation({0, "ghost", "TCD", ""}).ok());
    ASSERT_TRUE((*ingest)->EnsureRound({operation_.id, 1, "", "", RoundStatus::kOpen}).ok());
    ASSERT_TRUE((*ingest)->AddSubmission(MakeSubmission("NGA-0001"),
                                         std::vector<std::string>{"a", "b"}).ok());
    // Reads on the ingesting thread see the uncommitted rows.
    EXPECT_THAT(*store_->Submissions(operation_.id, 1), SizeIs(1));
  }
  EXPECT_THAT(*store_->Batches(operation_.id), IsEmpty());
  EXPECT_THAT(*store_->Submissions(operation_.id, 1), IsEmpty());
  EXPECT_EQ(store_->FindOperation("ghost", std::nullopt).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->FindRound(operation_.id, 1).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

TEST_F(SqliteStoreTest, AnAbandonedLargeIngestLeavesTheFileAsBefore) {
  std::string path = TempPath("abandoned");
  {
    auto opened = SqliteStore::Open(path, dictionary_);
    ASSERT_TRUE(opened.ok());
    std::unique_ptr<SqliteStore> store = std::move(opened).value();
    Operation operation = *store->CreateOperation({0, "demo-nga", "NGA", ""});
    Batch batch = MakeBatch();
    batch.operation_id = operation.id;
    auto ingest = store->BeginIngest(batch);
    ASSERT_TRUE(ingest.ok());
    ASSERT_TRUE((*ingest)->PutSourceHeader(std::vector<std::string>{"site_id", "note"}).ok());
    for (int row_idx = 0; row_idx < 1000; ++row_idx) {
      std::string site_id = "NGA-" + std::to_string(10000 + row_idx);
      Submission submission = MakeSubmission(site_id, 1, row_idx + 2);
      submission.operation_id = operation.id;
      std::vector<std::string> cells = {site_id, std::string(400, 'n')};  // spans chunks
      ASSERT_TRUE((*ingest)->AddSubmission(submission, cells).ok());
    }
    // Destroyed here without Commit, as if the process had died.
  }
  auto reopened = SqliteStore::Open(path, dictionary_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_TRUE((*reopened)->CheckIntegrity().ok());
  reopened->reset();
  EXPECT_THAT(QueryFile(path, "PRAGMA integrity_check"), ElementsAre("ok"));
  for (const char* table : {"batches", "submissions", "source_files",
                            "source_chunks", "cleaning_log"}) {
    EXPECT_THAT(QueryFile(path, std::string("SELECT count(*) FROM ") + table), ElementsAre("0"))
        << table;
  }
  EXPECT_THAT(QueryFile(path, "SELECT count(*) FROM operations"), ElementsAre("1"));
}

// ---- Verbatim copies ------------------------------------------------------------------

TEST_F(SqliteStoreTest, TheSameSourceIsStoredOnce) {
  std::string path = TempPath("dedup");
  auto opened = SqliteStore::Open(path, dictionary_);
  ASSERT_TRUE(opened.ok());
  store_ = std::move(opened).value();
  operation_ = *store_->CreateOperation({0, "demo-nga", "NGA", ""});
  int64_t first = IngestSites({"NGA-0001", "NGA-0002"});
  int64_t second = IngestSites({"NGA-0001", "NGA-0002"});  // the same file again
  EXPECT_THAT(QueryFile(path, "SELECT count(*) FROM source_files"), ElementsAre("1"));
  EXPECT_THAT(QueryFile(path, "SELECT count(DISTINCT source_file_id) FROM batches"),
              ElementsAre("1"));
  IngestSites({"NGA-0003"});
  EXPECT_THAT(QueryFile(path, "SELECT count(*) FROM source_files"), ElementsAre("2"));
  // Both batches' rows come back from the one copy.
  for (int64_t batch_id : {first, second}) {
    Result<std::vector<Submission>> submissions = store_->Submissions(operation_.id, 1);
    ASSERT_TRUE(submissions.ok());
    for (const Submission& submission : *submissions) {
      if (submission.batch_id != batch_id) continue;
      Result<VerbatimRow> row = store_->GetVerbatimRow(submission.id);
      ASSERT_TRUE(row.ok()) << row.status().ToString();
      EXPECT_THAT(row->header, ElementsAre("site_id", "ind_total", "phone"));
      EXPECT_THAT(row->cells, ElementsAre(submission.site_id, "120", ""));
    }
  }
}

TEST_F(SqliteStoreTest, VerbatimRowsComeBackAcrossChunkBoundaries) {
  auto ingest = store_->BeginIngest(MakeBatch());
  ASSERT_TRUE(ingest.ok());
  std::vector<std::pair<int64_t, std::vector<std::string>>> rows;
  for (int row_idx = 0; row_idx < 3000; ++row_idx) {
    std::string site_id = "S" + std::to_string(row_idx);
    // Varied widths and awkward characters so that rows straddle chunks.
    std::vector<std::string> cells = {site_id, std::string(row_idx % 700, 'x'), "a,\"b\"\r\nc",
                                      " padded ", "Ñoño – ✓"};
    Result<int64_t> id = (*ingest)->AddSubmission(MakeSubmission(site_id, 1, row_idx + 2), cells);
    ASSERT_TRUE(id.ok());
    rows.emplace_back(*id, cells);
  }
  ASSERT_TRUE((*ingest)->Commit().ok());
  ingest->reset();
  for (const auto& [id, cells] : rows) {
    Result<VerbatimRow> row = store_->GetVerbatimRow(id);
    ASSERT_TRUE(row.ok()) << row.status().ToString();
    ASSERT_EQ(row->cells, cells) << "submission " << id;
    EXPECT_THAT(row->header, IsEmpty());
  }
}

// ---- Undo, replace, corrections ---------------------------------------------------------

TEST_F(SqliteStoreTest, AQuarantinedRowReplacedByACorrectedFileLeavesTheList) {
  auto first = store_->BeginIngest(MakeBatch());
  ASSERT_TRUE(first.ok());
  Submission bad = MakeSubmission("NGA-0003");
  bad.state = SubmissionState::kQuarantined;
  Result<int64_t> bad_id = (*first)->AddSubmission(bad, {});
  ASSERT_TRUE(bad_id.ok());
  QuarantineEntry entry;
  entry.source_row = 2;
  entry.rule = "site_unknown";
  entry.site_id = "NGA-0003";
  entry.submission_id = *bad_id;
  ASSERT_TRUE((*first)->AddQuarantine(entry).ok());
  ASSERT_TRUE((*first)->Commit().ok());
  first->reset();
  Result<std::vector<QuarantineEntry>> listed = store_->Quarantine(operation_.id, std::nullopt);
  ASSERT_THAT(*listed, SizeIs(1));
  EXPECT_EQ((*listed)[0].submission_id, *bad_id);
  EXPECT_EQ((*listed)[0].operation_id, operation_.id);

  auto second = store_->BeginIngest(MakeBatch());
  ASSERT_TRUE(second.ok());
  std::vector<int64_t> replace = {*bad_id};
  ASSERT_TRUE((*second)->MarkReplaced(replace).ok());
  ASSERT_TRUE((*second)->AddSubmission(MakeSubmission("NGA-0003"), {}).ok());
  ASSERT_TRUE((*second)->Commit().ok());
  int64_t second_id = (*second)->batch_id();
  second->reset();
  EXPECT_THAT(*store_->Quarantine(operation_.id, std::nullopt), IsEmpty());

  // Undoing the correction puts the row back in the list.
  ASSERT_TRUE(store_->UndoBatch(second_id, "lead@example.org", "2026-02-02T08:00:00Z").ok());
  EXPECT_THAT(*store_->Quarantine(operation_.id, std::nullopt), SizeIs(1));
}

TEST_F(SqliteStoreTest, QuarantineOfAnAdminFigureBatchIsListedUnderTheRecordsOperation) {
  Batch batch = MakeBatch();
  batch.operation_id.reset();
  batch.round.reset();
  auto ingest = store_->BeginIngest(batch);
  ASSERT_TRUE(ingest.ok());
  Result<Operation> haiti = (*ingest)->EnsureOperation({0, "Haiti Earthquake", "HTI", ""});
  ASSERT_TRUE(haiti.ok());
  QuarantineEntry entry;
  entry.source_row = 4;
  entry.rule = "figure_duplicate";
  entry.round = 2;
  entry.operation_id = haiti->id;
  ASSERT_TRUE((*ingest)->AddQuarantine(entry).ok());
  QuarantineEntry unplaced;  // a record naming no operation
  unplaced.source_row = 5;
  unplaced.rule = "required";
  ASSERT_TRUE((*ingest)->AddQuarantine(unplaced).ok());
  CleaningLogEntry log;
  log.row = 4;
  log.rule = "figure_duplicate";
  log.action = "quarantined";
  log.operation_id = haiti->id;
  log.round = 2;
  ASSERT_TRUE((*ingest)->AddCleaningLog(log).ok());
  ASSERT_TRUE((*ingest)->Commit().ok());
  int64_t batch_id = (*ingest)->batch_id();
  ingest->reset();

  Result<std::vector<QuarantineEntry>> listed = store_->Quarantine(haiti->id, std::nullopt);
  ASSERT_TRUE(listed.ok());
  ASSERT_THAT(*listed, SizeIs(1));
  EXPECT_EQ((*listed)[0].rule, "figure_duplicate");
  EXPECT_THAT(*store_->Quarantine(std::nullopt, batch_id), SizeIs(2));
  EXPECT_THAT(*store_->Quarantine(operation_.id, std::nullopt), IsEmpty());
  Result<std::vector<CleaningLogEntry>> logged = store_->CleaningLog(haiti->id, 2);
  ASSERT_TRUE(logged.ok());
  ASSERT_THAT(*logged, SizeIs(1));
  EXPECT_EQ((*logged)[0].rule, "figure_duplicate");
  // The batch is found among the operation's batches though it holds no figure.
  Result<std::vector<Batch>> batches = store_->Batches(haiti->id);
  ASSERT_THAT(*batches, SizeIs(1));
  EXPECT_EQ((*batches)[0].id, batch_id);
}

TEST_F(SqliteStoreTest, UndoTakesABatchBackAndRestoresWhatItReplaced) {
  int64_t first = IngestSites({"NGA-0001", "NGA-0002"});
  int64_t replaced_id =
      store_->FindSubmission(operation_.id, "NGA-0001", 1, AssessmentType::kSiteAssessment)->id;

  auto ingest = store_->BeginIngest(MakeBatch());
  ASSERT_TRUE(ingest.ok());
  std::vector<int64_t> replace = {replaced_id};
  ASSERT_TRUE((*ingest)->MarkReplaced(replace).ok());
  std::vector<int64_t> unknown = {999};
  EXPECT_EQ((*ingest)->MarkReplaced(unknown).code(), StatusCode::kNotFound);
  Submission correction = MakeSubmission("NGA-0001");
  correction.values[kIndTotal] = "130";
  Result<int64_t> correction_id = (*ingest)->AddSubmission(correction, {});
  ASSERT_TRUE(correction_id.ok());
  ASSERT_TRUE((*ingest)->AddAlert(UrgentAlert(operation_.id, "NGA-0001", "3")).ok());
  QuarantineEntry quarantined;
  quarantined.source_row = 9;
  quarantined.rule = "site_duplicate";
  ASSERT_TRUE((*ingest)->AddQuarantine(quarantined).ok());
  ASSERT_TRUE((*ingest)->Commit().ok());
  int64_t second = (*ingest)->batch_id();
  ingest->reset();

  EXPECT_EQ(store_->GetSubmission(replaced_id)->state, SubmissionState::kReplaced);
  EXPECT_EQ(store_->FindSubmission(operation_.id, "NGA-0001", 1,
                                   AssessmentType::kSiteAssessment)->values[kIndTotal], "130");
  EXPECT_THAT(*store_->Alerts(operation_.id, {}), SizeIs(1));
  EXPECT_THAT(*store_->Quarantine(operation_.id, std::nullopt), SizeIs(1));

  ASSERT_TRUE(store_->UndoBatch(second, "lead@example.org", "2026-02-02T08:00:00Z").ok());
  EXPECT_EQ(store_->FindBatch(second)->state, BatchState::kUndone);
  EXPECT_EQ(store_->GetSubmission(*correction_id)->state, SubmissionState::kUndone);
  EXPECT_EQ(store_->GetSubmission(replaced_id)->state, SubmissionState::kAccepted);
  EXPECT_EQ(store_->FindSubmission(operation_.id, "NGA-0001", 1,
                                   AssessmentType::kSiteAssessment)->values[kIndTotal], "120");
  EXPECT_THAT(*store_->Alerts(operation_.id, {}), IsEmpty());
  EXPECT_THAT(*store_->Quarantine(operation_.id, std::nullopt), IsEmpty());
  Result<std::vector<CleaningLogEntry>> log = store_->CleaningLog(operation_.id, std::nullopt);
  ASSERT_TRUE(log.ok());
  ASSERT_THAT(*log, SizeIs(1));
  EXPECT_EQ((*log)[0].batch_id, second);
  EXPECT_EQ((*log)[0].rule, "undo");
  EXPECT_EQ((*log)[0].action, "reverted");
  EXPECT_EQ((*log)[0].who, "lead@example.org");
  EXPECT_EQ((*log)[0].when, "2026-02-02T08:00:00Z");

  EXPECT_EQ(store_->UndoBatch(second, "x", "").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->UndoBatch(999, "x", "").code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->UndoBatch(first, "x", "").ok());
  EXPECT_EQ(store_->FindSubmission(operation_.id, "NGA-0001", 1,
                                   AssessmentType::kSiteAssessment).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->FindSubmissionByUuid(operation_.id, "uuid-NGA-0002-1").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

TEST_F(SqliteStoreTest, ACorrectionUpdatesTheValueAndLogsIt) {
  IngestSites({"NGA-0001"});
  int64_t id = store_->FindSubmission(operation_.id, "NGA-0001", 1,
                                      AssessmentType::kSiteAssessment)->id;
  CleaningLogEntry log;
  log.column = "ind_total";
  log.rule = "correct";
  log.action = "corrected";
  log.who = "imo@example.org";
  log.when = "2026-02-03T12:00:00Z";
  Result<CleaningLogEntry> stored = store_->UpdateSubmissionValue(id, "ind_total", "125", log);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->old_value, "120");
  EXPECT_EQ(stored->new_value, "125");
  EXPECT_EQ(stored->submission_id, id);
  EXPECT_GT(stored->entry_id, 0);
  EXPECT_EQ(store_->GetSubmission(id)->values[kIndTotal], "125");
  Result<CleaningLogEntry> found = store_->FindCleaningLogEntry(stored->entry_id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->indicator, "ind_total");
  EXPECT_EQ(found->old_value, "120");
  EXPECT_THAT(*store_->CleaningLog(operation_.id, 1), SizeIs(1));

  // Blank a value, then revert.
  ASSERT_TRUE(store_->UpdateSubmissionValue(id, "latrine_ratio", "", log).ok());
  EXPECT_EQ(store_->GetSubmission(id)->values[kLatrineRatio], "");
  log.action = "reverted";
  Result<CleaningLogEntry> reverted = store_->UpdateSubmissionValue(id, "latrine_ratio", "37.5", log);
  ASSERT_TRUE(reverted.ok());
  EXPECT_EQ(reverted->old_value, "");
  EXPECT_EQ(store_->GetSubmission(id)->values[kLatrineRatio], "37.5");

  EXPECT_EQ(store_->UpdateSubmissionValue(id, "focal_phone", "0803", log).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->UpdateSubmissionValue(id, "nope", "1", log).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->UpdateSubmissionValue(999, "ind_total", "1", log).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->FindCleaningLogEntry(999).status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, CleaningLogEntriesOutsideAnIngestNeedABatchOrASubmission) {
  int64_t batch_id = IngestSites({"NGA-0001"});
  int64_t id = store_->FindSubmission(operation_.id, "NGA-0001", 1,
                                      AssessmentType::kSiteAssessment)->id;
  CleaningLogEntry entry;
  entry.rule = "correct";
  entry.action = "corrected";
  EXPECT_EQ(store_->AppendCleaningLog(entry).status().code(), StatusCode::kInvalidArgument);
  entry.submission_id = 999;
  EXPECT_EQ(store_->AppendCleaningLog(entry).status().code(), StatusCode::kNotFound);
  entry.submission_id = id;
  ASSERT_TRUE(store_->AppendCleaningLog(entry).ok());
  entry.submission_id.reset();
  entry.batch_id = batch_id;
  ASSERT_TRUE(store_->AppendCleaningLog(entry).ok());
  Result<std::vector<CleaningLogEntry>> log = store_->CleaningLog(operation_.id, 1);
  ASSERT_TRUE(log.ok());
  ASSERT_THAT(*log, SizeIs(2));
  EXPECT_EQ((*log)[0].submission_id, id);
  EXPECT_EQ((*log)[1].batch_id, batch_id);
}

// ---- Alerts ----------------------------------------------------------------------

TEST_F(SqliteStoreTest, AnIngestStoresEachAlertOnce) {
  auto ingest = store_->BeginIngest(MakeBatch());
  ASSERT_TRUE(ingest.ok());
  Result<int64_t> first = (*ingest)->AddAlert(UrgentAlert(operation_.id, "NGA-0001", "3"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  // The same site, indicator and rule again (a duplicated row): the same alert.
  EXPECT_EQ(*(*ingest)->AddAlert(UrgentAlert(operation_.id, "NGA-0001", "5")), *first);
  Alert recruiters = UrgentAlert(operation_.id, "NGA-0001", "yes");
  recruiters.indicator = "recruiters_visit";
  Result<int64_t> second = (*ingest)->AddAlert(recruiters);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, *first);
  // Rows without a site ID cannot be told apart: each keeps its alert.
  Result<int64_t> no_site = (*ingest)->AddAlert(UrgentAlert(operation_.id, "", "2"));
  Result<int64_t> no_site_again = (*ingest)->AddAlert(UrgentAlert(operation_.id, "", "2"));
  ASSERT_TRUE(no_site.ok() && no_site_again.ok());
  EXPECT_NE(*no_site, *no_site_again);
  ASSERT_TRUE((*ingest)->Commit().ok());
  const int64_t batch_id = (*ingest)->batch_id();
  ingest->reset();

  Result<std::vector<Alert>> alerts = store_->Alerts(operation_.id, {});
  ASSERT_THAT(IdsOf(alerts), ElementsAre(*first, *second, *no_site, *no_site_again));
  const Alert& stored = (*alerts)[0];
  EXPECT_EQ(stored.batch_id, batch_id);
  EXPECT_EQ(stored.value, "3");
  EXPECT_EQ(stored.message, "Unaccompanied children: 3");
  EXPECT_EQ(stored.assessment_type, AssessmentType::kSiteAssessment);
  EXPECT_EQ(stored.status, AlertStatus::kNew);

  // A later batch of the same round raises the same alert: it stays the first
  // batch's; a batch of another assessment type raises its own.
  auto again = store_->BeginIngest(MakeBatch());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*(*again)->AddAlert(UrgentAlert(operation_.id, "NGA-0001", "3")), *first);
  ASSERT_TRUE((*again)->Commit().ok());
  again->reset();
  Batch baseline = MakeBatch();
  baseline.assessment_type = AssessmentType::kBaselineAssessment;
  auto other_type = store_->BeginIngest(baseline);
  ASSERT_TRUE(other_type.ok());
  Result<int64_t> third = (*other_type)->AddAlert(UrgentAlert(operation_.id, "NGA-0001", "3"));
  ASSERT_TRUE(third.ok());
  EXPECT_NE(*third, *first);
  ASSERT_TRUE((*other_type)->Commit().ok());
  other_type->reset();
  alerts = store_->Alerts(operation_.id, {});
  EXPECT_THAT(IdsOf(alerts), ElementsAre(*first, *second, *no_site, *no_site_again, *third));
  EXPECT_EQ((*alerts)[4].assessment_type, AssessmentType::kBaselineAssessment);
}

TEST_F(SqliteStoreTest, AlertsMoveFromNewToAcknowledgedToClosedAndKeepTheirHistory) {
  std::string path = TempPath("alerts");
  auto opened = SqliteStore::Open(path, dictionary_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  SqliteStore& store = **opened;
  Result<Operation> operation = store.CreateOperation({0, "demo-nga", "NGA", ""});
  ASSERT_TRUE(operation.ok());
  Batch batch = MakeBatch();
  batch.operation_id = operation->id;
  auto ingest = store.BeginIngest(batch);
  ASSERT_TRUE(ingest.ok());
  const int64_t a = *(*ingest)->AddAlert(UrgentAlert(operation->id, "NGA-0001", "3"));
  const int64_t b = *(*ingest)->AddAlert(UrgentAlert(operation->id, "NGA-0002", "1"));
  const int64_t c = *(*ingest)->AddAlert(UrgentAlert(operation->id, "NGA-0003", "2"));
  ASSERT_TRUE((*ingest)->Commit().ok());
  const int64_t batch_id = (*ingest)->batch_id();
  ingest->reset();

  Result<Alert> acknowledged = store.SetAlertStatus(a, AlertStatus::kAcknowledged, "cp-focal",
                                                    "2026-02-02T09:00:00Z", "partner informed");
  ASSERT_TRUE(acknowledged.ok()) << acknowledged.status().ToString();
  EXPECT_EQ(acknowledged->status, AlertStatus::kAcknowledged);
  EXPECT_EQ(acknowledged->status_by, "cp-focal");
  EXPECT_EQ(acknowledged->status_at, "2026-02-02T09:00:00Z");
  EXPECT_EQ(acknowledged->status_note, "partner informed");
  EXPECT_EQ(acknowledged->site_id, "NGA-0001");
  Result<Alert> closed =
      store.SetAlertStatus(a, AlertStatus::kClosed, "lead", "2026-02-09T16:00:00Z", "followed up");
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->status, AlertStatus::kClosed);
  EXPECT_EQ(closed->status_by, "lead");
  ASSERT_TRUE(store.SetAlertStatus(b, AlertStatus::kClosed, "lead", "2026-02-03T08:00:00Z",
                                   "duplicate of a known case").ok());

  // Moves that are not allowed, and an unknown id.
  Result<Alert> reopened = store.SetAlertStatus(a, AlertStatus::kAcknowledged, "x", "", "");
  EXPECT_EQ(reopened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(reopened.status().message(), HasSubstr("alert " + std::to_string(a) +
                                                     " is closed: it cannot become acknowledged"));
  EXPECT_THAT(reopened.status().message(), HasSubstr("allowed: new -> acknowledged"));
  Result<Alert> twice = store.SetAlertStatus(b, AlertStatus::kClosed, "x", "", "");
  EXPECT_EQ(twice.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(twice.status().message(), HasSubstr("is already closed"));
  EXPECT_EQ(store.SetAlertStatus(c, AlertStatus::kNew, "x", "", "").status().code(),
            StatusCode::kFailedPrecondition);
  Result<Alert> unknown = store.SetAlertStatus(999, AlertStatus::kClosed, "x", "", "");
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("alert 999"));
  EXPECT_EQ(store.AlertHistory(999).status().code(), StatusCode::kNotFound);

  Result<std::vector<AlertEvent>> history = store.AlertHistory(a);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_THAT(*history, SizeIs(2));
  EXPECT_EQ((*history)[0].alert_id, a);
  EXPECT_EQ((*history)[0].from_status, AlertStatus::kNew);
  EXPECT_EQ((*history)[0].to_status, AlertStatus::kAcknowledged);
  EXPECT_EQ((*history)[0].who, "cp-focal");
  EXPECT_EQ((*history)[0].when, "2026-02-02T09:00:00Z");
  EXPECT_EQ((*history)[0].note, "partner informed");
  EXPECT_EQ((*history)[1].from_status, AlertStatus::kAcknowledged);
  EXPECT_EQ((*history)[1].to_status, AlertStatus::kClosed);
  EXPECT_EQ((*history)[1].who, "lead");
  EXPECT_THAT(*store.AlertHistory(c), IsEmpty());

  // Filters by status, round and batch.
  AlertFilter open;
  open.statuses = {AlertStatus::kNew, AlertStatus::kAcknowledged};
  EXPECT_THAT(IdsOf(store.Alerts(operation->id, open)), ElementsAre(c));
  AlertFilter done;
  done.statuses = {AlertStatus::kClosed};
  EXPECT_THAT(IdsOf(store.Alerts(operation->id, done)), ElementsAre(a, b));
  AlertFilter round_two;
  round_two.round = 2;
  EXPECT_THAT(IdsOf(store.Alerts(operation->id, round_two)), IsEmpty());
  AlertFilter round_one;
  round_one.round = 1;
  round_one.batch_id = batch_id;
  EXPECT_THAT(IdsOf(store.Alerts(operation->id, round_one)), ElementsAre(a, b, c));
  AlertFilter other_batch;
  other_batch.batch_id = 999;
  EXPECT_THAT(IdsOf(store.Alerts(operation->id, other_batch)), IsEmpty());
  opened->reset();

  // The history is append-only, even for a tool writing to the file directly.
  EXPECT_THAT(QueryFile(path, "SELECT count(*) FROM alert_events"), ElementsAre("3"));
  QueryFile(path, "UPDATE alert_events SET who = 'someone else'");
  QueryFile(path, "DELETE FROM alert_events");
  EXPECT_THAT(QueryFile(path, "SELECT who FROM alert_events ORDER BY id"),
              ElementsAre("cp-focal", "lead", "lead"));
}

TEST_F(SqliteStoreTest, AlertsAddedAfterAnIngestBelongToItsBatchAndAreNotRaisedTwice) {
  const int64_t round_one = IngestSites({"NGA-0001"}, 1);
  const int64_t round_two = IngestSites({"NGA-0001", "NGA-0002"}, 2);
  std::vector<Alert> raised = {RiskAlert(operation_.id, "NGA-0001"),
                               RiskAlert(operation_.id, "NGA-0002")};
  raised[1].previous_value = "";  // new in round 2
  Result<std::vector<int64_t>> added = store_->AddAlerts(round_two, raised);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_THAT(*added, SizeIs(2));
  Result<std::vector<Alert>> alerts = store_->Alerts(operation_.id, {});
  ASSERT_THAT(IdsOf(alerts), ElementsAre((*added)[0], (*added)[1]));
  const Alert& stored = (*alerts)[0];
  EXPECT_EQ(stored.batch_id, round_two);
  EXPECT_EQ(stored.round, 2);
  EXPECT_EQ(stored.rule, "risk_very_high");
  EXPECT_EQ(stored.indicator, "");
  EXPECT_EQ(stored.value, "very_high");
  EXPECT_EQ(stored.previous_round, 1);
  EXPECT_EQ(stored.previous_value, "high");
  EXPECT_EQ(stored.score, 41.25);
  EXPECT_EQ(stored.message, "site NGA-0001: very high");
  EXPECT_EQ(stored.created_at, "2026-03-01T10:00:00Z");
  EXPECT_EQ((*alerts)[1].previous_value, "");

  // Raising them again adds nothing, from this batch or another; a closed
  // alert is not raised again either.
  ASSERT_TRUE(store_->SetAlertStatus((*added)[0], AlertStatus::kClosed, "x", "", "").ok());
  EXPECT_THAT(*store_->AddAlerts(round_two, raised), IsEmpty());
  EXPECT_THAT(*store_->AddAlerts(round_one, raised), IsEmpty());
  AlertFilter of_batch;
  of_batch.batch_id = round_two;
  EXPECT_THAT(*store_->Alerts(operation_.id, of_batch), SizeIs(2));
  of_batch.batch_id = round_one;
  EXPECT_THAT(*store_->Alerts(operation_.id, of_batch), IsEmpty());

  // Errors: unknown batch, alerts of another operation, an undone batch.
  EXPECT_EQ(store_->AddAlerts(999, raised).status().code(), StatusCode::kNotFound);
  std::vector<Alert> foreign = {RiskAlert(operation_.id + 1, "NGA-0003")};
  EXPECT_EQ(store_->AddAlerts(round_two, foreign).status().code(), StatusCode::kInvalidArgument);

  // Undoing the batch hides its alerts, refuses their status changes, and
  // lets another batch raise them again.
  ASSERT_TRUE(store_->UndoBatch(round_two, "lead", "2026-03-02T08:00:00Z").ok());
  EXPECT_THAT(*store_->Alerts(operation_.id, {}), IsEmpty());
  Result<Alert> hidden = store_->SetAlertStatus((*added)[1], AlertStatus::kClosed, "x", "", "");
  EXPECT_EQ(hidden.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(hidden.status().message(), HasSubstr("undone"));
  EXPECT_EQ(store_->AddAlerts(round_two, raised).status().code(), StatusCode::kFailedPrecondition);
  Result<std::vector<int64_t>> again = store_->AddAlerts(round_one, raised);
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(*again, SizeIs(2));
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

// Alerts raised once an ingest's rows are in are part of the ingest: rolled
// back with it, committed with it, each stored once.
TEST_F(SqliteStoreTest, BatchAlertsCommitWithTheIngestOrNotAtAll) {
  IngestSites({"NGA-0001"}, 1);
  std::vector<Alert> raised = {RiskAlert(operation_.id, "NGA-0001"),
                               RiskAlert(operation_.id, "NGA-0002")};
  {
    auto ingest = store_->BeginIngest(MakeBatch(2));
    ASSERT_TRUE(ingest.ok());
    ASSERT_TRUE((*ingest)->AddSubmission(MakeSubmission("NGA-0001", 2), {}).ok());
    Result<std::vector<int64_t>> added = (*ingest)->AddBatchAlerts(raised);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    EXPECT_THAT(*added, SizeIs(2));
    // The ingesting thread reads them back before the commit.
    EXPECT_THAT(*store_->Alerts(operation_.id, {}), SizeIs(2));
  }  // destroyed without a commit
  EXPECT_THAT(*store_->Alerts(operation_.id, {}), IsEmpty());

  auto ingest = store_->BeginIngest(MakeBatch(2));
  ASSERT_TRUE(ingest.ok());
  std::vector<Alert> foreign = {RiskAlert(operation_.id, "NGA-0003"),
                                RiskAlert(operation_.id + 1, "NGA-0004")};
  Result<std::vector<int64_t>> refused = (*ingest)->AddBatchAlerts(foreign);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  Result<std::vector<int64_t>> added = (*ingest)->AddBatchAlerts(raised);
  ASSERT_TRUE(added.ok());
  EXPECT_THAT(*added, SizeIs(2));
  Result<std::vector<int64_t>> again = (*ingest)->AddBatchAlerts(raised);
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(*again, IsEmpty());  // already listed
  ASSERT_TRUE((*ingest)->Commit().ok());
  const int64_t batch_id = (*ingest)->batch_id();
  ingest->reset();
  Result<std::vector<Alert>> alerts = store_->Alerts(operation_.id, {});
  ASSERT_THAT(IdsOf(alerts), ElementsAre((*added)[0], (*added)[1]));  // not NGA-0003
  EXPECT_EQ((*alerts)[0].batch_id, batch_id);
  EXPECT_EQ((*alerts)[1].site_id, "NGA-0002");
}

// Two ingests into one database file (two processes): the second begins only
// once the first has committed, and then reads what the first stored, so
// that checking what is stored and writing are one unit.
TEST_F(SqliteStoreTest, AnIngestHoldsTheWriteLockFromItsStart) {
  const std::string path = TempPath("write_lock");
  auto first_store = SqliteStore::Open(path, dictionary_);
  ASSERT_TRUE(first_store.ok()) << first_store.status().ToString();
  Result<Operation> operation = (*first_store)->CreateOperation({0, "demo-nga", "NGA", "WCA"});
  ASSERT_TRUE(operation.ok());
  auto second_store = SqliteStore::Open(path, dictionary_);
  ASSERT_TRUE(second_store.ok()) << second_store.status().ToString();
  Batch batch = MakeBatch();
  batch.operation_id = operation->id;

  auto first = (*first_store)->BeginIngest(batch);
  ASSERT_TRUE(first.ok());
  std::atomic<bool> second_began{false};
  size_t batches_seen = 0;
  std::thread second([&] {
    auto ingest = (*second_store)->BeginIngest(batch);
    second_began = true;
    ASSERT_TRUE(ingest.ok()) << ingest.status().ToString();
    batches_seen = (*second_store)->Batches(operation->id)->size();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(second_began.load());  // waiting for the write lock
  ASSERT_TRUE((*first)->Commit().ok());
  first->reset();
  second.join();
  EXPECT_TRUE(second_began.load());
  EXPECT_EQ(batches_seen, 2u);  // the first's batch, and its own
  EXPECT_GE(SqliteStore::kBusyTimeoutMs, 60 * 1000);  // long enough for a large ingest
}

}  // namespace
}  // namespace opendtm::store
