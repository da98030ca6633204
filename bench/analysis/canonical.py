"""The canonical result files every tool of the analysis benchmark writes, and
their comparison (see bench/README.md, "analysis").

rollup-one.csv, rollup-all.csv:
    level,area,round,assessment_type,measure,value
  measure: sites | sum:IND | reporting:IND | sites:IND=CODE | people:IND=CODE
  (CODE "" for the slot of sites without an answer; per-choice rows only where
  the choice has sites > 0).
risk.csv:
    site_id,round,assessment_type,score,band,coverage,layout,security,
    participation,services,top_items
  (scores and coverage with 6 decimals, "" when not defined; top_items as
  IND:POINTS joined by ";").
Numbers are written as integers when integral, else with 6 decimals; fields are
quoted as CSV wants (an area or site ID with a comma or quote); rows come
sorted by the plain byte order of the whole line, after the header.
"""
import csv
import io
import math
import os

ROLLUP_HEADER = ["level", "area", "round", "assessment_type", "measure", "value"]
RISK_HEADER = ["site_id", "round", "assessment_type", "score", "band", "coverage", "layout",
               "security", "participation", "services", "top_items"]
ROLLUP_FILES = ("rollup-one.csv", "rollup-all.csv")
RISK_FILE = "risk.csv"
RELATIVE_TOLERANCE = 1e-9


def number(value):
    """An integral value as an integer, anything else with 6 decimals."""
    if isinstance(value, int):
        return str(value)
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.6f}"


def optional_decimal(value):
    """6 decimals, or "" for None / NaN (a score that is not defined)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):.6f}"


def _line(fields):
    text = ",".join(fields)
    if text.count(",") == len(fields) - 1 and '"' not in text and "\n" not in text \
            and "\r" not in text:
        return text + "\n"
    buffer = io.StringIO()  # a field that CSV must quote
    csv.writer(buffer, lineterminator="\n").writerow(fields)
    return buffer.getvalue()


def write_rows(path, header, rows):
    """rows: iterables of already formatted fields."""
    lines = sorted(_line(fields) for fields in rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(_line(header))
        f.writelines(lines)


def write_rollup(path, rows):
    """rows: (level, area, round, assessment_type, measure, value) with a numeric value."""
    write_rows(path, ROLLUP_HEADER,
               ((level, area, str(round_number), assessment_type, measure, number(value))
                for level, area, round_number, assessment_type, measure, value in rows))


# ---- Comparison -----------------------------------------------------------------

NUMERIC_RISK_FIELDS = {"score", "coverage", "layout", "security", "participation", "services"}


def _fields(line):
    return next(csv.reader([line]))


def _same_number(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return math.isclose(x, y, rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0)


def compare_file(name, left_dir, left_name, right_dir, right_name):
    """None when the two tools' files agree, else the first difference as text.

    Streams both files side by side: they are sorted by whole line, and a row's
    key (every field before the figures) decides its place, so the same rows
    come in the same order even when a figure differs in its last digits.
    """
    left_path, right_path = os.path.join(left_dir, name), os.path.join(right_dir, name)
    for path, tool in ((left_path, left_name), (right_path, right_name)):
        if not os.path.exists(path):
            return f"{name}: {tool} wrote no {path}"
    if name == RISK_FILE:
        header, key_width = RISK_HEADER, 3
        numeric = {RISK_HEADER.index(field) for field in NUMERIC_RISK_FIELDS}
    else:
        header, key_width, numeric = ROLLUP_HEADER, 5, {5}
    with open(left_path, encoding="utf-8", newline="") as left, \
            open(right_path, encoding="utf-8", newline="") as right:
        for path, f in ((left_path, left), (right_path, right)):
            found = _fields(f.readline())
            if found != header:
                return f"{name}: {path} has the header {found}, not {header}"
        a_line, b_line = left.readline(), right.readline()
        while a_line or b_line:
            if a_line == b_line:
                a_line, b_line = left.readline(), right.readline()
                continue
            a = _fields(a_line) if a_line else None
            b = _fields(b_line) if b_line else None
            if a and b and a[:key_width] == b[:key_width]:
                for column_idx in range(key_width, len(header)):
                    same = _same_number(a[column_idx], b[column_idx]) if column_idx in numeric \
                        else a[column_idx] == b[column_idx]
                    if not same:
                        return (f"{name}: row {','.join(a[:key_width])}, {header[column_idx]}: "
                                f"{left_name} {a[column_idx]!r}, {right_name} {b[column_idx]!r}")
                a_line, b_line = left.readline(), right.readline()
            elif b is None or (a is not None and a_line < b_line):
                return f"{name}: {left_name} has the row {a_line.strip()!r}, {right_name} not"
            else:
                return f"{name}: {right_name} has the row {b_line.strip()!r}, {left_name} not"
    return None


def compare(left_dir, left_name, right_dir, right_name, names):
    """The first difference over `names`, or None; and the rows compared per file."""
    counts = {}
    for name in names:
        difference = compare_file(name, left_dir, left_name, right_dir, right_name)
        if difference:
            return difference, counts
        with open(os.path.join(left_dir, name), encoding="utf-8") as f:
            counts[name] = sum(1 for _ in f) - 1
    return None, counts
