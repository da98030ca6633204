// PendingOutput: a file that leaves OpenDTM only after its read is audited
// (spec/disclosure.md, "Audit and usage monitoring": nothing leaves before its
// audit record is written).
//
// The writer writes to temporary(), "<output>.tmp-XXXXXX" in the output's
// own directory (so that the rename cannot cross file systems), a name no
// other writer uses (mkstemp), created empty with mode 0600 and never over an
// existing file; the command then appends
// the audit record and calls Publish(), which renames the temporary file onto
// the output. On every other path (a refusal, an error, the audit failing) the
// destructor removes the temporary file, so a failed command leaves nothing.
//
// Thread-safety: one object per output; not copyable.
#ifndef OPENDTM_CLI_PENDING_OUTPUT_H_
#define OPENDTM_CLI_PENDING_OUTPUT_H_

#include <string>
#include <string_view>

#include "cli/environment.h"
#include "core/status.h"

namespace opendtm::cli {

class PendingOutput {
 public:
  // Creates the temporary file beside `output`, once `output` is known not
  // to be a file of the store `environment` names (command_output.h).
  // Errors: InvalidArgument when it is one (CheckOutputIsNotStoreFile:
  // nothing is created); Unavailable naming the output and the system's
  // reason (no such directory, no permission).
  static Result<PendingOutput> Create(const std::string& output, const Environment& environment);

  PendingOutput(PendingOutput&& other) noexcept;
  PendingOutput& operator=(PendingOutput&&) = delete;
  PendingOutput(const PendingOutput&) = delete;
  PendingOutput& operator=(const PendingOutput&) = delete;
  // Removes the temporary file unless it was published.
  ~PendingOutput();

  const std::string& output() const { return output_; }
  const std::string& temporary() const { return temporary_; }

  // Writes `contents` to the temporary file. Errors: Unavailable.
  Status Write(std::string_view contents) const;

  // Renames the temporary file onto the output (replacing an existing file).
  // Call once, after the audit record is written. Errors: Unavailable (the
  // temporary file is then removed).
  Status Publish();

 private:
  PendingOutput(std::string output, std::string temporary);

  std::string output_;
  std::string temporary_;
  bool done_ = false;
};

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_PENDING_OUTPUT_H_
