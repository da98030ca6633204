#include "cli/operation_dictionary_command.h"

#include <optional>
#include <string>
#include <vector>

#include "cli/disclosed_read.h"
#include "cli/store_access.h"
#include "dictionary/compatibility.h"
#include "dictionary/linter.h"
#include "dictionary/protection_changes.h"
#include "dictionary/resolved_yaml.h"

namespace opendtm::cli {
namespace {

constexpr int kExitUsage = 2;
constexpr const char* kUsage =
    "dtm operation dictionary OP [FILE] [--country ISO3] [--history] [--as USER]";

int Usage(const Environment& environment, const std::string& problem) {
  *environment.err << "dtm operation dictionary: " << problem << "\nusage: " << kUsage << "\n";
  return kExitUsage;
}

void PrintVersion(std::ostream& out, const store::OperationDictionary& version) {
  out << "version " << version.version << ": dictionary " << version.dictionary_version
      << ", sha256 " << version.content_hash << ", registered " << version.registered_at << " by "
      << version.registered_by << "\n";
}

int Show(const CommandLine& line, const Environment& environment, store::Store& store,
         const store::Operation& operation) {
  std::ostream& out = *environment.out;
  out << "operation " << operation.name << " (" << operation.country << ")\n";
  if (line.Switch("history")) {
    Result<std::vector<store::OperationDictionary>> history =
        store.OperationDictionaryHistory(operation.id);
    if (!history.ok()) return Fail(environment, history.status());
    for (const store::OperationDictionary& version : *history) PrintVersion(out, version);
    return 0;
  }
  Result<store::OperationDictionary> current = store.CurrentOperationDictionary(operation.id);
  if (!current.ok()) return Fail(environment, current.status());
  PrintVersion(out, *current);
  return 0;
}

// Why `next` may not replace `previous`, one reason a line; "" when it may.
std::string WhyRefused(const dictionary::Dictionary& previous, const dictionary::Dictionary& next) {
  std::vector<std::string> reasons;
  for (const dictionary::LintFinding& finding : dictionary::LintDictionary(next).findings) {
    reasons.push_back(finding.ToString());
  }
  for (const dictionary::DictionaryChange& change :
       dictionary::CompareDictionaries(previous, next)) {
    if (change.breaking) reasons.push_back("versions only add: " + change.message);
  }
  for (const std::string& lowered : dictionary::LoweredProtections(previous, next)) {
    reasons.push_back("classes only go up: " + lowered);
  }
  // Stores opened under another version read shared indicators by position.
  const auto& kept = previous.indicators();
  for (size_t indicator_idx = 0; indicator_idx < kept.size(); ++indicator_idx) {
    if (next.IndexOf(kept[indicator_idx].name) >= 0 &&
        next.IndexOf(kept[indicator_idx].name) != static_cast<int>(indicator_idx)) {
      reasons.push_back("indicator " + kept[indicator_idx].name +
                        " moved: new indicators go after the ones the version before had");
      break;
    }
  }
  std::string joined;
  for (const std::string& reason : reasons) joined += (joined.empty() ? "" : "\n") + reason;
  return joined;
}

int Register(const CommandLine& line, const Environment& environment, store::Store& store,
             const store::Operation& operation, const std::string& file) {
  // 1. Who: operation_admin only, refusals audited.
  ReadNeeds needs{"operation_dictionary", store::Tier::kOperationAdmin,
                  "registering an operation's dictionary is operation_admin only", false};
  Result<DisclosedRead> read =
      DisclosedRead::Open(store, environment, line, operation, needs, RequestFilters(line));
  if (!read.ok()) return Fail(environment, read.status());

  // 2. What: the file resolved, and the version it would replace.
  Result<std::string> resolved = dictionary::ResolveDictionaryFile(file);
  if (!resolved.ok()) return Fail(environment, read->Refuse(resolved.status()));
  Result<dictionary::Dictionary> next = dictionary::LoadResolvedDictionary(*resolved, file);
  if (!next.ok()) return Fail(environment, read->Refuse(next.status()));
  Result<store::OperationDictionary> current = store.CurrentOperationDictionary(operation.id);
  if (!current.ok()) return Fail(environment, current.status());
  Result<dictionary::Dictionary> previous = LoadOperationDictionary(store, operation.id);
  if (!previous.ok()) return Fail(environment, previous.status());
  if (*resolved == current->content) {
    *environment.out << file << " is already version " << current->version << " of "
                     << operation.name << "'s dictionary\n";
    Status audited = read->Finish(0, 0, "yaml", *resolved);
    return audited.ok() ? 0 : Fail(environment, audited);
  }

  // 3. Whether it may replace it.
  if (std::string why = WhyRefused(*previous, *next); !why.empty()) {
    return Fail(environment,
                read->Refuse(PermissionDeniedError(file + " may not replace dictionary version " +
                                                   std::to_string(current->version) + " of " +
                                                   operation.name + ":\n" + why)));
  }

  // 4. Stored, then audited (the audit record names what came in).
  store::OperationDictionary version;
  version.operation_id = operation.id;
  version.dictionary_version = next->version();
  version.content = *resolved;
  version.registered_at = NowIso();
  version.registered_by = ActingUser(line);
  Result<store::OperationDictionary> stored = store.AddOperationDictionary(version);
  if (!stored.ok()) return Fail(environment, stored.status());
  Status audited =
      read->Finish(static_cast<int64_t>(next->indicators().size()), 0, "yaml", stored->content);
  if (!audited.ok()) return Fail(environment, audited);
  *environment.out << "dictionary " << stored->dictionary_version << " in force for "
                   << operation.name << " (" << operation.country << ") as version "
                   << stored->version << ", sha256 " << stored->content_hash << "\n";
  return 0;
}

}  // namespace

int RunOperationDictionaryCommand(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags({"db", "country", "history", "as", "tier"});
      !known.ok()) {
    return Usage(environment, known.message());
  }
  const std::vector<std::string>& words = line.positional();
  if (words.size() != 3 && words.size() != 4) return Usage(environment, "want OP [FILE]");
  Environment named = environment;
  named.operation = words[2];
  named.country = line.Flag("country").value_or("");
  Result<OpenedStore> opened = OpenStore(named);
  if (!opened.ok()) return Fail(environment, opened.status());
  std::optional<std::string> country = line.Flag("country");
  Result<store::Operation> operation = opened->store->FindOperation(
      words[2], country ? std::optional<std::string_view>(*country) : std::nullopt);
  if (!operation.ok()) return Fail(environment, operation.status());
  if (words.size() == 3) return Show(line, environment, *opened->store, *operation);
  return Register(line, environment, *opened->store, *operation, words[3]);
}

}  // namespace opendtm::cli
