"""Times dtm's analysis against pandas and SQLite GROUP BY on the same stored
operation, and checks that the three compute the same figures.

    /usr/bin/python3 bench/analysis/analysis_bench.py --db DB --dictionary YAML \
        --one-round N --scratch DIR --results DIR [--dtm-bench BIN] [--dtm DTM] \
        [--repetitions N] [--sites N] [--rounds N] [--prepared JSON]

Called by bench/analysis/run.sh, which builds the database first (see
bench/README.md, "analysis"). Steps:
  1. Reads the database file once, so that the page cache is warm for all.
  2. Runs each tool `repetitions` times, one process per run, rotating their
     order each repetition so that a burst of load on the shared machine does
     not always hit the same one; each times its own phases:
       dtm     BUILD/bench/analysis_bench --db DB --operation demo-nga
               --dictionary YAML --out DIR --one-round N --repetitions 1
               (skipped, with a message, when the binary is missing);
       pandas  /usr/bin/python3 pandas_analysis.py (load, rollup_one,
               rollup_all, risk);
       sqlite  /usr/bin/python3 sqlite_groupby.py (rollup_one, rollup_all).
     Each writes rollup-one.csv, rollup-all.csv (and risk.csv) into its own
     folder (pandas and sqlite on the first repetition only: their writing is
     slow and not timed); peak RSS comes from wait4().
  3. Compares the files: dtm against pandas (all three), pandas against
     sqlite (the rollups); numbers within a relative 1e-9, the rest exactly.
  4. Writes analysis.json and analysis-summary.txt into the results folder.
Seconds are medians over the repetitions. Exits 1 when the tools' results
differ (after writing the results, which name the first difference), 3 when a
tool fails.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime, timezone

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "ingest"))
import canonical  # noqa: E402
from ingest_bench import ChildFailed, database_mb, run_child  # noqa: E402

OPERATION = "demo-nga"
PHASES = ["load", "rollup_one", "rollup_all", "risk"]
SQLITE_PHASES = ["rollup_one", "rollup_all"]
# Issue 4: rollups >= 10x pandas and >= 50x SQLite; the risk index >= 10x pandas.
TARGETS = [("rollup_one", "pandas", 10.0), ("rollup_all", "pandas", 10.0),
           ("rollup_one", "sqlite", 50.0), ("rollup_all", "sqlite", 50.0),
           ("risk", "pandas", 10.0)]
ALL_FILES = list(canonical.ROLLUP_FILES) + [canonical.RISK_FILE]


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--db", "--dictionary", "--scratch", "--results"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--one-round", type=int, required=True)
    parser.add_argument("--dtm-bench", default="")
    parser.add_argument("--dtm", default="")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--sites", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=0)
    parser.add_argument("--prepared", default="", help="prepare_db.py's JSON, for the record")
    args = parser.parse_args()

    common = ["--db", args.db, "--operation", OPERATION, "--dictionary", args.dictionary,
              "--one-round", str(args.one_round)]
    out = {name: os.path.join(args.scratch, f"out-{name}") for name in ("dtm", "pandas", "sqlite")}
    commands = {
        "pandas": lambda first: ["/usr/bin/python3", os.path.join(here, "pandas_analysis.py")] +
        common + (["--out", out["pandas"]] if first else []),
        "sqlite": lambda first: ["/usr/bin/python3", os.path.join(here, "sqlite_groupby.py")] +
        common + (["--out", out["sqlite"]] if first else []),
    }
    dtm_skipped = None
    if args.dtm_bench and os.access(args.dtm_bench, os.X_OK):
        commands = {"dtm": lambda first: [args.dtm_bench] + common +
                    ["--out", out["dtm"], "--repetitions", "1"], **commands}
    else:
        dtm_skipped = (f"{args.dtm_bench or 'BUILD_DIR/bench/analysis_bench'} not found or not "
                       "runnable: dtm not measured; pandas and SQLite are still run and "
                       "cross-checked")
        print(f"analysis bench: {dtm_skipped}", file=sys.stderr, flush=True)

    load_before = os.getloadavg()
    started = datetime.now(timezone.utc)

    # 1. A warm page cache for everyone.
    for suffix in ("", "-wal"):
        if os.path.exists(args.db + suffix):
            with open(args.db + suffix, "rb") as f:
                while f.read(1 << 24):
                    pass

    # 2. The repetitions, in rotating order.
    names = list(commands)
    runs = {name: [] for name in names}
    for repetition in range(args.repetitions):
        shift = repetition % len(names)
        for name in names[shift:] + names[:shift]:
            print(f"analysis bench: repetition {repetition + 1}/{args.repetitions}, {name}...",
                  file=sys.stderr, flush=True)
            wall, peak, stdout = run_child(commands[name](repetition == 0), args.scratch)
            figures = json.loads(stdout)
            figures.update(wall_seconds=wall, peak_rss_mb=peak)
            runs[name].append(figures)
            phases = [p for p in PHASES if p in figures]
            print("analysis bench:   " + ", ".join(f"{p} {figures[p]:.3f} s" for p in phases) +
                  f", peak RSS {peak:.0f} MB", file=sys.stderr, flush=True)

    # 3. The same figures?
    checks = {}
    if "dtm" in runs:
        difference, counts = canonical.compare(out["dtm"], "dtm", out["pandas"], "pandas",
                                               ALL_FILES)
        checks["dtm_vs_pandas"] = {"agree": difference is None, "first_difference": difference,
                                   "rows_compared": counts}
    difference, counts = canonical.compare(out["pandas"], "pandas", out["sqlite"], "sqlite",
                                           list(canonical.ROLLUP_FILES))
    checks["pandas_vs_sqlite"] = {"agree": difference is None, "first_difference": difference,
                                  "rows_compared": counts}

    # 4. Results.
    tools = {}
    for name in names:
        phases = [p for p in PHASES if p in runs[name][0]]
        tools[name] = {
            "seconds": {p: round(statistics.median(run[p] for run in runs[name]), 4)
                        for p in phases},
            "seconds_each": {p: [round(run[p], 4) for run in runs[name]] for p in phases},
            # pandas and sqlite write their result files on the first repetition
            # only, in Python and slowly: their peak is taken from the others.
            "peak_rss_mb": round(max(run["peak_rss_mb"] for run in
                                     (runs[name][1:] if name != "dtm" and len(runs[name]) > 1
                                      else runs[name])), 1),
            "peak_rss_mb_writing_results": round(runs[name][0]["peak_rss_mb"], 1),
            "process_wall_seconds_each": [round(run["wall_seconds"], 2) for run in runs[name]],
        }
    if "dtm" in tools:
        for key in ("threads", "frames", "rows"):
            if key in runs["dtm"][0]:
                tools["dtm"][key] = runs["dtm"][0][key]
    tools["pandas"]["versions"] = {"pandas": runs["pandas"][0]["pandas"],
                                   "numpy": runs["pandas"][0]["numpy"]}
    tools["sqlite"]["version"] = runs["sqlite"][0]["sqlite"]
    tools["sqlite"]["formulation"] = runs["sqlite"][0]["formulation"]
    tools["sqlite"]["aggregates_per_query"] = runs["sqlite"][0]["aggregates"]
    rows = runs["pandas"][0]["rows"]

    ratios, targets = {}, {}
    if "dtm" in tools:
        dtm = tools["dtm"]["seconds"]
        for other, phases in (("pandas", PHASES), ("sqlite", SQLITE_PHASES)):
            ratios[f"dtm_vs_{other}"] = {
                p: round(tools[other]["seconds"][p] / dtm[p], 2) if dtm.get(p) else None
                for p in phases if p in dtm and p in tools[other]["seconds"]}
        for phase, other, target in TARGETS:
            value = ratios[f"dtm_vs_{other}"].get(phase)
            targets[f"{phase}_vs_{other}"] = {"target": f">= {target:g}x", "value": value,
                                              "met": value is not None and value >= target}

    report = {
        "date": started.isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "cpu": cpu_model(), "platform": platform.platform(),
                    "load_avg_before": [round(x, 2) for x in load_before],
                    "load_avg_after": [round(x, 2) for x in os.getloadavg()]},
        "dtm_version": subprocess.run([args.dtm, "version"], capture_output=True,
                                      text=True).stdout.strip() if args.dtm else "",
        "sites": args.sites,
        "rounds": args.rounds,
        "one_round": args.one_round,
        "site_rounds": rows,
        "database_mb": round(database_mb(args.db), 1),
        "database": json.loads(args.prepared) if args.prepared else None,
        "repetitions": args.repetitions,
        "method": "seconds per phase as each tool times it (dtm: its own timers; pandas and "
                  "sqlite: time.perf_counter around each phase, imports and result files "
                  "excluded), median over interleaved repetitions, one process per run, page "
                  "cache warm; peak RSS = the largest max RSS of a tool's processes (wait4)",
        "dtm_skipped": dtm_skipped,
        "tools": tools,
        "ratios": ratios,
        "targets": targets,
        "results_agree": checks,
    }
    os.makedirs(args.results, exist_ok=True)
    with open(os.path.join(args.results, "analysis.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")

    def seconds(name, phase):
        value = tools.get(name, {}).get("seconds", {}).get(phase)
        return f"{value:9.3f}" if value is not None else f"{'-':>9}"

    def ratio(name, phase):
        value = ratios.get(f"dtm_vs_{name}", {}).get(phase)
        return f"{value:8.1f}x" if value is not None else f"{'-':>9}"

    lines = [
        f"# analysis benchmark, {report['date']}, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{x:.2f}' for x in load_before)} before, "
        f"{' '.join(f'{x:.2f}' for x in report['machine']['load_avg_after'])} after",
        f"# {rows:,} site-rounds ({args.sites:,} sites x {args.rounds} rounds of `dtm demo`), "
        f"database {report['database_mb']:.0f} MB; one round = round {args.one_round}; median "
        f"of {args.repetitions} interleaved repetitions, seconds per phase",
        f"{'phase':<11}{'dtm':>9}{'pandas':>9}{'sqlite':>9}  {'vs pandas':>9}  {'vs sqlite':>9}",
    ]
    for phase in PHASES:
        lines.append(f"{phase:<11}{seconds('dtm', phase)}{seconds('pandas', phase)}"
                     f"{seconds('sqlite', phase)}  {ratio('pandas', phase)}  "
                     f"{ratio('sqlite', phase)}")
    if dtm_skipped:
        lines.append(f"dtm: {dtm_skipped}")
    for key, target in targets.items():
        phase, _, other = key.rpartition("_vs_")
        value = "-" if target["value"] is None else f"{target['value']:.1f}x"
        lines.append(f"{phase} vs {other}: {value} (target {target['target']}: "
                     f"{'met' if target['met'] else 'NOT met'})")
    if tools.get("dtm", {}).get("threads"):
        lines.append(f"dtm ran on {tools['dtm']['threads']} threads; pandas and SQLite on one")
    lines.append("peak RSS: " + ", ".join(f"{name} {tools[name]['peak_rss_mb']:.0f} MB"
                                          for name in names))
    lines.append(f"SQLite {tools['sqlite']['version']}, formulation {tools['sqlite']['formulation']}"
                 f"; pandas {tools['pandas']['versions']['pandas']}")
    for key, check in checks.items():
        left, _, right = key.partition("_vs_")
        counts = ", ".join(f"{name} {count:,} rows" for name, count in check["rows_compared"].items())
        lines.append(f"results, {left} = {right}: " + (f"yes ({counts})" if check["agree"] else
                                                        f"NO: {check['first_difference']}"))
    with open(os.path.join(args.results, "analysis-summary.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")

    differences = [check["first_difference"] for check in checks.values() if not check["agree"]]
    if differences:
        sys.exit("analysis bench: the tools' results differ:\n  " + "\n  ".join(differences))


if __name__ == "__main__":
    try:
        main()
    except ChildFailed as failure:
        print(f"analysis bench: {failure}", file=sys.stderr)
        sys.exit(3)
