"""The SQLite side of the analysis benchmark: the rollups as SQL GROUP BY over
dtm's store, as a competent SQL author would write them, timed around the
queries only.

    /usr/bin/python3 bench/analysis/sqlite_groupby.py --db DB --operation NAME \
        --dictionary YAML --one-round N [--formulation F] [--out DIR] [--print-sql]

Prints one JSON object: seconds of "rollup_one" and "rollup_all" (each: the
three levels' queries run and their results fetched), the formulation, and the
SQLite version. With --out, writes rollup-one.csv and rollup-all.csv there
(untimed; canonical.py). The queries read the `submissions` table, where dtm
keeps one row per submission and one typed column per indicator (the view
v_site_values is the same columns behind a join with operations), filtered
on the operation's id and state = 'accepted'.

Formulations (--formulation; the default is the fastest measured, see
bench/README.md, "analysis"):
  one-pass     per level, one GROUP BY area, round, assessment_type computing
               every figure at once: COUNT(*), SUM/COUNT of each summed column,
               and per choice SUM(CASE WHEN col = 'code' THEN 1 ELSE 0 END) and
               SUM(CASE WHEN col = 'code' THEN ind_total END) (select_multiple:
               instr(' ' || col || ' ', ' code ') > 0), the "no answer" slot
               as the rows matching no listed choice. Three scans.
  finest       the same aggregates once, grouped by the finest key
               (adm0, adm1, adm2, round, assessment_type) into a TEMP table, then
               each level as a GROUP BY over that table summing the partial
               figures (every figure is a count or a sum, so they add up). One
               scan of the stored rows.
  per-indicator  per level, one GROUP BY for sites and the sums, then one per
               share indicator with the answer as a grouping column (CASE WHEN
               col IN (the list) THEN col ELSE '' END), and one per
               select_multiple with a column per choice.
"""
import argparse
import json
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import canonical  # noqa: E402
from plan import LEVELS, PEOPLE, Plan, PlanError  # noqa: E402

FORMULATIONS = ("finest", "one-pass", "per-indicator")


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def literal(text):
    return "'" + text.replace("'", "''") + "'"


class Queries:
    """The SQL of each formulation, built from the dictionary and the table's columns."""

    def __init__(self, plan, present):
        self.plan = plan
        self.summed = [i for i in plan.summed if i.column in present]
        self.shared = [i for i in plan.shared if i.column in present]
        self.people = quote(PEOPLE) if PEOPLE in present else "0"
        self.areas = {level: (quote(plan.by_name[name].column)
                              if plan.by_name[name].column in present else "NULL")
                      for level, name in LEVELS}
        # The measures, in the order of the aggregate columns: ("sum", ind),
        # ("reporting", ind), ("sites", ind, code), ("people", ind, code).
        self.measures = []
        self.aggregates = []
        for indicator in self.summed:
            column = quote(indicator.column)
            self.measures += [("sum", indicator.name), ("reporting", indicator.name)]
            self.aggregates += [f"COALESCE(SUM({column}), 0)", f"COUNT({column})"]
        for indicator in self.shared:
            for code, condition in self.choice_conditions(indicator):
                self.measures += [("sites", indicator.name, code), ("people", indicator.name, code)]
                self.aggregates += [f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)",
                                    f"COALESCE(SUM(CASE WHEN {condition} THEN {self.people} END), 0)"]

    @staticmethod
    def choice_conditions(indicator):
        """(code, SQL condition) per choice, then ("", no listed choice)."""
        column = quote(indicator.column)
        codes = ", ".join(literal(code) for code in indicator.choices)
        if indicator.type == "select_one":
            conditions = [(code, f"{column} = {literal(code)}") for code in indicator.choices]
            conditions.append(("", f"({column} IS NULL OR {column} NOT IN ({codes}))"))
            return conditions
        padded = f"' ' || COALESCE({column}, '') || ' '"
        conditions = [(code, f"instr({padded}, {literal(' ' + code + ' ')}) > 0")
                      for code in indicator.choices]
        conditions.append(("", "NOT (" + " OR ".join(c for _, c in conditions) + ")"))
        return conditions

    @staticmethod
    def source(one_round):
        """FROM and WHERE. One round is read through the (operation, round, …)
        index; all rounds by a plain scan of the table (NOT INDEXED): the
        planner would otherwise pick the index for operation_id alone and look
        every row up by rowid, 1.5-2.5x slower here."""
        if one_round:
            return ("FROM submissions WHERE operation_id = :operation AND round = :round "
                    "AND state = 'accepted'")
        return "FROM submissions NOT INDEXED WHERE operation_id = :operation AND state = 'accepted'"

    def one_pass(self, level, one_round):
        area = f"COALESCE({self.areas[level]}, '')"
        return (f"SELECT {area}, round, assessment_type, COUNT(*), " +
                ", ".join(self.aggregates) +
                f" {self.source(one_round)} GROUP BY 1, 2, 3")

    def finest(self, one_round):
        """The TEMP table at the finest key, then one query per level over it."""
        areas = [f"COALESCE({self.areas[level]}, '') AS area_{level}" for level, _ in LEVELS]
        figures = ["COUNT(*) AS f0"] + [f"{aggregate} AS f{idx + 1}"
                                        for idx, aggregate in enumerate(self.aggregates)]
        create = ("CREATE TEMP TABLE finest AS SELECT " + ", ".join(areas) +
                  ", round, assessment_type, " + ", ".join(figures) +
                  f" {self.source(one_round)} GROUP BY 1, 2, 3, 4, 5")
        sums = ", ".join(f"SUM(f{idx})" for idx in range(len(self.aggregates) + 1))
        levels = {level: f"SELECT area_{level}, round, assessment_type, {sums} FROM finest "
                         "GROUP BY 1, 2, 3" for level, _ in LEVELS}
        return create, levels

    def per_indicator(self, level, one_round):
        """(query, how to read its rows) for one level."""
        area = f"COALESCE({self.areas[level]}, '')"
        source = self.source(one_round)
        head = [(f"SELECT {area}, round, assessment_type, COUNT(*)" +
                 "".join(f", COALESCE(SUM({quote(i.column)}), 0), COUNT({quote(i.column)})"
                         for i in self.summed) +
                 f" {source} GROUP BY 1, 2, 3", ("head",))]
        for indicator in self.shared:
            column = quote(indicator.column)
            if indicator.type == "select_one":
                codes = ", ".join(literal(code) for code in indicator.choices)
                answer = f"CASE WHEN {column} IN ({codes}) THEN {column} ELSE '' END"
                head.append((f"SELECT {area}, round, assessment_type, {answer}, COUNT(*), "
                             f"COALESCE(SUM({self.people}), 0) {source} "
                             "GROUP BY 1, 2, 3, 4", ("one", indicator.name)))
            else:
                conditions = self.choice_conditions(indicator)
                figures = ", ".join(
                    f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END), "
                    f"COALESCE(SUM(CASE WHEN {c} THEN {self.people} END), 0)"
                    for _, c in conditions)
                head.append((f"SELECT {area}, round, assessment_type, {figures} {source} "
                             "GROUP BY 1, 2, 3",
                             ("multiple", indicator.name, [code for code, _ in conditions])))
        return head


def run_rollup(connection, queries, formulation, parameters, one_round):
    """Runs one rollup's queries; returns {level: rows fetched} in the formulation's shape."""
    fetched = {}
    if formulation == "one-pass":
        for level, _ in LEVELS:
            fetched[level] = connection.execute(queries.one_pass(level, one_round),
                                                parameters).fetchall()
    elif formulation == "finest":
        create, levels = queries.finest(one_round)
        connection.execute("DROP TABLE IF EXISTS temp.finest")
        connection.execute(create, parameters)
        for level, sql in levels.items():
            fetched[level] = connection.execute(sql).fetchall()
        connection.execute("DROP TABLE temp.finest")
    else:
        for level, _ in LEVELS:
            fetched[level] = [(shape, connection.execute(sql, parameters).fetchall())
                              for sql, shape in queries.per_indicator(level, one_round)]
    return fetched


def canonical_rows(queries, formulation, fetched):
    """The canonical rows of one rollup (untimed)."""
    for level, results in fetched.items():
        if formulation != "per-indicator":
            for row in results:
                area, round_number, assessment_type, sites = row[:4]
                yield level, area, round_number, assessment_type, "sites", sites
                yield from measure_rows(level, row[:3], queries.measures, row[4:])
            continue
        for shape, rows in results:
            for row in rows:
                key = row[:3]
                if shape[0] == "head":
                    yield (level, *key, "sites", row[3])
                    measures = [m for i in queries.summed for m in
                                (("sum", i.name), ("reporting", i.name))]
                    yield from measure_rows(level, key, measures, row[4:])
                elif shape[0] == "one":
                    yield from measure_rows(level, key, [("sites", shape[1], row[3]),
                                                         ("people", shape[1], row[3])], row[4:])
                else:
                    measures = [m for code in shape[2] for m in
                                (("sites", shape[1], code), ("people", shape[1], code))]
                    yield from measure_rows(level, key, measures, row[3:])


def measure_rows(level, key, measures, values):
    area, round_number, assessment_type = key
    sites_of_choice = None
    for measure, value in zip(measures, values):
        if measure[0] in ("sum", "reporting"):
            yield level, area, round_number, assessment_type, f"{measure[0]}:{measure[1]}", value
            continue
        # Per-choice rows only where the choice has sites (its people follow its sites).
        if measure[0] == "sites":
            sites_of_choice = value
        if sites_of_choice:
            yield (level, area, round_number, assessment_type,
                   f"{measure[0]}:{measure[1]}={measure[2]}", value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--operation", required=True)
    parser.add_argument("--dictionary", required=True)
    parser.add_argument("--one-round", type=int, required=True)
    parser.add_argument("--formulation", choices=FORMULATIONS, default=FORMULATIONS[0])
    parser.add_argument("--out")
    parser.add_argument("--print-sql", action="store_true", help="print the queries and stop")
    args = parser.parse_args()
    plan = Plan(args.dictionary)

    connection = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    # Room for the GROUP BY sorter in memory, as one would set it for analysis.
    connection.execute("PRAGMA temp_store = MEMORY")
    found = connection.execute("SELECT id FROM operations WHERE name = ?",
                               (args.operation,)).fetchall()
    if len(found) != 1:
        sys.exit(f"sqlite_groupby: {len(found)} operations named {args.operation}")
    present = {row[1] for row in connection.execute("PRAGMA table_info(submissions)")}
    queries = Queries(plan, present)
    parameters = {"operation": found[0][0], "round": args.one_round}
    if args.print_sql:
        create, levels = queries.finest(True)
        print(create + ";\n" + levels["admin2"] + ";")
        return

    seconds, results = {}, {}
    for phase, one_round in (("rollup_one", True), ("rollup_all", False)):
        started = time.perf_counter()
        results[phase] = run_rollup(connection, queries, args.formulation, parameters, one_round)
        seconds[phase] = time.perf_counter() - started
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        for phase, name in (("rollup_one", "rollup-one.csv"), ("rollup_all", "rollup-all.csv")):
            canonical.write_rollup(os.path.join(args.out, name),
                                   canonical_rows(queries, args.formulation, results[phase]))
    print(json.dumps({**{phase: round(value, 4) for phase, value in seconds.items()},
                      "formulation": args.formulation, "sqlite": sqlite3.sqlite_version,
                      "aggregates": len(queries.aggregates) + 1}))


if __name__ == "__main__":
    try:
        main()
    except PlanError as error:
        sys.exit(f"sqlite_groupby: {error}")
