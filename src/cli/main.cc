// dtm: the OpenDTM command line. Each subcommand is a thin front end over the
// library; exit codes: 0 ok, 1 findings, 2 usage, 3+ operational failures.
#include <iostream>
#include <string>
#include <vector>

#include "cli/alerts_command.h"
#include "cli/analyze_command.h"
#include "cli/audit_commands.h"
#include "cli/command_line.h"
#include "cli/demo_command.h"
#include "cli/dictionary_command.h"
#include "cli/environment.h"
#include "cli/export_command.h"
#include "cli/ingest_command.h"
#include "cli/principal_commands.h"
#include "cli/quarantine_command.h"
#include "cli/reference_commands.h"
#include "cli/review_commands.h"

namespace {

constexpr const char* kUsage =
    "OpenDTM — displacement tracking with GBV risk monitoring\n"
    "\n"
    "usage: dtm COMMAND [ARGS] [--db PATH]\n"
    "\n"
    "Dictionary and forms\n"
    "  dictionary check [FILE] [--previous OLD]   check a dictionary (GBV-safe rules, versions)\n"
    "  dictionary diff OLD NEW                    list changes between two versions\n"
    "  dictionary export --format F -o FILE       write the form (xlsform, xform) or the\n"
    "                                             codebook (codebook-md, codebook-html, json)\n"
    "Reference data (database: --db PATH, $OPENDTM_DB, or ./opendtm.db)\n"
    "  init                                       create or migrate the database\n"
    "  admin import FILE                          import a P-code gazetteer\n"
    "  operation create NAME --country ISO3       create an operation (list: operation list)\n"
    "  operation dictionary OP [FILE]             the dictionary that decides the operation's\n"
    "                                             classes; FILE registers a new version\n"
    "                                             (operation_admin; classes only go up)\n"
    "  round create OP N --from DATE --to DATE    create a round (close, lock, open, list)\n"
    "  sites import FILE --operation OP           import the master list of sites\n"
    "  sites export --operation OP [-o FILE]      the site list for the next round's form\n"
    "  sites import FILE --operation OP --clear-empty   empty cells blank the field too\n"
    "  sites history SITE --operation OP [--format F]   every change of a site, who and when\n"
    "Submissions\n"
    "  ingest FILE --operation OP [--round N]     validate and store a round's submissions\n"
    "         [--mapping F] [--register-new-sites] [--dry-run] [--strict] [--json]\n"
    "  ingest undo BATCH                          take a whole batch back (logged)\n"
    "  quarantine list|show ID|export --operation OP [--batch N] [-o FILE]\n"
    "  quarantine release --batch N [--row R]     accept the batch's kept rows that now pass\n"
    "  submissions show --operation OP --site S --round N [--raw]\n"
    "  cleaning-log --operation OP [--round N] [--format csv|json]\n"
    "               [--summary --by rule|enumerator|device]\n"
    "  correct --operation OP --site S --round N --set NAME=VALUE --reason TEXT [--force]\n"
    "  correct --undo ENTRY_ID                    revert a correction\n"
    "  alerts list --operation OP [--round N]     urgent values and sites whose GBV risk band\n"
    "              [--status S,…] [--format F]    became very_high (default: new, acknowledged)\n"
    "  alerts ack|close ID… --note TEXT [--as U]  acknowledge or close alerts (history kept)\n"
    "Analysis\n"
    "  analyze risk --operation OP --round N      the GBV risk index of each site (risk factors,\n"
    "               [--band B,… | --level L]      not prevalence), or per area [--format F]\n"
    "  analyze rollup --operation OP --round N|A-B|all --level L   figures by area\n"
    "               (site, admin3, admin2, admin1, country) [--format table|csv|json]\n"
    "  analyze trends --operation OP --round A-B|all --level L   changes between rounds\n"
    "Dissemination (every read is audited; act as a user with --as USER [--tier T])\n"
    "  org add NAME --clusters protection,gbv,…   organisations (list, revoke NAME)\n"
    "  user add NAME --org ORG --tier OP=TIER,…   users and their tier per operation\n"
    "                                             (tier NAME --tier …, list, revoke NAME)\n"
    "  dsa add REF --org ORG --operation OP --tier protection --from D --to D --purpose T\n"
    "                                             data sharing agreements (list, revoke REF)\n"
    "  policy show|set --operation OP [--tier T --k-sites N --k-people N --rounding N]\n"
    "  export --operation OP|--country ISO3 --round R --level L,… --tier T -o FILE --purpose T\n"
    "         --format csv|hxl|xlsx|geojson|json|dtm-api   figures for a tier, suppressed\n"
    "  audit list [--operation OP]                the audit log (keyed hash chain)\n"
    "  audit verify [--checkpoint FILE]           check it all: exit 0 only when every record\n"
    "                                             and the tail were checked and are intact\n"
    "  audit checkpoint [-o FILE]                 the signed head, to keep elsewhere\n"
    "  audit key create|rotate                    the audit key (outside the database:\n"
    "                                             <db>.audit-key or $OPENDTM_AUDIT_KEY_FILE)\n"
    "  usage report --operation OP --by cluster|org|dataset|tier [--from D --to D]\n"
    "  demo [--out DIR]                           build the demo operation demo-nga (or only\n"
    "                                             write its CSVs) [--seed S --sites N --rounds R]\n"
    "\n"
    "  version                                    print the version\n"
    "  help                                       print this help\n";

}  // namespace

int main(int argc, char** argv) {
  using opendtm::cli::CommandLine;
  std::vector<std::string> args(argv + 1, argv + argc);
  opendtm::Result<CommandLine> line =
      CommandLine::Parse(args, {"strict", "help", "json", "dry-run", "register-new-sites", "raw",
                                "summary", "history", "no-hxl-row", "key-lost", "verify", "force",
                                "clear-empty"});
  if (!line.ok()) {
    std::cerr << "dtm: " << line.status().message() << "\n" << kUsage;
    return 2;
  }
  const std::vector<std::string>& words = line->positional();
  if (words.empty() || words[0] == "help" || line->Switch("help")) {
    std::cout << kUsage;
    return words.empty() && !line->Switch("help") ? 2 : 0;
  }
  const std::string& command = words[0];
  if (command == "version") {
    std::cout << "dtm " << OPENDTM_VERSION << "\n";
    return 0;
  }
  if (command == "dictionary") return opendtm::cli::RunDictionaryCommand(*line, std::cout, std::cerr);
  if (line->Flag("dictionary")) {
    // What is sensitive is decided by the dictionary the store holds for the
    // operation, never by the reader's file.
    std::cerr << "dtm: --dictionary is only for `dtm dictionary`: an operation's data is read "
                 "under the dictionary its store holds (see dtm operation dictionary OP)\n";
    return 2;
  }
  opendtm::cli::Environment environment = opendtm::cli::MakeEnvironment(*line, std::cout, std::cerr);
  if (command == "init") return opendtm::cli::RunInitCommand(*line, environment);
  if (command == "admin") return opendtm::cli::RunAdminCommand(*line, environment);
  if (command == "operation") return opendtm::cli::RunOperationCommand(*line, environment);
  if (command == "round") return opendtm::cli::RunRoundCommand(*line, environment);
  if (command == "sites") return opendtm::cli::RunSitesCommand(*line, environment);
  if (command == "ingest" && words.size() >= 2 && words[1] == "undo") {
    return opendtm::cli::RunIngestUndoCommand(*line, environment);
  }
  if (command == "ingest") return opendtm::cli::RunIngestCommand(*line, environment);
  if (command == "quarantine" && words.size() >= 2 && words[1] == "release") {
    return opendtm::cli::RunQuarantineReleaseCommand(*line, environment);
  }
  if (command == "quarantine") return opendtm::cli::RunQuarantineCommand(*line, environment);
  if (command == "submissions") return opendtm::cli::RunSubmissionsCommand(*line, environment);
  if (command == "cleaning-log") return opendtm::cli::RunCleaningLogCommand(*line, environment);
  if (command == "correct") return opendtm::cli::RunCorrectCommand(*line, environment);
  if (command == "demo") return opendtm::cli::RunDemoCommand(*line, environment);
  if (command == "analyze") return opendtm::cli::RunAnalyzeCommand(*line, environment);
  if (command == "alerts") return opendtm::cli::RunAlertsCommand(*line, environment);
  if (command == "export") return opendtm::cli::RunExportCommand(*line, environment);
  if (command == "org") return opendtm::cli::RunOrgCommand(*line, environment);
  if (command == "user") return opendtm::cli::RunUserCommand(*line, environment);
  if (command == "dsa") return opendtm::cli::RunDsaCommand(*line, environment);
  if (command == "policy") return opendtm::cli::RunPolicyCommand(*line, environment);
  if (command == "audit") return opendtm::cli::RunAuditCommand(*line, environment);
  if (command == "usage") return opendtm::cli::RunUsageCommand(*line, environment);
  std::cerr << "dtm: unknown command '" << command << "'\n" << kUsage;
  return 2;
}
