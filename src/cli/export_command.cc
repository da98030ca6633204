#include "cli/export_command.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/admin_figures.h"
#include "analysis/frame.h"
#include "analysis/rollup.h"
#include "cli/disclosed_read.h"
#include "cli/operation_release.h"
#include "cli/pending_output.h"
#include "cli/site_data_release.h"
#include "cli/store_access.h"
#include "disclosure/admin_figure_release.h"
#include "disclosure/policy.h"
#include "disclosure/release.h"
#include "disclosure/release_builder.h"
#include "publish/csv_export.h"
#include "publish/dtm_api_export.h"
#include "publish/geojson_export.h"
#include "publish/json_export.h"
#include "publish/suppression_report.h"
#include "publish/xlsx_export.h"

namespace opendtm::cli {
namespace {

constexpr int kExitUsage = 2;

constexpr const char* kUsage =
    "dtm export (--operation OP | --country ISO3) --round N|A-B|all --level L[,L…]\n"
    "           --tier T --format csv|hxl|xlsx|geojson|json|dtm-api -o FILE --purpose TEXT\n"
    "           [--as USER] [--no-hxl-row] [--verify] [--db PATH]";

int Usage(const Environment& environment, const std::string& problem) {
  *environment.err << "dtm export: " << problem << "\nusage: " << kUsage << "\n";
  return kExitUsage;
}

Result<std::vector<analysis::Level>> ParseLevels(const CommandLine& line) {
  std::vector<analysis::Level> levels;
  for (const std::string& name : line.ListFlag("level")) {
    std::optional<analysis::Level> level;
    for (analysis::Level each :
         {analysis::Level::kSite, analysis::Level::kAdmin3, analysis::Level::kAdmin2,
          analysis::Level::kAdmin1, analysis::Level::kCountry}) {
      if (analysis::LevelName(each) == name) level = each;
    }
    if (name == "admin0") level = analysis::Level::kCountry;
    if (!level) {
      return InvalidArgumentError("--level " + name +
                                  ": levels are site, admin3, admin2, admin1 and country");
    }
    if (std::find(levels.begin(), levels.end(), *level) == levels.end()) levels.push_back(*level);
  }
  if (levels.empty()) return InvalidArgumentError("--level L[,L…] is required");
  std::sort(levels.begin(), levels.end());  // finest first
  return levels;
}

// The operations of --operation, or every operation of --country.
Result<std::vector<store::Operation>> ExportedOperations(store::Store& store,
                                                         const CommandLine& line) {
  if (line.Flag("operation")) {
    ASSIGN_OR_RETURN(store::Operation operation, ResolveOperation(store, line));
    return std::vector<store::Operation>{operation};
  }
  std::optional<std::string> country = line.Flag("country");
  if (!country) return InvalidArgumentError("--operation OP or --country ISO3 is required");
  ASSIGN_OR_RETURN(std::vector<store::Operation> all, store.ListOperations());
  std::vector<store::Operation> operations;
  for (const store::Operation& operation : all) {
    if (operation.country == *country) operations.push_back(operation);
  }
  if (operations.empty()) return NotFoundError("no operation in " + *country);
  return operations;
}

int AdminLevelOf(analysis::Level level) { return analysis::AdminOfLevel(level); }

// One operation's part of the export, and its open read.
struct OperationPart {
  store::Operation operation;
  DisclosedRead read;
  int64_t rows = 0;
  std::string empty_reason;  // why it has no row, when it has none
};

// An export that would be empty is refused with its reasons (exit 1), each
// operation's read audited as refused: a file with a header and no row
// looks like an answer ("nothing there") when it is not one.
int RefuseEmpty(std::vector<OperationPart>& parts, const Environment& environment) {
  std::string reasons;
  for (const OperationPart& part : parts) {
    if (part.empty_reason.empty()) continue;
    if (!reasons.empty()) reasons += "; ";
    reasons += part.empty_reason;
  }
  if (reasons.empty()) reasons = "no row to write";
  const Status refusal = FailedPreconditionError("nothing to export: " + reasons);
  for (OperationPart& part : parts) {
    if (Status audited = part.read.Refuse(refusal); audited.code() != refusal.code()) {
      return Fail(environment, audited);
    }
  }
  *environment.err << "dtm export: " << refusal.message() << "\n";
  return 1;
}

// Prints the --verify line; exit 1 with the violations listed when any.
int ReportVerification(const disclosure::ProtectionAuditReport& audit,
                       const Environment& environment) {
  char seconds[32];
  std::snprintf(seconds, sizeof(seconds), "%.2f", audit.seconds);
  *environment.out << "verify: " << audit.protected_cells << " protected cells, "
                   << audit.violations.size() << " violations, in " << seconds << " s\n";
  auto bound = [](int64_t value) {
    if (value == disclosure::kUnbounded) return std::string("inf");
    if (value == disclosure::kNoFloor) return std::string("-inf");
    return std::to_string(value);
  };
  for (const disclosure::ProtectionViolation& violation : audit.violations) {
    *environment.out << "  " << violation.cell << ": v " << violation.value << ", p "
                     << violation.protection << ", L " << bound(violation.lower_bound) << ", U "
                     << bound(violation.upper_bound) << ", a reader deduces "
                     << bound(violation.min) << " .. " << bound(violation.max) << "\n";
  }
  return audit.violations.empty() ? 0 : 1;
}

}  // namespace

int RunExportCommand(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags({"db", "dictionary", "operation", "country", "round",
                                           "level", "tier", "format", "output", "purpose", "as",
                                           "no-hxl-row", "verify"});
      !known.ok()) {
    return Usage(environment, known.message());
  }
  if (line.positional().size() != 1) return Usage(environment, "export takes no arguments");
  const std::string format = line.Flag("format").value_or("");
  if (format != "csv" && format != "hxl" && format != "xlsx" && format != "geojson" &&
      format != "json" && format != "dtm-api") {
    return Usage(environment, "--format must be csv, hxl, xlsx, geojson, json or dtm-api");
  }
  std::optional<std::string> output = line.Flag("output");
  if (!output) return Usage(environment, "-o FILE is required");
  if (!line.Flag("round")) return Usage(environment, "--round N|A-B|all is required");
  Result<std::vector<analysis::Level>> levels = ParseLevels(line);
  if (!levels.ok()) return Usage(environment, levels.status().message());
  if (format == "dtm-api" && (levels->size() != 1 || AdminLevelOf(levels->front()) < 0)) {
    return Usage(environment,
                 "dtm-api answers one level: country (admin0), admin1 or admin2, as the API's "
                 "endpoints do");
  }

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  Result<std::vector<store::Operation>> operations = ExportedOperations(store, line);
  if (!operations.ok()) return Fail(environment, operations.status());

  // 1. Grant each operation's read (refusals are audited), and check the
  // levels against the tier's rules.
  std::vector<OperationPart> parts;
  for (const store::Operation& operation : *operations) {
    ReadNeeds needs{"export", store::Tier::kPublic, "", /*download=*/true};
    Result<DisclosedRead> read =
        DisclosedRead::Open(store, environment, line, operation, needs, RequestFilters(line));
    if (!read.ok()) return Fail(environment, read.status());
    for (analysis::Level level : *levels) {
      if (!disclosure::LevelVisible(read->rules(), level)) {
        return Fail(environment, read->Refuse(LevelRefusal(read->rules(), level)));
      }
    }
    parts.push_back({operation, std::move(*read), 0, ""});
  }

  // 2. The release: of stored admin-level figures (dtm-api), else of the
  // operations' site submissions, built for the tier, written beside the
  // output (removed on every path that returns before step 3 renames it).
  Result<PendingOutput> pending = PendingOutput::Create(*output, environment);
  if (!pending.ok()) return Fail(environment, pending.status());
  publish::ExportSummary summary;
  std::string text;
  std::string note;
  std::optional<disclosure::ProtectionAuditReport> verified;
  if (format == "dtm-api") {
    // Each operation's figures are released with that operation's tier and
    // policy (a user may hold different tiers for the operations of a
    // country), then put back in the order they were stored (the order of
    // the files ingested), across operations.
    disclosure::AdminFigureRelease merged;
    std::vector<std::pair<int64_t, disclosure::ReleasedAdminFigure>> ordered;
    for (OperationPart& part : parts) {
      Result<std::vector<store::AdminFigure>> stored = store.AdminFigures(part.operation.id);
      if (!stored.ok()) return Fail(environment, stored.status());
      // Admin-level figures name their rounds without the operation having
      // rounds of site data: "all" is every stored figure.
      Result<std::pair<int, int>> rounds =
          *line.Flag("round") == "all"
              ? Result<std::pair<int, int>>(std::pair<int, int>{0, 1'000'000})
              : RoundRange(*line.Flag("round"), store, part.operation.id);
      if (!rounds.ok()) return Usage(environment, rounds.status().message());
      std::vector<store::AdminFigure> figures;
      for (store::AdminFigure& figure : *stored) {
        if (figure.round < rounds->first || figure.round > rounds->second) continue;
        if (figure.admin_level == AdminLevelOf(levels->front())) ++part.rows;
        figures.push_back(std::move(figure));
      }
      if (part.rows == 0) {
        part.empty_reason = "'" + part.operation.name + "' has no admin-level figure at " +
                            std::string(analysis::LevelName(levels->front())) + " in round(s) " +
                            *line.Flag("round");
      }
      Result<disclosure::AdminFigureRelease> release =
          disclosure::ReleaseAdminFigures(figures, part.read.policy(), part.read.tier());
      if (!release.ok()) {
        if (release.status().code() == StatusCode::kPermissionDenied) {
          return Fail(environment, part.read.Refuse(release.status()));
        }
        return Fail(environment, release.status());
      }
      // ReleaseAdminFigures keeps the order it was given.
      for (size_t figure_idx = 0; figure_idx < figures.size(); ++figure_idx) {
        ordered.emplace_back(figures[figure_idx].id, std::move(release->figures[figure_idx]));
      }
      merged.tier = release->tier;
      merged.policy_version = release->policy_version;
      merged.rules = release->rules;
      merged.small_cells += release->small_cells;
      merged.complementary += release->complementary;
    }
    if (std::all_of(parts.begin(), parts.end(),
                    [](const OperationPart& part) { return part.rows == 0; })) {
      return RefuseEmpty(parts, environment);
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [id, figure] : ordered) merged.figures.push_back(std::move(figure));
    const disclosure::AdminFigureRelease* release = &merged;
    Result<publish::ExportedText> exported =
        publish::ExportDtmApi(*release, AdminLevelOf(levels->front()));
    if (!exported.ok()) return Fail(environment, exported.status());
    text = std::move(exported->text);
    summary = exported->summary;
    note = std::to_string(release->small_cells + release->complementary) + " figures suppressed (" +
           std::to_string(release->small_cells) + " small, " +
           std::to_string(release->complementary) + " complementary)";
  } else {
    disclosure::Release merged;
    // --verify: the exact audit of protection intervals for the tier's
    // reader (public: the public release; partner: partner and public).
    if (line.Switch("verify")) verified.emplace();
    for (size_t part_idx = 0; part_idx < parts.size(); ++part_idx) {
      OperationPart& part = parts[part_idx];
      // Each operation's classes come from the dictionary its store holds.
      Result<dictionary::Dictionary> classes = LoadOperationDictionary(store, part.operation.id);
      if (!classes.ok()) return Fail(environment, classes.status());
      Result<OperationRelease> released =
          ReleaseOperation(store, *classes, part.operation, part.read, *levels, *line.Flag("round"),
                           verified ? &*verified : nullptr);
      if (!released.ok()) {
        return released.status().code() == StatusCode::kInvalidArgument
                   ? Usage(environment, released.status().message())
                   : Fail(environment, released.status());
      }
      disclosure::Release* release = &released->release;
      part.rows = static_cast<int64_t>(release->rows.size());
      part.empty_reason = released->empty_reason;
      if (part_idx > 0 && release->admin_figures != merged.admin_figures) {
        return Usage(environment, "'" + parts.front().operation.name + "' and '" +
                                      part.operation.name +
                                      "' hold different figures (site submissions, admin-level "
                                      "figures): export them one at a time");
      }
      if (part_idx == 0) {
        merged = std::move(*release);
        continue;
      }
      merged.operations.insert(merged.operations.end(), release->operations.begin(),
                               release->operations.end());
      for (int round : release->rounds) {
        if (std::find(merged.rounds.begin(), merged.rounds.end(), round) == merged.rounds.end()) {
          merged.rounds.push_back(round);
        }
      }
      std::sort(merged.rounds.begin(), merged.rounds.end());
      merged.rows.insert(merged.rows.end(), std::make_move_iterator(release->rows.begin()),
                         std::make_move_iterator(release->rows.end()));
      merged.small_cells += release->small_cells;
      merged.complementary += release->complementary;
      merged.homogeneous += release->homogeneous;
      merged.admin3_withheld += release->admin3_withheld;
      if (release->microdata) {
        if (!merged.microdata) {
          merged.microdata = release->microdata;
        } else {
          merged.microdata->records += release->microdata->records;
          merged.microdata->generalised += release->microdata->generalised;
          merged.microdata->withheld += release->microdata->withheld;
        }
      }
    }
    if (merged.rows.empty()) {
      return RefuseEmpty(parts, environment);
    }
    if (format == "geojson" && merged.admin_figures) {
      for (OperationPart& part : parts) part.empty_reason.clear();
      parts.front().empty_reason =
          "admin-level figures have no points (the API publishes none): geojson would hold no "
          "feature; csv, hxl, xlsx, json or dtm-api hold them";
      return RefuseEmpty(parts, environment);
    }
    // Rows by level (finest first), then as each operation's release had them.
    std::stable_sort(merged.rows.begin(), merged.rows.end(),
                     [](const disclosure::ReleaseRow& a, const disclosure::ReleaseRow& b) {
                       return a.level < b.level;
                     });
    Result<publish::ExportedText> exported = InternalError("no exporter");
    if (format == "csv" || format == "hxl") {
      publish::CsvOptions options;
      options.levels = *levels;
      options.hashtag_row = format == "hxl" && !line.Switch("no-hxl-row");
      exported = publish::ExportCsv(merged, options);
    } else if (format == "geojson") {
      publish::GeoJsonOptions options;
      options.levels = *levels;
      exported = publish::ExportGeoJson(merged, options);
    } else if (format == "json") {
      publish::JsonOptions options;
      options.levels = *levels;
      exported = publish::ExportJson(merged, options);
    } else {
      publish::XlsxOptions options;
      options.levels = *levels;
      options.generated_at = NowIso();
      options.purpose = line.Flag("purpose").value_or("");
      Result<publish::ExportSummary> written =
          publish::ExportXlsx(merged, options, pending->temporary());
      if (!written.ok()) return Fail(environment, written.status());
      exported = publish::ExportedText{"", *written};
    }
    if (!exported.ok()) return Fail(environment, exported.status());
    text = std::move(exported->text);
    summary = exported->summary;
    // Counts per reason go to the exporting user's terminal, never into the
    // file (publish/suppression_report.h).
    note = publish::SuppressionNote(merged);
    if (merged.microdata) {
      note += "; microdata gate (k = " + std::to_string(merged.microdata->k) +
              "): " + std::to_string(merged.microdata->records) + " site rows checked, " +
              std::to_string(merged.microdata->generalised) +
              " generalised (shown one admin level up), " +
              std::to_string(merged.microdata->withheld) + " with quasi-identifiers withheld";
    }
  }

  // 3. Write the file (the XLSX exporter wrote its own), audit each
  // operation's read with the file's hash, and only then put the file in
  // place: nothing leaves before its audit record is written.
  if (format != "xlsx") {
    if (Status written = pending->Write(text); !written.ok()) return Fail(environment, written);
  }
  for (OperationPart& part : parts) {
    if (Status audited =
            part.read.FinishWithHash(part.rows, summary.columns, format, summary.sha256);
        !audited.ok()) {
      return Fail(environment, audited);
    }
  }
  if (Status published = pending->Publish(); !published.ok()) return Fail(environment, published);
  const DisclosedRead& first = parts.front().read;
  *environment.out << "wrote " << *output << ": " << summary.rows << " rows, tier "
                   << store::TierName(first.tier()) << ", policy version " << first.policy().version
                   << "; " << note << "\n";
  if (verified) return ReportVerification(*verified, environment);
  return 0;
}

}  // namespace opendtm::cli
