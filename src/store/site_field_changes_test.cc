// The master list keeps every change of a listed site's fields (migration 11).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "dictionary/loader.h"
#include "dictionary/testing.h"
#include "store/sqlite_store.h"

namespace opendtm::store {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

class SiteFieldChangesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<dictionary::Dictionary> loaded =
        dictionary::LoadDictionaryText(dictionary::testing::SmallDictionaryYaml(), "test.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    dictionary_ = *loaded;
    Result<std::unique_ptr<SqliteStore>> opened = SqliteStore::Open(":memory:", dictionary_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    Result<Operation> operation = store_->CreateOperation({0, "demo-nga", "NGA", "WCA"});
    ASSERT_TRUE(operation.ok()) << operation.status().ToString();
    operation_ = *operation;
  }

  Site Bakassi() const {
    Site site;
    site.operation_id = operation_.id;
    site.site_id = "NGA-0001";
    site.name = "Bakassi camp";
    site.adm1_pcode = "NG008";
    site.adm2_pcode = "NG008011";
    site.latitude = 11.85;
    site.longitude = 13.16;
    site.site_type = "camp";
    return site;
  }

  static SiteChangeContext Import(const std::string& who, const std::string& when) {
    SiteChangeContext context;
    context.note = "sites import master.csv";
    context.who = who;
    context.when = when;
    return context;
  }

  dictionary::Dictionary dictionary_;
  std::unique_ptr<SqliteStore> store_;
  Operation operation_;
};

TEST_F(SiteFieldChangesTest, ANewSiteHasNoFieldChanges) {
  ASSERT_TRUE(store_->UpsertSite(Bakassi(), Import("imo", "2026-12-01T10:00:00Z")).ok());
  Result<std::vector<SiteFieldChange>> changes =
      store_->SiteFieldChanges(operation_.id, "NGA-0001");
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  EXPECT_THAT(*changes, IsEmpty());
  EXPECT_THAT(*store_->SiteFieldChanges(operation_.id, "NGA-9999"), IsEmpty());
}

TEST_F(SiteFieldChangesTest, EachChangedFieldKeepsOldAndNewValueWhoWhenAndSource) {
  ASSERT_TRUE(store_->UpsertSite(Bakassi(), Import("imo", "2026-12-01T10:00:00Z")).ok());
  Site renamed = Bakassi();
  renamed.name = "Bakassi IDP camp";
  renamed.latitude.reset();
  renamed.status = SiteStatus::kClosed;
  ASSERT_TRUE(store_->UpsertSite(renamed, Import("cccm.lead", "2026-12-02T09:00:00Z")).ok());
  // The same record again changes nothing.
  ASSERT_TRUE(store_->UpsertSite(renamed, Import("cccm.lead", "2026-12-03T09:00:00Z")).ok());

  Result<std::vector<SiteFieldChange>> changes =
      store_->SiteFieldChanges(operation_.id, "NGA-0001");
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  ASSERT_THAT(*changes, SizeIs(3));
  EXPECT_EQ((*changes)[0].field, "site_name");
  EXPECT_EQ((*changes)[0].old_value, "Bakassi camp");
  EXPECT_EQ((*changes)[0].new_value, "Bakassi IDP camp");
  EXPECT_EQ((*changes)[0].who, "cccm.lead");
  EXPECT_EQ((*changes)[0].when, "2026-12-02T09:00:00Z");
  EXPECT_EQ((*changes)[0].source, "sites import master.csv");
  EXPECT_EQ((*changes)[0].batch_id, std::nullopt);
  EXPECT_EQ((*changes)[1].field, "latitude");
  EXPECT_EQ((*changes)[1].old_value, "11.85");
  EXPECT_EQ((*changes)[1].new_value, "");
  EXPECT_EQ((*changes)[2].field, "status");
  EXPECT_EQ((*changes)[2].old_value, "open");
  EXPECT_EQ((*changes)[2].new_value, "closed");
  // The status change is in the status history too.
  EXPECT_THAT(*store_->SiteHistory(operation_.id, "NGA-0001"), SizeIs(2));
}

TEST_F(SiteFieldChangesTest, TheHistoryIsAppendOnly) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("opendtm_site_changes_" + std::to_string(::getpid()) + ".db"))
                               .string();
  {
    Result<std::unique_ptr<SqliteStore>> opened = SqliteStore::Open(path, dictionary_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Result<Operation> operation = (*opened)->CreateOperation({0, "demo-nga", "NGA", "WCA"});
    ASSERT_TRUE(operation.ok());
    Site site = Bakassi();
    site.operation_id = operation->id;
    ASSERT_TRUE((*opened)->UpsertSite(site, Import("imo", "t1")).ok());
    site.adm2_pcode = "NG008012";
    ASSERT_TRUE((*opened)->UpsertSite(site, Import("imo", "t2")).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_NE(
      sqlite3_exec(db, "UPDATE site_field_changes SET new_value = 'x'", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM site_field_changes", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

}  // namespace
}  // namespace opendtm::store
