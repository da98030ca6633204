// The audit module's cryptography: libsodium behind one small interface
// (HMAC-SHA-256 for the keyed chain, Ed25519 for checkpoints, random bytes
// for keys, hex). Nothing else in OpenDTM includes <sodium.h>.
//
// Keys and signatures are raw bytes held in std::string. Thread-safety: every
// function may be called from any thread (libsodium is initialised once).
#ifndef OPENDTM_AUDIT_CRYPTO_H_
#define OPENDTM_AUDIT_CRYPTO_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace opendtm::audit {

// Sizes of what this interface takes and gives, in bytes.
inline constexpr size_t kHmacKeyBytes = 32;
inline constexpr size_t kSigningPublicKeyBytes = 32;
inline constexpr size_t kSigningSecretKeyBytes = 64;
inline constexpr size_t kSignatureBytes = 64;

// `count` bytes from the operating system's random source.
std::string RandomBytes(size_t count);

// HMAC-SHA-256 of `message` under `key` (any length), as 64 lower-case hex digits.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// Lower-case hex of `bytes`, and back (nullopt for anything but an even
// number of hex digits).
std::string ToHex(std::string_view bytes);
std::optional<std::string> FromHex(std::string_view hex);

// True when the two strings are equal, in time that does not depend on where
// they differ (for comparing links and MACs).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// An Ed25519 key pair.
struct SigningKeyPair {
  std::string public_key;  // kSigningPublicKeyBytes
  std::string secret_key;  // kSigningSecretKeyBytes (libsodium's: seed and public key)
};

SigningKeyPair NewSigningKeyPair();
// The public half of a secret key; nullopt when it has the wrong size.
std::optional<std::string> SigningPublicKeyOf(std::string_view secret_key);
// The detached Ed25519 signature of `message` (kSignatureBytes); "" when the
// secret key has the wrong size.
std::string Sign(std::string_view secret_key, std::string_view message);
// True when `signature` is `public_key`'s signature of `message`.
bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature);

}  // namespace opendtm::audit

#endif  // OPENDTM_AUDIT_CRYPTO_H_
