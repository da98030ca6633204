// SHA-256, incremental: OpenSSL's libcrypto (which uses the CPU's SHA
// instructions where there are some) behind a small value-like interface.
// Used to recognise a source file ingested before, to deduplicate stored
// source copies, and (later) to chain audit records.
//
// Thread-safety: one object per stream; distinct objects are independent.
#ifndef OPENDTM_CORE_SHA256_H_
#define OPENDTM_CORE_SHA256_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opendtm::core {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // Feeds more bytes. Must not be called after Finish().
  void Update(std::string_view bytes);

  // The digest of everything fed so far. Call once.
  std::array<uint8_t, 32> Finish();

  // Finish() as 64 lower-case hex digits.
  std::string FinishHex();

  // The hex digest of `bytes`.
  static std::string HexOf(std::string_view bytes);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

// The hex SHA-256 of a file's bytes, read in 1 MiB pieces.
// Errors: NotFound "cannot read PATH" when it cannot be opened; DataLoss when
// a read fails midway.
Result<std::string> Sha256HexOfFile(const std::string& path);

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_SHA256_H_
