#include "cli/command_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace opendtm::cli {
namespace {

using ::testing::HasSubstr;

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class CommandOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("command_output_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "data");
    db_ = (dir_ / "data" / "opendtm.db").string();
    std::ofstream(db_) << "database";
    environment_.out = &out_;
    environment_.err = &err_;
    environment_.db_path = db_;
    ::unsetenv("OPENDTM_AUDIT_KEY_FILE");
  }
  void TearDown() override {
    ::unsetenv("OPENDTM_AUDIT_KEY_FILE");
    std::filesystem::remove_all(dir_);
  }
  Status Check(const std::string& output) {
    return CheckOutputIsNotStoreFile(output, environment_);
  }
  // Runs WriteOutput with `-o output`.
  int Write(const std::string& output, const std::string& text) {
    Result<CommandLine> line = CommandLine::Parse({"quarantine", "export", "-o", output}, {});
    EXPECT_TRUE(line.ok()) << line.status().ToString();
    return WriteOutput(*line, environment_, text, "the rows");
  }

  std::filesystem::path dir_;
  std::string db_;
  std::ostringstream out_;
  std::ostringstream err_;
  Environment environment_;
};

TEST_F(CommandOutputTest, StoreFilesAreTheDatabaseItsJournalsAndTheAuditFiles) {
  std::vector<std::string> paths;
  for (const StoreFile& file : StoreFilesOf(environment_)) {
    paths.push_back(file.path);
    EXPECT_FALSE(file.what.empty());
  }
  EXPECT_THAT(paths, ::testing::ElementsAre(db_, db_ + "-wal", db_ + "-shm", db_ + "-journal",
                                            db_ + ".audit-head", db_ + ".audit-key",
                                            db_ + ".audit-sign-key"));
  ::setenv("OPENDTM_AUDIT_KEY_FILE", (dir_ / "keys" / "audit.key").c_str(), 1);
  std::vector<StoreFile> files = StoreFilesOf(environment_);
  EXPECT_EQ(files[5].path, (dir_ / "keys" / "audit.key").string());
  environment_.db_path = ":memory:";
  EXPECT_TRUE(StoreFilesOf(environment_).empty());
}

TEST_F(CommandOutputTest, EveryStoreFileIsRefusedWhetherItExistsOrNot) {
  for (const char* suffix :
       {"", "-wal", "-shm", "-journal", ".audit-head", ".audit-key", ".audit-sign-key"}) {
    Status status = Check(db_ + suffix);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << suffix;
    EXPECT_THAT(status.message(),
                HasSubstr("-o " + db_ + std::string(suffix) + ": refused: it is the "));
    EXPECT_THAT(status.message(), HasSubstr("a file of the store " + db_));
  }
  EXPECT_THAT(Check(db_).message(), HasSubstr("the database itself"));
  EXPECT_THAT(Check(db_ + ".audit-key").message(), HasSubstr("the audit key file"));
  ::setenv("OPENDTM_AUDIT_KEY_FILE", (dir_ / "audit.key").c_str(), 1);
  EXPECT_EQ(Check((dir_ / "audit.key").string()).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Check((dir_ / "data" / "export.csv").string()).ok());
  EXPECT_TRUE(Check((dir_ / "data" / "opendtm.db.csv").string()).ok());
}

TEST_F(CommandOutputTest, ComparedByFileNotBySpelling) {
  // Another spelling of the path, relative to the working directory.
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  EXPECT_FALSE(Check("data/../data/./opendtm.db").ok());
  EXPECT_FALSE(Check("data//opendtm.db-wal").ok());
  environment_.db_path = "data/opendtm.db";  // a relative --db, an absolute -o
  EXPECT_FALSE(Check(db_).ok());
  environment_.db_path = db_;
  std::filesystem::current_path(before);
  // A symbolic link to the database, a symbolic link to its folder, a hard link.
  std::filesystem::create_symlink(db_, dir_ / "link.db");
  std::filesystem::create_directory_symlink(dir_ / "data", dir_ / "folder");
  std::filesystem::create_hard_link(db_, dir_ / "hard.db");
  EXPECT_FALSE(Check((dir_ / "link.db").string()).ok());
  EXPECT_FALSE(Check((dir_ / "folder" / "opendtm.db").string()).ok());
  EXPECT_FALSE(Check((dir_ / "folder" / "opendtm.db.audit-head").string()).ok());
  EXPECT_FALSE(Check((dir_ / "hard.db").string()).ok());
}

TEST_F(CommandOutputTest, WriteOutputRefusesAStoreFileAndLeavesItUntouched) {
  EXPECT_EQ(Write(db_, "site_id\n"), 2);
  EXPECT_EQ(Slurp(db_), "database");
  EXPECT_THAT(err_.str(), HasSubstr("refused: it is the database itself"));
  EXPECT_FALSE(std::filesystem::exists(db_ + ".audit-head"));
  EXPECT_EQ(Write(db_ + ".audit-head", "x\n"), 2);
  EXPECT_FALSE(std::filesystem::exists(db_ + ".audit-head"));
  const std::string output = (dir_ / "data" / "rows.csv").string();
  EXPECT_EQ(Write(output, "site_id\n"), 0);
  EXPECT_EQ(Slurp(output), "site_id\n");
  EXPECT_THAT(err_.str(), HasSubstr("wrote the rows to " + output));
}

}  // namespace
}  // namespace opendtm::cli
