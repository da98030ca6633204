// Reviewing what an ingest stored, and taking it back or correcting it.
//
//   dtm ingest undo BATCH
//       Takes the whole batch back (Store::UndoBatch, logged with rule "undo")
//       and prints what was taken back: the file, round and counts.
//   dtm quarantine list --operation OP [--batch N]
//       Table: id, batch, row, site, round, rule, message ("-" for a missing
//       site or round). Only batches that are not undone are listed.
//   dtm quarantine show ID --operation OP
//       One entry, with its row as it came: one `column = cell` line per cell,
//       the column being the source header's (read from the verbatim copy of
//       the batch). Without a stored header the cells are numbered instead.
//   dtm quarantine export --operation OP [--batch N] [-o FILE]
//       CSV for field teams to fix and resubmit: the source header and the
//       quarantined rows as they came (pii cells blank), plus the columns
//       _quarantine_rule,_quarantine_message,_source_row. A row quarantined for
//       several reasons is one line, its rules and messages joined by "; ". A
//       row longer than the header widens it with unnamed columns. Batches
//       whose headers differ cannot share one file: the command then fails
//       (FailedPrecondition) naming them, and --batch picks one.
//   dtm submissions show --operation OP --site S --round N [--type SA] [--raw]
//       The accepted submission: a heading (id, site, round, type, state,
//       batch, source row, enumerator, device), a blank line, then every
//       dictionary indicator in dictionary order as `indicator = value`, blank
//       values included (pii indicators are never stored, so always blank).
//       --raw prints the verbatim row instead, as `column = cell` lines (pii
//       cells were blanked before the row was stored).
//   dtm cleaning-log --operation OP [--round N] [--format csv|json] [-o FILE]
//       Exactly the columns entry_id,batch_id,submission_id,row,column,
//       indicator,old_value,new_value,rule,action,who,when; CSV (the default)
//       quoted as RFC 4180 needs, JSON an array of objects with those keys
//       (ids and row as numbers, a missing batch or submission as null).
//       Entries of undone batches stay in the log: it is the audit trail.
//   dtm cleaning-log --operation OP [--round N] --summary [--by rule|enumerator|device]
//                    [--format table|csv|json] [-o FILE]
//       Entries per key (default --by rule, --format table), most first, then
//       by key. It counts the same entries the log prints. The enumerator and
//       device of an entry are its submission's; an entry of a quarantined row
//       (which names no submission) gets them from the submission the batch
//       stored for that source row; entries with neither (a batch undo) count
//       under the empty key, shown "(none)" in the table.
//   dtm correct --operation OP --site S --round N [--type SA] --set NAME=VALUE --reason TEXT
//               [--force]
//       Sets one cleaned value of the accepted submission. NAME must be a
//       dictionary indicator that is not pii, and not site_id or round (they
//       identify the submission). The corrected record is judged by the rules
//       of ingest (ingest::CheckCorrection, the validator's own checks): VALUE
//       is read as ingest reads it ("1,200" -> "1200", a choice's label -> its
//       code, a missing-value word such as "n/a" -> blank), and every rule the
//       corrected record breaks that the stored one did not (its type, choice,
//       constraint, relevance, required, SADD sums, P-code…) refuses the
//       correction, exit 2, one line per rule: `rule RULE (INDICATOR):
//       message`, after the indicator, site and round. --force stores it all
//       the same, except a value that cannot be read as its type at all.
//       Logged with rule "correct", action "corrected: <reason>", or
//       "corrected, forced over RULE[, RULE…]: <reason>" when forced (the log
//       has no reason column, and its 12 columns are fixed: the reason is
//       where a reader looks for what was done and why), column "" (no source
//       column was involved), row the submission's source row, no batch.
//       Prints old -> new and the entry id, then `note: RULE: …` for what the
//       reading normalised and `forced over rule RULE (INDICATOR): …` for each
//       rule overridden. A value equal to the stored one changes and logs
//       nothing. Only one --set per command.
//   dtm correct --undo ENTRY_ID [--reason TEXT]
//       Reverts a correction: the value goes back to the entry's old_value,
//       logged with rule "correct_undo" and action "reverted: entry ENTRY_ID"
//       (": <reason>" appended when given). Refused (FailedPrecondition) when
//       the entry is not a correction, is already reverted, its submission is
//       no longer accepted, or the value changed since (undo the later
//       correction first).
//
// Exit codes: 0 ok, 2 usage, 3+ failure (Fail: NotFound 3, FailedPrecondition
// 4…). Every command takes --db PATH (or $OPENDTM_DB) and --country ISO3 where
// an operation name is ambiguous.
#ifndef OPENDTM_CLI_REVIEW_COMMANDS_H_
#define OPENDTM_CLI_REVIEW_COMMANDS_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

// `dtm ingest undo BATCH`; main dispatches here when the second word is "undo".
int RunIngestUndoCommand(const CommandLine& line, const Environment& environment);
int RunQuarantineCommand(const CommandLine& line, const Environment& environment);
int RunSubmissionsCommand(const CommandLine& line, const Environment& environment);
int RunCleaningLogCommand(const CommandLine& line, const Environment& environment);
int RunCorrectCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_REVIEW_COMMANDS_H_
