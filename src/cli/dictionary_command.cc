#include "cli/dictionary_command.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <sstream>

#include "dictionary/compatibility.h"
#include "dictionary/default_dictionary.h"
#include "dictionary/linter.h"
#include "dictionary/loader.h"
#include "forms/export.h"
#include "geo/gazetteer.h"

namespace opendtm::cli {
namespace {

constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

int Usage(std::ostream& err, const std::string& problem) {
  err << "dtm dictionary: " << problem << "\n"
      << "usage: dtm dictionary check [FILE] [--previous OLD]\n"
      << "       dtm dictionary diff OLD NEW\n"
      << "       dtm dictionary export --format xlsform|xform|codebook-md|codebook-html|json\n"
      << "                             -o FILE [--dictionary FILE] [--modules a,b]\n"
      << "                             [--lang en,fr] [--gazetteer FILE --country ISO3]\n"
      << "                             [--form-id ID] [--title TEXT]\n";
  return kExitUsage;
}

// The dictionary of `file`, or the built-in default when none is named.
Result<dictionary::Dictionary> LoadFileOrDefault(const std::optional<std::string>& file) {
  return file ? dictionary::LoadDictionaryFile(*file) : dictionary::LoadDefaultDictionary();
}

// Prints a failed load: each problem of the loader on its own line.
int ReportLoadFailure(const Status& status, std::ostream& out, std::ostream& err) {
  if (status.code() == StatusCode::kInvalidArgument) {
    out << status.message() << "\n";
    return kExitFindings;
  }
  err << "dtm: " << status.message() << "\n";
  return ExitCodeFor(status);
}

int Check(const CommandLine& line, std::ostream& out, std::ostream& err) {
  if (Status known = line.CheckKnownFlags({"previous"}); !known.ok()) {
    return Usage(err, known.message());
  }
  if (line.positional().size() > 3) return Usage(err, "check takes at most one FILE");
  std::optional<std::string> file;
  if (line.positional().size() == 3) file = line.positional()[2];
  const std::string path = file.value_or(std::string(dictionary::kDefaultDictionarySource));

  Result<dictionary::Dictionary> loaded = LoadFileOrDefault(file);
  if (!loaded.ok()) return ReportLoadFailure(loaded.status(), out, err);
  const dictionary::Dictionary& current = *loaded;

  dictionary::LintReport report = dictionary::LintDictionary(current);
  int findings = static_cast<int>(report.findings.size());
  out << path << ": version " << current.version() << ", " << current.indicators().size()
      << " indicators, " << current.choice_lists().size() << " choice lists\n";
  out << report.scored_indicators << " scored GBV indicators in " << report.scored_domains
      << " domains\n";
  for (const std::string& note : report.unchecked) out << "note: " << note << "\n";
  for (const dictionary::LintFinding& finding : report.findings) {
    out << finding.ToString() << "\n";
  }

  if (std::optional<std::string> previous_path = line.Flag("previous")) {
    Result<dictionary::Dictionary> previous = dictionary::LoadDictionaryFile(*previous_path);
    if (!previous.ok()) {
      err << "dtm: cannot load the previous version:\n";
      return ReportLoadFailure(previous.status(), out, err);
    }
    for (const dictionary::DictionaryChange& change :
         dictionary::CompareDictionaries(*previous, current)) {
      if (!change.breaking) continue;
      ++findings;
      out << change.location.file << ":" << change.location.line
          << ": dictionary-version: " << change.message << "\n";
    }
  }
  if (findings == 0) {
    out << "ok: no findings\n";
    return 0;
  }
  out << findings << (findings == 1 ? " finding\n" : " findings\n");
  return kExitFindings;
}

int Diff(const CommandLine& line, std::ostream& out, std::ostream& err) {
  if (Status known = line.CheckKnownFlags({}); !known.ok()) return Usage(err, known.message());
  if (line.positional().size() != 4) return Usage(err, "diff needs OLD and NEW");
  Result<dictionary::Dictionary> previous = dictionary::LoadDictionaryFile(line.positional()[2]);
  if (!previous.ok()) return ReportLoadFailure(previous.status(), out, err);
  Result<dictionary::Dictionary> next = dictionary::LoadDictionaryFile(line.positional()[3]);
  if (!next.ok()) return ReportLoadFailure(next.status(), out, err);

  std::vector<dictionary::DictionaryChange> changes =
      dictionary::CompareDictionaries(*previous, *next);
  out << "from " << previous->version() << " (" << line.positional()[2] << ") to "
      << next->version() << " (" << line.positional()[3] << ")\n";
  for (const dictionary::DictionaryChange& change : changes) {
    out << (change.breaking ? "BREAKING " : "") << change.location.file << ":"
        << change.location.line << ": " << change.message << "\n";
  }
  int breaking = 0;
  for (const auto& change : changes) breaking += change.breaking ? 1 : 0;
  if (changes.empty()) out << "no changes\n";
  if (breaking > 0) {
    out << breaking << " breaking change" << (breaking == 1 ? "" : "s")
        << ": versions may only add indicators and choices\n";
    return kExitFindings;
  }
  return 0;
}

int Export(const CommandLine& line, std::ostream& out, std::ostream& err) {
  if (Status known = line.CheckKnownFlags({"format", "output", "dictionary", "modules", "lang",
                                           "gazetteer", "country", "form-id", "title"});
      !known.ok()) {
    return Usage(err, known.message());
  }
  if (line.positional().size() != 2) return Usage(err, "export takes no FILE; use --dictionary");
  std::optional<std::string> format_name = line.Flag("format");
  std::optional<std::string> output = line.Flag("output");
  if (!format_name || !output) return Usage(err, "export needs --format and -o FILE");
  std::optional<forms::ExportFormat> format = forms::ParseExportFormat(*format_name);
  if (!format) return Usage(err, "unknown format '" + *format_name + "'");

  Result<dictionary::Dictionary> loaded = LoadFileOrDefault(line.Flag("dictionary"));
  if (!loaded.ok()) return ReportLoadFailure(loaded.status(), out, err);

  forms::FormOptions options;
  for (const std::string& module_name : line.ListFlag("modules")) {
    std::optional<dictionary::Module> module = dictionary::ParseModule(module_name);
    if (!module) return Usage(err, "unknown module '" + module_name + "'");
    options.modules.push_back(*module);
  }
  std::vector<std::string> available = loaded->Languages();
  options.languages = line.ListFlag("lang");
  for (const std::string& language : options.languages) {
    if (std::find(available.begin(), available.end(), language) == available.end()) {
      return Usage(err, "the dictionary has no labels in '" + language + "'");
    }
  }
  if (options.languages.empty()) options.languages = {"en"};

  std::unique_ptr<geo::Gazetteer> gazetteer;
  if (std::optional<std::string> gazetteer_path = line.Flag("gazetteer")) {
    std::optional<std::string> country = line.Flag("country");
    if (!country) return Usage(err, "--gazetteer needs --country ISO3");
    Result<geo::Gazetteer> read = geo::Gazetteer::LoadFile(*gazetteer_path);
    if (!read.ok()) {
      err << "dtm: " << read.status().message() << "\n";
      return ExitCodeFor(read.status());
    }
    gazetteer = std::make_unique<geo::Gazetteer>(std::move(read).value());
    if (gazetteer->AreasOf(*country, 1).empty()) {
      return Usage(err, "the gazetteer has no admin1 areas for country '" + *country + "'");
    }
    options.gazetteer = gazetteer.get();
    options.country = *country;
  } else if (line.Flag("country")) {
    return Usage(err, "--country needs --gazetteer FILE");
  }
  if (auto form_id = line.Flag("form-id")) options.form_id = *form_id;
  if (auto title = line.Flag("title")) options.form_title = *title;

  Status written = forms::ExportDictionary(*loaded, *format, options, *output);
  if (!written.ok()) {
    err << "dtm: " << written.message() << "\n";
    return ExitCodeFor(written);
  }
  out << "wrote " << *output << " (" << *format_name << ", dictionary " << loaded->version()
      << ")\n";
  return 0;
}

}  // namespace

int RunDictionaryCommand(const CommandLine& line, std::ostream& out, std::ostream& err) {
  if (line.positional().size() < 2) return Usage(err, "missing subcommand");
  const std::string& subcommand = line.positional()[1];
  if (subcommand == "check") return Check(line, out, err);
  if (subcommand == "diff") return Diff(line, out, err);
  if (subcommand == "export") return Export(line, out, err);
  return Usage(err, "unknown subcommand '" + subcommand + "'");
}

}  // namespace opendtm::cli
