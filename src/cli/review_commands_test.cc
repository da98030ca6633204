#include "cli/review_commands.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "cli/command_line.h"
#include "cli/environment.h"
#include "dictionary/loader.h"
#include "store/sqlite_store.h"

namespace opendtm::cli {
namespace {

// A database in a temporary directory, filled through the Store API, and the
// commands run against it with their output captured. The integration test
// (tests/integration/review_commands.sh) covers the commands end to end; these
// cases reach what an ingest never produces.
class ReviewCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("review_commands_test_" + std::to_string(::getpid()) + "_" +
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

  // Runs `command` (RunXCommand) on `args`, parsed as main parses them.
  int Run(int (*command)(const CommandLine&, const Environment&),
          const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    Result<CommandLine> line = CommandLine::Parse(
        args,
        {"strict", "help", "json", "dry-run", "register-new-sites", "raw", "summary", "force"});
    EXPECT_TRUE(line.ok());
    return command(*line, environment_);
  }

  int IndexOf(std::string_view name) const {
    return static_cast<int>(dictionary_.FindIndicator(name) - dictionary_.indicators().data());
  }

  // One committed batch of round 1 with S1 accepted (and, when `header` is
  // given, a source header), plus `log` entries and `quarantine` entries.
  // `values` are more values of S1 (indicator, value).
  int64_t AddBatch(const std::vector<std::string>& header,
                   const std::vector<store::CleaningLogEntry>& log,
                   const std::vector<store::QuarantineEntry>& quarantine, bool with_submission,
                   const std::vector<std::pair<std::string, std::string>>& values = {}) {
    store::Batch batch;
    batch.operation_id = operation_id_;
    batch.round = 1;
    batch.source_name = "test.csv";
    batch.created_at = "2026-01-01T00:00:00Z";
    batch.who = "tester";
    Result<std::unique_ptr<store::IngestTransaction>> ingest = store_->BeginIngest(batch);
    EXPECT_TRUE(ingest.ok()) << ingest.status().message();
    store::IngestTransaction& transaction = **ingest;
    if (!header.empty()) {
      EXPECT_TRUE(transaction.PutSourceHeader(header).ok());
    }
    if (with_submission) {
      store::Submission submission;
      submission.operation_id = operation_id_;
      submission.round = 1;
      submission.site_id = "S1";
      submission.source_row = 2;
      submission.enumerator = "alice";
      submission.values.resize(dictionary_.indicators().size());
      submission.values[IndexOf("site_id")] = "S1";
      submission.values[IndexOf("hh_total")] = "10";
      for (const auto& [name, value] : values) submission.values[IndexOf(name)] = value;
      std::vector<std::string> cells = {"S1", "10"};
      EXPECT_TRUE(transaction.AddSubmission(submission, cells).ok());
    }
    for (const store::CleaningLogEntry& entry : log) {
      EXPECT_TRUE(transaction.AddCleaningLog(entry).ok());
    }
    for (const store::QuarantineEntry& entry : quarantine) {
      EXPECT_TRUE(transaction.AddQuarantine(entry).ok());
    }
    EXPECT_TRUE(transaction.Commit().ok());
    return transaction.batch_id();
  }

  std::filesystem::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
  Environment environment_;
  dictionary::Dictionary dictionary_;
  std::unique_ptr<store::SqliteStore> store_;
  int64_t operation_id_ = 0;
};

TEST_F(ReviewCommandsTest, CleaningLogQuotesCsvAndEscapesJson) {
  store::CleaningLogEntry entry;
  entry.row = 7;
  entry.column = "Site name";
  entry.indicator = "site_name";
  entry.old_value = "Camp \"North\", A\nsecond line\\\t\x01";
  entry.rule = "type";
  entry.action = "blanked";
  entry.who = "tester";
  entry.when = "2026-01-01T00:00:00Z";
  int64_t batch_id = AddBatch({"site_id", "hh_total"}, {entry}, {}, true);

  ASSERT_EQ(Run(RunCleaningLogCommand, {"cleaning-log", "--operation", "demo"}), 0) << err_.str();
  const std::string header =
      "entry_id,batch_id,submission_id,row,column,indicator,old_value,new_value,rule,action,who,"
      "when\n";
  EXPECT_EQ(out_.str(),
            header + "1," + std::to_string(batch_id) +
                ",,7,Site name,site_name,\"Camp \"\"North\"\", A\nsecond line\\\t\x01\","
                ",type,blanked,tester,2026-01-01T00:00:00Z\n");

  ASSERT_EQ(Run(RunCleaningLogCommand, {"cleaning-log", "--operation", "demo", "--format", "json"}),
            0);
  EXPECT_EQ(out_.str(),
            "[\n{\"entry_id\":1,\"batch_id\":" + std::to_string(batch_id) +
                ",\"submission_id\":null,\"row\":7,\"column\":\"Site name\",\"indicator\":"
                "\"site_name\",\"old_value\":\"Camp \\\"North\\\", A\\nsecond line\\\\\\t\\u0001\","
                "\"new_value\":\"\",\"rule\":\"type\",\"action\":\"blanked\",\"who\":\"tester\","
                "\"when\":\"2026-01-01T00:00:00Z\"}\n]\n");
}

TEST_F(ReviewCommandsTest, EmptyCleaningLogIsAnEmptyArray) {
  ASSERT_EQ(Run(RunCleaningLogCommand, {"cleaning-log", "--operation", "demo", "--format", "json"}),
            0);
  EXPECT_EQ(out_.str(), "[]\n");
}

TEST_F(ReviewCommandsTest, QuarantineWithoutStoredHeaderShowsCellsByPosition) {
  store::QuarantineEntry entry;
  entry.source_row = 3;
  entry.rule = "site_id";
  entry.message = "the site ID is missing";
  entry.round = 1;
  entry.raw_cells = {"", "5"};
  AddBatch({}, {}, {entry}, false);

  ASSERT_EQ(Run(RunQuarantineCommand, {"quarantine", "show", "1", "--operation", "demo"}), 0)
      << err_.str();
  EXPECT_NE(out_.str().find("no source header stored"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("(column 2) = 5\n"), std::string::npos) << out_.str();

  ASSERT_EQ(Run(RunQuarantineCommand, {"quarantine", "export", "--operation", "demo"}), 0);
  EXPECT_EQ(out_.str(),
            "column_1,column_2,_quarantine_rule,_quarantine_message,_source_row\n"
            ",5,site_id,the site ID is missing,3\n");
}

TEST_F(ReviewCommandsTest, RowQuarantinedTwiceIsExportedOnce) {
  store::QuarantineEntry missing;
  missing.source_row = 3;
  missing.rule = "site_unknown";
  missing.message = "S9 is not in the master list";
  missing.site_id = "S9";
  missing.raw_cells = {"S9", "5", "extra"};
  store::QuarantineEntry locked = missing;
  locked.rule = "round_locked";
  locked.message = "round 1 is locked";
  AddBatch({"site_id", "hh_total"}, {}, {missing, locked}, true);

  ASSERT_EQ(Run(RunQuarantineCommand, {"quarantine", "export", "--operation", "demo"}), 0);
  EXPECT_EQ(out_.str(),
            "site_id,hh_total,,_quarantine_rule,_quarantine_message,_source_row\n"
            "S9,5,extra,site_unknown; round_locked,S9 is not in the master list; round 1 is "
            "locked,3\n");
}

TEST_F(ReviewCommandsTest, CorrectionIsNormalisedAndUndoRestoresIt) {
  AddBatch({"site_id", "hh_total"}, {}, {}, true);
  ASSERT_EQ(Run(RunCorrectCommand, {"correct", "--operation", "demo", "--site", "S1", "--round",
                                    "1", "--set", "hh_total= 1,200 ", "--reason", "recount"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), "site S1, round 1 (SA): hh_total '10' → '1200' (cleaning-log entry 1)\n");
  Result<store::CleaningLogEntry> entry = store_->FindCleaningLogEntry(1);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->rule, "correct");
  EXPECT_EQ(entry->action, "corrected: recount");
  EXPECT_EQ(entry->who, "tester");
  EXPECT_EQ(entry->row, 2);
  EXPECT_FALSE(entry->batch_id.has_value());

  // The reason of an undo once dangled (a view of a temporary): caught by ASan.
  ASSERT_EQ(Run(RunCorrectCommand, {"correct", "--undo", "1", "--reason", " wrong site, sorry "}),
            0)
      << err_.str();
  Result<store::Submission> submission =
      store_->FindSubmission(operation_id_, "S1", 1, store::AssessmentType::kSiteAssessment);
  ASSERT_TRUE(submission.ok());
  EXPECT_EQ(submission->values[IndexOf("hh_total")], "10");
  Result<store::CleaningLogEntry> undo = store_->FindCleaningLogEntry(2);
  ASSERT_TRUE(undo.ok());
  EXPECT_EQ(undo->rule, "correct_undo");
  EXPECT_EQ(undo->action, "reverted: entry 1: wrong site, sorry");
  EXPECT_EQ(Run(RunCorrectCommand, {"correct", "--undo", "1"}), 4);
}

TEST_F(ReviewCommandsTest, ACorrectionMustMeetTheIndicatorsConstraint) {
  AddBatch({"site_id", "hh_total"}, {}, {}, true);
  EXPECT_EQ(Run(RunCorrectCommand, {"correct", "--operation", "demo", "--site", "S1", "--round",
                                    "1", "--set", "hh_total=-5", "--reason", "typo"}),
            2);
  EXPECT_NE(err_.str().find("rule constraint (hh_total): Enter a number of 0 or more."),
            std::string::npos)
      << err_.str();
  EXPECT_EQ(Run(RunCorrectCommand, {"correct", "--operation", "demo", "--site", "S1", "--round",
                                    "1", "--set", "survey_date=2999-01-01", "--reason", "typo"}),
            2);
  EXPECT_NE(err_.str().find("rule constraint (survey_date): The survey date cannot be in the "
                            "future."),
            std::string::npos)
      << err_.str();
  Result<store::Submission> submission =
      store_->FindSubmission(operation_id_, "S1", 1, store::AssessmentType::kSiteAssessment);
  ASSERT_TRUE(submission.ok());
  EXPECT_EQ(submission->values[IndexOf("hh_total")], "10");  // nothing changed, nothing logged
  EXPECT_EQ(store_->FindCleaningLogEntry(1).status().code(), StatusCode::kNotFound);

  ASSERT_EQ(Run(RunCorrectCommand, {"correct", "--operation", "demo", "--site", "S1", "--round",
                                    "1", "--set", "survey_date=2026-01-15", "--reason", "date"}),
            0)
      << err_.str();
}

// Issue 14, point 6: both were accepted without a word.
TEST_F(ReviewCommandsTest, ACorrectionThatBreaksTheSaddSumsIsRefusedUnlessForced) {
  AddBatch({"site_id", "hh_total"}, {}, {}, true,
           {{"survey_date", "2026-01-10"},
            {"ind_total", "438"},
            {"m_total", "193"},
            {"f_total", "245"},
            {"m_0_1", "10"},
            {"m_1_5", "20"},
            {"m_6_17", "60"},
            {"m_18_59", "90"},
            {"m_60plus", "13"}});
  EXPECT_EQ(Run(RunCorrectCommand, {"correct", "--operation", "demo", "--site", "S1", "--round",
                                    "1", "--set", "m_0_1=99999", "--reason", "recount"}),
            2);
  EXPECT_NE(err_.str().find("--set m_0_1=99999 refused for site S1, round 1 (SA):\n  rule "
                            "sadd_age_sum (m_total): males by age sum to 100182, but the males "
                            "total is 193"),
            std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("--force"), std::string::npos) << err_.str();
  EXPECT_EQ(Run(RunCorrectCommand, {"correct", "--operation", "demo", "--site", "S1", "--round",
                                    "1", "--set", "ind_total=3", "--reason", "recount"}),
            2);
  EXPECT_NE(err_.str().find("rule sadd_sex_sum (ind_total): males (193) + females (245) = 438, "
                            "but the total of individuals is 3"),
            std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("rule sadd_hh_ind (hh_total)"), std::string::npos) << err_.str();
  EXPECT_EQ(store_->FindCleaningLogEntry(1).status().code(), StatusCode::kNotFound);

  // Forced: stored, and the log says which rules were overridden.
  ASSERT_EQ(
      Run(RunCorrectCommand, {"correct", "--operation", "demo", "--site", "S1", "--round", "1",
                              "--set", "ind_total=3", "--reason", "field recount", "--force"}),
      0)
      << err_.str();
  EXPECT_NE(out_.str().find("ind_total '438' → '3' (cleaning-log entry 1)\nforced over rule "
                            "sadd_sex_sum (ind_total): "),
            std::string::npos)
      << out_.str();
  Result<store::CleaningLogEntry> entry = store_->FindCleaningLogEntry(1);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->rule, "correct");
  EXPECT_EQ(entry->action, "corrected, forced over sadd_sex_sum, sadd_hh_ind: field recount");
  EXPECT_EQ(entry->new_value, "3");

  // A value that is not of the type is refused even forced.
  EXPECT_EQ(Run(RunCorrectCommand, {"correct", "--operation", "demo", "--site", "S1", "--round",
                                    "1", "--set", "m_0_1=many", "--reason", "r", "--force"}),
            2);
  EXPECT_NE(err_.str().find("not even --force"), std::string::npos) << err_.str();
  // A forced correction can be undone like any other.
  ASSERT_EQ(Run(RunCorrectCommand, {"correct", "--undo", "1"}), 0) << err_.str();
  EXPECT_EQ(Run(RunCorrectCommand, {"correct", "--undo", "1", "--force"}), 2);
}

TEST_F(ReviewCommandsTest, UsageErrorsExitTwoBeforeTouchingTheDatabase) {
  EXPECT_EQ(Run(RunCorrectCommand, {"correct", "--operation", "demo", "--site", "S1", "--round",
                                    "1", "--set", "hh_total=3"}),
            2);
  EXPECT_NE(err_.str().find("--reason"), std::string::npos);
  EXPECT_EQ(Run(RunCorrectCommand, {"correct", "--undo", "abc"}), 2);
  EXPECT_EQ(
      Run(RunCleaningLogCommand, {"cleaning-log", "--operation", "demo", "--format", "table"}), 2);
  EXPECT_EQ(Run(RunQuarantineCommand, {"quarantine", "drop", "--operation", "demo"}), 2);
  EXPECT_EQ(Run(RunSubmissionsCommand,
                {"submissions", "show", "--operation", "demo", "--site", "S1", "--round", "-1"}),
            2);
  EXPECT_EQ(Run(RunIngestUndoCommand, {"ingest", "undo", "0"}), 2);
}

}  // namespace
}  // namespace opendtm::cli
