#include "cli/demo_command.h"

#include <filesystem>
#include <sstream>

#include "cli/ingest_command.h"
#include "cli/reference_commands.h"
#include "cli/store_access.h"
#include "core/number.h"
#include "geo/country_extent.h"
#include "demo/demo_operation.h"
#include "dictionary/default_dictionary.h"
#include "geo/gazetteer.h"

namespace opendtm::cli {
namespace {

constexpr const char* kUsage =
    "dtm demo [--seed S] [--sites N] [--rounds R] [--data DIR] [--db PATH]\n"
    "       dtm demo --out DIR [--seed S] [--sites N] [--rounds R]";
constexpr const char* kOperation = "demo-nga";

std::string SharedFile(const std::string& name) {
  return std::string(OPENDTM_SOURCE_DIR) + "/../shared/data/real/" + name;
}

int Usage(const Environment& environment, const std::string& problem) {
  *environment.err << "dtm demo: " << problem << "\nusage: " << kUsage << "\n";
  return 2;
}

// Runs one `dtm` subcommand with `args`, as the officer would type it.
int Run(int (*command)(const CommandLine&, const Environment&), std::vector<std::string> args,
        const Environment& environment, std::ostream& log) {
  Result<CommandLine> line = CommandLine::Parse(args, {"register-new-sites", "json"});
  if (!line.ok()) return 2;
  Environment quiet = environment;
  quiet.operation = line->Flag("operation").value_or("");
  quiet.country = line->Flag("country").value_or("");
  quiet.out = &log;
  quiet.err_is_terminal = false;
  return command(*line, quiet);
}

}  // namespace

int RunDemoCommand(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags(
          {"db", "dictionary", "seed", "sites", "rounds", "out", "data", "gazetteer", "extents"});
      !known.ok()) {
    return Usage(environment, known.message());
  }
  demo::DemoOptions options;
  auto number = [&line](const char* flag, int64_t fallback) -> std::optional<int64_t> {
    std::optional<std::string> text = line.Flag(flag);
    if (!text) return fallback;
    return core::ParseInteger(*text);
  };
  std::optional<int64_t> seed = number("seed", static_cast<int64_t>(options.seed));
  std::optional<int64_t> sites = number("sites", options.sites);
  std::optional<int64_t> rounds = number("rounds", options.rounds);
  if (!seed || !sites || !rounds || *seed < 0 || *sites < 1 || *rounds < 1) {
    return Usage(environment, "--seed, --sites and --rounds take whole numbers (sites, rounds >= 1)");
  }
  options.seed = static_cast<uint64_t>(*seed);
  options.sites = static_cast<int>(*sites);
  options.rounds = static_cast<int>(*rounds);

  std::string gazetteer_path = line.Flag("gazetteer").value_or(SharedFile("global-pcodes-adm-1-2.hxl.csv"));
  std::string extents_path = line.Flag("extents").value_or(SharedFile("country-bbox-naturalearth.csv"));
  Result<dictionary::Dictionary> dictionary = dictionary::LoadDefaultDictionary();
  if (!dictionary.ok()) return Fail(environment, dictionary.status());
  Result<geo::Gazetteer> gazetteer = geo::Gazetteer::LoadFile(gazetteer_path);
  if (!gazetteer.ok()) return Fail(environment, gazetteer.status());
  Result<geo::CountryExtent> box = geo::LoadCountryExtent(extents_path, options.country);
  if (!box.ok()) return Fail(environment, box.status());

  // 1. The files a Kobo server would give for each round.
  std::optional<std::string> out_only = line.Flag("out");
  std::string data_dir = out_only ? *out_only : line.Flag("data").value_or("demo-out/data");
  Result<demo::DemoSummary> written =
      demo::WriteDemoOperation(*dictionary, *gazetteer, *box, options, data_dir);
  if (!written.ok()) return Fail(environment, written.status());
  std::ostream& out = *environment.out;
  out << "demo: " << written->sites_round1 << " sites in round 1, " << written->sites_total
      << " over " << written->rounds.size() << " rounds, " << written->rows_total
      << " submissions, " << written->injected.size() << " injected errors, written to "
      << data_dir << "\n";
  if (out_only) return 0;

  // 2. The operation, as an officer would set it up, then every round.
  std::ostringstream log;
  Run(RunAdminCommand, {"admin", "import", gazetteer_path, "--db", environment.db_path}, environment,
      log);
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  if (!opened->store->FindOperation(kOperation, std::string_view("NGA")).ok()) {
    if (int code = Run(RunOperationCommand,
                       {"operation", "create", kOperation, "--country", "NGA", "--region",
                        "West and Central Africa", "--db", environment.db_path},
                       environment, log);
        code != 0) {
      *environment.err << log.str();
      return code;
    }
  }
  opened.value().store.reset();
  Run(RunSitesCommand,
      {"sites", "import", data_dir + "/sites.csv", "--operation", kOperation, "--country", "NGA",
       "--db", environment.db_path},
      environment, log);
  out << "demo: operation " << kOperation << " in " << environment.db_path << "\n";
  for (const demo::RoundSummary& round : written->rounds) {
    std::ostringstream round_log;
    int code = Run(RunIngestCommand,
                   {"ingest", data_dir + "/" + round.file, "--operation", kOperation, "--country",
                    "NGA", "--round", std::to_string(round.round), "--register-new-sites",
                    "--extents", extents_path, "--today", written->rounds.back().last_day,
                    "--db", environment.db_path},
                   environment, round_log);
    if (code > 1) {
      *environment.err << round_log.str();
      return code;
    }
    // The summary line of the ingest: "batch N: R rows read, A accepted, Q quarantined".
    std::string text = round_log.str();
    size_t at = text.find("batch ");
    out << "  round " << round.round << ": "
        << (at == std::string::npos ? "already ingested"
                                    : text.substr(at, text.find('\n', at) - at))
        << "\n";
  }
  return 0;
}

}  // namespace opendtm::cli
