"""Times `dtm ingest` against `sqlite3 .import` and pandas on the same files.

    /usr/bin/python3 bench/ingest/ingest_bench.py --dtm DTM --data DIR --scratch DIR \
        --dictionary YAML --gazetteer CSV --results DIR [--repetitions N] [--sites N]

Called by bench/ingest/run.sh, which writes the demo files into DIR first (see
bench/README.md, "ingest"). Steps:
  1. Sets up a template database for dtm once, untimed: admin import of the
     gazetteer, operation demo-nga, the master list of sites.
  2. Reads every round file once, so that the page cache is warm for all tools.
  3. Runs each tool over all round files, `repetitions` times, rotating the
     order of the three tools each repetition so that a burst of load on the
     shared machine does not always hit the same one:
       dtm      `dtm ingest FILE --operation demo-nga --round N --json` per file,
                into a fresh copy of the template database;
       sqlite3  one `sqlite3` process: `.import --csv` of every file into one
                plain table of a fresh database (the first creates the table
                from the header, the others skip theirs);
       pandas   one `/usr/bin/python3 pandas_ingest.py` process over every file;
       floor    one `ingest_store_floor` process (store_floor.cc): SQLite alone
                storing one typed row per data row, with dtm's connection
                settings, files parsed beforehand and untimed: what any
                store of one SQL row per submission costs at least.
     Each child is timed by wall clock and its peak RSS taken from wait4().
  4. Writes ingest.json and ingest-summary.txt into the results folder.
Seconds are medians over the repetitions; a peak RSS is the largest seen.
Exits non-zero when a tool fails or the tools disagree on the number of rows.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

OPERATION = "demo-nga"
TODAY = "2026-12-31"  # after every demo survey date, so none is "in the future"
RULES = ["sadd_age_sum", "sadd_sex_sum", "choice", "choice_normalised"]
TARGETS = {"dtm_vs_sqlite3_import": 1.0, "dtm_vs_pandas": 2.0, "dtm_peak_rss_mb": 1024}


class ChildFailed(Exception):
    pass


def run_child(command, scratch, stdin_text=None, ok_codes=(0,)):
    """Runs one command; returns (seconds, peak RSS in MB, stdout)."""
    out_path = os.path.join(scratch, "child.out")
    err_path = os.path.join(scratch, "child.err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdin=subprocess.PIPE if stdin_text else subprocess.DEVNULL,
                                 stdout=out, stderr=err)
        if stdin_text:
            child.stdin.write(stdin_text.encode())
            child.stdin.close()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    if child.returncode not in ok_codes:
        with open(err_path, encoding="utf-8", errors="replace") as f:
            raise ChildFailed(f"{' '.join(command)}: exit {child.returncode}\n{f.read()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024.0, stdout


def remove_database(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def database_mb(path):
    return sum(os.path.getsize(path + suffix) for suffix in ("", "-wal")
               if os.path.exists(path + suffix)) / 1e6


def set_up_template(args, path):
    dtm = [args.dtm, "--db", path]
    # admin import exits 1 when it reports oddities of the gazetteer: fine here.
    run_child(dtm[:1] + ["admin", "import", args.gazetteer] + dtm[1:], args.scratch, ok_codes=(0, 1))
    run_child(dtm[:1] + ["operation", "create", OPERATION, "--country", "NGA"] + dtm[1:], args.scratch)
    run_child(dtm[:1] + ["sites", "import", os.path.join(args.data, "sites.csv"), "--operation",
                         OPERATION] + dtm[1:], args.scratch)


def measure_dtm(args, files, template):
    db = os.path.join(args.scratch, "dtm-run.db")
    remove_database(db)
    for suffix in ("", "-wal"):
        if os.path.exists(template + suffix):
            shutil.copyfile(template + suffix, db + suffix)
    seconds, peak, rows, findings = 0.0, 0.0, 0, {}
    accepted = quarantined = 0
    per_file = []
    for round_number, path in files:
        # Exit 1 means findings were made (the demo injects ~2% errors).
        # --register-new-sites as in `dtm demo`: sites opened after round 1 are
        # not in sites.csv, and this way every row is validated and stored.
        took, rss, stdout = run_child(
            [args.dtm, "ingest", path, "--operation", OPERATION, "--round", str(round_number),
             "--register-new-sites", "--today", TODAY, "--db", db, "--json"],
            args.scratch, ok_codes=(0, 1))
        summary = json.loads(stdout)
        seconds += took
        peak = max(peak, rss)
        rows += summary["rows_read"]
        per_file.append({"round": round_number, "rows": summary["rows_read"],
                         "seconds": round(took, 3), "peak_rss_mb": round(rss, 1)})
        accepted += summary["accepted"]
        quarantined += summary["quarantined"]
        for rule, counts in summary["findings"].items():
            findings[rule] = findings.get(rule, 0) + counts["count"]
    size = database_mb(db)
    remove_database(db)
    return {"seconds": seconds, "peak_rss_mb": peak, "rows": rows, "accepted": accepted,
            "quarantined": quarantined, "findings": findings, "database_mb": size,
            "per_file": per_file}


def measure_sqlite3(args, files):
    db = os.path.join(args.scratch, "sqlite3-run.db")
    remove_database(db)
    script = []
    for index, (_, path) in enumerate(files):
        skip = "" if index == 0 else "--skip 1 "
        script.append(f".import --csv {skip}'{path}' rounds")
    seconds, peak, _ = run_child(["sqlite3", "-bail", db], args.scratch,
                                 stdin_text="\n".join(script) + "\n")
    _, _, count = run_child(["sqlite3", db, "SELECT count(*) FROM rounds"], args.scratch)
    size = database_mb(db)
    remove_database(db)
    return {"seconds": seconds, "peak_rss_mb": peak, "rows": int(count.strip()),
            "database_mb": size}


def measure_pandas(args, files):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pandas_ingest.py")
    seconds, peak, stdout = run_child(
        ["/usr/bin/python3", script, args.dictionary] + [path for _, path in files], args.scratch)
    summary = json.loads(stdout)
    return {"seconds": seconds, "peak_rss_mb": peak, "rows": summary["rows"],
            "findings": summary["findings"], "read_seconds": summary["read_seconds"],
            "check_seconds": summary["check_seconds"], "pandas": summary["pandas"]}


def measure_store_floor(args, files):
    db = os.path.join(args.scratch, "floor-run.db")
    remove_database(db)
    _, peak, stdout = run_child([args.store_floor, db] + [path for _, path in files], args.scratch)
    summary = json.loads(stdout)
    size = database_mb(db)
    remove_database(db)
    # Only the inserts and commits are timed (the program reads the files first).
    return {"seconds": summary["seconds"], "peak_rss_mb": peak, "rows": summary["rows"],
            "insert_seconds": summary["insert_seconds"],
            "commit_seconds": summary["commit_seconds"], "database_mb": size}


def rate(value):
    if value >= 1e6:
        return f"{value / 1e6:.3g} M rows/s"
    if value >= 1e3:
        return f"{value / 1e3:.3g} k rows/s"
    return f"{value:.3g} rows/s"


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--dtm", "--store-floor", "--data", "--scratch", "--dictionary", "--gazetteer",
                 "--results"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--sites", type=int, default=0)
    args = parser.parse_args()

    files = []
    for name in sorted(os.listdir(args.data)):
        if name.startswith("round-") and name.endswith(".csv"):
            files.append((int(name[len("round-"):-len(".csv")]), os.path.join(args.data, name)))
    if not files:
        sys.exit(f"no round-NN.csv in {args.data}")
    file_mb = sum(os.path.getsize(path) for _, path in files) / 1e6
    load_before = os.getloadavg()
    started = datetime.now(timezone.utc)

    # 1. The template database, untimed.
    template = os.path.join(args.scratch, "template.db")
    set_up_template(args, template)

    # 2. A warm page cache for everyone.
    for _, path in files:
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass

    # 3. The repetitions, in rotating order.
    tools = {"dtm": lambda: measure_dtm(args, files, template),
             "sqlite3_import": lambda: measure_sqlite3(args, files),
             "pandas": lambda: measure_pandas(args, files),
             "store_floor": lambda: measure_store_floor(args, files)}
    names = list(tools)
    runs = {name: [] for name in names}
    for repetition in range(args.repetitions):
        order = names[repetition % len(names):] + names[:repetition % len(names)]
        for name in order:
            print(f"ingest bench: repetition {repetition + 1}/{args.repetitions}, {name}...",
                  file=sys.stderr, flush=True)
            runs[name].append(tools[name]())
            last = runs[name][-1]
            print(f"ingest bench:   {last['seconds']:.1f} s, {last['rows'] / last['seconds']:,.0f} "
                  f"rows/s, peak RSS {last['peak_rss_mb']:.0f} MB", file=sys.stderr, flush=True)

    rows = runs["dtm"][0]["rows"]
    disagreeing = {name: run["rows"] for name in names for run in runs[name] if run["rows"] != rows}
    if disagreeing:
        sys.exit(f"the tools disagree on the number of rows: dtm read {rows}, {disagreeing}")

    # 4. Results.
    result_tools = {}
    for name in names:
        seconds = statistics.median(run["seconds"] for run in runs[name])
        entry = {"seconds": round(seconds, 3), "rows_per_s": round(rows / seconds),
                 "peak_rss_mb": round(max(run["peak_rss_mb"] for run in runs[name]), 1),
                 "seconds_each": [round(run["seconds"], 3) for run in runs[name]]}
        if "database_mb" in runs[name][0]:
            entry["database_mb"] = round(runs[name][0]["database_mb"], 1)
        result_tools[name] = entry
    result_tools["dtm"]["what"] = "dtm ingest: read, validate against the dictionary, store"
    result_tools["dtm"]["accepted"] = runs["dtm"][0]["accepted"]
    result_tools["dtm"]["quarantined"] = runs["dtm"][0]["quarantined"]
    # Each round file of the first repetition: does time or RSS grow as the
    # database fills?
    result_tools["dtm"]["per_file_first_repetition"] = runs["dtm"][0]["per_file"]
    result_tools["sqlite3_import"]["what"] = "sqlite3 .import --csv into one plain table: stores, validates nothing"
    result_tools["pandas"]["what"] = ("pandas.read_csv (default dtypes) plus the SADD and choice "
                                      "checks, vectorised; stores nothing")
    result_tools["store_floor"]["what"] = (
        "SQLite alone: one typed row per data row into a plain table (no index), dtm's "
        "connection settings; the files parsed beforehand, untimed; inserts and commits only")
    result_tools["pandas"]["pandas_version"] = runs["pandas"][0]["pandas"]
    result_tools["pandas"]["read_seconds_each"] = [run["read_seconds"] for run in runs["pandas"]]
    result_tools["pandas"]["check_seconds_each"] = [run["check_seconds"] for run in runs["pandas"]]

    dtm_rate = result_tools["dtm"]["rows_per_s"]
    ratios = {
        "dtm_vs_sqlite3_import": round(dtm_rate / result_tools["sqlite3_import"]["rows_per_s"], 3),
        "dtm_vs_pandas": round(dtm_rate / result_tools["pandas"]["rows_per_s"], 3),
    }
    # How much of each target's time SQLite's inserts alone take.
    floor_seconds = result_tools["store_floor"]["seconds"]
    floor_shares = {
        "of_sqlite3_import_time": round(floor_seconds / result_tools["sqlite3_import"]["seconds"], 3),
        "of_half_pandas_time": round(floor_seconds / (result_tools["pandas"]["seconds"] / 2), 3),
    }
    # The same ratios within each repetition (the tools ran minutes apart, not
    # at once), to show how much they move on this machine.
    paired = {
        "dtm_vs_sqlite3_import": [round(s["seconds"] / d["seconds"], 3)
                                  for d, s in zip(runs["dtm"], runs["sqlite3_import"])],
        "dtm_vs_pandas": [round(p["seconds"] / d["seconds"], 3)
                          for d, p in zip(runs["dtm"], runs["pandas"])],
    }
    dtm_peak = result_tools["dtm"]["peak_rss_mb"]
    targets = {
        "dtm_faster_than_sqlite3_import": {"target": "> 1x", "value": ratios["dtm_vs_sqlite3_import"],
                                           "met": ratios["dtm_vs_sqlite3_import"] > TARGETS["dtm_vs_sqlite3_import"]},
        "dtm_at_least_2x_pandas": {"target": ">= 2x", "value": ratios["dtm_vs_pandas"],
                                   "met": ratios["dtm_vs_pandas"] >= TARGETS["dtm_vs_pandas"]},
        "dtm_peak_rss_under_1gb": {"target": "< 1024 MB", "value": dtm_peak,
                                   "met": dtm_peak < TARGETS["dtm_peak_rss_mb"]},
    }
    dtm_findings = runs["dtm"][0]["findings"]
    pandas_findings = runs["pandas"][0]["findings"]
    cross_check = {rule: {"dtm": dtm_findings.get(rule, 0), "pandas": pandas_findings.get(rule, 0)}
                   for rule in RULES}
    stable = all(run["findings"] == dtm_findings for run in runs["dtm"]) and \
        all(run["findings"] == pandas_findings for run in runs["pandas"])

    version = subprocess.run([args.dtm, "version"], capture_output=True, text=True).stdout.strip()
    load_after = os.getloadavg()
    report = {
        "date": started.isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "platform": platform.platform(),
                    "load_avg_before": [round(x, 2) for x in load_before],
                    "load_avg_after": [round(x, 2) for x in load_after]},
        "dtm_version": version,
        "sites": args.sites,
        "files": len(files),
        "file_mb": round(file_mb, 1),
        "rows": rows,
        "repetitions": args.repetitions,
        "method": "wall seconds of the tools' processes, median over interleaved repetitions; "
                  "peak RSS = the largest max RSS of any of a tool's processes (wait4)",
        "tools": result_tools,
        "ratios": ratios,
        "ratios_by_repetition": paired,
        "store_floor_share": floor_shares,
        "targets": targets,
        "findings_cross_check": cross_check,
        "findings_dtm_all_rules": dtm_findings,
        "findings_same_every_repetition": stable,
    }
    os.makedirs(args.results, exist_ok=True)
    with open(os.path.join(args.results, "ingest.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")

    def tool_line(label, name):
        entry = result_tools[name]
        return (f"{label}{rate(entry['rows_per_s'])} ({entry['seconds']:.1f} s), "
                f"peak RSS {entry['peak_rss_mb']:.0f} MB")

    def verdict(key):
        return "met" if targets[key]["met"] else "NOT met"

    lines = [
        f"# ingest benchmark, {report['date']}, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{x:.2f}' for x in load_before)} before, "
        f"{' '.join(f'{x:.2f}' for x in load_after)} after",
        f"# {rows:,} rows in {len(files)} files ({file_mb:.0f} MB) from `dtm demo --sites "
        f"{args.sites}`; median of {args.repetitions} interleaved repetitions, wall time",
        tool_line("dtm ingest (read, validate, store):  ", "dtm"),
        tool_line("sqlite3 .import (store only):        ", "sqlite3_import"),
        tool_line("pandas read_csv + same checks:       ", "pandas"),
        tool_line("floor: SQLite inserts alone:         ", "store_floor"),
        f"dtm vs sqlite3 .import: {ratios['dtm_vs_sqlite3_import']:.2f}x "
        f"(target > 1x: {verdict('dtm_faster_than_sqlite3_import')})",
        f"dtm vs pandas: {ratios['dtm_vs_pandas']:.2f}x "
        f"(target >= 2x: {verdict('dtm_at_least_2x_pandas')})",
        f"the floor takes {floor_shares['of_sqlite3_import_time']:.0%} of .import's time and "
        f"{floor_shares['of_half_pandas_time']:.0%} of the time the 2x-pandas target allows",
        f"dtm peak RSS: {dtm_peak:.0f} MB (target < 1024 MB: {verdict('dtm_peak_rss_under_1gb')})",
        "findings, dtm / pandas: " + ", ".join(
            f"{rule} {counts['dtm']:,} / {counts['pandas']:,}" for rule, counts in cross_check.items()),
    ]
    if not stable:
        lines.append("warning: the finding counts differ between repetitions")
    with open(os.path.join(args.results, "ingest-summary.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    try:
        main()
    except ChildFailed as failure:
        sys.exit(f"ingest bench: {failure}")
