#include "cli/store_access.h"

#include <filesystem>
#include <optional>
#include <string_view>

#include "cli/audit_commands.h"
#include "core/number.h"
#include "dictionary/default_dictionary.h"
#include "dictionary/resolved_yaml.h"
#include "service/session.h"
#include "store/sqlite_store.h"

namespace opendtm::cli {

namespace {

Result<std::unique_ptr<store::Store>> OpenSqlite(const Environment& environment,
                                                 const dictionary::Dictionary& dictionary) {
  std::error_code error;
  const bool is_new =
      environment.db_path != ":memory:" && !std::filesystem::exists(environment.db_path, error);
  Result<std::unique_ptr<store::SqliteStore>> store =
      store::SqliteStore::Open(environment.db_path, dictionary);
  if (!store.ok()) return store.status().WithContext("database " + environment.db_path);
  // A new database gets its audit key at once (announced).
  if (is_new) RETURN_IF_ERROR(KeyNewDatabase(**store, environment));
  return std::unique_ptr<store::Store>(std::move(store).value());
}

}  // namespace

Result<OpenedStore> OpenStore(const Environment& environment) {
  // 1. The store under the built-in default dictionary.
  OpenedStore opened;
  ASSIGN_OR_RETURN(opened.dictionary, dictionary::LoadDefaultDictionary());
  ASSIGN_OR_RETURN(opened.store, OpenSqlite(environment, opened.dictionary));
  if (environment.operation.empty()) return opened;

  // 2. The operation's own dictionary, when it exists and is not the default:
  // the store is opened again under it (a new mission indicator gets its
  // column). An operation not found is the command's to report.
  Result<store::Operation> operation = opened.store->FindOperation(
      environment.operation, environment.country.empty()
                                 ? std::nullopt
                                 : std::optional<std::string_view>(environment.country));
  if (!operation.ok()) return opened;
  ASSIGN_OR_RETURN(store::OperationDictionary stored,
                   opened.store->CurrentOperationDictionary(operation->id));
  if (stored.content == dictionary::DefaultDictionaryYaml()) return opened;
  ASSIGN_OR_RETURN(opened.dictionary, LoadOperationDictionary(*opened.store, operation->id));
  if (environment.db_path == ":memory:") {
    return FailedPreconditionError(
        "an in-memory database cannot be opened again under the "
        "dictionary of operation " +
        operation->name);
  }
  opened.store.reset();
  ASSIGN_OR_RETURN(opened.store, OpenSqlite(environment, opened.dictionary));
  return opened;
}

Result<dictionary::Dictionary> LoadOperationDictionary(store::Store& store, int64_t operation_id) {
  ASSIGN_OR_RETURN(store::OperationDictionary stored,
                   store.CurrentOperationDictionary(operation_id));
  const std::string source = "dictionary version " + std::to_string(stored.version) +
                             " of operation " + std::to_string(operation_id);
  return dictionary::LoadResolvedDictionary(stored.content, source);
}

Result<store::Operation> ResolveOperation(store::Store& store, const CommandLine& line) {
  std::optional<std::string> name = line.Flag("operation");
  if (!name) return InvalidArgumentError("--operation NAME is required");
  std::optional<std::string> country = line.Flag("country");
  return store.FindOperation(*name,
                             country ? std::optional<std::string_view>(*country) : std::nullopt);
}

std::string NowIso() { return service::ClockNow(); }

core::Date Today() {
  Result<core::Date> date = core::ParseIsoDate(NowIso().substr(0, 10));
  return date.ok() ? *date : core::Date{1970, 1, 1};
}

int Fail(const Environment& environment, const Status& status) {
  *environment.err << "dtm: " << status.message() << "\n";
  return ExitCodeFor(status);
}

Result<std::pair<int, int>> RoundRange(const std::string& text, store::Store& store,
                                       int64_t operation_id) {
  if (text == "all") {
    ASSIGN_OR_RETURN(std::vector<store::Round> rounds, store.ListRounds(operation_id));
    if (rounds.empty()) return std::pair<int, int>{0, -1};  // nothing
    return std::pair<int, int>{rounds.front().number, rounds.back().number};
  }
  const size_t dash = text.find('-', 1);
  std::optional<int64_t> first = core::ParseInteger(text.substr(0, dash));
  std::optional<int64_t> last =
      dash == std::string::npos ? first : core::ParseInteger(text.substr(dash + 1));
  if (!first || !last || *first < 0 || *last < *first || *last > 1'000'000) {
    return InvalidArgumentError("--round must be N, A-B (A <= B) or all, not '" + text + "'");
  }
  return std::pair<int, int>{static_cast<int>(*first), static_cast<int>(*last)};
}

}  // namespace opendtm::cli
