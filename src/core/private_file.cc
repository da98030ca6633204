#include "core/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace opendtm::core {
namespace {

Status SystemError(const std::string& what, const std::string& path, int error) {
  return UnavailableError("cannot " + what + " " + path + ": " + std::strerror(error));
}

// Closes a file descriptor on every path out.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the error close() gives (a delayed write error).
  int Close() {
    int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

// Opens `path` for writing with mode 0600, creating it when absent; `flags`
// adds O_TRUNC or not. fchmod because open()'s mode applies to new files only
// (and is narrowed by the umask, never widened).
Result<int> OpenOwnerOnly(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | flags, kOwnerOnlyMode);
  if (fd < 0) return SystemError("create", path, errno);
  if (::fchmod(fd, kOwnerOnlyMode) != 0) {
    int error = errno;
    ::close(fd);
    return SystemError("set the mode of", path, error);
  }
  return fd;
}

}  // namespace

Status CreatePrivateFile(const std::string& path) {
  ASSIGN_OR_RETURN(int fd, OpenOwnerOnly(path, 0));
  FileDescriptor file(fd);
  if (file.Close() != 0) return SystemError("close", path, errno);
  return Status::Ok();
}

Status SetOwnerOnly(const std::string& path) {
  if (::chmod(path.c_str(), kOwnerOnlyMode) == 0) return Status::Ok();
  int error = errno;
  if (error == ENOENT) return NotFoundError("no file " + path);
  return SystemError("set the mode of", path, error);
}

Status WritePrivateFile(const std::string& path, std::string_view contents) {
  ASSIGN_OR_RETURN(int fd, OpenOwnerOnly(path, O_TRUNC));
  FileDescriptor file(fd);
  while (!contents.empty()) {
    ssize_t written = ::write(file.get(), contents.data(), contents.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return SystemError("write", path, errno);
    }
    contents.remove_prefix(static_cast<size_t>(written));
  }
  if (::fsync(file.get()) != 0) return SystemError("flush", path, errno);
  if (file.Close() != 0) return SystemError("close", path, errno);
  return Status::Ok();
}

}  // namespace opendtm::core
