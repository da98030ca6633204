// A read of one operation's data by a named user: the disclosure layer's
// door for every `dtm` command that shows stored data (spec/disclosure.md,
// "What goes through this layer").
//
// Open() grants access (disclosure/access.h) to the user of `--as` (default
// the local operation admin) with the tier of `--tier` (default the one the
// user holds), checks the tier meets what the dataset needs and that a
// purpose is stated where one is required (downloads and the protection
// tier), and loads the operation's current disclosure policy. A refusal is
// written to the audit log before Open returns PermissionDenied. Finish()
// writes the audit record of the read once the output is known (rows,
// columns, content hash).
//
// Thread-safety: one read, one thread; borrows the store.
#ifndef OPENDTM_CLI_DISCLOSED_READ_H_
#define OPENDTM_CLI_DISCLOSED_READ_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command_line.h"
#include "cli/environment.h"
#include "core/status.h"
#include "disclosure/access.h"
#include "disclosure/policy.h"
#include "service/door.h"
#include "service/session.h"
#include "store/records.h"
#include "store/store.h"

namespace opendtm::cli {

// What a dataset asks of its reader.
struct ReadNeeds {
  std::string dataset;  // "export", "rollup", "risk", "alerts", "quarantine"…
  store::Tier least_tier = store::Tier::kPublic;  // lower tiers are refused
  std::string why_tier;   // the rule, for the refusal ("raw answers are operation_admin only")
  bool download = false;  // a file leaves the system: purpose required
};

class DisclosedRead {
 public:
  // An `operation` with id 0 stands for every operation (a regional rollup):
  // the user is granted the lowest tier it reads them with. The tier check
  // and the audit records are service::Door's (service/door.h).
  // Errors: PermissionDenied (audited) for a refused user, tier or missing
  // purpose; InvalidArgument for a bad --tier; the store's.
  static Result<DisclosedRead> Open(store::Store& store, const Environment& environment,
                                    const CommandLine& line, const store::Operation& operation,
                                    ReadNeeds needs, nlohmann::ordered_json filters);

  const disclosure::Access& access() const { return door_->access(); }
  store::Tier tier() const { return door_->tier(); }
  const disclosure::Policy& policy() const { return door_->policy(); }
  const disclosure::TierRules& rules() const { return door_->rules(); }

  // Writes the audit record of the read: `content` is what was returned
  // (hashed), in `format`. Errors: the store's.
  Status Finish(int64_t rows, int64_t columns, std::string_view format, std::string_view content);
  // Writes the audit record of a request refused after the grant (a level
  // the tier may not see…) and returns `refusal`.
  Status Refuse(Status refusal);
  // True once Refuse was called.
  bool refused() const { return door_->refused(); }
  // As Finish, with the content's hash already computed.
  Status FinishWithHash(int64_t rows, int64_t columns, std::string_view format,
                        std::string content_hash);

 private:
  DisclosedRead(const Environment& environment, std::unique_ptr<service::Session> session,
                service::Door door)
      : environment_(&environment), session_(std::move(session)), door_(std::move(door)) {}
  // Prints (once) what the session has to tell, such as a new audit key.
  void Notify();

  const Environment* environment_;
  std::unique_ptr<service::Session> session_;  // the door borrows it
  std::optional<service::Door> door_;
};

// OK when the acting user (--as) is the operation_admin of every operation
// of `operation_ids`, or, when it is empty, of at least one operation (the
// unregistered local admin always is). Errors: PermissionDenied naming the
// operation; the store's.
Status RequireOperationAdmin(store::Store& store, const CommandLine& line,
                             const std::vector<int64_t>& operation_ids);

// The request's filters for the audit record: every flag of `line` but the
// database, dictionary, user and purpose ones, and the positional words.
nlohmann::ordered_json RequestFilters(const CommandLine& line);

// Runs `body`, a command that writes what it shows to environment.out, as a
// read of `needs` on the operation of --operation (when the command has
// none: on every operation, with the lowest tier the user reads them with):
// opens the read (a refusal is audited and exits 1), captures what `body`
// writes, audits it (rows: its lines; content hash: of its bytes) and then
// writes it out. A body that refuses through the read (DisclosedRead::Refuse)
// is audited as refused only. Returns body's exit code.
int RunDisclosedRead(const CommandLine& line, const Environment& environment, ReadNeeds needs,
                     const std::function<int(const Environment&, DisclosedRead&)>& body);

// The user a command acts as: --as, else the local operation admin.
std::string ActingUser(const CommandLine& line);

// Appends `record` to the audit log of the environment's database.
Status AppendAudit(store::Store& store, const Environment& environment, store::AuditRecord record);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_DISCLOSED_READ_H_
