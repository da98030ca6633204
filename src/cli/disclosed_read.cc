#include "cli/disclosed_read.h"

#include <algorithm>
#include <sstream>
#include <utility>

#include "cli/audit_commands.h"
#include "cli/service_session.h"
#include "cli/store_access.h"
#include "core/date.h"
#include "core/sha256.h"

namespace opendtm::cli {
std::string ActingUser(const CommandLine& line) {
  return line.Flag("as").value_or(std::string(disclosure::kLocalAdmin));
}

Status AppendAudit(store::Store& store, const Environment& environment, store::AuditRecord record) {
  return AppendAuditRecord(store, environment, std::move(record));
}

Status RequireOperationAdmin(store::Store& store, const CommandLine& line,
                             const std::vector<int64_t>& operation_ids) {
  const std::string user = ActingUser(line);
  Result<std::vector<store::Operation>> operations = store.ListOperations();
  if (!operations.ok()) return operations.status();
  std::vector<store::Operation> needed;
  for (const store::Operation& operation : *operations) {
    if (std::find(operation_ids.begin(), operation_ids.end(), operation.id) !=
        operation_ids.end()) {
      needed.push_back(operation);
    }
  }
  const std::vector<store::Operation>& candidates = operation_ids.empty() ? *operations : needed;
  bool any = false;
  for (const store::Operation& operation : candidates) {
    Result<disclosure::Access> access =
        disclosure::GrantAccess(store, user, operation, std::nullopt, core::ToIso(Today()));
    const bool admin = access.ok() && access->tier == store::Tier::kOperationAdmin;
    if (!admin && !operation_ids.empty()) {
      return PermissionDeniedError("user '" + user + "' is not the operation_admin of " +
                                   operation.name + " (" + operation.country + ")");
    }
    any = any || admin;
  }
  if (operation_ids.empty() && !any &&
      !(user == disclosure::kLocalAdmin && !store.FindUser(user).ok())) {
    return PermissionDeniedError("user '" + user + "' administers no operation");
  }
  return Status();
}

Result<DisclosedRead> DisclosedRead::Open(store::Store& store, const Environment& environment,
                                          const CommandLine& line,
                                          const store::Operation& operation, ReadNeeds needs,
                                          nlohmann::ordered_json filters) {
  ASSIGN_OR_RETURN(service::Session made, SessionFor(line, environment, store));
  auto session = std::make_unique<service::Session>(std::move(made));
  service::Needs door_needs;
  door_needs.action = std::move(needs.dataset);
  door_needs.least_tier = needs.least_tier;
  door_needs.why_tier = std::move(needs.why_tier);
  door_needs.download = needs.download;
  Result<service::Door> door =
      service::Door::Enter(*session, operation, std::move(door_needs), std::move(filters));
  PrintNotices(environment, *session);
  session->notices.clear();
  if (!door.ok()) return door.status();
  return DisclosedRead(environment, std::move(session), std::move(door).value());
}

void DisclosedRead::Notify() {
  PrintNotices(*environment_, *session_);
  session_->notices.clear();
}

Status DisclosedRead::Refuse(Status refusal) {
  Status refused = door_->Refuse(std::move(refusal));
  Notify();
  return refused;
}

Status DisclosedRead::Finish(int64_t rows, int64_t columns, std::string_view format,
                             std::string_view content) {
  return FinishWithHash(rows, columns, format, core::Sha256::HexOf(content));
}

Status DisclosedRead::FinishWithHash(int64_t rows, int64_t columns, std::string_view format,
                                     std::string content_hash) {
  service::Outcome outcome;
  outcome.rows = rows;
  outcome.columns = columns;
  outcome.format = std::string(format);
  outcome.content_hash = std::move(content_hash);
  Status allowed = door_->Allow(outcome);
  Notify();
  return allowed;
}

nlohmann::ordered_json RequestFilters(const CommandLine& line) {
  nlohmann::ordered_json filters = nlohmann::ordered_json::object();
  std::string command;
  for (const std::string& word : line.positional()) command += (command.empty() ? "" : " ") + word;
  filters["command"] = command;
  for (const auto& [name, value] : line.flags()) {
    if (name == "db" || name == "dictionary" || name == "as" || name == "purpose") continue;
    filters[name] = value;
  }
  return filters;
}

int RunDisclosedRead(const CommandLine& line, const Environment& environment, ReadNeeds needs,
                     const std::function<int(const Environment&, DisclosedRead&)>& body) {
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  // 1. Which operation: the command's, else every operation (a regional
  // rollup, the whole quarantine), read with the lowest tier the user has.
  store::Operation operation;
  if (line.Flag("operation")) {
    Result<store::Operation> found = ResolveOperation(store, line);
    if (!found.ok()) return Fail(environment, found.status());
    operation = *found;
  } else {
    operation.name = "(every operation)";
  }
  // 2. Grant (or refuse, audited).
  Result<DisclosedRead> read =
      DisclosedRead::Open(store, environment, line, operation, needs, RequestFilters(line));
  if (!read.ok()) return Fail(environment, read.status());
  // 3. Run the command into a buffer, audit what it showed, then show it.
  std::ostringstream captured;
  Environment inner = environment;
  inner.out = &captured;
  const int exit_code = body(inner, *read);
  const std::string text = captured.str();
  if (read->refused()) {
    *environment.out << text;
    return exit_code;
  }
  const int64_t lines = static_cast<int64_t>(std::count(text.begin(), text.end(), '\n'));
  if (Status audited = read->Finish(lines, 0, line.Flag("format").value_or("text"), text);
      !audited.ok()) {
    return Fail(environment, audited);
  }
  *environment.out << text;
  return exit_code;
}

}  // namespace opendtm::cli
