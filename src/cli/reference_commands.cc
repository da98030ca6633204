#include "cli/reference_commands.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "cli/audit_commands.h"
#include "cli/disclosed_read.h"
#include "cli/operation_dictionary_command.h"
#include "cli/site_data_release.h"
#include "cli/site_list.h"
#include "cli/store_access.h"
#include "cli/table_output.h"
#include "core/csv_writer.h"
#include "core/csv_reader.h"
#include "core/date.h"
#include "core/formula_guard.h"
#include "core/number.h"
#include "core/private_file.h"
#include "core/sha256.h"
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
    "dtm sites import FILE --operation OP [--clear-empty] [--as USER]\n"
    "       dtm sites export --operation OP [-o FILE] [--round N] [--as USER] [--tier T]"
    " [--purpose TEXT]\n"
    "       dtm sites history SITE --operation OP [--format table|csv|json] [--as USER]\n"
    "       (each takes --country ISO3 when the operation's name is in several countries)";

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

// ---- sites import ----------------------------------------------------------

// The master list's columns an import may carry, by folded header name, and
// what each sets on a site. "name" is read as site_name.
struct ImportColumns {
  std::map<std::string, size_t> index;  // folded header -> column

  // The cell of `name` in `row`, trimmed, with a neutralised formula
  // (core/formula_guard.h) restored; nullopt when the file has no such column.
  std::optional<std::string> Cell(const std::vector<std::string>& row,
                                  const std::string& name) const {
    auto it = index.find(name);
    if (it == index.end()) return std::nullopt;
    if (it->second >= row.size()) return std::string();
    return std::string(core::RestoreFormula(core::Trim(row[it->second])));
  }
};

// Applies one row of the import to `site` (as stored, or a new site): a
// column the file does not have leaves the field as it is; an empty cell
// leaves it too unless `clear_empty` (then the field is blanked; a blank
// status stays as it is). Returns the row's problems: a row with a bad
// status is skipped ("row skipped" in the message), a bad coordinate is
// left as it was.
std::vector<std::string> ApplyImportRow(const ImportColumns& columns,
                                        const std::vector<std::string>& row, bool clear_empty,
                                        const std::string& where, store::Site& site) {
  std::vector<std::string> problems;
  auto set_text = [&](const std::string& column, std::string& field) {
    std::optional<std::string> cell = columns.Cell(row, column);
    if (!cell || (cell->empty() && !clear_empty)) return;
    field = *cell;
  };
  if (columns.index.count("site_name")) {
    set_text("site_name", site.name);
  } else {
    set_text("name", site.name);
  }
  set_text("adm1_pcode", site.adm1_pcode);
  set_text("adm2_pcode", site.adm2_pcode);
  set_text("adm3_pcode", site.adm3_pcode);
  set_text("site_type", site.site_type);
  set_text("merged_into", site.merged_into);
  for (const char* axis : {"latitude", "longitude"}) {
    std::optional<std::string> cell = columns.Cell(row, axis);
    if (!cell || (cell->empty() && !clear_empty)) continue;
    std::optional<double>& field =
        std::string_view(axis) == "latitude" ? site.latitude : site.longitude;
    if (cell->empty()) {
      field.reset();
      continue;
    }
    std::optional<double> value = core::ParseNumber(*cell);
    const double limit = std::string_view(axis) == "latitude" ? 90 : 180;
    if (!value || *value < -limit || *value > limit) {
      problems.push_back(where + ", column " + axis + ": '" + *cell + "' is not a " + axis +
                         " (left as it was)");
      continue;
    }
    field = value;
  }
  if (std::optional<std::string> status = columns.Cell(row, "status"); status && !status->empty()) {
    std::optional<store::SiteStatus> parsed = store::ParseSiteStatus(core::FoldCase(*status));
    if (!parsed) {
      problems.push_back(where + ", column status: '" + *status +
                         "' is not open, closed or merged (row skipped)");
    } else {
      site.status = *parsed;
    }
  }
  return problems;
}

bool SameSite(const store::Site& a, const store::Site& b) {
  return a.name == b.name && a.adm1_pcode == b.adm1_pcode && a.adm2_pcode == b.adm2_pcode &&
         a.adm3_pcode == b.adm3_pcode && a.latitude == b.latitude && a.longitude == b.longitude &&
         a.site_type == b.site_type && a.status == b.status && a.merged_into == b.merged_into;
}

// The read of the master list's history and the write of an import: the
// operation team's (operation_admin).
ReadNeeds MasterListNeeds(std::string dataset) {
  return ReadNeeds{std::move(dataset), store::Tier::kOperationAdmin,
                   "the master list is kept by the operation's admins", false};
}

// `dtm sites import`: one site per row, columns by header name. Only the
// columns the file has change a site, and empty cells change nothing unless
// --clear-empty; each change is kept with who, when and the file
// (store::SiteFieldChange, `dtm sites history`). The import is a write of
// the operation_admin of the operation, audited whether allowed or refused.
int RunSitesImport(const CommandLine& line, const Environment& environment) {
  const auto& words = line.positional();
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  Result<store::Operation> operation = ResolveOperation(store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  Result<DisclosedRead> write = DisclosedRead::Open(
      store, environment, line, *operation, MasterListNeeds("sites import"), RequestFilters(line));
  if (!write.ok()) return Fail(environment, write.status());

  // 1. The file: one site per row; columns by header name.
  const std::string& path = words[2];
  Result<core::CsvTable> table = core::ReadCsvFile(path, core::CsvOptions());
  if (!table.ok()) return Fail(environment, table.status());
  if (table->rows.empty()) return Fail(environment, InvalidArgumentError(path + ": empty file"));
  ImportColumns columns;
  for (size_t column_idx = 0; column_idx < table->rows[0].size(); ++column_idx) {
    columns.index[core::FoldCase(core::Trim(table->rows[0][column_idx]))] = column_idx;
  }
  if (!columns.index.count("site_id")) {
    return Fail(environment, InvalidArgumentError(path + ": row 1: no site_id column"));
  }
  const bool clear_empty = line.Switch("clear-empty");

  // 2. Each row onto the site as stored (or a new one).
  store::SiteChangeContext context;
  context.note = "sites import " + path;
  context.who = ActingUser(line);
  context.when = NowIso();
  int64_t created = 0, changed = 0, unchanged = 0;
  std::vector<std::string> problems;
  for (size_t row_idx = 1; row_idx < table->rows.size(); ++row_idx) {
    const std::vector<std::string>& row = table->rows[row_idx];
    const std::string where = path + ": row " + std::to_string(table->row_lines[row_idx]);
    const std::string site_id = columns.Cell(row, "site_id").value_or("");
    if (site_id.empty()) {
      problems.push_back(where + ", column site_id: missing site ID (row skipped)");
      continue;
    }
    Result<store::Site> stored = store.FindSite(operation->id, site_id);
    if (!stored.ok() && stored.status().code() != StatusCode::kNotFound) {
      return Fail(environment, stored.status());
    }
    store::Site site;
    if (stored.ok()) site = *stored;
    site.operation_id = operation->id;
    site.site_id = site_id;
    std::vector<std::string> row_problems = ApplyImportRow(columns, row, clear_empty, where, site);
    const bool skipped = std::any_of(row_problems.begin(), row_problems.end(),
                                     [](const std::string& problem) {
                                       return problem.ends_with("(row skipped)");
                                     });
    problems.insert(problems.end(), row_problems.begin(), row_problems.end());
    if (skipped) continue;
    if (stored.ok() && SameSite(*stored, site)) {
      ++unchanged;
      continue;
    }
    if (Status upserted = store.UpsertSite(site, context); !upserted.ok()) {
      problems.push_back(where + ": " + upserted.message());
      continue;
    }
    ++(stored.ok() ? changed : created);
  }

  // 3. The audit record, then what happened.
  const int64_t imported = created + changed + unchanged;
  Result<std::string> file_hash = core::Sha256HexOfFile(path);
  if (Status audited = write->FinishWithHash(created + changed,
                                             static_cast<int64_t>(columns.index.size()), "csv",
                                             file_hash.ok() ? *file_hash : "");
      !audited.ok()) {
    return Fail(environment, audited);
  }
  for (const std::string& problem : problems) *environment.out << problem << "\n";
  *environment.out << "imported " << imported << " sites into '" << operation->name << "' ("
                   << created << " new, " << changed << " changed, " << unchanged
                   << " unchanged)\n";
  return problems.empty() ? 0 : kExitFindings;
}

// ---- sites history --------------------------------------------------------

// The site's field changes as a table for people, CSV or JSON (an array of
// objects), with the columns of kSiteHistoryColumns.
constexpr std::array<const char*, 7> kSiteHistoryColumns = {
    "when", "who", "field", "old_value", "new_value", "source", "batch_id"};

std::string SiteHistoryText(const std::vector<store::SiteFieldChange>& changes,
                            const std::string& format) {
  const std::vector<std::string> header(kSiteHistoryColumns.begin(), kSiteHistoryColumns.end());
  std::vector<std::vector<std::string>> rows;
  for (const store::SiteFieldChange& change : changes) {
    rows.push_back({change.when, change.who, change.field, change.old_value, change.new_value,
                    change.source, change.batch_id ? std::to_string(*change.batch_id) : ""});
  }
  std::ostringstream out;
  if (format == "csv") {
    out << core::CsvLine(header);
    for (auto row : rows) {
      for (std::string& cell : row) cell = core::NeutraliseFormula(cell);
      out << core::CsvLine(row);
    }
  } else if (format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& row : rows) {
      nlohmann::ordered_json object;
      for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
        object[header[column_idx]] = row[column_idx];
      }
      list.push_back(std::move(object));
    }
    out << list.dump(2) << "\n";
  } else if (rows.empty()) {
    out << "no changes since the site was listed\n";
  } else {
    PrintTable(out, header, rows);
  }
  return out.str();
}

// `dtm sites history SITE --operation OP [--format table|csv|json]`: every
// change of the site's fields, oldest first.
int RunSitesHistory(const CommandLine& line, const Environment& environment) {
  const std::string format = line.Flag("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    return Usage(environment, "--format must be table, csv or json", kSitesUsage);
  }
  const std::string site_id = line.positional()[2];
  return RunDisclosedRead(
      line, environment, MasterListNeeds("site history"),
      [&](const Environment& inner, DisclosedRead&) {
        Result<OpenedStore> opened = OpenStore(inner);
        if (!opened.ok()) return Fail(inner, opened.status());
        Result<store::Operation> operation = ResolveOperation(*opened->store, line);
        if (!operation.ok()) return Fail(inner, operation.status());
        if (Result<store::Site> site = opened->store->FindSite(operation->id, site_id);
            !site.ok()) {
          return Fail(inner, site.status());
        }
        Result<std::vector<store::SiteFieldChange>> changes =
            opened->store->SiteFieldChanges(operation->id, site_id);
        if (!changes.ok()) return Fail(inner, changes.status());
        *inner.out << SiteHistoryText(*changes, format);
        return 0;
      });
}

int RunSitesCommand(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags({"db", "dictionary", "operation", "country", "output",
                                           "as", "tier", "purpose", "round", "clear-empty",
                                           "format"});
      !known.ok()) {
    return Usage(environment, known.message(), kSitesUsage);
  }
  const auto& words = line.positional();
  if (words.size() == 2 && words[1] == "export") return RunSitesExport(line, environment);
  if (words.size() == 3 && words[1] == "import") return RunSitesImport(line, environment);
  if (words.size() == 3 && words[1] == "history") return RunSitesHistory(line, environment);
  return Usage(environment, "sites needs import FILE, export or history SITE", kSitesUsage);
}

}  // namespace opendtm::cli
