#include "store/records.h"

#include <array>
#include <utility>

#include "core/text.h"

namespace opendtm::store {
namespace {

template <typename Enum, size_t N>
std::string_view NameIn(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "";
}

template <typename Enum, size_t N>
std::optional<Enum> ParseIn(const std::array<std::pair<Enum, std::string_view>, N>& names,
                            std::string_view word) {
  for (const auto& [value, name] : names) {
    if (name == word) return value;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<RoundStatus, std::string_view>, 3> kRoundStatusNames = {{
    {RoundStatus::kOpen, "open"}, {RoundStatus::kClosed, "closed"}, {RoundStatus::kLocked, "locked"}}};
constexpr std::array<std::pair<AssessmentType, std::string_view>, 3> kAssessmentTypeNames = {{
    {AssessmentType::kSiteAssessment, "SA"},
    {AssessmentType::kBaselineAssessment, "BA"},
    {AssessmentType::kEmergencyEventTracking, "ETT"}}};
constexpr std::array<std::pair<AssessmentType, std::string_view>, 3> kAssessmentTypeLongNames = {{
    {AssessmentType::kSiteAssessment, "site assessment"},
    {AssessmentType::kBaselineAssessment, "baseline assessment"},
    {AssessmentType::kEmergencyEventTracking, "emergency event tracking"}}};
constexpr std::array<std::pair<SiteStatus, std::string_view>, 3> kSiteStatusNames = {{
    {SiteStatus::kOpen, "open"}, {SiteStatus::kClosed, "closed"}, {SiteStatus::kMerged, "merged"}}};
constexpr std::array<std::pair<BatchState, std::string_view>, 2> kBatchStateNames = {{
    {BatchState::kActive, "active"}, {BatchState::kUndone, "undone"}}};
constexpr std::array<std::pair<SubmissionState, std::string_view>, 4> kSubmissionStateNames = {{
    {SubmissionState::kAccepted, "accepted"},
    {SubmissionState::kQuarantined, "quarantined"},
    {SubmissionState::kReplaced, "replaced"},
    {SubmissionState::kUndone, "undone"}}};

constexpr std::array<std::pair<AlertStatus, std::string_view>, 3> kAlertStatusNames = {{
    {AlertStatus::kNew, "new"},
    {AlertStatus::kAcknowledged, "acknowledged"},
    {AlertStatus::kClosed, "closed"}}};

constexpr std::array<std::pair<Tier, std::string_view>, 4> kTierNames = {
    {{Tier::kPublic, "public"},
     {Tier::kPartner, "partner"},
     {Tier::kProtection, "protection"},
     {Tier::kOperationAdmin, "operation_admin"}}};

}  // namespace

std::string_view RoundStatusName(RoundStatus status) { return NameIn(kRoundStatusNames, status); }
std::string_view AssessmentTypeName(AssessmentType type) {
  return NameIn(kAssessmentTypeNames, type);
}
std::string_view AssessmentTypeLongName(AssessmentType type) {
  return NameIn(kAssessmentTypeLongNames, type);
}
std::string_view SiteStatusName(SiteStatus status) { return NameIn(kSiteStatusNames, status); }
std::string_view BatchStateName(BatchState state) { return NameIn(kBatchStateNames, state); }
std::string_view SubmissionStateName(SubmissionState state) {
  return NameIn(kSubmissionStateNames, state);
}

std::string_view AlertStatusName(AlertStatus status) { return NameIn(kAlertStatusNames, status); }

std::optional<RoundStatus> ParseRoundStatus(std::string_view word) {
  return ParseIn(kRoundStatusNames, word);
}
std::optional<AssessmentType> ParseAssessmentType(std::string_view word) {
  return ParseIn(kAssessmentTypeNames, core::AsciiUpper(word));
}
std::optional<SiteStatus> ParseSiteStatus(std::string_view word) {
  return ParseIn(kSiteStatusNames, word);
}
std::optional<BatchState> ParseBatchState(std::string_view word) {
  return ParseIn(kBatchStateNames, word);
}
std::optional<SubmissionState> ParseSubmissionState(std::string_view word) {
  return ParseIn(kSubmissionStateNames, word);
}

std::optional<AlertStatus> ParseAlertStatus(std::string_view word) {
  return ParseIn(kAlertStatusNames, word);
}
std::string_view TierName(Tier tier) { return NameIn(kTierNames, tier); }
std::optional<Tier> ParseTier(std::string_view word) { return ParseIn(kTierNames, word); }

}  // namespace opendtm::store
