"""Where a use case or a metric applies, said in a sentence a customer-facing person can read.

The rubric states applicability as an expression (``applies_when: contains(lower(tier), 'ultimate')``)
or as band cases that do not apply (``bands_by: {by: account_age_months, cases: [{range: "< 3",
not_applicable: true}, ...]}``); the scores carry that text as their reason. Pages show these
sentences instead. Only the shapes that read unambiguously in words are rephrased: a column equal
to, among, containing, or compared with literals, and ``or`` of such tests on one column. Anything
else gets the general sentence, never a guess.
"""
from __future__ import annotations

from adoptscore.rubric.bands import Interval
from adoptscore.rubric.expressions import BinaryOp, Call, Column, Expr, IsIn, Literal
from adoptscore.rubric.models import Metric, UseCase

_COMPARED = {">=": "is at least", ">": "is over", "<=": "is at most", "<": "is under"}
_FLIPPED = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


def applies_sentence(use_case: UseCase) -> str:
    """Why ``use_case`` does not apply to an account, from its ``applies_when``, e.g.
    "Security (DevSecOps) applies only to accounts whose tier includes Ultimate."; for an
    expression that is not a simple test of one column: "... does not apply to this account."."""
    found = _condition(use_case.applies_expression.tree) if use_case.applies_expression else None
    if found is None:
        return f"{use_case.title} does not apply to this account."
    return f"{use_case.title} applies only to accounts whose {found}."


def not_applicable_sentence(use_case: UseCase, reason: str | None = None) -> str:
    """Why ``use_case`` does not apply, given the stored ``reason`` when there is one.

    The engine's reason is ``not applicable: <applies_when>`` when the expression said no, and
    "no metric applies" when every metric's band table did: the first reads as
    :func:`applies_sentence`, the second as the metrics' :func:`band_case_sentence`. Without a
    reason (the portfolio holds only the status), a use case that can fail to apply one way only
    reads that way; one that can fail both ways gets the general sentence.
    """
    bands = [s for s in (band_case_sentence(m) for m in use_case.metrics) if s]
    by_expression = bool(use_case.applies_when)
    if reason is not None:
        by_expression = by_expression and reason == f"not applicable: {use_case.applies_when}"
        bands = [] if by_expression else bands
    elif by_expression and bands:
        return f"{use_case.title} does not apply to this account."
    if by_expression:
        return applies_sentence(use_case)
    return " ".join(bands) if bands else f"{use_case.title} does not apply to this account."


def metric_sentence(use_case: UseCase, metric: Metric, reason: str | None) -> str | None:
    """Why ``metric`` does not apply, from its stored ``reason``: None when it is the use case's
    expression (the use case's sentence says it once), its band cases in words when those said no,
    else the general sentence."""
    if use_case.applies_when and reason == f"not applicable: {use_case.applies_when}":
        return None
    table = metric.bands_by
    if table and reason and reason.startswith(f"not applicable: {table.by} ") and "outside every band case" not in reason:
        found = band_case_sentence(metric)
        if found:
            return found
    return f"{metric.title} does not apply to this account."


def band_case_sentence(metric: Metric) -> str | None:
    """Where ``metric``'s band table says it does not apply, e.g. "License Utilization does not
    apply while account age months is under 3."; None when no band case is not applicable."""
    table = metric.bands_by
    ranges = [_interval_words(c.interval) for c in table.cases if c.not_applicable] if table else []
    if not ranges:
        return None
    return f"{metric.title} does not apply while {_column_words(table.by)} {_either(ranges)}."


def _condition(node: Expr) -> str | None:
    """"tier includes Ultimate" for the tests this module rephrases, else None."""
    tests = _tests(node)
    if not tests or len({(column, verb) for column, verb, _ in tests}) != 1:
        return None  # tests of different columns or kinds do not read as one clause
    column, verb, _ = tests[0]
    values = [v for _, _, vs in tests for v in vs]
    if verb in _COMPARED.values():
        if len(values) != 1:
            return None
        return f"{_column_words(column)} {verb} {values[0]}"
    return f"{_column_words(column)} {verb} {_either(values)}"


def _tests(node: Expr) -> list[tuple[str, str, list[str]]] | None:
    """(column, verb, values) of each alternative of an ``or`` of simple tests, or None."""
    if isinstance(node, BinaryOp) and node.op == "or":
        left, right = _tests(node.left), _tests(node.right)
        return None if left is None or right is None else left + right
    found = _test(node)
    return None if found is None else [found]


def _test(node: Expr) -> tuple[str, str, list[str]] | None:
    if isinstance(node, IsIn) and not node.negated:
        column = _column(node.operand)
        values = [_text(v.value, column[1]) for v in node.values] if column else None
        return None if column is None or None in values else (column[0], "is", values)
    if isinstance(node, Call) and node.function == "contains":
        column = _column(node.args[0])
        needle = node.args[1]
        if column is None or not isinstance(needle, Literal) or not isinstance(needle.value, str):
            return None
        return column[0], "includes", [_text(needle.value, column[1])]
    if isinstance(node, BinaryOp) and node.op in ("==", *_COMPARED):
        op, left, right = node.op, node.left, node.right
        if isinstance(left, Literal):  # 'x' == tier reads as tier == 'x'
            op, left, right = _FLIPPED.get(op, op), right, left
        column = _column(left)
        if column is None or not isinstance(right, Literal) or right.value is None or isinstance(right.value, bool):
            return None
        if op == "==":
            value = _text(right.value, column[1])
            return None if value is None else (column[0], "is", [value])
        if isinstance(right.value, str) or column[1]:
            return None  # an ordering of text is not something to say in words
        return column[0], _COMPARED[op], [f"{right.value:g}"]
    return None


def _column(node: Expr) -> tuple[str, bool] | None:
    """(column name, whether case is ignored) of ``tier``, ``lower(tier)`` or ``upper(tier)``."""
    if isinstance(node, Column):
        return node.name, False
    if isinstance(node, Call) and node.function in ("lower", "upper") and isinstance(node.args[0], Column):
        return node.args[0].name, True
    return None


def _text(value: object, any_case: bool) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return f"{value:g}"
    text = str(value)
    # case does not matter to the test, so the value reads as a name: 'ultimate' -> Ultimate
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" ")) if any_case else text


def _column_words(column: str) -> str:
    return column.replace("_", " ")


def _either(values: list[str]) -> str:
    values = list(dict.fromkeys(values))
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def _interval_words(interval: Interval) -> str:
    low = None if interval.low is None else f"{'at least' if interval.low_inclusive else 'over'} {interval.low:g}"
    high = None if interval.high is None else f"{'at most' if interval.high_inclusive else 'under'} {interval.high:g}"
    if low and high:
        if interval.low == interval.high:
            return f"is {interval.low:g}"
        return f"is {low} and {high}"
    return f"is {low or high}" if (low or high) else "has any value"
