#include "cli/pending_output.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace opendtm::cli {
namespace {

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class PendingOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pending_output_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    environment_.db_path = (dir_ / "opendtm.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  Result<PendingOutput> Create(const std::string& output) {
    return PendingOutput::Create(output, environment_);
  }
  std::filesystem::path dir_;
  Environment environment_;
};

TEST_F(PendingOutputTest, TheOutputAppearsOnlyWhenPublished) {
  const std::string output = (dir_ / "export.csv").string();
  Result<PendingOutput> pending = Create(output);
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  EXPECT_TRUE(pending->temporary().starts_with(output + ".tmp-")) << pending->temporary();
  ASSERT_TRUE(pending->Write("a,b\n1,2\n").ok());
  EXPECT_FALSE(std::filesystem::exists(output));
  struct stat info {};
  ASSERT_EQ(::stat(pending->temporary().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_TRUE(pending->Publish().ok());
  EXPECT_EQ(Slurp(output), "a,b\n1,2\n");
  EXPECT_FALSE(std::filesystem::exists(pending->temporary()));
}

TEST_F(PendingOutputTest, AnUnpublishedOutputLeavesNothingAndKeepsAnOldFile) {
  const std::string output = (dir_ / "export.csv").string();
  std::ofstream(output) << "old\n";
  std::string temporary;
  {
    Result<PendingOutput> pending = Create(output);
    ASSERT_TRUE(pending.ok());
    temporary = pending->temporary();
    ASSERT_TRUE(pending->Write("new\n").ok());
  }  // e.g. the audit record could not be written
  EXPECT_FALSE(std::filesystem::exists(temporary));
  EXPECT_EQ(Slurp(output), "old\n");
}

TEST_F(PendingOutputTest, ADirectoryThatDoesNotExistIsAnError) {
  Result<PendingOutput> pending = Create((dir_ / "no" / "export.csv").string());
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.status().code(), StatusCode::kUnavailable);
}

// Two outputs of the same name at once (two exports, or a server's threads)
// each get a temporary file of their own: ".tmp-<pid>" was shared.
TEST_F(PendingOutputTest, TwoPendingOutputsOfOneFileHaveTheirOwnTemporaryFiles) {
  const std::string output = (dir_ / "export.csv").string();
  Result<PendingOutput> first = Create(output);
  Result<PendingOutput> second = Create(output);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(first->temporary(), second->temporary());
  ASSERT_TRUE(first->Write("first\n").ok());
  ASSERT_TRUE(second->Write("second\n").ok());
  ASSERT_TRUE(first->Publish().ok());
  ASSERT_TRUE(second->Publish().ok());
  EXPECT_EQ(Slurp(output), "second\n");
}

// Regression: `dtm export … -o opendtm.db --db opendtm.db` replaced the live
// database with the export.
TEST_F(PendingOutputTest, TheDatabaseAndItsFilesAreRefusedAndLeftAlone) {
  std::ofstream(environment_.db_path) << "database";
  for (const std::string& output :
       {environment_.db_path, environment_.db_path + "-wal", environment_.db_path + "-shm",
        environment_.db_path + ".audit-head", environment_.db_path + ".audit-key",
        (dir_ / "." / "opendtm.db").string()}) {
    Result<PendingOutput> pending = Create(output);
    ASSERT_FALSE(pending.ok()) << output;
    EXPECT_EQ(pending.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(pending.status().message().find("refused"), std::string::npos);
  }
  EXPECT_EQ(Slurp(environment_.db_path), "database");
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename(), "opendtm.db");  // no temporary file was made
  }
}

}  // namespace
}  // namespace opendtm::cli
