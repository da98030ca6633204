#include "disclosure/policy.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace opendtm::disclosure {
namespace {

using Json = nlohmann::ordered_json;

// The admin levels a tier's finest aggregate may be, by name.
std::optional<analysis::Level> AggregateLevel(std::string_view name) {
  for (analysis::Level level : {analysis::Level::kAdmin3, analysis::Level::kAdmin2,
                                analysis::Level::kAdmin1, analysis::Level::kCountry}) {
    if (analysis::LevelName(level) == name) return level;
  }
  return std::nullopt;
}

// A threshold field of a tier: an integer >= `least`.
Status ReadThreshold(const Json& object, std::string_view tier, const char* field, int least,
                     int& value) {
  if (!object.contains(field)) return Status();
  const Json& number = object[field];
  if (!number.is_number_integer() || number.get<int64_t>() < least ||
      number.get<int64_t>() > 1'000'000) {
    return InvalidArgumentError("policy tier " + std::string(tier) + ": " + field +
                                " must be an integer >= " + std::to_string(least) + ", not " +
                                number.dump());
  }
  value = number.get<int>();
  return Status();
}

Status ReadFlag(const Json& object, std::string_view tier, const char* field, bool& value) {
  if (!object.contains(field)) return Status();
  if (!object[field].is_boolean()) {
    return InvalidArgumentError("policy tier " + std::string(tier) + ": " + field +
                                " must be true or false, not " + object[field].dump());
  }
  value = object[field].get<bool>();
  return Status();
}

// A partner also reads the public release: public thresholds below
// partner's would publish to everyone what partners may not see.
Status CheckPublicNotBelowPartner(const Policy& policy) {
  const TierRules& public_rules = policy.For(Tier::kPublic);
  const TierRules& partner = policy.For(Tier::kPartner);
  const std::pair<const char*, int TierRules::*> fields[] = {
      {"k_sites", &TierRules::k_sites},
      {"k_people", &TierRules::k_people},
      {"n_group", &TierRules::n_group},
      {"k_anonymity", &TierRules::k_anonymity}};
  for (const auto& [field, member] : fields) {
    if (public_rules.*member < partner.*member) {
      return InvalidArgumentError("policy tier public: " + std::string(field) + " " +
                                  std::to_string(public_rules.*member) +
                                  " is lower than partner's " + std::to_string(partner.*member) +
                                  " (a partner also reads the public release)");
    }
  }
  return Status();
}

}  // namespace

Policy DefaultPolicy() {
  Policy policy;
  for (int tier_idx = 0; tier_idx < 4; ++tier_idx) {
    TierRules& rules = policy.tiers[tier_idx];
    rules.tier = static_cast<Tier>(tier_idx);
    const bool trusted = rules.tier == Tier::kProtection || rules.tier == Tier::kOperationAdmin;
    rules.site_rows = rules.tier != Tier::kPublic;
    rules.site_sensitive = trusted;
    rules.finest_aggregate =
        rules.tier == Tier::kPublic ? analysis::Level::kAdmin2 : analysis::Level::kAdmin3;
    rules.suppressed = !trusted;
  }
  return policy;
}

std::string PolicyJson(const Policy& policy) {
  Json tiers = Json::object();
  for (const TierRules& rules : policy.tiers) {
    tiers[std::string(store::TierName(rules.tier))] = {
        {"site_rows", rules.site_rows},
        {"site_sensitive", rules.site_sensitive},
        {"finest_aggregate", std::string(analysis::LevelName(rules.finest_aggregate))},
        {"suppressed", rules.suppressed},
        {"k_sites", rules.k_sites},
        {"k_people", rules.k_people},
        {"rounding_base", rules.rounding_base},
        {"k_anonymity", rules.k_anonymity},
        {"n_group", rules.n_group}};
  }
  return Json{{"tiers", tiers}}.dump();
}

Result<Policy> ParsePolicy(std::string_view json, int version) {
  Json document = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return InvalidArgumentError("policy: not a JSON object");
  }
  Policy policy = DefaultPolicy();
  policy.version = version;
  if (!document.contains("tiers")) return policy;
  if (!document["tiers"].is_object())
    return InvalidArgumentError("policy: tiers must be an object");
  static constexpr const char* kFields[] = {"site_rows",     "site_sensitive", "finest_aggregate",
                                            "suppressed",    "k_sites",        "k_people",
                                            "rounding_base", "k_anonymity",    "n_group"};
  for (const auto& [name, object] : document["tiers"].items()) {
    std::optional<Tier> tier = store::ParseTier(name);
    if (!tier) return InvalidArgumentError("policy: unknown tier '" + name + "'");
    if (!object.is_object()) return InvalidArgumentError("policy tier " + name + ": not an object");
    for (const auto& [field, value] : object.items()) {
      bool known = false;
      for (const char* expected : kFields) known = known || field == expected;
      if (!known)
        return InvalidArgumentError("policy tier " + name + ": unknown field '" + field + "'");
    }
    TierRules& rules = policy.For(*tier);
    if (Status status = ReadFlag(object, name, "site_rows", rules.site_rows); !status.ok())
      return status;
    if (Status status = ReadFlag(object, name, "site_sensitive", rules.site_sensitive);
        !status.ok()) {
      return status;
    }
    if (Status status = ReadFlag(object, name, "suppressed", rules.suppressed); !status.ok())
      return status;
    if (Status status = ReadThreshold(object, name, "k_sites", 1, rules.k_sites); !status.ok())
      return status;
    if (Status status = ReadThreshold(object, name, "k_people", 1, rules.k_people); !status.ok()) {
      return status;
    }
    if (Status status = ReadThreshold(object, name, "rounding_base", 0, rules.rounding_base);
        !status.ok()) {
      return status;
    }
    if (Status status = ReadThreshold(object, name, "k_anonymity", 1, rules.k_anonymity);
        !status.ok()) {
      return status;
    }
    if (Status status = ReadThreshold(object, name, "n_group", 1, rules.n_group); !status.ok()) {
      return status;
    }
    if (object.contains("finest_aggregate")) {
      std::optional<analysis::Level> level =
          object["finest_aggregate"].is_string()
              ? AggregateLevel(object["finest_aggregate"].get<std::string>())
              : std::nullopt;
      if (!level) {
        return InvalidArgumentError(
            "policy tier " + name +
            ": finest_aggregate must be admin3, admin2, admin1 or country, not " +
            object["finest_aggregate"].dump());
      }
      rules.finest_aggregate = *level;
    }
    if (rules.site_sensitive && !rules.site_rows) {
      return InvalidArgumentError(
          "policy tier " + name +
          ": site_sensitive needs site_rows (sensitive values are on site rows)");
    }
  }
  RETURN_IF_ERROR(CheckPublicNotBelowPartner(policy));
  return policy;
}

bool SiteValueVisible(const TierRules& rules, dictionary::DisseminationClass dissemination_class) {
  if (!rules.site_rows) return false;
  switch (dissemination_class) {
    case dictionary::DisseminationClass::kPublic:
      return true;
    case dictionary::DisseminationClass::kSensitive:
    case dictionary::DisseminationClass::kUrgent:
      return rules.site_sensitive;
    case dictionary::DisseminationClass::kPii:
      return false;
  }
  return false;
}

bool LevelVisible(const TierRules& rules, analysis::Level level) {
  if (level == analysis::Level::kSite) return rules.site_rows;
  if (level == analysis::Level::kRegion || level == analysis::Level::kGlobal) return true;
  // Levels are ordered finest first: admin3 < admin2 < admin1 < country.
  return static_cast<int>(level) >= static_cast<int>(rules.finest_aggregate);
}

}  // namespace opendtm::disclosure
