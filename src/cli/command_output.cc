#include "cli/command_output.h"

#include <sys/stat.h>

#include <filesystem>
#include <optional>

#include "audit/audit_key.h"
#include "cli/audit_commands.h"
#include "cli/store_access.h"
#include "core/private_file.h"

namespace opendtm::cli {
namespace {

// The path with ".", ".." and symbolic links resolved as far as it exists;
// nullopt when it cannot be resolved (a component that is not a directory).
std::optional<std::filesystem::path> ResolvedPath(const std::string& path) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) return std::nullopt;
  std::filesystem::path resolved = std::filesystem::weakly_canonical(absolute, error);
  if (error) return std::nullopt;
  return resolved;
}

// True when `a` and `b` are one file: the same device and inode when both
// exist, else the same resolved path.
bool SameFile(const std::string& a, const std::string& b) {
  struct stat a_info {};
  struct stat b_info {};
  if (::stat(a.c_str(), &a_info) == 0 && ::stat(b.c_str(), &b_info) == 0 &&
      a_info.st_dev == b_info.st_dev && a_info.st_ino == b_info.st_ino) {
    return true;
  }
  std::optional<std::filesystem::path> a_path = ResolvedPath(a);
  std::optional<std::filesystem::path> b_path = ResolvedPath(b);
  return a_path && b_path && *a_path == *b_path;
}

}  // namespace

std::vector<StoreFile> StoreFilesOf(const Environment& environment) {
  const std::string& db = environment.db_path;
  if (db.empty() || db == ":memory:" || db.starts_with("file:")) return {};
  const audit::AuditFiles audit_files = AuditFilesOf(environment);
  std::vector<StoreFile> files = {
      {db, "the database itself"},
      {db + "-wal", "the database's write-ahead log (its latest changes)"},
      {db + "-shm", "the database's shared-memory index"},
      {db + "-journal", "the database's rollback journal"},
      {audit_files.head_path, "the audit head file (the end of the audit chain)"},
  };
  if (!audit_files.key_path.empty()) {
    files.push_back({audit_files.key_path, "the audit key file (the keys of the audit chain)"});
    files.push_back({audit::SigningKeyPathFor(audit_files.key_path),
                     "the audit signing key (it signs checkpoints)"});
  }
  return files;
}

Status CheckOutputIsNotStoreFile(const std::string& output, const std::vector<StoreFile>& files,
                                 const std::string& db_path) {
  for (const StoreFile& file : files) {
    if (file.path.empty() || !SameFile(output, file.path)) continue;
    std::optional<std::filesystem::path> resolved = ResolvedPath(file.path);
    return InvalidArgumentError("-o " + output + ": refused: it is " + file.what + " (" +
                                (resolved ? resolved->string() : file.path) +
                                "), a file of the store " + db_path +
                                "; writing it would destroy what the store keeps: choose "
                                "another output file");
  }
  return Status::Ok();
}

Status CheckOutputIsNotStoreFile(const std::string& output, const Environment& environment) {
  return CheckOutputIsNotStoreFile(output, StoreFilesOf(environment), environment.db_path);
}

int WriteOutput(const CommandLine& line, const Environment& environment, const std::string& text,
                const std::string& what) {
  std::optional<std::string> output = line.Flag("output");
  if (!output) {
    *environment.out << text;
    return 0;
  }
  if (Status refused = CheckOutputIsNotStoreFile(*output, environment); !refused.ok()) {
    return Fail(environment, refused);
  }
  if (Status written = core::WritePrivateFile(*output, text); !written.ok()) {
    return Fail(environment, written);
  }
  *environment.err << "wrote " << what << " to " << *output << "\n";
  return 0;
}

}  // namespace opendtm::cli
