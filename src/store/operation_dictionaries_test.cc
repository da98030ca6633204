// The dictionaries of operations in SqliteStore (migration 9): every operation
// gets the built-in default as version 1, versions are numbered per operation,
// hashed by the store and never changed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "dictionary/default_dictionary.h"
#include "dictionary/loader.h"
#include "dictionary/testing.h"
#include "store/internal/schema.h"
#include "store/sqlite_store.h"

namespace opendtm::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class OperationDictionariesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<dictionary::Dictionary> loaded =
        dictionary::LoadDictionaryText(dictionary::testing::SmallDictionaryYaml(), "test.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    dictionary_ = *loaded;
    path_ = (std::filesystem::temp_directory_path() /
             ("opendtm_operation_dictionaries_" + std::to_string(::getpid()) + ".db"))
                .string();
    Result<std::unique_ptr<SqliteStore>> opened = SqliteStore::Open(path_, dictionary_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix);
    }
  }

  static OperationDictionary Version(int64_t operation_id, const std::string& content) {
    OperationDictionary dictionary;
    dictionary.operation_id = operation_id;
    dictionary.dictionary_version = "2026.12.1";
    dictionary.content = content;
    dictionary.content_hash = "not the hash";
    dictionary.version = 42;
    dictionary.registered_at = "2026-12-07T10:00:00Z";
    dictionary.registered_by = "amina";
    return dictionary;
  }

  dictionary::Dictionary dictionary_;
  std::string path_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(OperationDictionariesTest, ANewOperationHoldsTheBuiltInDefault) {
  Result<Operation> created = store_->CreateOperation({0, "demo-nga", "NGA", ""});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  Result<OperationDictionary> current = store_->CurrentOperationDictionary(created->id);
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ(current->version, 1);
  EXPECT_EQ(current->content, dictionary::DefaultDictionaryYaml());
  EXPECT_EQ(current->content_hash, core::Sha256::HexOf(dictionary::DefaultDictionaryYaml()));
  EXPECT_EQ(current->dictionary_version, dictionary::LoadDefaultDictionary()->version());
  EXPECT_EQ(current->registered_by, "opendtm");
  EXPECT_EQ(current->registered_at.size(), std::string("2026-12-07T10:00:00Z").size());
}

TEST_F(OperationDictionariesTest, AnOperationCreatedByAnIngestHoldsTheBuiltInDefault) {
  Batch batch;  // a DTM API file: its records name their operations
  batch.source_name = "dtm-api.json";
  Result<std::unique_ptr<IngestTransaction>> ingest = store_->BeginIngest(batch);
  ASSERT_TRUE(ingest.ok()) << ingest.status().ToString();
  Result<Operation> named = (*ingest)->EnsureOperation({0, "dtm-api-hti", "HTI", ""});
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  ASSERT_TRUE((*ingest)->Commit().ok());
  Result<OperationDictionary> current = store_->CurrentOperationDictionary(named->id);
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ(current->content, dictionary::DefaultDictionaryYaml());
}

TEST_F(OperationDictionariesTest, VersionsAreNumberedPerOperationAndHashedByTheStore) {
  Result<Operation> nga = store_->CreateOperation({0, "demo-nga", "NGA", ""});
  Result<Operation> tcd = store_->CreateOperation({0, "demo-tcd", "TCD", ""});
  ASSERT_TRUE(nga.ok() && tcd.ok());
  Result<OperationDictionary> added = store_->AddOperationDictionary(Version(nga->id, "v: 2"));
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->version, 2);
  EXPECT_EQ(added->content_hash, core::Sha256::HexOf("v: 2"));
  ASSERT_TRUE(store_->AddOperationDictionary(Version(nga->id, "v: 3")).ok());

  Result<OperationDictionary> current = store_->CurrentOperationDictionary(nga->id);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->version, 3);
  EXPECT_EQ(current->content, "v: 3");
  EXPECT_EQ(current->registered_by, "amina");
  EXPECT_EQ(current->registered_at, "2026-12-07T10:00:00Z");
  EXPECT_EQ(store_->CurrentOperationDictionary(tcd->id)->version, 1);

  Result<std::vector<OperationDictionary>> history = store_->OperationDictionaryHistory(nga->id);
  ASSERT_TRUE(history.ok());
  ASSERT_THAT(*history, SizeIs(3));
  EXPECT_EQ((*history)[0].content, dictionary::DefaultDictionaryYaml());
  EXPECT_EQ((*history)[1].content, "v: 2");
}

TEST_F(OperationDictionariesTest, RefusesUnknownOperationsAndEmptyContent) {
  Result<Operation> nga = store_->CreateOperation({0, "demo-nga", "NGA", ""});
  ASSERT_TRUE(nga.ok());
  EXPECT_EQ(store_->AddOperationDictionary(Version(999, "v: 2")).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->AddOperationDictionary(Version(nga->id, "")).status().code(),
            StatusCode::kInvalidArgument);
  OperationDictionary unversioned = Version(nga->id, "v: 2");
  unversioned.dictionary_version.clear();
  EXPECT_EQ(store_->AddOperationDictionary(unversioned).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CurrentOperationDictionary(999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->CurrentOperationDictionary(nga->id)->version, 1);
}

TEST_F(OperationDictionariesTest, TheTableRefusesUpdatesAndDeletesEvenThroughRawSql) {
  Result<Operation> nga = store_->CreateOperation({0, "demo-nga", "NGA", ""});
  ASSERT_TRUE(nga.ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  for (const char* sql : {"UPDATE operation_dictionaries SET content = 'version: 1'",
                          "DELETE FROM operation_dictionaries"}) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_CONSTRAINT) << sql;
    EXPECT_THAT(error != nullptr ? std::string(error) : "", HasSubstr("never changed"));
    sqlite3_free(error);
  }
  sqlite3_close(db);
  EXPECT_EQ(store_->CurrentOperationDictionary(nga->id)->content,
            dictionary::DefaultDictionaryYaml());
}

TEST_F(OperationDictionariesTest, MigrationNineGivesExistingOperationsTheDefault) {
  store_.reset();
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path_ + suffix);
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    std::string v8 =
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at TEXT NOT NULL);";
    for (int version = 1; version <= 8; ++version) {
      v8 += std::string(internal::Migrations()[version - 1].sql);
      v8 += "INSERT INTO schema_version VALUES (" + std::to_string(version) + ", 'v', '2026');";
    }
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, v8.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    ASSERT_TRUE(internal::Migrations()[5].step(db).ok());  // drops site_values
    ASSERT_EQ(sqlite3_exec(db,
                           "INSERT INTO operations (id, name, country) VALUES (7, 'demo-nga', "
                           "'NGA'), (9, 'demo-tcd', 'TCD')",
                           nullptr, nullptr, &error),
              SQLITE_OK)
        << error;
    sqlite3_close(db);
  }
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path_, dictionary_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_GE(*(*store)->SchemaVersion(), 9);
  for (int64_t operation_id : {7, 9}) {
    Result<std::vector<OperationDictionary>> history =
        (*store)->OperationDictionaryHistory(operation_id);
    ASSERT_TRUE(history.ok()) << history.status().ToString();
    ASSERT_THAT(*history, SizeIs(1));
    EXPECT_EQ((*history)[0].version, 1);
    EXPECT_EQ((*history)[0].content, dictionary::DefaultDictionaryYaml());
    EXPECT_EQ((*history)[0].content_hash, core::Sha256::HexOf(dictionary::DefaultDictionaryYaml()));
    EXPECT_EQ((*history)[0].registered_by, "migration 9");
  }
  EXPECT_THAT(*(*store)->OperationDictionaryHistory(8), ElementsAre());
}

}  // namespace
}  // namespace opendtm::store
