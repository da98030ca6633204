#include "forms/export.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "forms/codebook_writer.h"
#include "forms/dictionary_json.h"
#include "forms/xform_writer.h"
#include "forms/xlsform_writer.h"

namespace opendtm::forms {
namespace {

namespace fs = std::filesystem;

Status ErrnoError(const std::string& path, std::string_view what, int error) {
  return UnavailableError(path + ": " + std::string(what) + ": " + std::strerror(error));
}

// A temporary file in the directory of `path` (so that rename is atomic),
// removed on destruction unless committed.
class TemporaryFile {
 public:
  static Result<TemporaryFile> Create(const std::string& path) {
    fs::path target(path);
    fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::string pattern = (directory / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = mkstemp(name.data());
    if (fd < 0) return ErrnoError(path, "cannot create a temporary file", errno);
    close(fd);
    return TemporaryFile(std::string(name.data()));
  }

  TemporaryFile(TemporaryFile&& other) noexcept
      : path_(std::move(other.path_)), committed_(std::exchange(other.committed_, true)) {}
  TemporaryFile& operator=(TemporaryFile&&) = delete;
  ~TemporaryFile() {
    if (!committed_) std::remove(path_.c_str());
  }

  const std::string& path() const { return path_; }

  // Renames the temporary file to `path`.
  Status CommitTo(const std::string& path) {
    if (std::rename(path_.c_str(), path.c_str()) != 0) {
      return ErrnoError(path, "cannot replace the file", errno);
    }
    committed_ = true;
    return Status::Ok();
  }

 private:
  explicit TemporaryFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
  bool committed_ = false;
};

Status WriteText(const std::string& path, const std::string& text) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return ErrnoError(path, "cannot open", errno);
  size_t written = std::fwrite(text.data(), 1, text.size(), file);
  int write_error = written == text.size() ? 0 : errno;
  if (std::fclose(file) != 0 && write_error == 0) write_error = errno;
  if (write_error != 0) return ErrnoError(path, "cannot write", write_error);
  return Status::Ok();
}

}  // namespace

std::optional<ExportFormat> ParseExportFormat(std::string_view word) {
  for (ExportFormat format :
       {ExportFormat::kXlsForm, ExportFormat::kXForm, ExportFormat::kCodebookMarkdown,
        ExportFormat::kCodebookHtml, ExportFormat::kJson}) {
    if (word == ExportFormatName(format)) return format;
  }
  return std::nullopt;
}

std::string_view ExportFormatName(ExportFormat format) {
  switch (format) {
    case ExportFormat::kXlsForm:
      return "xlsform";
    case ExportFormat::kXForm:
      return "xform";
    case ExportFormat::kCodebookMarkdown:
      return "codebook-md";
    case ExportFormat::kCodebookHtml:
      return "codebook-html";
    case ExportFormat::kJson:
      return "json";
  }
  return "";
}

Status ExportDictionary(const dictionary::Dictionary& dictionary, ExportFormat format,
                        const FormOptions& options, const std::string& output_path) {
  if (output_path.empty()) return InvalidArgumentError("export: empty output path");
  // 1. Render the output in memory (or, for the workbook, into the temporary file).
  std::string text;
  std::optional<Form> form;
  if (format == ExportFormat::kXlsForm || format == ExportFormat::kXForm) {
    ASSIGN_OR_RETURN(Form built, BuildForm(dictionary, options));
    form = std::move(built);
  }
  CodebookOptions codebook_options;
  codebook_options.languages = options.languages;
  codebook_options.modules = options.modules;
  switch (format) {
    case ExportFormat::kXlsForm:
      break;
    case ExportFormat::kXForm: {
      ASSIGN_OR_RETURN(text, WriteXForm(*form));
      break;
    }
    case ExportFormat::kCodebookMarkdown:
      text = WriteCodebookMarkdown(dictionary, codebook_options);
      break;
    case ExportFormat::kCodebookHtml:
      text = WriteCodebookHtml(dictionary, codebook_options);
      break;
    case ExportFormat::kJson:
      text = DictionaryToJson(dictionary);
      break;
  }
  // 2. Write it beside the target, then rename over the target.
  ASSIGN_OR_RETURN(TemporaryFile temporary, TemporaryFile::Create(output_path));
  if (format == ExportFormat::kXlsForm) {
    Status written = WriteXlsForm(*form, temporary.path());
    if (!written.ok()) {
      return Status(written.code(), output_path + ": " + written.message());
    }
  } else {
    RETURN_IF_ERROR(WriteText(temporary.path(), text));
  }
  // mkstemp creates the file readable by its owner only; a form is no secret.
  // Failing to widen that is harmless, so the error is ignored.
  std::error_code ignored;
  fs::permissions(temporary.path(),
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                      fs::perms::others_read,
                  fs::perm_options::replace, ignored);
  return temporary.CommitTo(output_path);
}

}  // namespace opendtm::forms
