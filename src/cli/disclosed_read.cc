#include "cli/disclosed_read.h"

#include <algorithm>
#include <sstream>
#include <utility>

#include "cli/audit_commands.h"
#include "cli/store_access.h"
#include "core/date.h"
#include "core/sha256.h"

namespace opendtm::cli {
namespace {

std::string JoinClusters(const std::vector<std::string>& clusters) {
  std::string joined;
  for (const std::string& cluster : clusters) joined += (joined.empty() ? "" : ",") + cluster;
  return joined;
}

std::string OperationLabel(const store::Operation& operation) {
  if (operation.country.empty()) return operation.name;
  return operation.name + " (" + operation.country + ")";
}

// Access to every operation at once (a regional rollup, the whole
// quarantine): the lowest tier the user reads the operations with, or the
// first refusal.
Result<disclosure::Access> GrantEverywhere(store::Store& store, std::string_view user,
                                           std::optional<store::Tier> requested) {
  ASSIGN_OR_RETURN(std::vector<store::Operation> operations, store.ListOperations());
  std::optional<disclosure::Access> lowest;
  for (const store::Operation& operation : operations) {
    ASSIGN_OR_RETURN(
        disclosure::Access access,
        disclosure::GrantAccess(store, user, operation, requested, core::ToIso(Today())));
    if (!lowest || access.tier < lowest->tier) lowest = access;
  }
  if (!lowest) {
    return disclosure::GrantAccess(store, user, store::Operation{}, requested,
                                   core::ToIso(Today()));
  }
  return *lowest;
}

}  // namespace

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

Result<disclosure::Policy> CurrentPolicy(store::Store& store, int64_t operation_id) {
  Result<store::PolicyVersion> stored = store.CurrentPolicy(operation_id);
  if (!stored.ok()) {
    if (stored.status().code() == StatusCode::kNotFound) return disclosure::DefaultPolicy();
    return stored.status();
  }
  return disclosure::ParsePolicy(stored->rules, stored->version);
}

Result<DisclosedRead> DisclosedRead::Open(store::Store& store, const Environment& environment,
                                          const CommandLine& line,
                                          const store::Operation& operation, ReadNeeds needs,
                                          nlohmann::ordered_json filters) {
  std::optional<store::Tier> requested;
  if (std::optional<std::string> tier = line.Flag("tier")) {
    requested = store::ParseTier(*tier);
    if (!requested) {
      return InvalidArgumentError(
          "--tier must be public, partner, protection or operation_admin, not '" + *tier + "'");
    }
  }
  DisclosedRead read(store, environment, operation, std::move(needs), std::move(filters),
                     line.Flag("purpose").value_or(""));
  const std::string user = ActingUser(line);
  // 1. Who, with which tier: refused reads are audited too.
  Result<disclosure::Access> access =
      operation.id == 0
          ? GrantEverywhere(store, user, requested)
          : disclosure::GrantAccess(store, user, operation, requested, core::ToIso(Today()));
  Status refusal;
  if (access.ok()) {
    read.access_ = *access;
    if (access->tier < read.needs_.least_tier) {
      refusal = PermissionDeniedError(
          std::string(read.needs_.dataset) + " of " + OperationLabel(operation) + " needs tier " +
          std::string(store::TierName(read.needs_.least_tier)) + " or above, and user '" + user +
          "' reads with tier " + std::string(store::TierName(access->tier)) +
          (read.needs_.why_tier.empty() ? "" : " (" + read.needs_.why_tier + ")"));
    } else if (read.purpose_.empty() &&
               (read.needs_.download || access->tier == store::Tier::kProtection)) {
      refusal = PermissionDeniedError(
          std::string(read.needs_.download ? "a download" : "a read with tier protection") +
          " needs a stated purpose (--purpose \"…\")");
    }
  } else if (access.status().code() == StatusCode::kPermissionDenied) {
    refusal = access.status();
    Result<disclosure::Principal> principal = disclosure::FindPrincipal(store, user);
    if (!principal.ok()) return principal.status();
    read.access_.principal = *principal;
    if (requested) read.access_.tier = *requested;
  } else {
    return access.status();
  }
  // 2. The policy in force.
  Result<disclosure::Policy> policy = CurrentPolicy(store, operation.id);
  if (!policy.ok()) return policy.status();
  read.policy_ = *policy;
  if (!refusal.ok()) {
    // The tier is unknown when the user was refused before one was granted.
    read.tier_known_ = access.ok() || requested.has_value();
    return read.Refuse(std::move(refusal));
  }
  return read;
}

store::AuditRecord DisclosedRead::Record(std::string outcome) const {
  store::AuditRecord record;
  record.time = NowIso();
  record.user = access_.principal.user;
  record.organisation = access_.principal.organisation;
  record.clusters = JoinClusters(access_.principal.clusters);
  record.tier = tier_known_ ? std::string(store::TierName(access_.tier)) : "";
  record.operation_id = operation_.id;
  record.operation = operation_.id == 0 ? operation_.name : OperationLabel(operation_);
  record.dataset = needs_.dataset;
  record.filters = filters_.dump();
  record.dsa = access_.dsa;
  record.purpose = purpose_;
  record.outcome = std::move(outcome);
  record.policy_version = policy_.version;
  return record;
}

Status DisclosedRead::Refuse(Status refusal) {
  refused_ = true;
  store::AuditRecord record = Record("refused");
  record.reason = refusal.message();
  if (Status audited = AppendAudit(*store_, *environment_, std::move(record)); !audited.ok()) {
    return audited;
  }
  return refusal;
}

Status DisclosedRead::Finish(int64_t rows, int64_t columns, std::string_view format,
                             std::string_view content) {
  return FinishWithHash(rows, columns, format, core::Sha256::HexOf(content));
}

Status DisclosedRead::FinishWithHash(int64_t rows, int64_t columns, std::string_view format,
                                     std::string content_hash) {
  store::AuditRecord record = Record("allowed");
  record.rows = rows;
  record.columns = columns;
  record.format = std::string(format);
  record.content_hash = std::move(content_hash);
  return AppendAudit(*store_, *environment_, std::move(record));
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
