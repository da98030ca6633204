#include "cli/rollup_command.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "analysis/admin_figures.h"
#include "analysis/frame.h"
#include "analysis/regions.h"
#include "analysis/rollup.h"
#include "cli/analysis_output.h"
#include "cli/disclosed_read.h"
#include "cli/operation_release.h"
#include "cli/store_access.h"
#include "core/csv_writer.h"
#include "core/number.h"
#include "publish/csv_export.h"
#include "publish/json_export.h"
#include "store/records.h"

namespace opendtm::cli {
namespace {

int Usage(const Environment& environment, const std::string& problem,
          const char* usage = kRollupUsage) {
  return AnalyzeUsage(environment, problem, usage);
}

// A share with four decimals (0 when the denominator is 0).
double Share(double part, double whole) {
  return whole > 0 ? std::stod(Fixed(part / whole, 4)) : 0;
}

// One area's figures as the JSON object of `dtm analyze rollup`.
nlohmann::ordered_json AreaJson(const dictionary::Dictionary& dictionary, analysis::Level level,
                                const nlohmann::ordered_json& round, std::string_view type,
                                const analysis::AreaTotals& area,
                                const std::set<std::string, std::less<>>& pcodes,
                                const std::string& by, std::string_view source = "sites") {
  nlohmann::ordered_json object;
  object["level"] = std::string(analysis::LevelName(level));
  if (level == analysis::Level::kRegion || level == analysis::Level::kGlobal) {
    object["name"] = area.area;
  } else {
    PutArea(object, level, area.area, pcodes);
  }
  // The split: the indicator's name and the group's answer (null: none).
  if (!by.empty()) {
    object["by"] = by;
    object["by_value"] =
        area.by.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(area.by);
  }
  object["round"] = round;
  object["assessment_type"] = std::string(type);
  // Where the numbers come from: site submissions, or the admin-level figures
  // published for the round (DTM API records).
  object["source"] = std::string(source);
  object["sites"] = area.sites;
  const std::vector<dictionary::Indicator>& indicators = dictionary.indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const dictionary::Indicator& indicator = indicators[indicator_idx];
    if (!area.answer_sites[indicator_idx].empty()) {
      const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
      nlohmann::ordered_json answers = nlohmann::ordered_json::object();
      const std::vector<int64_t>& sites = area.answer_sites[indicator_idx];
      for (size_t slot = 0; slot < sites.size(); ++slot) {
        const std::string answer = slot + 1 < sites.size() ? list->choices[slot].name : "missing";
        answers[answer] = {
            {"sites", sites[slot]},
            {"share_of_sites",
             Share(static_cast<double>(sites[slot]), static_cast<double>(area.sites))},
            {"share_of_people", Share(area.answer_people[indicator_idx][slot], area.people)}};
      }
      object[indicator.name] = answers;
    } else if (indicator.aggregate == dictionary::Aggregate::kSum &&
               indicator.type == dictionary::ValueType::kInteger) {
      object[indicator.name] =
          area.reporting[indicator_idx] > 0
              ? nlohmann::ordered_json(static_cast<int64_t>(area.sums[indicator_idx]))
              : nlohmann::ordered_json(nullptr);
    } else if (indicator.aggregate == dictionary::Aggregate::kSum &&
               indicator.type == dictionary::ValueType::kDecimal) {
      object[indicator.name] = area.reporting[indicator_idx] > 0
                                   ? nlohmann::ordered_json(area.sums[indicator_idx])
                                   : nlohmann::ordered_json(nullptr);
    }
  }
  return object;
}

// The region table of --regions FILE, else $OPENDTM_REGIONS, else the one
// shipped in reference/regions.csv.
Result<analysis::RegionTable> LoadRegions(const CommandLine& line) {
  std::string path = std::string(OPENDTM_SOURCE_DIR) + "/reference/regions.csv";
  if (const char* from_environment = std::getenv("OPENDTM_REGIONS");
      from_environment != nullptr && *from_environment != '\0') {
    path = from_environment;
  }
  if (std::optional<std::string> flag = line.Flag("regions")) path = *flag;
  return analysis::RegionTable::Load(path);
}

// --level region|global: every operation (or --operation's) at its latest
// round with accepted submissions of `type` (an operation of admin-level
// figures: its latest published round of the type), added up by region or
// for the world (analysis/regions.h). Each group names the operations and
// rounds it adds; the operations without such a round go into `left_out`.
Result<nlohmann::ordered_json> AboveCountryGroups(
    store::Store& store, const dictionary::Dictionary& dictionary, const CommandLine& line,
    analysis::Level level, store::AssessmentType type, const analysis::RollupOptions& options,
    const std::string& by_name, std::vector<std::string>& left_out) {
  ASSIGN_OR_RETURN(analysis::RegionTable regions, LoadRegions(line));
  std::vector<store::Operation> operations;
  if (line.Flag("operation")) {
    ASSIGN_OR_RETURN(store::Operation operation, ResolveOperation(store, line));
    operations.push_back(std::move(operation));
  } else {
    ASSIGN_OR_RETURN(operations, store.ListOperations());
  }
  std::vector<analysis::OperationFigures> figures;
  for (const store::Operation& operation : operations) {
    ASSIGN_OR_RETURN(std::vector<store::Round> rounds, store.ListRounds(operation.id));
    bool found = false;
    for (auto round = rounds.rbegin(); round != rounds.rend() && !found; ++round) {
      ASSIGN_OR_RETURN(
          std::vector<analysis::Frame> frames,
          analysis::LoadFrames(store, dictionary, operation.id, round->number, round->number));
      for (const analysis::Frame& frame : frames) {
        if (frame.assessment_type != type) continue;
        ASSIGN_OR_RETURN(std::vector<analysis::AreaTotals> countries,
                         analysis::RollUp(frame, dictionary, analysis::Level::kCountry, options));
        figures.push_back(
            {operation.name, operation.country,
             analysis::RegionOfOperation(operation.region, operation.country, regions), frame.round,
             std::move(countries)});
        found = true;
      }
    }
    // An operation of admin-level figures (no round of site data) counts
    // with its latest published round of the type.
    if (!found && rounds.empty()) {
      ASSIGN_OR_RETURN(std::vector<store::AdminFigure> published, store.AdminFigures(operation.id));
      ASSIGN_OR_RETURN(std::optional<analysis::OperationFigures> latest,
                       analysis::LatestAdminFigures(published, dictionary,
                                                    store::AssessmentTypeName(type), options));
      if (latest) {
        latest->operation = operation.name;
        latest->country = operation.country;
        latest->region = analysis::RegionOfOperation(operation.region, operation.country, regions);
        figures.push_back(std::move(*latest));
        found = true;
      }
    }
    if (!found) left_out.push_back(operation.name);
  }
  ASSIGN_OR_RETURN(std::vector<analysis::AreaTotals> combined,
                   analysis::CombineOperations(figures, level));
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  for (const analysis::AreaTotals& area : combined) {
    nlohmann::ordered_json used = nlohmann::ordered_json::array();
    for (const analysis::OperationFigures& operation : figures) {
      if (level == analysis::Level::kRegion && operation.region != area.area) continue;
      nlohmann::ordered_json entry = {{"operation", operation.operation},
                                      {"country", operation.country},
                                      {"round", operation.round}};
      // Its figures are published records added up, not sites.
      if (operation.admin_figures) {
        entry["source"] = "admin_figures";
        entry["records"] = operation.records;
      }
      used.push_back(std::move(entry));
    }
    nlohmann::ordered_json group =
        AreaJson(dictionary, level, "latest", store::AssessmentTypeName(type), area, {}, by_name);
    group["operations"] = used;
    groups.push_back(std::move(group));
  }
  if (groups.empty()) {
    return NotFoundError("no operation has a round with accepted " +
                         std::string(store::AssessmentTypeName(type)) + " submissions");
  }
  return groups;
}

// The admin-level figures' groups (analysis/admin_figures.h): each key's
// finest published level rolled up to `level`, labelled with its source; a
// coarser published figure that disagrees is listed in the group
// (`published_disagrees`) or, when the finer records have nothing in its
// area, noted on `notes`. A level finer than what was published is noted and
// skipped.
Status AddAdminFigureGroups(const std::vector<analysis::AdminFigureFrame>& figure_frames,
                            const std::vector<store::AdminFigure>& published,
                            const std::map<std::string, std::string, std::less<>>& names,
                            const dictionary::Dictionary& dictionary, analysis::Level level,
                            const analysis::RollupOptions& options, const std::string& by_name,
                            nlohmann::ordered_json& groups, std::ostream& notes) {
  std::set<std::string, std::less<>> pcodes;
  for (const store::AdminFigure& figure : published) {
    for (const std::string* pcode : {&figure.country, &figure.admin1_pcode, &figure.admin2_pcode}) {
      if (!pcode->empty()) pcodes.insert(*pcode);
    }
  }
  const bool comparable = options.where.empty() && options.by_indicator < 0;
  for (const analysis::AdminFigureFrame& figures : figure_frames) {
    const analysis::Level finest = analysis::LevelOfAdmin(figures.finest_level);
    const std::string key = "round " + std::to_string(figures.round) + " (" +
                            figures.reporting_date + ", " + figures.assessment_type + ")";
    if (level < finest) {
      notes << "note: admin-level figures of " << key << " are published down to "
            << analysis::LevelName(finest) << " only: none at " << analysis::LevelName(level)
            << "\n";
      continue;
    }
    ASSIGN_OR_RETURN(std::vector<analysis::AreaTotals> areas,
                     analysis::RollUp(figures.frame, dictionary, level, options));
    std::vector<analysis::FigureDisagreement> disagreements;
    if (comparable && level != finest) {
      disagreements = analysis::CompareWithPublished(figures, areas, level, dictionary);
    }
    for (const analysis::AreaTotals& area : areas) {
      nlohmann::ordered_json group =
          AreaJson(dictionary, level, figures.round, figures.assessment_type, area, pcodes, by_name,
                   "admin_figures");
      group["source_level"] = std::string(analysis::LevelName(finest));
      group["reporting_date"] = figures.reporting_date;
      // Published records added up, not sites: no "sites" at all.
      group.erase("sites");
      group["records"] = area.sites;
      if (group.contains("pcode")) {
        // The area's name beside its P-code (the gazetteer's, else the
        // records'), as releases name areas.
        nlohmann::ordered_json named;
        for (auto& [field, value] : group.items()) {
          named[field] = value;
          if (field != "pcode") continue;
          auto name = value.is_string() ? names.find(value.get<std::string>()) : names.end();
          named["name"] =
              name == names.end() ? nlohmann::ordered_json() : nlohmann::ordered_json(name->second);
        }
        group = std::move(named);
      }
      nlohmann::ordered_json differing = nlohmann::ordered_json::array();
      for (const analysis::FigureDisagreement& disagreement : disagreements) {
        if (disagreement.area != area.area) continue;
        differing.push_back(
            {{"indicator", disagreement.indicator},
             {"published", disagreement.published},
             {"summed", disagreement.summed ? nlohmann::ordered_json(*disagreement.summed)
                                            : nlohmann::ordered_json()}});
      }
      if (!differing.empty()) group["published_disagrees"] = differing;
      groups.push_back(std::move(group));
    }
    for (const analysis::FigureDisagreement& disagreement : disagreements) {
      if (disagreement.summed) continue;
      notes << "note: " << key << ": " << disagreement.area << " publishes "
            << disagreement.indicator << " " << disagreement.published << " at "
            << analysis::LevelName(level) << ", and no " << analysis::LevelName(finest)
            << " figure adds up to it\n";
    }
  }
  return Status::Ok();
}

int RunRollupBody(const CommandLine& line, const Environment& environment) {
  if (Status known =
          line.CheckKnownFlags({"as", "tier", "purpose", "db", "dictionary", "operation", "country",
                                "round", "level", "by", "where", "format", "type", "regions"});
      !known.ok()) {
    return Usage(environment, known.message(), kRollupUsage);
  }
  if (line.positional().size() != 2) {
    return Usage(environment, "analyze rollup takes no arguments", kRollupUsage);
  }
  const std::string level_word = line.Flag("level").value_or("");
  std::optional<analysis::Level> level = ParseLevel(level_word);
  if (level_word == "region") level = analysis::Level::kRegion;
  if (level_word == "global") level = analysis::Level::kGlobal;
  if (!level) {
    return Usage(environment,
                 "--level must be site, admin3, admin2, admin1, country, region or global",
                 kRollupUsage);
  }
  const bool above_country =
      *level == analysis::Level::kRegion || *level == analysis::Level::kGlobal;
  if (above_country) {
    if (line.Flag("round").value_or("latest") != "latest") {
      return Usage(environment,
                   "--level " + level_word +
                       " adds up each operation's latest round: --round latest, or no --round",
                   kRollupUsage);
    }
  } else {
    if (!line.Flag("operation")) {
      return Usage(environment, "--operation NAME is required", kRollupUsage);
    }
    if (!line.Flag("round")) {
      return Usage(environment, "--round N|A-B|all is required", kRollupUsage);
    }
    if (line.Flag("regions") || line.Flag("type")) {
      return Usage(environment, "--regions and --type go with --level region or global",
                   kRollupUsage);
    }
  }
  const std::string format = line.Flag("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    return Usage(environment, "--format must be table, csv or json", kRollupUsage);
  }

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  const dictionary::Dictionary& dictionary = opened->dictionary;
  // --by INDICATOR (origin_adm1 reads as origin_adm1_pcode) and --where A=B,C=D.
  analysis::RollupOptions options;
  options.threads = std::max(1u, std::thread::hardware_concurrency());
  std::string by_name;
  if (std::optional<std::string> by = line.Flag("by")) {
    by_name = *by;
    options.by_indicator = dictionary.IndexOf(by_name);
    if (options.by_indicator < 0 && dictionary.IndexOf(by_name + "_pcode") >= 0) {
      by_name += "_pcode";
      options.by_indicator = dictionary.IndexOf(by_name);
    }
    if (options.by_indicator < 0) {
      return Usage(environment, "--by: no indicator '" + *by + "' in the dictionary", kRollupUsage);
    }
  }
  for (const std::string& text : line.ListFlag("where")) {
    Result<analysis::RowCondition> condition = analysis::ParseCondition(text, dictionary);
    if (!condition.ok()) {
      return Usage(environment, "--where: " + condition.status().message(), kRollupUsage);
    }
    options.where.push_back(*condition);
  }
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  if (above_country) {
    std::optional<store::AssessmentType> type =
        store::ParseAssessmentType(line.Flag("type").value_or("SA"));
    if (!type) return Usage(environment, "--type must be SA, BA or ETT", kRollupUsage);
    std::vector<std::string> left_out;
    Result<nlohmann::ordered_json> combined = AboveCountryGroups(
        *opened->store, dictionary, line, *level, *type, options, by_name, left_out);
    if (!combined.ok()) return Fail(environment, combined.status());
    groups = std::move(combined).value();
    for (const std::string& name : left_out) {
      *environment.err << "note: operation '" << name << "' is left out: no round with accepted "
                       << store::AssessmentTypeName(*type) << " submissions\n";
    }
  } else {
    Result<store::Operation> operation = ResolveOperation(*opened->store, line);
    if (!operation.ok()) return Fail(environment, operation.status());
    Result<std::pair<int, int>> rounds =
        RoundRange(*line.Flag("round"), *opened->store, operation->id);
    if (!rounds.ok()) return Usage(environment, rounds.status().message(), kRollupUsage);
    Result<std::vector<store::AdminFigure>> published = opened->store->AdminFigures(operation->id);
    if (!published.ok()) return Fail(environment, published.status());
    // --round all also covers the rounds of the admin-level figures.
    std::pair<int, int> range = *rounds;
    if (*line.Flag("round") == "all") {
      for (const store::AdminFigure& figure : *published) {
        if (range.first > range.second) range = {figure.round, figure.round};
        range.first = std::min(range.first, figure.round);
        range.second = std::max(range.second, figure.round);
      }
    }
    Result<std::vector<analysis::Frame>> frames =
        analysis::LoadFrames(*opened->store, dictionary, operation->id, range.first, range.second);
    if (!frames.ok()) return Fail(environment, frames.status());
    Result<std::vector<analysis::AdminFigureFrame>> figure_frames =
        analysis::AdminFigureFrames(*published, dictionary, range.first, range.second);
    if (!figure_frames.ok()) return Fail(environment, figure_frames.status());
    if (frames->empty() && figure_frames->empty()) {
      return Fail(environment,
                  NotFoundError("no accepted submission and no admin-level figure in "
                                "round(s) " +
                                *line.Flag("round") + " of '" + operation->name + "'"));
    }
    Result<std::set<std::string, std::less<>>> known = KnownPcodes(*opened->store, *operation);
    if (!known.ok()) return Fail(environment, known.status());
    const std::set<std::string, std::less<>>& pcodes = *known;

    std::vector<const analysis::Frame*> each_frame;
    for (const analysis::Frame& frame : *frames) each_frame.push_back(&frame);
    const analysis::Level levels[] = {*level};
    Result<std::vector<std::vector<std::vector<analysis::AreaTotals>>>> totals =
        analysis::RollUpFrames(each_frame, dictionary, levels, options);
    if (!totals.ok()) return Fail(environment, totals.status());
    for (size_t frame_idx = 0; frame_idx < each_frame.size(); ++frame_idx) {
      for (const analysis::AreaTotals& area : (*totals)[frame_idx][0]) {
        const analysis::Frame& frame = *each_frame[frame_idx];
        groups.push_back(AreaJson(dictionary, *level, frame.round,
                                  store::AssessmentTypeName(frame.assessment_type), area, pcodes,
                                  by_name));
      }
    }
    // Area names: the gazetteer's, else those the records give.
    std::map<std::string, std::string, std::less<>> names =
        analysis::PublishedAreaNames(*published);
    Result<std::vector<store::AdminAreaRecord>> gazetteer =
        opened->store->AdminAreas(operation->country);
    if (!gazetteer.ok()) return Fail(environment, gazetteer.status());
    for (const store::AdminAreaRecord& area : *gazetteer) names[area.pcode] = area.name;
    Status figures_added = AddAdminFigureGroups(*figure_frames, *published, names, dictionary,
                                                *level, options, by_name, groups, *environment.err);
    if (!figures_added.ok()) return Fail(environment, figures_added);
  }
  if (format == "json") {
    *environment.out << groups.dump(2) << "\n";
    return 0;
  }
  // Table and CSV: one line per group. CSV has every figure, a share of sites
  // as INDICATOR=ANSWER (percent of the group's sites); the table only the
  // counts, to stay readable.
  const bool with_shares = format == "csv";
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  for (const nlohmann::ordered_json& group : groups) {
    // An area has a P-code or a name: both columns, one of them blank.
    nlohmann::ordered_json flat;
    for (const auto& [key, value] : group.items()) {
      if (key == "pcode" || key == "name") continue;
      flat[key] = value;
      if (key == "level" && *level != analysis::Level::kSite) {
        flat["pcode"] = group.contains("pcode") ? group["pcode"] : nlohmann::ordered_json();
        flat["name"] = group.contains("name") ? group["name"] : nlohmann::ordered_json();
      }
    }
    std::vector<std::string> row;
    std::vector<std::string> names;
    for (const auto& [key, value] : flat.items()) {
      if (value.is_object()) {
        if (!with_shares) continue;
        for (const auto& [answer, figures] : value.items()) {
          names.push_back(key + "=" + answer);
          row.push_back(Fixed(figures["share_of_sites"].get<double>() * 100, 1));
        }
      } else {
        names.push_back(key);
        row.push_back(value.is_null()     ? ""
                      : value.is_string() ? value.get<std::string>()
                                          : value.dump());
      }
    }
    if (header.empty()) header = names;
    rows.push_back(std::move(row));
  }
  if (format == "csv") {
    *environment.out << core::CsvLine(header);
    for (const auto& row : rows) *environment.out << core::CsvLine(row);
    return 0;
  }
  rows.insert(rows.begin(), header);
  PrintAligned(*environment.out, rows);
  *environment.out << "\nshares of sites per answer: --format csv or json\n";
  return 0;
}

// A rollup below protection: the release of the operation's standard tables
// (disclosure/release_builder.h) at one level, suppressed for the tier and
// written as `dtm export` writes it (json, csv) or as a table on screen.
// Splits (--by, --where) and regional levels are refused there: suppression
// covers the standard tables, not groups chosen at will.
int RunSuppressedRollup(const CommandLine& line, const Environment& environment,
                        DisclosedRead& read) {
  if (line.Flag("by") || line.Flag("where")) {
    return Fail(
        environment,
        read.Refuse(PermissionDeniedError(
            "--by and --where split areas into groups chosen at will, which small-cell "
            "suppression does not cover: tier " +
            std::string(store::TierName(read.tier())) + " gets whole areas (spec/disclosure.md)")));
  }
  const std::string level_word = line.Flag("level").value_or("");
  std::optional<analysis::Level> level = ParseLevel(level_word);
  if (!level || !line.Flag("operation") || !line.Flag("round")) {
    return Fail(environment,
                read.Refuse(PermissionDeniedError(
                    "tier " + std::string(store::TierName(read.tier())) +
                    " gets rollups of one operation at site, admin3, admin2, admin1 or country "
                    "level (--operation, --round, --level)")));
  }
  const std::string format = line.Flag("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    return Usage(environment, "--format must be table, csv or json", kRollupUsage);
  }
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  Result<store::Operation> operation = ResolveOperation(*opened->store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  Result<OperationRelease> released = ReleaseOperation(
      *opened->store, opened->dictionary, *operation, read, {*level}, *line.Flag("round"));
  if (!released.ok()) return Fail(environment, released.status());
  const disclosure::Release* release = &released->release;
  if (format == "json") {
    Result<publish::ExportedText> json = publish::ExportJson(*release, {});
    if (!json.ok()) return Fail(environment, json.status());
    *environment.out << json->text;
    return 0;
  }
  if (format == "csv") {
    Result<publish::ExportedText> csv = publish::ExportCsv(*release, {});
    if (!csv.ok()) return Fail(environment, csv.status());
    *environment.out << csv->text;
    return 0;
  }
  // On screen: the summed figures (answer counts in csv and json).
  std::vector<std::string> header = {
      "level", "pcode", "name", "round", "type", release->admin_figures ? "records" : "sites"};
  std::vector<size_t> shown;
  for (size_t column_idx = 0; column_idx < release->columns.size(); ++column_idx) {
    const disclosure::ReleaseColumn& column = release->columns[column_idx];
    if (column.choice.empty() && column.kind != disclosure::ValueKind::kText &&
        disclosure::ColumnApplies(column, *level)) {
      header.push_back(column.name);
      shown.push_back(column_idx);
    }
  }
  std::vector<std::vector<std::string>> rows = {header};
  int64_t suppressed = 0;
  for (const disclosure::ReleaseRow& row : release->rows) {
    std::vector<std::string> cells = {std::string(analysis::LevelName(row.level)),
                                      row.pcode,
                                      row.name,
                                      std::to_string(row.round),
                                      std::string(store::AssessmentTypeName(row.assessment_type)),
                                      std::to_string(row.sites)};
    for (size_t column_idx : shown) {
      const disclosure::ReleaseCell& cell = row.cells[column_idx];
      if (cell.state == disclosure::CellState::kSuppressed) {
        cells.push_back("*");
        ++suppressed;
      } else if (cell.state == disclosure::CellState::kBlank) {
        cells.push_back("");
      } else {
        cells.push_back(release->columns[column_idx].kind == disclosure::ValueKind::kInteger
                            ? std::to_string(cell.integer)
                            : core::FormatNumber(cell.number));
      }
    }
    rows.push_back(std::move(cells));
  }
  PrintAligned(*environment.out, rows);
  *environment.out << "\n* suppressed for tier " << store::TierName(read.tier()) << " ("
                   << suppressed << " cells; reasons in --format csv or json); policy version "
                   << release->policy_version << "\n";
  return 0;
}

}  // namespace

int RunRollupCommand(const CommandLine& line, const Environment& environment) {
  // Protection and operation_admin read unsuppressed figures, with every
  // option; lower tiers read the suppressed release.
  ReadNeeds needs{"rollup", store::Tier::kPublic, "", false};
  return RunDisclosedRead(line, environment, needs,
                          [&line](const Environment& inner, DisclosedRead& read) {
                            if (read.tier() < store::Tier::kProtection) {
                              return RunSuppressedRollup(line, inner, read);
                            }
                            return RunRollupBody(line, inner);
                          });
}

}  // namespace opendtm::cli
