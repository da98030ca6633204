// Codebooks: the data dictionary written for people, as Markdown (for a
// repository or a wiki) or as a standalone HTML page (to print or to send).
//
// What a codebook holds, in order:
//  1. a header: the dictionary's version (and operation, when it extends the
//     default one), its languages and counts, a note that the GBV risk score
//     measures risk factors, not the prevalence of violence, and what the
//     dissemination classes mean;
//  2. a table of contents with one entry per module (in HTML also listing the
//     module's indicators, each a link to its row);
//  3. per module, in dictionary order, one table with a row per indicator:
//     indicator (name), code, question in each language (with the hint below
//     it), type (with required / relevant / constraint), choices
//     (`code` = label in each language, in list order), HXL hashtag, class
//     (and "quasi-identifier"), risk points (domain, points per answer in list
//     order, cap, ranges, points when not relevant, maximum). The gbv_risk
//     section starts with the maximum points of each risk domain.
// Modules without a selected indicator are left out.
//
// Escaping: in Markdown, text that could be read as markup (`|` above all, which
// would split a table cell, and `\ * _ [ ] ` and `<`/`&` that would start HTML)
// is backslash-escaped, and line breaks inside a cell become `<br>`; names,
// HXL hashtags and expressions are code spans. In HTML all text is escaped.
//
// Thread-safety: pure functions of their arguments.
#ifndef OPENDTM_FORMS_CODEBOOK_WRITER_H_
#define OPENDTM_FORMS_CODEBOOK_WRITER_H_

#include <string>
#include <vector>

#include "dictionary/dictionary.h"

namespace opendtm::forms {

struct CodebookOptions {
  // Language codes of the question and choice columns, in this order, e.g.
  // {"en", "fr"}; empty = all of the dictionary's (Dictionary::Languages()).
  // A text missing in a language is shown in English.
  std::vector<std::string> languages;
  // Modules to include (shown in dictionary order whatever the order here);
  // empty = all.
  std::vector<dictionary::Module> modules;
};

// The codebook as a Markdown document (GitHub-flavoured tables), UTF-8.
std::string WriteCodebookMarkdown(const dictionary::Dictionary& dictionary,
                                  const CodebookOptions& options);

// The codebook as a standalone HTML5 page: UTF-8, all dictionary text
// HTML-escaped, a small inline style sheet (print-friendly), no scripts and no
// external resources.
std::string WriteCodebookHtml(const dictionary::Dictionary& dictionary,
                              const CodebookOptions& options);

}  // namespace opendtm::forms

#endif  // OPENDTM_FORMS_CODEBOOK_WRITER_H_
