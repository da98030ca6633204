// Corrections judged by the rules of ingest (SiteValidator::ValidateCorrection,
// CheckCorrection) and the site_closed finding (issue 14, points 6 and 7).
#include "ingest/correction_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dictionary/testing.h"
#include "ingest/site_validator.h"
#include "store/sqlite_store.h"

namespace opendtm::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using dictionary::testing::DefaultDictionary;

int IndexOf(std::string_view name) {
  const dictionary::Indicator* indicator = DefaultDictionary().FindIndicator(name);
  if (indicator == nullptr) {
    ADD_FAILURE() << "no indicator " << name;
    return 0;
  }
  return static_cast<int>(indicator - DefaultDictionary().indicators().data());
}

// A stored record (cleaned values by indicator index): site S1 of round 2,
// 193 males and 245 females in 438 individuals and 100 households, the ages
// adding up.
std::vector<std::string> StoredRecord() {
  std::vector<std::string> values(DefaultDictionary().indicators().size());
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"site_id", "S1"},
                                                        {"round", "2"},
                                                        {"survey_date", "2015-05-21"},
                                                        {"hh_total", "100"},
                                                        {"ind_total", "438"},
                                                        {"m_total", "193"},
                                                        {"f_total", "245"},
                                                        {"m_0_1", "10"},
                                                        {"m_1_5", "20"},
                                                        {"m_6_17", "60"},
                                                        {"m_18_59", "90"},
                                                        {"m_60plus", "13"},
                                                        {"f_0_1", "15"},
                                                        {"f_1_5", "30"},
                                                        {"f_6_17", "70"},
                                                        {"f_18_59", "110"},
                                                        {"f_60plus", "20"},
                                                        {"lighting", "adequate"}}) {
    values[IndexOf(name)] = value;
  }
  return values;
}

ValidationContext Context() {
  ValidationContext context;
  context.file = "correction";
  context.country = "NPL";
  context.known_site_ids = {"S1"};
  return context;
}

CorrectionOutcome Corrected(std::string_view name, std::string_view value,
                            const std::vector<std::string>& stored = StoredRecord()) {
  Result<SiteValidator> validator = SiteValidator::Create(DefaultDictionary(), Context());
  EXPECT_TRUE(validator.ok()) << validator.status().ToString();
  return validator->ValidateCorrection(stored, IndexOf(name), value, 9);
}

std::vector<std::string> Rules(const std::vector<Finding>& findings) {
  std::vector<std::string> rules;
  for (const Finding& finding : findings) rules.push_back(finding.rule);
  return rules;
}

TEST(ValidateCorrectionTest, TheStoredRecordItselfBreaksNothing) {
  CorrectionOutcome same = Corrected("ind_total", "438");
  EXPECT_THAT(same.broken, IsEmpty());
  EXPECT_TRUE(same.readable);
  EXPECT_EQ(same.value, "438");
}

// The cases: both were accepted without a word.
TEST(ValidateCorrectionTest, AnAgeGroupThatBreaksTheSexTotalIsRefused) {
  CorrectionOutcome outcome = Corrected("m_0_1", "99999");
  ASSERT_THAT(Rules(outcome.broken), ElementsAre("sadd_age_sum"));
  EXPECT_EQ(outcome.broken[0].indicator, "m_total");
  EXPECT_THAT(outcome.broken[0].message, HasSubstr("males by age sum to 100182"));
  EXPECT_EQ(outcome.broken[0].row, 9);
  EXPECT_TRUE(outcome.readable);
  EXPECT_EQ(outcome.value, "99999");
}

TEST(ValidateCorrectionTest, ATotalBelowMalesPlusFemalesIsRefused) {
  CorrectionOutcome outcome = Corrected("ind_total", "3");
  EXPECT_THAT(Rules(outcome.broken), ElementsAre("sadd_sex_sum", "sadd_hh_ind"));
  EXPECT_THAT(outcome.broken[0].message, HasSubstr("males (193) + females (245) = 438"));
  EXPECT_EQ(outcome.value, "3");
}

TEST(ValidateCorrectionTest, ValuesAreReadAsIngestReadsThem) {
  CorrectionOutcome thousands = Corrected("m_total", " 1,193 ");
  EXPECT_THAT(Rules(thousands.broken), ElementsAre("sadd_age_sum", "sadd_sex_sum"));
  EXPECT_EQ(thousands.value, "1193");
  CorrectionOutcome trimmed = Corrected("hh_total", " 99 ");
  EXPECT_THAT(trimmed.broken, IsEmpty());
  EXPECT_EQ(trimmed.value, "99");
  CorrectionOutcome label = Corrected("lighting", "No Lighting");
  EXPECT_THAT(label.broken, IsEmpty());
  EXPECT_THAT(Rules(label.notes), ElementsAre("choice_normalised"));
  EXPECT_EQ(label.value, "none");
  CorrectionOutcome missing = Corrected("lighting", "n/a");
  EXPECT_THAT(missing.broken, IsEmpty());
  EXPECT_EQ(missing.value, "");
}

TEST(ValidateCorrectionTest, AValueNotOfTheTypeIsUnreadable) {
  CorrectionOutcome words = Corrected("hh_total", "many");
  EXPECT_THAT(Rules(words.broken), ElementsAre("type"));
  EXPECT_FALSE(words.readable);
  CorrectionOutcome candles = Corrected("lighting", "candles");
  EXPECT_THAT(Rules(candles.broken), ElementsAre("choice"));
  EXPECT_FALSE(candles.readable);
}

TEST(ValidateCorrectionTest, AConstraintRefusesButAForcedValueIsTheTypedOne) {
  CorrectionOutcome outcome = Corrected("m_0_1", "-5");
  // Blanked by its constraint, the age group no longer adds up either.
  EXPECT_THAT(Rules(outcome.broken), ElementsAre("constraint", "sadd_age_sum"));
  EXPECT_EQ(outcome.broken[0].indicator, "m_0_1");
  EXPECT_TRUE(outcome.readable);
  EXPECT_EQ(outcome.value, "-5");  // what --force stores
}

TEST(ValidateCorrectionTest, WhatTheStoredRecordBrokeAlreadyIsNotTheCorrections) {
  std::vector<std::string> stored = StoredRecord();
  stored[IndexOf("ind_total")] = "500";  // sadd_sex_sum already
  EXPECT_THAT(Corrected("lighting", "none", stored).broken, IsEmpty());
  // Correcting a field of the broken sum to another wrong value is blamed.
  EXPECT_THAT(Rules(Corrected("ind_total", "501", stored).broken), ElementsAre("sadd_sex_sum"));
  // Correcting it right clears it.
  EXPECT_THAT(Corrected("ind_total", "438", stored).broken, IsEmpty());
}

TEST(ValidateCorrectionTest, AnIndicatorOutOfRangeIsUnreadable) {
  Result<SiteValidator> validator = SiteValidator::Create(DefaultDictionary(), Context());
  ASSERT_TRUE(validator.ok());
  EXPECT_FALSE(validator->ValidateCorrection(StoredRecord(), -1, "1", 9).readable);
}

// ---- site_closed (point 7) ----------------------------------------------------

TEST(SiteValidatorTest, ASubmissionForAClosedSiteIsStoredWithAWarning) {
  ValidationContext context = Context();
  store::Site closed;
  closed.site_id = "S1";
  closed.status = store::SiteStatus::kClosed;
  context.master_sites.emplace("S1", closed);
  Result<SiteValidator> validator = SiteValidator::Create(DefaultDictionary(), std::move(context));
  ASSERT_TRUE(validator.ok());
  MappedRow row;
  row.line = 4;
  row.values = StoredRecord();
  RowOutcome outcome = validator->Validate(row);
  ASSERT_THAT(Rules(outcome.findings), ElementsAre("site_closed"));
  EXPECT_EQ(outcome.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(outcome.findings[0].indicator, "site_id");
  EXPECT_THAT(outcome.findings[0].message, HasSubstr("closed in the master list"));
  EXPECT_FALSE(outcome.quarantined);
  // An open site gets nothing.
  ValidationContext open_context = Context();
  closed.status = store::SiteStatus::kOpen;
  open_context.master_sites.emplace("S1", closed);
  Result<SiteValidator> open = SiteValidator::Create(DefaultDictionary(), std::move(open_context));
  ASSERT_TRUE(open.ok());
  EXPECT_THAT(open->Validate(row).findings, IsEmpty());
}

// ---- against a store ------------------------------------------------------------

class CheckCorrectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<store::SqliteStore>> opened =
        store::SqliteStore::Open(":memory:", DefaultDictionary());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    Result<store::Operation> operation = store_->CreateOperation({0, "demo", "NPL", ""});
    ASSERT_TRUE(operation.ok()) << operation.status().ToString();
    operation_id_ = operation->id;
    store::AdminAreaRecord bagmati{"NP03", "Bagmati", 1, "NPL", "NPL", ""};
    ASSERT_TRUE(store_->UpsertAdminAreas(std::span(&bagmati, 1)).ok());
    store::Site site;
    site.operation_id = operation_id_;
    site.site_id = "S1";
    site.status = store::SiteStatus::kClosed;
    ASSERT_TRUE(store_->UpsertSite(site, {}).ok());
    store::Batch batch;
    batch.operation_id = operation_id_;
    batch.round = 2;
    batch.source_name = "round2.csv";
    batch.created_at = "2026-01-01T00:00:00Z";
    batch.who = "tester";
    Result<std::unique_ptr<store::IngestTransaction>> ingest = store_->BeginIngest(batch);
    ASSERT_TRUE(ingest.ok()) << ingest.status().ToString();
    submission_.operation_id = operation_id_;
    submission_.round = 2;
    submission_.site_id = "S1";
    submission_.source_row = 9;
    submission_.values = StoredRecord();
    const std::vector<std::string> cells = {"S1"};
    ASSERT_TRUE((*ingest)->AddSubmission(submission_, cells).ok());
    ASSERT_TRUE((*ingest)->Commit().ok());
    Result<store::Submission> stored =
        store_->FindSubmission(operation_id_, "S1", 2, store::AssessmentType::kSiteAssessment);
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    submission_ = *stored;
  }

  std::unique_ptr<store::SqliteStore> store_;
  int64_t operation_id_ = 0;
  store::Submission submission_;
};

TEST_F(CheckCorrectionTest, LoadsTheCountrysGazetteer) {
  Result<geo::Gazetteer> gazetteer = LoadCountryGazetteer(*store_, "NPL");
  ASSERT_TRUE(gazetteer.ok()) << gazetteer.status().ToString();
  ASSERT_NE(gazetteer->Find("NP03"), nullptr);
  EXPECT_EQ(gazetteer->Find("NP03")->name, "Bagmati");
  Result<geo::Gazetteer> none = LoadCountryGazetteer(*store_, "NGA");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->size(), 0u);
}

TEST_F(CheckCorrectionTest, JudgesTheStoredSubmissionByTheRulesOfIngest) {
  Result<CorrectionOutcome> refused =
      CheckCorrection(*store_, DefaultDictionary(), submission_, "ind_total", "3", {});
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  // The site is closed in the master list: that is not the correction's doing.
  EXPECT_THAT(Rules(refused->broken), ElementsAre("sadd_sex_sum", "sadd_hh_ind"));
  EXPECT_EQ(refused->broken[0].row, 9);

  // P-codes are checked against the store's gazetteer.
  Result<CorrectionOutcome> pcode =
      CheckCorrection(*store_, DefaultDictionary(), submission_, "adm1_pcode", "NP99", {});
  ASSERT_TRUE(pcode.ok());
  EXPECT_THAT(Rules(pcode->broken), ElementsAre("pcode_unknown"));
  Result<CorrectionOutcome> by_name =
      CheckCorrection(*store_, DefaultDictionary(), submission_, "adm1_pcode", "np03", {});
  ASSERT_TRUE(by_name.ok());
  EXPECT_THAT(by_name->broken, IsEmpty());
  EXPECT_EQ(by_name->value, "NP03");

  EXPECT_EQ(CheckCorrection(*store_, DefaultDictionary(), submission_, "lightning", "none", {})
                .status()
                .code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace opendtm::ingest
