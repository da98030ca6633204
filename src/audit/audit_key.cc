#include "audit/audit_key.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audit/crypto.h"

namespace opendtm::audit {
namespace {

constexpr const char* kKeyFileHeader =
    "# OpenDTM audit keys (one a line, oldest first): keep this file outside backups of the "
    "database\n";

std::string KeyLine(const AuditKey& key) { return key.id + " " + ToHex(key.secret) + "\n"; }

// Writes `contents` to a new file `path` with mode 0600 (O_EXCL: never over
// an existing file or through a link).
Status WriteNewPrivateFile(const std::string& path, const std::string& contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return AlreadyExistsError(path + " exists");
    return UnavailableError("cannot create " + path + ": " + std::strerror(errno));
  }
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t count = ::write(fd, contents.data() + written, contents.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      const std::string reason = std::strerror(errno);
      ::close(fd);
      return UnavailableError("cannot write " + path + ": " + reason);
    }
    written += static_cast<size_t>(count);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return UnavailableError("cannot write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return NotFoundError(path + " does not exist");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (!in && !in.eof()) return UnavailableError("cannot read " + path);
  return contents.str();
}

}  // namespace

std::string AuditKeyId(const std::string& secret) {
  return "k" + HmacSha256Hex(secret, "opendtm-audit-key-id").substr(0, 16);
}

AuditKey NewAuditKey() {
  AuditKey key;
  key.secret = RandomBytes(kHmacKeyBytes);
  key.id = AuditKeyId(key.secret);
  return key;
}

Result<AuditKeyring> AuditKeyring::Load(const std::string& path) {
  ASSIGN_OR_RETURN(std::string contents, ReadFile(path));
  std::vector<AuditKey> keys;
  std::istringstream lines(contents);
  std::string line;
  for (int line_number = 1; std::getline(lines, line); ++line_number) {
    if (line.empty() || line.starts_with("#")) continue;
    std::istringstream fields(line);
    std::string id, hex, extra;
    fields >> id >> hex >> extra;
    std::optional<std::string> secret = FromHex(hex);
    if (id.empty() || !extra.empty() || !secret || secret->size() != kHmacKeyBytes) {
      return DataLossError("the audit key file " + path + " is damaged at line " +
                           std::to_string(line_number) + " (want: ID HEX-KEY)");
    }
    if (AuditKeyId(*secret) != id) {
      return DataLossError("the audit key file " + path + " is damaged at line " +
                           std::to_string(line_number) + ": key " + id + " does not match its id");
    }
    keys.push_back({id, *secret});
  }
  if (keys.empty()) return DataLossError("the audit key file " + path + " holds no key");
  return AuditKeyring(std::move(keys));
}

const AuditKey* AuditKeyring::Find(const std::string& id) const {
  for (const AuditKey& key : keys_) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

Status CreateKeyFile(const std::string& path, const AuditKey& key) {
  return WriteNewPrivateFile(path, std::string(kKeyFileHeader) + KeyLine(key));
}

Status AddKeyToFile(const std::string& path, const AuditKey& key) {
  ASSIGN_OR_RETURN(AuditKeyring keyring, AuditKeyring::Load(path));
  std::string contents = kKeyFileHeader;
  for (const AuditKey& kept : keyring.keys()) contents += KeyLine(kept);
  contents += KeyLine(key);
  const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  std::error_code ignored;
  std::filesystem::remove(temporary, ignored);
  RETURN_IF_ERROR(WriteNewPrivateFile(temporary, contents));
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, ignored);
    return UnavailableError("cannot replace " + path + ": " + error.message());
  }
  return Status::Ok();
}

std::string KeyPathFor(const std::string& db_path) { return db_path + ".audit-key"; }

std::string SigningKeyPathFor(const std::string& key_path) {
  constexpr std::string_view kSuffix = "audit-key";
  if (key_path.ends_with(kSuffix)) {
    return key_path.substr(0, key_path.size() - kSuffix.size()) + "audit-sign-key";
  }
  return key_path + ".sign";
}

Result<SigningKey> LoadSigningKey(const std::string& path) {
  ASSIGN_OR_RETURN(std::string contents, ReadFile(path));
  std::istringstream fields(contents);
  std::string kind, hex;
  fields >> kind >> hex;
  std::optional<std::string> secret = FromHex(hex);
  std::optional<std::string> public_key =
      secret ? SigningPublicKeyOf(*secret) : std::optional<std::string>();
  if (kind != "ed25519" || !public_key) {
    return DataLossError("the signing key file " + path + " is damaged (want: ed25519 HEX)");
  }
  return SigningKey{*public_key, *secret};
}

Result<SigningKey> CreateSigningKey(const std::string& path) {
  SigningKeyPair pair = NewSigningKeyPair();
  RETURN_IF_ERROR(WriteNewPrivateFile(path, "ed25519 " + ToHex(pair.secret_key) + "\n"));
  return SigningKey{pair.public_key, pair.secret_key};
}

}  // namespace opendtm::audit
