#include "ingest/quarantine_release.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "dictionary/testing.h"
#include "ingest/site_ingest.h"
#include "store/sqlite_store.h"

namespace opendtm::ingest {
namespace {

using ::testing::SizeIs;

// S1 and S2 are listed; S8 and S9 are not (quarantined: site_unknown).
constexpr const char* kRound =
    "site/site_id,site/survey_date,population/hh_total,population/ind_total\n"
    "S1,2026-01-10,10,50\n"
    "S8,2026-01-11,4,20\n"
    "S9,2026-01-12,6,30\n"
    "S2,2026-01-13,8,40\n";

class QuarantineReleaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<store::SqliteStore>> opened =
        store::SqliteStore::Open(":memory:", *dictionary_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    Result<store::Operation> operation = store_->CreateOperation({0, "demo", "NGA", ""});
    ASSERT_TRUE(operation.ok());
    operation_id_ = operation->id;
    for (const char* site_id : {"S1", "S2"}) Register(site_id);
    scratch_ = std::filesystem::temp_directory_path() /
               ("quarantine_release_test." + std::to_string(::getpid()) + "." +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(scratch_);
    const std::string path = (scratch_ / "round1.csv").string();
    std::ofstream(path, std::ios::binary) << kRound;
    SiteIngestOptions options;
    options.path = path;
    options.operation = "demo";
    options.round = 1;
    options.who = "tester";
    options.now = "2026-02-01T10:00:00Z";
    Result<SiteIngestSummary> ingested = RunSiteIngest(*store_, *dictionary_, options);
    ASSERT_TRUE(ingested.ok()) << ingested.status().ToString();
    ASSERT_EQ(ingested->quarantined, 2);
    batch_id_ = ingested->batch_id;
  }
  void TearDown() override { std::filesystem::remove_all(scratch_); }

  void Register(const std::string& site_id) {
    store::Site site;
    site.operation_id = operation_id_;
    site.site_id = site_id;
    ASSERT_TRUE(store_->UpsertSite(site, {}).ok());
  }

  QuarantineReleaseOptions Options() const {
    QuarantineReleaseOptions options;
    options.batch_id = batch_id_;
    options.who = "imo";
    options.now = "2026-02-02T10:00:00Z";
    return options;
  }

  int64_t AcceptedCount() {
    int64_t accepted = 0;
    Result<std::vector<store::Submission>> submissions = store_->Submissions(operation_id_, 1);
    EXPECT_TRUE(submissions.ok());
    if (!submissions.ok()) return -1;
    for (const store::Submission& submission : *submissions) {
      accepted += submission.state == store::SubmissionState::kAccepted;
    }
    return accepted;
  }

  const dictionary::Dictionary* dictionary_ = &dictionary::testing::DefaultDictionary();
  std::unique_ptr<store::SqliteStore> store_;
  int64_t operation_id_ = 0;
  int64_t batch_id_ = 0;
  std::filesystem::path scratch_;
};

TEST_F(QuarantineReleaseTest, NothingPassesYetAndNothingIsWritten) {
  Result<QuarantineReleaseSummary> released = ReleaseQuarantine(*store_, *dictionary_, Options());
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_THAT(released->released, SizeIs(0));
  ASSERT_THAT(released->kept, SizeIs(2));
  EXPECT_EQ(released->kept[0].rule, "site_unknown");
  EXPECT_EQ(released->release_batch_id, 0);
  EXPECT_THAT(*store_->Batches(operation_id_), SizeIs(1));
  EXPECT_THAT(*store_->Quarantine(operation_id_, batch_id_), SizeIs(2));
}

TEST_F(QuarantineReleaseTest, ARowWhoseSiteIsNowListedIsAcceptedAndLogged) {
  Register("S8");
  Result<QuarantineReleaseSummary> released = ReleaseQuarantine(*store_, *dictionary_, Options());
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  ASSERT_THAT(released->released, SizeIs(1));
  EXPECT_EQ(released->released[0].site_id, "S8");
  EXPECT_EQ(released->released[0].source_row, 3);
  EXPECT_EQ(released->released[0].previous_rule, "site_unknown");
  ASSERT_THAT(released->kept, SizeIs(1));
  EXPECT_EQ(released->kept[0].site_id, "S9");
  EXPECT_GT(released->release_batch_id, batch_id_);

  EXPECT_EQ(AcceptedCount(), 3);
  Result<store::Submission> stored = store_->GetSubmission(released->released[0].submission_id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->state, store::SubmissionState::kAccepted);
  EXPECT_EQ(stored->batch_id, released->release_batch_id);
  EXPECT_EQ(stored->source_row, 3);
  // The verbatim row comes along; S8 leaves the quarantine list, S9 stays.
  Result<store::VerbatimRow> verbatim = store_->GetVerbatimRow(stored->id);
  ASSERT_TRUE(verbatim.ok()) << verbatim.status().ToString();
  EXPECT_EQ(verbatim->cells[0], "S8");
  Result<std::vector<store::QuarantineEntry>> left = store_->Quarantine(operation_id_, batch_id_);
  ASSERT_THAT(*left, SizeIs(1));
  EXPECT_EQ((*left)[0].site_id, "S9");
  bool logged = false;
  Result<std::vector<store::CleaningLogEntry>> log = store_->CleaningLog(operation_id_, 1);
  ASSERT_TRUE(log.ok());
  for (const store::CleaningLogEntry& entry : *log) {
    if (entry.rule == kQuarantineReleasedRule) {
      logged = true;
      EXPECT_EQ(entry.submission_id, stored->id);
      EXPECT_EQ(entry.action, "released");
      EXPECT_EQ(entry.old_value, "site_unknown");
      EXPECT_EQ(entry.who, "imo");
    }
  }
  EXPECT_TRUE(logged);

  // Again: nothing more to release; S9 still kept.
  Result<QuarantineReleaseSummary> again = ReleaseQuarantine(*store_, *dictionary_, Options());
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(again->released, SizeIs(0));
  EXPECT_THAT(again->kept, SizeIs(1));

  // Undoing the release batch puts S8 back in quarantine.
  ASSERT_TRUE(store_->UndoBatch(released->release_batch_id, "imo", "2026-02-03T00:00:00Z").ok());
  EXPECT_THAT(*store_->Quarantine(operation_id_, batch_id_), SizeIs(2));
  EXPECT_EQ(AcceptedCount(), 2);
}

TEST_F(QuarantineReleaseTest, OneRowOnlyWithRow) {
  Register("S8");
  Register("S9");
  QuarantineReleaseOptions options = Options();
  options.source_row = 4;
  Result<QuarantineReleaseSummary> released = ReleaseQuarantine(*store_, *dictionary_, options);
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  ASSERT_THAT(released->released, SizeIs(1));
  EXPECT_EQ(released->released[0].site_id, "S9");
  EXPECT_THAT(*store_->Quarantine(operation_id_, batch_id_), SizeIs(1));

  options.source_row = 2;  // S1 was accepted, never quarantined
  EXPECT_EQ(ReleaseQuarantine(*store_, *dictionary_, options).status().code(),
            StatusCode::kNotFound);
}

TEST_F(QuarantineReleaseTest, ALockedRoundKeepsItsRowsQuarantined) {
  Register("S8");
  ASSERT_TRUE(store_->SetRoundStatus(operation_id_, 1, store::RoundStatus::kLocked).ok());
  Result<QuarantineReleaseSummary> released = ReleaseQuarantine(*store_, *dictionary_, Options());
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_THAT(released->released, SizeIs(0));
  ASSERT_THAT(released->kept, SizeIs(2));
  EXPECT_EQ(released->kept[0].rule, "round_locked");
}

TEST_F(QuarantineReleaseTest, UnknownAndUndoneBatchesAreRefused) {
  QuarantineReleaseOptions options = Options();
  options.batch_id = 99;
  EXPECT_EQ(ReleaseQuarantine(*store_, *dictionary_, options).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(store_->UndoBatch(batch_id_, "imo", "2026-02-03T00:00:00Z").ok());
  EXPECT_EQ(ReleaseQuarantine(*store_, *dictionary_, Options()).status().code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace opendtm::ingest
