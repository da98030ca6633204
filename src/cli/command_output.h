// Where a command's text goes: the file of `-o FILE`, created readable by its
// owner only (core/private_file.h), or the command's output stream.
//
// `-o FILE` never names a file of the store: the database, its -wal, -shm and
// -journal files, the audit head file, the audit key file and the checkpoint
// signing key beside it. Writing one of them would destroy the stored data or
// the audit chain (`dtm export … -o opendtm.db` used to replace the live
// database). WriteOutput and PendingOutput::Create refuse them; a command that
// opens its output another way calls CheckOutputIsNotStoreFile first.
#ifndef OPENDTM_CLI_COMMAND_OUTPUT_H_
#define OPENDTM_CLI_COMMAND_OUTPUT_H_

#include <string>
#include <vector>

#include "cli/command_line.h"
#include "cli/environment.h"
#include "core/status.h"

namespace opendtm::cli {

// One file of the store and what it is, for the message that refuses it.
struct StoreFile {
  std::string path;
  std::string what;  // "the database itself", "the audit key file", …
};

// The files of the store `environment` names, as StoreFile records: the
// database (environment.db_path), its "-wal", "-shm" and "-journal" files,
// "<db>.audit-head", the audit key file ("<db>.audit-key" or
// $OPENDTM_AUDIT_KEY_FILE) and the signing key beside it. Whether they exist
// or not. None for an in-memory database.
std::vector<StoreFile> StoreFilesOf(const Environment& environment);

// OK when `output` is none of `files`. Compared as the file system sees them,
// not by spelling: the same file (device and inode: another spelling, a
// symbolic or a hard link) when both exist, or the same path once "." "..",
// and symbolic links are resolved (a -wal file between checkpoints does not
// exist, yet writing it would corrupt the database).
// Errors: InvalidArgument "-o FILE: refused: it is WHAT (RESOLVED PATH), a
// file of the store DB_PATH; …".
Status CheckOutputIsNotStoreFile(const std::string& output, const std::vector<StoreFile>& files,
                                 const std::string& db_path);
// As above, with the files of the store `environment` names.
Status CheckOutputIsNotStoreFile(const std::string& output, const Environment& environment);

// Writes `text` to -o FILE, saying "wrote WHAT to FILE" on the error stream,
// or to the environment's output when there is no -o. Returns the exit code:
// 0, or that of the failure to write (printed): 2 when FILE is a file of the
// store (CheckOutputIsNotStoreFile), which is left untouched.
int WriteOutput(const CommandLine& line, const Environment& environment, const std::string& text,
                const std::string& what);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_COMMAND_OUTPUT_H_
