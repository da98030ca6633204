// Test helpers for analysis: an operation in an in-memory store, filled one
// batch at a time with submissions given by indicator name.
#ifndef OPENDTM_ANALYSIS_TESTING_H_
#define OPENDTM_ANALYSIS_TESTING_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dictionary/testing.h"
#include "store/sqlite_store.h"

namespace opendtm::analysis::testing {

inline const dictionary::Dictionary& Default() { return dictionary::testing::DefaultDictionary(); }

// The index of the default dictionary's indicator `name` (fails the test when absent).
inline int IndexOf(std::string_view name) {
  const auto& indicators = Default().indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    if (indicators[indicator_idx].name == name) return static_cast<int>(indicator_idx);
  }
  ADD_FAILURE() << "no indicator " << name;
  return -1;
}

// A site's answers by indicator name.
using SiteAnswers = std::vector<std::pair<std::string, std::map<std::string, std::string>>>;

class StoredOperationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<store::SqliteStore>> opened =
        store::SqliteStore::Open(":memory:", Default());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    Result<store::Operation> operation = store_->CreateOperation({0, "demo-nga", "NGA", ""});
    ASSERT_TRUE(operation.ok());
    operation_id_ = operation->id;
  }

  // One batch of the round and type, one accepted submission per site.
  void Ingest(int round, store::AssessmentType type, const SiteAnswers& sites) {
    store::Batch batch;
    batch.operation_id = operation_id_;
    batch.round = round;
    batch.assessment_type = type;
    auto ingest = store_->BeginIngest(batch);
    ASSERT_TRUE(ingest.ok()) << ingest.status().ToString();
    int64_t row = 2;
    for (const auto& [site_id, by_name] : sites) {
      store::Submission submission;
      submission.operation_id = operation_id_;
      submission.round = round;
      submission.assessment_type = type;
      submission.site_id = site_id;
      submission.source_row = row++;
      submission.state = store::SubmissionState::kAccepted;
      submission.values.resize(Default().indicators().size());
      submission.values[IndexOf("site_id")] = site_id;
      for (const auto& [name, value] : by_name) submission.values[IndexOf(name)] = value;
      ASSERT_TRUE((*ingest)->AddSubmission(submission, {}).ok());
    }
    ASSERT_TRUE((*ingest)->Commit().ok());
  }

  std::unique_ptr<store::SqliteStore> store_;
  int64_t operation_id_ = 0;
};

}  // namespace opendtm::analysis::testing

#endif  // OPENDTM_ANALYSIS_TESTING_H_
