// Status and Result<T>: how every module of OpenDTM reports failure.
//
// Errors are values. A function that can fail returns `Status` (nothing on
// success) or `Result<T>` (a value or a Status). Both are [[nodiscard]], so a
// caller cannot silently ignore a failure.
//
// A *failure* means the operation could not run (file missing, bad syntax,
// database locked). Problems found *in data* (a bad value in row 12) are
// findings: they are ordinary values returned on success, never a Status.
//
// Thread-safety: value types; safe to copy and share read-only.
#ifndef OPENDTM_CORE_STATUS_H_
#define OPENDTM_CORE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace opendtm {

// The small set of error codes used across the project. Keep it small: callers
// branch on the code, people read the message.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the input is malformed (bad YAML, bad expression, bad flag)
  kNotFound,            // a file, indicator, site or area does not exist
  kAlreadyExists,       // a unique thing would be created twice
  kFailedPrecondition,  // the system is not in a state to do this (e.g. version rule broken)
  kResourceExhausted,   // a Limits bound was reached
  kUnavailable,         // a service (database, network peer) cannot be reached now
  kDataLoss,            // stored data is corrupt or truncated
  kInternal,            // a bug: an invariant of ours does not hold
  kPermissionDenied,    // the user's tier, organisation or agreement does not allow this read
};

// Returns the stable lower_snake name of `code` ("invalid_argument").
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An OK status.
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid_argument: dictionary.yaml:12: indicator lighting: unknown list 'lightin'"
  std::string ToString() const;

  // Returns a copy whose message is `prefix + ": " + message()`; OK stays OK.
  Status WithContext(std::string_view prefix) const;

  // Explicitly discards the status where ignoring it is the right thing to do.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status FailedPreconditionError(std::string message);
Status ResourceExhaustedError(std::string message);
Status UnavailableError(std::string message);
Status DataLossError(std::string message);
Status InternalError(std::string message);
Status PermissionDeniedError(std::string message);

// The process exit code for a failed operation (conventions: 0 ok, 1 findings,
// 2 usage, 3+ operational). A refused read (PermissionDenied) maps to 1, like
// findings; invalid arguments to 2; everything else to 3+.
int ExitCodeFor(const Status& status);

// A value of type T, or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit from a value and from a non-OK Status so that `return value;` and
  // `return NotFoundError(...);` both read naturally.
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : state_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(state_).ok() && "Result built from an OK Status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }

  // The error; OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(state_); }

  // The value. Precondition: ok().
  const T& value() const& { assert(ok()); return std::get<T>(state_); }
  T& value() & { assert(ok()); return std::get<T>(state_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(state_)); }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // The value, or `fallback` on error.
  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Status> state_;
};

namespace internal {
inline const Status& ToStatus(const Status& status) { return status; }
template <typename T>
Status ToStatus(const Result<T>& result) { return result.status(); }
}  // namespace internal

}  // namespace opendtm

#define OPENDTM_CONCAT_INNER(a, b) a##b
#define OPENDTM_CONCAT(a, b) OPENDTM_CONCAT_INNER(a, b)

// Returns from the current function with the error if `expr` (a Status or a
// Result) is not OK.
#define RETURN_IF_ERROR(expr)                                              \
  do {                                                                     \
    ::opendtm::Status opendtm_status_ = ::opendtm::internal::ToStatus(expr); \
    if (!opendtm_status_.ok()) return opendtm_status_;                     \
  } while (false)

// ASSIGN_OR_RETURN(auto x, ComputeX());  declares x from the Result's value, or
// returns the Result's error from the current function.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(OPENDTM_CONCAT(opendtm_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                          \
  if (!result.ok()) return result.status();      \
  lhs = std::move(result).value()

#endif  // OPENDTM_CORE_STATUS_H_
