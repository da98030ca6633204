// Opening the store and finding an operation, as every store command does.
#ifndef OPENDTM_CLI_STORE_ACCESS_H_
#define OPENDTM_CLI_STORE_ACCESS_H_

#include <memory>
#include <string>
#include <utility>

#include "cli/command_line.h"
#include "cli/environment.h"
#include "core/date.h"
#include "dictionary/dictionary.h"
#include "store/store.h"

namespace opendtm::cli {

// The store at the environment's db_path, created or migrated as needed,
// and the dictionary the command works under: the one the store holds for
// the operation of environment.operation (spec/disclosure.md: classes come
// from the operation), else, when the command names no operation or one that
// does not exist (yet), the default dictionary built into the binary. The
// store is opened with that dictionary, so that its value columns and
// indexes follow it. The dictionary outlives nothing: the store copies what
// it needs.
struct OpenedStore {
  dictionary::Dictionary dictionary;
  std::unique_ptr<store::Store> store;
};

// Errors: those of SqliteStore::Open, with the path in the message; those of
// LoadOperationDictionary.
Result<OpenedStore> OpenStore(const Environment& environment);

// The dictionary `store` holds for the operation (its current version),
// loaded. For a command over several operations: each operation's classes
// come from its own dictionary. A store opened with another dictionary reads
// the indicators both share at the same indexes (versions only add, in
// order), and an indicator it does not know as blank. Errors: NotFound when
// the operation has no dictionary; InvalidArgument when the stored text does
// not load (naming the operation and version).
Result<dictionary::Dictionary> LoadOperationDictionary(store::Store& store, int64_t operation_id);

// The operation named by `--operation NAME` (verbatim) and `--country ISO3`
// when given. Errors: InvalidArgument when --operation is missing; NotFound;
// FailedPrecondition when the name is ambiguous across countries.
Result<store::Operation> ResolveOperation(store::Store& store, const CommandLine& line);

// The rounds of --round: N, A-B, or all (every round of the operation; the
// range (0, -1) when it has none). Errors: InvalidArgument.
Result<std::pair<int, int>> RoundRange(const std::string& text, store::Store& store,
                                       int64_t operation_id);

// The current time as ISO 8601 UTC ("2026-11-28T12:00:00Z").
std::string NowIso();
// Today's date, UTC (what today() means in a constraint).
core::Date Today();

// Prints `status` on the environment's error stream and returns its exit code.
int Fail(const Environment& environment, const Status& status);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_STORE_ACCESS_H_
