#!/usr/bin/python3
"""Reads an XLSForm written by `dtm dictionary export --format xlsform` with
openpyxl (an XLSX reader nobody here wrote) and checks it against the
dictionary's JSON export and the XLSForm conventions of KoboToolbox and ODK
(shared/spec/interop.md).

usage: /usr/bin/python3 check_xlsform.py FORM.xlsx DICTIONARY.json
           [--languages en,fr] [--gazetteer-country ISO3 [--gazetteer FILE]]

Exit 0 with a summary line when every check passes, 1 listing the failures
otherwise, 2 on bad usage. Run it with Debian's /usr/bin/python3, which has
python3-openpyxl (the python3 on the PATH may not).
"""
import argparse
import csv
import json
import re
import sys

try:
    import openpyxl
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("check_xlsform: openpyxl is missing: run with /usr/bin/python3 (apt install python3-openpyxl)")

LANGUAGE_NAMES = {"en": "English (en)", "fr": "Français (fr)", "es": "Español (es)", "ar": "العربية (ar)"}
REFERENCE = re.compile(r"\$\{\s*([^}\s]+)\s*\}")


class Checker:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def check(self, condition, description, detail=""):
        if condition:
            self.passed += 1
        else:
            self.failures.append(f"{description}: {detail}" if detail else description)
        return condition


def expected_survey_header(language_names):
    header = ["type", "name"]
    header += [f"label::{name}" for name in language_names]
    header += [f"hint::{name}" for name in language_names]
    header += ["required", "relevant", "constraint"]
    header += [f"constraint_message::{name}" for name in language_names]
    header += ["calculation", "appearance", "choice_filter", "instance::hxl", "instance::dtm_code"]
    return header


def read_sheet(sheet, checker):
    """The sheet as a header and a list of dicts; every cell must be text."""
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return [], []
    non_text = [(row_idx + 1, column_idx + 1, value)
                for row_idx, row in enumerate(rows)
                for column_idx, value in enumerate(row)
                if value is not None and not isinstance(value, str)]
    checker.check(not non_text, f"every cell of sheet {sheet.title} is text",
                  f"{len(non_text)} are not, first at row {non_text[0][0]} column {non_text[0][1]}: "
                  f"{non_text[0][2]!r}" if non_text else "")
    header = ["" if cell is None else str(cell) for cell in rows[0]]
    while header and header[-1] == "":
        header.pop()
    records = []
    for row in rows[1:]:
        cells = ["" if cell is None else str(cell) for cell in row]
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))
        records.append(dict(zip(header, cells)))
    return header, records


def gazetteer_counts(path, country):
    """Admin1 and admin2 areas of `country` in OCHA's global P-code file."""
    counts = {1: 0, 2: 0}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) >= 3 and row[0] == country and row[1] in ("1", "2"):
                counts[int(row[1])] += 1
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("form")
    parser.add_argument("dictionary")
    parser.add_argument("--languages", default="", help="language codes the form must have, e.g. en,fr")
    parser.add_argument("--gazetteer-country", default="", help="ISO3 of the P-code cascades to expect")
    parser.add_argument("--gazetteer", default="", help="OCHA global P-code file to count the areas in")
    args = parser.parse_args()

    checker = Checker()
    check = checker.check
    with open(args.dictionary, encoding="utf-8") as handle:
        dictionary = json.load(handle)
    workbook = openpyxl.load_workbook(args.form, read_only=False)

    # 1. Sheets.
    for name in ("survey", "choices", "settings"):
        check(name in workbook.sheetnames, f"the workbook has a sheet {name}", f"it has {workbook.sheetnames}")
    if checker.failures:
        return report(checker, args.form)
    survey_header, survey = read_sheet(workbook["survey"], checker)
    choices_header, choices = read_sheet(workbook["choices"], checker)
    settings_header, settings = read_sheet(workbook["settings"], checker)

    # 2. Exact survey columns, in the form's languages (English first).
    language_names = [column[len("label::"):] for column in survey_header if column.startswith("label::")]
    check(language_names[:1] == [LANGUAGE_NAMES["en"]], "English is the first language", f"got {language_names}")
    for code in filter(None, args.languages.split(",")):
        check(LANGUAGE_NAMES.get(code, code) in language_names, f"the form has language {code}",
              f"it has {language_names}")
    check(survey_header == expected_survey_header(language_names), "the survey columns are exactly the XLSForm ones",
          f"got {survey_header}")
    check(choices_header[:2 + len(language_names)] ==
          ["list_name", "name"] + [f"label::{name}" for name in language_names],
          "the choices columns start with list_name, name and a label per language", f"got {choices_header}")
    filter_columns = choices_header[2 + len(language_names):]

    # 3. Settings.
    check(settings_header == ["form_title", "form_id", "version", "default_language"],
          "the settings columns are form_title, form_id, version, default_language", f"got {settings_header}")
    if check(len(settings) == 1, "settings has one row", f"got {len(settings)}"):
        row = settings[0]
        check(row.get("form_title", "").strip() != "", "settings has a form_title")
        check(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", row.get("form_id", "")) is not None,
              "settings has a valid form_id", f"got {row.get('form_id')!r}")
        check(row.get("version") == dictionary["version"], "settings version is the dictionary version",
              f"got {row.get('version')!r}, dictionary {dictionary['version']!r}")
        check(row.get("default_language") == LANGUAGE_NAMES["en"], "the default language is English (en)",
              f"got {row.get('default_language')!r}")

    # 4. Survey structure: unique names, balanced groups, references that resolve.
    by_name = {}
    depth = 0
    for row in survey:
        if row["type"] == "end_group":
            depth -= 1
            check(depth >= 0, "every end_group closes a begin_group", f"at {row['name']}")
            continue
        if row["type"] == "begin_group":
            depth += 1
        check(row["name"] not in by_name, f"the name {row['name']} is used once")
        by_name[row["name"]] = row
    check(depth == 0, "every begin_group has its end_group")
    for row in survey:
        for column in ("relevant", "constraint", "calculation", "required", "choice_filter"):
            for name in REFERENCE.findall(row.get(column, "")):
                check(name in by_name, f"{row['name']}: {column} refers to an existing question",
                      f"${{{name}}} is not in the survey")
        check(row["type"] in ("begin_group", "end_group", "calculate", "start", "end", "today", "deviceid")
              or row.get(f"label::{LANGUAGE_NAMES['en']}", "") != "",
              f"{row['name']} has an English label")
    for name in ("start", "end", "today", "deviceid"):
        check(by_name.get(name, {}).get("type") == name, f"the survey has the metadata {name}")

    # 5. Every dictionary indicator, with its type, hxl and code.
    choice_rows = {}
    for row in choices:
        choice_rows.setdefault(row["list_name"], []).append(row)
    simple_types = {"text": "text", "integer": "integer", "decimal": "decimal", "date": "date", "geopoint": "geopoint"}
    for indicator in dictionary["indicators"]:
        name = indicator["name"]
        row = by_name.get(name)
        if not check(row is not None, f"indicator {name} is in the survey"):
            continue
        base, _, list_name = indicator["type"].partition(" ")
        if name in ("latitude", "longitude"):
            part = 0 if name == "latitude" else 1
            check(row["type"] == "calculate" and row["calculation"] == f"selected-at(${{location}}, {part})",
                  f"{name} is calculated from the geopoint ({part})", f"got {row['type']} {row['calculation']!r}")
            check(by_name.get("location", {}).get("type") == "geopoint", "the form asks one geopoint named location")
        elif base in simple_types:
            check(row["type"] == simple_types[base], f"{name} has type {base}", f"got {row['type']!r}")
        elif base in ("select_one", "select_multiple"):
            check(row["type"] == indicator["type"], f"{name} has type {indicator['type']}", f"got {row['type']!r}")
        elif base == "pcode":
            check(row["type"] in ("text", "calculate") or row["type"].startswith("select_one "),
                  f"{name} (pcode) is text, a calculate or a select_one", f"got {row['type']!r}")
        check(row["instance::hxl"] == indicator.get("hxl", ""), f"{name} keeps its hashtag",
              f"got {row['instance::hxl']!r}, dictionary {indicator.get('hxl', '')!r}")
        check(row["instance::dtm_code"] == indicator.get("code", ""), f"{name} keeps its DTM code",
              f"got {row['instance::dtm_code']!r}")
        if indicator.get("relevant"):
            check(row["relevant"] == indicator["relevant"], f"{name} keeps its relevant", f"got {row['relevant']!r}")
        if indicator.get("required") is True and row["type"] != "calculate":
            check(row["required"] == "yes", f"{name} is required", f"got {row['required']!r}")

    # 6. Every select's list is in choices, with every choice of the dictionary's list.
    checked_lists = set()
    for row in survey:
        kind, _, list_name = row["type"].partition(" ")
        if kind not in ("select_one", "select_multiple"):
            continue
        check(list_name in choice_rows, f"{row['name']}: list {list_name} is in choices")
        if list_name in dictionary["choice_lists"] and list_name not in checked_lists:
            checked_lists.add(list_name)
            expected = [choice["name"] for choice in dictionary["choice_lists"][list_name]]
            got = [choice["name"] for choice in choice_rows.get(list_name, [])]
            check(got == expected, f"list {list_name} has every choice of the dictionary, in order",
                  f"expected {expected}, got {got}")
    for list_name, rows in choice_rows.items():
        for row in rows:
            check(row.get(f"label::{LANGUAGE_NAMES['en']}", "") != "", f"choice {list_name}/{row['name']} has a label")

    # 7. P-code cascades from the gazetteer.
    country = args.gazetteer_country
    if country:
        check(by_name.get("adm0_pcode", {}).get("calculation") == f"'{country}'",
              f"adm0_pcode is calculated as '{country}'", f"got {by_name.get('adm0_pcode', {}).get('calculation')!r}")
        check("adm1" in filter_columns, "choices has an adm1 filter column", f"filter columns: {filter_columns}")
        admin1 = choice_rows.get("adm1", [])
        admin2 = choice_rows.get("adm2", [])
        check(len(admin1) > 0 and len(admin2) > 0, "choices has the lists adm1 and adm2")
        admin1_codes = {row["name"] for row in admin1}
        orphans = [row["name"] for row in admin2 if row.get("adm1") not in admin1_codes]
        check(not orphans, "every adm2 choice names an adm1 choice in its adm1 column", f"{orphans[:5]}")
        for prefix in ("", "origin_"):
            adm1 = by_name.get(f"{prefix}adm1_pcode")
            adm2 = by_name.get(f"{prefix}adm2_pcode")
            if adm1 is None or adm2 is None:
                continue
            check(adm1["type"] == "select_one adm1", f"{prefix}adm1_pcode is select_one adm1", f"got {adm1['type']!r}")
            check(adm2["type"] == "select_one adm2", f"{prefix}adm2_pcode is select_one adm2", f"got {adm2['type']!r}")
            check(adm2["choice_filter"] == f"adm1=${{{prefix}adm1_pcode}}",
                  f"{prefix}adm2_pcode has choice_filter adm1=${{{prefix}adm1_pcode}}", f"got {adm2['choice_filter']!r}")
        if args.gazetteer:
            counts = gazetteer_counts(args.gazetteer, country)
            check(len(admin1) == counts[1], f"adm1 lists the {counts[1]} admin1 areas of {country}", f"got {len(admin1)}")
            check(len(admin2) == counts[2], f"adm2 lists the {counts[2]} admin2 areas of {country}", f"got {len(admin2)}")

    # 8. The SADD grid warns, it does not block.
    for sex in ("m", "f"):
        total = f"{sex}_total"
        if total not in by_name:
            continue
        note = by_name.get(f"sadd_{sex}_check", {})
        check(note.get("type") == "note" and f"${{sadd_{sex}_sum}} != ${{{total}}}" in note.get("relevant", ""),
              f"sadd_{sex}_check is a note shown when the age groups do not add up to {total}")
        check(by_name.get(f"sadd_{sex}_sum", {}).get("type") == "calculate", f"sadd_{sex}_sum is a calculate")

    summary = (f"{len(dictionary['indicators'])} indicators, {len(survey)} survey rows, {len(choices)} choices, "
               f"languages {', '.join(language_names)}")
    return report(checker, args.form, summary)


def report(checker, path, summary=""):
    if checker.failures:
        print(f"check_xlsform: FAIL: {path}: {len(checker.failures)} of "
              f"{len(checker.failures) + checker.passed} checks failed", file=sys.stderr)
        for failure in checker.failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    print(f"check_xlsform: OK: {path} read by openpyxl {openpyxl.__version__}; {summary}; "
          f"{checker.passed} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
