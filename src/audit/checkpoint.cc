#include "audit/checkpoint.h"

#include <sstream>
#include <utility>

#include "audit/crypto.h"
#include "core/number.h"

namespace opendtm::audit {
namespace {

constexpr std::string_view kTitle = "OpenDTM audit checkpoint v1";
constexpr std::string_view kKeyPrefix = "ed25519:";

}  // namespace

std::string SignedText(const Checkpoint& checkpoint) {
  return std::string(kTitle) + "\nseq: " + std::to_string(checkpoint.seq) +
         "\nlink: " + checkpoint.link + "\ntime: " + checkpoint.time +
         "\npublic-key: " + std::string(kKeyPrefix) + ToHex(checkpoint.public_key) + "\n";
}

std::string FormatCheckpoint(const Checkpoint& checkpoint) {
  return SignedText(checkpoint) + "signature: " + ToHex(checkpoint.signature) + "\n";
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  std::istringstream lines{std::string(text)};
  std::string line;
  if (!std::getline(lines, line) || line != kTitle) {
    return InvalidArgumentError("not an OpenDTM audit checkpoint (its first line should be '" +
                                std::string(kTitle) + "')");
  }
  Checkpoint checkpoint;
  bool seen_seq = false, seen_link = false, seen_time = false, seen_key = false, seen_sig = false;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const size_t colon = line.find(": ");
    if (colon == std::string::npos) {
      return InvalidArgumentError("checkpoint line '" + line + "' is not 'name: value'");
    }
    const std::string name = line.substr(0, colon);
    const std::string value = line.substr(colon + 2);
    if (name == "seq") {
      std::optional<int64_t> seq = core::ParseInteger(value);
      if (!seq || *seq < 1) return InvalidArgumentError("checkpoint seq '" + value + "' is wrong");
      checkpoint.seq = *seq;
      seen_seq = true;
    } else if (name == "link") {
      if (value.size() != 64 || !FromHex(value)) {
        return InvalidArgumentError("checkpoint link is not 64 hex digits");
      }
      checkpoint.link = value;
      seen_link = true;
    } else if (name == "time") {
      checkpoint.time = value;
      seen_time = true;
    } else if (name == "public-key") {
      std::optional<std::string> key =
          value.starts_with(kKeyPrefix) ? FromHex(value.substr(kKeyPrefix.size())) : std::nullopt;
      if (!key || key->size() != kSigningPublicKeyBytes) {
        return InvalidArgumentError("checkpoint public-key is not ed25519:<64 hex digits>");
      }
      checkpoint.public_key = *key;
      seen_key = true;
    } else if (name == "signature") {
      std::optional<std::string> signature = FromHex(value);
      if (!signature || signature->size() != kSignatureBytes) {
        return InvalidArgumentError("checkpoint signature is not 128 hex digits");
      }
      checkpoint.signature = *signature;
      seen_sig = true;
    } else {
      return InvalidArgumentError("checkpoint line '" + name + "' is unknown");
    }
  }
  if (!(seen_seq && seen_link && seen_time && seen_key && seen_sig)) {
    return InvalidArgumentError(
        "the checkpoint lacks one of seq, link, time, public-key, signature");
  }
  return checkpoint;
}

Checkpoint SignCheckpoint(int64_t seq, std::string link, std::string time, const SigningKey& key) {
  Checkpoint checkpoint{seq, std::move(link), std::move(time), key.public_key, ""};
  checkpoint.signature = Sign(key.secret_key, SignedText(checkpoint));
  return checkpoint;
}

bool SignatureHolds(const Checkpoint& checkpoint) {
  return VerifySignature(checkpoint.public_key, SignedText(checkpoint), checkpoint.signature);
}

Status CheckLogExtends(std::span<const store::AuditRecord> records, const Checkpoint& checkpoint) {
  const int64_t count = static_cast<int64_t>(records.size());
  if (checkpoint.seq > count || records[checkpoint.seq - 1].seq != checkpoint.seq) {
    return DataLossError("the log does not extend the checkpoint: record " +
                         std::to_string(checkpoint.seq) + " is not in the log (" +
                         std::to_string(count) + " records)");
  }
  if (!ConstantTimeEqual(records[checkpoint.seq - 1].hash, checkpoint.link)) {
    return DataLossError("the log does not extend the checkpoint: record " +
                         std::to_string(checkpoint.seq) +
                         " is not the one checkpointed (its link differs)");
  }
  return Status::Ok();
}

}  // namespace opendtm::audit
