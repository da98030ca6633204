#include "cli/alerts_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cli/command_line.h"
#include "cli/environment.h"
#include "dictionary/loader.h"
#include "store/sqlite_store.h"

namespace opendtm::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A database in a temporary directory with one batch's alerts, and the
// command run against it with its output captured. The integration test
// (tests/integration/alerts.sh) covers alerts raised by real ingests.
class AlertsCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("alerts_command_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    environment_.out = &out_;
    environment_.err = &err_;
    environment_.db_path = (dir_ / "opendtm.db").string();
    environment_.who = "tester";
    Result<dictionary::Dictionary> dictionary =
        dictionary::LoadDictionaryFile(std::string(OPENDTM_SOURCE_DIR) +
                                       "/dictionary/dtm-default.yaml");
    ASSERT_TRUE(dictionary.ok()) << dictionary.status().message();
    Result<std::unique_ptr<store::SqliteStore>> opened =
        store::SqliteStore::Open(environment_.db_path, *dictionary);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    Result<store::Operation> operation = store_->CreateOperation({0, "demo", "NGA", ""});
    ASSERT_TRUE(operation.ok()) << operation.status().message();
    operation_id_ = operation->id;
    Result<store::Organisation> org = store_->AddOrganisation({0, "CP AoR", {"protection"}, "", ""});
    ASSERT_TRUE(org.ok()) << org.status().message();
    for (auto [name, tier] : {std::pair{"cp-focal", store::Tier::kOperationAdmin},
                              {"cccm.officer", store::Tier::kPartner}}) {
      store::User user;
      user.name = name;
      user.organisation_id = org->id;
      user.tiers = {{operation_id_, tier}};
      ASSERT_TRUE(store_->AddUser(user).ok()) << name;
    }

    // Round 2: an urgent value at S1 and S2, and S3 turned very high.
    store::Batch batch;
    batch.operation_id = operation_id_;
    batch.round = 2;
    auto ingest = store_->BeginIngest(batch);
    ASSERT_TRUE(ingest.ok()) << ingest.status().message();
    for (const char* site : {"S1", "S2"}) {
      store::Alert urgent;
      urgent.operation_id = operation_id_;
      urgent.round = 2;
      urgent.site_id = site;
      urgent.indicator = "uasc";
      urgent.value = "3";
      urgent.rule = "urgent_alert";
      urgent.created_at = "2026-02-01T10:00:00Z";
      urgent.message = "Number of unaccompanied and separated children: 3";
      ASSERT_TRUE((*ingest)->AddAlert(urgent).ok());
    }
    ASSERT_TRUE((*ingest)->Commit().ok());
    const int64_t batch_id = (*ingest)->batch_id();
    ingest->reset();
    store::Alert risk;
    risk.operation_id = operation_id_;
    risk.round = 2;
    risk.site_id = "S3";
    risk.value = "very_high";
    risk.rule = "risk_very_high";
    risk.created_at = "2026-02-01T10:00:01Z";
    risk.previous_round = 1;
    risk.previous_value = "high";
    risk.score = 41.2;
    risk.message = "site S3: GBV risk band very_high in round 2 (score 41.2), was high in round 1";
    const store::Alert risks[] = {risk};
    ASSERT_TRUE(store_->AddAlerts(batch_id, risks).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  int Run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    Result<CommandLine> line = CommandLine::Parse(
        args, {"strict", "help", "json", "dry-run", "register-new-sites", "raw", "summary"});
    EXPECT_TRUE(line.ok());
    return RunAlertsCommand(*line, environment_);
  }

  std::filesystem::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
  Environment environment_;
  std::unique_ptr<store::SqliteStore> store_;
  int64_t operation_id_ = 0;
};

TEST_F(AlertsCommandTest, ListShowsOpenAlertsAsATable) {
  ASSERT_EQ(Run({"alerts", "list", "--operation", "demo"}), 0) << err_.str();
  const std::string table = out_.str();
  EXPECT_THAT(table, HasSubstr("id  round  site  rule            detail"));
  EXPECT_THAT(table, HasSubstr("1   2      S1    urgent_alert    uasc = 3"));
  EXPECT_THAT(table, HasSubstr("S3    risk_very_high  high -> very_high (41.2)  new"));
  EXPECT_THAT(table, HasSubstr("3 alerts (new, acknowledged)"));
}

TEST_F(AlertsCommandTest, AckAndCloseMoveAlertsAndListFiltersByStatus) {
  ASSERT_EQ(Run({"alerts", "ack", "1", "--note", "partner informed", "--as", "cp-focal"}), 0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("alert 1 (urgent_alert, site S1, round 2): acknowledged by "
                                    "cp-focal at "));
  ASSERT_EQ(Run({"alerts", "close", "1", "2", "--note", "followed up"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("alert 2 (urgent_alert, site S2, round 2): closed by tester"));

  ASSERT_EQ(Run({"alerts", "list", "--operation", "demo"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("1 alert (new, acknowledged)"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("S1")));
  ASSERT_EQ(Run({"alerts", "list", "--operation", "demo", "--status", "closed", "--format",
                 "csv"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("id,batch_id,round,assessment_type,site_id,rule,"));
  EXPECT_THAT(out_.str(), HasSubstr("\n1,1,2,SA,S1,urgent_alert,uasc,3,,,,Number of "
                                    "unaccompanied and separated children: 3,closed,tester,"));
  const std::string csv = out_.str();
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);

  ASSERT_EQ(Run({"alerts", "list", "--operation", "demo", "--status", "all", "--round", "2",
                 "--format", "json"}), 0);
  nlohmann::json alerts = nlohmann::json::parse(out_.str());
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[0]["status"], "closed");
  EXPECT_EQ(alerts[0]["status_by"], "tester");
  EXPECT_EQ(alerts[0]["status_note"], "followed up");
  ASSERT_EQ(alerts[0]["history"].size(), 2u);
  EXPECT_EQ(alerts[0]["history"][0]["to"], "acknowledged");
  EXPECT_EQ(alerts[0]["history"][0]["who"], "cp-focal");
  EXPECT_EQ(alerts[0]["history"][1]["from"], "acknowledged");
  EXPECT_EQ(alerts[0]["previous_round"], nullptr);
  EXPECT_EQ(alerts[2]["rule"], "risk_very_high");
  EXPECT_EQ(alerts[2]["previous_round"], 1);
  EXPECT_EQ(alerts[2]["previous_value"], "high");
  EXPECT_EQ(alerts[2]["score"], 41.2);
  EXPECT_EQ(alerts[2]["assessment_type"], "SA");
  EXPECT_EQ(alerts[2]["history"].size(), 0u);
  ASSERT_EQ(Run({"alerts", "list", "--operation", "demo", "--status", "all", "--round", "1"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("0 alerts (new, acknowledged, closed)"));
}

TEST_F(AlertsCommandTest, APartnerMayNeitherListNorMoveAlerts) {
  EXPECT_EQ(Run({"alerts", "close", "1", "--note", "spam", "--as", "cccm.officer"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("alert close of demo (NGA) needs tier protection or above, "
                                    "and cccm.officer acts with tier partner"));
  EXPECT_EQ(Run({"alerts", "list", "--operation", "demo", "--as", "cccm.officer"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("needs tier protection"));
  ASSERT_EQ(Run({"alerts", "list", "--operation", "demo"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("3 alerts (new, acknowledged)"));
}

TEST_F(AlertsCommandTest, RefusedMovesAndUnknownIdsExitOneAndTheOthersGoOn) {
  ASSERT_EQ(Run({"alerts", "close", "1", "--note", "done"}), 0);
  EXPECT_EQ(Run({"alerts", "ack", "1", "3", "99", "--note", "late"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("alert 1 is closed: it cannot become acknowledged (allowed: "
                                    "new -> acknowledged, new -> closed, acknowledged -> closed)"));
  EXPECT_THAT(err_.str(), HasSubstr("alert 99 not found"));
  EXPECT_THAT(out_.str(), HasSubstr("alert 3 (risk_very_high, site S3, round 2): acknowledged"));
  EXPECT_EQ(Run({"alerts", "ack", "3", "--note", "again"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("alert 3 is already acknowledged"));
}

TEST_F(AlertsCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({"alerts"}), 2);
  EXPECT_EQ(Run({"alerts", "reopen", "1"}), 2);
  EXPECT_EQ(Run({"alerts", "list"}), 2);  // no --operation
  EXPECT_EQ(Run({"alerts", "list", "--operation", "demo", "--status", "open"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("unknown status 'open'"));
  EXPECT_EQ(Run({"alerts", "list", "--operation", "demo", "--format", "xml"}), 2);
  EXPECT_EQ(Run({"alerts", "list", "--operation", "demo", "--round", "x"}), 2);
  EXPECT_EQ(Run({"alerts", "list", "3", "--operation", "demo"}), 2);
  EXPECT_EQ(Run({"alerts", "ack", "--note", "x"}), 2);
  EXPECT_EQ(Run({"alerts", "ack", "1"}), 2);  // no --note
  EXPECT_EQ(Run({"alerts", "ack", "one", "--note", "x"}), 2);
  EXPECT_EQ(Run({"alerts", "close", "1", "--note", "x", "--status", "new"}), 2);
  EXPECT_EQ(Run({"alerts", "list", "--operation", "demo", "--bogus", "1"}), 2);
  // Nothing moved.
  ASSERT_EQ(Run({"alerts", "list", "--operation", "demo"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("3 alerts (new, acknowledged)"));
}

TEST_F(AlertsCommandTest, AnUnknownOperationIsAnOperationalFailure) {
  EXPECT_EQ(Run({"alerts", "list", "--operation", "nope"}), 3);
}

}  // namespace
}  // namespace opendtm::cli
