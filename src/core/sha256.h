// SHA-256 (FIPS 180-4), incremental. Used to deduplicate stored source files;
// OpenSSL is not a dependency, and 100 lines of a published algorithm are
// cheaper than one.
//
// Thread-safety: a value type; one object per stream.
#ifndef OPENDTM_CORE_SHA256_H_
#define OPENDTM_CORE_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace opendtm::core {

class Sha256 {
 public:
  Sha256();

  // Feeds more bytes. Must not be called after Finish().
  void Update(std::string_view bytes);

  // The digest of everything fed so far. Call once.
  std::array<uint8_t, 32> Finish();

  // Finish() as 64 lower-case hex digits.
  std::string FinishHex();

  // The hex digest of `bytes`.
  static std::string HexOf(std::string_view bytes);

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_SHA256_H_
