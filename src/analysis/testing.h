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
  const int index = Default().IndexOf(name);
  if (index < 0) ADD_FAILURE() << "no indicator " << name;
  return index;
}

// Every scored item of the default dictionary answered: the worst answers
// (score 100, very_high) or the best (score 0, lower).
inline std::map<std::string, std::string> ScoredAnswers(bool worst) {
  return {{"lighting", worst ? "none" : "adequate"},
          {"latrines_sex_separated", worst ? "no" : "yes"},
          {"bathing_sex_separated", worst ? "no" : "yes"},
          {"wash_lockable", worst ? "no" : "yes"},
          {"water_location", worst ? "off_site_gt20" : "on_site_lt20"},
          {"private_living_area", worst ? "none" : "gt75"},
          {"security_on_site", worst ? "no" : "yes"},
          {"security_provider", worst ? "none" : "police"},
          {"incidents_reported", worst ? "yes" : "no"},
          {"women_feel_safe", worst ? "no" : "yes"},
          {"children_feel_safe", worst ? "no" : "yes"},
          {"unsafe_areas", worst ? "latrines market water_points" : "none"},
          {"female_security_staff", worst ? "no" : "yes"},
          {"smc_exists", "yes"},
          {"smc_women_pct", worst ? "none" : "gt75"},
          {"women_committee", worst ? "no" : "yes"},
          {"women_in_distributions", worst ? "no" : "yes"},
          {"gbv_referral_mechanism", worst ? "no" : "yes"},
          {"women_friendly_spaces", worst ? "0" : "2"},
          {"cmr_available", worst ? "no" : "yes"},
          {"women_know_gbv_services", worst ? "no" : "yes"},
          {"psea_awareness", worst ? "no" : "yes"},
          {"complaints_mechanism", worst ? "no" : "yes"}};
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
