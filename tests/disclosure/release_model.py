"""What a reader of OpenDTM's CSV exports knows, as linear constraints.

Shared by the independent checks of the spec's protection intervals
(../../../shared/spec/disclosure.md, "Suppression"): audit_intervals.py solves
the model by linear programming, interval_attack.py by bound propagation.
Reads only exported files (`dtm export --format csv`), never the engine.

A cell is (row, column). Rows are keyed by (operation, round, level, pcode,
occurrence). A cell of a reader's file is published (a value), suppressed
(empty with a non-empty `<column>__flag`) or blank (empty without a flag: no
site gave a value, 0 in every sum). Site rows hold answers as text (choice
names, space-separated for select_multiple); they become one 0/1 site count
per choice, "INDICATOR=CHOICE", like the area columns.

The model of one group of columns (one indicator, or the SADD columns
together) in one operation and round:
  - variables: cells the reader does not know exactly (suppressed cells, and
    published values rounded to a base, as intervals of +/- half the base);
  - every area = the sum of the rows it holds at each finer level present
    (an inequality >= when some finer rows cannot be placed in the level,
    e.g. a site whose area the microdata gate withheld);
  - SADD margins: ind_total = m_total + f_total, m_total = sum of m_ ages,
    f_total likewise;
  - single-choice answers of a row add up to at most its sites;
  - every count >= 0, a site count <= the sites of its row.
Constraints that do not hold in the truth (operation_admin's unsuppressed
export) are dropped and counted, so that a modelling slip shows up as a
figure instead of an infeasible program.
"""

import csv
import math
from collections import defaultdict

import yaml

LEVELS = ["site", "admin3", "admin2", "admin1", "country"]  # finest first
RANK = {level: i for i, level in enumerate(LEVELS)}
# Area path columns (spec: every aggregate row names its whole area path), and
# the site columns of the dictionary that give a site's areas.
PATH_COLUMNS = {"admin1": ("admin1_pcode", "adm1_pcode"),
                "admin2": ("admin2_pcode", "adm2_pcode"),
                "admin3": ("admin3_pcode", "adm3_pcode")}
IDENTITY = {"operation", "level", "pcode", "site_id", "name", "round", "assessment_type", "sites",
            "latitude", "longitude", "flags", "admin0_pcode", "admin1_pcode", "admin2_pcode",
            "admin3_pcode"}
SADD_MALE = ["m_0_1", "m_1_5", "m_6_17", "m_18_59", "m_60plus"]
SADD_FEMALE = ["f_0_1", "f_1_5", "f_6_17", "f_18_59", "f_60plus"]
SADD = ["ind_total", "m_total", "f_total"] + SADD_MALE + SADD_FEMALE
MARGIN_OF = {**{c: "m_total" for c in SADD_MALE}, **{c: "f_total" for c in SADD_FEMALE},
             "m_total": "ind_total", "f_total": "ind_total"}
SENSITIVE_CLASSES = ("sensitive", "urgent")
PUBLIC_TOTALS = ("hh_total", "ind_total", "m_total", "f_total")
EPS = 1e-5  # LP solutions are exact to about 1e-7


class Dictionary:
    """Indicator kinds from the dictionary YAML (extends: not followed: the
    default dictionary is the operation's in the tests)."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self.choices = {name: [c["name"] for c in items]
                        for name, items in (data.get("choice_lists") or {}).items()}
        self.indicators = {}
        for spec in data["indicators"]:
            spec = dict(spec)
            # "select_one LIST" (XLSForm's way) or a separate list field.
            words = str(spec.get("type", "")).split()
            if len(words) == 2:
                spec["type"], spec["list"] = words
            self.indicators[spec["name"]] = spec

    def kind(self, indicator):
        """'single', 'multiple', 'people', 'facility' or None (not a count)."""
        spec = self.indicators.get(indicator)
        if spec is None:
            # Derived columns such as the risk bands: one band per site.
            return "single"
        t = spec.get("type")
        if t == "select_one":
            return "single"
        if t == "select_multiple":
            return "multiple"
        if t in ("integer", "decimal") and spec.get("aggregate", "sum") == "sum":
            return "people" if spec.get("module") in ("population", "vulnerability") else "facility"
        return None

    def klass(self, indicator):
        spec = self.indicators.get(indicator)
        return "sensitive" if spec is None else spec.get("class", "public")

    def module(self, indicator):
        spec = self.indicators.get(indicator)
        return "gbv_risk" if spec is None else spec.get("module", "")

    def choice_names(self, indicator):
        spec = self.indicators.get(indicator) or {}
        return self.choices.get(spec.get("list", ""), [])


def indicator_of(column):
    return column.split("=", 1)[0]


class Cell:
    """What one file says of one cell."""
    __slots__ = ("state", "value", "flag")

    def __init__(self, state, value=None, flag=""):
        self.state = state  # "value", "suppressed", "blank"
        self.value = value  # float (counts) or str (site answers)
        self.flag = flag


def _number(text):
    try:
        return float(text)
    except ValueError:
        return text


class Row:
    __slots__ = ("key", "level", "pcode", "round", "operation", "sites", "path", "cells")

    def __init__(self, key, level, pcode, rnd, operation, sites, path):
        self.key, self.level, self.pcode, self.round = key, level, pcode, rnd
        self.operation, self.sites, self.path = operation, sites, path
        self.cells = {}


def read_csv_release(path):
    """Rows of one CSV (or HXL) export: {key: Row}."""
    with open(path, newline="", encoding="utf-8") as f:
        data = list(csv.reader(f))
    if not data:
        return {}
    header, body = data[0], data[1:]
    if body and body[0] and body[0][0].startswith("#"):
        body = body[1:]  # HXL hashtag row
    rows, seen = {}, defaultdict(int)
    for line in body:
        d = dict(zip(header, line))
        level, pcode = d.get("level", ""), d.get("pcode") or d.get("site_id", "")
        operation, rnd = d.get("operation", ""), d.get("round", "")
        path_ids = {}
        for area, names in PATH_COLUMNS.items():
            for name in names:
                if d.get(name):
                    path_ids[area] = d[name]
                    break
                # An area row's path names every level down to its own: an
                # empty one is an area without P-code (sites the master list
                # left without one), not a withheld one as on a site row.
                if (name in d and name.startswith("admin") and level in RANK
                        and level != "site" and RANK[area] >= RANK[level]):
                    path_ids[area] = ""
                    break
        base = (operation, rnd, level, pcode)
        occurrence = seen[base]
        seen[base] += 1
        key = base + (occurrence,)
        sites = float(d["sites"]) if d.get("sites") else (1.0 if level == "site" else 0.0)
        row = Row(key, level, pcode, rnd, operation, sites, path_ids)
        for column, text in d.items():
            if column in IDENTITY or column.endswith("__flag") or column in PATH_COLUMNS_SITE:
                continue
            flag = d.get(column + "__flag", "")
            if text != "":
                row.cells[column] = Cell("value", _number(text), flag)
            elif flag:
                row.cells[column] = Cell("suppressed", None, flag)
            else:
                row.cells[column] = Cell("blank")
        rows[key] = row
    return rows


PATH_COLUMNS_SITE = {"adm0_pcode", "adm1_pcode", "adm2_pcode", "adm3_pcode"}


class Release:
    """The rows one tier received (several files: one per level)."""

    def __init__(self, tier, paths, rounding_base=0):
        self.tier, self.rounding_base = tier, rounding_base
        self.rows = {}
        for p in paths:
            self.rows.update(read_csv_release(p))


def load_releases(release_specs, rounding_specs=()):
    """Releases from "TIER=FILE" (several files per tier) and "TIER=BASE"."""
    files, bases = defaultdict(list), {}
    for spec in release_specs:
        tier, _, path = spec.partition("=")
        files[tier].append(path)
    for spec in rounding_specs:
        tier, _, base = spec.partition("=")
        bases[tier] = int(base)
    return [Release(tier, paths, bases.get(tier, 0)) for tier, paths in files.items()]


# --- what the reader knows --------------------------------------------------

class Knowledge:
    """Every row the reader sees (all their files together), each cell as an
    interval [lo, hi] (exact when lo == hi) or None when unknown, and which
    cells are protected: suppressed in the reader's own tier."""

    def __init__(self, dictionary, releases, reader_tier, k_people=5, n_group=10):
        self.dictionary, self.k_people, self.n_group = dictionary, k_people, n_group
        self.rows = {}       # key -> Row (structure: level, sites, path)
        self.known = {}      # (key, column) -> (lo, hi)
        self.suppressed = defaultdict(set)  # (key, column) -> tiers suppressing it
        self.present = set()  # (key, column) cells some file of the reader shows
        self.blank = set()  # cells no site gave a value for (never suppressed)
        self.protected = set()
        self.flags = {}
        self.columns_at = defaultdict(set)  # level -> count columns shown
        for release in releases:
            for key, row in release.rows.items():
                self.rows.setdefault(key, row)
                for column, cell in row.cells.items():
                    for cid, interval, state in self._count_cells(row, column, cell, release):
                        self.present.add((key, cid))
                        self.columns_at[row.level].add(cid)
                        if state == "blank":
                            self.blank.add((key, cid))
                        if state == "suppressed":
                            self.suppressed[(key, cid)].add(release.tier)
                            self.flags[(key, cid)] = cell.flag
                            if release.tier == reader_tier:
                                self.protected.add((key, cid))
                        elif interval is not None:
                            lo, hi = interval
                            old = self.known.get((key, cid))
                            if old:
                                lo, hi = max(lo, old[0]), min(hi, old[1])
                            self.known[(key, cid)] = (lo, hi)
        self._place_rows()

    def _count_cells(self, row, column, cell, release):
        """(column id, interval or None, state) of the counts one file cell
        gives: itself, or one 0/1 site count per choice for a site answer."""
        indicator = indicator_of(column)
        kind = self.dictionary.kind(indicator)
        if kind is None or (row.level == "site" and "=" in column):
            return []  # site rows hold answers as text, not per-choice counts
        if "=" in column or kind in ("people", "facility"):
            if kind in ("single", "multiple") and "=" not in column:
                return []
            if cell.state == "suppressed":
                return [(column, None, "suppressed")]
            if cell.state == "blank":
                return [(column, (0.0, 0.0), "blank")]
            if not isinstance(cell.value, float):
                return []
            v = cell.value
            half = release.rounding_base / 2.0 if kind == "people" and release.rounding_base > 1 else 0
            return [(column, (max(0.0, v - half), v + half), "value")]
        # A site answer (text): one site count per choice.
        choices = self.dictionary.choice_names(indicator)
        if not choices:
            return []
        out = []
        given = set(str(cell.value).split()) if cell.state == "value" else set()
        for choice in choices:
            cid = f"{indicator}={choice}"
            if cell.state == "suppressed":
                out.append((cid, None, "suppressed"))
            else:
                v = 1.0 if choice in given else 0.0
                out.append((cid, (v, v), cell.state))
        return out

    def _place_rows(self):
        """ancestor[(key, level)] = key of the row holding it at that level;
        possible[(key, level)] = the keys that may hold a row the reader
        cannot place (None: any row of the level)."""
        by_level = defaultdict(dict)  # (operation, round, level) -> {pcode: [keys]}
        for key, row in self.rows.items():
            by_level[(row.operation, row.round, row.level)].setdefault(row.pcode, []).append(key)
        self.levels = sorted({row.level for row in self.rows.values()}, key=RANK.get)
        self.ancestor, self.possible = {}, {}
        for key, row in self.rows.items():
            own = by_level[(row.operation, row.round, row.level)].get(row.pcode, [])
            for level in self.levels:
                if RANK[level] <= RANK[row.level]:
                    continue
                candidates = by_level.get((row.operation, row.round, level), {})
                found, possible = None, None
                if level == "country":
                    keys = [k for ks in candidates.values() for k in ks]
                    found = keys[0] if len(keys) == 1 else None
                elif level in row.path:
                    ks = candidates.get(row.path[level], [])
                    # Same-coded areas under different parents: pick the one
                    # whose own path agrees with the row's.
                    ks = [k for k in ks if all(self.rows[k].path.get(lv) == p
                                               for lv, p in row.path.items()
                                               if RANK[lv] > RANK[level]
                                               and lv in self.rows[k].path)]
                    found = ks[0] if len(ks) == 1 else None
                    # No row of that P-code: the gate withheld it (the admin3
                    # rows of an admin2 holding a generalised site), so no
                    # published row of the level holds this one.
                    possible = set(ks)
                elif row.path:
                    # The gate withheld this level of a site's path: any area
                    # of the level under the part of the path it kept.
                    possible = {k for ks in candidates.values() for k in ks
                                if all(self.rows[k].path.get(lv) == p
                                       for lv, p in row.path.items() if RANK[lv] > RANK[level])}
                elif row.level != "site" and not row.path and row.pcode:
                    # No path columns (exports before area paths): P-codes
                    # nest; an area named twice (under two parents) or under
                    # no present parent may sit under an area without P-code.
                    blank = set(candidates.get("", []))
                    best = None
                    for pcode, ks in candidates.items():
                        if pcode and row.pcode.startswith(pcode) and len(ks) == 1:
                            if best is None or len(pcode) > len(best[0]):
                                best = (pcode, ks[0])
                    if len(own) == 1 and best:
                        found = best[1]
                    elif len(own) == 1 and not best and len(blank) == 1:
                        found = next(iter(blank))
                    else:
                        possible = blank | ({best[1]} if best else set())
                if found is not None:
                    self.ancestor[(key, level)] = found
                else:
                    self.possible[(key, level)] = possible

    # --- a priori bounds and protection levels (spec's table) ---------------

    def kind_of(self, column):
        return self.dictionary.kind(indicator_of(column))

    def primary_by_rule(self, key, column, truth, k_sites=3):
        """The spec's primary rules, re-derived from the truth: a sensitive or
        urgent aggregate over fewer than k_sites sites; a people or household
        count below k_people, 0 included (totals exempt at admin2 and above);
        an answer count of a homogeneous distribution (an area under n_group
        sites whose answered sites share one value); a site answer withheld
        by the gate. "homogeneous", "small", "gate" or "" (complementary)."""
        row = self.rows[key]
        indicator = indicator_of(column)
        klass = self.dictionary.klass(indicator)
        kind = self.kind_of(column)
        if row.level == "site" or (row.level == "admin3" and klass == "public"):
            if kind in ("single", "multiple"):
                return "gate"  # a site's answer, or counts that would place a lone site
        elif klass in SENSITIVE_CLASSES and row.sites < k_sites:
            return "small"
        if kind == "people":
            exempt = column in PUBLIC_TOTALS and row.level in ("admin2", "admin1", "country")
            v = truth_value(truth, key, column, self.dictionary)
            if not exempt and v is not None and v < self.k_people:
                return "small"
        if (kind == "single" and klass in SENSITIVE_CLASSES and row.level != "site"
                and row.sites < self.n_group):
            counts = [truth_value(truth, key, f"{indicator}={c}", self.dictionary) or 0
                      for c in self.dictionary.choice_names(indicator)]
            if sum(counts) > 0 and sum(1 for c in counts if c > 0) < 2:
                return "homogeneous"
        return ""

    def protection_level(self, column):
        kind = self.kind_of(column)
        return self.k_people if kind == "people" else 1

    def published(self, key, column):
        interval = self.known.get((key, column))
        if interval and interval[0] == interval[1]:
            return interval[0]
        return None

    def _unanswered_sites(self, key, column):
        """Sites of the row that the reader knows gave no answer: those of
        finer rows placed in it whose cell is blank (no site gave a value,
        which is never suppressed, so a reader always knows it)."""
        if not hasattr(self, "_blank_sites"):
            self._blank_sites = defaultdict(float)  # (ancestor, level, column) -> sites
            for (k, c) in self.blank:
                for lv in self.levels:
                    a = self.ancestor.get((k, lv))
                    if a is not None:
                        self._blank_sites[(a, self.rows[k].level, c)] += self.rows[k].sites
        return max([self._blank_sites.get((key, lv, column), 0.0) for lv in self.levels] + [0.0])

    def ancestors(self, key):
        row = self.rows[key]
        return [self.ancestor[(key, lv)] for lv in self.levels
                if RANK[lv] > RANK[row.level] and (key, lv) in self.ancestor]

    def a_priori(self, key, column, strict=True):
        """(L, U): what the reader knows from exempt totals and group facts.
        A site count is 0 .. the row's sites, 0 .. 0 when an enclosing area
        publishes 0 for the answer (and its sites .. its sites when the
        enclosing area publishes the answer for all its sites) as a fact:
        an exempt total (a public-class answer at admin2 and above) or a
        group fact (an area of at least n_group sites). strict=False takes
        any published 0 (or all) of an enclosing area as such a fact."""
        row = self.rows[key]
        kind = self.kind_of(column)
        if kind in ("single", "multiple"):
            exempt = self.dictionary.klass(indicator_of(column)) == "public"
            low, high = 0.0, row.sites - self._unanswered_sites(key, column)
            for a in self.ancestors(key):
                v = self.published(a, column)
                if v is None:
                    continue
                enclosing = self.rows[a]
                fact = (not strict or enclosing.sites >= self.n_group
                        or (exempt and enclosing.level in ("admin2", "admin1", "country")))
                if not fact:
                    continue
                if v == 0:
                    high = 0.0  # none of its sites gave it
                elif v == enclosing.sites:
                    low = row.sites  # every one of its sites gave it
            return low, max(low, high)
        if kind == "people":
            margin = MARGIN_OF.get(column)
            if margin:
                v = self.published(key, margin)
                if v is not None:
                    return 0.0, v
            for a in self.ancestors(key):
                v = self.published(a, column)
                if v is not None:
                    return 0.0, v
            return 0.0, math.inf
        return 0.0, math.inf


# --- the linear model ---------------------------------------------------------

def group_of(column):
    ind = indicator_of(column)
    return "sadd" if column in SADD else ind


class Constraint:
    """sum(coef * cell) (== or <=) rhs over cells; `kind` for reports."""
    __slots__ = ("terms", "sense", "rhs", "kind")

    def __init__(self, terms, sense, rhs, kind):
        self.terms, self.sense, self.rhs, self.kind = terms, sense, rhs, kind


def build_constraints(knowledge):
    """{(operation, round, group): [Constraint]} over the cells the reader
    sees; terms are [(coef, (key, column))], constants folded in later."""
    k = knowledge
    out = defaultdict(list)
    # 1. Hierarchy sums, per column, per (coarse level, finer level) pair.
    rows_by = defaultdict(list)  # (op, round, level) -> keys
    for key, row in k.rows.items():
        rows_by[(row.operation, row.round, row.level)].append(key)
    columns = defaultdict(set)  # (op, round, level) -> columns present
    for (key, column) in k.present:
        row = k.rows[key]
        columns[(row.operation, row.round, row.level)].add(column)
    for (op, rnd, coarse), coarse_keys in rows_by.items():
        for fine in k.levels:
            if RANK[fine] >= RANK[coarse]:
                continue
            fine_keys = rows_by.get((op, rnd, fine), [])
            shared = columns[(op, rnd, coarse)] & columns[(op, rnd, fine)]
            if not fine_keys or not shared:
                continue
            placed = defaultdict(list)
            open_areas, anywhere = set(), False  # areas that may hold unplaced rows
            for fk in fine_keys:
                a = k.ancestor.get((fk, coarse))
                if a is not None:
                    placed[a].append(fk)
                elif k.possible.get((fk, coarse)) is None:
                    anywhere = True
                else:
                    open_areas |= k.possible[(fk, coarse)]
            for ak in coarse_keys:
                sense = ">=" if anywhere or ak in open_areas else "=="
                if sense == "==" and not placed.get(ak):
                    # Every published area holds a site: none of its finer
                    # rows here means they were withheld, not that it is 0.
                    continue
                for column in shared:
                    if (ak, column) not in k.present:
                        continue
                    terms = [(1.0, (ak, column))]
                    terms += [(-1.0, (fk, column)) for fk in placed.get(ak, [])
                              if (fk, column) in k.present]
                    out[(op, rnd, group_of(column))].append(
                        Constraint(terms, sense, 0.0, f"sum {coarse}>{fine}"))
    # 2. Per row: SADD margins and single-choice answers within the sites.
    by_row = defaultdict(set)
    for (key, column) in k.present:
        by_row[key].add(column)
    for key, cols in by_row.items():
        row = k.rows[key]
        g = (row.operation, row.round)
        for total, parts in (("ind_total", ["m_total", "f_total"]),
                             ("m_total", SADD_MALE), ("f_total", SADD_FEMALE)):
            if total in cols and all(p in cols for p in parts):
                terms = [(1.0, (key, total))] + [(-1.0, (key, p)) for p in parts]
                out[g + ("sadd",)].append(Constraint(terms, "==", 0.0, "sadd margin"))
        singles = defaultdict(list)
        for column in cols:
            if "=" in column and k.kind_of(column) == "single":
                singles[indicator_of(column)].append(column)
        for ind, cs in singles.items():
            out[g + (ind,)].append(Constraint([(1.0, (key, c)) for c in sorted(cs)], "<=",
                                              row.sites, "answers within sites"))
    return out


def truth_value(truth, key, column, dictionary):
    """The true value of a cell from operation_admin's rows (0 when blank)."""
    row = truth.get(key)
    if row is None:
        return None
    if "=" in column:
        cell = row.cells.get(column) if row.level != "site" else None
        if cell is not None:
            return cell.value if cell.state == "value" else 0.0
        ind, choice = column.split("=", 1)
        answer = row.cells.get(ind)
        if answer is None:
            return None
        return 1.0 if answer.state == "value" and choice in str(answer.value).split() else 0.0
    cell = row.cells.get(column)
    if cell is None:
        return None
    return cell.value if cell.state == "value" and isinstance(cell.value, float) else 0.0


def holds(constraint, values):
    total = sum(c * values[cell] for c, cell in constraint.terms)
    if constraint.sense == "==":
        return abs(total - constraint.rhs) <= EPS
    if constraint.sense == "<=":
        return total <= constraint.rhs + EPS
    return total >= constraint.rhs - EPS


class Model:
    """One group's constraints with the known cells folded into constants:
    variables (cells the reader does not know exactly), their bounds, and
    constraints over variables only."""

    def __init__(self, knowledge, constraints, truth):
        k = knowledge
        self.var_index, self.vars, self.lb, self.ub = {}, [], [], []
        self.rows, self.dropped, self.inconsistent = [], [], []
        truth_of = {}
        for con in constraints if truth is not None else []:
            for _, cell in con.terms:
                if cell not in truth_of:
                    truth_of[cell] = truth_value(truth, cell[0], cell[1], k.dictionary)
        for con in constraints:
            if truth is not None:
                if any(truth_of[c] is None for _, c in con.terms):
                    self.dropped.append((con, "no truth"))
                    continue
                if not holds(con, truth_of):
                    self.dropped.append((con, "false in the truth"))
                    continue
            terms, rhs_shift = [], 0.0
            for coef, cell in con.terms:
                interval = k.known.get(cell)
                if interval is not None and interval[0] == interval[1]:
                    rhs_shift += coef * interval[0]
                    continue
                terms.append((coef, self._var(cell, interval)))
            if not terms:
                continue
            self.rows.append((terms, con.sense, con.rhs - rhs_shift, con.kind))
        self.truth = {cell: truth_of.get(cell) for cell in self.vars}

    def _var(self, cell, interval):
        if cell in self.var_index:
            return self.var_index[cell]
        i = len(self.vars)
        self.var_index[cell] = i
        self.vars.append(cell)
        lo, hi = (interval if interval is not None else (0.0, math.inf))
        self.lb.append(max(0.0, lo))
        self.ub.append(hi)
        return i

    def tighten_site_counts(self, knowledge):
        """A site count is within 0 and its row's sites."""
        for i, (key, column) in enumerate(self.vars):
            if knowledge.kind_of(column) in ("single", "multiple"):
                self.ub[i] = min(self.ub[i], knowledge.rows[key].sites)

    def components(self):
        """Lists of (variable indices, constraint indices), connected."""
        parent = list(range(len(self.vars)))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for terms, _, _, _ in self.rows:
            first = find(terms[0][1])
            for _, v in terms[1:]:
                r = find(v)
                if r != first:
                    parent[r] = first
        comp_vars, comp_rows = defaultdict(list), defaultdict(list)
        for v in range(len(self.vars)):
            comp_vars[find(v)].append(v)
        for j, (terms, _, _, _) in enumerate(self.rows):
            comp_rows[find(terms[0][1])].append(j)
        return [(comp_vars[r], comp_rows.get(r, [])) for r in comp_vars]


def build_models(knowledge, truth_rows):
    """{(operation, round, group): Model}."""
    models = {}
    for group, constraints in build_constraints(knowledge).items():
        m = Model(knowledge, constraints, truth_rows)
        m.tighten_site_counts(knowledge)
        models[group] = m
    return models


def a_priori_knowledge(knowledge):
    """The same reader knowing only what the spec's a priori bounds allow:
    blank cells (never suppressed), the exempt totals (sites, households,
    individuals, males, females and answer counts of public-class
    indicators, at admin2 and above) and the group facts (in an area of at
    least n_group sites, a sensitive answer count saying none or all of its
    answered sites gave it). Its LP gives exact L and U."""
    import copy
    k = knowledge
    apriori = copy.copy(k)
    by_row = defaultdict(dict)  # (key, indicator) -> {column: interval}
    for (key, column), interval in k.known.items():
        if "=" in column:
            by_row[(key, indicator_of(column))][column] = interval
    choices_of = defaultdict(set)
    for (key, column) in k.present:
        if "=" in column:
            choices_of[(key, indicator_of(column))].add(column)

    def group_fact(key, column, interval):
        row = k.rows[key]
        if row.level == "site" or row.sites < k.n_group or interval[0] != interval[1]:
            return False
        if interval[0] == 0:
            return True
        if k.kind_of(column) != "single":
            return False
        shown = by_row[(key, indicator_of(column))]
        cols = choices_of[(key, indicator_of(column))]
        if set(shown) != cols or any(lo != hi for lo, hi in shown.values()):
            return False
        return interval[0] == sum(lo for lo, _ in shown.values())

    def known_a_priori(cell, interval):
        key, column = cell
        if cell in k.blank:
            return True
        row = k.rows[key]
        area = row.level in ("admin2", "admin1", "country")
        kind = k.kind_of(column)
        klass = k.dictionary.klass(indicator_of(column))
        if kind == "people":
            return area and column in PUBLIC_TOTALS
        if kind in ("single", "multiple"):
            if klass == "public":
                return area
            return group_fact(key, column, interval)
        return False

    apriori.known = {c: v for c, v in k.known.items() if known_a_priori(c, v)}
    return apriori


def protected_cells(knowledge):
    return sorted(knowledge.protected, key=lambda c: (c[0], c[1]))


def check_interval(v, p, low, high, lo, hi):
    """True when [lo, hi] (what the reader deduces) protects v: the spec's
    min <= max(L, v - p) and max >= min(U, v + p)."""
    return lo <= max(low, v - p) + EPS and hi >= min(high, v + p) - EPS


def load_truth(paths):
    rows = {}
    for p in paths:
        rows.update(read_csv_release(p))
    return rows


def cross_tier_leaks(knowledge, lower="public", upper="partner"):
    """Cells suppressed for `upper` that `lower`'s release publishes."""
    out = []
    for cell, tiers in knowledge.suppressed.items():
        if upper in tiers and lower not in tiers:
            interval = knowledge.known.get(cell)
            if interval is not None:
                out.append((cell, interval))
    return sorted(out)
