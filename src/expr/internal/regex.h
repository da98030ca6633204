// The PCRE2 adapter: the only code of the expression module that sees PCRE2.
//
// regex(s, pattern) in ODK tells whether `pattern` matches *somewhere* in `s`
// (JavaRosa's XPathRegexFunc calls RE.match(), which searches; Enketo uses
// RegExp.test()). Anchor with ^...$ for a whole-value match.
//
// Patterns are UTF-8 (PCRE2_UTF); a subject that is not valid UTF-8 is still
// matched safely (PCRE2_MATCH_INVALID_UTF). A match that hits the backtracking
// limit (kMatchLimit) counts as no match, so a pathological pattern in a form
// costs bounded time per value.
//
// Matching needs a pcre2_match_data, which is mutable and must not be shared
// between threads. Each thread keeps one (created on its first match, freed
// at thread exit) and reuses it for every pattern: with it, and with the JIT,
// a match does not allocate.
#ifndef OPENDTM_EXPR_INTERNAL_REGEX_H_
#define OPENDTM_EXPR_INTERNAL_REGEX_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

struct pcre2_real_code_8;  // pcre2_code, from <pcre2.h>

namespace opendtm::expr::internal {

// Backtracking steps allowed per match (PCRE2's match_limit).
inline constexpr uint32_t kMatchLimit = 1'000'000;

// A compiled pattern. Owns its pcre2_code. Immutable after Compile: Matches may
// be called from many threads at once.
class Regex {
 public:
  // Compiles `pattern` (and JIT-compiles it when PCRE2 has a JIT for this
  // machine; the interpreter is used otherwise). On a syntax error returns
  // InvalidArgument with PCRE2's message and the 0-based offset in the pattern,
  // e.g. "missing terminating ] for character class at offset 5".
  static Result<Regex> Compile(std::string_view pattern);

  Regex(Regex&& other) noexcept;
  Regex& operator=(Regex&& other) noexcept;
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  ~Regex();

  // Whether the pattern matches somewhere in `subject`.
  bool Matches(std::string_view subject) const;

  // Whether the JIT compiled this pattern (for tests and benchmarks).
  bool jit() const { return jit_; }

 private:
  Regex(pcre2_real_code_8* code, bool jit) : code_(code), jit_(jit) {}

  pcre2_real_code_8* code_;
  bool jit_;
};

// regex() with a pattern computed at evaluation time: compiles `pattern`
// (without JIT: it is used once), matches and frees it. Allocates. An invalid
// pattern matches nothing.
bool MatchOnce(std::string_view pattern, std::string_view subject);

}  // namespace opendtm::expr::internal

#endif  // OPENDTM_EXPR_INTERNAL_REGEX_H_
