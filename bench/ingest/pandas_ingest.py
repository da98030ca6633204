"""The pandas baseline of the ingest benchmark (bench/README.md, "ingest").

    /usr/bin/python3 bench/ingest/pandas_ingest.py DICTIONARY FILE...

Reads each Kobo-style round export with pandas.read_csv and makes the checks
`dtm ingest` makes on the same columns, written the way a pandas user would
write them: vectorised, no per-row Python loop.

  sadd_age_sum       per sex, the age buckets that are answered sum to the sex
                     total (m_0_1 + ... + m_60plus = m_total, likewise f_*);
                     skipped where the total or every bucket is unanswered
  sadd_sex_sum       m_total + f_total = ind_total, where all three are answered
  choice             a select_one answer that is not a code, label or variant
                     of its list, even after case folding and collapsing spaces;
                     a select_multiple answer with a space-separated piece that
                     is none of them (one finding per cell, as dtm counts)
  choice_normalised  a select_one answer, or a select_multiple piece, that
                     matches only after case folding and collapsing spaces (one
                     per cell)

Columns are `group/name` (Kobo's group paths); each maps to the dictionary's
indicator named by its last path segment. Kobo's split 0/1 columns of a
select_multiple (`gbv_risk/unsafe_areas/latrines`) are skipped.

Prints one JSON object: files, rows, the finding counts by rule, and the
seconds spent reading and checking. Stores nothing.

Written for Debian's python3-pandas (1.5) under /usr/bin/python3.
"""
import json
import sys
import time

import pandas as pd
import yaml

AGE_BUCKETS = ["0_1", "1_5", "6_17", "18_59", "60plus"]
# The missing-value words of dtm's ChoiceMatcher (after case folding and
# collapsing spaces); read_csv already turns "", "NA", "N/A", "n/a" into NaN.
MISSING_WORDS = {"", "no answer", "n/a", "na", "-"}


def normalise(series):
    """Case-folded, trimmed, inner spaces collapsed: dtm's NormalizeLabel."""
    return series.str.casefold().str.split().str.join(" ")


def load_dictionary(path):
    """(indicator name -> type, list name -> (exact spellings, {normalised: code}))."""
    with open(path, encoding="utf-8") as f:
        dictionary = yaml.safe_load(f)
    types = {indicator["name"]: indicator["type"] for indicator in dictionary["indicators"]}
    lists = {}
    for list_name, choices in dictionary["choice_lists"].items():
        exact = set()
        by_normalised = {}
        ambiguous = set()
        for choice in choices:
            spellings = [choice["name"], *choice.get("label", {}).values(),
                         *choice.get("variants", [])]
            for spelling in spellings:
                exact.add(spelling)
                key = " ".join(spelling.casefold().split())
                if by_normalised.get(key, choice["name"]) != choice["name"]:
                    ambiguous.add(key)
                by_normalised[key] = choice["name"]
        for key in ambiguous:
            del by_normalised[key]
        lists[list_name] = (exact, set(by_normalised))
    return types, lists


def map_columns(columns, types):
    """Indicator name -> CSV column, by the column's last path segment."""
    mapping = {}
    for column in columns:
        segments = column.split("/")
        name = segments[-1]
        if len(segments) >= 3 and types.get(segments[-2], "").startswith("select_multiple"):
            continue  # a split 0/1 column of a select_multiple
        if name in types and name not in mapping:
            mapping[name] = column
    return mapping


def check_sadd(frame, mapping, findings):
    names = [f"{sex}_{bucket}" for sex in "mf" for bucket in AGE_BUCKETS]
    names += ["m_total", "f_total", "ind_total"]
    if any(name not in mapping for name in names):
        return
    # Default dtype inference makes these float64 columns (int64 when complete);
    # to_numeric also copes with a column that came in as text because of a bad
    # cell (that cell becomes NaN, as dtm blanks a value that is not a number).
    numbers = pd.DataFrame({name: pd.to_numeric(frame[mapping[name]], errors="coerce")
                            for name in names})
    for sex in "mf":
        buckets = numbers[[f"{sex}_{bucket}" for bucket in AGE_BUCKETS]]
        total = numbers[f"{sex}_total"]
        answered = buckets.notna().any(axis=1)
        wrong = total.notna() & answered & (buckets.sum(axis=1) != total)
        findings["sadd_age_sum"] += int(wrong.sum())
    both = numbers["m_total"] + numbers["f_total"]
    wrong = both.notna() & numbers["ind_total"].notna() & (both != numbers["ind_total"])
    findings["sadd_sex_sum"] += int(wrong.sum())


def check_select_one(values, exact, normalised_codes, findings):
    values = values.dropna().astype(str)
    # Most answers are exact codes: only the rest is normalised (a pandas user
    # would not case-fold a million cells to find a few hundred).
    rest = values[~values.isin(exact)]
    if rest.empty:
        return
    folded = normalise(rest)
    matched = folded.isin(normalised_codes)
    findings["choice_normalised"] += int(matched.sum())
    findings["choice"] += int((~matched & ~folded.isin(MISSING_WORDS)).sum())


def check_select_multiple(values, exact, normalised_codes, findings):
    values = values.dropna().astype(str)
    pieces = values.str.split().explode().dropna()
    rest = pieces[~pieces.isin(exact)]
    if rest.empty:
        return
    folded = normalise(rest)
    matched = folded.isin(normalised_codes)
    unmatched_rows = rest.index[~matched].unique()
    normalised_rows = rest.index[matched].unique().difference(unmatched_rows)
    findings["choice"] += len(unmatched_rows)
    findings["choice_normalised"] += len(normalised_rows)


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: pandas_ingest.py DICTIONARY FILE...")
    started = time.perf_counter()
    types, lists = load_dictionary(argv[1])
    findings = {"sadd_age_sum": 0, "sadd_sex_sum": 0, "choice": 0, "choice_normalised": 0}
    rows = 0
    read_seconds = check_seconds = 0.0
    for path in argv[2:]:
        before = time.perf_counter()
        # Default dtype inference, as a pandas user writes read_csv first: numeric
        # columns come back as numbers, the rest as Python strings (object). Files
        # are read one at a time, each whole (read_csv's default).
        frame = pd.read_csv(path)
        after_read = time.perf_counter()
        rows += len(frame)
        mapping = map_columns(frame.columns, types)
        check_sadd(frame, mapping, findings)
        for name, column in mapping.items():
            kind, _, list_name = types[name].partition(" ")
            if kind == "select_one":
                check_select_one(frame[column], *lists[list_name], findings)
            elif kind == "select_multiple":
                check_select_multiple(frame[column], *lists[list_name], findings)
        del frame
        read_seconds += after_read - before
        check_seconds += time.perf_counter() - after_read
    json.dump({"files": len(argv) - 2, "rows": rows, "findings": findings,
               "read_seconds": round(read_seconds, 3), "check_seconds": round(check_seconds, 3),
               "seconds": round(time.perf_counter() - started, 3),
               "pandas": pd.__version__}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
