#include "expr/internal/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <utility>

namespace opendtm::expr::internal {
namespace {

constexpr uint32_t kCompileOptions = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;

// PCRE2 before 10.43 rejects a null pointer even with a zero length, and an
// empty string_view may have one.
PCRE2_SPTR Pointer(std::string_view text) {
  return reinterpret_cast<PCRE2_SPTR>(text.empty() ? "" : text.data());
}

// The per-thread match state (see regex.h). Holds no per-pattern state: the
// match data is sized for one pair, which is all a yes/no match needs (PCRE2
// returns 0 instead of the pair count when the pattern has groups).
class ThreadMatchState {
 public:
  ThreadMatchState()
      : data_(pcre2_match_data_create(1, nullptr)), context_(pcre2_match_context_create(nullptr)) {
    if (context_ != nullptr) pcre2_set_match_limit(context_, kMatchLimit);
  }
  ThreadMatchState(const ThreadMatchState&) = delete;
  ThreadMatchState& operator=(const ThreadMatchState&) = delete;
  ~ThreadMatchState() {
    pcre2_match_data_free(data_);
    pcre2_match_context_free(context_);
  }

  bool Matches(const pcre2_code* code, std::string_view subject) {
    if (data_ == nullptr || context_ == nullptr) return false;  // out of memory at thread start
    const int rc = pcre2_match(code, Pointer(subject), subject.size(), 0, 0, data_, context_);
    return rc >= 0;
  }

 private:
  pcre2_match_data* data_;
  pcre2_match_context* context_;
};

ThreadMatchState& ThisThreadMatchState() {
  thread_local ThreadMatchState state;
  return state;
}

std::string ErrorMessage(int error_code, size_t offset) {
  PCRE2_UCHAR buffer[256];
  const int length = pcre2_get_error_message(error_code, buffer, sizeof(buffer));
  std::string message =
      length > 0 ? std::string(reinterpret_cast<const char*>(buffer), static_cast<size_t>(length))
                 : "error " + std::to_string(error_code);
  return message + " at offset " + std::to_string(offset);
}

}  // namespace

Result<Regex> Regex::Compile(std::string_view pattern) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(Pointer(pattern), pattern.size(), kCompileOptions, &error_code,
                                   &error_offset, nullptr);
  if (code == nullptr) return InvalidArgumentError(ErrorMessage(error_code, error_offset));
  // Without JIT support (or for a pattern the JIT refuses) pcre2_match falls
  // back to the interpreter by itself.
  const bool jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  return Regex(code, jit);
}

Regex::Regex(Regex&& other) noexcept
    : code_(std::exchange(other.code_, nullptr)), jit_(other.jit_) {}

Regex& Regex::operator=(Regex&& other) noexcept {
  if (this != &other) {
    pcre2_code_free(code_);
    code_ = std::exchange(other.code_, nullptr);
    jit_ = other.jit_;
  }
  return *this;
}

Regex::~Regex() { pcre2_code_free(code_); }

bool Regex::Matches(std::string_view subject) const {
  return ThisThreadMatchState().Matches(code_, subject);
}

bool MatchOnce(std::string_view pattern, std::string_view subject) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(Pointer(pattern), pattern.size(), kCompileOptions, &error_code,
                                   &error_offset, nullptr);
  if (code == nullptr) return false;
  const bool matched = ThisThreadMatchState().Matches(code, subject);
  pcre2_code_free(code);
  return matched;
}

}  // namespace opendtm::expr::internal
