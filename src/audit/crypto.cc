#include "audit/crypto.h"

#include <sodium.h>

#include <cstdlib>

namespace opendtm::audit {
namespace {

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}
unsigned char* Bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

// sodium_init is idempotent and thread-safe; it fails only when the system
// has no random source, where no key could be made safely.
void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();
}

}  // namespace

std::string RandomBytes(size_t count) {
  EnsureSodium();
  std::string bytes(count, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  EnsureSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(message), message.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, Bytes(mac));
  sodium_memzero(&state, sizeof state);
  return ToHex(mac);
}

std::string ToHex(std::string_view bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), Bytes(bytes), bytes.size());
  hex.pop_back();
  return hex;
}

std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return std::nullopt;
    }
  }
  std::string bytes(hex.size() / 2, '\0');
  size_t length = 0;
  if (sodium_hex2bin(Bytes(bytes), bytes.size(), hex.data(), hex.size(), nullptr, &length,
                     nullptr) != 0 ||
      length != bytes.size()) {
    return std::nullopt;
  }
  return bytes;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

SigningKeyPair NewSigningKeyPair() {
  EnsureSodium();
  SigningKeyPair pair{std::string(crypto_sign_PUBLICKEYBYTES, '\0'),
                      std::string(crypto_sign_SECRETKEYBYTES, '\0')};
  crypto_sign_keypair(Bytes(pair.public_key), Bytes(pair.secret_key));
  return pair;
}

std::optional<std::string> SigningPublicKeyOf(std::string_view secret_key) {
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES) return std::nullopt;
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_ed25519_sk_to_pk(Bytes(public_key), Bytes(secret_key));
  return public_key;
}

std::string Sign(std::string_view secret_key, std::string_view message) {
  EnsureSodium();
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES) return "";
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(Bytes(signature), nullptr, Bytes(message), message.size(),
                       Bytes(secret_key));
  return signature;
}

bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature) {
  EnsureSodium();
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                     Bytes(public_key)) == 0;
}

}  // namespace opendtm::audit
