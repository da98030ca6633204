#include "audit/audit_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

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
  // The stored hash itself is not hashed, nor the key id (unkeyed records
  // from before keys had none).
  store::AuditRecord with_hash = base;
  with_hash.hash = "anything";
  with_hash.key_id = "k0";
  EXPECT_EQ(RecordHash(with_hash), hash);
}

// A keyed link depends on the key and the key id as well as the fields.
TEST(RecordHashTest, KeyedLinksNeedTheKey) {
  store::AuditRecord record = Read(1);
  record.seq = 3;
  const AuditKey key = NewAuditKey();
  const AuditKey other = NewAuditKey();
  record.key_id = key.id;
  const std::string link = KeyedLink(record, key);
  EXPECT_EQ(link.size(), 64u);
  EXPECT_NE(link, RecordHash(record));
  EXPECT_NE(link, KeyedLink(record, other));
  store::AuditRecord renamed = record;
  renamed.key_id = other.id;
  EXPECT_NE(KeyedLink(renamed, key), link);
  store::AuditRecord edited = record;
  edited.rows += 1;
  EXPECT_NE(KeyedLink(edited, key), link);
  // The operating-system user is linked too (migration 12); a record
  // without one links as before.
  store::AuditRecord by_os_user = record;
  by_os_user.os_user = "alice";
  const std::string os_link = KeyedLink(by_os_user, key);
  EXPECT_NE(os_link, link);
  by_os_user.os_user = "mallory";
  EXPECT_NE(KeyedLink(by_os_user, key), os_link);
}

// A store in a temporary file, with its head and key files beside it, so
// that a test can tamper with it through SQLite directly, as someone holding
// the file could.
class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("audit_log_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_path_ = (dir_ / "opendtm.db").string();
    files_ = AuditFilesFor(db_path_);
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
    AuditLog log(*store_, files_);
    for (int n = 1; n <= count; ++n) {
      Result<store::AuditRecord> stored = log.Append(Read(n));
      ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    }
  }
  Result<store::AuditRecord> AppendOne() { return AuditLog(*store_, files_).Append(Read(9)); }
  // Runs SQL on the database file with the store closed, triggers dropped.
  void Tamper(const std::string& sql) {
    store_.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
    const std::string all = DropTriggersSql(db) + sql;
    char* error = nullptr;
    const int rc = sqlite3_exec(db, all.c_str(), nullptr, nullptr, &error);
    std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
    Reopen();
  }
  static std::string DropTriggersSql(sqlite3* db) {
    std::string sql;
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'", -1, &statement,
                       nullptr);
    while (sqlite3_step(statement) == SQLITE_ROW) {
      sql += "DROP TRIGGER \"" +
             std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))) + "\";";
    }
    sqlite3_finalize(statement);
    return sql;
  }
  // Rewrites every record from `from` on as an unkeyed record with the plain
  // SHA-256 chain (record `from` with another user) and the head file as it
  // was written before keys: what someone without the key can do.
  void RewriteWithPlainChain(int64_t from) {
    std::vector<store::AuditRecord> records = Records();
    std::string sql;
    std::string prev = from > 1 ? records[from - 2].hash : "";
    for (size_t idx = from - 1; idx < records.size(); ++idx) {
      store::AuditRecord record = records[idx];
      if (record.seq == from) record.user = "nobody";
      record.key_id.clear();
      record.prev_hash = prev;
      record.hash = RecordHash(record);
      prev = record.hash;
      sql += "UPDATE audit_log SET user = '" + record.user + "', key_id = '', prev_hash = '" +
             record.prev_hash + "', hash = '" + record.hash +
             "' WHERE seq = " + std::to_string(record.seq) + ";";
    }
    Tamper(sql);
    std::ofstream(files_.head_path) << records.back().seq << " " << prev << "\n";
  }
  std::vector<store::AuditRecord> Records() {
    Result<std::vector<store::AuditRecord>> records = store_->AuditLog({});
    EXPECT_TRUE(records.ok());
    return records.ok() ? *records : std::vector<store::AuditRecord>{};
  }
  ChainCheck Verify() {
    AuditLog log(*store_, files_);
    Result<ChainCheck> check = log.Verify();
    EXPECT_TRUE(check.ok()) << check.status().ToString();
    return check.ok() ? *check : ChainCheck{};
  }
  static std::string Unchecked(const ChainCheck& check) {
    std::string all;
    for (const std::string& item : check.unchecked) all += item + "\n";
    return all;
  }
  std::filesystem::path dir_;
  std::string db_path_;
  AuditFiles files_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(AuditLogTest, ANewLogIsKeyedAtItsFirstAppend) {
  AuditLog log(*store_, files_);
  ASSERT_TRUE(log.Append(Read(1)).ok());
  EXPECT_TRUE(log.created_key());
  struct stat info {};
  ASSERT_EQ(::stat(files_.key_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  AppendSome(4);
  std::vector<store::AuditRecord> records = Records();
  ASSERT_EQ(records.size(), 6u);
  // Record 1 creates the key and is linked with it; every record is keyed.
  EXPECT_EQ(records[0].dataset, "audit-key");
  std::optional<KeyEvent> event = KeyEventOf(records[0]);
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->action, "create");
  EXPECT_EQ(event->key, records[0].key_id);
  EXPECT_EQ(records[0].prev_hash, "");
  for (size_t idx = 1; idx < records.size(); ++idx) {
    EXPECT_EQ(records[idx].key_id, records[0].key_id);
    EXPECT_EQ(records[idx].prev_hash, records[idx - 1].hash);
  }
  ChainCheck check = Verify();
  EXPECT_TRUE(check.verified()) << check.problem << Unchecked(check);
  EXPECT_EQ(check.records, 6);
  EXPECT_EQ(check.keyed, 6);
  EXPECT_EQ(check.unkeyed, 0);
  // The head holds seq, link, key id and MAC.
  std::ifstream head(files_.head_path);
  int64_t seq = 0;
  std::string link, key_id, mac;
  head >> seq >> link >> key_id >> mac;
  EXPECT_EQ(seq, 6);
  EXPECT_EQ(link, records[5].hash);
  EXPECT_EQ(key_id, records[0].key_id);
  EXPECT_EQ(mac.size(), 64u);
}

TEST_F(AuditLogTest, EditedRecordIsFoundEvenWithTriggersDropped) {
  AppendSome(5);
  Tamper("UPDATE audit_log SET rows = 1 WHERE seq = 3;");
  ChainCheck check = Verify();
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 3);
  EXPECT_THAT(check.problem, HasSubstr("record 3"));
  EXPECT_THAT(check.problem, HasSubstr("edited"));
}

// Regression: a record rewritten with the SHA-256 chain and the head file
// recomputed verified "intact".
TEST_F(AuditLogTest, RecordRewrittenWithThePlainChainAndHeadRecomputedDoesNotVerify) {
  AppendSome(5);
  RewriteWithPlainChain(3);
  ChainCheck check = Verify();
  EXPECT_FALSE(check.intact);
  EXPECT_FALSE(check.verified());
  EXPECT_EQ(check.first_bad, 3);
  EXPECT_THAT(check.problem, HasSubstr("unkeyed after keyed records"));
  // Nor does a log rewritten whole, and nothing is appended to it.
  RewriteWithPlainChain(1);
  ChainCheck whole = Verify();
  EXPECT_FALSE(whole.verified());
  EXPECT_THAT(Unchecked(whole), HasSubstr("no record is keyed"));
  EXPECT_EQ(AppendOne().status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(AuditLogTest, RecordKeptKeyedButRelinkedWithoutTheKeyIsFound) {
  AppendSome(5);
  std::vector<store::AuditRecord> records = Records();
  store::AuditRecord forged = records[1];
  forged.user = "someone-else";
  Tamper("UPDATE audit_log SET user = 'someone-else', hash = '" + RecordHash(forged) +
         "' WHERE seq = 2;");
  ChainCheck check = Verify();
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 2);
}

TEST_F(AuditLogTest, DeletedRecordInTheMiddleOrAtTheEndIsFound) {
  AppendSome(6);
  Tamper("DELETE FROM audit_log WHERE seq = 4;");
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

// Regression: a cut tail with the head file removed verified "intact"; and a
// record appended afterwards must not cover the cut.
TEST_F(AuditLogTest, CutTailWithTheHeadFileRemovedIsNeverIntact) {
  AppendSome(6);
  Tamper("DELETE FROM audit_log WHERE seq >= 5;");
  ASSERT_TRUE(std::filesystem::remove(files_.head_path));
  ChainCheck check = Verify();
  EXPECT_TRUE(check.intact);       // nothing wrong in what could be checked…
  EXPECT_FALSE(check.verified());  // …but the tail could not be
  EXPECT_THAT(Unchecked(check), HasSubstr("head file is missing: cannot check the tail"));
  Result<store::AuditRecord> appended = AppendOne();
  EXPECT_EQ(appended.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(appended.status().message(), HasSubstr("head file"));
  EXPECT_EQ(Records().size(), 4u);
}

TEST_F(AuditLogTest, CutTailWithTheHeadKeptRefusesAppends) {
  AppendSome(6);
  Tamper("DELETE FROM audit_log WHERE seq >= 6;");
  Result<store::AuditRecord> appended = AppendOne();
  EXPECT_EQ(appended.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Records().size(), 5u);
}

// Regression: an emptied log verified "intact: 0 records".
TEST_F(AuditLogTest, EmptiedLogIsNeverIntact) {
  AppendSome(3);
  Tamper("DELETE FROM audit_log;");
  ChainCheck with_head = Verify();
  EXPECT_FALSE(with_head.intact);
  EXPECT_THAT(with_head.problem, HasSubstr("records 1-4 were deleted"));
  ASSERT_TRUE(std::filesystem::remove(files_.head_path));
  ChainCheck without_head = Verify();
  EXPECT_FALSE(without_head.verified());
  EXPECT_EQ(without_head.records, 0);
  // The key file says a chain existed: no new chain starts silently.
  EXPECT_EQ(AppendOne().status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(AuditLogTest, AlteredHeadFileIsFound) {
  AppendSome(3);
  std::ifstream in(files_.head_path);
  int64_t seq = 0;
  std::string link, key_id, mac;
  in >> seq >> link >> key_id >> mac;
  in.close();
  std::ofstream(files_.head_path) << 2 << " " << link << " " << key_id << " " << mac << "\n";
  ChainCheck check = Verify();
  EXPECT_FALSE(check.intact);
  EXPECT_THAT(check.problem, HasSubstr("head file was altered"));
}

TEST_F(AuditLogTest, MissingKeyRefusesAppendsAndLeavesRecordsUnchecked) {
  AppendSome(3);
  std::filesystem::rename(files_.key_path, files_.key_path + ".away");
  Result<store::AuditRecord> appended = AppendOne();
  EXPECT_EQ(appended.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(appended.status().message(), HasSubstr(files_.key_path));
  EXPECT_THAT(appended.status().message(), HasSubstr("dtm audit key"));
  ChainCheck check = Verify();
  EXPECT_TRUE(check.intact);
  EXPECT_FALSE(check.verified());
  EXPECT_EQ(check.keyed, 0);
  EXPECT_THAT(Unchecked(check), HasSubstr("audit key file is missing: 4 records keyed with"));
  // A keyed log never gets a new key silently: create refuses, and leaves no file.
  AuditLog log(*store_, files_);
  Result<std::string> created = log.CreateKey(Read(1), AuditLog::KeyCreation::kExplicit);
  EXPECT_EQ(created.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(files_.key_path));
  // Unless the key is declared lost: its records then stay unchecked.
  ASSERT_TRUE(log.CreateKey(Read(1), AuditLog::KeyCreation::kKeyLost).ok());
  ASSERT_TRUE(AppendOne().ok());
  ChainCheck after = Verify();
  EXPECT_TRUE(after.intact) << after.problem;
  EXPECT_EQ(after.keyed, 2);
  EXPECT_THAT(Unchecked(after), HasSubstr("4 records keyed with"));
}

TEST_F(AuditLogTest, RotationLinksTheOldChainToTheNewKey) {
  AppendSome(3);
  AuditLog log(*store_, files_);
  const std::string old_key = Records().back().key_id;
  Result<std::string> new_key = log.RotateKey(Read(1));
  ASSERT_TRUE(new_key.ok()) << new_key.status().ToString();
  EXPECT_NE(*new_key, old_key);
  AppendSome(2);
  std::vector<store::AuditRecord> records = Records();
  ASSERT_EQ(records.size(), 7u);
  const store::AuditRecord& rotation = records[4];
  EXPECT_EQ(rotation.key_id, old_key);
  std::optional<KeyEvent> event = KeyEventOf(rotation);
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->action, "rotate");
  EXPECT_EQ(event->new_key, *new_key);
  EXPECT_EQ(NextKeyId(rotation), *new_key);
  EXPECT_EQ(records[5].key_id, *new_key);
  EXPECT_EQ(records[6].key_id, *new_key);
  Result<AuditKeyring> keyring = AuditKeyring::Load(files_.key_path);
  ASSERT_TRUE(keyring.ok());
  EXPECT_EQ(keyring->keys().size(), 2u);
  ChainCheck check = Verify();
  EXPECT_TRUE(check.verified()) << check.problem << Unchecked(check);
  EXPECT_THAT(check.key_ids, ::testing::ElementsAre(old_key, *new_key));
  // A record relinked with the new key before the rotation is found.
  Tamper("UPDATE audit_log SET key_id = '" + *new_key + "' WHERE seq = 4;");
  EXPECT_FALSE(Verify().intact);
}

// An old database: records from before keys, no key file. Appends are
// refused until the key is created; then the old records are reported as
// unkeyed and protected by the first keyed record's link.
TEST_F(AuditLogTest, AnOldLogIsKeyedByCreateKey) {
  const auto plain = [](store::AuditRecord& record, const store::AuditRecord*) {
    record.hash = RecordHash(record);
    return Status::Ok();
  };
  for (int n = 1; n <= 3; ++n) ASSERT_TRUE(store_->AppendAudit(Read(n), plain).ok());
  std::ofstream(files_.head_path) << 3 << " " << Records().back().hash << "\n";
  Result<store::AuditRecord> refused = AppendOne();
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("dtm audit key create"));
  ChainCheck before = Verify();
  EXPECT_TRUE(before.intact);
  EXPECT_FALSE(before.verified());
  AuditLog log(*store_, files_);
  ASSERT_TRUE(log.CreateKey(Read(1), AuditLog::KeyCreation::kExplicit).ok());
  EXPECT_TRUE(log.created_key());
  ASSERT_TRUE(AppendOne().ok());
  ChainCheck after = Verify();
  EXPECT_TRUE(after.verified()) << after.problem << Unchecked(after);
  EXPECT_EQ(after.unkeyed, 3);
  EXPECT_EQ(after.keyed, 2);
  // Rewriting the unkeyed records (chain recomputed) breaks the first keyed link.
  store::AuditRecord second = Records()[1];
  second.user = "nobody";
  const std::string second_hash = RecordHash(second);
  store::AuditRecord third = Records()[2];
  third.prev_hash = second_hash;
  Tamper("UPDATE audit_log SET user = 'nobody', hash = '" + second_hash +
         "' WHERE seq = 2; UPDATE audit_log SET prev_hash = '" + second_hash + "', hash = '" +
         RecordHash(third) + "' WHERE seq = 3;");
  ChainCheck rewritten = Verify();
  EXPECT_FALSE(rewritten.intact);
  EXPECT_EQ(rewritten.first_bad, 4);
}

TEST_F(AuditLogTest, ANewDatabaseUsesAKeyFileAlreadyThereAndReplacesAStaleHead) {
  const AuditKey key = NewAuditKey();
  ASSERT_TRUE(CreateKeyFile(files_.key_path, key).ok());
  std::ofstream(files_.head_path) << 40 << " " << std::string(64, 'a') << "\n";
  AuditLog log(*store_, files_);
  Result<std::string> used = log.CreateKey(Read(1), AuditLog::KeyCreation::kNewLog);
  ASSERT_TRUE(used.ok()) << used.status().ToString();
  EXPECT_EQ(*used, key.id);
  EXPECT_FALSE(log.created_key());
  ChainCheck check = Verify();
  EXPECT_TRUE(check.verified()) << check.problem << Unchecked(check);
  // A second kNewLog on a log that is not empty is refused.
  EXPECT_FALSE(log.CreateKey(Read(1), AuditLog::KeyCreation::kNewLog).ok());
}

// Regression: appends of one process shared one temporary name for the head
// file (".tmp-<pid>"), so two writing at once could rename each other's file
// away and fail ("cannot write the audit head file"), as 1 of 80 concurrent
// audited reads did. Threads of one process (a server) append at once here.
TEST_F(AuditLogTest, ConcurrentAppendsAllSucceedAndTheChainVerifies) {
  AppendSome(1);  // keys the log
  constexpr int kThreads = 8;
  constexpr int kAppendsEach = 25;
  std::atomic<int> failures{0};
  std::string first_failure;
  std::mutex failure_mutex;
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      AuditLog log(*store_, files_);
      for (int n = 0; n < kAppendsEach; ++n) {
        Result<store::AuditRecord> stored = log.Append(Read(thread_idx * kAppendsEach + n));
        if (!stored.ok() && failures++ == 0) {
          std::lock_guard lock(failure_mutex);
          first_failure = stored.status().ToString();
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0) << first_failure;
  ChainCheck check = Verify();
  EXPECT_TRUE(check.verified()) << check.problem << Unchecked(check);
  EXPECT_EQ(check.records, 2 + kThreads * kAppendsEach);
  // No temporary head file is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

TEST_F(AuditLogTest, ReplaceHeadFileFromManyThreadsLeavesOneWholeHead) {
  const std::string head = (dir_ / "opendtm.db.audit-head").string();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int thread_idx = 0; thread_idx < 16; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int n = 0; n < 20; ++n) {
        if (!ReplaceHeadFile(head, std::string(100, static_cast<char>('a' + thread_idx)) + "\n")
                 .ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  std::ifstream in(head);
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line.size(), 100u);
  EXPECT_EQ(line, std::string(100, line[0]));  // one writer's whole head
  struct stat info {};
  ASSERT_EQ(::stat(head.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos)
        << entry.path();  // no temporary file left
  }
}

TEST_F(AuditLogTest, ReplaceHeadFileInAMissingDirectoryIsUnavailable) {
  Status status = ReplaceHeadFile((dir_ / "missing" / "x.audit-head").string(), "1 x\n");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("x.audit-head"));
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
  EXPECT_TRUE(Verify().verified());
}

TEST(VerifyChainTest, NothingIsIntactWithoutHeadOrKey) {
  ChainCheck empty = VerifyChain({}, std::nullopt, nullptr);
  EXPECT_TRUE(empty.intact);
  EXPECT_FALSE(empty.verified());
  ChainCheck check = VerifyChain({}, AuditHead{2, std::string(64, 'c'), "", ""}, nullptr);
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 1);
}

TEST(AuditFilesTest, BesideTheDatabaseUnlessTheKeyIsElsewhere) {
  AuditFiles files = AuditFilesFor("/data/opendtm.db");
  EXPECT_EQ(files.head_path, "/data/opendtm.db.audit-head");
  EXPECT_EQ(files.key_path, "/data/opendtm.db.audit-key");
  EXPECT_EQ(AuditFilesFor("/data/opendtm.db", "/secure/audit.key").key_path, "/secure/audit.key");
  EXPECT_TRUE(AuditFilesFor(":memory:").key_path.empty());
}

}  // namespace
}  // namespace opendtm::audit
