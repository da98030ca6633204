// Files only their owner may read or write (mode 0600): the database, its
// WAL/shm/journal files and every export hold site-level data, some of it
// sensitive, and must not be readable by other accounts of the machine
// whatever the process's umask.
//
// POSIX only (open, fchmod, chmod). Thread-safety: the functions are
// independent; two calls on the same path race as the file system does.
#ifndef OPENDTM_CORE_PRIVATE_FILE_H_
#define OPENDTM_CORE_PRIVATE_FILE_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace opendtm::core {

// The mode of every file OpenDTM creates with data in it: read and write for
// the owner only.
inline constexpr unsigned kOwnerOnlyMode = 0600;

// Makes sure `path` exists with mode 0600, without changing its content: a
// new file is created empty with that mode (never wider, whatever the umask),
// an existing one has its mode set to 0600. A writer that then opens the file
// and truncates it (std::ofstream, fopen "wb", SQLite) keeps the mode.
// Errors: Unavailable naming the path and the system's reason (a missing
// directory, no permission).
Status CreatePrivateFile(const std::string& path);

// Sets the mode of the existing `path` to 0600.
// Errors: NotFound when it does not exist; Unavailable otherwise.
Status SetOwnerOnly(const std::string& path);

// Writes `contents` to `path` (created with mode 0600 or truncated and set to
// 0600), flushed to the file system before returning: for a temporary file
// that is renamed into place afterwards (rename keeps the mode).
// Errors: Unavailable naming the path and the system's reason.
Status WritePrivateFile(const std::string& path, std::string_view contents);

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_PRIVATE_FILE_H_
