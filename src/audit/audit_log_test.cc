#include "audit/audit_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "dictionary/testing.h"
#include "store/sqlite_store.h"

namespace opendtm::audit {
namespace {

using ::testing::HasSubstr;

store::AuditRecord Read(int n) {
  store::AuditRecord record;
  record.time = "2026-06-0" + std::to_string(1 + n % 9) + "T10:00:00Z";
  record.user = n % 2 ? "jo" : "amina";
  record.organisation = n % 2 ? "CCCM Partner" : "GBV AoR";
  record.clusters = n % 2 ? "cccm" : "gbv,protection";
  record.tier = n % 2 ? "partner" : "protection";
  record.operation_id = 1;
  record.operation = "North-East (NGA)";
  record.dataset = n % 3 ? "rollup" : "export";
  record.filters = R"({"round":"1"})";
  record.rows = 10 + n;
  record.columns = 5;
  record.format = "csv";
  record.content_hash = std::string(64, 'a');
  record.outcome = "allowed";
  return record;
}

// RecordHash covers every field: changing any one changes the hash.
TEST(RecordHashTest, EveryFieldTakesPart) {
  store::AuditRecord base = Read(1);
  base.seq = 3;
  base.prev_hash = std::string(64, 'b');
  const std::string hash = RecordHash(base);
  EXPECT_EQ(hash.size(), 64u);
  std::vector<store::AuditRecord> changed(20, base);
  changed[0].seq = 4;
  changed[1].time += "x";
  changed[2].user += "x";
  changed[3].organisation += "x";
  changed[4].clusters += "x";
  changed[5].tier += "x";
  changed[6].operation_id = 2;
  changed[7].operation += "x";
  changed[8].dataset += "x";
  changed[9].filters += "x";
  changed[10].rows += 1;
  changed[11].columns += 1;
  changed[12].format += "x";
  changed[13].content_hash += "x";
  changed[14].dsa += "x";
  changed[15].purpose += "x";
  changed[16].outcome += "x";
  changed[17].reason += "x";
  changed[18].policy_version += 1;
  changed[19].prev_hash += "x";
  for (size_t idx = 0; idx < changed.size(); ++idx) {
    EXPECT_NE(RecordHash(changed[idx]), hash) << "field " << idx;
  }
  // The stored hash itself is not hashed.
  store::AuditRecord with_hash = base;
  with_hash.hash = "anything";
  EXPECT_EQ(RecordHash(with_hash), hash);
}

// A store in a temporary file, so that a test can tamper with it through
// SQLite directly, as someone holding the file could.
class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("audit_log_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_path_ = (dir_ / "opendtm.db").string();
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    auto opened = store::SqliteStore::Open(db_path_, dictionary::testing::DefaultDictionary());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }
  void AppendSome(int count) {
    AuditLog log(*store_, HeadPathFor(db_path_));
    for (int n = 1; n <= count; ++n) ASSERT_TRUE(log.Append(Read(n)).ok());
  }
  // Runs SQL on the database file with the store closed.
  void Tamper(const std::string& sql) {
    store_.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
    Reopen();
  }
  ChainCheck Verify() {
    AuditLog log(*store_, HeadPathFor(db_path_));
    Result<ChainCheck> check = log.Verify();
    EXPECT_TRUE(check.ok()) << check.status().ToString();
    return check.ok() ? *check : ChainCheck{};
  }
  std::filesystem::path dir_;
  std::string db_path_;
  std::unique_ptr<store::Store> store_;
};

// Drops every trigger of the database (what someone would do before editing).
std::string DropAllTriggersSql(const std::string& db_path) {
  sqlite3* db = nullptr;
  sqlite3_open(db_path.c_str(), &db);
  std::string sql;
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'", -1, &statement,
                     nullptr);
  while (sqlite3_step(statement) == SQLITE_ROW) {
    sql += "DROP TRIGGER \"" +
           std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))) + "\";";
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return sql;
}

TEST_F(AuditLogTest, AppendedRecordsFormAnIntactChain) {
  AppendSome(5);
  Result<std::vector<store::AuditRecord>> records = store_->AuditLog({});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 5u);
  EXPECT_EQ((*records)[0].prev_hash, "");
  EXPECT_EQ((*records)[1].prev_hash, (*records)[0].hash);
  ChainCheck check = Verify();
  EXPECT_TRUE(check.intact) << check.problem;
  EXPECT_EQ(check.records, 5);
  std::ifstream head(HeadPathFor(db_path_));
  int64_t seq = 0;
  std::string hash;
  head >> seq >> hash;
  EXPECT_EQ(seq, 5);
  EXPECT_EQ(hash, (*records)[4].hash);
}

TEST_F(AuditLogTest, EditedRecordIsFoundEvenWithTriggersDropped) {
  AppendSome(5);
  store_.reset();
  const std::string drop = DropAllTriggersSql(db_path_);
  ASSERT_FALSE(drop.empty()) << "the audit log should have triggers";
  Reopen();
  Tamper(drop + "UPDATE audit_log SET rows = 1 WHERE seq = 3;");
  ChainCheck check = Verify();
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 3);
  EXPECT_THAT(check.problem, HasSubstr("record 3"));
  EXPECT_THAT(check.problem, HasSubstr("edited"));
}

TEST_F(AuditLogTest, RecordEditedWithItsHashRecomputedBreaksTheNextLink) {
  AppendSome(5);
  store_.reset();
  const std::string drop = DropAllTriggersSql(db_path_);
  Reopen();
  Result<std::vector<store::AuditRecord>> records = store_->AuditLog({});
  ASSERT_TRUE(records.ok());
  store::AuditRecord forged = (*records)[1];
  forged.user = "someone-else";
  Tamper(drop + "UPDATE audit_log SET user = 'someone-else', hash = '" + RecordHash(forged) +
         "' WHERE seq = 2;");
  ChainCheck check = Verify();
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 3);
}

TEST_F(AuditLogTest, DeletedRecordInTheMiddleOrAtTheEndIsFound) {
  AppendSome(6);
  store_.reset();
  const std::string drop = DropAllTriggersSql(db_path_);
  Reopen();
  Tamper(drop + "DELETE FROM audit_log WHERE seq = 4;");
  ChainCheck middle = Verify();
  EXPECT_FALSE(middle.intact);
  EXPECT_EQ(middle.first_bad, 4);
  EXPECT_THAT(middle.problem, HasSubstr("record 4 is missing"));
  Tamper("DELETE FROM audit_log WHERE seq >= 4;");
  ChainCheck end = Verify();
  EXPECT_FALSE(end.intact);
  EXPECT_EQ(end.first_bad, 4);
  EXPECT_THAT(end.problem, HasSubstr("were deleted"));
}

TEST_F(AuditLogTest, TriggersRefuseEditsThroughSql) {
  AppendSome(2);
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET rows = 0", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  Reopen();
  EXPECT_TRUE(Verify().intact);
}

TEST(VerifyChainTest, EmptyLogIsIntactAndUnreadableHeadIsReported) {
  EXPECT_TRUE(VerifyChain({}, std::nullopt).intact);
  ChainCheck check = VerifyChain({}, AuditHead{2, std::string(64, 'c')});
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 1);
}

}  // namespace
}  // namespace opendtm::audit
