#include "cli/store_access.h"

#include <chrono>
#include <ctime>

#include "dictionary/loader.h"
#include "store/sqlite_store.h"

namespace opendtm::cli {

Result<OpenedStore> OpenStore(const Environment& environment) {
  OpenedStore opened;
  ASSIGN_OR_RETURN(opened.dictionary, dictionary::LoadDictionaryFile(environment.dictionary_path));
  Result<std::unique_ptr<store::SqliteStore>> store =
      store::SqliteStore::Open(environment.db_path, opened.dictionary);
  if (!store.ok()) return store.status().WithContext("database " + environment.db_path);
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

}  // namespace opendtm::cli
