// `dtm audit` and `dtm usage`: the audit log of every read, and what it says
// about how other clusters and agencies use an operation's data
// (spec/disclosure.md, "Audit and usage monitoring").
//
//   dtm audit list [--operation OP] [--from DATE] [--to DATE] [--format table|csv|json]
//       The records, oldest first (every field; the table shows the main ones).
//   dtm audit verify [--checkpoint FILE]
//       Checks the keyed chain with the audit key file and the head file
//       (audit/audit_log.h): exit 0 and "intact" only when every record and
//       the tail were checked and none was edited, inserted or deleted; exit
//       1 naming the first bad record, or saying what could not be checked
//       (head file or key missing), otherwise — whatever the database's
//       triggers say. With --checkpoint, also that the log still extends
//       that signed checkpoint.
//   dtm audit checkpoint [-o FILE]
//       Verifies the log, then signs its head (seq, link) with the Ed25519
//       signing key beside the audit key (made, and announced, the first
//       time) into a short text with the public key (audit/checkpoint.h),
//       on the output or in FILE, for someone to keep elsewhere.
//   dtm audit key create [--key-lost] | dtm audit key rotate
//       Makes the audit key file (mode 0600) and keys the chain from the
//       next record on, or adds a new key and links the chain to it (the
//       rotation record is linked with the old key and names the new one;
//       retired keys stay in the file, verify needs them). Each is an audit
//       record. create refuses when the key file exists, or when records are
//       already keyed unless --key-lost (the lost key's records then stay
//       unchecked).
//
// The audit key file is $OPENDTM_AUDIT_KEY_FILE when set (keep it outside
// the database's folder and its backups), else "<database>.audit-key"; the
// head file is "<database>.audit-head", the signing key beside the key file
// (audit/audit_key.h). A new database (created by any command, or by init)
// gets its key at once, announced on the error stream: "created audit key
// PATH (keep it outside backups)". A database whose log holds only records
// from before audit keys refuses every audited command until an operation
// admin runs `dtm init` or `dtm audit key create`; one whose log is keyed
// never gets a new key silently, and refuses to append while its key is
// missing. A database whose log was never written (made by an older dtm, or
// by a test) is keyed, announced, at its first audited command.
//   dtm usage report --operation OP [--from DATE] [--to DATE]
//                    --by cluster|org|dataset|tier [--format table|csv|json]
//       Reads, downloads, refusals, rows and users per cluster (a record
//       counts under each cluster of its organisation), organisation,
//       dataset or tier, over the period (dates inclusive; default all time).
//
// Reading the log is itself a read (dataset "audit" / "usage") by the user of
// --as, for operation_admin of the operation only; `audit list` without
// --operation and `audit verify` need the local operation admin or an
// operation_admin of some operation.
//
// Exit codes: 0 ok; 1 refused, chain broken or not fully checked; 2 usage;
// 3+ operational.
#ifndef OPENDTM_CLI_AUDIT_COMMANDS_H_
#define OPENDTM_CLI_AUDIT_COMMANDS_H_

#include "audit/audit_log.h"
#include "cli/command_line.h"
#include "cli/environment.h"
#include "core/status.h"
#include "store/store.h"

namespace opendtm::cli {

int RunAuditCommand(const CommandLine& line, const Environment& environment);

// Where the audit log of the environment's database keeps its head and key
// files (see above; both empty for ":memory:").
audit::AuditFiles AuditFilesOf(const Environment& environment);

// Appends `record` to the audit log of the environment's database, saying on
// the error stream when a key had to be made for a log never written.
// Errors: those of audit::AuditLog::Append.
Status AppendAuditRecord(store::Store& store, const Environment& environment,
                         store::AuditRecord record);

// Keys the audit log of a database that was just created (OpenStore): makes
// the key file, or uses the one already at its path, and says so on the
// error stream. Errors: those of audit::AuditLog::CreateKey.
Status KeyNewDatabase(store::Store& store, const Environment& environment);

// For `dtm init` on an existing database: keys a log that is not keyed yet
// when there is no key file (announced); nothing when the key file exists.
// Errors: FailedPrecondition when the log is keyed and its key file is
// missing; those of CreateKey.
Status KeyAtInit(store::Store& store, const Environment& environment, const CommandLine& line);
int RunUsageCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_AUDIT_COMMANDS_H_
