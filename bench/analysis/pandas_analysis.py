"""The pandas side of the analysis benchmark: what an analyst would write with
pandas over dtm's store, timed phase by phase.

    /usr/bin/python3 bench/analysis/pandas_analysis.py --db DB --operation NAME \
        --dictionary YAML --one-round N [--out DIR]

Prints one JSON object: seconds per phase (time.perf_counter around each),
"rows", and the pandas version. With --out, writes rollup-one.csv,
rollup-all.csv and risk.csv there afterwards (untimed; canonical.py).

Phases:
  load        the operation's accepted submissions (submissions.state =
              'accepted') read from SQLite in chunks of 100,000 rows into one
              DataFrame, typed after the dictionary: integer and decimal as
              float64 (NaN when blank), select_one as a Categorical over its
              list (an unlisted code reads as NaN, as dtm's frames read it),
              select_multiple and P-codes as Categoricals of the stored text,
              other text as str objects. Identity columns site_id, round,
              assessment_type come from the submission row.
  rollup_one  round --one-round, grouped by (area, round, assessment_type) at
              admin2, admin1 and country (area = the adm*_pcode value, "" when
              blank): sites; sum and count of each `sum` indicator; sites and
              people (Σ ind_total, blank = 0) per choice of each share
              indicator and for "no answer" (groupby per indicator on
              (group, answer); for select_multiple one boolean column per
              choice, summed by group).
  rollup_all  the same over every round.
  risk        the GBV risk index of every row, vectorised: points per item
              through per-choice tables indexed by the Categorical codes,
              relevance conditions as boolean columns, domain and site scores,
              coverage, band, and the top 5 items (argsort of points, then
              dictionary order) as index and points arrays.
The result structures are DataFrames and arrays; turning them into the
canonical files is not timed (as dtm's writing of its files is not).
"""
import argparse
import json
import os
import sqlite3
import sys
import time

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import canonical  # noqa: E402
from plan import DOMAINS, LEVELS, PEOPLE, Plan, PlanError  # noqa: E402

CHUNK_ROWS = 100_000
IDENTITY = ["site_id", "round", "assessment_type"]


# ---- load ------------------------------------------------------------------------

def load(db_path, operation, plan):
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    existing = {row[1] for row in connection.execute("PRAGMA table_info(submissions)")}
    indicators = [i for i in plan.stored_indicators() if i.column in existing]
    columns = IDENTITY + [i.column for i in indicators]
    sql = ("SELECT " + ", ".join(f's."{column}"' for column in columns) +
           " FROM submissions s JOIN operations o ON o.id = s.operation_id"
           " WHERE o.name = ? AND s.state = 'accepted'")
    kinds = {"site_id": "object", "round": "int", "assessment_type": "observed"}
    for indicator in indicators:
        if indicator.type in ("integer", "decimal"):
            kinds[indicator.column] = "float"
        elif indicator.type == "select_one":
            kinds[indicator.column] = indicator
        elif indicator.type in ("select_multiple", "pcode"):
            kinds[indicator.column] = "observed"
        else:
            kinds[indicator.column] = "object"

    parts = {column: [] for column in columns}
    cursor = connection.execute(sql, (operation,))
    while True:
        rows = cursor.fetchmany(CHUNK_ROWS)
        if not rows:
            break
        # Column by column: each row tuple's cells, typed (None reads as NaN).
        for column, values in zip(columns, zip(*rows)):
            kind = kinds[column]
            if kind == "float":
                parts[column].append(np.array(values, dtype="float64"))
            elif kind == "int":
                parts[column].append(np.array(values, dtype="int64"))
            elif kind == "object":
                parts[column].append(np.array(values, dtype=object))
            elif kind == "observed":
                parts[column].append(pd.Categorical(np.array(values, dtype=object)))
            else:  # a select_one: its list's codes, in list order
                parts[column].append(pd.Categorical(np.array(values, dtype=object),
                                                    categories=kind.choices).codes)
        del rows
    connection.close()

    data = {}
    for column in columns:
        kind = kinds[column]
        if kind == "observed":
            data[column] = union_categoricals(parts[column]) if parts[column] \
                else pd.Categorical([])
        elif kind in ("float", "int", "object"):
            data[column] = np.concatenate(parts[column]) if parts[column] \
                else np.array([], dtype={"float": "float64", "int": "int64"}.get(kind, object))
        else:
            codes = np.concatenate(parts[column]) if parts[column] else np.array([], dtype="int8")
            data[column] = pd.Categorical.from_codes(codes, categories=kind.choices)
        parts[column] = None
    # Copied into consolidated blocks, as read_sql's frames come: left as one
    # block per column, the frame would be consolidated by the first operation
    # that takes rows (the rollup of one round), which would pay for the load.
    frame = pd.DataFrame(data)
    del data
    return frame, indicators


# ---- rollups ---------------------------------------------------------------------

def area_of(frame, indicator_column):
    """The level's area per row as a Categorical, "" where blank."""
    if indicator_column not in frame:
        return pd.Series(pd.Categorical([""] * len(frame)), index=frame.index)
    area = frame[indicator_column]
    if "" not in area.cat.categories:
        area = area.cat.add_categories([""])
    return area.fillna("")


def rollup_level(frame, plan, present, indicator_column):
    """Per (area, round, assessment_type): every figure the canonical files hold."""
    keys = [area_of(frame, indicator_column).rename("area"), frame["round"],
            frame["assessment_type"]]
    people = frame[PEOPLE].fillna(0.0) if PEOPLE in frame else pd.Series(0.0, index=frame.index)
    grouped = frame.groupby(keys, observed=True, sort=False)
    result = {"sites": grouped.size()}
    summed = [i.column for i in plan.summed if i.column in present]
    result["sums"] = grouped[summed].sum()
    result["reporting"] = grouped[summed].count()
    shares = {}
    for indicator in plan.shared:
        if indicator.column not in present:
            continue
        column = frame[indicator.column]
        if indicator.type == "select_one":
            # One groupby on (group, answer); the missing answer keeps its own group.
            answer = column.cat.add_categories([""]).fillna("")
            counts = people.groupby(keys + [answer.rename("answer")], observed=True,
                                    sort=False).agg(["size", "sum"])
            shares[indicator.name] = ("one", counts)
        else:
            selected = choice_masks(column, indicator.choices)
            answered = np.logical_or.reduce(list(selected.values()))
            selected[""] = ~answered
            masks = pd.DataFrame(selected, index=frame.index)
            weighted = masks.mul(people, axis=0)
            shares[indicator.name] = ("multiple", masks.groupby(keys, observed=True,
                                                                sort=False).sum(),
                                      weighted.groupby(keys, observed=True, sort=False).sum())
    result["shares"] = shares
    return result


def choice_masks(column, choices):
    """For a Categorical of space-separated codes: choice -> bool array of rows selecting it."""
    categories = column.cat.categories
    codes = column.cat.codes.to_numpy()
    tokens = [set(str(category).split()) for category in categories]
    masks = {}
    for choice in choices:
        table = np.array([choice in chosen for chosen in tokens] + [False], dtype=bool)
        masks[choice] = table[codes]  # code -1 (blank) takes the last slot
    return masks


def rollups(frame, plan, present):
    return {level: rollup_level(frame, plan, present, plan.by_name[name].column)
            for level, name in LEVELS}


def rollup_rows(by_level, plan, present):
    """The canonical rows of one rollup (untimed)."""
    rows = []
    for level, result in by_level.items():
        for (area, round_number, assessment_type), sites in result["sites"].items():
            rows.append((level, area, int(round_number), assessment_type, "sites", int(sites)))
        for measure, table in (("sum", result["sums"]), ("reporting", result["reporting"])):
            for column in table.columns:
                name = next(i.name for i in plan.summed if i.column == column)
                for (area, round_number, assessment_type), value in table[column].items():
                    rows.append((level, area, int(round_number), assessment_type,
                                 f"{measure}:{name}", value))
        for name, share in result["shares"].items():
            if share[0] == "one":
                counts = share[1]
                for (area, round_number, assessment_type, code), sites, people in zip(
                        counts.index, counts["size"].to_numpy(), counts["sum"].to_numpy()):
                    if sites > 0:
                        rows.append((level, area, int(round_number), assessment_type,
                                     f"sites:{name}={code}", int(sites)))
                        rows.append((level, area, int(round_number), assessment_type,
                                     f"people:{name}={code}", people))
            else:
                sites_table, people_table = share[1], share[2]
                for code in sites_table.columns:
                    for (key, sites), people in zip(sites_table[code].items(),
                                                    people_table[code].to_numpy()):
                        if sites > 0:
                            area, round_number, assessment_type = key
                            rows.append((level, area, int(round_number), assessment_type,
                                         f"sites:{name}={code}", int(sites)))
                            rows.append((level, area, int(round_number), assessment_type,
                                         f"people:{name}={code}", people))
    return rows


# ---- risk ------------------------------------------------------------------------

def text_equals(frame, plan, name, literal):
    """Rows where ${name}, read as dtm reads it (text, "" when blank), equals literal."""
    indicator = plan.by_name[name]
    if indicator.column not in frame:
        return np.full(len(frame), literal == "")
    column = frame[indicator.column]
    if indicator.type in ("integer", "decimal"):
        raise PlanError(f"a condition compares the number ${{{name}}} with text: not translated")
    if isinstance(column.dtype, pd.CategoricalDtype):
        if indicator.type == "select_multiple":
            # dtm reads a selection as its listed codes, in list order.
            listed = indicator.choices
            texts = [" ".join(c for c in listed if c in set(str(v).split()))
                     for v in column.cat.categories]
        else:
            texts = [str(v) for v in column.cat.categories]
        table = np.array([text == literal for text in texts] + [literal == ""], dtype=bool)
        return table[column.cat.codes.to_numpy()]
    return (column.fillna("") == literal).to_numpy()


def text_selects(frame, plan, name, code):
    indicator = plan.by_name[name]
    if indicator.column not in frame:
        return np.zeros(len(frame), dtype=bool)
    column = frame[indicator.column]
    if indicator.type in ("integer", "decimal"):
        raise PlanError(f"selected() over the number ${{{name}}}: not translated")
    if indicator.type in ("select_one", "select_multiple") and code not in indicator.choices:
        return np.zeros(len(frame), dtype=bool)
    if not isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype("category")
    table = np.array([code in str(v).split() for v in column.cat.categories] + [False], dtype=bool)
    return table[column.cat.codes.to_numpy()]


def evaluate(condition, frame, plan):
    kind, parts = condition.kind, condition.parts
    if kind == "or":
        return np.logical_or.reduce([evaluate(part, frame, plan) for part in parts])
    if kind == "and":
        return np.logical_and.reduce([evaluate(part, frame, plan) for part in parts])
    if kind == "not":
        return ~evaluate(parts[0], frame, plan)
    if kind == "eq":
        return text_equals(frame, plan, *parts)
    if kind == "ne":
        return ~text_equals(frame, plan, *parts)
    return text_selects(frame, plan, *parts)


def item_points(frame, indicator):
    """Points per row, NaN where the item is not answered (relevance aside)."""
    n = len(frame)
    risk = indicator.risk
    if indicator.column not in frame:
        return np.full(n, np.nan)
    column = frame[indicator.column]
    if indicator.type == "select_one":
        table = np.array([risk.points.get(c, np.nan) for c in indicator.choices] + [np.nan])
        return table[column.cat.codes.to_numpy()]
    if indicator.type == "select_multiple":
        listed = set(indicator.choices)
        table = []
        for category in column.cat.categories:
            chosen = [c for c in set(str(category).split()) if c in listed and c in risk.points]
            if not chosen:
                table.append(np.nan)
                continue
            total = sum(risk.points[c] for c in chosen)
            table.append(min(total, risk.cap) if risk.cap is not None else total)
        table = np.array(table + [np.nan], dtype=float)
        return table[column.cat.codes.to_numpy()]
    if indicator.type in ("integer", "decimal"):
        values = column.to_numpy(dtype=float)
        points = np.full(n, np.nan)
        for low, high, range_points in reversed(risk.ranges):  # the first range holding it wins
            inside = ~np.isnan(values)
            if low is not None:
                inside &= values >= low
            if high is not None:
                inside &= values <= high
            points = np.where(inside, float(range_points), points)
        return points
    return np.full(n, np.nan)  # other types carry no points


def risk_index(frame, plan):
    scored = plan.scored
    n, m = len(frame), len(scored)
    points = np.empty((n, m))
    for item_idx, indicator in enumerate(scored):
        item = item_points(frame, indicator)
        if indicator.risk.relevant is not None:
            relevant = evaluate(indicator.risk.relevant, frame, plan)
            item = np.where(relevant, item, np.nan)
            if indicator.risk.when_not_relevant is not None:
                condition, when_points = indicator.risk.when_not_relevant
                scored_anyway = ~relevant & evaluate(condition, frame, plan)
                item = np.where(scored_anyway, float(when_points), item)
        points[:, item_idx] = item
    answered = ~np.isnan(points)
    points = np.nan_to_num(points, nan=0.0)
    maxima = np.array([i.risk.max_points for i in scored], dtype=float)
    answered_max = answered * maxima

    result = {}
    every_domain = np.ones(n, dtype=bool)
    for domain in DOMAINS:
        items = [idx for idx, i in enumerate(scored) if i.risk.domain == domain]
        domain_points = points[:, items].sum(axis=1)
        domain_max = answered_max[:, items].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            result[domain] = np.where(domain_max > 0, 100.0 * domain_points / domain_max, np.nan)
        every_domain &= domain_max > 0
    total_points = points.sum(axis=1)
    total_max = answered_max.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(total_max > 0, 100.0 * total_points / total_max, np.nan)
    coverage = total_max / plan.total_max_points
    bands = plan.bands
    insufficient = np.isnan(score) | ~every_domain | (coverage < bands["min_coverage"])
    band = np.select([insufficient, score >= bands["very_high"], score >= bands["high"],
                      score >= bands["medium"]],
                     ["insufficient_data", "very_high", "high", "medium"], "lower")
    # Top items: points descending, then dictionary order (a stable sort of -points).
    order = np.argsort(-points, axis=1, kind="stable")[:, :5]
    top_points = np.take_along_axis(points, order, axis=1)
    result.update(score=score, coverage=coverage, band=band, top_items=order,
                  top_points=top_points)
    return result


def risk_rows(frame, plan, risk):
    """The canonical rows of risk.csv (untimed)."""
    names = [i.name for i in plan.scored]
    fmt = canonical.optional_decimal
    site_ids = frame["site_id"].to_numpy()
    rounds = frame["round"].to_numpy()
    types = frame["assessment_type"].astype(str).to_numpy()
    top_items, top_points = risk["top_items"], risk["top_points"]
    domains = [risk[domain] for domain in DOMAINS]
    for row in range(len(frame)):
        tops = ";".join(f"{names[item]}:{int(points)}"
                        for item, points in zip(top_items[row], top_points[row]) if points > 0)
        yield (site_ids[row], str(rounds[row]), types[row], fmt(risk["score"][row]),
               risk["band"][row], fmt(risk["coverage"][row]),
               *(fmt(domain[row]) for domain in domains), tops)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--operation", required=True)
    parser.add_argument("--dictionary", required=True)
    parser.add_argument("--one-round", type=int, required=True)
    parser.add_argument("--out")
    args = parser.parse_args()
    plan = Plan(args.dictionary)
    seconds = {}

    started = time.perf_counter()
    frame, loaded = load(args.db, args.operation, plan)
    seconds["load"] = time.perf_counter() - started
    present = {i.column for i in loaded}

    started = time.perf_counter()
    one = rollups(frame[frame["round"] == args.one_round], plan, present)
    seconds["rollup_one"] = time.perf_counter() - started

    started = time.perf_counter()
    every = rollups(frame, plan, present)
    seconds["rollup_all"] = time.perf_counter() - started

    started = time.perf_counter()
    risk = risk_index(frame, plan)
    seconds["risk"] = time.perf_counter() - started

    if args.out:
        os.makedirs(args.out, exist_ok=True)
        canonical.write_rollup(os.path.join(args.out, "rollup-one.csv"),
                               rollup_rows(one, plan, present))
        canonical.write_rollup(os.path.join(args.out, "rollup-all.csv"),
                               rollup_rows(every, plan, present))
        canonical.write_rows(os.path.join(args.out, canonical.RISK_FILE), canonical.RISK_HEADER,
                             risk_rows(frame, plan, risk))
    print(json.dumps({**{phase: round(value, 4) for phase, value in seconds.items()},
                      "rows": len(frame), "pandas": pd.__version__, "numpy": np.__version__}))


if __name__ == "__main__":
    try:
        main()
    except PlanError as error:
        sys.exit(f"pandas_analysis: {error}")
