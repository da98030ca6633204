#include "audit/usage_report.h"

#include <map>
#include <set>

#include "core/text.h"

namespace opendtm::audit {
namespace {

constexpr std::pair<UsageGrouping, std::string_view> kGroupingNames[] = {
    {UsageGrouping::kCluster, "cluster"},
    {UsageGrouping::kOrganisation, "org"},
    {UsageGrouping::kDataset, "dataset"},
    {UsageGrouping::kTier, "tier"}};

constexpr std::string_view kNone = "(none)";

// The keys a record counts under.
std::vector<std::string> KeysOf(const store::AuditRecord& record, UsageGrouping grouping) {
  std::vector<std::string> keys;
  switch (grouping) {
    case UsageGrouping::kCluster: {
      std::set<std::string> clusters;
      size_t start = 0;
      while (start <= record.clusters.size()) {
        size_t comma = record.clusters.find(',', start);
        if (comma == std::string::npos) comma = record.clusters.size();
        std::string cluster(
            core::Trim(std::string_view(record.clusters).substr(start, comma - start)));
        if (!cluster.empty()) clusters.insert(cluster);
        start = comma + 1;
      }
      keys.assign(clusters.begin(), clusters.end());
      break;
    }
    case UsageGrouping::kOrganisation:
      keys.push_back(record.organisation);
      break;
    case UsageGrouping::kDataset:
      keys.push_back(record.dataset);
      break;
    case UsageGrouping::kTier:
      keys.push_back(record.tier);
      break;
  }
  if (keys.empty() || (keys.size() == 1 && keys[0].empty())) keys = {std::string(kNone)};
  return keys;
}

}  // namespace

std::string_view UsageGroupingName(UsageGrouping grouping) {
  for (const auto& [value, name] : kGroupingNames) {
    if (value == grouping) return name;
  }
  return "";
}

std::optional<UsageGrouping> ParseUsageGrouping(std::string_view word) {
  for (const auto& [value, name] : kGroupingNames) {
    if (name == word) return value;
  }
  return std::nullopt;
}

std::vector<UsageLine> UsageReport(std::span<const store::AuditRecord> records,
                                   UsageGrouping grouping) {
  std::map<std::string, UsageLine> lines;
  std::map<std::string, std::set<std::string>> users;
  for (const store::AuditRecord& record : records) {
    for (const std::string& key : KeysOf(record, grouping)) {
      UsageLine& line = lines[key];
      line.key = key;
      if (record.outcome == "refused") {
        ++line.refused;
      } else {
        ++line.reads;
        if (record.dataset == "export") ++line.downloads;
        line.rows += record.rows;
      }
      users[key].insert(record.user);
      if (line.first.empty() || record.time < line.first) line.first = record.time;
      if (record.time > line.last) line.last = record.time;
    }
  }
  std::vector<UsageLine> report;
  report.reserve(lines.size());
  for (auto& [key, line] : lines) {
    line.users = static_cast<int64_t>(users[key].size());
    report.push_back(std::move(line));
  }
  return report;
}

}  // namespace opendtm::audit
