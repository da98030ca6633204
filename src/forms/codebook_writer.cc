#include "forms/codebook_writer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string_view>
#include <utility>

namespace opendtm::forms {
namespace {

using dictionary::Choice;
using dictionary::ChoiceList;
using dictionary::Dictionary;
using dictionary::Indicator;
using dictionary::Module;
using dictionary::RiskDomain;
using dictionary::RiskMapping;
using dictionary::RiskRange;
using dictionary::ValueType;

constexpr std::string_view kTitle = "OpenDTM data dictionary: codebook";

// Every output that shows or explains the risk score says what it measures
// (spec/risk-index.md).
constexpr std::string_view kRiskNote =
    "The GBV risk score measures risk factors, not the prevalence of violence: it scores "
    "what is observed at each site (layout and infrastructure, security, women's "
    "participation, GBV services) and never counts incidents or survivors.";

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kClassLegend = {{
    {"public", "may be published, in aggregates and in site-level data"},
    {"sensitive", "shared only with actors under a data sharing agreement"},
    {"urgent", "raises an alert for the operation when the data arrives"},
    {"pii", "personal data: asked in the form, never stored"},
}};
constexpr std::string_view kQuasiIdentifierLegend =
    "could single out a site or a group in site-level data; checked before any release";

std::string_view ModuleTitle(Module module) {
  switch (module) {
    case Module::kSite:
      return "Site: identity and management";
    case Module::kPopulation:
      return "Population by sex and age";
    case Module::kVulnerability:
      return "Vulnerability";
    case Module::kMobility:
      return "Mobility";
    case Module::kServices:
      return "Services and needs";
    case Module::kGbvRisk:
      return "GBV risk factors";
    case Module::kProtection:
      return "Protection";
  }
  return "?";
}

bool IsRightToLeft(std::string_view language) {
  return language == "ar" || language == "fa" || language == "he" || language == "ps" ||
         language == "ur";
}

// Shortest text that reads back as `value`: "0", "2.5".
std::string FormatNumber(double value) {
  std::array<char, 32> buffer{};
  auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (error != std::errc()) return "?";
  return std::string(buffer.data(), end);
}

// What goes into the codebook: the languages and the modules with their
// selected indicators.
struct Section {
  Module module;
  std::vector<const Indicator*> indicators;
};

std::vector<std::string> LanguagesFor(const Dictionary& dictionary,
                                      const CodebookOptions& options) {
  std::vector<std::string> languages;
  for (const std::string& language :
       options.languages.empty() ? dictionary.Languages() : options.languages) {
    if (!language.empty() &&
        std::find(languages.begin(), languages.end(), language) == languages.end()) {
      languages.push_back(language);
    }
  }
  if (languages.empty()) languages.push_back("en");
  return languages;
}

std::vector<Section> SectionsFor(const Dictionary& dictionary, const CodebookOptions& options) {
  std::vector<Section> sections;
  for (Module module : dictionary::AllModules()) {
    bool wanted =
        options.modules.empty() ||
        std::find(options.modules.begin(), options.modules.end(), module) != options.modules.end();
    if (!wanted) continue;
    std::vector<const Indicator*> indicators = dictionary.IndicatorsIn(module);
    if (!indicators.empty()) sections.push_back({module, std::move(indicators)});
  }
  return sections;
}

size_t CountIndicators(const std::vector<Section>& sections) {
  size_t count = 0;
  for (const Section& section : sections) count += section.indicators.size();
  return count;
}

// "layout 14, security 14, participation 6, services 12 (total 46)", over the
// whole dictionary's scored indicators; "" when none is scored.
std::string DomainMaxima(const Dictionary& dictionary) {
  std::vector<const Indicator*> scored = dictionary.ScoredIndicators();
  if (scored.empty()) return "";
  std::string out;
  int total = 0;
  for (RiskDomain domain : dictionary::AllRiskDomains()) {
    int domain_max = 0;
    for (const Indicator* indicator : scored) {
      if (indicator->risk->domain != domain) continue;
      domain_max += indicator->risk->MaxPoints(indicator->type == ValueType::kSelectMultiple);
    }
    if (!out.empty()) out += ", ";
    out += std::string(dictionary::RiskDomainName(domain)) + " " + std::to_string(domain_max);
    total += domain_max;
  }
  return out + " (total " + std::to_string(total) + ")";
}

// How one output format writes the pieces of a table cell. Each function
// returns text ready to be pasted into the document.
struct Markup {
  std::string (*text)(std::string_view text);  // plain text
  std::string (*code)(std::string_view text);  // a name, hashtag or expression
  std::string (*localized)(std::string_view language, std::string_view text);
  std::string (*hint)(std::string_view language, std::string_view text);  // under a question
  std::string_view line_break;
};

// --- Markdown --------------------------------------------------------------

bool StartsMarkup(char next) {
  return std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!' ||
         next == '?' || next == '#';
}

std::string MarkdownText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t char_idx = 0; char_idx < text.size(); ++char_idx) {
    char c = text[char_idx];
    char next = char_idx + 1 < text.size() ? text[char_idx + 1] : '\0';
    switch (c) {
      case '\\':
      case '|':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
        out += '\\';
        out += c;
        break;
      case '<':
      case '&':
        // Only where it could open an HTML tag or entity: "< 25%" stays as it is.
        if (StartsMarkup(next)) out += '\\';
        out += c;
        break;
      case '\r':
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string MarkdownCode(std::string_view text) {
  std::string body;
  size_t longest_run = 0;
  size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest_run = std::max(longest_run, run);
    if (c == '|') {
      body += "\\|";  // GFM reads \| as | even inside a code span in a table
    } else if (c == '\n' || c == '\r') {
      body += ' ';
    } else {
      body += c;
    }
  }
  if (body.empty()) return "";
  std::string fence(longest_run + 1, '`');
  bool pad = body.front() == '`' || body.back() == '`';
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string MarkdownLocalized(std::string_view, std::string_view text) {
  return MarkdownText(text);
}

std::string MarkdownHint(std::string_view, std::string_view text) {
  return "_" + MarkdownText(text) + "_";
}

constexpr Markup kMarkdown = {MarkdownText, MarkdownCode, MarkdownLocalized, MarkdownHint, "<br>"};

// --- HTML ----------------------------------------------------------------------

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlText(std::string_view text) {
  std::string out;
  for (char c : HtmlEscape(text)) {
    if (c == '\n') {
      out += "<br>";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

std::string HtmlCode(std::string_view text) {
  return text.empty() ? "" : "<code>" + HtmlEscape(text) + "</code>";
}

std::string LangAttributes(std::string_view language) {
  std::string out = " lang=\"" + HtmlEscape(language) + "\"";
  if (IsRightToLeft(language)) out += " dir=\"rtl\"";
  return out;
}

std::string HtmlLocalized(std::string_view language, std::string_view text) {
  return "<span" + LangAttributes(language) + ">" + HtmlText(text) + "</span>";
}

std::string HtmlHint(std::string_view language, std::string_view text) {
  return "<span class=\"hint\"" + LangAttributes(language) + ">" + HtmlText(text) + "</span>";
}

constexpr Markup kHtml = {HtmlText, HtmlCode, HtmlLocalized, HtmlHint, "<br>"};

// --- Cells, shared by both formats ------------------------------------------------

std::string QuestionCell(const Indicator& indicator, std::string_view language,
                         const Markup& markup) {
  std::string out = markup.localized(language, dictionary::TextIn(indicator.label, language));
  std::string_view hint = dictionary::TextIn(indicator.hint, language);
  if (!hint.empty()) {
    out += markup.line_break;
    out += markup.hint(language, hint);
  }
  return out;
}

std::string TypeCell(const Indicator& indicator, const Markup& markup) {
  std::string out = markup.code(indicator.TypeString());
  if (indicator.required == "yes" || indicator.required == "true") {
    out += std::string(markup.line_break) + markup.text("required");
  } else if (!indicator.required.empty()) {
    out += std::string(markup.line_break) + markup.text("required: ") +
           markup.code(indicator.required);
  }
  if (!indicator.relevant.empty()) {
    out += std::string(markup.line_break) + markup.text("relevant: ") +
           markup.code(indicator.relevant);
  }
  if (!indicator.constraint.empty()) {
    out += std::string(markup.line_break) + markup.text("constraint: ") +
           markup.code(indicator.constraint);
  }
  return out;
}

// One line per choice: `code` = label · label (one label per language).
std::string ChoicesCell(const ChoiceList* list, const std::vector<std::string>& languages,
                        const Markup& markup) {
  if (list == nullptr) return "";
  std::string out;
  for (const Choice& choice : list->choices) {
    if (!out.empty()) out += markup.line_break;
    out += markup.code(choice.name) + markup.text(" = ");
    for (size_t language_idx = 0; language_idx < languages.size(); ++language_idx) {
      if (language_idx > 0) out += markup.text(" · ");
      const std::string& language = languages[language_idx];
      out += markup.localized(language, dictionary::TextIn(choice.label, language));
    }
  }
  return out;
}

std::string ClassCell(const Indicator& indicator, const Markup& markup) {
  std::string out = markup.text(dictionary::ClassName(indicator.dissemination_class));
  if (indicator.quasi_identifier) {
    out += std::string(markup.line_break) + markup.text("quasi-identifier");
  }
  return out;
}

std::string RangeText(const RiskRange& range) {
  std::string bounds;
  if (range.min && range.max) {
    bounds = *range.min == *range.max ? FormatNumber(*range.min)
                                      : FormatNumber(*range.min) + "–" + FormatNumber(*range.max);
  } else if (range.max) {
    bounds = "≤ " + FormatNumber(*range.max);
  } else if (range.min) {
    bounds = "≥ " + FormatNumber(*range.min);
  } else {
    bounds = "any value";
  }
  return bounds + " → " + std::to_string(range.points);
}

// domain: points per answer (in list order); cap; ranges; points when not
// relevant; maximum.
std::string RiskCell(const Indicator& indicator, const ChoiceList* list, const Markup& markup) {
  if (!indicator.risk) return "";
  const RiskMapping& risk = *indicator.risk;
  std::string points;
  auto add_points = [&](std::string_view choice, int choice_points) {
    if (!points.empty()) points += markup.text(", ");
    points += markup.code(choice) + markup.text(" " + std::to_string(choice_points));
  };
  std::vector<std::string_view> shown;
  if (list != nullptr) {
    for (const Choice& choice : list->choices) {
      if (auto it = risk.points.find(choice.name); it != risk.points.end()) {
        add_points(it->first, it->second);
        shown.push_back(it->first);
      }
    }
  }
  for (const auto& [choice, choice_points] : risk.points) {
    if (std::find(shown.begin(), shown.end(), choice) == shown.end()) {
      add_points(choice, choice_points);
    }
  }
  for (const RiskRange& range : risk.ranges) {
    if (!points.empty()) points += markup.text(", ");
    points += markup.text(RangeText(range));
  }

  std::string out = markup.text(std::string(dictionary::RiskDomainName(risk.domain)) + ": ");
  out += points;
  if (risk.cap) {
    out += std::string(markup.line_break) + markup.text("at most " + std::to_string(*risk.cap));
  }
  if (risk.when_not_relevant) {
    out += std::string(markup.line_break) +
           markup.text(std::to_string(risk.when_not_relevant->points) + " when ") +
           markup.code(risk.when_not_relevant->when);
  }
  int max_points = risk.MaxPoints(indicator.type == ValueType::kSelectMultiple);
  out += std::string(markup.line_break) + markup.text("max " + std::to_string(max_points));
  return out;
}

// The cells of one indicator's row, after the indicator and code columns.
std::vector<std::string> RowCells(const Dictionary& dictionary, const Indicator& indicator,
                                  const std::vector<std::string>& languages, const Markup& markup) {
  std::vector<std::string> cells;
  for (const std::string& language : languages) {
    cells.push_back(QuestionCell(indicator, language, markup));
  }
  const ChoiceList* list = dictionary.ListOf(indicator);
  cells.push_back(TypeCell(indicator, markup));
  cells.push_back(ChoicesCell(list, languages, markup));
  cells.push_back(markup.code(indicator.hxl));
  cells.push_back(ClassCell(indicator, markup));
  cells.push_back(RiskCell(indicator, list, markup));
  return cells;
}

std::vector<std::string> HeaderCells(const std::vector<std::string>& languages) {
  std::vector<std::string> cells = {"indicator", "code"};
  for (const std::string& language : languages) cells.push_back("question (" + language + ")");
  for (std::string_view name : {"type", "choices", "HXL", "class", "risk points"}) {
    cells.emplace_back(name);
  }
  return cells;
}

std::string SectionAnchor(Module module) {
  return "module-" + std::string(dictionary::ModuleName(module));
}

std::string JoinLanguages(const std::vector<std::string>& languages) {
  std::string out;
  for (const std::string& language : languages) {
    if (!out.empty()) out += ", ";
    out += language;
  }
  return out;
}

std::string Plural(size_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

constexpr std::string_view kHtmlStyle =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem;color:#1b1b1b;line-height:1.4}
h1{font-size:1.6rem}
h2{margin-top:2.5rem;border-bottom:2px solid #0033a0;padding-bottom:.2rem}
.note{border-left:4px solid #0033a0;background:#eef3fb;padding:.6rem 1rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border:1px solid #c8c8c8;padding:.3rem .45rem;vertical-align:top;text-align:left}
th{background:#f0f0f0;position:sticky;top:0}
tr:target{background:#fff6d6}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
.hint{display:block;color:#555;font-style:italic;margin-top:.2rem}
nav li{margin:.3rem 0}
nav .indicators{display:block;font-size:.8rem;color:#555}
@media print{th{position:static}h2{break-before:page}a{color:inherit;text-decoration:none}}
)";

}  // namespace

std::string WriteCodebookMarkdown(const Dictionary& dictionary, const CodebookOptions& options) {
  const std::vector<std::string> languages = LanguagesFor(dictionary, options);
  const std::vector<Section> sections = SectionsFor(dictionary, options);
  const Markup& markup = kMarkdown;

  // 1. Header.
  std::string out = "# " + std::string(kTitle) + "\n\n";
  out += "- Dictionary version: " + MarkdownCode(dictionary.version()) + "\n";
  if (!dictionary.operation().empty()) {
    out += "- Operation: " + MarkdownCode(dictionary.operation()) + "\n";
  }
  out += "- Languages: " + MarkdownText(JoinLanguages(languages)) + "\n";
  out += "- " + Plural(CountIndicators(sections), "indicator") + " in " +
         Plural(sections.size(), "module") + "\n\n";
  out += "> **GBV risk.** " + MarkdownText(kRiskNote) + "\n\n";
  out += "Dissemination classes:\n\n";
  for (const auto& [name, meaning] : kClassLegend) {
    out += "- **" + std::string(name) + "**: " + MarkdownText(meaning) + "\n";
  }
  out += "- **quasi-identifier**: " + MarkdownText(kQuasiIdentifierLegend) + "\n\n";

  // 2. Contents.
  out += "## Contents\n\n";
  for (const Section& section : sections) {
    out += "- [" + MarkdownText(ModuleTitle(section.module)) + "](#" +
           SectionAnchor(section.module) + ") (" + Plural(section.indicators.size(), "indicator") +
           ")\n";
  }

  // 3. One table per module.
  const std::vector<std::string> header = HeaderCells(languages);
  for (const Section& section : sections) {
    out += "\n<a id=\"" + SectionAnchor(section.module) + "\"></a>\n\n";
    out += "## " + MarkdownText(ModuleTitle(section.module)) + " (" +
           MarkdownCode(dictionary::ModuleName(section.module)) + ")\n\n";
    if (section.module == Module::kGbvRisk) {
      if (std::string maxima = DomainMaxima(dictionary); !maxima.empty()) {
        out += "Maximum risk points per domain: " + MarkdownText(maxima) +
               ". Answers without points (such as `unknown`) count as not answered.\n\n";
      }
    }
    out += "|";
    for (const std::string& cell : header) out += " " + MarkdownText(cell) + " |";
    out += "\n|";
    for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) out += "---|";
    out += "\n";
    for (const Indicator* indicator : section.indicators) {
      out += "| " + markup.code(indicator->name) + " | " + markup.text(indicator->code) + " |";
      for (const std::string& cell : RowCells(dictionary, *indicator, languages, markup)) {
        out += cell.empty() ? " |" : " " + cell + " |";
      }
      out += "\n";
    }
  }
  return out;
}

std::string WriteCodebookHtml(const Dictionary& dictionary, const CodebookOptions& options) {
  const std::vector<std::string> languages = LanguagesFor(dictionary, options);
  const std::vector<Section> sections = SectionsFor(dictionary, options);
  const Markup& markup = kHtml;

  std::string out = "<!DOCTYPE html>\n<html" + LangAttributes(languages.front()) + ">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + HtmlEscape(kTitle) + " " + HtmlEscape(dictionary.version()) + "</title>\n";
  out += "<style>\n" + std::string(kHtmlStyle) + "</style>\n</head>\n<body>\n";

  // 1. Header.
  out += "<header>\n<h1>" + HtmlEscape(kTitle) + "</h1>\n<ul>\n";
  out += "<li>Dictionary version: " + HtmlCode(dictionary.version()) + "</li>\n";
  if (!dictionary.operation().empty()) {
    out += "<li>Operation: " + HtmlCode(dictionary.operation()) + "</li>\n";
  }
  out += "<li>Languages: " + HtmlEscape(JoinLanguages(languages)) + "</li>\n";
  out += "<li>" + Plural(CountIndicators(sections), "indicator") + " in " +
         Plural(sections.size(), "module") + "</li>\n</ul>\n";
  out += "<p class=\"note\"><strong>GBV risk.</strong> " + HtmlEscape(kRiskNote) + "</p>\n";
  out += "<p>Dissemination classes:</p>\n<ul>\n";
  for (const auto& [name, meaning] : kClassLegend) {
    out += "<li><strong>" + HtmlEscape(name) + "</strong>: " + HtmlEscape(meaning) + "</li>\n";
  }
  out += "<li><strong>quasi-identifier</strong>: " + HtmlEscape(kQuasiIdentifierLegend) +
         "</li>\n</ul>\n</header>\n";

  // 2. Contents: each module, and under it its indicators.
  out += "<nav>\n<h2>Contents</h2>\n<ul>\n";
  for (const Section& section : sections) {
    out += "<li><a href=\"#" + HtmlEscape(SectionAnchor(section.module)) + "\">" +
           HtmlEscape(ModuleTitle(section.module)) + "</a> (" +
           Plural(section.indicators.size(), "indicator") + ")\n<span class=\"indicators\">";
    for (size_t indicator_idx = 0; indicator_idx < section.indicators.size(); ++indicator_idx) {
      const std::string& name = section.indicators[indicator_idx]->name;
      if (indicator_idx > 0) out += ", ";
      out += "<a href=\"#indicator-" + HtmlEscape(name) + "\">" + HtmlEscape(name) + "</a>";
    }
    out += "</span></li>\n";
  }
  out += "</ul>\n</nav>\n";

  // 3. One table per module.
  const std::vector<std::string> header = HeaderCells(languages);
  for (const Section& section : sections) {
    out += "<section id=\"" + HtmlEscape(SectionAnchor(section.module)) + "\">\n<h2>" +
           HtmlEscape(ModuleTitle(section.module)) + " (" +
           HtmlCode(dictionary::ModuleName(section.module)) + ")</h2>\n";
    if (section.module == Module::kGbvRisk) {
      if (std::string maxima = DomainMaxima(dictionary); !maxima.empty()) {
        out += "<p>Maximum risk points per domain: " + HtmlEscape(maxima) +
               ". Answers without points (such as <code>unknown</code>) count as not "
               "answered.</p>\n";
      }
    }
    out += "<table>\n<thead><tr>";
    for (const std::string& cell : header) out += "<th>" + HtmlEscape(cell) + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (const Indicator* indicator : section.indicators) {
      out += "<tr id=\"indicator-" + HtmlEscape(indicator->name) + "\"><td>" +
             markup.code(indicator->name) + "</td><td>" + markup.text(indicator->code) + "</td>";
      std::vector<std::string> cells = RowCells(dictionary, *indicator, languages, markup);
      for (size_t cell_idx = 0; cell_idx < cells.size(); ++cell_idx) {
        // The first cells are the questions, one per language.
        out += cell_idx < languages.size() ? "<td" + LangAttributes(languages[cell_idx]) + ">"
                                           : std::string("<td>");
        out += cells[cell_idx] + "</td>";
      }
      out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace opendtm::forms
