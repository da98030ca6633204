// `dtm sites import` (partial, --clear-empty), `dtm sites history` and
// `dtm quarantine release`, run as main runs them against a database in a
// temporary directory. tests/integration/master_list_quarantine.sh covers
// them end to end with the real gazetteer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/command_line.h"
#include "cli/environment.h"
#include "cli/ingest_command.h"
#include "cli/quarantine_command.h"
#include "cli/reference_commands.h"
#include "dictionary/loader.h"
#include "store/sqlite_store.h"

namespace opendtm::cli {
namespace {

class MasterListCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("master_list_commands_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    environment_.out = &out_;
    environment_.err = &err_;
    environment_.db_path = (dir_ / "opendtm.db").string();
    environment_.who = "tester";
    Result<dictionary::Dictionary> dictionary = dictionary::LoadDictionaryFile(
        std::string(OPENDTM_SOURCE_DIR) + "/dictionary/dtm-default.yaml");
    ASSERT_TRUE(dictionary.ok()) << dictionary.status().message();
    dictionary_ = std::move(dictionary).value();
    Result<std::unique_ptr<store::SqliteStore>> opened =
        store::SqliteStore::Open(environment_.db_path, dictionary_);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    Result<store::Operation> operation = store_->CreateOperation({0, "demo", "NGA", ""});
    ASSERT_TRUE(operation.ok()) << operation.status().message();
    operation_id_ = operation->id;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  int Run(int (*command)(const CommandLine&, const Environment&),
          const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    Result<CommandLine> line = CommandLine::Parse(
        args, {"strict", "json", "dry-run", "register-new-sites", "clear-empty"});
    EXPECT_TRUE(line.ok());
    return command(*line, environment_);
  }

  int ImportSites(const std::string& text, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"sites", "import", Write("sites.csv", text), "--operation",
                                     "demo"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(RunSitesCommand, args);
  }

  store::Site Site(const std::string& site_id) {
    Result<store::Site> site = store_->FindSite(operation_id_, site_id);
    EXPECT_TRUE(site.ok()) << site.status().message();
    return site.ok() ? *site : store::Site();
  }

  std::filesystem::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
  Environment environment_;
  dictionary::Dictionary dictionary_;
  std::unique_ptr<store::SqliteStore> store_;
  int64_t operation_id_ = 0;
};

constexpr const char* kFullList =
    "site_id,site_name,adm1_pcode,adm2_pcode,latitude,longitude,site_type\n"
    "S1,Bakassi,NG008,NG008001,11.85,13.16,camp\n";

// Regression: an import with only site_id,site_name blanked the P-codes,
// coordinates and type.
TEST_F(MasterListCommandsTest, AnImportChangesOnlyTheColumnsItHas) {
  ASSERT_EQ(ImportSites(kFullList), 0) << err_.str();
  ASSERT_EQ(ImportSites("site_id,site_name\nS1,Bakassi IDP camp\n"), 0) << err_.str();
  EXPECT_NE(out_.str().find("(0 new, 1 changed, 0 unchanged)"), std::string::npos) << out_.str();
  store::Site site = Site("S1");
  EXPECT_EQ(site.name, "Bakassi IDP camp");
  EXPECT_EQ(site.adm1_pcode, "NG008");
  EXPECT_EQ(site.adm2_pcode, "NG008001");
  EXPECT_EQ(site.latitude, 11.85);
  EXPECT_EQ(site.site_type, "camp");
}

TEST_F(MasterListCommandsTest, EmptyCellsChangeNothingUnlessClearEmpty) {
  ASSERT_EQ(ImportSites(kFullList), 0) << err_.str();
  ASSERT_EQ(ImportSites("site_id,site_name,latitude\nS1,,\n"), 0) << err_.str();
  EXPECT_EQ(Site("S1").name, "Bakassi");
  EXPECT_EQ(Site("S1").latitude, 11.85);
  ASSERT_EQ(ImportSites("site_id,latitude\nS1,\n", {"--clear-empty"}), 0) << err_.str();
  EXPECT_EQ(Site("S1").latitude, std::nullopt);
  EXPECT_EQ(Site("S1").name, "Bakassi");  // no site_name column: kept
}

TEST_F(MasterListCommandsTest, HistoryListsOldNewWhoAndTheImport) {
  ASSERT_EQ(ImportSites(kFullList), 0) << err_.str();
  ASSERT_EQ(ImportSites("site_id,site_type\nS1,collective_centre\n"), 0) << err_.str();
  ASSERT_EQ(
      Run(RunSitesCommand, {"sites", "history", "S1", "--operation", "demo", "--format", "csv"}), 0)
      << err_.str();
  const std::string csv = out_.str();
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "when,who,field,old_value,new_value,source,batch_id");
  EXPECT_NE(csv.find(",local-admin,site_type,camp,collective_centre,sites import "),
            std::string::npos)
      << csv;
  EXPECT_EQ(
      Run(RunSitesCommand, {"sites", "history", "S1", "--operation", "demo", "--format", "yaml"}),
      2);
  EXPECT_EQ(Run(RunSitesCommand, {"sites", "history", "S9", "--operation", "demo"}), 3);
}

TEST_F(MasterListCommandsTest, AnUnknownUserMayNotImport) {
  ASSERT_EQ(ImportSites(kFullList), 0) << err_.str();
  EXPECT_NE(ImportSites("site_id,site_name\nS1,Renamed\n", {"--as", "nobody"}), 0);
  EXPECT_EQ(Site("S1").name, "Bakassi");
}

TEST_F(MasterListCommandsTest, QuarantineReleaseAcceptsARowWhoseSiteIsNowListed) {
  ASSERT_EQ(ImportSites("site_id\nS1\n"), 0) << err_.str();
  const std::string round = Write("round1.csv",
                                  "site/site_id,site/survey_date,population/ind_total\n"
                                  "S1,2026-01-10,50\n"
                                  "S7,2026-01-11,20\n");
  ASSERT_EQ(Run(RunIngestCommand,
                {"ingest", round, "--operation", "demo", "--round", "1", "--today", "2026-12-31"}),
            1)
      << err_.str();
  EXPECT_EQ(Run(RunQuarantineReleaseCommand, {"quarantine", "release"}), 2);
  EXPECT_EQ(Run(RunQuarantineReleaseCommand, {"quarantine", "release", "--batch", "x"}), 2);
  EXPECT_EQ(Run(RunQuarantineReleaseCommand, {"quarantine", "release", "--batch", "1"}), 1);
  EXPECT_NE(out_.str().find("still quarantined: site_unknown"), std::string::npos) << out_.str();

  ASSERT_EQ(ImportSites("site_id\nS7\n"), 0) << err_.str();
  EXPECT_NE(
      Run(RunQuarantineReleaseCommand, {"quarantine", "release", "--batch", "1", "--as", "nobody"}),
      0);
  ASSERT_EQ(Run(RunQuarantineReleaseCommand,
                {"quarantine", "release", "--batch", "1", "--row", "3", "--operation", "demo"}),
            0)
      << err_.str();
  EXPECT_NE(out_.str().find("row 3 (site S7): released (was site_unknown)"), std::string::npos)
      << out_.str();
  Result<store::Submission> accepted =
      store_->FindSubmission(operation_id_, "S7", 1, store::AssessmentType::kSiteAssessment);
  ASSERT_TRUE(accepted.ok()) << accepted.status().message();
  EXPECT_EQ(accepted->state, store::SubmissionState::kAccepted);
}

}  // namespace
}  // namespace opendtm::cli
