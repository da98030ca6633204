"""Builds the analysis benchmark's database once, untimed: the demo operation
stored by dtm exactly as the ingest benchmark stores it.

    /usr/bin/python3 bench/analysis/prepare_db.py --dtm DTM --data DIR --scratch DIR \
        --gazetteer CSV --db PATH

Steps (the ingest benchmark's own functions, bench/ingest/ingest_bench.py):
  1. admin import of the gazetteer, operation demo-nga, the master list
     (set_up_template);
  2. `dtm ingest round-NN.csv --operation demo-nga --round N
     --register-new-sites --today 2026-12-31 --json` for every round file, in
     order (exit 1, findings made, is expected: the demo injects errors).
Prints one JSON object: rows read, accepted, quarantined, seconds, database MB.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ingest"))
from ingest_bench import OPERATION, TODAY, ChildFailed, database_mb, run_child, set_up_template  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--dtm", "--data", "--scratch", "--gazetteer", "--db"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    files = sorted((int(name[len("round-"):-len(".csv")]), os.path.join(args.data, name))
                   for name in os.listdir(args.data)
                   if name.startswith("round-") and name.endswith(".csv"))
    if not files:
        sys.exit(f"prepare_db: no round-NN.csv in {args.data}")
    if os.path.exists(args.db):
        sys.exit(f"prepare_db: {args.db} exists already")

    started = time.perf_counter()
    set_up_template(args, args.db)
    totals = {"rows_read": 0, "accepted": 0, "quarantined": 0}
    for round_number, path in files:
        print(f"analysis bench: ingesting round {round_number}...", file=sys.stderr, flush=True)
        _, _, stdout = run_child(
            [args.dtm, "ingest", path, "--operation", OPERATION, "--round", str(round_number),
             "--register-new-sites", "--today", TODAY, "--db", args.db, "--json"],
            args.scratch, ok_codes=(0, 1))
        summary = json.loads(stdout)
        for key in totals:
            totals[key] += summary[key]
    print(json.dumps({**totals, "rounds": len(files), "operation": OPERATION,
                      "seconds": round(time.perf_counter() - started, 1),
                      "database_mb": round(database_mb(args.db), 1)}))


if __name__ == "__main__":
    try:
        main()
    except ChildFailed as failure:
        sys.exit(f"prepare_db: {failure}")
