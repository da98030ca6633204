#include "cli/ingest_command.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <optional>

#include "analysis/alerts.h"
#include "analysis/risk_index.h"
#include "cli/quarantine_command.h"
#include "cli/store_access.h"
#include "core/date.h"
#include "core/number.h"
#include "ingest/admin_figure_ingest.h"
#include "geo/country_extent.h"
#include "ingest/finding.h"
#include "ingest/open_source.h"
#include "ingest/site_ingest.h"

namespace opendtm::cli {
namespace {

constexpr const char* kUsage =
    "dtm ingest FILE                (DTM API / HDX admin-level figures)\n"
    "dtm ingest FILE [--operation OP [--country ISO3]] [--round N] [--type SA|BA|ETT]\n"
    "                [--mapping FILE] [--header-row N] [--sheet S] [--register-new-sites]\n"
    "                [--dry-run] [--strict] [--json] [--extents FILE] [--today DATE]";

int Usage(const Environment& environment, const std::string& problem) {
  *environment.err << "dtm ingest: " << problem << "\nusage: " << kUsage << "\n";
  return 2;
}

// The summary for a terminal: findings sampled, counts by rule.
void PrintSummary(std::ostream& out, const std::string& path, bool dry_run, bool admin_figures,
                  const ingest::SiteIngestSummary& summary) {
  for (const std::string& note : summary.notes) out << "note: " << note << "\n";
  if (summary.already_ingested_batch > 0) {
    out << path << " is already ingested";
    if (!admin_figures) out << " in round " << summary.round;
    out << " (batch " << summary.already_ingested_batch << ")";
    // Its quarantined rows are judged again (RunIngestCommand).
    out << (!admin_figures && !dry_run && summary.quarantined > 0
                ? ": accepted rows unchanged; quarantined rows judged again\n"
                : ": nothing changed\n");
    return;
  }
  for (const ingest::Finding& finding : summary.sample) {
    out << ingest::FormatFinding(finding) << "\n";
  }
  out << (dry_run ? "dry run: " : "batch " + std::to_string(summary.batch_id) + ": ")
      << summary.rows_read << (admin_figures ? " admin-level records read, " : " rows read, ")
      << summary.accepted << " accepted, " << summary.quarantined << " quarantined";
  if (!admin_figures) out << " (round " << summary.round << ")";
  out << "\n";
  for (const auto& [rule, count] : summary.findings) {
    out << "  " << rule << ": " << count.count << " on " << count.rows << " rows\n";
  }
  if (admin_figures) return;
  out << "  choices matched exactly: " << summary.exact_choice_matches
      << "; values rewritten by the mapping: " << summary.value_maps_applied
      << "; new sites: " << summary.new_sites << "; quarantined rows replaced: "
      << summary.replaced << "\n";
  if (summary.unchanged > 0) {
    out << "  " << summary.unchanged
        << " rows already stored (same submission uuid): left unchanged\n";
  }
}

// The alerts a site ingest raised: urgent values stored by its batch, and
// risk alerts (sites whose GBV risk band became very_high), both stored in
// the ingest's transaction.
struct RaisedAlerts {
  int64_t urgent = 0;
  int64_t risk = 0;
  Status problem;  // why the alerts could not be counted, if so
};

// The risk alerts of a site ingest (analysis::RiskAlertsAround), for
// SiteIngestOptions::raise_alerts: raised inside the ingest's transaction, so
// that a batch is never stored without them. A dictionary that scores
// nothing raises none. `dictionary` must outlive the ingest.
std::function<Result<std::vector<store::Alert>>(store::Store&, const store::Batch&)> RiskAlerts(
    const dictionary::Dictionary& dictionary, const ingest::SiteIngestOptions& options) {
  return [&dictionary, now = options.now, today = core::DaysSinceEpoch(options.today)](
             store::Store& store, const store::Batch& batch) -> Result<std::vector<store::Alert>> {
    Result<analysis::RiskIndex> index = analysis::RiskIndex::Create(dictionary);
    if (!index.ok()) {
      if (index.status().code() == StatusCode::kFailedPrecondition) {
        return std::vector<store::Alert>();
      }
      return index.status();
    }
    return analysis::RiskAlertsAround(store, dictionary, *index, *batch.operation_id,
                                      *batch.round, batch.assessment_type, now, today);
  };
}

// Counts the alerts the new batch stored: its urgent alerts (read back) and
// the risk alerts the ingest raised. The ingest has committed: a failure to
// read is reported in `problem`, not as the ingest's.
RaisedAlerts CountAlerts(store::Store& store, const ingest::SiteIngestSummary& summary) {
  RaisedAlerts raised;
  if (summary.batch_id <= 0) return raised;
  raised.risk = summary.raised_alerts;
  Result<store::Batch> batch = store.FindBatch(summary.batch_id);
  if (!batch.ok()) {
    raised.problem = batch.status();
    return raised;
  }
  if (!batch->operation_id) return raised;
  store::AlertFilter of_batch;
  of_batch.batch_id = summary.batch_id;
  Result<std::vector<store::Alert>> stored = store.Alerts(*batch->operation_id, of_batch);
  if (!stored.ok()) {
    raised.problem = stored.status();
    return raised;
  }
  for (const store::Alert& alert : *stored) {
    if (alert.rule == ingest::rule::kUrgentAlert) ++raised.urgent;
  }
  return raised;
}

// Ends an ingest: the progress line, then the summary (JSON or text, with the
// alerts raised when there are `alerts`), and the exit code: 0 clean or
// already ingested, 1 findings or quarantined rows, 3+ failure (of the ingest,
// or of counting its alerts after it was stored).
int Report(const CommandLine& line, const Environment& environment, const std::string& path,
           bool dry_run, bool admin_figures, bool progress,
           const Result<ingest::SiteIngestSummary>& summary,
           const std::optional<RaisedAlerts>& alerts = std::nullopt) {
  if (progress) *environment.err << "\n";
  if (!summary.ok()) return Fail(environment, summary.status());
  if (line.Switch("json")) {
    std::string json = ingest::SummaryJson(*summary);
    if (alerts) {
      nlohmann::ordered_json document = nlohmann::ordered_json::parse(json);
      document["alerts"] = {{"urgent", alerts->urgent},
                            {std::string(analysis::kRiskVeryHighRule), alerts->risk}};
      json = document.dump();
    }
    *environment.out << json << "\n";
  } else {
    PrintSummary(*environment.out, path, dry_run, admin_figures, *summary);
    if (alerts && (summary->batch_id > 0 || alerts->risk > 0)) {
      *environment.out << "  alerts raised: " << alerts->urgent << " urgent, " << alerts->risk
                       << " sites now very_high GBV risk (dtm alerts list)\n";
    }
  }
  if (alerts && !alerts->problem.ok()) {
    *environment.err << "dtm: the ingest is stored with its alerts, but they could not be "
                        "counted: "
                     << alerts->problem.message() << " (dtm alerts list shows them)\n";
    return ExitCodeFor(alerts->problem);
  }
  if (summary->already_ingested_batch > 0) return 0;
  return summary->has_problems || summary->quarantined > 0 ? 1 : 0;
}

// A file of DTM API / HDX admin-level figures carries its own operation, round
// and assessment type in every record: it needs none of the site flags.
int RunAdminFigureIngestCommand(const CommandLine& line, const Environment& environment,
                                const ingest::AdminFigureIngestOptions& options) {
  for (const char* flag : {"operation", "country", "round", "type", "mapping",
                           "register-new-sites", "strict"}) {
    if (line.Flag(flag) || line.Switch(flag)) {
      return Usage(environment, options.path +
                                    " holds DTM API admin-level figures, which carry their own "
                                    "operation, round and assessment type: --" +
                                    flag + " does not apply");
    }
  }
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  return Report(line, environment, options.path, options.dry_run, /*admin_figures=*/true,
                static_cast<bool>(options.progress),
                ingest::RunAdminFigureIngest(*opened->store, options));
}

// True when the file's header is that of admin-level figures. A file that
// cannot be opened is left to the ingest proper, which reports it.
bool IsAdminFigureFile(const std::string& path, int header_row, const std::string& sheet) {
  ingest::SourceOptions source_options;
  source_options.header_row = header_row;
  source_options.sheet = sheet;
  Result<std::unique_ptr<ingest::RowReader>> reader = ingest::OpenSource(path, source_options);
  return reader.ok() && ingest::LooksLikeAdminFigures((*reader)->header());
}

// Country boxes for GPS checks: --extents, else the Natural Earth file of the
// shared data beside the source tree.
std::string ExtentsPath(const CommandLine& line) {
  if (auto path = line.Flag("extents")) return *path;
  return std::string(OPENDTM_SOURCE_DIR) + "/../shared/data/real/country-bbox-naturalearth.csv";
}

}  // namespace

int RunIngestCommand(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags({"db", "dictionary", "operation", "country", "round",
                                           "type", "mapping", "header-row", "sheet",
                                           "register-new-sites", "dry-run", "strict", "json",
                                           "extents", "today", "as"});
      !known.ok()) {
    return Usage(environment, known.message());
  }
  if (line.positional().size() != 2) return Usage(environment, "ingest takes one FILE");

  ingest::SiteIngestOptions options;
  options.path = line.positional()[1];
  int header_row = 0;
  if (auto flag = line.Flag("header-row")) {
    std::optional<int64_t> number = core::ParseInteger(*flag);
    if (!number || *number < 1) return Usage(environment, "--header-row must be 1 or more");
    header_row = static_cast<int>(*number);
  }
  const std::string sheet = line.Flag("sheet").value_or("");
  std::function<void(int64_t)> progress;
  if (environment.err_is_terminal && !line.Switch("json")) {
    progress = [&environment](int64_t rows) {
      *environment.err << "\ringesting: " << rows << " rows" << std::flush;
    };
  }
  if (IsAdminFigureFile(options.path, header_row, sheet)) {
    ingest::AdminFigureIngestOptions figure_options;
    figure_options.path = options.path;
    figure_options.header_row = header_row;
    figure_options.sheet = sheet;
    figure_options.dry_run = line.Switch("dry-run");
    figure_options.who = environment.who;
    figure_options.now = NowIso();
    figure_options.progress = progress;
    return RunAdminFigureIngestCommand(line, environment, figure_options);
  }
  std::optional<std::string> operation = line.Flag("operation");
  if (!operation) {
    return Usage(environment,
                 "--operation NAME is required for site submissions (" + options.path +
                     " does not have the columns of DTM API admin-level figures)");
  }
  options.operation = *operation;
  options.country = line.Flag("country");
  if (auto round = line.Flag("round")) {
    std::optional<int64_t> number = core::ParseInteger(*round);
    if (!number || *number < 0) return Usage(environment, "--round must be a round number");
    options.round = static_cast<int>(*number);
  }
  if (auto type = line.Flag("type")) {
    std::optional<store::AssessmentType> parsed = store::ParseAssessmentType(*type);
    if (!parsed) return Usage(environment, "--type must be SA, BA or ETT");
    options.assessment_type = *parsed;
  }
  options.mapping_path = line.Flag("mapping").value_or("");
  options.header_row = header_row;
  options.sheet = sheet;
  options.register_new_sites = line.Switch("register-new-sites");
  options.dry_run = line.Switch("dry-run");
  options.strict = line.Switch("strict");
  options.who = environment.who;
  options.now = NowIso();
  options.today = Today();
  if (auto today = line.Flag("today")) {
    Result<core::Date> parsed = core::ParseIsoDate(*today);
    if (!parsed.ok()) return Usage(environment, "--today: " + parsed.status().message());
    options.today = *parsed;
  }

  std::optional<geo::CountryExtents> extents;
  if (std::string path = ExtentsPath(line); std::filesystem::exists(path)) {
    Result<geo::CountryExtents> loaded = geo::CountryExtents::LoadFile(path);
    if (!loaded.ok()) return Fail(environment, loaded.status());
    extents = std::move(loaded).value();
    options.extents = &*extents;
  } else if (line.Flag("extents")) {
    return Fail(environment, NotFoundError("no such file: " + path));
  }
  options.progress = progress;

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  options.raise_alerts = RiskAlerts(opened->dictionary, options);
  Result<ingest::SiteIngestSummary> summary =
      ingest::RunSiteIngest(*opened->store, opened->dictionary, options);
  std::optional<RaisedAlerts> alerts;
  if (summary.ok() && !options.dry_run) alerts = CountAlerts(*opened->store, *summary);
  const int reported = Report(line, environment, options.path, options.dry_run,
                              /*admin_figures=*/false, static_cast<bool>(options.progress),
                              summary, alerts);
  // The same file again: its quarantined rows are released when they now pass
  // (quarantine_command.h; with --json, the release reports on stderr).
  if (summary.ok() && !options.dry_run && summary->already_ingested_batch > 0 &&
      summary->quarantined > 0) {
    Environment release_environment = environment;
    if (line.Switch("json")) release_environment.out = environment.err;
    return ReleaseQuarantinedRows(line, release_environment, *opened->store,
                                  summary->already_ingested_batch, std::nullopt);
  }
  return reported;
}

}  // namespace opendtm::cli
