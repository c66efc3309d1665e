"""The safe expression language used in rubrics.

Expressions look like Python (``git_ops_users_l28d / billable_users``,
``contains(lower(tier), 'ultimate')``) and are parsed with :mod:`ast` into a small tree of our own
node types. Only input columns, literals, arithmetic, comparisons, boolean logic and the functions
in :data:`FUNCTIONS` are accepted; nothing is ever pasted into SQL.
"""
from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Union

from adoptscore.errors import RubricError

# name -> (min args, max args or None, one-line doc). Semantics live in engine/expressions.py.
FUNCTIONS: dict[str, tuple[int, int | None, str]] = {
    "coalesce": (2, None, "first non-null argument"),
    "greatest": (2, None, "largest argument; null if any argument is null"),
    "least": (2, None, "smallest argument; null if any argument is null"),
    "total": (1, None, "sum of the non-null arguments; null when all are null"),
    "count_positive": (1, None, "number of non-null arguments > 0; null when all are null"),
    "abs": (1, 1, "absolute value"),
    "lower": (1, 1, "text in lower case"),
    "upper": (1, 1, "text in upper case"),
    "contains": (2, 2, "whether text contains a substring"),
    "is_null": (1, 1, "whether the argument is null"),
    "nullif": (2, 2, "null when both arguments are equal, else the first"),
}

#: The most tokens (names, numbers, operators, brackets) an expression may have; the longest bundled
#: expression has 19. Parsing, compiling and evaluating an expression recurse over its tree, so a
#: 20,000-term sum would end in a RecursionError: it is refused before it is parsed.
MAX_TOKENS = 1_000
#: The deepest an expression's tree may be (brackets, calls, operators, chains of and/or); bundled: 4.
#: The engine scores 800 levels on this machine: the margin is for the parsers it hands them to.
MAX_DEPTH = 100

ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
COMPARISONS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
               ast.NotEq: "!="}


@dataclass(frozen=True)
class Column:
    name: str
    offset: int = 0


@dataclass(frozen=True)
class Literal:
    value: float | int | str | bool | None


@dataclass(frozen=True)
class BinaryOp:
    op: str  # one of + - * / < <= > >= == != and or
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Not:
    operand: "Expr"


@dataclass(frozen=True)
class Negate:
    operand: "Expr"


@dataclass(frozen=True)
class IsIn:
    operand: "Expr"
    values: tuple[Literal, ...]
    negated: bool = False


@dataclass(frozen=True)
class IfElse:
    condition: "Expr"
    then: "Expr"
    otherwise: "Expr"


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple["Expr", ...]


Expr = Union[Column, Literal, BinaryOp, Not, Negate, IsIn, IfElse, Call]


@dataclass(frozen=True)
class Expression:
    """A parsed expression with its source text."""

    source: str
    tree: Expr = field(compare=False)

    @property
    def columns(self) -> tuple[str, ...]:
        """Referenced columns in order of first appearance."""
        seen: dict[str, None] = {}
        for node in walk(self.tree):
            if isinstance(node, Column):
                seen.setdefault(node.name, None)
        return tuple(seen)

    def __str__(self) -> str:
        return self.source


def walk(node: Expr) -> Iterator[Expr]:
    """Yield every node of a tree, depth first (with a stack: trees are at most :data:`MAX_DEPTH` deep anyway)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(_children(current))))


class ExpressionError(RubricError):
    """An expression that is not in the language; ``column`` is the offset inside the text."""


def parse(source: str | int | float) -> Expression:
    """Parse an expression; raise :class:`ExpressionError` with the offending offset.

    An expression longer than :data:`MAX_TOKENS` tokens or deeper than :data:`MAX_DEPTH` levels is
    refused before anything recurses over it.
    """
    if isinstance(source, bool) or not isinstance(source, (str, int, float)):
        raise ExpressionError(f"expected an expression, got {_shown(source)}")
    text = str(source)
    if not text.strip():
        raise ExpressionError("empty expression", hint="write e.g. 'git_ops_users_l28d'")
    _check_tokens(text.strip())
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        hint = "expressions are a single formula over input columns, e.g. 'a / b'"
        if ";" in text:
            hint = "';' is not allowed: an expression is one formula, never SQL statements"
        elif "=" in text and "==" not in text and not any(o in text for o in ("<=", ">=", "!=")):
            hint = "use == to compare for equality"
        raise ExpressionError(f"invalid expression {_shown(text)}: {exc.msg}",
                              column=(exc.offset or 1), hint=hint) from None
    _check_depth(text, tree.body, ast.iter_child_nodes, lambda node: getattr(node, "col_offset", 0) + 1)
    converted = _convert(tree.body, text)
    _check_depth(text, converted, _children, lambda node: None)  # and/or and comparison chains nest here
    return Expression(text.strip(), converted)


def _shown(text: object, limit: int = 80) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters."""
    shown = repr(text)
    return shown if len(shown) <= limit else shown[:limit - 4] + "...'"


_SIZE_HINT = ("write a shorter formula: total(a, b, ...) sums many columns in one call, or compute the part "
              "upstream as one input column")


def _check_tokens(text: str) -> None:
    """At most :data:`MAX_TOKENS` tokens and :data:`MAX_DEPTH` nested brackets (counted without recursion)."""
    count = depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.COMMENT):
                continue
            count += 1
            if count > MAX_TOKENS:
                raise ExpressionError(f"expression {_shown(text, 40)} is longer than {MAX_TOKENS:,} tokens "
                                      "(names, numbers, operators)", column=token.start[1] + 1, hint=_SIZE_HINT)
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise ExpressionError(f"expression {_shown(text, 40)} nests brackets more than {MAX_DEPTH} deep",
                                          column=token.start[1] + 1, hint=_SIZE_HINT)
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
    except (tokenize.TokenError, SyntaxError):
        return  # not Python tokens (an unclosed bracket): the parser says what is wrong, within the bounds met so far


def _check_depth(text: str, root: Any, children: Callable[[Any], Iterable[Any]],
                 column: Callable[[Any], int | None]) -> None:
    """Refuse a tree deeper than :data:`MAX_DEPTH`, walking it with a stack (not recursion)."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression {_shown(text, 40)} is nested more than {MAX_DEPTH} levels deep "
                                  "(operators, calls, and/or chains)", column=column(node), hint=_SIZE_HINT)
        stack.extend((child, depth + 1) for child in children(node))


def _children(node: Expr) -> Iterator[Expr]:
    """The direct sub-expressions of ``node``."""
    if isinstance(node, BinaryOp):
        yield from (node.left, node.right)
    elif isinstance(node, (Not, Negate, IsIn)):
        yield node.operand
    elif isinstance(node, IfElse):
        yield from (node.condition, node.then, node.otherwise)
    elif isinstance(node, Call):
        yield from node.args


def _err(node: ast.AST, message: str, hint: str | None = None) -> ExpressionError:
    return ExpressionError(message, column=getattr(node, "col_offset", 0) + 1, hint=hint)


def _convert(node: ast.AST, text: str) -> Expr:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (int, float, str, bool)) or node.value is None:
            return Literal(node.value)
        raise _err(node, f"unsupported literal {_shown(node.value)}")
    if isinstance(node, ast.Name):
        if node.id in ("null", "NULL", "None"):
            return Literal(None)
        if node.id in ("true", "True"):
            return Literal(True)
        if node.id in ("false", "False"):
            return Literal(False)
        return Column(node.id, node.col_offset)
    if isinstance(node, ast.BinOp):
        op = ARITHMETIC.get(type(node.op))
        if op is None:
            raise _err(node, f"operator {type(node.op).__name__} is not allowed",
                       hint="use + - * / and the listed functions")
        return BinaryOp(op, _convert(node.left, text), _convert(node.right, text))
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            inner = _convert(node.operand, text)
            if isinstance(inner, Literal) and isinstance(inner.value, (int, float)):
                return Literal(-inner.value)
            return Negate(inner)
        if isinstance(node.op, ast.UAdd):
            return _convert(node.operand, text)
        if isinstance(node.op, ast.Not):
            return Not(_convert(node.operand, text))
        raise _err(node, "operator ~ is not allowed")
    if isinstance(node, ast.BoolOp):
        op = "and" if isinstance(node.op, ast.And) else "or"
        values = [_convert(v, text) for v in node.values]
        result = values[0]
        for value in values[1:]:
            result = BinaryOp(op, result, value)
        return result
    if isinstance(node, ast.Compare):
        return _convert_compare(node, text)
    if isinstance(node, ast.IfExp):
        return IfElse(_convert(node.test, text), _convert(node.body, text),
                      _convert(node.orelse, text))
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise _err(node, "only plain function calls are allowed, e.g. lower(tier)")
        name = node.func.id
        if name not in FUNCTIONS:
            raise _err(node, f"unknown function {name}()",
                       hint="use one of " + ", ".join(sorted(FUNCTIONS)))
        if node.keywords:
            raise _err(node, f"{name}() takes positional arguments only")
        low, high, _ = FUNCTIONS[name]
        count = len(node.args)
        if count < low or (high is not None and count > high):
            want = f"{low}" if low == high else f"{low} or more" if high is None else f"{low}-{high}"
            raise _err(node, f"{name}() takes {want} arguments, got {count}")
        return Call(name, tuple(_convert(a, text) for a in node.args))
    kind = type(node).__name__
    raise _err(node, f"{kind} is not allowed in an expression",
               hint="use columns, numbers, 'text', arithmetic, comparisons, and/or/not and the listed functions")


def _convert_compare(node: ast.Compare, text: str) -> Expr:
    left = _convert(node.left, text)
    result: Expr | None = None
    for op, comparator in zip(node.ops, node.comparators):
        if isinstance(op, (ast.In, ast.NotIn)):
            if not isinstance(comparator, (ast.Tuple, ast.List, ast.Set)):
                raise _err(comparator, "'in' needs a list of literals, e.g. segment in ('SMB', 'Mid-Market')")
            values = []
            for elt in comparator.elts:
                lit = _convert(elt, text)
                if not isinstance(lit, Literal):
                    raise _err(elt, "'in' lists may hold literals only")
                values.append(lit)
            part: Expr = IsIn(left, tuple(values), isinstance(op, ast.NotIn))
            right = left
        else:
            symbol = COMPARISONS.get(type(op))
            if symbol is None:
                raise _err(node, f"comparison {type(op).__name__} is not allowed")
            right = _convert(comparator, text)
            part = BinaryOp(symbol, left, right)
        result = part if result is None else BinaryOp("and", result, part)
        left = right
    assert result is not None
    return result
