"""What a rubric is: typed models validated by pydantic.

A rubric is data (YAML); these models give it types, defaults and validation. Expressions and
bands are kept as the text the author wrote (so they round-trip and show in reports) and parsed on
validation; the parsed forms are available as properties.
"""
from __future__ import annotations

import difflib
from contextvars import ContextVar
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from adoptscore.errors import RubricError
from adoptscore.rubric.bands import COLORS, Interval, check_partition, parse_interval
from adoptscore.rubric.expressions import Expression, parse

Color = Literal["red", "yellow", "green"]
_ID = r"^[a-z][a-z0-9_]*$"


def _custom(exc: RubricError) -> PydanticCustomError:
    return PydanticCustomError("adoptscore", exc.message,
                               {"column": exc.column, "hint": exc.hint})


def _expression(value: Any) -> Any:
    if value is None:
        return value
    try:
        parse(value)
    except RubricError as exc:
        raise _custom(exc) from None
    return str(value)


def _bands(value: dict[str, Any], what: str, *, cover: bool = True) -> dict[str, Any]:
    try:
        check_partition([parse_interval(v) for v in value.values()], what, cover=cover)
    except RubricError as exc:
        raise _custom(exc) from None
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Points(Strict):
    """Points a metric earns for each color."""

    red: float = Field(25, description="points of a Red metric")
    yellow: float = Field(63, description="points of a Yellow metric")
    green: float = Field(88, description="points of a Green metric")

    def of(self, color: str) -> float:
        return float(getattr(self, color))


RANK = {"red": 0, "yellow": 1, "green": 2}


def colors_in_order(colors: list[str], higher_is_better: bool = True) -> bool:
    """Whether colors (ordered by value, low to high) run red -> green (or the reverse)."""
    ranks = [RANK[c] for c in colors]
    if not higher_is_better:
        ranks = ranks[::-1]
    return all(a < b for a, b in zip(ranks, ranks[1:]))


def _check_order(ordered: list[tuple[str, Interval]], direction: str) -> None:
    colors = [color for color, _ in ordered]
    if not colors_in_order(colors, direction == "higher_is_better"):
        order = "red, yellow, green" if direction == "higher_is_better" else "green, yellow, red"
        raise PydanticCustomError(
            "adoptscore", f"bands run {', '.join(colors)} from low to high values, "
            f"but a {direction.replace('_', ' ')} metric needs {order}",
            {"column": None, "hint": "swap the thresholds, or set direction: lower_is_better"})


def _ordered_bands(bands: dict[str, str]) -> list[tuple[str, Interval]]:
    pairs = [(color, parse_interval(text)) for color, text in bands.items()]
    return sorted(pairs, key=lambda p: p[1].sort_key)


class InputColumn(Strict):
    """An input column the rubric reads."""

    type: Literal["count", "number", "text"] = Field(
        "count", description="count: a non-negative number where negatives are failure codes "
        "(missing); number: any number; text: a label. A true/false column in a count or number is read "
        "as 1/0 (a feature flag)")
    description: str | None = None
    required: bool = Field(True, description="when false, a column absent from the data is all missing")


class InputSpec(Strict):
    """How usage data maps onto the rubric."""

    account_id: str = Field("account_id", description="column identifying the account or instance")
    period: str = Field("period", description="column identifying the period (e.g. '2026-10')")
    segments: list[str] = Field(default_factory=list,
                                description="label columns carried into results (segment, industry, tier)")
    columns: dict[str, InputColumn] = Field(default_factory=dict,
                                            description="declared input columns and their types")
    scope: str | None = Field(None, description="only rows where this expression is true are scored")
    negative_is_missing: bool = Field(True, description="negative counts are failure codes: no data")
    layout: Literal["wide", "long"] = Field("wide", description="wide: a column per input; long: "
                                            "one row per account, period and input name")
    name_column: str = Field("metric", description="long layout: column holding the input name")
    value_column: str = Field("value", description="long layout: column holding the value")

    _check_scope = field_validator("scope")(lambda cls, v: _expression(v))

    @cached_property
    def scope_expression(self) -> Expression | None:
        return parse(self.scope) if self.scope else None


class BandCase(Strict):
    """One row of a band table: a range of the key column and the bands that apply there."""

    range: str = Field(description="interval of the key column, e.g. '>= 3 and < 7'")
    bands: dict[Color, str] | None = Field(None, description="color -> interval within this range")
    not_applicable: bool = Field(False, description="the metric does not apply in this range")

    @field_validator("range")
    @classmethod
    def _range(cls, value: str) -> str:
        try:
            parse_interval(value)
        except RubricError as exc:
            raise _custom(exc) from None
        return value

    @field_validator("bands")
    @classmethod
    def _check(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        return None if value is None else _bands(value, "bands")

    @model_validator(mode="after")
    def _one_of(self) -> "BandCase":
        if (self.bands is None) == (not self.not_applicable):
            raise PydanticCustomError("adoptscore", "a band case needs either bands or not_applicable: true",
                                      {"column": None, "hint": None})
        return self

    @cached_property
    def interval(self) -> Interval:
        return parse_interval(self.range)

    @cached_property
    def ordered_bands(self) -> list[tuple[str, Interval]]:
        return _ordered_bands(self.bands or {})


class BandTable(Strict):
    """Bands that depend on another column (License utilization by account age)."""

    by: str = Field(description="the key column, e.g. account_age_months")
    cases: list[BandCase] = Field(min_length=1)

    @model_validator(mode="after")
    def _ranges(self) -> "BandTable":
        try:
            check_partition([c.interval for c in self.cases], f"band table by {self.by}", cover=False)
        except RubricError as exc:
            raise _custom(exc) from None
        return self


class Metric(Strict):
    """A metric: numerator / denominator over input columns, banded into colors."""

    id: str = Field(pattern=_ID, description="identifier (lower case, digits, _), unique in the use case")
    title: str = Field(description="human title")
    description: str | None = Field(None, description="what the metric means, in plain words")
    numerator: str = Field(description="expression over input columns")
    denominator: str | None = Field(None, description="expression over input columns; omit for a plain count")
    unit: Literal["percent", "ratio", "count", "number"] = Field("ratio", description="how the value is shown")
    format: str | None = Field(None, description="Python format spec for display, e.g. '.1%'")
    direction: Literal["higher_is_better", "lower_is_better"] = Field(
        "higher_is_better", description="which way is better; bands must run red to green that way")
    bands: dict[Color, str] | None = Field(None, description="color -> interval, e.g. red: '<= 0.10'")
    bands_by: BandTable | None = Field(None, description="bands that depend on another column")
    zero_denominator: Literal["null", "zero"] = Field(
        "null", description="null: a zero denominator is no data; zero: the value is 0 (GitLab's SQL)")
    cap: float | None = Field(None, description="values above the cap are taken as the cap")
    weight: float = Field(1.0, description="weight in the use case's weighted mean")
    role: Literal["primary", "ancillary"] = Field("primary", description="primary or ancillary (shown as such)")
    recommendation: str | None = Field(None, description="what moves this metric, in the customer's terms")
    numerator_unit: str | None = Field(
        None, description="what the numerator counts, in the customer's words, e.g. 'users running pipelines' "
        "(used to state gaps: '14 more users running pipelines would reach Green')")
    denominator_unit: str | None = Field(None, description="what the denominator counts, e.g. 'billable users'")

    _n = field_validator("numerator")(lambda cls, v: _expression(v))
    _d = field_validator("denominator")(lambda cls, v: _expression(v))

    @field_validator("format")
    @classmethod
    def _check_format(cls, value: str | None) -> str | None:
        # a spec Python cannot apply would only fail later, when a report or deck shows the value
        if value is not None:
            try:
                format(0.5, value)
            except (ValueError, TypeError) as exc:
                raise PydanticCustomError("adoptscore", f"format {value!r} is not a number format: {exc}", {
                    "column": None, "hint": "write a Python format spec such as '.1%', ',.1f' or ',.0f'"}) from None
        return value

    @field_validator("bands")
    @classmethod
    def _check_bands(cls, value: dict[str, str] | None, info: ValidationInfo) -> dict[str, str] | None:
        if value is None:
            return None
        _bands(value, "bands")
        _check_order(_ordered_bands(value), info.data.get("direction", "higher_is_better"))
        return value

    @field_validator("bands_by")
    @classmethod
    def _check_table(cls, value: "BandTable | None", info: ValidationInfo) -> "BandTable | None":
        for case in value.cases if value is not None else []:
            if case.bands is not None:
                _check_order(case.ordered_bands, info.data.get("direction", "higher_is_better"))
        return value

    @model_validator(mode="after")
    def _one_band_source(self) -> "Metric":
        if (self.bands is None) == (self.bands_by is None):
            raise PydanticCustomError("adoptscore", f"metric {self.id}: give exactly one of bands or bands_by",
                                      {"column": None, "hint": "bands: {red: '<= 0.1', ...}"})
        return self

    @cached_property
    def numerator_expression(self) -> Expression:
        return parse(self.numerator)

    @cached_property
    def denominator_expression(self) -> Expression | None:
        return parse(self.denominator) if self.denominator is not None else None

    @cached_property
    def ordered_bands(self) -> list[tuple[str, Interval]]:
        return _ordered_bands(self.bands or {})

    @cached_property
    def columns(self) -> tuple[str, ...]:
        cols = list(self.numerator_expression.columns)
        if self.denominator_expression:
            cols += self.denominator_expression.columns
        if self.bands_by:
            cols.append(self.bands_by.by)
        return tuple(dict.fromkeys(cols))

    @property
    def display_format(self) -> str:
        return self.format or {"percent": ".1%", "ratio": ".2f", "count": ",.0f", "number": ",.2f"}[self.unit]


class UseCase(Strict):
    """A use case: a few metrics aggregated into one score and color."""

    id: str = Field(pattern=_ID, description="identifier (lower case, digits, _), unique in the rubric")
    title: str = Field(description="human title")
    description: str | None = Field(None, description="what adopting this use case means")
    metrics: list[Metric] = Field(min_length=1, description="3 to 7 metrics, as the handbook asks")
    aggregation: Literal["weighted_mean", "worst_of"] = Field(
        "weighted_mean", description="weighted mean of the metrics with data, or the worst of them")
    applies_when: str | None = Field(None, description="expression; false -> not applicable, null -> no data")
    counts_towards_adoption: bool = Field(True, description="a Green here counts as an adopted use case")
    weight: float = Field(1.0, description="weight in the overall score")
    recommendations: list[str] = Field(default_factory=list, description="product features that raise adoption")

    _a = field_validator("applies_when")(lambda cls, v: _expression(v))

    @model_validator(mode="after")
    def _unique(self) -> "UseCase":
        seen: set[str] = set()
        for index, metric in enumerate(self.metrics):
            if metric.id in seen:
                raise PydanticCustomError("adoptscore", f"use case {self.id}: metric id {metric.id} is used twice",
                                          {"column": None, "hint": "give every metric its own id",
                                           "location": ("metrics", index, "id")})
            seen.add(metric.id)
        return self

    @cached_property
    def applies_expression(self) -> Expression | None:
        return parse(self.applies_when) if self.applies_when else None


class Overall(Strict):
    """The overall score: weighted over use cases, re-normalised over those with a score."""

    title: str = Field("Overall", description="name of the overall score (GitLab: Product usage)")
    description: str | None = Field(None, description="how the overall score is formed, in words")


# The columns a rubric declares (name -> type: count, number or text), while that rubric is being
# validated: the roll-up's columns and expressions are checked against them where they are written,
# so an error points at its own line (a rubric that declares no columns is checked against the data).
_DECLARED: ContextVar[dict[str, str] | None] = ContextVar("adoptscore_declared_columns", default=None)


def declared_types(data: Any) -> dict[str, str] | None:
    """name -> type of the columns a raw rubric document declares, or None when it declares none."""
    spec = data.get("input") if isinstance(data, dict) else None
    columns = spec.get("columns") if isinstance(spec, dict) else None
    if not isinstance(columns, dict) or not columns:
        return None
    types = {str(name): str((c or {}).get("type", "count")) if isinstance(c, dict) else "count"
             for name, c in columns.items()}
    for key in ("account_id", "period"):
        types.setdefault(str(spec.get(key, key)), "text")
    for segment in spec.get("segments") or []:
        types.setdefault(str(segment), "text")
    return types


def _kind(node: Any, types: dict[str, str]) -> str | None:
    """What an expression gives: 'text', 'number', 'boolean', or None when unknown."""
    from adoptscore.rubric import expressions as ast

    if isinstance(node, ast.Column):
        kind = types.get(node.name)
        return None if kind is None else ("text" if kind == "text" else "number")
    if isinstance(node, ast.Literal):
        value = node.value
        return None if value is None else "boolean" if isinstance(value, bool) else \
            "text" if isinstance(value, str) else "number"
    if isinstance(node, ast.BinaryOp):
        return "number" if node.op in "+-*/" else "boolean"
    if isinstance(node, (ast.Not, ast.IsIn)):
        return "boolean"
    if isinstance(node, ast.Negate):
        return "number"
    if isinstance(node, ast.IfElse):
        return _kind(node.then, types)
    if isinstance(node, ast.Call):
        if node.function in ("lower", "upper"):
            return "text"
        if node.function in ("contains", "is_null"):
            return "boolean"
        if node.function in ("coalesce", "nullif"):
            return _kind(node.args[0], types)
        return "number"
    return None


def _rollup_column(value: str | None) -> str | None:
    types = _DECLARED.get()
    if value is not None and types is not None and value not in types:
        close = difflib.get_close_matches(value, sorted(types), n=1)
        raise PydanticCustomError("adoptscore", f"unknown column {value!r}", {
            "column": None, "hint": (f"did you mean {close[0]!r}? " if close else "") +
            "declare it under input.columns (ids as type: text) or fix the name"})
    return value


_NUMERIC_FUNCTIONS = ("greatest", "least", "total", "count_positive", "abs")
_TEXT_FUNCTIONS = ("lower", "upper", "contains")


def kind_error(text: str, tree: Any, types: dict[str, str], want: str) -> tuple[str, str, int | None] | None:
    """Where an expression mixes text and numbers, or does not give ``want`` ('number' or 'boolean').

    ``types`` are the declared columns (name -> count, number or text). Returns (message, fix, offset
    of the column at fault from 1, or None), or None when the expression is consistent. Kinds that
    cannot be known (undeclared columns, null) are never an error here.
    """
    from adoptscore.rubric import expressions as ast

    def named(node: Any) -> str:
        return f"text column {node.name!r}" if isinstance(node, ast.Column) else "text"

    def offset(node: Any) -> int | None:
        return node.offset + 1 if isinstance(node, ast.Column) else None

    numbers = "name a numeric column (type count or number under input.columns)"
    for node in ast.walk(tree):
        if isinstance(node, ast.BinaryOp) and node.op in "+-*/":
            for side in (node.left, node.right):
                if _kind(side, types) == "text":
                    return (f"{text!r} does arithmetic ({node.op}) on {named(side)}", numbers, offset(side))
        if isinstance(node, ast.Negate) and _kind(node.operand, types) == "text":
            return f"{text!r} negates {named(node.operand)}", numbers, offset(node.operand)
        if isinstance(node, ast.BinaryOp) and node.op in ("<", "<=", ">", ">=", "==", "!="):
            if {_kind(node.left, types), _kind(node.right, types)} == {"text", "number"}:
                return (f"{text!r} compares text with a number",
                        "quote text values ('production') and compare numbers with numbers", None)
        if isinstance(node, ast.Call) and node.function in _NUMERIC_FUNCTIONS:
            for arg in node.args:
                if _kind(arg, types) == "text":
                    return f"{text!r}: {node.function}() takes numbers, not {named(arg)}", numbers, offset(arg)
        if isinstance(node, ast.Call) and node.function in _TEXT_FUNCTIONS and _kind(node.args[0], types) == "number":
            return (f"{text!r}: {node.function}() takes text, not a number",
                    "give it a text column (type text under input.columns)", offset(node.args[0]))
    got = _kind(tree, types)
    if want == "boolean" and got in ("text", "number"):
        return (f"{text!r} gives a {got}, not true/false",
                "write a condition, e.g. licensed_users > 0 or contains(lower(tier), 'ultimate')", None)
    if want == "number" and got == "text":
        return f"{text!r} gives text, not a number", numbers, None
    return None


def _rollup_expression(value: Any, kind: str) -> Any:
    """A roll-up expression: parsed, and checked against the declared columns (names and types)."""
    from adoptscore.rubric import expressions as ast

    if value is None:
        return value
    text = _expression(value)
    types = _DECLARED.get()
    if types is None:
        return text
    tree = parse(text).tree
    for node in ast.walk(tree):
        if isinstance(node, ast.Column) and node.name not in types:
            _rollup_column_at(node, types)
    problem = kind_error(text, tree, types, kind)
    if problem is not None:
        message, hint, column = problem
        raise PydanticCustomError("adoptscore", message, {"column": column, "hint": hint})
    return text


def _rollup_column_at(node: Any, types: dict[str, str]) -> None:
    close = difflib.get_close_matches(node.name, sorted(types), n=1)
    raise PydanticCustomError("adoptscore", f"unknown column {node.name!r}", {
        "column": node.offset + 1, "hint": (f"did you mean {close[0]!r}? " if close else "") +
        "declare it under input.columns or fix the name"})


class RollupPrimary(Strict):
    """Which instance represents an account (strategy primary) or a subscription (strategy weighted)."""

    where: str | None = Field(
        None, description="expression: instances where it is true are preferred (e.g. instance_type == "
        "'production'); when none is, every instance competes")
    by: str = Field(description="expression: among the preferred instances the highest value wins "
                    "(e.g. billable_users); a null value ranks last, ties go to the lowest instance id")

    _w = field_validator("where")(lambda cls, v: _rollup_expression(v, "boolean"))
    _b = field_validator("by")(lambda cls, v: _rollup_expression(v, "number"))

    @cached_property
    def where_expression(self) -> Expression | None:
        return parse(self.where) if self.where else None

    @cached_property
    def by_expression(self) -> Expression:
        return parse(self.by)


class Rollup(Strict):
    """Several instances (and subscriptions) per account: how their rows become one account row per period.

    Metric values are computed per instance, combined per account, and banded at account level
    (docs/rollup.md).
    """

    strategy: Literal["primary", "weighted"] = Field(
        description="primary: the account is scored on its primary instance; weighted: the primary instance "
        "of each subscription (or every instance, without subscription) is scored and the raw metric "
        "values are averaged, weighted by weight, before the thresholds are applied")
    instance: str = Field(description="column identifying the instance; the data has one row per account, "
                          "instance and period")
    subscription: str | None = Field(
        None, description="weighted: column identifying the subscription an instance belongs to; each "
        "subscription is represented by its primary instance")
    primary: RollupPrimary | None = Field(
        None, description="how the primary instance is chosen (strategy primary, or weighted with subscription)")
    weight: str | None = Field(
        None, description="weighted: expression weighting each subscription's values (e.g. arr); a zero, "
        "negative or missing weight counts as 0")

    _wt = field_validator("weight")(lambda cls, v: _rollup_expression(v, "number"))
    _ids = field_validator("instance", "subscription")(lambda cls, v: _rollup_column(v))

    @model_validator(mode="after")
    def _consistent(self) -> "Rollup":
        def fail(message: str, hint: str) -> None:
            raise PydanticCustomError("adoptscore", message, {"column": None, "hint": hint})

        if self.strategy == "primary":
            if self.primary is None:
                fail("strategy primary needs a primary block saying which instance represents the account",
                     "primary: {where: \"instance_type == 'production'\", by: billable_users}")
            if self.weight is not None or self.subscription is not None:
                fail("strategy primary scores one instance per account: weight and subscription are not used",
                     "remove them, or use strategy: weighted")
        else:
            if self.weight is None:
                fail("strategy weighted needs a weight (the column or expression the values are weighted by)",
                     "weight: arr")
            if self.subscription is not None and self.primary is None:
                fail("strategy weighted with a subscription level needs a primary block saying which instance "
                     "represents each subscription", "primary: {where: \"instance_type == 'production'\", by: billable_users}")
            if self.subscription is None and self.primary is not None:
                fail("primary picks one instance per subscription, but no subscription column is given: "
                     "without it every instance is averaged", "add subscription: <column>, or remove primary")
        ids = [self.instance, self.subscription]
        if self.subscription is not None and len(set(ids)) < 2:
            fail("instance and subscription must be different columns", "name the subscription id column")
        return self

    @property
    def expressions(self) -> list[tuple[str, Expression]]:
        """(field path, expression) of every expression in the block."""
        found: list[tuple[str, Expression]] = []
        if self.primary is not None:
            if self.primary.where_expression is not None:
                found.append(("rollup.primary.where", self.primary.where_expression))
            found.append(("rollup.primary.by", self.primary.by_expression))
        if self.weight is not None:
            found.append(("rollup.weight", parse(self.weight)))
        return found

    @property
    def id_columns(self) -> tuple[str, ...]:
        """The instance (and subscription) id columns."""
        return (self.instance,) if self.subscription is None else (self.instance, self.subscription)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the roll-up reads."""
        cols = list(self.id_columns)
        for _, expression in self.expressions:
            cols += expression.columns
        return tuple(dict.fromkeys(cols))


class Rubric(Strict):
    """A versioned scoring rubric."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="rubric name, carried by every result row")
    version: str = Field(description="version, carried by every result row; bump it on every change")
    title: str | None = Field(None, description="human title")
    description: str | None = Field(None, description="what the rubric measures and where it comes from")
    input: InputSpec = Field(default_factory=InputSpec, description="how usage data maps onto the rubric")
    points: Points = Field(default_factory=Points, description="points per color (default 25 / 63 / 88)")
    score_bands: dict[Color, str] = Field(
        default_factory=lambda: {"red": "<= 50", "yellow": "> 50 and <= 75", "green": "> 75"},
        description="color bands for use-case and overall scores")
    overall: Overall = Field(default_factory=Overall, description="the overall score's title")
    use_cases: list[UseCase] = Field(min_length=1, description="the use cases, each with its metrics")
    provenance: dict[str, Any] | None = Field(None, description="where the thresholds came from")
    rollup: Rollup | None = Field(
        None, description="several instances or subscriptions per account: how they combine into one "
        "account score (docs/rollup.md); omit when the data has one row per account and period")

    @field_validator("score_bands")
    @classmethod
    def _score_bands(cls, value: dict[str, str]) -> dict[str, str]:
        _bands(value, "score_bands")
        if not colors_in_order([c for c, _ in _ordered_bands(value)]):
            raise PydanticCustomError("adoptscore", "score bands must run red, yellow, green from low to high scores",
                                      {"column": None, "hint": "e.g. red: '<= 50', yellow: '> 50 and <= 75', green: '> 75'"})
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _with_declared_columns(cls, data: Any, handler: Any) -> "Rubric":
        token = _DECLARED.set(declared_types(data))
        try:
            return handler(data)
        finally:
            _DECLARED.reset(token)

    @field_validator("rollup")
    @classmethod
    def _check_rollup(cls, value: "Rollup | None", info: ValidationInfo) -> "Rollup | None":
        spec = info.data.get("input")
        if value is None or spec is None:
            return value

        def fail(message: str, hint: str) -> None:
            raise PydanticCustomError("adoptscore", message, {"column": None, "hint": hint})

        if spec.layout != "wide":
            fail("a roll-up needs wide input (one row per account, instance and period)",
                 "use input.layout: wide, or pivot the data first")
        taken = {spec.account_id: "input.account_id", spec.period: "input.period"}
        for field_name, name in (("instance", value.instance), ("subscription", value.subscription)):
            if name in taken:
                fail(f"rollup.{field_name}: column {name!r} is already {taken[name]}",
                     f"name the {field_name} id column")
        return value

    @model_validator(mode="after")
    def _unique(self) -> "Rubric":
        seen: set[str] = set()
        for index, use_case in enumerate(self.use_cases):
            if use_case.id in seen:
                # ctx location: where below the model the error is, for the loader's line and column
                raise PydanticCustomError("adoptscore", f"use case id {use_case.id} is used twice",
                                          {"column": None, "hint": "give every use case its own id",
                                           "location": ("use_cases", index, "id")})
            seen.add(use_case.id)
        return self

    @cached_property
    def ordered_score_bands(self) -> list[tuple[str, Interval]]:
        return _ordered_bands(self.score_bands)

    @property
    def metrics(self) -> list[tuple[UseCase, Metric]]:
        return [(u, m) for u in self.use_cases for m in u.metrics]

    def use_case(self, use_case_id: str) -> UseCase:
        for use_case in self.use_cases:
            if use_case.id == use_case_id:
                return use_case
        raise KeyError(use_case_id)

    @property
    def referenced_columns(self) -> tuple[str, ...]:
        """Every input column an expression, band table or the input mapping refers to."""
        cols: list[str] = [self.input.account_id, self.input.period, *self.input.segments]
        if self.input.scope_expression:
            cols += self.input.scope_expression.columns
        for use_case in self.use_cases:
            if use_case.applies_expression:
                cols += use_case.applies_expression.columns
            for metric in use_case.metrics:
                cols += metric.columns
        if self.rollup is not None:
            cols += self.rollup.columns
        return tuple(dict.fromkeys(cols))

    @property
    def optional_columns(self) -> frozenset[str]:
        """Input columns the data may lack (read as all missing): those declared ``required: false``,
        and segment columns that only label results (no expression, band table or roll-up reads
        them) unless declared."""
        spec = self.input
        read = {spec.account_id, spec.period}
        if spec.scope_expression:
            read.update(spec.scope_expression.columns)
        for use_case in self.use_cases:
            if use_case.applies_expression:
                read.update(use_case.applies_expression.columns)
            for metric in use_case.metrics:
                read.update(metric.columns)
        if self.rollup is not None:
            read.update(self.rollup.columns)
        labels = {s for s in spec.segments if s not in read and s not in spec.columns}
        return frozenset(labels | {name for name, c in spec.columns.items() if not c.required})

    @property
    def row_keys(self) -> tuple[str, ...]:
        """The columns that identify one input row: account and period, plus the instance with a roll-up."""
        spec = self.input
        if self.rollup is None:
            return (spec.account_id, spec.period)
        return (spec.account_id, self.rollup.instance, spec.period)


assert set(COLORS) == {"red", "yellow", "green"}
