#!/usr/bin/python3
"""Tests of the independent disclosure checks on hand-made exports whose
answer is known: a pinned cell is found by both tools, a protected one by
neither; SADD margins, homogeneity, cross-tier leaks and rounding.
usage: /usr/bin/python3 tests/disclosure/test_tools.py [-v]"""

import csv
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import audit_intervals  # noqa: E402
import interval_attack  # noqa: E402
import release_model as rm  # noqa: E402

DICTIONARY = os.path.join(HERE, "..", "..", "dictionary", "dtm-default.yaml")
WFS = ["women_feel_safe=yes", "women_feel_safe=no", "women_feel_safe=unknown"]


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(h, "") for h in header])


def area(level, pcode, sites, **cells):
    row = {"level": level, "pcode": pcode, "name": pcode, "round": "1",
           "assessment_type": "site_assessment", "sites": str(sites)}
    for column, value in cells.items():
        column = column.replace("__", "=") if not column.endswith("_flag") else column
        if value is None:
            row[column] = ""
            row[column + "__flag"] = "suppressed"
        else:
            row[column] = str(value)
    return row


def wfs(yes, no, unknown):
    return {"women_feel_safe__yes": yes, "women_feel_safe__no": no,
            "women_feel_safe__unknown": unknown}


HEADER = ["level", "pcode", "name", "round", "assessment_type", "sites"]
for c in WFS:
    HEADER += [c, c + "__flag"]


class Case:
    """Files of one hand-made operation: truth, and a reader's release."""

    def __init__(self, tmp, truth_rows, release_rows, tier="public", extra_header=()):
        self.tmp = tmp
        header = HEADER + list(extra_header)
        self.truth = os.path.join(tmp, "truth.csv")
        self.release = os.path.join(tmp, f"{tier}.csv")
        write(self.truth, header, truth_rows)
        write(self.release, header, release_rows)
        self.tier = tier

    def audit(self, *more):
        args = ["--dictionary", DICTIONARY, "--reader", self.tier,
                "--release", f"{self.tier}={self.release}", "--truth", self.truth, *more]
        with redirect_stdout(io.StringIO()):
            code = audit_intervals.main(args)
        return code, audit_intervals.audit(audit_intervals.parse_args(args))

    def attack(self, *more):
        args = ["--dictionary", DICTIONARY, "--reader", self.tier,
                "--release", f"{self.tier}={self.release}", *more]
        with redirect_stdout(io.StringIO()):
            code = interval_attack.main(args)
        return code, interval_attack.attack(interval_attack.parse_args(args))


class PinnedAndProtected(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="disclosure-tools-")

    def test_two_single_site_districts_under_a_published_state_are_pinned(self):
        # NG001 publishes yes = 2 over its 2 sites: each district's yes is 1.
        truth = [area("admin2", "NG001001", 1, **wfs(1, 0, 0)),
                 area("admin2", "NG001002", 1, **wfs(1, 0, 0)),
                 area("admin1", "NG001", 2, **wfs(2, 0, 0))]
        release = [area("admin2", "NG001001", 1, **wfs(None, None, None)),
                   area("admin2", "NG001002", 1, **wfs(None, None, None)),
                   area("admin1", "NG001", 2, **wfs(2, 0, 0))]
        case = Case(self.tmp, truth, release)
        code, summary = case.audit()
        self.assertEqual(code, 1)
        broken = {(v["area"], v["column"]): v for v in summary["violations"]}
        self.assertEqual(broken[("NG001001", "women_feel_safe=yes")]["min"], 1.0)
        self.assertEqual(broken[("NG001002", "women_feel_safe=yes")]["max"], 1.0)
        # The "no" cells come out 0: a 2-site state is no group fact (n_group
        # 10), so they break the rule too, unless any published 0 counted.
        self.assertTrue(broken[("NG001001", "women_feel_safe=no")]
                        ["holds_if_any_published_zero_is_a_fact"])
        self.assertEqual(len(broken), 6)
        code, attacked = case.attack()
        self.assertEqual(code, 1)
        self.assertEqual(attacked["pinned_count"], 6)
        self.assertEqual(attacked["pinned_by_group_fact"], 0)
        # NG001: 2 of 2 sites "yes" under n_group sites; and each district.
        self.assertEqual([h["area"] for h in attacked["homogeneous"]],
                         ["NG001", "NG001001", "NG001002"])
        self.assertEqual([h["published"] for h in attacked["homogeneous"]], [True, False, False])

    def test_a_suppressed_state_keeps_its_districts_open(self):
        truth = [area("admin2", "NG001001", 2, **wfs(1, 1, 0)),
                 area("admin2", "NG001002", 1, **wfs(0, 0, 1)),
                 area("admin1", "NG001", 3, **wfs(1, 1, 1))]
        release = [area("admin2", "NG001001", 2, **wfs(None, None, None)),
                   area("admin2", "NG001002", 1, **wfs(None, None, None)),
                   area("admin1", "NG001", 3, **wfs(None, None, None))]
        case = Case(self.tmp, truth, release)
        code, summary = case.audit()
        self.assertEqual((code, summary["violations_count"]), (0, 0), summary["violations"])
        self.assertEqual(summary["protected_cells"], 9)
        code, attacked = case.attack()
        self.assertEqual((code, attacked["pinned_count"], attacked["homogeneous_count"]), (0, 0, 0))

    def test_a_published_total_caps_its_districts(self):
        # NG001 publishes yes = 1: NG001001's yes (1 of its 2 sites) can
        # never reach v + p = 2, so the state's figure must not be published.
        truth = [area("admin2", "NG001001", 2, **wfs(1, 1, 0)),
                 area("admin2", "NG001002", 1, **wfs(0, 0, 1)),
                 area("admin1", "NG001", 3, **wfs(1, 1, 1))]
        release = [area("admin2", "NG001001", 2, **wfs(None, None, None)),
                   area("admin2", "NG001002", 1, **wfs(None, None, None)),
                   area("admin1", "NG001", 3, **wfs(1, None, None))]
        code, summary = Case(self.tmp, truth, release).audit()
        self.assertEqual(code, 1)
        v = summary["violations"][0]
        self.assertEqual((v["area"], v["column"], v["min"], v["max"], v["U"]),
                         ("NG001001", "women_feel_safe=yes", 0.0, 1.0, 2.0))

    def test_group_facts_of_none_need_n_group_sites(self):
        truth = [area("admin2", "NG001001", 2, **wfs(2, 0, 0)),
                 area("admin2", "NG001002", 1, **wfs(1, 0, 0)),
                 area("admin1", "NG001", 3, **wfs(3, 0, 0))]
        release = [area("admin2", "NG001001", 2, **wfs(None, None, None)),
                   area("admin2", "NG001002", 1, **wfs(None, None, None)),
                   area("admin1", "NG001", 3, **wfs(None, 0, 0))]
        case = Case(self.tmp, truth, release)
        code, summary = case.audit()
        broken = {(v["area"], v["column"]) for v in summary["violations"]}
        self.assertEqual(broken, {(a, f"women_feel_safe={c}") for a in ("NG001001", "NG001002")
                                  for c in ("no", "unknown")})
        self.assertTrue(all(v["holds_if_any_published_zero_is_a_fact"]
                            for v in summary["violations"]))
        code, summary = case.audit("--n-group", "3")
        self.assertEqual((code, summary["violations_count"]), (0, 0), summary["violations"])


    def test_blank_districts_lower_the_a_priori_bound(self):
        # Two of NG001's 4 sites gave no answer (blank, never suppressed): a
        # reader knows that whatever is hidden, so U is 2, not 4.
        blank = {"women_feel_safe__yes": "", "women_feel_safe__no": "",
                 "women_feel_safe__unknown": ""}
        truth = [area("admin2", "NG001001", 1, **blank), area("admin2", "NG001002", 1, **blank),
                 area("admin2", "NG001003", 1, **wfs(1, 0, 0)),
                 area("admin2", "NG001004", 1, **wfs(1, 0, 0)),
                 area("admin1", "NG001", 4, **wfs(2, 0, 0))]
        hidden = wfs(None, None, None)
        release = truth[:2] + [area("admin2", "NG001003", 1, **hidden),
                               area("admin2", "NG001004", 1, **hidden),
                               area("admin1", "NG001", 4, **hidden)]
        code, summary = Case(self.tmp, truth, release).audit()
        self.assertEqual((code, summary["violations_count"]), (0, 0), summary["violations"])

    def test_only_primary_cells_need_an_interval(self):
        # NG001001 (5 sites, two answers) is a complement, not a primary
        # cell: pinned, it is listed but fails only with --protect suppressed.
        truth = [area("admin2", "NG001001", 5, **wfs(3, 2, 0)),
                 area("admin2", "NG001002", 1, **wfs(1, 0, 0)),
                 area("admin1", "NG001", 6, **wfs(4, 2, 0))]
        release = [area("admin2", "NG001001", 5, **wfs(None, 2, 0)),
                   area("admin2", "NG001002", 1, **wfs(None, None, None)),
                   area("admin1", "NG001", 6, **wfs(None, 2, 0))]
        case = Case(self.tmp, truth, release)
        code, summary = case.audit()
        rules = {(v["area"], v["column"]): v["primary_by_rule"] for v in summary["violations"]}
        self.assertEqual(rules[("NG001001", "women_feel_safe=yes")], "")
        truth[1] = area("admin2", "NG001002", 1, **wfs(0, 0, 0))
        truth[2] = area("admin1", "NG001", 6, **wfs(3, 2, 0))
        case = Case(self.tmp, truth, [release[0], area("admin2", "NG001002", 1, **wfs(0, 0, 0)),
                                      area("admin1", "NG001", 6, **wfs(3, 2, 0))])
        code, summary = case.audit()
        self.assertEqual((code, summary["violations_of_primary_cells"]), (0, 0))
        self.assertEqual(summary["violations_count"], 1)
        code, _ = case.audit("--protect", "suppressed")
        self.assertEqual(code, 1)


class SaddAndTiers(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="disclosure-tools-")

    def test_margins_pin_a_lone_suppressed_age_group(self):
        ages = rm.SADD_MALE
        header = ["m_total", "m_total__flag"] + [x for a in ages for x in (a, a + "__flag")]
        cells = {"m_total": 40, "m_0_1": 3, "m_1_5": 10, "m_6_17": 10, "m_18_59": 10,
                 "m_60plus": 7}
        truth = [area("admin2", "NG001001", 5, **cells)]
        shown = dict(cells, m_0_1=None)
        case = Case(self.tmp, truth, [area("admin2", "NG001001", 5, **shown)],
                    extra_header=header)
        code, summary = case.audit()
        self.assertEqual(code, 1)
        self.assertEqual(summary["violations"][0]["column"], "m_0_1")
        self.assertEqual((summary["violations"][0]["min"], summary["violations"][0]["max"]),
                         (3.0, 3.0))
        # Two suppressed: 3 + 7 = 10, each in [0, 10]; p = 5: 3 needs
        # max >= 8, and min <= 0; 7 needs max >= 10 (U = m_total 40? no:
        # v + p = 12 > 10 reachable? only 10) -> m_60plus breaks.
        shown = dict(cells, m_0_1=None, m_60plus=None)
        case = Case(self.tmp, truth, [area("admin2", "NG001001", 5, **shown)],
                    extra_header=header)
        code, summary = case.audit()
        self.assertEqual({v["column"] for v in summary["violations"]}, {"m_60plus"})

    def test_rounding_widens_what_the_reader_knows(self):
        ages = rm.SADD_MALE
        header = ["m_total", "m_total__flag"] + [x for a in ages for x in (a, a + "__flag")]
        cells = {"m_total": 41, "m_0_1": 3, "m_1_5": 10, "m_6_17": 10, "m_18_59": 10,
                 "m_60plus": 8}
        truth = [area("admin2", "NG001001", 5, **cells)]
        shown = {"m_total": 40, "m_0_1": None, "m_1_5": 10, "m_6_17": 10, "m_18_59": 10,
                 "m_60plus": 10}
        case = Case(self.tmp, truth, [area("admin2", "NG001001", 5, **shown)],
                    extra_header=header)
        # Read exactly, m_0_1 = 40 - 40 = 0: pinned.
        code, summary = case.audit()
        self.assertEqual((summary["violations"][0]["min"], summary["violations"][0]["max"]),
                         (0.0, 0.0))
        # Rounded to 5: m_0_1 = [37.5, 42.5] - 4 x [7.5, 12.5] = [0, 12.5]; 3 +/- 5 fits.
        code, summary = case.audit("--rounding", "public=5")
        self.assertEqual((code, summary["violations_count"]), (0, 0), summary["violations"])

    def test_partner_suppressed_cell_published_to_public_is_reported(self):
        truth = [area("admin2", "NG001001", 1, **wfs(1, 0, 0)),
                 area("admin1", "NG001", 1, **wfs(1, 0, 0))]
        partner = [area("admin2", "NG001001", 1, **wfs(None, None, None)),
                   area("admin1", "NG001", 1, **wfs(None, None, None))]
        public = [area("admin2", "NG001001", 1, **wfs(1, None, None)),
                  area("admin1", "NG001", 1, **wfs(None, None, None))]
        case = Case(self.tmp, truth, partner, tier="partner")
        public_path = os.path.join(self.tmp, "public.csv")
        write(public_path, HEADER, public)
        code, summary = case.audit("--release", f"public={public_path}")
        self.assertEqual(code, 1)
        self.assertEqual(summary["partner_suppressed_published_public_count"], 1)
        leaked = [v for v in summary["violations"] if v["published_elsewhere"]]
        self.assertEqual([(v["area"], v["column"]) for v in leaked],
                         [("NG001001", "women_feel_safe=yes")])


class SiteRows(unittest.TestCase):
    def test_site_answers_become_site_counts_placed_by_their_areas(self):
        tmp = tempfile.mkdtemp(prefix="disclosure-tools-")
        header = ["level", "pcode", "name", "round", "assessment_type", "sites", "adm1_pcode",
                  "adm2_pcode", "site_type", "site_type__flag", "site_type=camp",
                  "site_type=camp__flag", "site_type=host_community",
                  "site_type=host_community__flag"]
        truth = [{"level": "site", "pcode": "S1", "round": "1", "sites": "1", "adm1_pcode": "NG001",
                  "adm2_pcode": "NG001001", "site_type": "camp"},
                 {"level": "admin2", "pcode": "NG001001", "round": "1", "sites": "1",
                  "site_type=camp": "1", "site_type=host_community": "0"}]
        release = [dict(truth[0], adm2_pcode="", site_type="", site_type__flag="suppressed"),
                   truth[1]]
        t, r = os.path.join(tmp, "t.csv"), os.path.join(tmp, "r.csv")
        write(t, header, truth)
        write(r, header, release)
        dictionary = rm.Dictionary(DICTIONARY)
        k = rm.Knowledge(dictionary, rm.load_releases([f"partner={r}"]), "partner")
        site = next(key for key in k.rows if key[2] == "site")
        self.assertIn((site, "site_type=camp"), k.protected)
        self.assertNotIn((site, "admin2"), k.ancestor)  # withheld: not placed
        args = ["--dictionary", DICTIONARY, "--reader", "partner", "--release", f"partner={r}",
                "--truth", t]
        summary = audit_intervals.audit(audit_intervals.parse_args(args))
        self.assertEqual(summary["violations_count"], 0, json.dumps(summary["violations"]))


if __name__ == "__main__":
    unittest.main()
