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
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(PendingOutputTest, TheOutputAppearsOnlyWhenPublished) {
  const std::string output = (dir_ / "export.csv").string();
  Result<PendingOutput> pending = PendingOutput::Create(output);
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  EXPECT_EQ(pending->temporary(), output + ".tmp-" + std::to_string(::getpid()));
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
    Result<PendingOutput> pending = PendingOutput::Create(output);
    ASSERT_TRUE(pending.ok());
    temporary = pending->temporary();
    ASSERT_TRUE(pending->Write("new\n").ok());
  }  // e.g. the audit record could not be written
  EXPECT_FALSE(std::filesystem::exists(temporary));
  EXPECT_EQ(Slurp(output), "old\n");
}

TEST_F(PendingOutputTest, ADirectoryThatDoesNotExistIsAnError) {
  Result<PendingOutput> pending = PendingOutput::Create((dir_ / "no" / "export.csv").string());
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace opendtm::cli
