// The database file a store creates, and the files SQLite makes beside it,
// are readable by their owner only (issue 13: databases are created 0600).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "dictionary/testing.h"
#include "store/sqlite_store.h"

namespace opendtm::store {
namespace {

int ModeOf(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int>(info.st_mode & 07777);
}

class StoreFileModeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("opendtm_store_mode_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    old_umask_ = ::umask(022);  // the usual default: files would be 0644
  }
  void TearDown() override {
    ::umask(old_umask_);
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  mode_t old_umask_ = 0;
};

TEST_F(StoreFileModeTest, ANewDatabaseAndItsWalAndShmAreOwnerOnly) {
  std::string path = (dir_ / "new.db").string();
  auto store = SqliteStore::Open(path, dictionary::testing::DefaultDictionary());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->CreateOperation({0, "Mode check", "NGA", ""}).ok());
  EXPECT_EQ(ModeOf(path), 0600);
  // WAL mode: the -wal and -shm files exist while the store is open.
  ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
  EXPECT_EQ(ModeOf(path + "-wal"), 0600);
  EXPECT_EQ(ModeOf(path + "-shm"), 0600);
}

TEST_F(StoreFileModeTest, AnExistingDatabaseKeepsTheModeItsOwnerChose) {
  std::string path = (dir_ / "shared.db").string();
  { ASSERT_TRUE(SqliteStore::Open(path, dictionary::testing::DefaultDictionary()).ok()); }
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  auto store = SqliteStore::Open(path, dictionary::testing::DefaultDictionary());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(ModeOf(path), 0640);
}

TEST_F(StoreFileModeTest, AnInMemoryDatabaseCreatesNoFile) {
  auto store = SqliteStore::Open(":memory:", dictionary::testing::DefaultDictionary());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(":memory:"));
}

}  // namespace
}  // namespace opendtm::store
