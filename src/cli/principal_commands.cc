#include "cli/principal_commands.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/disclosed_read.h"
#include "cli/service_session.h"
#include "cli/store_access.h"
#include "cli/table_output.h"
#include "core/csv_writer.h"
#include "core/date.h"
#include "core/number.h"
#include "core/text.h"
#include "disclosure/access.h"
#include "disclosure/policy.h"
#include "service/door.h"
#include "service/principals.h"

namespace opendtm::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kExitUsage = 2;

int Usage(const Environment& environment, std::string_view command, const std::string& problem) {
  *environment.err << "dtm " << command << ": " << problem
                   << "\n(see the usage at the top of dtm help, or src/cli/principal_commands.h)\n";
  return kExitUsage;
}

// "NAME" or "NAME@ISO3" to an operation.
Result<store::Operation> OperationNamed(store::Store& store, std::string_view text,
                                        const CommandLine& line) {
  std::string name(core::Trim(text));
  std::optional<std::string> country = line.Flag("country");
  if (size_t at = name.rfind('@'); at != std::string::npos && name.size() - at == 4) {
    country = name.substr(at + 1);
    name = name.substr(0, at);
  }
  return store.FindOperation(name,
                             country ? std::optional<std::string_view>(*country) : std::nullopt);
}

// "OP=TIER,OP2=TIER" to tiers.
Result<std::vector<store::UserTier>> ParseTiers(store::Store& store, const CommandLine& line) {
  std::vector<store::UserTier> tiers;
  for (const std::string& item : line.ListFlag("tier")) {
    const size_t equals = item.rfind('=');
    if (equals == std::string::npos) {
      return InvalidArgumentError("--tier wants OPERATION=TIER, not '" + item + "'");
    }
    std::optional<store::Tier> tier = store::ParseTier(core::Trim(item.substr(equals + 1)));
    if (!tier) {
      return InvalidArgumentError(
          "--tier " + item + ": the tier must be public, partner, protection or operation_admin");
    }
    Result<store::Operation> operation = OperationNamed(store, item.substr(0, equals), line);
    if (!operation.ok()) return operation.status();
    tiers.push_back({operation->id, *tier});
  }
  return tiers;
}

std::string Joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += separator;
    joined += item;
  }
  return joined;
}

// Prints `rows` as the --format asks (table, csv, json).
int PrintRows(const Environment& environment, const CommandLine& line,
              const std::vector<std::string>& header,
              const std::vector<std::vector<std::string>>& rows) {
  const std::string format = line.Flag("format").value_or("table");
  if (format == "csv") {
    *environment.out << core::CsvLine(header);
    for (const auto& row : rows) *environment.out << core::CsvLine(row);
  } else if (format == "json") {
    Json list = Json::array();
    for (const auto& row : rows) {
      Json object;
      for (size_t idx = 0; idx < header.size(); ++idx) object[header[idx]] = row[idx];
      list.push_back(object);
    }
    *environment.out << list.dump(2) << "\n";
  } else if (format == "table") {
    PrintTable(*environment.out, header, rows);
  } else {
    *environment.err << "dtm: --format must be table, csv or json\n";
    return kExitUsage;
  }
  return 0;
}

std::string OperationText(store::Store& store, int64_t operation_id) {
  Result<store::Operation> operation = store.GetOperation(operation_id);
  return operation.ok() ? operation->name + "@" + operation->country
                        : "#" + std::to_string(operation_id);
}

std::string State(const std::string& revoked_at) {
  return revoked_at.empty() ? "active" : "revoked " + revoked_at.substr(0, 10);
}

// org list|add|revoke, through the service (principals.h).
int RunOrgVerb(const CommandLine& line, const Environment& environment, service::Session& session,
               const std::string& verb, const std::vector<std::string>& words) {
  if (verb == "list") {
    Result<std::vector<store::Organisation>> organisations = service::ListOrganisations(session);
    if (!organisations.ok()) return Fail(environment, organisations.status());
    std::vector<std::vector<std::string>> rows;
    for (const store::Organisation& organisation : *organisations) {
      rows.push_back({organisation.name, Joined(organisation.clusters, ","),
                      State(organisation.revoked_at), organisation.created_at});
    }
    return PrintRows(environment, line, {"organisation", "clusters", "state", "created_at"}, rows);
  }
  if (verb == "revoke") {
    if (Status revoked = service::RevokeOrganisation(session, words[2]); !revoked.ok()) {
      return Fail(environment, revoked);
    }
    *environment.out << "organisation '" << words[2] << "' revoked: its users can no longer read\n";
    return 0;
  }
  std::vector<std::string> clusters;
  for (const std::string& cluster : line.ListFlag("clusters")) {
    clusters.push_back(core::AsciiLower(core::Trim(cluster)));
  }
  if (clusters.empty()) return Usage(environment, "org", "add wants --clusters protection,gbv,…");
  Result<store::Organisation> added = service::AddOrganisation(session, words[2], clusters);
  if (!added.ok()) return Fail(environment, added.status());
  *environment.out << "organisation '" << added->name << "' added (clusters "
                   << Joined(added->clusters, ", ") << ")\n";
  return 0;
}

// user list|add|tier|revoke, through the service (principals.h).
int RunUserVerb(const CommandLine& line, const Environment& environment, service::Session& session,
                const std::string& verb, const std::vector<std::string>& words) {
  store::Store& store = *session.store;
  if (verb == "list") {
    Result<std::vector<store::User>> users = service::ListUsers(session);
    if (!users.ok()) return Fail(environment, users.status());
    std::vector<std::vector<std::string>> rows;
    for (const store::User& user : *users) {
      Result<store::Organisation> organisation = store.GetOrganisation(user.organisation_id);
      std::vector<std::string> tiers;
      for (const store::UserTier& tier : user.tiers) {
        tiers.push_back(OperationText(store, tier.operation_id) + "=" +
                        std::string(store::TierName(tier.tier)));
      }
      rows.push_back({user.name, organisation.ok() ? organisation->name : "", Joined(tiers, ","),
                      State(user.revoked_at)});
    }
    return PrintRows(environment, line, {"user", "organisation", "tiers", "state"}, rows);
  }
  Result<std::vector<store::UserTier>> tiers = ParseTiers(store, line);
  if (!tiers.ok()) return Fail(environment, tiers.status());
  if (verb == "revoke") {
    if (Status revoked = service::RevokeUser(session, words[2]); !revoked.ok()) {
      return Fail(environment, revoked);
    }
    *environment.out << "user '" << words[2] << "' revoked\n";
    return 0;
  }
  if (verb == "tier") {
    if (tiers->empty()) return Usage(environment, "user", "tier wants --tier OP=TIER[,…]");
    if (Status set = service::SetUserTiers(session, words[2], *tiers); !set.ok()) {
      return Fail(environment, set);
    }
    *environment.out << "user '" << words[2] << "': " << tiers->size() << " tier(s) set\n";
    return 0;
  }
  std::optional<std::string> org = line.Flag("org");
  if (!org) return Usage(environment, "user", "add wants --org ORG");
  Result<store::User> added = service::AddUser(session, words[2], *org, *tiers);
  if (!added.ok()) return Fail(environment, added.status());
  Result<store::Organisation> organisation = store.GetOrganisation(added->organisation_id);
  *environment.out << "user '" << added->name << "' added to '"
                   << (organisation.ok() ? organisation->name : *org) << "' with "
                   << added->tiers.size() << " tier(s); public elsewhere\n";
  return 0;
}

}  // namespace

int RunOrgCommand(const CommandLine& line, const Environment& environment) {
  const std::vector<std::string>& words = line.positional();
  if (Status known = line.CheckKnownFlags({"db", "dictionary", "clusters", "format", "as"});
      !known.ok()) {
    return Usage(environment, "org", known.message());
  }
  const std::string verb = words.size() >= 2 ? words[1] : "";
  if (verb != "add" && verb != "list" && verb != "revoke") {
    return Usage(environment, "org", "want add, list or revoke");
  }
  if (verb != "list" && words.size() != 3)
    return Usage(environment, "org", verb + " wants one NAME");
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  Result<service::Session> session = SessionFor(line, environment, *opened->store, /*tier_flag_is_reader=*/false);
  if (!session.ok()) return Fail(environment, session.status());
  const int exit_code = RunOrgVerb(line, environment, *session, verb, words);
  PrintNotices(environment, *session);
  return exit_code;
}

int RunUserCommand(const CommandLine& line, const Environment& environment) {
  const std::vector<std::string>& words = line.positional();
  if (Status known =
          line.CheckKnownFlags({"db", "dictionary", "org", "tier", "country", "format", "as"});
      !known.ok()) {
    return Usage(environment, "user", known.message());
  }
  const std::string verb = words.size() >= 2 ? words[1] : "";
  if (verb != "add" && verb != "list" && verb != "revoke" && verb != "tier") {
    return Usage(environment, "user", "want add, tier, list or revoke");
  }
  if (verb != "list" && words.size() != 3)
    return Usage(environment, "user", verb + " wants one NAME");
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  Result<service::Session> session = SessionFor(line, environment, *opened->store, /*tier_flag_is_reader=*/false);
  if (!session.ok()) return Fail(environment, session.status());
  const int exit_code = RunUserVerb(line, environment, *session, verb, words);
  PrintNotices(environment, *session);
  return exit_code;
}

int RunDsaCommand(const CommandLine& line, const Environment& environment) {
  const std::vector<std::string>& words = line.positional();
  if (Status known = line.CheckKnownFlags({"db", "dictionary", "org", "operation", "country",
                                           "tier", "from", "to", "purpose", "format", "as"});
      !known.ok()) {
    return Usage(environment, "dsa", known.message());
  }
  const std::string verb = words.size() >= 2 ? words[1] : "";
  if (verb != "add" && verb != "list" && verb != "revoke") {
    return Usage(environment, "dsa", "want add, list or revoke");
  }
  if (verb != "list" && words.size() != 3)
    return Usage(environment, "dsa", verb + " wants one REF");
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  const std::string today = core::ToIso(Today());
  if (verb == "list") {
    Result<std::vector<store::DataSharingAgreement>> agreements = store.ListDsas();
    if (!agreements.ok()) return Fail(environment, agreements.status());
    std::vector<std::vector<std::string>> rows;
    for (const store::DataSharingAgreement& dsa : *agreements) {
      Result<store::Organisation> organisation = store.GetOrganisation(dsa.organisation_id);
      std::vector<std::string> operations;
      for (int64_t id : dsa.operation_ids) operations.push_back(OperationText(store, id));
      std::string state = !dsa.revoked_at.empty()  ? State(dsa.revoked_at)
                          : today > dsa.valid_to   ? "expired"
                          : today < dsa.valid_from ? "not yet valid"
                                                   : "valid";
      rows.push_back({dsa.reference, organisation.ok() ? organisation->name : "",
                      Joined(operations, ","), std::string(store::TierName(dsa.tier)),
                      dsa.valid_from, dsa.valid_to, state, dsa.purpose});
    }
    return PrintRows(
        environment, line,
        {"reference", "organisation", "operations", "tier", "from", "to", "state", "purpose"},
        rows);
  }
  if (verb == "revoke") {
    Result<store::DataSharingAgreement> dsa = store.FindDsa(words[2]);
    if (!dsa.ok()) return Fail(environment, dsa.status());
    if (Status allowed = RequireOperationAdmin(store, line, dsa->operation_ids); !allowed.ok()) {
      return Fail(environment, allowed);
    }
    if (Status revoked = store.RevokeDsa(words[2], NowIso()); !revoked.ok()) {
      return Fail(environment, revoked);
    }
    *environment.out << "agreement " << words[2]
                     << " revoked: protection access under it ends now\n";
    return 0;
  }
  store::DataSharingAgreement dsa;
  dsa.reference = words[2];
  std::optional<std::string> org = line.Flag("org");
  std::optional<std::string> from = line.Flag("from");
  std::optional<std::string> to = line.Flag("to");
  std::optional<std::string> purpose = line.Flag("purpose");
  if (!org || !from || !to || !purpose || line.ListFlag("operation").empty()) {
    return Usage(environment, "dsa",
                 "add wants --org ORG --operation OP --tier protection --from DATE --to DATE "
                 "--purpose TEXT");
  }
  for (const std::string* date : {&*from, &*to}) {
    if (!core::ParseIsoDate(*date).ok() || date->size() != 10) {
      return Usage(environment, "dsa", "dates are YYYY-MM-DD, not '" + *date + "'");
    }
  }
  std::optional<store::Tier> tier = store::ParseTier(line.Flag("tier").value_or("protection"));
  if (!tier) return Usage(environment, "dsa", "--tier must be a tier name");
  Result<store::Organisation> organisation = store.FindOrganisation(*org);
  if (!organisation.ok()) return Fail(environment, organisation.status());
  for (const std::string& name : line.ListFlag("operation")) {
    Result<store::Operation> operation = OperationNamed(store, name, line);
    if (!operation.ok()) return Fail(environment, operation.status());
    dsa.operation_ids.push_back(operation->id);
  }
  if (Status allowed = RequireOperationAdmin(store, line, dsa.operation_ids); !allowed.ok()) {
    return Fail(environment, allowed);
  }
  dsa.organisation_id = organisation->id;
  dsa.tier = *tier;
  dsa.valid_from = *from;
  dsa.valid_to = *to;
  dsa.purpose = *purpose;
  dsa.created_at = NowIso();
  Result<store::DataSharingAgreement> added = store.AddDsa(dsa);
  if (!added.ok()) return Fail(environment, added.status());
  *environment.out << "agreement " << added->reference << " added: '" << organisation->name
                   << "' may read with tier " << store::TierName(added->tier) << " from "
                   << added->valid_from << " to " << added->valid_to << "\n";
  return 0;
}

int RunPolicyCommand(const CommandLine& line, const Environment& environment) {
  const std::vector<std::string>& words = line.positional();
  if (Status known =
          line.CheckKnownFlags({"db", "dictionary", "operation", "country", "tier", "k-sites",
                                "k-people", "rounding", "k-anonymity", "note", "history", "as"});
      !known.ok()) {
    return Usage(environment, "policy", known.message());
  }
  const std::string verb = words.size() >= 2 ? words[1] : "";
  if (verb != "show" && verb != "set") return Usage(environment, "policy", "want show or set");
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  Result<store::Operation> operation = ResolveOperation(store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  Result<disclosure::Policy> policy = service::CurrentPolicy(store, operation->id);
  if (!policy.ok()) return Fail(environment, policy.status());
  if (verb == "show") {
    Json shown = {{"operation", operation->name},
                  {"country", operation->country},
                  {"version", policy->version}};
    shown["rules"] = Json::parse(disclosure::PolicyJson(*policy));
    if (line.Switch("history")) {
      Result<std::vector<store::PolicyVersion>> history = store.PolicyHistory(operation->id);
      if (!history.ok()) return Fail(environment, history.status());
      Json versions = Json::array();
      for (const store::PolicyVersion& version : *history) {
        versions.push_back({{"version", version.version},
                            {"created_at", version.created_at},
                            {"created_by", version.created_by},
                            {"note", version.note}});
      }
      shown["history"] = versions;
    }
    *environment.out << shown.dump(2) << "\n";
    return 0;
  }
  if (Status allowed = RequireOperationAdmin(store, line, {operation->id}); !allowed.ok()) {
    return Fail(environment, allowed);
  }
  std::optional<store::Tier> tier = store::ParseTier(line.Flag("tier").value_or(""));
  if (!tier)
    return Usage(environment, "policy",
                 "set wants --tier public|partner|protection|operation_admin");
  disclosure::TierRules& rules = policy->For(*tier);
  const std::pair<const char*, int*> fields[] = {{"k-sites", &rules.k_sites},
                                                 {"k-people", &rules.k_people},
                                                 {"rounding", &rules.rounding_base},
                                                 {"k-anonymity", &rules.k_anonymity}};
  bool changed = false;
  for (const auto& [flag, field] : fields) {
    std::optional<std::string> text = line.Flag(flag);
    if (!text) continue;
    std::optional<int64_t> value = core::ParseInteger(*text);
    if (!value || *value < 0 || *value > 1'000'000) {
      return Usage(environment, "policy", std::string("--") + flag + " wants a whole number");
    }
    *field = static_cast<int>(*value);
    changed = true;
  }
  if (!changed)
    return Usage(environment, "policy",
                 "set wants --k-sites, --k-people, --rounding or --k-anonymity");
  // Validate through the same parser that reads it back.
  const std::string rules_json = disclosure::PolicyJson(*policy);
  if (Result<disclosure::Policy> valid = disclosure::ParsePolicy(rules_json, 0); !valid.ok()) {
    return Fail(environment, valid.status());
  }
  store::PolicyVersion version;
  version.operation_id = operation->id;
  version.rules = rules_json;
  version.created_at = NowIso();
  version.created_by = ActingUser(line);
  version.note = line.Flag("note").value_or("");
  Result<store::PolicyVersion> stored = store.AddPolicyVersion(version);
  if (!stored.ok()) return Fail(environment, stored.status());
  *environment.out << "policy version " << stored->version << " of " << operation->name
                   << " in force: tier " << store::TierName(*tier) << " k_sites " << rules.k_sites
                   << ", k_people " << rules.k_people << ", rounding " << rules.rounding_base
                   << ", k_anonymity " << rules.k_anonymity << "\n";
  return 0;
}

}  // namespace opendtm::cli
