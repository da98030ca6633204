#include "cli/store_access.h"

#include <chrono>
#include <ctime>
#include <filesystem>

#include "cli/audit_commands.h"
#include "core/number.h"
#include "dictionary/loader.h"
#include "store/sqlite_store.h"

namespace opendtm::cli {

Result<OpenedStore> OpenStore(const Environment& environment) {
  OpenedStore opened;
  ASSIGN_OR_RETURN(opened.dictionary, dictionary::LoadDictionaryFile(environment.dictionary_path));
  std::error_code error;
  const bool is_new = environment.db_path != ":memory:" &&
                      !std::filesystem::exists(environment.db_path, error);
  Result<std::unique_ptr<store::SqliteStore>> store =
      store::SqliteStore::Open(environment.db_path, opened.dictionary);
  if (!store.ok()) return store.status().WithContext("database " + environment.db_path);
  // A new database gets its audit key at once (announced).
  if (is_new) RETURN_IF_ERROR(KeyNewDatabase(**store, environment));
  opened.store = std::move(store).value();
  return opened;
}

Result<store::Operation> ResolveOperation(store::Store& store, const CommandLine& line) {
  std::optional<std::string> name = line.Flag("operation");
  if (!name) return InvalidArgumentError("--operation NAME is required");
  std::optional<std::string> country = line.Flag("country");
  return store.FindOperation(*name, country ? std::optional<std::string_view>(*country)
                                            : std::nullopt);
}

std::string NowIso() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

core::Date Today() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  return {utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday};
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
