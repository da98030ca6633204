#include "ingest/site_ingest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "dictionary/loader.h"
#include "dictionary/testing.h"
#include "store/sqlite_store.h"

namespace opendtm::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

constexpr const char* kHeader =
    "site/site_id,site/round,site/survey_date,population/hh_total,population/ind_total,"
    "site/smc_focal_name,_uuid,_id,meta/deprecatedID\n";

// One Kobo export row: site S<n>, the given uuid/_id/deprecatedID.
std::string Row(int site, int households, const std::string& uuid, const std::string& record_id,
                const std::string& deprecated = "") {
  return "S" + std::to_string(site) + ",1,2026-01-1" + std::to_string(site % 10) + "," +
         std::to_string(households) + "," + std::to_string(households * 5) + ",Focal Person," +
         uuid + "," + record_id + "," + deprecated + "\n";
}

class SiteIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(dictionary_, nullptr);
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    scratch_ = std::filesystem::temp_directory_path() /
               ("site_ingest_test." + std::to_string(::getpid()) + "." +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(scratch_);
  }
  void TearDown() override { std::filesystem::remove_all(scratch_); }

  std::unique_ptr<store::SqliteStore> OpenStore() {
    Result<std::unique_ptr<store::SqliteStore>> opened =
        store::SqliteStore::Open(":memory:", *dictionary_);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (!opened.ok()) return nullptr;
    Result<store::Operation> operation = (*opened)->CreateOperation({0, "demo", "NGA", ""});
    EXPECT_TRUE(operation.ok()) << operation.status().ToString();
    operation_id_ = operation.ok() ? operation->id : 0;
    return std::move(*opened);
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (scratch_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  Result<SiteIngestSummary> Ingest(store::Store& store, const std::string& path,
                                   bool dry_run = false) {
    SiteIngestOptions options;
    options.path = path;
    options.operation = "demo";
    options.round = 1;
    options.register_new_sites = true;
    options.dry_run = dry_run;
    options.who = "tester";
    options.now = "2026-02-01T10:00:00Z";
    return RunSiteIngest(store, *dictionary_, options);
  }

  std::vector<store::Submission> Accepted() {
    Result<std::vector<store::Submission>> all = store_->Submissions(operation_id_, 1);
    EXPECT_TRUE(all.ok());
    std::vector<store::Submission> accepted;
    for (store::Submission& submission : *all) {
      if (submission.state == store::SubmissionState::kAccepted) accepted.push_back(submission);
    }
    return accepted;
  }

  const dictionary::Dictionary* dictionary_ = &dictionary::testing::DefaultDictionary();
  std::unique_ptr<store::SqliteStore> store_;
  int64_t operation_id_ = 0;
  std::filesystem::path scratch_;
};


int IndexOf(const dictionary::Dictionary& dictionary, const std::string& name) {
  for (size_t idx = 0; idx < dictionary.indicators().size(); ++idx) {
    if (dictionary.indicators()[idx].name == name) return static_cast<int>(idx);
  }
  return -1;
}

// Many blocks through the two threads: everything lands in file order, and a
// dry run reports exactly what the real run does.
TEST_F(SiteIngestTest, ALargeFileIsStoredInFileOrderAndTheDryRunAgrees) {
  std::string text = kHeader;
  constexpr int kRows = 3000;  // ~12 blocks between the threads
  for (int site = 1; site <= kRows; ++site) {
    // Every 97th row has no site ID (quarantined); every 50th a bad number.
    std::string row = Row(site, site % 50 == 0 ? -3 : 10 + site % 7, "u" + std::to_string(site),
                          std::to_string(site));
    if (site % 97 == 0) row = row.substr(row.find(','));
    text += row;
  }
  const std::string path = Write("big.csv", text);

  std::unique_ptr<store::SqliteStore> dry_store = OpenStore();
  Result<SiteIngestSummary> dry = Ingest(*dry_store, path, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  Result<SiteIngestSummary> real = Ingest(*store_, path);
  ASSERT_TRUE(real.ok()) << real.status().ToString();

  EXPECT_EQ(real->rows_read, kRows);
  EXPECT_EQ(real->quarantined, kRows / 97);
  EXPECT_EQ(real->accepted + real->quarantined, real->rows_read);
  EXPECT_EQ(dry->rows_read, real->rows_read);
  EXPECT_EQ(dry->accepted, real->accepted);
  EXPECT_EQ(dry->quarantined, real->quarantined);
  EXPECT_EQ(SummaryJson(*dry).substr(SummaryJson(*dry).find("\"rows_read\"")),
            SummaryJson(*real).substr(SummaryJson(*real).find("\"rows_read\"")));
  ASSERT_TRUE(real->findings.count("pii_dropped"));
  EXPECT_EQ(real->findings.at("pii_dropped").count, kRows);  // counted per cell

  // Submissions: ids rise with the source row, one per row.
  Result<std::vector<store::Submission>> all = store_->Submissions(operation_id_, 1);
  ASSERT_TRUE(all.ok());
  ASSERT_THAT(*all, SizeIs(kRows));
  for (size_t idx = 1; idx < all->size(); ++idx) {
    EXPECT_LT((*all)[idx - 1].source_row, (*all)[idx].source_row);
  }
  const int hh = IndexOf(*dictionary_, "hh_total");
  ASSERT_GE(hh, 0);
  for (const store::Submission& submission : *all) {
    const int site = static_cast<int>(submission.source_row) - 1;
    if (submission.state == store::SubmissionState::kQuarantined) {
      EXPECT_EQ(site % 97, 0) << submission.source_row;
      continue;
    }
    EXPECT_EQ(submission.site_id, "S" + std::to_string(site));
    EXPECT_EQ(submission.submission_uuid, "u" + std::to_string(site));
    EXPECT_EQ(submission.submission_key, "id:" + std::to_string(site));
    // A negative count is blanked, else stored as sent.
    EXPECT_EQ(submission.values[hh], site % 50 == 0 ? "" : std::to_string(10 + site % 7));
  }

  // The cleaning log: per-row entries in file order, each pointing at its own
  // submission; pii drops as one entry for the column.
  Result<std::vector<store::CleaningLogEntry>> log = store_->CleaningLog(operation_id_, 1);
  ASSERT_TRUE(log.ok());
  int64_t last_row = 0;
  int pii_entries = 0;
  for (const store::CleaningLogEntry& entry : *log) {
    if (entry.rule == "pii_dropped") {
      ++pii_entries;
      EXPECT_EQ(entry.row, 0);
      EXPECT_EQ(entry.column, "site/smc_focal_name");
      EXPECT_EQ(entry.old_value, "");
      EXPECT_EQ(entry.new_value, std::to_string(kRows) + " values not stored");
      EXPECT_EQ(entry.action, "dropped_pii");
      continue;
    }
    if (entry.rule == "outlier_mad") continue;  // appended after the rows
    EXPECT_GE(entry.row, last_row);
    last_row = entry.row;
    if (entry.submission_id) {
      Result<store::Submission> owner = store_->GetSubmission(*entry.submission_id);
      ASSERT_TRUE(owner.ok());
      EXPECT_EQ(owner->source_row, entry.row);
    }
  }
  EXPECT_EQ(pii_entries, 1);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

TEST_F(SiteIngestTest, ACumulativeKoboExportDownloadedAgainAddsOnlyTheNewRows) {
  const std::string first = Write("export-1.csv", std::string(kHeader) + Row(1, 10, "a1", "101") +
                                                      Row(2, 20, "a2", "102"));
  Result<SiteIngestSummary> one = Ingest(*store_, first);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->accepted, 2);

  // The next day's export: the same two submissions and a new one.
  const std::string second =
      Write("export-2.csv", std::string(kHeader) + Row(1, 10, "a1", "101") +
                                Row(2, 20, "a2", "102") + Row(3, 30, "a3", "103"));
  Result<SiteIngestSummary> two = Ingest(*store_, second);
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ(two->rows_read, 3);
  EXPECT_EQ(two->accepted, 3);
  EXPECT_EQ(two->quarantined, 0);
  EXPECT_EQ(two->unchanged, 2);
  EXPECT_EQ(two->findings.count("site_duplicate"), 0u);
  std::vector<store::Submission> accepted = Accepted();
  ASSERT_THAT(accepted, SizeIs(3));
  EXPECT_EQ(accepted[2].site_id, "S3");
  EXPECT_EQ(accepted[2].batch_id, two->batch_id);
}

TEST_F(SiteIngestTest, AnEditedSubmissionReplacesTheStoredVersionAndUndoRestoresIt) {
  const std::string first = Write("export-1.csv", std::string(kHeader) + Row(1, 10, "a1", "101") +
                                                      Row(2, 20, "a2", "102"));
  ASSERT_TRUE(Ingest(*store_, first).ok());
  const int hh = IndexOf(*dictionary_, "hh_total");

  // Site 1 edited in Enketo: new uuid, deprecatedID = the old one. Site 2
  // edited where the export carries no deprecatedID: same _id, new uuid.
  const std::string edits = Write(
      "export-2.csv", std::string(kHeader) + Row(1, 11, "b1", "101", "uuid:a1") +
                          Row(2, 22, "b2", "102"));
  Result<SiteIngestSummary> edited = Ingest(*store_, edits);
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_EQ(edited->accepted, 2);
  EXPECT_EQ(edited->quarantined, 0);
  EXPECT_EQ(edited->findings.count("site_duplicate"), 0u);
  ASSERT_EQ(edited->findings.count("submission_edited"), 1u);
  EXPECT_EQ(edited->findings.at("submission_edited").rows, 2);
  EXPECT_FALSE(edited->has_problems);

  std::vector<store::Submission> accepted = Accepted();
  ASSERT_THAT(accepted, SizeIs(2));
  EXPECT_EQ(accepted[0].submission_uuid, "b1");
  EXPECT_EQ(accepted[0].values[hh], "11");
  EXPECT_EQ(accepted[1].submission_uuid, "b2");
  EXPECT_EQ(accepted[1].values[hh], "22");
  Result<store::Submission> site1 = store_->FindSubmission(
      operation_id_, "S1", 1, store::AssessmentType::kSiteAssessment);
  ASSERT_TRUE(site1.ok());
  EXPECT_EQ(site1->submission_uuid, "b1");

  Result<std::vector<store::CleaningLogEntry>> log = store_->CleaningLog(operation_id_, 1);
  ASSERT_TRUE(log.ok());
  std::vector<std::string> replaced;
  for (const store::CleaningLogEntry& entry : *log) {
    if (entry.rule != "submission_edited") continue;
    EXPECT_EQ(entry.action, "replaced");
    replaced.push_back(entry.old_value);
  }
  EXPECT_THAT(replaced, ElementsAre("a1", "a2"));

  // Undoing the batch of edits brings the first versions back.
  ASSERT_TRUE(store_->UndoBatch(edited->batch_id, "tester", "2026-02-02T00:00:00Z").ok());
  accepted = Accepted();
  ASSERT_THAT(accepted, SizeIs(2));
  EXPECT_EQ(accepted[0].submission_uuid, "a1");
  EXPECT_EQ(accepted[1].submission_uuid, "a2");
}

TEST_F(SiteIngestTest, WithoutIdentityASecondRowForAStoredSiteIsStillADuplicate) {
  const std::string first = Write("plain-1.csv", "site_id,round,survey_date,hh_total\n"
                                                 "S1,1,2026-01-10,10\n");
  ASSERT_TRUE(Ingest(*store_, first).ok());
  const std::string second = Write("plain-2.csv", "site_id,round,survey_date,hh_total\n"
                                                  "S1,1,2026-01-11,12\n");
  Result<SiteIngestSummary> again = Ingest(*store_, second);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->quarantined, 1);
  EXPECT_EQ(again->unchanged, 0);
  EXPECT_EQ(again->findings.count("site_duplicate"), 1u);
}

// ---- writers that cannot collide (issue 14, point 3) --------------------------

// Two stores on one database file, as two `dtm ingest` processes have.
class ConcurrentSiteIngestTest : public SiteIngestTest {
 protected:
  void SetUp() override {
    SiteIngestTest::SetUp();
    db_path_ = (scratch_ / "opendtm.db").string();
    first_ = OpenFileStore();
    ASSERT_NE(first_, nullptr);
    Result<store::Operation> operation = first_->CreateOperation({0, "demo", "NGA", ""});
    ASSERT_TRUE(operation.ok()) << operation.status().ToString();
    operation_id_ = operation->id;
    second_ = OpenFileStore();
    ASSERT_NE(second_, nullptr);
  }
  void TearDown() override {
    first_.reset();
    second_.reset();
    SiteIngestTest::TearDown();
  }
  std::unique_ptr<store::SqliteStore> OpenFileStore() {
    Result<std::unique_ptr<store::SqliteStore>> opened =
        store::SqliteStore::Open(db_path_, *dictionary_);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(*opened) : nullptr;
  }
  SiteIngestOptions Options(const std::string& path) {
    SiteIngestOptions options;
    options.path = path;
    options.operation = "demo";
    options.round = 1;
    options.register_new_sites = true;
    options.who = "tester";
    options.now = "2026-02-01T10:00:00Z";
    return options;
  }
  // Runs `first_path` on the first store and, while its transaction is open
  // (from inside its raise_alerts step, after every row is written), starts
  // `second_path` on the second store, then lets the first commit. Returns
  // both summaries.
  std::pair<Result<SiteIngestSummary>, Result<SiteIngestSummary>> Race(
      const std::string& first_path, const std::string& second_path) {
    std::optional<Result<SiteIngestSummary>> second;
    std::thread second_thread;
    SiteIngestOptions first_options = Options(first_path);
    first_options.raise_alerts = [&](store::Store&, const store::Batch&)
        -> Result<std::vector<store::Alert>> {
      second_thread = std::thread([&] {
        second = RunSiteIngest(*second_, *dictionary_, Options(second_path));
      });
      // Time for the second ingest to read what is stored, as it did before
      // it waited for the write lock.
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return std::vector<store::Alert>();
    };
    Result<SiteIngestSummary> first = RunSiteIngest(*first_, *dictionary_, first_options);
    if (second_thread.joinable()) second_thread.join();
    if (!second) second = InternalError("the second ingest did not run");
    return {std::move(first), std::move(*second)};
  }
  // The round's submissions in the database: every one, or the accepted ones.
  int64_t CountOf(bool accepted_only) {
    std::unique_ptr<store::SqliteStore> reader = OpenFileStore();
    Result<std::vector<store::Submission>> all = reader->Submissions(operation_id_, 1);
    EXPECT_TRUE(all.ok());
    int64_t count = 0;
    for (const store::Submission& submission : *all) {
      if (!accepted_only || submission.state == store::SubmissionState::kAccepted) ++count;
    }
    return count;
  }

  std::string db_path_;
  std::unique_ptr<store::SqliteStore> first_;
  std::unique_ptr<store::SqliteStore> second_;
};

// Regression: two `dtm ingest` of one file started together stored every
// site twice (5 tries of 5). The second now waits for the first and finds
// its batch.
TEST_F(ConcurrentSiteIngestTest, TwoIngestsOfOneFileAtOnceStoreItOnce) {
  const std::string path = Write("round-1.csv", std::string(kHeader) + Row(1, 10, "a1", "101") +
                                                    Row(2, 20, "a2", "102") +
                                                    Row(3, 30, "a3", "103"));
  auto [first, second] = Race(path, path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(first->accepted, 3);
  EXPECT_GT(first->batch_id, 0);
  EXPECT_EQ(second->batch_id, 0);
  EXPECT_EQ(second->already_ingested_batch, first->batch_id);
  EXPECT_EQ(second->accepted, 3);  // as the batch that holds the file says
  EXPECT_EQ(CountOf(false), 3);
  Result<std::vector<store::Batch>> batches = first_->Batches(operation_id_);
  ASSERT_TRUE(batches.ok());
  EXPECT_THAT(*batches, SizeIs(1));  // the second's batch was rolled back
}

// Overlapping Kobo exports (rows of the same submissions): the second sees
// the first's rows as already stored, whichever order they end in.
TEST_F(ConcurrentSiteIngestTest, OverlappingFilesAtOnceEndAsIfRunOneAfterTheOther) {
  const std::string monday = Write("monday.csv", std::string(kHeader) + Row(1, 10, "a1", "101") +
                                                     Row(2, 20, "a2", "102"));
  const std::string tuesday =
      Write("tuesday.csv", std::string(kHeader) + Row(1, 10, "a1", "101") +
                               Row(2, 20, "a2", "102") + Row(3, 30, "a3", "103"));
  auto [first, second] = Race(monday, tuesday);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(first->accepted, 2);
  EXPECT_EQ(second->unchanged, 2);
  EXPECT_EQ(second->findings.count("site_duplicate"), 0u);
  EXPECT_EQ(CountOf(false), 3);
  EXPECT_EQ(CountOf(true), 3);
}

// The alerts raised after the rows are in are stored in the ingest's own
// transaction: its reads see the new batch, and they commit with it.
TEST_F(SiteIngestTest, RaisedAlertsAreStoredWithTheBatch) {
  const std::string path = Write("round-1.csv", std::string(kHeader) + Row(1, 10, "a1", "101") +
                                                    Row(2, 20, "a2", "102"));
  SiteIngestOptions options;
  options.path = path;
  options.operation = "demo";
  options.round = 1;
  options.register_new_sites = true;
  options.now = "2026-02-01T10:00:00Z";
  int64_t seen_in_transaction = -1;
  options.raise_alerts = [&](store::Store& store,
                             const store::Batch& batch) -> Result<std::vector<store::Alert>> {
    ASSIGN_OR_RETURN(std::vector<store::Submission> stored,
                     store.SubmissionIdentities(*batch.operation_id, *batch.round));
    seen_in_transaction = static_cast<int64_t>(stored.size());
    EXPECT_GT(batch.id, 0);
    store::Alert alert;
    alert.operation_id = *batch.operation_id;
    alert.round = *batch.round;
    alert.site_id = "S2";
    alert.rule = "risk_very_high";
    alert.value = "very_high";
    alert.created_at = options.now;
    return std::vector<store::Alert>{alert, alert};  // the second is already listed
  };
  Result<SiteIngestSummary> summary = RunSiteIngest(*store_, *dictionary_, options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(seen_in_transaction, 2);
  EXPECT_EQ(summary->raised_alerts, 1);
  store::AlertFilter of_batch;
  of_batch.batch_id = summary->batch_id;
  Result<std::vector<store::Alert>> alerts = store_->Alerts(operation_id_, of_batch);
  ASSERT_TRUE(alerts.ok());
  ASSERT_THAT(*alerts, SizeIs(1));
  EXPECT_EQ((*alerts)[0].site_id, "S2");
  EXPECT_EQ((*alerts)[0].rule, "risk_very_high");

  // Not called for a file already stored, nor for a dry run.
  bool called = false;
  options.raise_alerts = [&](store::Store&, const store::Batch&)
      -> Result<std::vector<store::Alert>> {
    called = true;
    return std::vector<store::Alert>();
  };
  ASSERT_TRUE(RunSiteIngest(*store_, *dictionary_, options).ok());
  options.dry_run = true;
  ASSERT_TRUE(RunSiteIngest(*store_, *dictionary_, options).ok());
  EXPECT_FALSE(called);
}

// A batch is never stored without its alerts: when they cannot be raised,
// nothing of the ingest is stored.
TEST_F(SiteIngestTest, AnIngestWhoseAlertsCannotBeRaisedStoresNothing) {
  const std::string path = Write("round-1.csv", std::string(kHeader) + Row(1, 10, "a1", "101"));
  SiteIngestOptions options;
  options.path = path;
  options.operation = "demo";
  options.round = 1;
  options.register_new_sites = true;
  options.raise_alerts = [](store::Store&, const store::Batch&)
      -> Result<std::vector<store::Alert>> { return InternalError("risk index broke"); };
  Result<SiteIngestSummary> summary = RunSiteIngest(*store_, *dictionary_, options);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().message(), "risk index broke");
  Result<std::vector<store::Batch>> batches = store_->Batches(operation_id_);
  ASSERT_TRUE(batches.ok());
  EXPECT_THAT(*batches, SizeIs(0));
  EXPECT_THAT(Accepted(), SizeIs(0));
  Result<std::vector<std::string>> sites = store_->SiteIds(operation_id_);
  ASSERT_TRUE(sites.ok());
  EXPECT_THAT(*sites, SizeIs(0));
}

// ---- personal data (issue 13, point 7) ---------------------------------------

// A Kobo export with columns nobody tagged: a focal point's name and phone,
// and export metadata. Row 3 has no site ID (quarantined).
constexpr const char* kKoboWithContacts =
    "start,site/site_id,site/site_name,site/round,population/hh_total,Phone of focal point,"
    "Focal point name,_uuid,_submitted_by\n"
    "2026-01-10T08:00,S1,Camp One,1,12,+977 98 4100 1234,Maya Tamang,u1,alice\n"
    "2026-01-10T09:00,S2,0770 123 456,1,15,098-765-4321,Hari Shrestha,u2,bob\n"
    "2026-01-10T10:00,,Camp Three,1,9,+977 98 4100 9999,Sita Rai,u3,bob\n";

TEST_F(SiteIngestTest, TheVerbatimCopyKeepsOnlyColumnsThatFeedAnIndicator) {
  const std::string path = Write("kobo.csv", kKoboWithContacts);
  Result<SiteIngestSummary> summary = Ingest(*store_, path);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->accepted, 2);
  EXPECT_EQ(summary->quarantined, 1);

  // The report names every dropped column, with why.
  std::vector<std::string> dropped;
  for (const DroppedColumn& column : summary->dropped_columns) {
    dropped.push_back(column.header + " (" + column.reason + ")");
  }
  EXPECT_THAT(dropped, ElementsAre("start (export metadata)",
                                   "Phone of focal point (not in the dictionary)",
                                   "Focal point name (not in the dictionary)",
                                   "_uuid (export metadata)", "_submitted_by (export metadata)"));
  EXPECT_THAT(summary->notes,
              ::testing::Contains("dropped column 'Phone of focal point' (not in the dictionary)"));
  EXPECT_THAT(SummaryJson(*summary),
              ::testing::HasSubstr(
                  R"("dropped_columns":[{"column":"start","reason":"export metadata"},)"
                  R"({"column":"Phone of focal point","reason":"not in the dictionary"},)"));

  const std::vector<std::string> kept = {"site/site_id", "site/site_name", "site/round",
                                         "population/hh_total"};
  std::vector<store::Submission> accepted = Accepted();
  ASSERT_THAT(accepted, SizeIs(2));
  Result<store::VerbatimRow> first = store_->GetVerbatimRow(accepted[0].id);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->header, kept);
  EXPECT_THAT(first->cells, ElementsAre("S1", "Camp One", "1", "12"));
  // The identity the metadata gave is kept with the submission itself.
  EXPECT_EQ(accepted[0].submission_uuid, "u1");
  EXPECT_EQ(accepted[0].enumerator, "alice");

  // Quarantined rows: the same rule.
  Result<std::vector<store::QuarantineEntry>> quarantine =
      store_->Quarantine(operation_id_, std::nullopt);
  ASSERT_TRUE(quarantine.ok());
  ASSERT_THAT(*quarantine, SizeIs(1));
  EXPECT_THAT((*quarantine)[0].raw_cells, ElementsAre("", "Camp Three", "1", "9"));
}

TEST_F(SiteIngestTest, AValueThatLooksLikeAPhoneNumberIsBlankedAndNeverRepeated) {
  const std::string path = Write("kobo.csv", kKoboWithContacts);
  Result<SiteIngestSummary> summary = Ingest(*store_, path);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_TRUE(summary->findings.count("pii_suspected"));
  EXPECT_EQ(summary->findings.at("pii_suspected").count, 1);
  for (const Finding& finding : summary->sample) {
    if (finding.rule != "pii_suspected") continue;
    EXPECT_EQ(finding.row, 3);
    EXPECT_EQ(finding.column, "site/site_name");
    EXPECT_EQ(finding.value, "");
    EXPECT_THAT(finding.message, ::testing::HasSubstr("looks like a phone number"));
    EXPECT_THAT(FormatFinding(finding), ::testing::Not(::testing::HasSubstr("0770")));
  }
  std::vector<store::Submission> accepted = Accepted();
  ASSERT_THAT(accepted, SizeIs(2));
  EXPECT_EQ(accepted[1].values[IndexOf(*dictionary_, "site_name")], "");
  Result<store::VerbatimRow> second = store_->GetVerbatimRow(accepted[1].id);
  ASSERT_TRUE(second.ok());
  EXPECT_THAT(second->cells, ElementsAre("S2", "", "1", "15"));
  Result<std::vector<store::CleaningLogEntry>> log = store_->CleaningLog(operation_id_, 1);
  ASSERT_TRUE(log.ok());
  int suspected = 0;
  for (const store::CleaningLogEntry& entry : *log) {
    EXPECT_EQ(entry.old_value.find("0770"), std::string::npos) << entry.rule;
    if (entry.rule != "pii_suspected") continue;
    ++suspected;
    EXPECT_EQ(entry.action, "blanked");
    EXPECT_EQ(entry.old_value, "");
  }
  EXPECT_EQ(suspected, 1);
}

TEST_F(SiteIngestTest, AMappingThatSendsAPhoneColumnOntoAnIndicatorIsRefused) {
  const std::string path = Write("kobo.csv", kKoboWithContacts);
  const std::string mapping =
      Write("mapping.yaml", "columns:\n  \"Phone of focal point\": site_type\n");
  SiteIngestOptions options;
  options.path = path;
  options.operation = "demo";
  options.round = 1;
  options.mapping_path = mapping;
  options.now = "2026-02-01T10:00:00Z";
  Result<SiteIngestSummary> refused = RunSiteIngest(*store_, *dictionary_, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("'Phone of focal point'"));
  Result<std::vector<store::Batch>> batches = store_->Batches(operation_id_);
  ASSERT_TRUE(batches.ok());
  EXPECT_THAT(*batches, ::testing::IsEmpty());

  // By values: a column of phone numbers under an indicator's own name.
  const std::string by_name = Write(
      "by_name.csv",
      "site_id,round,site_name\nS1,1,+977 98 4100 1234\nS2,1,098-765-4321\nS3,1,Camp\n");
  options.path = by_name;
  options.mapping_path.clear();
  refused = RunSiteIngest(*store_, *dictionary_, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("'site_name' holds phone numbers"));
  EXPECT_THAT(refused.status().message(), ::testing::Not(::testing::HasSubstr("4100")));
}

TEST(CountRowFindingsTest, CountsEachRuleOncePerRowAndEveryFinding) {
  auto finding = [](std::string rule, Severity severity) {
    Finding made;
    made.rule = std::move(rule);
    made.severity = severity;
    return made;
  };
  SiteIngestSummary summary;
  const std::vector<Finding> first = {finding("pii_dropped", Severity::kInfo),
                                      finding("choice", Severity::kWarning),
                                      finding("pii_dropped", Severity::kInfo)};
  CountRowFindings(first, summary);
  EXPECT_EQ(summary.findings["pii_dropped"].rows, 1);
  EXPECT_EQ(summary.findings["pii_dropped"].count, 2);
  EXPECT_EQ(summary.findings["choice"].rows, 1);
  EXPECT_TRUE(summary.has_problems);
  ASSERT_THAT(summary.sample, SizeIs(1));  // info findings are not shown as problems
  EXPECT_EQ(summary.sample[0].rule, "choice");

  const std::vector<Finding> second = {finding("pii_dropped", Severity::kInfo)};
  CountRowFindings(second, summary);
  EXPECT_EQ(summary.findings["pii_dropped"].rows, 2);
  EXPECT_EQ(summary.findings["pii_dropped"].count, 3);

  SiteIngestSummary clean;
  CountRowFindings(second, clean);
  EXPECT_FALSE(clean.has_problems);
}

}  // namespace
}  // namespace opendtm::ingest
