#!/usr/bin/python3
"""The outside reader's attack on OpenDTM's suppression (issue 13): short
interval propagation over the CSV exports a reader holds.

Every suppressed count starts at [0, sites of its row] (site counts) or
[0, inf) (people, households, facilities); published values are exact (or
+/- half the rounding base). The bounds are propagated through the sums of
the hierarchy (every level the reader has), the SADD margins and "the answers
of a single-choice indicator add up to at most the row's sites" until nothing
moves (release_model.py builds the same constraints the LP audit solves).
Then it counts:
  - pinned: suppressed GBV-risk and protection counts that come out exactly
    (lo == hi), unless the a priori bounds already fix them (a group fact);
    primary (flag small_cell) and any suppressed;
  - homogeneous: an area with fewer than n_group sites whose distribution of
    a sensitive or urgent answer puts every answered site on one value;
  - with --truth: suppressed cells whose propagated interval breaks the
    spec's rule min <= max(L, v - p), max >= min(U, v + p).

usage: interval_attack.py --dictionary YAML --reader TIER --release TIER=FILE ...
         [--truth FILE ...] [--rounding TIER=BASE] [--k-people 5] [--n-group 10]
Prints a JSON summary; exits 1 when anything is pinned or homogeneous (or, with
--truth, breaks the rule).
"""

import argparse
import json
import math
import os
import sys
import time
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import release_model as rm  # noqa: E402

SENSITIVE_MODULES = ("gbv_risk", "protection")


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dictionary", required=True)
    ap.add_argument("--reader", required=True)
    ap.add_argument("--release", action="append", default=[])
    ap.add_argument("--truth", action="append", default=[])
    ap.add_argument("--rounding", action="append", default=[])
    ap.add_argument("--k-people", type=int, default=5)
    ap.add_argument("--n-group", type=int, default=10)
    ap.add_argument("--k-sites", type=int, default=3)
    ap.add_argument("--json")
    ap.add_argument("--max-listed", type=int, default=100)
    return ap.parse_args(argv)


def _range(terms, lb, ub, skip):
    """min and max of sum(coef * x) over the terms but `skip`."""
    lo = hi = 0.0
    for idx, (coef, v) in enumerate(terms):
        if idx == skip:
            continue
        a, b = (coef * lb[v], coef * ub[v]) if coef > 0 else (coef * ub[v], coef * lb[v])
        lo += a
        hi += b
    return lo, hi


def propagate(model, max_rounds=200):
    """Tightens model.lb/ub in place until a fixpoint; returns the rounds."""
    lb, ub = list(model.lb), list(model.ub)
    watch = defaultdict(list)
    for j, (terms, _, _, _) in enumerate(model.rows):
        for _, v in terms:
            watch[v].append(j)
    queue, queued = list(range(len(model.rows))), set(range(len(model.rows)))
    steps = 0
    while queue and steps < max_rounds * max(1, len(model.rows)):
        j = queue.pop()
        queued.discard(j)
        steps += 1
        terms, sense, rhs, _ = model.rows[j]
        for idx, (coef, v) in enumerate(terms):
            rest_lo, rest_hi = _range(terms, lb, ub, idx)
            # coef * x (sense) rhs - rest
            new_lo, new_hi = lb[v], ub[v]
            if sense in ("==", "<="):  # coef*x <= rhs - rest_lo
                bound = rhs - rest_lo
                if not math.isnan(bound):
                    if coef > 0:
                        new_hi = min(new_hi, bound / coef)
                    else:
                        new_lo = max(new_lo, bound / coef)
            if sense in ("==", ">="):  # coef*x >= rhs - rest_hi
                bound = rhs - rest_hi
                if not math.isnan(bound):
                    if coef > 0:
                        new_lo = max(new_lo, bound / coef)
                    else:
                        new_hi = min(new_hi, bound / coef)
            if new_lo > lb[v] + 1e-9 or new_hi < ub[v] - 1e-9:
                lb[v], ub[v] = new_lo, new_hi
                for other in watch[v]:
                    if other not in queued:
                        queue.append(other)
                        queued.add(other)
    return lb, ub


def bounds_of(knowledge, models_bounds, where, cell):
    """The reader's interval for a cell after propagation."""
    if cell in where:
        group, v = where[cell]
        lb, ub = models_bounds[group]
        return lb[v], ub[v]
    known = knowledge.known.get(cell)
    if known is not None:
        return known
    key, column = cell
    kind = knowledge.kind_of(column)
    return 0.0, (knowledge.rows[key].sites if kind in ("single", "multiple") else math.inf)


def attack(args):
    started = time.monotonic()
    dictionary = rm.Dictionary(args.dictionary)
    releases = rm.load_releases(args.release, args.rounding)
    truth = rm.load_truth(args.truth) if args.truth else None
    knowledge = rm.Knowledge(dictionary, releases, args.reader, args.k_people, args.n_group)
    models = rm.build_models(knowledge, truth)
    bounds, where = {}, {}
    for group, model in models.items():
        bounds[group] = propagate(model)
        for v, cell in enumerate(model.vars):
            where[cell] = (group, v)

    pinned, pinned_primary, pinned_a_priori, breaks, inconsistent = [], 0, 0, [], []
    for cell in rm.protected_cells(knowledge):
        key, column = cell
        indicator = rm.indicator_of(column)
        lo, hi = bounds_of(knowledge, bounds, where, cell)
        low, high = knowledge.a_priori(key, column)
        if truth is not None:
            v = rm.truth_value(truth, key, column, dictionary)
            if v is not None and not rm.check_interval(v, knowledge.protection_level(column),
                                                      low, high, lo, hi):
                breaks.append(_cell(key, column, lo, hi, v=v, L=low, U=high))
        if lo > hi + 1e-6:
            inconsistent.append(_cell(key, column, lo, hi))
            continue
        sensitive = (dictionary.klass(indicator) in rm.SENSITIVE_CLASSES
                     and dictionary.module(indicator) in SENSITIVE_MODULES)
        if not sensitive or hi - lo > 1e-9:
            continue
        if high - low <= 1e-9:
            pinned_a_priori += 1  # a group fact already says it
            continue
        # Primary: by the file's flag where it still tells (exports before
        # issue 13), else re-derived from the truth when given.
        if truth is not None:
            rule = knowledge.primary_by_rule(key, column, truth, args.k_sites)
        else:
            rule = "small" if "small" in knowledge.flags.get(cell, "") else ""
        pinned_primary += bool(rule)
        loose = knowledge.a_priori(key, column, strict=False)
        pinned.append(_cell(key, column, lo, hi, flag=knowledge.flags.get(cell, ""), rule=rule,
                            by_published_zero=loose[1] - loose[0] <= 1e-9))

    homogeneous = find_homogeneous(knowledge, bounds, where, args.n_group)
    summary = {
        "reader": args.reader,
        "protected_cells": len(knowledge.protected),
        "pinned_count": len(pinned),
        "pinned_primary_count": pinned_primary,
        "pinned_by_rule": _count(pinned, "rule"),
        "pinned_by_group_fact": pinned_a_priori,
        # Pinned above 0, and pinned by an enclosing area's published 0 (or
        # all) that is no group fact (an area under n_group sites).
        "pinned_above_zero": sum(1 for p in pinned if p["min"] > 0),
        "pinned_by_published_zero": sum(1 for p in pinned if p["by_published_zero"]),
        "pinned_by_column": _count(pinned, "column"),
        "pinned": pinned[:args.max_listed],
        "homogeneous_count": len(homogeneous),
        "homogeneous": homogeneous[:args.max_listed],
        "rule_breaks_count": len(breaks) if truth is not None else None,
        # Bounds that cross: the files contradict the model (a parser bug or
        # inconsistent exports); never counted as pinned.
        "inconsistent_count": len(inconsistent),
        "inconsistent": inconsistent[:args.max_listed],
        "rule_breaks": breaks[:args.max_listed],
        "seconds": round(time.monotonic() - started, 2),
    }
    return summary


def find_homogeneous(knowledge, bounds, where, n_group):
    """Areas under n_group sites whose sensitive single-choice answers all
    fall on one value, as far as the reader can tell."""
    dictionary = knowledge.dictionary
    by_row = defaultdict(set)
    for key, column in knowledge.present:
        if "=" in column:
            by_row[key].add(column)
    out = []
    for key, columns in sorted(by_row.items()):
        row = knowledge.rows[key]
        if row.level == "site" or row.sites >= n_group:
            continue
        per_indicator = defaultdict(list)
        for column in columns:
            ind = rm.indicator_of(column)
            if (knowledge.kind_of(column) == "single"
                    and dictionary.klass(ind) in rm.SENSITIVE_CLASSES):
                per_indicator[ind].append(column)
        for ind, cols in sorted(per_indicator.items()):
            ranges = {c: bounds_of(knowledge, bounds, where, (key, c)) for c in cols}
            possible = [c for c, (lo, hi) in ranges.items() if hi > 1e-9]
            if len(possible) != 1 or ranges[possible[0]][0] < 1 - 1e-9:
                continue
            c = possible[0]
            if all(knowledge.a_priori(key, o)[1] == 0 for o in cols if o != c):
                continue  # group facts of an enclosing area already say so
            out.append({"level": row.level, "area": row.pcode, "round": row.round,
                        "sites": row.sites, "answer": c, "answered_sites": ranges[c][0],
                        "published": (key, c) not in knowledge.protected})
    return out


def _cell(key, column, lo, hi, **extra):
    d = {"level": key[2], "area": key[3], "round": key[1], "column": column, "min": lo,
         "max": "inf" if math.isinf(hi) else hi}
    for k, v in extra.items():
        d[k] = "inf" if isinstance(v, float) and math.isinf(v) else v
    return d


def _count(items, field):
    out = defaultdict(int)
    for item in items:
        out[item[field]] += 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def main(argv):
    args = parse_args(argv)
    summary = attack(args)
    text = json.dumps(summary, indent=1)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)
    # With the truth, only cells the spec protects (primary, homogeneity,
    # gate) fail; without it the reader cannot tell, and any pinned cell fails.
    pinned = summary["pinned_primary_count"] if args.truth else summary["pinned_count"]
    bad = pinned or summary["homogeneous_count"] or summary["inconsistent_count"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
