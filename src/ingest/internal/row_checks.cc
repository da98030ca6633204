#include "ingest/internal/row_checks.h"

#include <algorithm>
#include <utility>

#include "core/number.h"
#include "core/text.h"
#include "ingest/personal_data.h"
#include "store/site_area.h"

namespace opendtm::ingest::internal {
namespace {

using dictionary::Indicator;
using dictionary::ValueType;

// A site ID longer than this is not an ID but a mistake (a pasted cell).
constexpr size_t kMaxSiteIdBytes = 64;

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// A value shaped like a code rather than a place name: no spaces and at least
// one digit ("NP0301", "C-BAG-23-001"), where names are words ("Bagmati").
bool LooksLikePcode(std::string_view value) {
  bool has_digit = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') return false;
    if (c >= '0' && c <= '9') has_digit = true;
  }
  return has_digit;
}

std::optional<core::Date> ParseValidFrom(std::string_view text) {
  text = core::Trim(text);
  if (text.empty()) return std::nullopt;
  if (text.size() > 10) text = text.substr(0, 10);  // "2024-03-14T00:00:00Z"
  Result<core::Date> date = core::ParseIsoDate(text);
  if (!date.ok()) return std::nullopt;
  return *date;
}

std::string LevelWord(int level) { return "admin " + std::to_string(level); }

}  // namespace

int ValidatorPlan::IndexOf(std::string_view name) const {
  const auto& indicators = dictionary->indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    if (indicators[indicator_idx].name == name) return static_cast<int>(indicator_idx);
  }
  return -1;
}

RowCheck::RowCheck(const ValidatorPlan& plan, const MappedRow& row, RowOutcome& outcome)
    : plan_(plan),
      dictionary_(*plan.dictionary),
      context_(plan.context),
      row_(row),
      outcome_(outcome),
      cleaned_(outcome.cleaned) {
  const size_t indicator_count = dictionary_.indicators().size();
  cleaned_.resize(indicator_count);
  for (std::string& value : cleaned_) value.clear();
  was_blanked_.assign(indicator_count, 0);
  looked_personal_.assign(indicator_count, 0);
}

void RowCheck::Run() {
  ReadRow();
  JudgeRow();
}

void RowCheck::ReadRow() {
  CheckRoundLocked();
  CheckSiteId();
  ReadValues();
}

void RowCheck::JudgeRow() {
  FindSurveyDate();
  CheckAdminAreas();
  KeepMasterListArea();
  CheckGps();
  CheckFormLogic();
  CheckSaddSums();
  CheckRoundWindow();
  RaiseUrgentAlerts();
  ApplyStrict();
}

std::string_view RowCheck::Raw(int indicator_idx) const {
  return static_cast<size_t>(indicator_idx) < row_.values.size()
             ? std::string_view(row_.values[indicator_idx])
             : std::string_view();
}

Finding RowCheck::Make(int indicator_idx, std::string_view rule_id, Severity severity,
                       std::string message) const {
  Finding finding;
  finding.file = context_.file;
  finding.row = row_.line;
  if (indicator_idx >= 0) {
    if (static_cast<size_t>(indicator_idx) < row_.columns.size()) {
      finding.column = row_.columns[indicator_idx];
    }
    finding.indicator = dictionary_.indicators()[indicator_idx].name;
    if (!plan_.plans[indicator_idx].pii && !looked_personal_[indicator_idx]) {
      finding.value = std::string(Raw(indicator_idx));
    }
  }
  finding.rule = std::string(rule_id);
  finding.severity = severity;
  finding.message = std::move(message);
  return finding;
}

void RowCheck::Blank(int indicator_idx) {
  cleaned_[indicator_idx].clear();
  if (!was_blanked_[indicator_idx]) {
    was_blanked_[indicator_idx] = 1;
    outcome_.blanked.push_back(indicator_idx);
  }
}

std::optional<double> RowCheck::NumberOf(int indicator_idx) const {
  if (indicator_idx < 0 || cleaned_[indicator_idx].empty()) return std::nullopt;
  return core::ParseNumber(cleaned_[indicator_idx]);
}

void RowCheck::CheckRoundLocked() {
  if (!context_.round_locked) return;
  outcome_.AddFinding(Make(-1, rule::kRoundLocked, Severity::kError,
                           "the round is locked: no submission can be added to it"),
                      /*quarantines=*/true);
}

void RowCheck::CheckSiteId() {
  const int site_id = plan_.site_id;
  if (site_id < 0) {
    outcome_.AddFinding(Make(-1, rule::kSiteId, Severity::kError, "no column gives the site ID"),
                        true);
    return;
  }
  std::string_view id = core::Trim(Raw(site_id));
  bool has_control = std::any_of(id.begin(), id.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  if (id.empty() || IsMissingValue(id)) {
    outcome_.AddFinding(Make(site_id, rule::kSiteId, Severity::kError, "the site ID is missing"),
                        true);
    return;
  }
  if (id.size() > kMaxSiteIdBytes || has_control || !core::IsValidUtf8(id)) {
    outcome_.AddFinding(
        Make(site_id, rule::kSiteId, Severity::kError,
             "the site ID is malformed (control characters, invalid text or more than " +
                 std::to_string(kMaxSiteIdBytes) + " bytes)"),
        true);
    return;
  }
  outcome_.site_id = std::string(id);
  cleaned_[site_id] = outcome_.site_id;
  if (!context_.known_site_ids.contains(id)) {
    if (context_.register_new_sites) {
      outcome_.new_site = true;
      outcome_.AddFinding(
          Make(site_id, rule::kSiteUnknown, Severity::kInfo,
               "site " + Quoted(id) + " is not in the master list: registered as a new site"));
    } else {
      outcome_.AddFinding(Make(site_id, rule::kSiteUnknown, Severity::kError,
                               "site " + Quoted(id) +
                                   " is not in the operation's master list (register it, "
                                   "or ingest with --register-new-sites)"),
                          true);
    }
    return;
  }
  if (auto listed = context_.master_sites.find(id);
      listed != context_.master_sites.end() &&
      listed->second.status == store::SiteStatus::kClosed) {
    outcome_.AddFinding(Make(site_id, rule::kSiteClosed, Severity::kWarning,
                             "site " + Quoted(id) +
                                 " is closed in the master list: the submission is stored; "
                                 "reopen the site with dtm sites import if it is active again"));
  }
}

void RowCheck::ReadValues() {
  const size_t indicator_count = cleaned_.size();
  for (size_t index = 0; index < indicator_count; ++index) {
    const int indicator_idx = static_cast<int>(index);
    if (indicator_idx == plan_.site_id) continue;
    const IndicatorPlan& plan = plan_.plans[index];
    const Indicator& indicator = *plan.indicator;
    std::string_view value = Raw(indicator_idx);
    if (plan.pii) {
      if (!core::Trim(value).empty()) {
        outcome_.pii_dropped.push_back(indicator_idx);
        outcome_.AddFinding(
            Make(indicator_idx, rule::kPiiDropped, Severity::kInfo,
                 "personal data (" + indicator.name + ") is never stored: the value was dropped"));
      }
      continue;
    }
    if (PersonalValueKind kind = ClassifyPersonalValue(value); kind != PersonalValueKind::kNone) {
      looked_personal_[index] = 1;
      outcome_.pii_suspected.push_back(indicator_idx);
      outcome_.AddFinding(Make(indicator_idx, rule::kPiiSuspected, Severity::kWarning,
                               "the value " + std::string(DescribePersonalValue(kind)) +
                                   ": personal data is never stored, the value was blanked"));
      Blank(indicator_idx);
      continue;
    }
    if (indicator.type == ValueType::kSelectOne) {
      ReadSelectOne(indicator_idx, value);
      continue;
    }
    if (indicator.type == ValueType::kSelectMultiple) {
      ReadSelectMultiple(indicator_idx, value);
      continue;
    }
    if (IsMissingValue(value)) continue;
    std::string_view trimmed = core::Trim(value);
    switch (indicator.type) {
      case ValueType::kText:
      case ValueType::kPcode:  // checked against the gazetteer in CheckAdminAreas
        cleaned_[index] = std::string(trimmed);
        break;
      case ValueType::kInteger: {
        std::optional<int64_t> number = core::ParseInteger(trimmed);
        if (!number) {
          outcome_.AddFinding(Make(indicator_idx, rule::kType, Severity::kError,
                                   Quoted(value) + " is not a whole number"));
          Blank(indicator_idx);
        } else {
          cleaned_[index] = std::to_string(*number);
        }
        break;
      }
      case ValueType::kDecimal: {
        std::optional<double> number = core::ParseNumber(trimmed);
        const bool is_latitude = indicator_idx == plan_.latitude;
        double bound = is_latitude ? 90 : indicator_idx == plan_.longitude ? 180 : 0;
        if (!number) {
          outcome_.AddFinding(Make(indicator_idx, rule::kType, Severity::kError,
                                   Quoted(value) + " is not a number"));
          Blank(indicator_idx);
        } else if (bound > 0 && (*number < -bound || *number > bound)) {
          outcome_.AddFinding(Make(indicator_idx, rule::kType, Severity::kError,
                                   std::string(is_latitude ? "latitude " : "longitude ") +
                                       Quoted(value) + " is not in -" + core::FormatNumber(bound) +
                                       ".." + core::FormatNumber(bound)));
          Blank(indicator_idx);
        } else {
          cleaned_[index] = core::FormatNumber(*number);
        }
        break;
      }
      case ValueType::kDate:
        ReadDate(indicator_idx, trimmed);
        break;
      case ValueType::kGeopoint:
        ReadGeopoint(indicator_idx, value, trimmed);
        break;
      case ValueType::kSelectOne:
      case ValueType::kSelectMultiple:
        break;  // handled above
    }
  }
}

void RowCheck::ReadSelectOne(int indicator_idx, std::string_view value) {
  const IndicatorPlan& plan = plan_.plans[indicator_idx];
  ChoiceMatch match = plan.matcher->Match(value);
  switch (match.kind) {
    case ChoiceMatchKind::kMissing:
      break;
    case ChoiceMatchKind::kExact:
      cleaned_[indicator_idx] = match.code;
      ++outcome_.exact_choice_matches;
      break;
    case ChoiceMatchKind::kNormalised: {
      cleaned_[indicator_idx] = match.code;
      Finding finding = Make(
          indicator_idx, rule::kChoiceNormalised, Severity::kInfo,
          Quoted(value) + " read as choice " + Quoted(match.code) + " (case or spacing differs)");
      finding.suggestion = std::string(match.code);
      outcome_.AddFinding(std::move(finding));
      break;
    }
    case ChoiceMatchKind::kNoMatch: {
      std::string message =
          Quoted(value) + " is not a choice of list " + Quoted(plan.matcher->list_name());
      if (!match.suggestion.empty()) {
        message += "; did you mean " + Quoted(match.suggestion) + "?";
      }
      Finding finding = Make(indicator_idx, rule::kChoice, Severity::kError, message);
      finding.suggestion = std::string(match.suggestion);
      outcome_.AddFinding(std::move(finding));
      Blank(indicator_idx);
      break;
    }
  }
}

void RowCheck::ReadSelectMultiple(int indicator_idx, std::string_view value) {
  const IndicatorPlan& plan = plan_.plans[indicator_idx];
  SelectionMatch match = plan.matcher->MatchMultiple(value);
  if (match.missing) return;
  outcome_.exact_choice_matches += match.exact_count;
  if (!match.unmatched.empty()) {
    std::string pieces;
    std::string suggestion = match.codes;
    bool every_piece_suggested = true;
    for (const SelectionMatch::Unmatched& unmatched : match.unmatched) {
      if (!pieces.empty()) pieces += ", ";
      pieces += Quoted(unmatched.piece);
      if (!unmatched.suggestion.empty()) {
        pieces += " (did you mean " + Quoted(unmatched.suggestion) + "?)";
        if (!suggestion.empty()) suggestion += ' ';
        suggestion += unmatched.suggestion;
      } else {
        every_piece_suggested = false;
      }
    }
    Finding finding =
        Make(indicator_idx, rule::kChoice, Severity::kError,
             "not a choice of list " + Quoted(plan.matcher->list_name()) + ": " + pieces);
    if (every_piece_suggested) finding.suggestion = suggestion;
    outcome_.AddFinding(std::move(finding));
    Blank(indicator_idx);
    return;
  }
  cleaned_[indicator_idx] = match.codes;
  if (!match.normalised.empty()) {
    std::string pieces;
    for (const std::string& piece : match.normalised) {
      if (!pieces.empty()) pieces += ", ";
      pieces += Quoted(piece);
    }
    Finding finding =
        Make(indicator_idx, rule::kChoiceNormalised, Severity::kInfo,
             pieces + " read as " + Quoted(match.codes) + " (case or spacing differs)");
    finding.suggestion = match.codes;
    outcome_.AddFinding(std::move(finding));
  }
}

void RowCheck::ReadDate(int indicator_idx, std::string_view trimmed) {
  const size_t index = static_cast<size_t>(indicator_idx);
  core::DateOrder order = index < context_.date_orders.size() ? context_.date_orders[index]
                                                              : core::DateOrder::kNotNeeded;
  Result<core::Date> date = core::ParseDate(trimmed, order);
  if (date.ok()) {
    cleaned_[index] = core::ToIso(*date);
    return;
  }
  bool undecided = order != core::DateOrder::kDayFirst && order != core::DateOrder::kMonthFirst;
  if (undecided && core::ParseDate(trimmed, core::DateOrder::kDayFirst).ok() &&
      core::ParseDate(trimmed, core::DateOrder::kMonthFirst).ok()) {
    outcome_.AddFinding(Make(indicator_idx, rule::kDateAmbiguous, Severity::kWarning,
                             date.status().message() + ", and the column (" +
                                 std::string(core::DateOrderName(order)) +
                                 ") does not settle which"));
  } else {
    outcome_.AddFinding(
        Make(indicator_idx, rule::kType, Severity::kError, date.status().message()));
  }
  Blank(indicator_idx);
}

void RowCheck::ReadGeopoint(int indicator_idx, std::string_view value, std::string_view trimmed) {
  // "lat lon [altitude [accuracy]]", latitude first as ODK writes it.
  std::string collapsed = core::CollapseSpaces(trimmed);
  std::vector<std::string_view> parts = core::Split(collapsed, ' ');
  std::vector<double> numbers;
  for (std::string_view part : parts) {
    std::optional<double> number = core::ParseNumber(part);
    if (!number) break;
    numbers.push_back(*number);
  }
  if (parts.size() < 2 || parts.size() > 4 || numbers.size() != parts.size()) {
    outcome_.AddFinding(Make(indicator_idx, rule::kType, Severity::kError,
                             Quoted(value) + " is not a GPS point (latitude longitude)"));
    Blank(indicator_idx);
  } else if (numbers[0] < -90 || numbers[0] > 90 || numbers[1] < -180 || numbers[1] > 180) {
    outcome_.AddFinding(Make(indicator_idx, rule::kType, Severity::kError,
                             Quoted(value) + " is not a GPS point: latitude must be in -90..90 and "
                                             "longitude in -180..180"));
    Blank(indicator_idx);
  } else {
    std::string point;
    for (double number : numbers) {
      if (!point.empty()) point += ' ';
      point += core::FormatNumber(number);
    }
    cleaned_[indicator_idx] = std::move(point);
  }
}

void RowCheck::FindSurveyDate() {
  surveyed_.reset();
  if (plan_.survey_date < 0 || cleaned_[plan_.survey_date].empty()) return;
  Result<core::Date> date = core::ParseIsoDate(cleaned_[plan_.survey_date]);
  if (date.ok()) surveyed_ = *date;
}

void RowCheck::CheckAdminAreas() {
  if (context_.gazetteer == nullptr) return;
  for (int indicator_idx : plan_.pcode_indicators) {
    if (cleaned_[indicator_idx].empty()) continue;
    CheckAdminArea(indicator_idx);
  }
}

void RowCheck::CheckAdminArea(int indicator_idx) {
  std::string& value = cleaned_[indicator_idx];
  const IndicatorPlan& plan = plan_.plans[indicator_idx];
  const int level = plan.indicator->pcode_level;
  if (level == 0 && core::AsciiUpper(value) == core::AsciiUpper(context_.country)) {
    value = core::AsciiUpper(value);
    return;
  }
  // The parent's P-code, when the row gives one (not a name).
  std::string_view parent;
  if (plan.parent_pcode >= 0 && !cleaned_[plan.parent_pcode].empty() &&
      std::find(outcome_.admin_by_name.begin(), outcome_.admin_by_name.end(), plan.parent_pcode) ==
          outcome_.admin_by_name.end()) {
    parent = cleaned_[plan.parent_pcode];
  }
  const geo::AdminArea* area = context_.gazetteer->Find(value);
  if (area == nullptr) area = context_.gazetteer->Find(core::AsciiUpper(value));
  if (area != nullptr) {
    if (!context_.country.empty() && area->country != context_.country) {
      outcome_.AddFinding(Make(
          indicator_idx, rule::kPcodeUnknown, Severity::kError,
          "P-code " + Quoted(value) + " is in " + area->country + ", not in " + context_.country));
      Blank(indicator_idx);
    } else if (area->level != level) {
      outcome_.AddFinding(Make(indicator_idx, rule::kPcodeLevel, Severity::kError,
                               "P-code " + Quoted(value) + " is an " + LevelWord(area->level) +
                                   " area (" + area->name + "), not an " + LevelWord(level) +
                                   " one"));
      Blank(indicator_idx);
    } else if (!parent.empty() && area->parent_pcode != parent) {
      outcome_.AddFinding(Make(indicator_idx, rule::kPcodeParent, Severity::kError,
                               "P-code " + Quoted(value) + " (" + area->name + ") is in " +
                                   Quoted(area->parent_pcode) + ", not in the row's " +
                                   Quoted(parent)));
      Blank(indicator_idx);
    } else {
      value = area->pcode;
      std::optional<core::Date> valid_from = ParseValidFrom(area->valid_from);
      if (surveyed_ && valid_from && *valid_from > *surveyed_) {
        outcome_.AddFinding(Make(indicator_idx, rule::kPcodeNotYetValid, Severity::kWarning,
                                 "P-code " + Quoted(value) + " (" + area->name +
                                     ") is valid from " + core::ToIso(*valid_from) +
                                     ", after the survey date " + core::ToIso(*surveyed_)));
      }
    }
    return;
  }
  // Not a P-code: an area's name? Resolve against areas of the right
  // level, under the known parent, valid on the survey date.
  std::vector<const geo::AdminArea*> named;
  if (static_cast<size_t>(level) < plan_.areas_by_name.size()) {
    auto it = plan_.areas_by_name[level].find(core::NormalizeLabel(value));
    if (it != plan_.areas_by_name[level].end()) named = it->second;
  }
  if (!parent.empty()) {
    std::erase_if(named, [&parent](const geo::AdminArea* candidate) {
      return candidate->parent_pcode != parent;
    });
  }
  std::vector<const geo::AdminArea*> valid;
  for (const geo::AdminArea* candidate : named) {
    std::optional<core::Date> valid_from = ParseValidFrom(candidate->valid_from);
    if (surveyed_ && (!valid_from || *valid_from <= *surveyed_)) valid.push_back(candidate);
  }
  if (valid.size() == 1) {
    Finding finding =
        Make(indicator_idx, rule::kPcodeResolvedByName, Severity::kInfo,
             Quoted(value) + " resolved by name to P-code " + Quoted(valid[0]->pcode));
    finding.suggestion = valid[0]->pcode;
    outcome_.AddFinding(std::move(finding));
    value = valid[0]->pcode;
    return;
  }
  if (named.empty() && LooksLikePcode(value)) {
    outcome_.AddFinding(Make(indicator_idx, rule::kPcodeUnknown, Severity::kError,
                             Quoted(value) + " is not a known P-code of " + context_.country));
    Blank(indicator_idx);
    return;
  }
  std::string why;
  if (named.empty()) {
    why = "no " + LevelWord(level) + " area of " + context_.country + " has this name";
  } else if (valid.size() > 1) {
    why = std::to_string(valid.size()) + " " + LevelWord(level) + " areas have this name";
  } else if (!surveyed_) {
    why = "without a survey date the area's validity cannot be checked";
  } else {
    why = "no area of this name was valid on the survey date " + core::ToIso(*surveyed_) + " (" +
          named[0]->pcode + " is valid from " +
          (named[0]->valid_from.empty() ? "an unknown date" : named[0]->valid_from) + ")";
  }
  outcome_.AddFinding(Make(indicator_idx, rule::kAdminUnresolved, Severity::kInfo,
                           Quoted(value) + " kept by name: " + why));
  outcome_.admin_by_name.push_back(indicator_idx);
}

void RowCheck::KeepMasterListArea() {
  auto listed = context_.master_sites.find(outcome_.site_id);
  if (outcome_.site_id.empty() || listed == context_.master_sites.end()) return;
  std::array<std::string, 3> reported;
  for (size_t level_idx = 0; level_idx < reported.size(); ++level_idx) {
    const int indicator_idx = plan_.admin_pcodes[level_idx];
    if (indicator_idx < 0) continue;
    reported[level_idx] = cleaned_[indicator_idx].empty()
                              ? std::string(core::Trim(Raw(indicator_idx)))
                              : cleaned_[indicator_idx];
  }
  const store::SiteArea area =
      store::MasterAreaOf(listed->second, {reported[0], reported[1], reported[2]});
  for (size_t level_idx = 0; level_idx < area.size(); ++level_idx) {
    const int indicator_idx = plan_.admin_pcodes[level_idx];
    if (indicator_idx < 0) continue;
    if (!reported[level_idx].empty() && reported[level_idx] != area[level_idx]) {
      Finding finding =
          Make(indicator_idx, rule::kPcodeDiffersFromMasterList, Severity::kWarning,
               "site " + Quoted(outcome_.site_id) + " reports " + Quoted(reported[level_idx]) +
                   " but the master list has " +
                   (area[level_idx].empty() ? std::string("it in another area")
                                            : Quoted(area[level_idx])) +
                   ": the master list's area is kept (correct the master list with dtm sites "
                   "import to move the site)");
      finding.suggestion = area[level_idx];
      outcome_.AddFinding(std::move(finding));
    }
    if (area[level_idx].empty()) {
      Blank(indicator_idx);
    } else {
      cleaned_[indicator_idx] = area[level_idx];
    }
  }
}

void RowCheck::CheckGps() {
  const int latitude = plan_.latitude;
  const int longitude = plan_.longitude;
  if (context_.extent == nullptr || latitude < 0 || longitude < 0) return;
  std::optional<double> lat = NumberOf(latitude);
  std::optional<double> lon = NumberOf(longitude);
  if (!lat || !lon || context_.extent->Contains(*lat, *lon)) return;
  std::string point = cleaned_[latitude] + " " + cleaned_[longitude];
  Finding finding;
  if (context_.extent->Contains(*lon, *lat)) {
    finding = Make(latitude, rule::kGpsSwapped, Severity::kError,
                   "GPS point (" + point + ") is outside " + context_.extent->name +
                       " but inside it with latitude and longitude swapped");
    finding.suggestion = cleaned_[longitude] + " " + cleaned_[latitude];
  } else {
    finding = Make(latitude, rule::kGpsOutsideCountry, Severity::kError,
                   "GPS point (" + point + ") is outside " + context_.extent->name);
  }
  finding.value = point;
  outcome_.AddFinding(std::move(finding));
  Blank(latitude);
  Blank(longitude);
}

void RowCheck::CheckFormLogic() {
  // In dictionary order, so that a blanked answer counts as unanswered for
  // the questions after it: relevant, required, constraint.
  const size_t indicator_count = cleaned_.size();
  std::vector<std::string_view> slots(indicator_count);
  for (size_t index = 0; index < indicator_count; ++index) slots[index] = cleaned_[index];
  expr::EvaluationContext evaluation;
  evaluation.slots = slots;
  evaluation.today_days = core::DaysSinceEpoch(context_.today);
  for (size_t index = 0; index < indicator_count; ++index) {
    const int indicator_idx = static_cast<int>(index);
    const IndicatorPlan& plan = plan_.plans[index];
    if (plan.pii || indicator_idx == plan_.site_id) continue;
    const Indicator& indicator = *plan.indicator;
    evaluation.current = cleaned_[index];
    if (plan.relevant && !plan.relevant->EvaluateBoolean(evaluation)) {
      if (!cleaned_[index].empty()) {
        outcome_.AddFinding(Make(indicator_idx, rule::kNotRelevant, Severity::kWarning,
                                 "answered although the question does not apply (" +
                                     plan.relevant->text() + " is false): value dropped"));
        Blank(indicator_idx);
        slots[index] = {};
      }
      continue;
    }
    if (cleaned_[index].empty()) {
      if (was_blanked_[index]) continue;  // already reported by its own finding
      if (plan.required_always || (plan.required && plan.required->EvaluateBoolean(evaluation))) {
        outcome_.AddFinding(Make(indicator_idx, rule::kRequired, Severity::kError,
                                 indicator.name + " is required but has no answer"));
      }
      continue;
    }
    if (plan.constraint && !plan.constraint->EvaluateBoolean(evaluation)) {
      std::string message(dictionary::TextIn(indicator.constraint_message, "en"));
      if (message.empty()) {
        message = Quoted(cleaned_[index]) + " breaks the constraint " + plan.constraint->text();
      }
      outcome_.AddFinding(Make(indicator_idx, rule::kConstraint, Severity::kError, message));
      Blank(indicator_idx);
      slots[index] = {};
    }
  }
}

void RowCheck::CheckSexByAge(const std::array<int, kAgeBuckets.size()>& buckets, int total_idx,
                             std::string_view sex) {
  std::optional<double> total = NumberOf(total_idx);
  int present = 0;
  double sum = 0;
  for (int bucket_idx : buckets) {
    if (std::optional<double> number = NumberOf(bucket_idx)) {
      sum += *number;
      ++present;
    }
  }
  if (!total || present == 0 || sum == *total) return;
  outcome_.AddFinding(Make(total_idx, rule::kSaddAgeSum, Severity::kWarning,
                           std::string(sex) + " by age sum to " + core::FormatNumber(sum) +
                               ", but the " + std::string(sex) + " total is " +
                               core::FormatNumber(*total)));
}

void RowCheck::CheckSaddSums() {
  // Warnings: the values are kept.
  CheckSexByAge(plan_.m_ages, plan_.m_total, "males");
  CheckSexByAge(plan_.f_ages, plan_.f_total, "females");
  std::optional<double> males = NumberOf(plan_.m_total);
  std::optional<double> females = NumberOf(plan_.f_total);
  std::optional<double> individuals = NumberOf(plan_.ind_total);
  if (males && females && individuals && *males + *females != *individuals) {
    outcome_.AddFinding(
        Make(plan_.ind_total, rule::kSaddSexSum, Severity::kWarning,
             "males (" + core::FormatNumber(*males) + ") + females (" +
                 core::FormatNumber(*females) + ") = " + core::FormatNumber(*males + *females) +
                 ", but the total of individuals is " + core::FormatNumber(*individuals)));
  }
  std::optional<double> households = NumberOf(plan_.hh_total);
  if (households && individuals &&
      (*households > *individuals || *individuals > 20 * *households)) {
    outcome_.AddFinding(Make(plan_.hh_total, rule::kSaddHhInd, Severity::kWarning,
                             core::FormatNumber(*households) + " households for " +
                                 core::FormatNumber(*individuals) +
                                 " individuals: expected at least one and at most 20 "
                                 "individuals per household"));
  }
}

void RowCheck::CheckRoundWindow() {
  if (!surveyed_ || !((context_.round_from && *surveyed_ < *context_.round_from) ||
                      (context_.round_to && *surveyed_ > *context_.round_to))) {
    return;
  }
  std::string window = (context_.round_from ? core::ToIso(*context_.round_from) : "…") + " to " +
                       (context_.round_to ? core::ToIso(*context_.round_to) : "…");
  outcome_.AddFinding(Make(
      plan_.survey_date, rule::kDateOutsideRound, Severity::kWarning,
      "survey date " + core::ToIso(*surveyed_) + " is outside the round's dates (" + window + ")"));
}

void RowCheck::RaiseUrgentAlerts() {
  // A number above 0, or "yes", alerts the operation.
  for (int indicator_idx : plan_.urgent_indicators) {
    const std::string& value = cleaned_[indicator_idx];
    if (value.empty()) continue;
    const Indicator& indicator = dictionary_.indicators()[indicator_idx];
    bool raises = false;
    if (indicator.type == ValueType::kInteger || indicator.type == ValueType::kDecimal) {
      std::optional<double> number = core::ParseNumber(value);
      raises = number && *number > 0;
    } else if (indicator.is_select()) {
      for (std::string_view token : core::Split(value, ' ')) raises = raises || token == "yes";
    }
    if (!raises) continue;
    std::string message = std::string(dictionary::TextIn(indicator.label, "en")) + ": " + value;
    outcome_.alerts.push_back({indicator_idx, value, message});
    outcome_.AddFinding(Make(indicator_idx, rule::kUrgentAlert, Severity::kWarning,
                             "alert for the operation: " + message));
  }
}

void RowCheck::ApplyStrict() {
  if (!context_.strict || outcome_.quarantined) return;
  for (size_t finding_idx = 0; finding_idx < outcome_.findings.size(); ++finding_idx) {
    if (outcome_.findings[finding_idx].severity == Severity::kError) {
      outcome_.quarantined = true;
      outcome_.quarantine_finding = static_cast<int>(finding_idx);
      break;
    }
  }
}

}  // namespace opendtm::ingest::internal
