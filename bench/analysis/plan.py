"""What the analysis benchmark computes, read from the data dictionary.

Shared by the pandas side (pandas_analysis.py) and the SQLite side
(sqlite_groupby.py), so that both read the dictionary the way the C++ side does
(src/analysis/rollup.h, risk_index.h, frame.h):

  - rollups: `sum` indicators of type integer or decimal (sum of the present
    values, sites reporting one); `share_of_sites` indicators of type
    select_one, or select_multiple over a list of at most 64 choices (sites and
    people per choice, plus a slot for sites without an answer, whose code is
    ""); people = ind_total, a missing one counting 0;
  - the risk index: every indicator with a `risk` mapping, its maximum points
    (RiskMapping::MaxPoints), its relevance condition parsed into a small tree
    (Condition) that each side evaluates its own way.

The YAML is read with yaml.BaseLoader: every scalar is text, as yaml-cpp gives
it to the C++ loader (PyYAML's default loader would read an unquoted yes as
True). Only the default dictionary's own format is read: a file that `extends`
another is refused.
"""
import re

import yaml

# Columns of the submissions table that indicator values may not take; such an
# indicator's column is NAME_value (src/store/internal/schema.cc, ValueColumnName).
SUBMISSION_COLUMNS = frozenset({
    "id", "batch_id", "operation_id", "round", "assessment_type", "site_id", "source_row",
    "submission_uuid", "submission_time", "enumerator", "device", "state", "replaced_by_batch",
    "state_before_replace", "verbatim_offset", "verbatim_length", "submission_key"})

# Rollup levels as rollup.h names them, with the indicator holding the area.
LEVELS = [("admin2", "adm2_pcode"), ("admin1", "adm1_pcode"), ("country", "adm0_pcode")]

DOMAINS = ["layout", "security", "participation", "services"]
MAX_BITSET_CHOICES = 64  # frame.h: longer select_multiple lists are read as text
PEOPLE = "ind_total"


class PlanError(Exception):
    pass


def value_column_name(name):
    return name + "_value" if name in SUBMISSION_COLUMNS else name


class Indicator:
    def __init__(self, node, lists):
        self.name = node["name"]
        words = node["type"].split()
        self.type = words[0]
        self.list_name = words[1] if self.type in ("select_one", "select_multiple") else None
        self.choices = lists.get(self.list_name) if self.list_name else None
        if self.list_name and self.choices is None:
            raise PlanError(f"indicator {self.name}: no choice list {self.list_name}")
        self.aggregate = node.get("aggregate", "none")
        self.dissemination_class = node.get("class", "public")
        self.relevant = node.get("relevant", "").strip()
        self.column = value_column_name(self.name)
        self.risk = RiskMapping(self, node["risk"]) if "risk" in node else None

    @property
    def stored(self):
        return self.dissemination_class != "pii"  # pii is dropped at ingest

    @property
    def summed(self):
        return self.aggregate == "sum" and self.type in ("integer", "decimal")

    @property
    def shared(self):
        """Sites and people per choice: select_one, or a select_multiple held as a bitset."""
        if self.aggregate != "share_of_sites":
            return False
        return self.type == "select_one" or (
            self.type == "select_multiple" and len(self.choices) <= MAX_BITSET_CHOICES)


class RiskMapping:
    def __init__(self, indicator, node):
        self.domain = node["domain"]
        if self.domain not in DOMAINS:
            raise PlanError(f"indicator {indicator.name}: unknown risk domain {self.domain}")
        self.points = {code: int(points) for code, points in node.get("points", {}).items()}
        self.cap = int(node["cap"]) if "cap" in node else None
        # (min or None, max or None, points), tried in order; bounds inclusive.
        self.ranges = [(float(r["min"]) if "min" in r else None,
                        float(r["max"]) if "max" in r else None, int(r["points"]))
                       for r in node.get("ranges", [])]
        wnr = node.get("when_not_relevant")
        self.when_not_relevant = (parse_condition(wnr["when"], indicator.name), int(wnr["points"])) \
            if wnr else None
        self.relevant = parse_condition(indicator.relevant, indicator.name) \
            if indicator.relevant else None
        # RiskMapping::MaxPoints.
        if indicator.type == "select_multiple":
            total = sum(max(points, 0) for points in self.points.values())
            self.max_points = min(total, self.cap) if self.cap is not None else total
        else:
            self.max_points = max([0] + list(self.points.values()))
        for _, _, points in self.ranges:
            self.max_points = max(self.max_points, points)
        if self.when_not_relevant:
            self.max_points = max(self.max_points, self.when_not_relevant[1])
        if self.max_points <= 0:
            raise PlanError(f"indicator {indicator.name}: its risk points give no maximum above 0")


class Plan:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            root = yaml.load(f, Loader=yaml.BaseLoader)
        if "extends" in root:
            raise PlanError(f"{path} extends another dictionary: the benchmark reads only a "
                            "self-contained one")
        self.lists = {name: [choice["name"] for choice in choices]
                      for name, choices in root.get("choice_lists", {}).items()}
        self.indicators = [Indicator(node, self.lists) for node in root["indicators"]]
        self.by_name = {indicator.name: indicator for indicator in self.indicators}
        bands = root.get("risk_bands", {})
        self.bands = {"very_high": float(bands.get("very_high", 38.3)),
                      "high": float(bands.get("high", 29.2)),
                      "medium": float(bands.get("medium", 19.1)),
                      "min_coverage": float(bands.get("min_coverage", 0.6))}
        self.summed = [i for i in self.indicators if i.summed and i.stored]
        self.shared = [i for i in self.indicators if i.shared and i.stored]
        self.scored = [i for i in self.indicators if i.risk]
        self.total_max_points = sum(i.risk.max_points for i in self.scored)
        for level, name in LEVELS:
            if name not in self.by_name:
                raise PlanError(f"the dictionary has no indicator {name} for the {level} level")
        for indicator in self.scored:
            for condition in (indicator.risk.relevant,
                              indicator.risk.when_not_relevant and indicator.risk.when_not_relevant[0]):
                for name in condition.references() if condition else ():
                    if name not in self.by_name:
                        raise PlanError(f"indicator {indicator.name}: its condition reads "
                                        f"${{{name}}}, which the dictionary does not have")

    def stored_indicators(self):
        return [i for i in self.indicators if i.stored]


# ---- Relevance conditions ------------------------------------------------------
#
# The few XLSForm conditions scored items carry, parsed into a tree:
#   or / and / not(…) / ( … ),
#   ${name} = 'text', ${name} != 'text' (either side may be the literal),
#   selected(${name}, 'code').
# Anything else (numbers, functions, `.`, today()) raises PlanError naming the
# indicator: the benchmark would rather stop than score differently from dtm.

TOKEN = re.compile(r"\s*(?:(\$\{[a-z][a-z0-9_]*\})|('[^']*'|\"[^\"]*\")|(!=|=|\(|\)|,)|"
                   r"([A-Za-z][A-Za-z0-9_-]*))")


class Condition:
    """A node: kind is 'or', 'and', 'not', 'eq', 'ne' or 'selected'."""

    def __init__(self, kind, *parts):
        self.kind = kind
        self.parts = parts

    def references(self):
        if self.kind in ("eq", "ne", "selected"):
            return [self.parts[0]]
        return [name for part in self.parts for name in part.references()]


def parse_condition(text, indicator_name):
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise PlanError(f"indicator {indicator_name}: cannot read the condition {text!r} "
                            f"at {text[position:]!r}")
        ref, literal, symbol, word = match.groups()
        if ref:
            tokens.append(("ref", ref[2:-1]))
        elif literal:
            tokens.append(("text", literal[1:-1]))
        elif symbol:
            tokens.append((symbol, symbol))
        else:
            tokens.append(("word", word))
        position = match.end()
    parser = _ConditionParser(tokens, text, indicator_name)
    condition = parser.disjunction()
    if parser.position != len(tokens):
        parser.fail()
    return condition


class _ConditionParser:
    def __init__(self, tokens, text, indicator_name):
        self.tokens = tokens
        self.text = text
        self.indicator_name = indicator_name
        self.position = 0

    def fail(self):
        raise PlanError(f"indicator {self.indicator_name}: the condition {self.text!r} uses more "
                        "than the benchmark translates (=, != against text, selected(), and, "
                        "or, not(), parentheses)")

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self, kind, value=None):
        token = self.peek()
        if token[0] != kind or (value is not None and token[1] != value):
            self.fail()
        self.position += 1
        return token[1]

    def disjunction(self):
        parts = [self.conjunction()]
        while self.peek() == ("word", "or"):
            self.position += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Condition("or", *parts)

    def conjunction(self):
        parts = [self.unary()]
        while self.peek() == ("word", "and"):
            self.position += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else Condition("and", *parts)

    def unary(self):
        kind, value = self.peek()
        if kind == "word" and value == "not":
            self.position += 1
            self.take("(")
            inner = self.disjunction()
            self.take(")")
            return Condition("not", inner)
        if kind == "word" and value == "selected":
            self.position += 1
            self.take("(")
            name = self.take("ref")
            self.take(",")
            code = self.take("text")
            self.take(")")
            return Condition("selected", name, code)
        if kind == "(":
            self.position += 1
            inner = self.disjunction()
            self.take(")")
            return inner
        left = self.peek()
        self.position += 1
        operator = self.peek()[0]
        if operator not in ("=", "!="):
            self.fail()
        self.position += 1
        right = self.peek()
        self.position += 1
        if left[0] == "text" and right[0] == "ref":
            left, right = right, left
        if left[0] != "ref" or right[0] != "text":
            self.fail()
        return Condition("eq" if operator == "=" else "ne", left[1], right[1])
