// Usage reports: how other clusters and agencies use an operation's data,
// counted from the audit log (spec/disclosure.md). One line per cluster,
// organisation, dataset or tier, with reads, downloads (exports), refusals,
// and rows returned; the counts are the audit log's, record for record.
//
// A record of an organisation in several clusters counts once under each of
// its clusters (the report by cluster answers "what did Protection read", so
// its lines can add up to more than the records); every other grouping counts
// each record once. Records without a value for the grouping (a refusal
// before the tier was known) count under "(none)".
//
// Thread-safety: pure functions.
#ifndef OPENDTM_AUDIT_USAGE_REPORT_H_
#define OPENDTM_AUDIT_USAGE_REPORT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace opendtm::audit {

enum class UsageGrouping { kCluster, kOrganisation, kDataset, kTier };

// "cluster", "org", "dataset", "tier" and back (nullopt for anything else).
std::string_view UsageGroupingName(UsageGrouping grouping);
std::optional<UsageGrouping> ParseUsageGrouping(std::string_view word);

struct UsageLine {
  std::string key;        // the cluster, organisation, dataset or tier
  int64_t reads = 0;      // allowed records
  int64_t downloads = 0;  // allowed records of dataset "export"
  int64_t refused = 0;    // refused records
  int64_t rows = 0;       // rows returned by allowed reads
  int64_t users = 0;      // distinct users (allowed or refused)
  std::string first;      // time of the first record
  std::string last;       // time of the last record
};

// The report over `records` (already filtered by operation and period), by
// key in byte order.
std::vector<UsageLine> UsageReport(std::span<const store::AuditRecord> records,
                                   UsageGrouping grouping);

}  // namespace opendtm::audit

#endif  // OPENDTM_AUDIT_USAGE_REPORT_H_
