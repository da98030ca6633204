#include "cli/pending_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

namespace opendtm::cli {

PendingOutput::PendingOutput(std::string output)
    : output_(std::move(output)), temporary_(output_ + ".tmp-" + std::to_string(::getpid())) {}

PendingOutput::PendingOutput(PendingOutput&& other) noexcept
    : output_(std::move(other.output_)),
      temporary_(std::move(other.temporary_)),
      done_(other.done_) {
  other.done_ = true;
}

Result<PendingOutput> PendingOutput::Create(const std::string& output) {
  PendingOutput pending(output);
  // O_EXCL: never write through a file (or a link) someone left at that name.
  const int fd = ::open(pending.temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const std::string reason = std::strerror(errno);
    pending.done_ = true;  // nothing of ours to remove
    return UnavailableError("cannot create " + pending.temporary_ + ": " + reason);
  }
  ::close(fd);
  return pending;
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
