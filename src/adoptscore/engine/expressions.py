"""Compiling rubric expressions to backend-agnostic Ibis expressions.

Null semantics are made explicit here rather than left to each backend: ``/`` yields null on a
zero divisor (DuckDB would return inf, Spark 4 would raise), and ``greatest``/``least`` are null
when any argument is null (DuckDB and Postgres ignore nulls there, Snowflake and BigQuery do not).
"""
from __future__ import annotations

from typing import Callable

import ibis
import ibis.expr.types as ir

from adoptscore.rubric import expressions as ast

NULL = ibis.null()


def _all_null(args: list[ir.Value]) -> ir.BooleanValue:
    condition = args[0].isnull()
    for arg in args[1:]:
        condition = condition & arg.isnull()
    return condition


def _any_null(args: list[ir.Value]) -> ir.BooleanValue:
    condition = args[0].isnull()
    for arg in args[1:]:
        condition = condition | arg.isnull()
    return condition


def _numeric(value: ir.Value) -> ir.Value:
    # Booleans take part in arithmetic as 0/1; integers are widened so '/' never truncates.
    if value.type().is_boolean():
        return value.cast("int64")
    return value


def _total(args: list[ir.Value]) -> ir.Value:
    summed = _numeric(args[0]).fill_null(0)
    for arg in args[1:]:
        summed = summed + _numeric(arg).fill_null(0)
    return ibis.cases((_all_null(args), ibis.null("float64")), else_=summed.cast("float64"))


def _count_positive(args: list[ir.Value]) -> ir.Value:
    counted = ibis.cases((args[0] > 0, 1), else_=0)
    for arg in args[1:]:
        counted = counted + ibis.cases((arg > 0, 1), else_=0)
    return ibis.cases((_all_null(args), ibis.null("float64")), else_=counted.cast("float64"))


def _strict(function: Callable[..., ir.Value]) -> Callable[[list[ir.Value]], ir.Value]:
    def apply(args: list[ir.Value]) -> ir.Value:
        return ibis.cases((_any_null(args), ibis.null("float64")),
                          else_=function(*[_numeric(a) for a in args]).cast("float64"))
    return apply


FUNCTIONS: dict[str, Callable[[list[ir.Value]], ir.Value]] = {
    "coalesce": lambda args: ibis.coalesce(*args),
    "greatest": _strict(ibis.greatest),
    "least": _strict(ibis.least),
    "total": _total,
    "count_positive": _count_positive,
    "abs": lambda args: _numeric(args[0]).abs(),
    "lower": lambda args: args[0].cast("string").lower(),
    "upper": lambda args: args[0].cast("string").upper(),
    "contains": lambda args: args[0].cast("string").contains(args[1]),
    "is_null": lambda args: args[0].isnull(),
    "nullif": lambda args: args[0].nullif(args[1]),
}


def safe_divide(numerator: ir.Value, denominator: ir.Value) -> ir.Value:
    """``numerator / denominator`` that is null (never inf, NaN or an error) when dividing by 0."""
    return ibis.cases((denominator == 0, ibis.null("float64")),
                      else_=_numeric(numerator).cast("float64") / _numeric(denominator))


def _arith(op: str, left: ir.Value, right: ir.Value) -> ir.Value:
    if op == "/":
        return safe_divide(left, right)
    left, right = _numeric(left), _numeric(right)
    return {"+": left + right, "-": left - right, "*": left * right}[op]


_COMPARE = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


def compile_expression(node: ast.Expr, columns: Callable[[str], ir.Value]) -> ir.Value:
    """Compile a parsed expression; ``columns`` resolves a column name to an Ibis column."""
    def go(n: ast.Expr) -> ir.Value:
        if isinstance(n, ast.Column):
            return columns(n.name)
        if isinstance(n, ast.Literal):
            return ibis.literal(n.value) if n.value is not None else ibis.null()
        if isinstance(n, ast.BinaryOp):
            left, right = go(n.left), go(n.right)
            if n.op in ("and", "or"):
                return (left & right) if n.op == "and" else (left | right)
            if n.op in _COMPARE:
                return _COMPARE[n.op](left, right)
            return _arith(n.op, left, right)
        if isinstance(n, ast.Not):
            return ~go(n.operand)
        if isinstance(n, ast.Negate):
            return -_numeric(go(n.operand))
        if isinstance(n, ast.IsIn):
            values = [v.value for v in n.values]
            operand = go(n.operand)
            return operand.notin(values) if n.negated else operand.isin(values)
        if isinstance(n, ast.IfElse):
            return ibis.cases((go(n.condition), go(n.then)), else_=go(n.otherwise))
        if isinstance(n, ast.Call):
            return FUNCTIONS[n.function]([go(a) for a in n.args])
        raise TypeError(f"unknown node {n!r}")  # pragma: no cover - the parser forbids it
    return go(node)
