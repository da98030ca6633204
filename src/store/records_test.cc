#include "store/records.h"

#include <gtest/gtest.h>

namespace opendtm::store {
namespace {

TEST(RecordsTest, AssessmentTypesRoundTripAndIgnoreCase) {
  for (AssessmentType type : {AssessmentType::kSiteAssessment, AssessmentType::kBaselineAssessment,
                              AssessmentType::kEmergencyEventTracking}) {
    EXPECT_EQ(ParseAssessmentType(AssessmentTypeName(type)), type);
    EXPECT_FALSE(AssessmentTypeLongName(type).empty());
  }
  EXPECT_EQ(AssessmentTypeName(AssessmentType::kBaselineAssessment), "BA");
  EXPECT_EQ(ParseAssessmentType("ett"), AssessmentType::kEmergencyEventTracking);
  EXPECT_EQ(ParseAssessmentType("sa"), AssessmentType::kSiteAssessment);
  EXPECT_EQ(ParseAssessmentType("BA+SA"), std::nullopt);
  EXPECT_EQ(ParseAssessmentType(""), std::nullopt);
}

TEST(RecordsTest, StatesRoundTrip) {
  for (RoundStatus status : {RoundStatus::kOpen, RoundStatus::kClosed, RoundStatus::kLocked}) {
    EXPECT_EQ(ParseRoundStatus(RoundStatusName(status)), status);
  }
  for (SiteStatus status : {SiteStatus::kOpen, SiteStatus::kClosed, SiteStatus::kMerged}) {
    EXPECT_EQ(ParseSiteStatus(SiteStatusName(status)), status);
  }
  for (BatchState state : {BatchState::kActive, BatchState::kUndone}) {
    EXPECT_EQ(ParseBatchState(BatchStateName(state)), state);
  }
  for (SubmissionState state : {SubmissionState::kAccepted, SubmissionState::kQuarantined,
                                SubmissionState::kReplaced, SubmissionState::kUndone}) {
    EXPECT_EQ(ParseSubmissionState(SubmissionStateName(state)), state);
  }
  EXPECT_EQ(SubmissionStateName(SubmissionState::kQuarantined), "quarantined");
  EXPECT_EQ(ParseRoundStatus("Locked"), std::nullopt);
  EXPECT_EQ(ParseSiteStatus("gone"), std::nullopt);
}

TEST(RecordsTest, AlertStatusesRoundTrip) {
  for (AlertStatus status : {AlertStatus::kNew, AlertStatus::kAcknowledged, AlertStatus::kClosed}) {
    EXPECT_EQ(ParseAlertStatus(AlertStatusName(status)), status);
  }
  EXPECT_EQ(AlertStatusName(AlertStatus::kAcknowledged), "acknowledged");
  EXPECT_EQ(ParseAlertStatus("ack"), std::nullopt);
  EXPECT_EQ(ParseAlertStatus("New"), std::nullopt);
}

}  // namespace
}  // namespace opendtm::store
