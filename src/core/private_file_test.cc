#include "core/private_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace opendtm::core {
namespace {

// The permission bits of `path`, or -1 when it cannot be stat'ed.
int ModeOf(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int>(info.st_mode & 07777);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class PrivateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("private_file_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    // A permissive umask, as on many servers: the mode must not depend on it.
    old_umask_ = ::umask(0);
  }
  void TearDown() override {
    ::umask(old_umask_);
    std::filesystem::remove_all(dir_);
  }
  std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
  mode_t old_umask_ = 0;
};

TEST_F(PrivateFileTest, CreatesANewFileOwnerOnlyWhateverTheUmask) {
  std::string path = PathOf("new.db");
  ASSERT_TRUE(CreatePrivateFile(path).ok());
  EXPECT_EQ(ModeOf(path), 0600);
  EXPECT_EQ(std::filesystem::file_size(path), 0u);
}

TEST_F(PrivateFileTest, NarrowsAnExistingFileAndKeepsItsContent) {
  std::string path = PathOf("export.csv");
  std::ofstream(path) << "a,b\n1,2\n";
  ::chmod(path.c_str(), 0644);
  ASSERT_TRUE(CreatePrivateFile(path).ok());
  EXPECT_EQ(ModeOf(path), 0600);
  EXPECT_EQ(ReadAll(path), "a,b\n1,2\n");
  // A writer that truncates it afterwards keeps the mode.
  std::ofstream(path, std::ios::trunc) << "c\n";
  EXPECT_EQ(ModeOf(path), 0600);
}

TEST_F(PrivateFileTest, CreateFailsInAMissingDirectory) {
  Status status = CreatePrivateFile(PathOf("missing/x.csv"));
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("missing/x.csv"), std::string::npos);
}

TEST_F(PrivateFileTest, SetOwnerOnlyNarrowsAndReportsAMissingFile) {
  std::string path = PathOf("book.xlsx");
  std::ofstream(path) << "x";
  ::chmod(path.c_str(), 0666);
  ASSERT_TRUE(SetOwnerOnly(path).ok());
  EXPECT_EQ(ModeOf(path), 0600);
  EXPECT_EQ(SetOwnerOnly(PathOf("absent")).code(), StatusCode::kNotFound);
}

TEST_F(PrivateFileTest, WritePrivateFileReplacesContentOwnerOnly) {
  std::string path = PathOf("release.json");
  std::ofstream(path) << "a much longer old content";
  ::chmod(path.c_str(), 0664);
  ASSERT_TRUE(WritePrivateFile(path, "{}\n").ok());
  EXPECT_EQ(ReadAll(path), "{}\n");
  EXPECT_EQ(ModeOf(path), 0600);
  std::string fresh = PathOf("fresh.json");
  ASSERT_TRUE(WritePrivateFile(fresh, "").ok());
  EXPECT_EQ(ModeOf(fresh), 0600);
  EXPECT_EQ(WritePrivateFile(PathOf("missing/y"), "z").code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace opendtm::core
