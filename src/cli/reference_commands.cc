#include "cli/reference_commands.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "cli/audit_commands.h"
#include "cli/disclosed_read.h"
#include "cli/operation_dictionary_command.h"
#include "cli/site_data_release.h"
#include "cli/site_list.h"
#include "cli/store_access.h"
#include "core/csv_reader.h"
#include "core/date.h"
#include "core/formula_guard.h"
#include "core/number.h"
#include "core/private_file.h"
#include "core/text.h"
#include "geo/gazetteer.h"
#include "geo/gazetteer_check.h"
#include "store/sqlite_store.h"

namespace opendtm::cli {
namespace {

constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

int Usage(const Environment& environment, const std::string& problem, const char* usage) {
  *environment.err << "dtm: " << problem << "\nusage: " << usage << "\n";
  return kExitUsage;
}

}  // namespace

int RunInitCommand(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags({"db", "dictionary"}); !known.ok()) {
    return Usage(environment, known.message(), "dtm init [--db PATH]");
  }
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  auto* sqlite = dynamic_cast<store::SqliteStore*>(opened->store.get());
  Result<int> version = sqlite->SchemaVersion();
  if (!version.ok()) return Fail(environment, version.status());
  // An existing database whose log is not keyed yet gets its audit key here.
  if (Status keyed = KeyAtInit(*opened->store, environment, line); !keyed.ok()) {
    return Fail(environment, keyed);
  }
  *environment.out << "database " << environment.db_path << " ready (schema version " << *version
                   << ", dictionary " << opened->dictionary.version() << ")\n";
  return 0;
}

int RunAdminCommand(const CommandLine& line, const Environment& environment) {
  constexpr const char* kUsage = "dtm admin import FILE [--db PATH]";
  if (Status known = line.CheckKnownFlags({"db", "dictionary"}); !known.ok()) {
    return Usage(environment, known.message(), kUsage);
  }
  const auto& words = line.positional();
  if (words.size() != 3 || words[1] != "import") {
    return Usage(environment, "admin needs: import FILE", kUsage);
  }
  const std::string& path = words[2];
  std::vector<std::string> skipped;
  Result<geo::Gazetteer> gazetteer = geo::Gazetteer::LoadFile(path, &skipped);
  if (!gazetteer.ok()) return Fail(environment, gazetteer.status());

  // 1. What is odd in the file, printed before anything is imported.
  std::vector<geo::GazetteerFinding> findings = geo::CheckGazetteer(*gazetteer);
  for (const std::string& problem : skipped) *environment.out << problem << " (row skipped)\n";
  for (const geo::GazetteerFinding& finding : findings) {
    *environment.out << path << ": " << finding.rule << ": " << finding.message << "\n";
  }

  // 2. Every valid area, with its valid-from date.
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  std::vector<store::AdminAreaRecord> records;
  records.reserve(gazetteer->size());
  for (const geo::AdminArea& area : gazetteer->areas()) {
    records.push_back(
        {area.pcode, area.name, area.level, area.parent_pcode, area.country, area.valid_from});
  }
  if (Status stored = opened->store->UpsertAdminAreas(records); !stored.ok()) {
    return Fail(environment, stored);
  }
  size_t problems = findings.size() + skipped.size();
  *environment.out << "imported " << records.size() << " admin areas of "
                   << gazetteer->Countries().size() << " countries from " << path << "; "
                   << problems << (problems == 1 ? " thing" : " things") << " to look at\n";
  return problems == 0 ? 0 : kExitFindings;
}

int RunOperationCommand(const CommandLine& line, const Environment& environment) {
  constexpr const char* kUsage =
      "dtm operation create NAME --country ISO3 [--region R] | dtm operation list\n"
      "       dtm operation dictionary OP [FILE] [--country ISO3]";
  if (line.positional().size() >= 2 && line.positional()[1] == "dictionary") {
    return RunOperationDictionaryCommand(line, environment);
  }
  if (Status known = line.CheckKnownFlags({"db", "dictionary", "country", "region"}); !known.ok()) {
    return Usage(environment, known.message(), kUsage);
  }
  const auto& words = line.positional();
  if (words.size() == 2 && words[1] == "list") {
    Result<OpenedStore> opened = OpenStore(environment);
    if (!opened.ok()) return Fail(environment, opened.status());
    Result<std::vector<store::Operation>> operations = opened->store->ListOperations();
    if (!operations.ok()) return Fail(environment, operations.status());
    for (const store::Operation& operation : *operations) {
      *environment.out << operation.name << "\t" << operation.country << "\t" << operation.region
                       << "\n";
    }
    return 0;
  }
  if (words.size() != 3 || words[1] != "create") {
    return Usage(environment, "operation needs: create NAME, list or dictionary OP", kUsage);
  }
  std::optional<std::string> country = line.Flag("country");
  if (!country) return Usage(environment, "operation create needs --country ISO3", kUsage);
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Operation operation;
  operation.name = words[2];
  operation.country = *country;
  operation.region = line.Flag("region").value_or("");
  Result<store::Operation> created = opened->store->CreateOperation(operation);
  if (!created.ok()) return Fail(environment, created.status());
  *environment.out << "created operation '" << created->name << "' (" << created->country << ")\n";
  return 0;
}

int RunRoundCommand(const CommandLine& line, const Environment& environment) {
  constexpr const char* kUsage =
      "dtm round create OP N --from DATE --to DATE | round close|lock|open OP N | round list OP"
      "  [--country ISO3]";
  if (Status known = line.CheckKnownFlags({"db", "dictionary", "country", "from", "to"});
      !known.ok()) {
    return Usage(environment, known.message(), kUsage);
  }
  const auto& words = line.positional();
  if (words.size() < 3) return Usage(environment, "round needs a subcommand and OP", kUsage);
  const std::string& subcommand = words[1];
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  std::optional<std::string> country = line.Flag("country");
  Result<store::Operation> operation = store.FindOperation(
      words[2], country ? std::optional<std::string_view>(*country) : std::nullopt);
  if (!operation.ok()) return Fail(environment, operation.status());

  if (subcommand == "list") {
    Result<std::vector<store::Round>> rounds = store.ListRounds(operation->id);
    if (!rounds.ok()) return Fail(environment, rounds.status());
    for (const store::Round& round : *rounds) {
      *environment.out << round.number << "\t" << round.date_from << "\t" << round.date_to << "\t"
                       << store::RoundStatusName(round.status) << "\n";
    }
    return 0;
  }
  if (words.size() != 4) return Usage(environment, "round " + subcommand + " needs OP N", kUsage);
  std::optional<int64_t> number = core::ParseInteger(words[3]);
  if (!number || *number < 0) return Usage(environment, "N must be a round number", kUsage);

  if (subcommand == "create") {
    store::Round round;
    round.operation_id = operation->id;
    round.number = static_cast<int>(*number);
    for (const char* flag : {"from", "to"}) {
      std::optional<std::string> date = line.Flag(flag);
      if (!date) return Usage(environment, std::string("round create needs --") + flag, kUsage);
      Result<core::Date> parsed = core::ParseIsoDate(*date);
      if (!parsed.ok())
        return Usage(environment, "--" + std::string(flag) + ": " + parsed.status().message(),
                     kUsage);
      (std::string_view(flag) == "from" ? round.date_from : round.date_to) = core::ToIso(*parsed);
    }
    if (round.date_to < round.date_from) {
      return Usage(environment, "--to is before --from", kUsage);
    }
    if (Status created = store.CreateRound(round); !created.ok()) {
      return Fail(environment, created);
    }
    *environment.out << "created round " << round.number << " of '" << operation->name << "' ("
                     << round.date_from << " to " << round.date_to << ")\n";
    return 0;
  }
  std::map<std::string, store::RoundStatus> statuses = {{"close", store::RoundStatus::kClosed},
                                                        {"lock", store::RoundStatus::kLocked},
                                                        {"open", store::RoundStatus::kOpen}};
  auto status = statuses.find(subcommand);
  if (status == statuses.end()) {
    return Usage(environment, "unknown round subcommand '" + subcommand + "'", kUsage);
  }
  if (Status set = store.SetRoundStatus(operation->id, static_cast<int>(*number), status->second);
      !set.ok()) {
    return Fail(environment, set);
  }
  *environment.out << "round " << *number << " of '" << operation->name << "' is now "
                   << store::RoundStatusName(status->second) << "\n";
  return 0;
}

constexpr const char* kSitesUsage =
    "dtm sites import FILE --operation OP | dtm sites export --operation OP [-o FILE]"
    " [--round N] [--country ISO3] [--as USER] [--tier T] [--purpose TEXT]";

// The latest round of the operation as "N" ("all" when it has none: an empty
// release).
Result<std::string> LatestRound(store::Store& store, int64_t operation_id) {
  ASSIGN_OR_RETURN(std::vector<store::Round> rounds, store.ListRounds(operation_id));
  int latest = -1;
  for (const store::Round& round : rounds) latest = std::max(latest, round.number);
  return latest < 0 ? std::string("all") : std::to_string(latest);
}

// `dtm sites export`: the site list through the disclosure layer
// (cli/site_list.h). Below protection, the release of the site level of
// --round (default: the latest) for the reader's tier gates each site's
// area, point and type. The read is audited with the rows and columns
// written and the hash of the text, before the text leaves (file or stdout).
int RunSitesExport(const CommandLine& line, const Environment& environment) {
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  Result<store::Operation> operation = ResolveOperation(store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  ReadNeeds needs{"site_list", store::Tier::kPartner,
                  "the site list is site-level data (spec/disclosure.md)", false};
  Result<DisclosedRead> read =
      DisclosedRead::Open(store, environment, line, *operation, needs, RequestFilters(line));
  if (!read.ok()) return Fail(environment, read.status());
  Result<std::vector<store::Site>> sites = store.ListSites(operation->id);
  if (!sites.ok()) return Fail(environment, sites.status());

  std::optional<disclosure::Release> release;
  if (read->tier() == store::Tier::kPublic || read->tier() == store::Tier::kPartner) {
    Result<std::string> round = line.Flag("round") ? Result<std::string>(*line.Flag("round"))
                                                   : LatestRound(store, operation->id);
    if (!round.ok()) return Fail(environment, round.status());
    // The classes come from the dictionary the store holds for the operation.
    Result<dictionary::Dictionary> classes = LoadOperationDictionary(store, operation->id);
    if (!classes.ok()) return Fail(environment, classes.status());
    Result<disclosure::Release> released =
        SiteDataRelease(store, *classes, *operation, *read, {analysis::Level::kSite}, *round);
    if (!released.ok()) {
      return released.status().code() == StatusCode::kInvalidArgument
                 ? Usage(environment, released.status().message(), kSitesUsage)
                 : Fail(environment, released.status());
    }
    release = std::move(*released);
  }
  const std::string csv = SiteListCsv(*sites, release ? &*release : nullptr);
  const int64_t rows = static_cast<int64_t>(sites->size());
  if (Status audited = read->Finish(rows, kSiteListColumns, "csv", csv); !audited.ok()) {
    return Fail(environment, audited);
  }
  if (std::optional<std::string> output = line.Flag("output")) {
    if (Status written = core::WritePrivateFile(*output, csv); !written.ok()) {
      return Fail(environment, written);
    }
    *environment.err << "wrote " << rows << " sites to " << *output;
    if (release && release->microdata) {
      *environment.err << " (microdata gate, k = " << release->microdata->k << ": "
                       << release->microdata->generalised << " generalised, "
                       << release->microdata->withheld << " withheld)";
    }
    *environment.err << "\n";
  } else {
    *environment.out << csv;
  }
  return 0;
}

int RunSitesImport(const CommandLine& line, const Environment& environment) {
  const auto& words = line.positional();
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  Result<store::Operation> operation = ResolveOperation(store, line);
  if (!operation.ok()) return Fail(environment, operation.status());

  // Import: one site per row; columns by header name.
  const std::string& path = words[2];
  Result<core::CsvTable> table = core::ReadCsvFile(path, core::CsvOptions());
  if (!table.ok()) return Fail(environment, table.status());
  if (table->rows.empty()) return Fail(environment, InvalidArgumentError(path + ": empty file"));
  std::map<std::string, size_t> column;
  for (size_t column_idx = 0; column_idx < table->rows[0].size(); ++column_idx) {
    column[core::FoldCase(core::Trim(table->rows[0][column_idx]))] = column_idx;
  }
  if (!column.count("site_id")) {
    return Fail(environment, InvalidArgumentError(path + ": row 1: no site_id column"));
  }
  auto cell = [&column](const std::vector<std::string>& row, const std::string& name) {
    auto it = column.find(name);
    if (it == column.end() || it->second >= row.size()) return std::string();
    // A value exported with its formula neutralised (core/formula_guard.h)
    // comes back as it was.
    return std::string(core::RestoreFormula(core::Trim(row[it->second])));
  };
  int imported = 0;
  std::vector<std::string> problems;
  for (size_t row_idx = 1; row_idx < table->rows.size(); ++row_idx) {
    const std::vector<std::string>& row = table->rows[row_idx];
    std::string where = path + ": row " + std::to_string(table->row_lines[row_idx]);
    store::Site site;
    site.operation_id = operation->id;
    site.site_id = cell(row, "site_id");
    if (site.site_id.empty()) {
      problems.push_back(where + ", column site_id: missing site ID (row skipped)");
      continue;
    }
    site.name = cell(row, "site_name");
    if (site.name.empty()) site.name = cell(row, "name");
    site.adm1_pcode = cell(row, "adm1_pcode");
    site.adm2_pcode = cell(row, "adm2_pcode");
    site.adm3_pcode = cell(row, "adm3_pcode");
    site.site_type = cell(row, "site_type");
    for (const char* axis : {"latitude", "longitude"}) {
      std::string text = cell(row, axis);
      if (text.empty()) continue;
      std::optional<double> value = core::ParseNumber(text);
      double limit = std::string_view(axis) == "latitude" ? 90 : 180;
      if (!value || *value < -limit || *value > limit) {
        problems.push_back(where + ", column " + axis + ": '" + text + "' is not a " + axis +
                           " (kept blank)");
        continue;
      }
      (std::string_view(axis) == "latitude" ? site.latitude : site.longitude) = value;
    }
    if (std::string status = cell(row, "status"); !status.empty()) {
      std::optional<store::SiteStatus> parsed = store::ParseSiteStatus(core::FoldCase(status));
      if (!parsed) {
        problems.push_back(where + ", column status: '" + status +
                           "' is not open, closed or merged (row skipped)");
        continue;
      }
      site.status = *parsed;
    }
    site.merged_into = cell(row, "merged_into");
    store::SiteChangeContext context;
    context.note = "sites import " + path;
    if (Status stored = store.UpsertSite(site, context); !stored.ok()) {
      problems.push_back(where + ": " + stored.message());
      continue;
    }
    ++imported;
  }
  for (const std::string& problem : problems) *environment.out << problem << "\n";
  *environment.out << "imported " << imported << " sites into '" << operation->name << "'\n";
  return problems.empty() ? 0 : kExitFindings;
}

int RunSitesCommand(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags(
          {"db", "dictionary", "operation", "country", "output", "as", "tier", "purpose", "round"});
      !known.ok()) {
    return Usage(environment, known.message(), kSitesUsage);
  }
  const auto& words = line.positional();
  if (words.size() == 2 && words[1] == "export") return RunSitesExport(line, environment);
  if (words.size() == 3 && words[1] == "import") return RunSitesImport(line, environment);
  return Usage(environment, "sites needs import FILE or export", kSitesUsage);
}

}  // namespace opendtm::cli
