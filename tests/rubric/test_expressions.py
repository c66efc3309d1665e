"""The safe expression language: parsing, rejection, and semantics on a real DuckDB."""
from __future__ import annotations

import ibis
import pandas as pd
import pytest

from adoptscore.engine.expressions import compile_expression
from adoptscore.rubric.expressions import ExpressionError, parse


@pytest.mark.parametrize("text, columns", [
    ("a / b", ("a", "b")),
    ("total(a, b, c) / nullif(d, 0)", ("a", "b", "c", "d")),
    ("contains(lower(tier), 'ultimate')", ("tier",)),
    ("segment in ('SMB', 'Mid-Market') and a >= 3", ("segment", "a")),
    ("a if b > 0 else c", ("b", "a", "c")),
    ("-a + 2 * b", ("a", "b")),
    ("0 < a <= 10", ("a",)),
])
def test_parse_and_columns(text, columns):
    assert set(parse(text).columns) == set(columns)


@pytest.mark.parametrize("text, message, offset", [
    ("a; DROP TABLE t", "invalid expression", None),
    ("median(a)", "unknown function median()", 1),
    ("a.b", "Attribute is not allowed", 1),
    ("__import__('os')", "unknown function __import__()", 1),
    ("a[0]", "Subscript is not allowed", 1),
    ("lambda: 1", "Lambda is not allowed", 1),
    ("a ** 2", "operator Pow is not allowed", 1),
    ("coalesce(a)", "coalesce() takes 2 or more arguments", 1),
    ("lower(a, b)", "lower() takes 1 arguments", 1),
    ("a = 1", "invalid expression", None),
    ("", "empty expression", None),
    ("b + f(a)", "unknown function f()", 5),
])
def test_rejected(text, message, offset):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert message in info.value.message
    if offset is not None:
        assert info.value.column == offset


def test_sql_injection_hint():
    with pytest.raises(ExpressionError) as info:
        parse("ci_builds_l28d; DROP TABLE usage")
    assert "never SQL" in info.value.hint


def evaluate(expression: str, rows: list[dict]) -> list:
    table = ibis.memtable(pd.DataFrame(rows))
    expr = compile_expression(parse(expression).tree, table.__getitem__)
    out = table.select(v=expr).execute()["v"].tolist()
    return [None if (isinstance(v, float) and v != v) or v is pd.NA else v for v in out]


ROWS = [{"a": 1.0, "b": 0.0, "c": None, "t": "SaaS - ULTIMATE"},
        {"a": 4.0, "b": 2.0, "c": 3.0, "t": "Premium"},
        {"a": None, "b": None, "c": None, "t": None}]


@pytest.mark.parametrize("expression, expected", [
    ("a / b", [None, 2.0, None]),                     # x/0 is null, never inf
    ("greatest(a, c)", [None, 4.0, None]),            # null if any argument is null
    ("least(a, b)", [0.0, 2.0, None]),
    ("coalesce(c, a, 0)", [1.0, 3.0, 0.0]),
    ("total(a, b, c)", [1.0, 9.0, None]),             # sum of known values; null when none known
    ("count_positive(a, b, c)", [1.0, 3.0, None]),
    ("contains(lower(t), 'ultimate')", [True, False, None]),
    ("a if b > 0 else 10", [10.0, 4.0, 10.0]),
    ("(a > 2) + (b > 1)", [0, 2, None]),
    ("is_null(c)", [True, False, True]),
])
def test_semantics(expression, expected):
    assert evaluate(expression, ROWS) == expected


@pytest.mark.parametrize("text, needle, column", [
    ("(" * 50_000 + "a" + ")" * 50_000, "nests brackets more than 100 deep", 101),
    ("abs(" * 101 + "a" + ")" * 101, "nests brackets more than 100 deep", 404),
    (" + ".join(["a"] * 20_000), "longer than 1,000 tokens", None),
    ("-" * 50_000 + "a", "longer than 1,000 tokens", 1001),
    ("not " * 50_000 + "a", "longer than 1,000 tokens", None),
    ("-" * 500 + "a", "nested more than 100 levels", None),
    (" and ".join(["a > 0"] * 200), "nested more than 100 levels", None),
    ("<".join(["a"] * 300), "nested more than 100 levels", None),
])
def test_oversized_expressions_are_refused_before_anything_recurses(text, needle, column):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    error = caught.value
    assert needle in error.message and error.hint and len(error.message) < 200, error.format()
    if column is not None:
        assert error.column == column


def test_long_but_sensible_expressions_parse_and_score():
    wide = parse(" + ".join(f"c{i}" for i in range(90)))  # 90 levels deep, 179 tokens
    assert len(wide.columns) == 90
    assert parse(f"total({', '.join(f'c{i}' for i in range(400))})").columns[-1] == "c399"  # 801 tokens, flat


def test_an_oversized_expression_in_a_rubric_is_located():
    from adoptscore.errors import RubricError
    from adoptscore.rubric import loads_rubric
    from tests.rubric.test_loader import MINIMAL

    text = MINIMAL.replace("numerator: a\n", "numerator: " + " + ".join(["a"] * 20_000) + "\n")
    with pytest.raises(RubricError, match="longer than 1,000 tokens") as caught:
        loads_rubric(text, "tiny.yaml")
    assert (caught.value.line, caught.value.column) == (9, 20 + 2000)  # the 1,001st token, in the value
