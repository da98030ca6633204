#include "cli/pending_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

#include "cli/command_output.h"

namespace opendtm::cli {

PendingOutput::PendingOutput(std::string output, std::string temporary)
    : output_(std::move(output)), temporary_(std::move(temporary)) {}

PendingOutput::PendingOutput(PendingOutput&& other) noexcept
    : output_(std::move(other.output_)),
      temporary_(std::move(other.temporary_)),
      done_(other.done_) {
  other.done_ = true;
}

Result<PendingOutput> PendingOutput::Create(const std::string& output,
                                            const Environment& environment) {
  RETURN_IF_ERROR(CheckOutputIsNotStoreFile(output, environment));
  // mkstemp: O_EXCL with a name of its own, so that two writers of one output
  // never share a temporary file, and nothing is written through a file (or a
  // link) someone left at that name. Its mode is 0600.
  std::string temporary = output + ".tmp-XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    return UnavailableError("cannot create a temporary file beside " + output + ": " +
                            std::strerror(errno));
  }
  ::close(fd);
  return PendingOutput(output, std::move(temporary));
}

PendingOutput::~PendingOutput() {
  if (done_) return;
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

Status PendingOutput::Write(std::string_view contents) const {
  std::ofstream out(temporary_, std::ios::binary | std::ios::trunc);
  out << contents;
  if (!out.flush()) return UnavailableError("cannot write " + temporary_);
  return Status::Ok();
}

Status PendingOutput::Publish() {
  std::error_code error;
  std::filesystem::rename(temporary_, output_, error);
  if (error) {
    return UnavailableError("cannot rename " + temporary_ + " to " + output_ + ": " +
                            error.message());
  }
  done_ = true;
  return Status::Ok();
}

}  // namespace opendtm::cli
