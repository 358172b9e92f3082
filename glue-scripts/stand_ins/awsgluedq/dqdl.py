"""DQDL, as AWS's reference documents it, for the rule types Lakeworks generates
(lib/curation/dq-ruleset.ts). Anything else is refused, never guessed at.

  IsComplete "col"                 every value non-NULL
  IsPrimaryKey "a" "b" ...         the columns together unique, and every value non-NULL
  ColumnValues "col" in [v, ...]   every value in the list; NULL rows fail unless NULL is listed
  ColumnValues "col" not in [...]  no value in the list; NULL rows pass unless NULL is listed
  ColumnValues "col" <op> v        op one of = != > >= < <=; NULL rows fail every op but !=
  ... where "<Spark SQL condition>"   the rule sees only the rows the condition keeps

Values are numbers, "quoted" strings (compared as the column's type, so "2024-01-01" against a date
column is a date) or NULL. A rule passes when no row it sees breaks it; an empty frame passes.
"""
import re
from dataclasses import dataclass

from pyspark.sql import functions as F


class UnsupportedRule(ValueError):
    pass


@dataclass(frozen=True)
class RuleOutcome:
    rule: str
    passed: bool
    reason: str


_TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<op>!=|>=|<=|=|>|<)|(?P<bracket>[\[\],])|(?P<word>[A-Za-z_][A-Za-z0-9_.]*|-?\d+(?:\.\d+)?))')


def _tokens(text):
    position, tokens = 0, []
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise UnsupportedRule("cannot read DQDL at {!r}".format(text[position:]))
        kind = match.lastgroup
        value = match.group(kind)
        tokens.append((kind, bytes(value[1:-1], "utf-8").decode("unicode_escape") if kind == "string" else value))
        position = match.end()
    return tokens


def split_rules(ruleset):
    """The rules of `Rules = [ ... ]`, split at top-level commas."""
    match = re.fullmatch(r"\s*Rules\s*=\s*\[(.*)\]\s*", ruleset, re.S)
    if not match:
        raise UnsupportedRule("expected a ruleset of the form Rules = [ ... ]")
    rules, depth, quoted, current = [], 0, False, ""
    for index, character in enumerate(match.group(1)):
        if character == '"' and (index == 0 or match.group(1)[index - 1] != "\\"):
            quoted = not quoted
        if not quoted and character == "[":
            depth += 1
        if not quoted and character == "]":
            depth -= 1
        if not quoted and depth == 0 and character == ",":
            rules.append(current.strip())
            current = ""
        else:
            current += character
    if current.strip():
        rules.append(current.strip())
    return rules


def _value(token):
    kind, value = token
    if kind == "word" and value.upper() == "NULL":
        return None
    if kind == "string":
        return value
    if kind == "word" and re.fullmatch(r"-?\d+(?:\.\d+)?", value):
        return float(value) if "." in value else int(value)
    raise UnsupportedRule("expected a number, a \"string\" or NULL; got {}".format(value))


def _literal(value, column_type):
    """A value as a literal of the column's type, as DQDL compares it."""
    return F.lit(value).cast(column_type)


def _parse(frame, rule):
    """A rule as (where, kind, columns, passes): `passes` is a per-row condition for row rules."""
    tokens = _tokens(rule)
    where = None
    if len(tokens) >= 2 and tokens[-2] == ("word", "where") and tokens[-1][0] == "string":
        where = tokens[-1][1]
        tokens = tokens[:-2]
    kind = tokens[0][1] if tokens and tokens[0][0] == "word" else None

    if kind in ("IsComplete", "IsPrimaryKey"):
        columns = [value for token_kind, value in tokens[1:] if token_kind in ("string", "word")]
        if not columns or len(columns) != len(tokens) - 1 or (kind == "IsComplete" and len(columns) != 1):
            raise UnsupportedRule("cannot read {!r}".format(rule))
        complete = None
        for column in columns:
            term = F.col("`{}`".format(column)).isNotNull()
            complete = term if complete is None else complete & term
        return where, kind, columns, complete

    if kind == "ColumnValues" and len(tokens) >= 3 and tokens[1][0] in ("string", "word"):
        column = tokens[1][1]
        column_type = dict(frame.dtypes)[column]
        value = F.col("`{}`".format(column))
        rest = tokens[2:]
        negated = rest[0] == ("word", "not")
        if negated:
            rest = rest[1:]
        if rest[0] == ("word", "in") and rest[1] == ("bracket", "[") and rest[-1] == ("bracket", "]"):
            listed = [_value(token) for token in rest[2:-1] if token != ("bracket", ",")]
            allowed_null = None in listed
            values = [_literal(v, column_type) for v in listed if v is not None]
            member = value.isin(*values) if values else F.lit(False)
            if negated:
                passes = F.when(value.isNull(), F.lit(not allowed_null)).otherwise(~member)
            else:
                passes = F.when(value.isNull(), F.lit(allowed_null)).otherwise(member)
        elif not negated and rest[0][0] == "op" and len(rest) == 2:
            op, bound = rest[0][1], _value(rest[1])
            if bound is None:
                passes = value.isNotNull() if op == "!=" else value.isNull() if op == "=" else F.lit(False)
            else:
                literal = _literal(bound, column_type)
                compare = {"=": value == literal, "!=": value != literal, ">": value > literal, ">=": value >= literal,
                           "<": value < literal, "<=": value <= literal}[op]
                # NULL fails every comparison except != (DQDL reference, ColumnValues, "Null behavior").
                passes = F.when(value.isNull(), F.lit(op == "!=")).otherwise(compare)
        else:
            raise UnsupportedRule("cannot read {!r}".format(rule))
        return where, kind, [column], passes

    raise UnsupportedRule("rule type not supported by the local stand-in: {!r}".format(rule))


def evaluate_ruleset(frame, ruleset):
    """Every rule's outcome, in order. Row rules are counted together in one pass over the frame."""
    rules = split_rules(ruleset)
    parsed = [_parse(frame, rule) for rule in rules]
    failing = []
    for index, (where, _, _, passes) in enumerate(parsed):
        seen = F.expr(where) if where else F.lit(True)
        failing.append(F.sum(F.when(seen & ~passes, 1).otherwise(0)).alias("f{}".format(index)))
    counts = frame.agg(*failing).first()
    outcomes = []
    for index, (rule, (where, kind, columns, _)) in enumerate(zip(rules, parsed)):
        failed = counts["f{}".format(index)] or 0
        if kind == "IsComplete":
            outcomes.append(RuleOutcome(rule, failed == 0, "" if failed == 0 else "{} rows have NULL in {}".format(failed, columns[0])))
        elif kind == "IsPrimaryKey":
            rows = frame.filter(F.expr(where)) if where else frame
            duplicated = rows.groupBy(*columns).count().filter("count > 1").count()
            reasons = (["{} rows have NULL in a key column".format(failed)] if failed else []) + \
                (["{} key values occur more than once".format(duplicated)] if duplicated else [])
            outcomes.append(RuleOutcome(rule, not reasons, "; ".join(reasons)))
        else:
            outcomes.append(RuleOutcome(rule, failed == 0, "" if failed == 0 else "{} rows do not meet the constraint".format(failed)))
    return outcomes


def evaluate_rule(frame, rule):
    return evaluate_ruleset(frame, "Rules = [ {} ]".format(rule))[0]
