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

// The dictionary of `environment` and the store at its db_path, created or
// migrated as needed. The dictionary outlives nothing: the store copies what
// it needs.
struct OpenedStore {
  dictionary::Dictionary dictionary;
  std::unique_ptr<store::Store> store;
};

// Errors: those of the dictionary loader and of SqliteStore::Open, with the
// path in the message.
Result<OpenedStore> OpenStore(const Environment& environment);

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
