// `dtm org`, `dtm user`, `dtm dsa`, `dtm policy`: who may read an operation's
// data, under which agreement, and the disclosure policy that protects it
// (spec/disclosure.md).
//
//   dtm org add NAME --clusters protection,gbv,…      an organisation and its clusters
//   dtm org list [--format table|csv|json]
//   dtm org revoke NAME
//   dtm user add NAME --org ORG [--tier "OP=TIER,OP2=TIER"]
//   dtm user tier NAME --tier "OP=TIER[,…]"           set (or replace) tiers
//   dtm user list [--format table|csv|json]
//   dtm user revoke NAME
//   dtm dsa add REF --org ORG --operation OP[,OP2…] --tier protection
//               --from DATE --to DATE --purpose "…"
//   dtm dsa list [--format table|csv|json]            with its state today
//   dtm dsa revoke REF
//   dtm policy show --operation OP [--history]        the policy in force (JSON)
//   dtm policy set --operation OP --tier T [--k-sites N] [--k-people N]
//               [--rounding N] [--k-anonymity N] [--note TEXT]   a new version
//
// Operations are named as everywhere (`--country ISO3` when a name exists in
// several countries; inside --tier and --operation lists, "NAME@ISO3").
// Tiers: public, partner, protection, operation_admin. Every change is made
// as the user of --as (default the local operation admin), who must be the
// operation_admin of every operation it grants a tier or an agreement for,
// or of at least one operation for organisations and users without tiers.
//
// Exit codes: 0 ok; 1 refused (the acting user may not); 2 usage; 3 a
// name that does not exist or already exists; 4+ operational failures.
#ifndef OPENDTM_CLI_PRINCIPAL_COMMANDS_H_
#define OPENDTM_CLI_PRINCIPAL_COMMANDS_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

int RunOrgCommand(const CommandLine& line, const Environment& environment);
int RunUserCommand(const CommandLine& line, const Environment& environment);
int RunDsaCommand(const CommandLine& line, const Environment& environment);
int RunPolicyCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_PRINCIPAL_COMMANDS_H_
