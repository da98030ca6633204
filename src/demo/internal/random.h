// Random: the demo's own pseudo-random numbers, identical on every platform and
// standard library (std:: distributions are not: libstdc++ and libc++ give
// different numbers for the same engine and seed).
//
// The engine is xoshiro256** seeded through splitmix64 (Blackman & Vigna). Only
// integer arithmetic and exact double operations are used (no log, exp or
// pow), so the numbers do not depend on the math library either.
//
// Mix() derives independent seeds from a tuple of integers, so that each
// (site, round, indicator…) gets its own stream and the output does not depend
// on the order in which things are generated.
//
// Thread-safety: Random is a value type with mutable state; use one per thread.
#ifndef OPENDTM_DEMO_INTERNAL_RANDOM_H_
#define OPENDTM_DEMO_INTERNAL_RANDOM_H_

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

namespace opendtm::demo::internal {

// splitmix64's output function: a bijective 64-bit mixer.
inline uint64_t MixBits(uint64_t value) {
  value += 0x9E3779B97F4A7C15ULL;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

// A 64-bit digest of the ordered tuple `parts`.
inline uint64_t Mix(std::initializer_list<uint64_t> parts) {
  uint64_t digest = 0x6A09E667F3BCC908ULL;
  for (uint64_t part : parts) digest = MixBits(digest ^ MixBits(part));
  return digest;
}

// FNV-1a of `text`, for seeds derived from names (P-codes).
inline uint64_t HashText(std::string_view text) {
  uint64_t hash = 0xCBF29CE484222325ULL;
  for (char byte : text) {
    hash ^= static_cast<unsigned char>(byte);
    hash *= 0x100000001B3ULL;
  }
  return hash;
}

class Random {
 public:
  explicit Random(uint64_t seed) {
    for (uint64_t& word : state_) {
      seed += 0x9E3779B97F4A7C15ULL;
      word = MixBits(seed);
    }
  }

  // xoshiro256**.
  uint64_t Next() {
    const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
    const uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = RotateLeft(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1), 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [low, high).
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }
  // Uniform integer in [low, high], both included. Precondition: low <= high.
  int64_t UniformInt(int64_t low, int64_t high) {
    const uint64_t span = static_cast<uint64_t>(high - low) + 1;
    // Lemire's multiply-shift on the top 32 bits: bias below 2^-32 for the
    // small spans used here, and the same on every platform.
    const uint64_t draw = ((Next() >> 32) * span) >> 32;
    return low + static_cast<int64_t>(draw);
  }
  // Uniform index in [0, count). Precondition: count > 0.
  size_t PickIndex(size_t count) {
    return static_cast<size_t>(UniformInt(0, static_cast<int64_t>(count) - 1));
  }
  // True with probability `probability`.
  bool Chance(double probability) { return Uniform() < probability; }
  // An index drawn with probability proportional to `weights` (non-negative);
  // weights.size() - 1 when every weight is zero. Precondition: non-empty.
  size_t PickWeighted(std::span<const double> weights) {
    double total = 0;
    for (double weight : weights) total += weight;
    double target = Uniform() * total;
    for (size_t index = 0; index < weights.size(); ++index) {
      if (target < weights[index]) return index;
      target -= weights[index];
    }
    return weights.size() - 1;
  }

 private:
  static uint64_t RotateLeft(uint64_t value, int bits) {
    return (value << bits) | (value >> (64 - bits));
  }
  uint64_t state_[4];
};

}  // namespace opendtm::demo::internal

#endif  // OPENDTM_DEMO_INTERNAL_RANDOM_H_
