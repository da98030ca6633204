#include "ingest/batch_checks.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "core/number.h"

namespace opendtm::ingest {
namespace {

// 0.6745 is the 0.75 quantile of the standard normal: it makes the MAD
// comparable to a standard deviation (Iglewicz and Hoaglin's modified z-score).
constexpr double kMadScale = 0.6745;

int IndexOf(const dictionary::Dictionary& dictionary, std::string_view name) {
  const auto& indicators = dictionary.indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    if (indicators[indicator_idx].name == name) return static_cast<int>(indicator_idx);
  }
  return -1;
}

// The median of `values`, which it reorders. Precondition: not empty.
double Median(std::vector<double>& values) {
  size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + middle, values.end());
  double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  double lower = *std::max_element(values.begin(), values.begin() + middle);
  return (lower + upper) / 2;
}

std::optional<double> NumberAt(const RowOutcome& outcome, int indicator_idx) {
  if (indicator_idx < 0 || static_cast<size_t>(indicator_idx) >= outcome.cleaned.size()) {
    return std::nullopt;
  }
  const std::string& value = outcome.cleaned[indicator_idx];
  if (value.empty()) return std::nullopt;
  return core::ParseNumber(value);
}

}  // namespace

BatchChecker::BatchChecker(const dictionary::Dictionary& dictionary, BatchContext context)
    : dictionary_(&dictionary), context_(std::move(context)) {
  site_id_ = IndexOf(dictionary, "site_id");
  round_ = IndexOf(dictionary, "round");
  adm1_ = IndexOf(dictionary, "adm1_pcode");
  ind_total_ = IndexOf(dictionary, "ind_total");
  hh_total_ = IndexOf(dictionary, "hh_total");
}

void BatchChecker::ForgetStoredSite(std::string_view site_id) {
  if (auto it = context_.stored_site_ids.find(site_id); it != context_.stored_site_ids.end()) {
    context_.stored_site_ids.erase(it);
  }
}

void BatchChecker::Check(RowOutcome& outcome) {
  const size_t ordinal = next_ordinal_++;
  if (outcome.quarantined || outcome.site_id.empty()) return;
  auto make = [&](int indicator_idx, std::string_view rule_id, Severity severity,
                  std::string message) {
    Finding finding;
    finding.file = context_.file;
    finding.row = outcome.line;
    if (indicator_idx >= 0) {
      if (static_cast<size_t>(indicator_idx) < context_.columns.size()) {
        finding.column = context_.columns[indicator_idx];
      }
      finding.indicator = dictionary_->indicators()[indicator_idx].name;
      if (static_cast<size_t>(indicator_idx) < outcome.cleaned.size()) {
        finding.value = outcome.cleaned[indicator_idx];
      }
    }
    finding.rule = std::string(rule_id);
    finding.severity = severity;
    finding.message = std::move(message);
    return finding;
  };

  // 1. Duplicates: in the batch (per round number when rows carry one), or stored.
  std::string round_value;
  if (round_ >= 0 && static_cast<size_t>(round_) < outcome.cleaned.size()) {
    round_value = outcome.cleaned[round_];
  }
  if (context_.stored_site_ids.contains(outcome.site_id)) {
    outcome.AddFinding(make(site_id_, rule::kSiteDuplicate, Severity::kError,
                            "site '" + outcome.site_id +
                                "' already has a submission stored for this round"),
                       /*quarantines=*/true);
    return;
  }
  std::string seen_key = outcome.site_id;
  seen_key += '\0';
  seen_key += round_value;
  if (!seen_.insert(std::move(seen_key)).second) {
    outcome.AddFinding(make(site_id_, rule::kSiteDuplicate, Severity::kError,
                            "site '" + outcome.site_id +
                                "' appears earlier in this file for the same round"),
                       true);
    return;
  }

  // 2. Population change since the previous round.
  std::optional<double> individuals = NumberAt(outcome, ind_total_);
  if (individuals) {
    if (auto it = context_.previous_ind_total.find(outcome.site_id);
        it != context_.previous_ind_total.end()) {
      double before = it->second;
      double now = *individuals;
      bool grew = now >= before * context_.change_ratio;
      bool shrank = now * context_.change_ratio <= before;
      if ((grew || shrank) && std::fabs(now - before) >= context_.change_min_people) {
        outcome.AddFinding(make(ind_total_, rule::kPopulationChange, Severity::kWarning,
                                "individuals went from " + core::FormatNumber(before) +
                                    " in the previous round to " + core::FormatNumber(now)));
      }
    }
  }

  // 3. Numbers for the outlier statistics, grouped by admin 1.
  std::string group;
  if (adm1_ >= 0 && static_cast<size_t>(adm1_) < outcome.cleaned.size()) {
    group = outcome.cleaned[adm1_];
  }
  if (individuals) ind_samples_[group].push_back({ordinal, outcome.line, *individuals});
  if (std::optional<double> households = NumberAt(outcome, hh_total_)) {
    hh_samples_[group].push_back({ordinal, outcome.line, *households});
  }
}

void BatchChecker::AddOutliers(int indicator_idx,
                               std::map<std::string, std::vector<Sample>>& groups,
                               std::vector<BatchFinding>& out) const {
  if (indicator_idx < 0) return;
  const std::string& name = dictionary_->indicators()[indicator_idx].name;
  for (auto& [admin1, samples] : groups) {
    if (samples.size() < context_.outlier_min_sites) continue;
    // Counts of people are right-skewed (a few large camps among many small
    // sites), so the score is taken on log(1 + x): on the raw scale every large
    // camp would be an "outlier".
    auto scale = [](double value) { return std::log1p(std::max(value, 0.0)); };
    std::vector<double> values;
    values.reserve(samples.size());
    for (const Sample& sample : samples) values.push_back(scale(sample.value));
    double median_scaled = Median(values);
    for (double& value : values) value = std::fabs(value - median_scaled);
    double mad = Median(values);
    if (mad == 0) continue;
    double median = std::round(std::expm1(median_scaled));
    for (const Sample& sample : samples) {
      double z = kMadScale * (scale(sample.value) - median_scaled) / mad;
      if (std::fabs(z) <= context_.outlier_z) continue;
      Finding finding;
      finding.file = context_.file;
      finding.row = sample.line;
      if (static_cast<size_t>(indicator_idx) < context_.columns.size()) {
        finding.column = context_.columns[indicator_idx];
      }
      finding.indicator = name;
      finding.rule = std::string(rule::kOutlierMad);
      finding.severity = Severity::kWarning;
      finding.value = core::FormatNumber(sample.value);
      finding.message = name + " " + core::FormatNumber(sample.value) +
                        " is far from the other sites of admin 1 '" + admin1 +
                        "' (median " + core::FormatNumber(median) + ", modified z-score " +
                        core::FormatNumber(std::round(z * 10) / 10) + ")";
      out.push_back({sample.row_ordinal, std::move(finding)});
    }
  }
}

std::vector<BatchFinding> BatchChecker::Finish() {
  std::vector<BatchFinding> out;
  AddOutliers(ind_total_, ind_samples_, out);
  AddOutliers(hh_total_, hh_samples_, out);
  std::stable_sort(out.begin(), out.end(), [](const BatchFinding& a, const BatchFinding& b) {
    return a.row_ordinal < b.row_ordinal;
  });
  ind_samples_.clear();
  hh_samples_.clear();
  return out;
}

void CheckBatch(const dictionary::Dictionary& dictionary, BatchContext context,
                std::span<RowOutcome> outcomes) {
  BatchChecker checker(dictionary, std::move(context));
  for (RowOutcome& outcome : outcomes) checker.Check(outcome);
  for (BatchFinding& batch_finding : checker.Finish()) {
    outcomes[batch_finding.row_ordinal].AddFinding(std::move(batch_finding.finding));
  }
}

}  // namespace opendtm::ingest
