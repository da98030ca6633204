#include "cli/quarantine_command.h"

#include <filesystem>
#include <string>

#include "cli/disclosed_read.h"
#include "cli/store_access.h"
#include "core/number.h"
#include "geo/country_extent.h"
#include "ingest/quarantine_release.h"

namespace opendtm::cli {
namespace {

constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

constexpr const char* kUsage =
    "dtm quarantine release --batch N [--row R] [--operation OP [--country ISO3]] [--strict]\n"
    "                       [--extents FILE] [--as USER]";

int Usage(const Environment& environment, const std::string& problem) {
  *environment.err << "dtm quarantine release: " << problem << "\nusage: " << kUsage << "\n";
  return kExitUsage;
}

// Country boxes for the GPS checks: --extents, else the Natural Earth file of
// the shared data beside the source tree (as `dtm ingest`); none when absent.
Result<std::optional<geo::CountryExtents>> LoadExtents(const CommandLine& line) {
  std::optional<std::string> given = line.Flag("extents");
  const std::string path = given.value_or(std::string(OPENDTM_SOURCE_DIR) +
                                          "/../shared/data/real/country-bbox-naturalearth.csv");
  if (!given && !std::filesystem::exists(path)) return std::optional<geo::CountryExtents>();
  ASSIGN_OR_RETURN(geo::CountryExtents extents, geo::CountryExtents::LoadFile(path));
  return std::optional<geo::CountryExtents>(std::move(extents));
}

void PrintRelease(const Environment& environment, const ingest::QuarantineReleaseSummary& summary) {
  std::ostream& out = *environment.out;
  for (const ingest::ReleasedRow& row : summary.released) {
    out << "row " << row.source_row << " (site " << row.site_id << "): released (was "
        << row.previous_rule << "), submission " << row.submission_id << "\n";
  }
  for (const ingest::KeptRow& row : summary.kept) {
    out << "row " << row.source_row << " (site " << (row.site_id.empty() ? "-" : row.site_id)
        << "): still quarantined: " << row.rule << ": " << row.message << "\n";
  }
  out << "batch " << summary.batch_id << " (round " << summary.round
      << "): " << summary.released.size() << " quarantined rows released";
  if (summary.release_batch_id > 0) out << " into batch " << summary.release_batch_id;
  out << ", " << summary.kept.size() << " still quarantined\n";
}

}  // namespace

int ReleaseQuarantinedRows(const CommandLine& line, const Environment& environment,
                           store::Store& store, int64_t batch_id, std::optional<int64_t> row) {
  // 1. The batch's operation, which --operation must name when given.
  Result<store::Batch> batch = store.FindBatch(batch_id);
  if (!batch.ok()) return Fail(environment, batch.status());
  if (!batch->operation_id) {
    return Fail(environment, FailedPreconditionError(
                                 "batch " + std::to_string(batch_id) +
                                 " holds admin-level figures, not site submissions: ingest a "
                                 "corrected file instead"));
  }
  Result<store::Operation> operation = store.GetOperation(*batch->operation_id);
  if (!operation.ok()) return Fail(environment, operation.status());
  if (line.Flag("operation")) {
    Result<store::Operation> named = ResolveOperation(store, line);
    if (!named.ok()) return Fail(environment, named.status());
    if (named->id != operation->id) {
      return Fail(environment,
                  InvalidArgumentError("batch " + std::to_string(batch_id) + " is not of '" +
                                       named->name + "' but of '" + operation->name + "'"));
    }
  }

  // 2. The operation_admin's write, refused and audited otherwise.
  ReadNeeds needs{"quarantine release", store::Tier::kOperationAdmin,
                  "accepting quarantined rows is the operation's admins' write", false};
  Result<DisclosedRead> write =
      DisclosedRead::Open(store, environment, line, *operation, needs, RequestFilters(line));
  if (!write.ok()) return Fail(environment, write.status());

  // 3. The release, with the operation's own dictionary.
  Result<dictionary::Dictionary> dictionary = LoadOperationDictionary(store, operation->id);
  if (!dictionary.ok()) return Fail(environment, dictionary.status());
  Result<std::optional<geo::CountryExtents>> extents = LoadExtents(line);
  if (!extents.ok()) return Fail(environment, extents.status());
  ingest::QuarantineReleaseOptions options;
  options.batch_id = batch_id;
  options.source_row = row;
  options.strict = line.Switch("strict");
  options.extents = *extents ? &**extents : nullptr;
  options.who = ActingUser(line);
  options.now = NowIso();
  options.today = Today();
  Result<ingest::QuarantineReleaseSummary> summary =
      ingest::ReleaseQuarantine(store, *dictionary, options);
  if (!summary.ok()) return Fail(environment, summary.status());
  if (Status audited =
          write->FinishWithHash(static_cast<int64_t>(summary->released.size()), 0, "", "");
      !audited.ok()) {
    return Fail(environment, audited);
  }
  PrintRelease(environment, *summary);
  return summary->kept.empty() ? 0 : kExitFindings;
}

int RunQuarantineReleaseCommand(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags(
          {"db", "dictionary", "operation", "country", "batch", "row", "strict", "extents", "as"});
      !known.ok()) {
    return Usage(environment, known.message());
  }
  if (line.positional().size() != 2) return Usage(environment, "release takes no other words");
  std::optional<std::string> batch_text = line.Flag("batch");
  if (!batch_text) return Usage(environment, "--batch N is required");
  std::optional<int64_t> batch_id = core::ParseInteger(*batch_text);
  if (!batch_id || *batch_id < 1) return Usage(environment, "--batch must be a batch number");
  std::optional<int64_t> row;
  if (std::optional<std::string> row_text = line.Flag("row")) {
    row = core::ParseInteger(*row_text);
    if (!row || *row < 1) return Usage(environment, "--row must be a source row number");
  }
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  return ReleaseQuarantinedRows(line, environment, *opened->store, *batch_id, row);
}

}  // namespace opendtm::cli
