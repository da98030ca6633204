// ExportDictionary: writes the dictionary in one of the formats people use it
// in — the form for field teams (XLSForm, XForm), the codebook for readers
// (Markdown, HTML), or JSON for programs. `dtm dictionary export` calls this.
//
// Thread-safety: a pure function of its arguments, apart from the output file.
#ifndef OPENDTM_FORMS_EXPORT_H_
#define OPENDTM_FORMS_EXPORT_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "dictionary/dictionary.h"
#include "forms/form_builder.h"

namespace opendtm::forms {

enum class ExportFormat { kXlsForm, kXForm, kCodebookMarkdown, kCodebookHtml, kJson };

// "xlsform", "xform", "codebook-md", "codebook-html", "json"; nullopt otherwise.
std::optional<ExportFormat> ParseExportFormat(std::string_view word);
// The word ParseExportFormat accepts for `format`.
std::string_view ExportFormatName(ExportFormat format);

// Writes `dictionary` as `format` to `output_path`. XLSForm and XForm use
// BuildForm with `options`; the codebooks use its languages and modules; JSON
// ignores it. The file appears whole or not at all: the output is written to a
// temporary file beside `output_path` and renamed over it.
// Errors: those of BuildForm and of the writers; Unavailable when the file
// cannot be written, naming the path.
Status ExportDictionary(const dictionary::Dictionary& dictionary, ExportFormat format,
                        const FormOptions& options, const std::string& output_path);

}  // namespace opendtm::forms

#endif  // OPENDTM_FORMS_EXPORT_H_
