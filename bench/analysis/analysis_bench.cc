// The C++ side of the analysis benchmark (bench/README.md, "analysis"): times
// OpenDTM's analysis engine on an operation already in a database, phase by
// phase, and writes its results in the canonical form the pandas and SQLite
// baselines write too, so that analysis_bench.py compares the numbers as well
// as the times.
//
//   analysis_bench --db DB --operation NAME --dictionary YAML --out DIR
//                  --one-round N [--repetitions R] [--threads T]
//
// Phases (each repeated R times, default 3; the median is printed):
//   load        open the store and load every round's frames (LoadFrames);
//   rollup_one  admin2 + admin1 + country rollups of round N's frames (every
//               summed count, every share-of-sites indicator);
//   rollup_all  the same for every round's frames;
//   risk        the GBV risk index of every site-round (RiskIndex::ScoreFrame).
// Prints one JSON object: {"load": s, "rollup_one": s, "rollup_all": s,
// "risk": s, "rows": n, "frames": n, "threads": t}. Writes DIR/rollup-one.csv,
// DIR/rollup-all.csv and DIR/risk.csv (formats in bench/README.md).
// Exit 0 on success, 2 for a usage error, 3 when something fails.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "analysis/frame.h"
#include "analysis/risk_index.h"
#include "analysis/rollup.h"
#include "dictionary/loader.h"
#include "store/sqlite_store.h"

namespace {

using opendtm::Result;
using opendtm::Status;
namespace analysis = opendtm::analysis;
namespace dictionary = opendtm::dictionary;
namespace store = opendtm::store;

struct Options {
  std::string db;
  std::string operation;
  std::string dictionary;
  std::string out;
  int one_round = 0;
  int repetitions = 3;
  unsigned threads = 0;
};

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  options.threads = std::max(1u, std::thread::hardware_concurrency());
  for (int arg = 1; arg + 1 < argc; arg += 2) {
    const std::string flag = argv[arg];
    const std::string value = argv[arg + 1];
    if (flag == "--db") {
      options.db = value;
    } else if (flag == "--operation") {
      options.operation = value;
    } else if (flag == "--dictionary") {
      options.dictionary = value;
    } else if (flag == "--out") {
      options.out = value;
    } else if (flag == "--one-round") {
      options.one_round = std::atoi(value.c_str());
    } else if (flag == "--repetitions") {
      options.repetitions = std::max(1, std::atoi(value.c_str()));
    } else if (flag == "--threads") {
      options.threads = static_cast<unsigned>(std::max(1, std::atoi(value.c_str())));
    } else {
      return std::nullopt;
    }
  }
  if (argc % 2 == 0 || options.db.empty() || options.operation.empty() ||
      options.dictionary.empty() || options.out.empty() || options.one_round <= 0) {
    return std::nullopt;
  }
  return options;
}

double Median(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  const size_t middle = seconds.size() / 2;
  return seconds.size() % 2 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2;
}

template <typename Work>
double Seconds(Work work) {
  const auto started = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

// A number as the canonical files write it: an integer when whole, else six
// decimals.
std::string Canonical(double value) {
  char buffer[64];
  if (std::floor(value) == value && std::fabs(value) < 9e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.6f", value);
  }
  return buffer;
}

std::string Canonical(const std::optional<double>& value) {
  if (!value) return "";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", *value);
  return buffer;
}

constexpr analysis::Level kLevels[] = {analysis::Level::kAdmin2, analysis::Level::kAdmin1,
                                       analysis::Level::kCountry};

// The rollups of `frames`, one list of areas per level.
Result<std::vector<std::vector<std::vector<analysis::AreaTotals>>>> RollUpAll(
    const std::vector<const analysis::Frame*>& frames, const dictionary::Dictionary& dictionary,
    unsigned threads) {
  analysis::RollupOptions options;
  options.threads = threads;
  return analysis::RollUpFrames(frames, dictionary, kLevels, options);
}

// rollup-*.csv: level,area,round,assessment_type,measure,value; rows sorted.
Status WriteRollups(const std::string& path, const std::vector<const analysis::Frame*>& frames,
                    const std::vector<std::vector<std::vector<analysis::AreaTotals>>>& rollups,
                    const dictionary::Dictionary& dictionary) {
  std::vector<std::string> lines;
  const auto& indicators = dictionary.indicators();
  for (size_t frame_idx = 0; frame_idx < frames.size(); ++frame_idx) {
    const analysis::Frame& frame = *frames[frame_idx];
    const std::string type(store::AssessmentTypeName(frame.assessment_type));
    for (size_t level_idx = 0; level_idx < std::size(kLevels); ++level_idx) {
      const std::string level(analysis::LevelName(kLevels[level_idx]));
      for (const analysis::AreaTotals& area : rollups[frame_idx][level_idx]) {
        const std::string prefix =
            level + "," + area.area + "," + std::to_string(frame.round) + "," + type + ",";
        lines.push_back(prefix + "sites," + std::to_string(area.sites));
        for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
          const dictionary::Indicator& indicator = indicators[indicator_idx];
          const std::vector<int64_t>& sites = area.answer_sites[indicator_idx];
          if (!sites.empty()) {
            const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
            for (size_t slot = 0; slot < sites.size(); ++slot) {
              if (sites[slot] == 0) continue;
              const std::string code = slot < list->choices.size() ? list->choices[slot].name : "";
              const std::string key = indicator.name + "=" + code + ",";
              lines.push_back(prefix + "sites:" + key + std::to_string(sites[slot]));
              lines.push_back(prefix + "people:" + key +
                              Canonical(area.answer_people[indicator_idx][slot]));
            }
          } else if (indicator.aggregate == dictionary::Aggregate::kSum &&
                     (frame.columns[indicator_idx].kind == analysis::ColumnKind::kInteger ||
                      frame.columns[indicator_idx].kind == analysis::ColumnKind::kNumber)) {
            lines.push_back(prefix + "sum:" + indicator.name + "," +
                            Canonical(area.sums[indicator_idx]));
            lines.push_back(prefix + "reporting:" + indicator.name + "," +
                            std::to_string(area.reporting[indicator_idx]));
          }
        }
      }
    }
  }
  std::sort(lines.begin(), lines.end());
  std::ofstream out(path, std::ios::binary);
  out << "level,area,round,assessment_type,measure,value\n";
  for (const std::string& line : lines) out << line << "\n";
  out.close();
  if (!out) return opendtm::UnavailableError("cannot write " + path);
  return Status::Ok();
}

// risk.csv: one line per site-round, rows sorted.
Status WriteRisk(const std::string& path, const std::vector<analysis::Frame>& frames,
                 const std::vector<analysis::FrameRisk>& risks,
                 const dictionary::Dictionary& dictionary) {
  std::vector<std::string> lines;
  for (size_t frame_idx = 0; frame_idx < frames.size(); ++frame_idx) {
    const analysis::Frame& frame = frames[frame_idx];
    const analysis::FrameRisk& risk = risks[frame_idx];
    const std::string type(store::AssessmentTypeName(frame.assessment_type));
    for (size_t row = 0; row < frame.rows(); ++row) {
      std::string line = frame.site_ids[row] + "," + std::to_string(frame.round) + "," + type +
                         "," + Canonical(risk.Score(row)) + "," +
                         std::string(analysis::RiskBandName(risk.band[row])) + "," +
                         Canonical(std::optional<double>(risk.Coverage(row)));
      for (size_t domain = 0; domain < risk.domain_points.size(); ++domain) {
        line += "," + Canonical(risk.DomainScore(domain, row));
      }
      line += ",";
      for (size_t slot = 0; slot < analysis::kTopItems; ++slot) {
        const int16_t indicator = risk.top_indicator[row * analysis::kTopItems + slot];
        if (indicator < 0) break;
        if (slot > 0) line += ";";
        line += dictionary.indicators()[indicator].name + ":" +
                std::to_string(risk.top_points[row * analysis::kTopItems + slot]);
      }
      lines.push_back(std::move(line));
    }
  }
  std::sort(lines.begin(), lines.end());
  std::ofstream out(path, std::ios::binary);
  out << "site_id,round,assessment_type,score,band,coverage,layout,security,participation,"
         "services,top_items\n";
  for (const std::string& line : lines) out << line << "\n";
  out.close();
  if (!out) return opendtm::UnavailableError("cannot write " + path);
  return Status::Ok();
}

int Fail(const Status& status) {
  std::cerr << "analysis_bench: " << status.ToString() << "\n";
  return 3;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Options> options = ParseOptions(argc, argv);
  if (!options) {
    std::cerr << "usage: analysis_bench --db DB --operation NAME --dictionary YAML --out DIR "
                 "--one-round N [--repetitions R] [--threads T]\n";
    return 2;
  }
  Result<dictionary::Dictionary> loaded = dictionary::LoadDictionaryFile(options->dictionary);
  if (!loaded.ok()) return Fail(loaded.status());
  const dictionary::Dictionary& dictionary = *loaded;

  // (a) Cold load: open the store and read every round into frames.
  std::vector<analysis::Frame> frames;
  std::vector<double> load_seconds;
  Status failure = Status::Ok();
  for (int repetition = 0; repetition < options->repetitions; ++repetition) {
    frames.clear();
    load_seconds.push_back(Seconds([&] {
      Result<std::unique_ptr<store::SqliteStore>> opened =
          store::SqliteStore::Open(options->db, dictionary);
      if (!opened.ok()) {
        failure = opened.status();
        return;
      }
      Result<store::Operation> operation = (*opened)->FindOperation(options->operation, std::nullopt);
      if (!operation.ok()) {
        failure = operation.status();
        return;
      }
      Result<std::vector<analysis::Frame>> read =
          analysis::LoadFrames(**opened, dictionary, operation->id, 0, 1'000'000);
      if (!read.ok()) {
        failure = read.status();
        return;
      }
      frames = std::move(read).value();
    }));
    if (!failure.ok()) return Fail(failure);
  }
  std::vector<const analysis::Frame*> one_round;
  std::vector<const analysis::Frame*> all_rounds;
  size_t rows = 0;
  for (const analysis::Frame& frame : frames) {
    all_rounds.push_back(&frame);
    if (frame.round == options->one_round) one_round.push_back(&frame);
    rows += frame.rows();
  }
  if (one_round.empty()) {
    return Fail(opendtm::NotFoundError("no frame of round " + std::to_string(options->one_round)));
  }

  // (b) Rollups of one round and of all rounds.
  std::vector<std::vector<std::vector<analysis::AreaTotals>>> rollup_one;
  std::vector<std::vector<std::vector<analysis::AreaTotals>>> rollup_all;
  std::vector<double> one_seconds;
  std::vector<double> all_seconds;
  for (int repetition = 0; repetition < options->repetitions; ++repetition) {
    one_seconds.push_back(Seconds([&] {
      auto result = RollUpAll(one_round, dictionary, options->threads);
      if (result.ok()) rollup_one = std::move(result).value(); else failure = result.status();
    }));
    all_seconds.push_back(Seconds([&] {
      auto result = RollUpAll(all_rounds, dictionary, options->threads);
      if (result.ok()) rollup_all = std::move(result).value(); else failure = result.status();
    }));
    if (!failure.ok()) return Fail(failure);
  }

  // (c) The risk index of every site-round.
  Result<analysis::RiskIndex> index = analysis::RiskIndex::Create(dictionary);
  if (!index.ok()) return Fail(index.status());
  std::vector<analysis::FrameRisk> risks;
  std::vector<double> risk_seconds;
  for (int repetition = 0; repetition < options->repetitions; ++repetition) {
    risks.clear();
    risk_seconds.push_back(Seconds([&] {
      for (const analysis::Frame& frame : frames) {
        Result<analysis::FrameRisk> scored =
            index->ScoreFrame(frame, 0, options->threads);
        if (!scored.ok()) {
          failure = scored.status();
          return;
        }
        risks.push_back(std::move(scored).value());
      }
    }));
    if (!failure.ok()) return Fail(failure);
  }

  std::filesystem::create_directories(options->out);
  for (Status written :
       {WriteRollups(options->out + "/rollup-one.csv", one_round, rollup_one, dictionary),
        WriteRollups(options->out + "/rollup-all.csv", all_rounds, rollup_all, dictionary),
        WriteRisk(options->out + "/risk.csv", frames, risks, dictionary)}) {
    if (!written.ok()) return Fail(written);
  }
  std::printf(
      "{\"load\": %.6f, \"rollup_one\": %.6f, \"rollup_all\": %.6f, \"risk\": %.6f, "
      "\"rows\": %zu, \"frames\": %zu, \"threads\": %u}\n",
      Median(load_seconds), Median(one_seconds), Median(all_seconds), Median(risk_seconds), rows,
      frames.size(), options->threads);
  return 0;
}
