// `dtm alerts`: the alerts an operation must follow up, and their status.
//
//   dtm alerts list --operation OP [--country ISO3] [--round N]
//                   [--status new,acknowledged,closed|all] [--format table|csv|json]
//       The alerts of the operation's active batches (store::Alert), by id;
//       by default those still open (new and acknowledged). Alerts are raised
//       on ingest by `urgent` values (rule urgent_alert: unaccompanied and
//       separated children, recruiters at a site) and by sites whose GBV risk
//       band became very_high (rule risk_very_high, analysis/alerts.h).
//       table: id, round, site, rule, detail, status, created, where detail
//         is "indicator = value" for an urgent value and "previous band ->
//         very_high (score)" for a risk alert ("new" when the site was not
//         reported in the previous round); a footer counts the alerts listed.
//       csv: every field of the alert, one line each, with a header.
//       json: an array with one object per alert holding every field and its
//         status history (`history`: from, to, who, when, note).
//   dtm alerts ack ID [ID…] --note TEXT [--as USER]
//   dtm alerts close ID [ID…] --note TEXT [--as USER]
//       Moves each alert to acknowledged or closed (allowed: new ->
//       acknowledged, new -> closed, acknowledged -> closed), recording who
//       (--as, else the environment's user), when (now, ISO 8601 UTC) and the
//       note, and prints one line per alert. Each ID is done on its own: a
//       refused one does not stop the others.
//
// Exit codes: 0 ok; 1 when an ID is unknown or its move is not allowed (the
// message names the ID and the rule); 2 usage; 3+ operational failures.
#ifndef OPENDTM_CLI_ALERTS_COMMAND_H_
#define OPENDTM_CLI_ALERTS_COMMAND_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

int RunAlertsCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_ALERTS_COMMAND_H_
