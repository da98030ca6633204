"""Checks a tool's canonical result files against what `dtm analyze` prints:
the same stored operation, read by the commands users run. Not part of the
timed benchmark; a check of the pandas side (or of dtm's) when either changes.

    /usr/bin/python3 bench/analysis/check_cli.py --dtm DTM --db DB --dictionary YAML \
        --results DIR --rounds 1,2,3 [--rollup-round N] [--operation demo-nga]

  risk      `dtm analyze risk --round N --format csv` for every round given,
            site by site against DIR/risk.csv: band and top items (names and
            points) exactly, score, coverage and domain scores to the command's
            rounding (1, 3 and 1 decimals);
  rollup    `dtm analyze rollup --round N --level admin1 --format json`
            against DIR/rollup-one.csv (N = --rollup-round, the round of that
            file): sites, the sums, and per answer of each select_one the sites
            exactly and the shares of sites and people to 4 decimals (the
            command has no select_multiple shares yet).
Prints what it compared; exits 1 at the first difference, naming it.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

DOMAINS = ["layout", "security", "participation", "services"]


def command(args, *words):
    environment = dict(os.environ, OPENDTM_DICTIONARY=args.dictionary)
    done = subprocess.run([args.dtm, *words, "--operation", args.operation, "--db", args.db],
                          capture_output=True, text=True, env=environment)
    if done.returncode != 0:
        sys.exit(f"check_cli: {' '.join(words)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return done.stdout


def near(mine, shown, decimals):
    if mine == "" or shown == "":
        return mine == shown
    return abs(float(mine) - float(shown)) <= 0.5 * 10 ** -decimals + 1e-9


def check_risk(args):
    mine = {}
    with open(os.path.join(args.results, "risk.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["assessment_type"] == "SA":
                mine[(row["site_id"], row["round"])] = row
    compared = 0
    for round_number in args.rounds:
        text = command(args, "analyze", "risk", "--round", str(round_number), "--format", "csv")
        for shown in csv.DictReader(text.splitlines()):
            key = (shown["site_id"], str(round_number))
            if key not in mine:
                sys.exit(f"check_cli: risk: dtm analyze risk has site {key}, the results not")
            row = mine.pop(key)
            tops = ";".join(f"{name}:{points}" for name, points in
                            re.findall(r"(\w+)=[^;]*?\((\d+)\)(?:; |$)", shown["top_items"]))
            checks = [("band", row["band"] == shown["band"]),
                      ("score", near(row["score"], shown["score"], 1)),
                      ("coverage", near(row["coverage"], shown["coverage"], 3)),
                      ("top_items", tops == row["top_items"])]
            checks += [(domain, near(row[domain], shown[domain], 1)) for domain in DOMAINS]
            for field, same in checks:
                if not same:
                    sys.exit(f"check_cli: risk: site {key}, {field}: results {row}, "
                             f"dtm analyze risk {dict(shown)}")
            compared += 1
    left = [key for key in mine if int(key[1]) in args.rounds]
    if left:
        sys.exit(f"check_cli: risk: the results have {len(left)} site-rounds dtm analyze risk "
                 f"does not list, e.g. {left[0]}")
    print(f"check_cli: risk: {compared:,} site-rounds agree with dtm analyze risk")


def check_rollup(args):
    mine = defaultdict(dict)
    with open(os.path.join(args.results, "rollup-one.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "admin1" and row["assessment_type"] == "SA":
                if int(row["round"]) != args.rollup_round:
                    sys.exit(f"check_cli: rollup-one.csv holds round {row['round']}, "
                             f"not {args.rollup_round}")
                mine[row["area"]][row["measure"]] = float(row["value"])
    areas = json.loads(command(args, "analyze", "rollup", "--round", str(args.rollup_round),
                               "--level", "admin1", "--format", "json"))
    figures = 0
    for shown in areas:
        area = shown.get("pcode") or shown.get("name") or ""
        if area not in mine:
            sys.exit(f"check_cli: rollup: dtm analyze rollup has the area {area!r}, the results not")
        row = mine.pop(area)
        people = row.get("sum:ind_total", 0.0)
        for key, value in shown.items():
            if key in ("level", "pcode", "name", "round", "assessment_type"):
                continue
            if key == "sites":
                same = row["sites"] == value
            elif isinstance(value, dict):
                same = True
                for code, counts in value.items():
                    code = "" if code == "missing" else code
                    sites = row.get(f"sites:{key}={code}", 0.0)
                    in_people = row.get(f"people:{key}={code}", 0.0)
                    same = same and sites == counts["sites"] and \
                        abs(sites / row["sites"] - counts["share_of_sites"]) <= 0.5e-4 + 1e-12 and \
                        abs((in_people / people if people else 0.0) -
                            counts["share_of_people"]) <= 0.5e-4 + 1e-12
                    figures += 1
            else:
                same = row.get(f"sum:{key}", 0.0) == value
            figures += 1
            if not same:
                sys.exit(f"check_cli: rollup: area {area!r}, {key}: dtm analyze rollup {value}, "
                         f"results {({m: v for m, v in row.items() if key in m})}")
    if mine:
        sys.exit(f"check_cli: rollup: the results have areas dtm analyze rollup does not list: "
                 f"{sorted(mine)[:5]}")
    print(f"check_cli: rollup: {len(areas)} admin1 areas, {figures:,} figures agree with "
          f"dtm analyze rollup (round {args.rollup_round})")


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--dtm", "--db", "--dictionary", "--results"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--operation", default="demo-nga")
    parser.add_argument("--rounds", required=True, help="comma-separated rounds to check risk for")
    parser.add_argument("--rollup-round", type=int, default=0, help="the round of rollup-one.csv")
    args = parser.parse_args()
    args.rounds = [int(word) for word in args.rounds.split(",") if word]
    check_risk(args)
    if args.rollup_round:
        check_rollup(args)


if __name__ == "__main__":
    main()
