"""Compiling a rubric into backend-agnostic SQL: named stages, the three result tables, and a wide result.

The plan is a chain of flat projections ("stages"), each an Ibis expression over the (unbound)
table the stage before produced. Each stage is compiled on its own and the stages are chained as
common table expressions, so no expression is repeated in the SQL, compile time grows linearly
with the rubric, and a warehouse user can read the query stage by stage:

- prepared: referenced columns only, ids as text, failure codes as null, the rubric's scope;
- metric stages: numerator and denominator; the guarded value; one outcome code per metric
  (0 = scored, otherwise the first reason it is not); the value rounded for banding; color code;
  points;
- use-case stages: weighted sums; score; rounded score; color, status and reason codes;
- overall stages: weighted over the use cases that have a score.

Colors, statuses and reasons travel as small integer codes and become text only in the result
tables. ``metrics`` and ``use_cases`` unnest an array of structs (one per metric or use case);
``wide`` keeps one row per account and period, from which :mod:`adoptscore.engine.writer` cuts all
three tables in one pass. See docs/scoring-semantics.md for the contract this implements.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import ibis
import ibis.backends.sql.compilers as sql_compilers
import ibis.expr.operations as ops
import ibis.expr.types as ir
import sqlglot

from adoptscore.engine import cache
from adoptscore.engine.dialects import dialect as dialect_traits
from adoptscore.engine.expressions import compile_expression
from adoptscore.rubric.bands import Interval
from adoptscore.rubric.models import Metric, Rubric, UseCase

# Banding happens on values rounded to this many decimals, so floating-point noise
# (49.99999999999999) cannot move a value across a band edge.
BAND_DECIMALS = 9
ACCOUNT, PERIOD = "account_id", "period"
# with a roll-up: the instance and subscription ids (text) while rows are still per instance
INSTANCE, SUBSCRIPTION = "__inst", "__sub"
NO_SCORE = ibis.null("float64")
NO_TEXT = ibis.null("string")
SOURCE = "source"


@dataclass(frozen=True)
class Stage:
    """One flat projection: an Ibis expression over the (unbound) table named after the stage before."""

    name: str
    expr: ir.Table


@dataclass(frozen=True)
class MetricColumns:
    """Where one metric lives in the wide result: columns ``{key}_n``, ``_d``, ``_v``, ``_c`` (color
    code), ``_p``, ``_na`` and ``_code`` (0 scored, i: ``reasons[i - 1]``)."""

    use_case: str
    metric: str
    key: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class UseCaseColumns:
    """Where one use case lives in the wide result: ``{key}_s``, ``_c``, ``_st``, ``_cov``, ``_n``,
    ``_a`` and ``_r`` (reason code into ``reasons``)."""

    use_case: str
    key: str
    reasons: tuple[str | None, ...]


@dataclass(frozen=True)
class WideLayout:
    """The columns of the ``wide`` output, from which all three result tables can be built in one pass."""

    segments: tuple[str, ...]
    metrics: tuple[MetricColumns, ...]
    use_cases: tuple[UseCaseColumns, ...]


@dataclass(frozen=True)
class Plan:
    """The Ibis side of a compiled rubric: the stages, the result tables, the wide layout and the
    sizes of the small index tables the long results are cut with (name -> rows)."""

    stages: tuple[Stage, ...]
    outputs: dict[str, Stage]
    layout: WideLayout | None
    indexes: dict[str, int]


class CompiledRubric:
    """A rubric compiled over a source schema: named stages and the three result tables.

    Each stage is compiled to SQL on its own and the stages are chained as common table
    expressions, so compile time grows linearly with the rubric and the SQL reads stage by stage.
    The SQL texts, the tables each stage reads, the columns and the layout are kept on disk
    (:mod:`adoptscore.engine.cache`): a later process asking for the same rubric over the same
    schema builds no Ibis expression for them.
    """

    def __init__(self, rubric: Rubric, source_schema: ibis.Schema, *, cache_key: str | None = None):
        self.rubric = rubric
        self.source_schema = source_schema
        self._plan: Plan | None = None
        self._cache_key = cache_key
        self._record: dict | None = None
        self._lock = threading.RLock()

    # -- the Ibis plan, built only when a text is not already known ----------------------------
    @property
    def plan(self) -> Plan:
        with self._lock:
            if self._plan is None:
                self._plan = _build_plan(self.source_schema, self.rubric)
            return self._plan

    @property
    def stages(self) -> tuple[Stage, ...]:
        return self.plan.stages

    @property
    def outputs(self) -> dict[str, Stage]:
        return self.plan.outputs

    @cached_property
    def layout(self) -> WideLayout | None:
        data = self._known()["layout"]
        return _layout_from(data) if data is not None else None

    @property
    def indexes(self) -> dict[str, int]:
        return dict(self._known()["indexes"])

    def _known(self) -> dict:
        """The record: per named stage or result table the tables it reads, its columns and whether
        it is a plan stage; the layout; the SQL texts compiled so far, per dialect."""
        with self._lock:
            if self._record is None:
                record = cache.read(self._cache_key) if self._cache_key else None
                if record is None:
                    record = _describe(self.plan)
                    self._save(record)
                self._record = record
            return self._record

    def _save(self, record: dict) -> None:
        if self._cache_key:
            cache.write(self._cache_key, record)

    def _text(self, name: str, dialect: str, pretty: bool) -> tuple[str, bool]:
        """The SQL of one named stage or result table, and whether it had to be compiled."""
        texts = self._known()["sql"].setdefault(f"{dialect}|{int(pretty)}", {})
        if name in texts:
            return texts[name], False
        named = {stage.name: stage for stage in self.plan.stages} | self.plan.outputs
        texts[name] = _stage_sql(named[name].expr, dialect, pretty)
        return texts[name], True

    def sql(self, output: "str | Stage", dialect: str, *, source_sql: str | None = None, pretty: bool = True) -> str:
        """SQL for ``output`` in ``dialect``: a result table name, a stage name, or a :class:`Stage`
        whose expression reads stages or result tables by name (an aggregate over the scores).

        ``source_sql`` is the query reading the usage data; by default the SQL reads a table named
        ``source``. Every table the query reads (stages, result tables, the small index tables the
        long results are cut with) becomes one common table expression, in dependency order.
        """
        with self._lock:
            record = self._known()
            tables, indexes = record["tables"], record["indexes"]
            if isinstance(output, Stage):
                final_reads = _reads(output)
            elif output in tables:
                final_reads = tables[output]["reads"]
            else:
                raise KeyError(output)
            ctes: list[tuple[str, str]] = [(SOURCE, source_sql)] if source_sql is not None else []
            seen: set[str] = {SOURCE}
            compiled = False

            def text(name: str) -> str:
                nonlocal compiled
                sql, fresh = self._text(name, dialect, pretty)
                compiled = compiled or fresh
                return sql

            def visit(reads: list[str]) -> None:
                for name in reads:
                    if name in seen:
                        continue
                    seen.add(name)
                    if name in indexes:
                        ctes.append((name, _index_sql(indexes[name], dialect, pretty)))
                    elif name in tables:
                        visit(tables[name]["reads"])
                        ctes.append((name, text(name)))

            visit(final_reads)
            if isinstance(output, Stage):
                body = _stage_sql(output.expr, dialect, pretty)
            elif tables[output]["stage"]:
                # a stage of the plan is itself a CTE, so the query reads like the plan
                ctes.append((output, text(output)))
                body = f"SELECT * FROM {_quote(output, dialect)}"
            else:
                body = text(output)
            if compiled:
                self._save(record)
        with_clause = ",\n".join(f"{_quote(name, dialect)} AS (\n{sql}\n)" for name, sql in ctes)
        return f"WITH {with_clause}\n{body}" if ctes else body

    def cut_sql(self, output: str, kept: str, dialect: str, *, pretty: bool = True) -> str:
        """SQL for result table ``output`` read from the ``wide`` result already kept in table
        ``kept`` (a name the backend resolves as it is, e.g. a temporary table): the plan is then
        computed once for all three tables instead of once per table."""
        layout = self.layout
        if layout is None:
            raise KeyError(output)
        wide = ibis.table(self._schema("wide"), name=kept)
        stage = Stage(output, result_tables(self.rubric, layout, wide, wide, wide)[output])
        indexes = self.indexes
        ctes = [(name, _index_sql(indexes[name], dialect, pretty)) for name in _reads(stage) if name in indexes]
        body = _stage_sql(stage.expr, dialect, pretty)
        with_clause = ",\n".join(f"{_quote(name, dialect)} AS (\n{sql}\n)" for name, sql in ctes)
        return f"WITH {with_clause}\n{body}" if ctes else body

    def stage_table(self, name: str) -> ir.Table:
        """An unbound Ibis table with the columns of a stage or result table, to build queries over it."""
        return ibis.table(self._schema(name), name=name)

    def _schema(self, name: str) -> ibis.Schema:
        tables = self._known()["tables"]
        if name not in tables:
            raise KeyError(name)
        return ibis.schema([(column, dtype) for column, dtype in tables[name]["columns"]])


def _describe(plan: Plan) -> dict:
    """What a later process needs of a plan without building it, as JSON-ready data."""
    tables = {}
    for stage, is_stage in [*((s, True) for s in plan.stages), *((s, False) for s in plan.outputs.values())]:
        tables[stage.name] = {"reads": _reads(stage), "stage": is_stage,
                              "columns": [[column, str(dtype)] for column, dtype in stage.expr.schema().items()]}
    layout = None if plan.layout is None else {
        "segments": list(plan.layout.segments),
        "metrics": [[m.use_case, m.metric, m.key, list(m.reasons)] for m in plan.layout.metrics],
        "use_cases": [[u.use_case, u.key, list(u.reasons)] for u in plan.layout.use_cases]}
    return {"tables": tables, "layout": layout, "indexes": dict(plan.indexes), "sql": {}}


def _layout_from(data: dict) -> WideLayout:
    return WideLayout(tuple(data["segments"]),
                      tuple(MetricColumns(u, m, k, tuple(r)) for u, m, k, r in data["metrics"]),
                      tuple(UseCaseColumns(u, k, tuple(r)) for u, k, r in data["use_cases"]))


def _reads(stage: Stage) -> list[str]:
    """Names of the tables a stage's expression reads, in order of appearance."""
    names: list[str] = []
    for node in stage.expr.op().find(ops.UnboundTable):
        if node.name not in names:
            names.append(node.name)
    return names


@lru_cache(maxsize=4096)
def _stage_sql(expr: ir.Table, dialect: str, pretty: bool = True) -> str:
    compiler = getattr(sql_compilers, dialect).compiler
    tree = compiler.to_sqlglot(expr.unbind()).transform(_typed_real)
    sql = tree.sql(dialect=compiler.dialect, pretty=pretty)
    fence = dialect_traits(dialect).stage_fence
    return f"{sql}\n{fence}" if fence else sql


def _typed_real(node: sqlglot.exp.Expression) -> sqlglot.exp.Expression:
    """Write every fractional number as an explicit DOUBLE.

    A bare ``1.0`` is a DECIMAL in Spark, Snowflake, PostgreSQL and DuckDB: weights and points
    summed and divided as decimals come out rounded to the dialect's decimal scale (Spark keeps
    6 digits), so the same rubric would score differently per backend. Typed, every backend
    computes in IEEE doubles.
    """
    if (isinstance(node, sqlglot.exp.Literal) and not node.is_string and not isinstance(node.parent, sqlglot.exp.Cast)
            and any(c in node.this for c in ".eE")):
        return sqlglot.exp.cast(node.copy(), sqlglot.exp.DataType.build("double"))
    return node


def _quote(name: str, dialect: str) -> str:
    return sqlglot.exp.to_identifier(name, quoted=True).sql(dialect=dialect_traits(dialect).sqlglot)


INDEX_COLUMN = "__i"


def _index_sql(rows: int, dialect: str, pretty: bool) -> str:
    """A small table of row numbers ``0 .. rows - 1``, as portable SQL (UNION ALL of constant SELECTs)."""
    selects = [sqlglot.select(sqlglot.exp.cast(sqlglot.exp.Literal.number(i), "smallint").as_(INDEX_COLUMN, quoted=True))
               for i in range(rows)]
    query = selects[0]
    for select in selects[1:]:
        query = sqlglot.exp.union(query, select, distinct=False)
    return query.sql(dialect=dialect_traits(dialect).sqlglot, pretty=pretty)


def in_interval(value: ir.NumericValue, interval: Interval) -> ir.BooleanValue:
    """Whether ``value`` lies in ``interval`` (null when value is null)."""
    condition: ir.BooleanValue | None = None
    if interval.low is not None:
        condition = value >= interval.low if interval.low_inclusive else value > interval.low
    if interval.high is not None:
        upper = value <= interval.high if interval.high_inclusive else value < interval.high
        condition = upper if condition is None else condition & upper
    return condition if condition is not None else value.notnull()


# Colors travel through the plan as small integers (their rank) and become text only in the
# result tables: integer CASEs and comparisons are much cheaper than strings on every backend.
COLOR_CODE = {"red": 0, "yellow": 1, "green": 2}
NO_CODE = ibis.null("int8")


def _code(value: int) -> ir.IntegerValue:
    return ibis.literal(value, "int8")


def band(rounded: ir.NumericValue, ordered: list[tuple[str, Interval]]) -> ir.IntegerValue:
    """Color code of an (already rounded) value, given contiguous bands ordered low to high."""
    branches = [(rounded.isnull(), NO_CODE)]
    for color, interval in ordered[:-1]:
        edge = rounded <= interval.high if interval.high_inclusive else rounded < interval.high
        branches.append((edge, _code(COLOR_CODE[color])))
    return ibis.cases(*branches, else_=_code(COLOR_CODE[ordered[-1][0]]))


def color_text(code: ir.IntegerValue) -> ir.StringValue:
    """The color name of a color code (null stays null)."""
    return ibis.cases(*[(code == _code(c), ibis.literal(name)) for name, c in COLOR_CODE.items()], else_=NO_TEXT)


STATUS = ("scored", "no_data", "not_applicable")


def use_case_reasons(use_case: UseCase) -> tuple[str | None, ...]:
    """Reason texts of a use case, indexed by its reason code (0: scored, no reason)."""
    applies = use_case.applies_when
    return (None, "no metric has data", "no metric applies",
            f"applicability unknown: {applies}" if applies else None, f"not applicable: {applies}" if applies else None)


def text_of(code: ir.IntegerValue, texts: tuple[str | None, ...]) -> ir.StringValue:
    """The text a code stands for (null for a null code or a code meaning 'none')."""
    return ibis.cases(*[(code == _code(i), ibis.literal(t)) for i, t in enumerate(texts) if t is not None],
                      else_=NO_TEXT)


def _sum(terms: list[ir.Value]) -> ir.Value:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _count(conditions: list[ir.BooleanValue]) -> ir.IntegerValue:
    """How many conditions are true, as BIGINT on every backend."""
    if not conditions:
        return ibis.literal(0, "int32").cast("int64")
    # Ibis types the sum as int64 but writes it without a cast, and backends compute INTEGER:
    # going through int32 makes Ibis emit the cast to BIGINT.
    total = _sum([ibis.cases((c, ibis.literal(1, "int32")), else_=ibis.literal(0, "int32")) for c in conditions])
    return total.cast("int32").cast("int64")


def _cols(label: str, names: tuple[str, ...]) -> str:
    return f"{label} ({', '.join(names)})"


@dataclass
class _Outcome:
    """The ways a metric can end up unscored, in order of precedence: (condition, is n/a, reason)."""

    branches: list[tuple[ir.BooleanValue, bool, str]] = field(default_factory=list)

    def add(self, condition: ir.BooleanValue, not_applicable: bool, reason: str) -> None:
        self.branches.append((condition, not_applicable, reason))


def data_reasons(metric: Metric) -> list[str]:
    """Why a metric's value is missing although it applies, in order of precedence."""
    reasons = [_cols("numerator missing", metric.numerator_expression.columns)]
    if metric.denominator_expression is not None:
        columns = metric.denominator_expression.columns
        reasons.append(_cols("denominator missing", columns))
        if metric.zero_denominator == "null":
            reasons.append(_cols("denominator is zero", columns))
    return reasons


def data_checks(metric: Metric, numerator: ir.Value, denominator: ir.Value) -> list[tuple[ir.BooleanValue, str]]:
    """The conditions of :func:`data_reasons`: (condition, reason)."""
    conditions = [numerator.isnull()]
    if metric.denominator_expression is not None:
        conditions.append(denominator.isnull())
        if metric.zero_denominator == "null":
            conditions.append(denominator == 0)
    return list(zip(conditions, data_reasons(metric)))


def prepare(table: ir.Table, rubric: Rubric) -> ir.Table:
    """Select referenced columns, cast ids to text, null out failure codes and numbers that are not
    finite (NaN, inf, -inf), apply the scope."""
    spec = rubric.input
    declared = spec.columns
    renamed = _renames(rubric)
    # ids (account, period, and with a roll-up the instance and subscription) are text under fixed names
    selections: dict[str, ir.Value] = {canonical: table[name].cast("string") for name, canonical in renamed.items()}
    for name in rubric.referenced_columns:
        if name in renamed or name in selections:
            continue
        column = table[name]
        kind = declared[name].type if name in declared else ("text" if column.type().is_string() else "count")
        if kind == "text":
            selections[name] = column.cast("string")
            continue
        missing: list[ir.BooleanValue] = []
        if column.type().is_floating():
            # NaN and +-inf are no data: SQL engines order NaN above every number and inf / x stays
            # inf, so either would band as Green. x - x is NaN exactly when x is NaN or +-inf; one
            # test every backend compiles alike (Ibis writes Spark's isinf as FALSE)
            missing.append((column - column).isnan())
        if kind == "count" and spec.negative_is_missing:
            missing.append(column < 0)
        selections[name] = (ibis.cases(*[(m, ibis.null(column.type())) for m in missing], else_=column)
                            if missing else column)
    prepared = table.select(**selections)
    if spec.scope_expression is not None:
        prepared = prepared.filter(compile_expression(spec.scope_expression.tree, _resolver(prepared, rubric)))
    return prepared


def _renames(rubric: Rubric) -> dict[str, str]:
    """The id and period columns live on under their canonical names; expressions use the data's."""
    names = {rubric.input.account_id: ACCOUNT, rubric.input.period: PERIOD}
    if rubric.rollup is not None:
        names[rubric.rollup.instance] = INSTANCE
        if rubric.rollup.subscription is not None:
            names[rubric.rollup.subscription] = SUBSCRIPTION
    return names


def _resolver(table: ir.Table, rubric: Rubric):
    """Column lookup for expressions over ``table``."""
    renamed = _renames(rubric)
    return lambda name: table[renamed.get(name, name)]


def capped(metric: Metric, value: ir.Value) -> ir.Value:
    """``value`` limited to the metric's cap, no data staying no data."""
    if metric.cap is None:
        return value
    # Guard before capping: LEAST ignores nulls on some backends, turning no data into the cap.
    return ibis.cases((value.isnull(), NO_SCORE), else_=ibis.least(value, metric.cap))


class _Plan:
    """Builds the stages for one rubric over one prepared table."""

    def __init__(self, rubric: Rubric, prepared: ir.Table):
        self.rubric = rubric
        self.stages: list[Stage] = [Stage("prepared", prepared)]
        self.t = ibis.table(prepared.schema(), name="prepared")
        self.metric_keys = {(u.id, m.id): f"__m{ui}_{mi}" for ui, u in enumerate(rubric.use_cases)
                            for mi, m in enumerate(u.metrics)}
        self.use_case_keys = {u.id: f"__u{ui}" for ui, u in enumerate(rubric.use_cases)}
        self.reasons: dict[str, list[tuple[bool, str]]] = {}
        # codes (besides 0) under which a metric is still scored: a reason that is a note, not a failure
        self.scored_codes: dict[str, list[int]] = {}
        band_keys = [m.bands_by.by for _, m in rubric.metrics if m.bands_by is not None]
        self.renamed = _renames(rubric)
        self.carried = {ACCOUNT, PERIOD, *rubric.input.segments, *band_keys}

    def stage(self, columns: dict[str, ir.Value], *, drop: tuple[str, ...] = (), raw: bool = False,
              name: str | None = None) -> None:
        """Add ``columns``; carry forward only what later stages read.

        ``drop`` lists suffixes of working columns no later stage needs; ``raw`` drops the input
        columns too (except ids, segments and band-table keys). Narrow stages keep both the SQL and
        Ibis's compile time small.
        """
        keep = [c for c in self.t.columns
                if not c.endswith(drop) and (not raw or c.startswith("__") or c in self.carried)]
        self.add(name or f"stage_{len(self.stages)}", self.t.select(*keep, **columns))

    def add(self, name: str, expr: ir.Table) -> None:
        """Add a stage of any shape (a filter, an aggregate) over :attr:`t`; later stages read it by name."""
        stage = Stage(name, expr)
        self.stages.append(stage)
        self.t = ibis.table(stage.expr.schema(), name=stage.name)

    def col(self, name: str) -> ir.Value:
        return self.t[self.renamed.get(name, name)]

    # -- metrics -----------------------------------------------------------------------------
    def metric_inputs(self) -> None:
        columns: dict[str, ir.Value] = {}
        for use_case in self.rubric.use_cases:
            if use_case.applies_expression is not None:
                columns[f"{self.use_case_keys[use_case.id]}_app"] = compile_expression(
                    use_case.applies_expression.tree, self.col)
            for metric in use_case.metrics:
                key = self.metric_keys[(use_case.id, metric.id)]
                columns[f"{key}_n"] = compile_expression(metric.numerator_expression.tree, self.col).cast("float64")
                columns[f"{key}_d"] = (compile_expression(metric.denominator_expression.tree, self.col).cast("float64")
                                       if metric.denominator_expression is not None else NO_SCORE)
        self.stage(name="metric_inputs", columns=columns, raw=True)

    def metric_values(self) -> None:
        columns: dict[str, ir.Value] = {}
        for use_case, metric in self.rubric.metrics:
            key = self.metric_keys[(use_case.id, metric.id)]
            numerator, denominator = self.col(f"{key}_n"), self.col(f"{key}_d")
            if metric.denominator_expression is None:
                value = numerator
            else:
                on_zero = ibis.literal(0.0) if metric.zero_denominator == "zero" else NO_SCORE
                value = ibis.cases((numerator.isnull() | denominator.isnull(), NO_SCORE),
                                   (denominator == 0, on_zero), else_=numerator / denominator)
            columns[f"{key}_v0"] = value
        self.stage(name="metric_values", columns=columns)

    def metric_codes(self) -> None:
        columns: dict[str, ir.Value] = {}
        for use_case, metric in self.rubric.metrics:
            key = self.metric_keys[(use_case.id, metric.id)]
            columns[f"{key}_v"] = capped(metric, self.col(f"{key}_v0"))
            outcome = self._outcome(use_case, metric, key)
            self.reasons[key] = [(na, reason) for _, na, reason in outcome.branches]
            # Most rows are scored: test that first, so a row needs one check rather than all of them.
            columns[f"{key}_code"] = ibis.cases(
                (self._scored(use_case, metric, key), _code(0)),
                *[(cond, _code(i + 1)) for i, (cond, _, _) in enumerate(outcome.branches)],
                else_=_code(0))
        self.stage(name="metric_codes", columns=columns)

    def _scored(self, use_case: UseCase, metric: Metric, key: str) -> ir.BooleanValue:
        """True exactly when no branch of :meth:`_outcome` applies (a sufficient fast check)."""
        condition = self.col(f"{key}_v0").notnull()
        if use_case.applies_expression is not None:
            condition = condition & self.col(f"{self.use_case_keys[use_case.id]}_app").fill_null(False)
        if metric.bands_by is not None:
            condition = condition & self.banded(metric)
        return condition

    def banded(self, metric: Metric) -> ir.BooleanValue:
        """Whether the band-table key falls in a case that has bands (false when the key is null)."""
        key_column = self.col(metric.bands_by.by)
        inside = [in_interval(key_column, c.interval) for c in metric.bands_by.cases if c.bands is not None]
        any_scored = inside[0]
        for part in inside[1:]:
            any_scored = any_scored | part
        return any_scored.fill_null(False)

    def _outcome(self, use_case: UseCase, metric: Metric, key: str) -> _Outcome:
        outcome = self.account_outcome(use_case, metric)
        for condition, reason in data_checks(metric, self.col(f"{key}_n"), self.col(f"{key}_d")):
            outcome.add(condition, False, reason)
        return outcome

    def account_outcome(self, use_case: UseCase, metric: Metric) -> _Outcome:
        """The ways a metric is not scored that depend on the account's attributes (applicability, the
        band-table key), in order of precedence; the data checks come after them."""
        outcome = _Outcome()
        if use_case.applies_expression is not None:
            applies = self.col(f"{self.use_case_keys[use_case.id]}_app")
            outcome.add(applies == ibis.literal(False), True, f"not applicable: {use_case.applies_when}")
            outcome.add(applies.isnull(), False, f"applicability unknown: {use_case.applies_when}")
        if metric.bands_by is not None:
            table = metric.bands_by
            key_column = self.col(table.by)
            for case in table.cases:
                if case.not_applicable:
                    outcome.add(in_interval(key_column, case.interval), True, f"not applicable: {table.by} {case.range}")
            inside_any = None
            for case in table.cases:
                inside = in_interval(key_column, case.interval)
                inside_any = inside if inside_any is None else inside_any | inside
            outcome.add(key_column.notnull() & ~inside_any, True, f"not applicable: {table.by} outside every band case")
            outcome.add(key_column.isnull(), False, f"{table.by} missing")
        return outcome

    def metric_reasons(self) -> None:
        columns: dict[str, ir.Value] = {}
        for use_case, metric in self.rubric.metrics:
            key = self.metric_keys[(use_case.id, metric.id)]
            code = self.col(f"{key}_code")
            branches = self.reasons[key]
            columns[f"{key}_r"] = ibis.cases((code == _code(0), NO_TEXT),
                                             *[(code == _code(i + 1), ibis.literal(text))
                                               for i, (_, text) in enumerate(branches)], else_=NO_TEXT)
            na_codes = [i + 1 for i, (na, _) in enumerate(branches) if na]
            columns[f"{key}_na"] = (ibis.cases((code == _code(0), False), else_=code.isin(na_codes))
                                    if na_codes else ibis.literal(False))
            columns[f"{key}_vr"] = self.col(f"{key}_v").round(BAND_DECIMALS)
        self.stage(name="metric_reasons", columns=columns, drop=("_v0",))

    def metric_colors(self) -> None:
        columns: dict[str, ir.Value] = {}
        for use_case, metric in self.rubric.metrics:
            key = self.metric_keys[(use_case.id, metric.id)]
            rounded, code = self.col(f"{key}_vr"), self.col(f"{key}_code")
            if metric.bands_by is not None:
                key_column = self.col(metric.bands_by.by)
                color = ibis.cases(*[(in_interval(key_column, c.interval), band(rounded, c.ordered_bands))
                                     for c in metric.bands_by.cases if c.bands is not None], else_=NO_CODE)
            else:
                color = band(rounded, metric.ordered_bands)
            scored = code == _code(0)
            for extra in self.scored_codes.get(key, []):
                scored = scored | (code == _code(extra))
            columns[f"{key}_c"] = ibis.cases((scored, color), else_=NO_CODE)
        self.stage(name="metric_colors", columns=columns, drop=("_vr",))

    def metric_points(self) -> None:
        points = self.rubric.points
        columns: dict[str, ir.Value] = {}
        for use_case, metric in self.rubric.metrics:
            key = self.metric_keys[(use_case.id, metric.id)]
            color = self.col(f"{key}_c")
            columns[f"{key}_p"] = ibis.cases(*[(color == _code(code), ibis.literal(points.of(name), "float64"))
                                               for name, code in COLOR_CODE.items()], else_=NO_SCORE)
        self.stage(name="metric_points", columns=columns)

    # -- use cases ---------------------------------------------------------------------------
    def use_case_sums(self) -> None:
        columns: dict[str, ir.Value] = {}
        for use_case in self.rubric.use_cases:
            u = self.use_case_keys[use_case.id]
            keys = [self.metric_keys[(use_case.id, m.id)] for m in use_case.metrics]
            weights = [float(m.weight) for m in use_case.metrics]
            points = [self.col(f"{k}_p") for k in keys]
            columns[f"{u}_tot"] = _sum([ibis.cases((p.notnull(), p * w), else_=0.0) for p, w in zip(points, weights)])
            columns[f"{u}_w"] = _sum([ibis.cases((p.notnull(), w), else_=0.0) for p, w in zip(points, weights)])
            columns[f"{u}_aw"] = _sum([ibis.cases((self.col(f"{k}_na"), 0.0), else_=w) for k, w in zip(keys, weights)])
            columns[f"{u}_n"] = _count([p.notnull() for p in points])
            if use_case.aggregation == "worst_of":
                # Points are finite, so a +inf stand-in for "no data" never wins; LEAST then sees no nulls.
                columns[f"{u}_min"] = ibis.least(*[p.fill_null(float("inf")) for p in points]) if len(points) > 1 \
                    else points[0]
        self.stage(name="use_case_sums", columns=columns, drop=("_r",))

    def use_case_scores(self) -> None:
        columns: dict[str, ir.Value] = {}
        for use_case in self.rubric.use_cases:
            u = self.use_case_keys[use_case.id]
            weight = self.col(f"{u}_w")
            mean = self.col(f"{u}_min") if use_case.aggregation == "worst_of" else self.col(f"{u}_tot") / weight
            columns[f"{u}_s"] = ibis.cases((weight > 0, mean), else_=NO_SCORE)
            applicable = self.col(f"{u}_aw")
            columns[f"{u}_cov"] = ibis.cases((applicable > 0, weight / applicable), else_=NO_SCORE)
            # status and reason as codes into STATUS and use_case_reasons(); text only in the results
            no_data, not_applicable = _code(1), _code(2)
            if use_case.applies_expression is not None:
                applies = self.col(f"{u}_app")
                no_data = ibis.cases((applies.isnull(), _code(3)), else_=no_data)
                not_applicable = ibis.cases((applies == ibis.literal(False), _code(4)), else_=not_applicable)
            columns[f"{u}_st"] = ibis.cases((weight > 0, _code(0)), (applicable == 0, _code(2)), else_=_code(1))
            columns[f"{u}_r"] = ibis.cases((weight > 0, _code(0)), (applicable == 0, not_applicable), else_=no_data)
        self.stage(name="use_case_scores", columns=columns)
        self.stage(name="use_case_rounded", columns={f"{u}_sr": self.col(f"{u}_s").round(BAND_DECIMALS) for u in self.use_case_keys.values()})

    def use_case_colors(self) -> None:
        columns: dict[str, ir.Value] = {}
        for u in self.use_case_keys.values():
            color = band(self.col(f"{u}_sr"), self.rubric.ordered_score_bands)
            columns[f"{u}_c"] = color
        self.stage(name="use_case_colors", columns=columns)
        self.stage(name="use_case_adopted", columns={f"{u}_a": ibis.cases((self.col(f"{u}_s").notnull(), self.col(f"{u}_c") == _code(2)),
                                         else_=ibis.null("boolean"))
                    for u in self.use_case_keys.values()})

    # -- overall -----------------------------------------------------------------------------
    def overall(self) -> None:
        weighted = [(self.col(f"{self.use_case_keys[u.id]}_s"), float(u.weight)) for u in self.rubric.use_cases]
        adopting = [self.use_case_keys[u.id] for u in self.rubric.use_cases if u.counts_towards_adoption]
        self.stage(name="overall_sums", columns={
            "__o_tot": _sum([ibis.cases((s.notnull(), s * w), else_=0.0) for s, w in weighted]),
            "__o_w": _sum([ibis.cases((s.notnull(), w), else_=0.0) for s, w in weighted]),
            "__o_adopted": _count([self.col(f"{u}_c") == _code(2) for u in adopting]),
            "__o_scored": _count([s.notnull() for s, _ in weighted]),
        })
        self.stage(name="overall_score", columns={"__o_s": ibis.cases((self.col("__o_w") > 0, self.col("__o_tot") / self.col("__o_w")),
                                        else_=NO_SCORE)})
        self.stage(name="overall_rounded", columns={"__o_sr": self.col("__o_s").round(BAND_DECIMALS)})
        self.stage(name="overall_color", columns={"__o_c": band(self.col("__o_sr"), self.rubric.ordered_score_bands)})


_COMPILED: dict[tuple[str, tuple[tuple[str, str], ...]], CompiledRubric] = {}
_COMPILING = threading.Lock()


def compile_rubric(source: ir.Table | ibis.Schema, rubric: Rubric) -> CompiledRubric:
    """Compile ``rubric`` over usage with ``source``'s schema (columns as named in the rubric's input).

    The result does not depend on where the data is: run it with :meth:`CompiledRubric.sql` on any
    backend, reading the data through ``source_sql``. Compiled rubrics are memoised per rubric
    content and schema, in this process and on disk (:mod:`adoptscore.engine.cache`).
    """
    schema = source if isinstance(source, ibis.Schema) else source.schema()
    rubric_json = rubric.model_dump_json()
    columns = tuple((name, str(dtype)) for name, dtype in schema.items())
    key = (rubric_json, columns)
    with _COMPILING:
        if key not in _COMPILED:
            if len(_COMPILED) > 64:
                _COMPILED.clear()
            compiled = CompiledRubric(rubric, schema, cache_key=cache.key(rubric_json, list(columns)))
            # now, not at the first query: a rubric that cannot compile over this schema fails here,
            # before any output is started (a record on disk means it compiled before)
            compiled._known()
            _COMPILED[key] = compiled
        return _COMPILED[key]


def _build_plan(schema: ibis.Schema, rubric: Rubric) -> Plan:
    prepared = prepare(ibis.table(schema, name=SOURCE), rubric)
    plan = _Plan(rubric, prepared)
    if rubric.rollup is None:
        steps = [plan.metric_inputs, plan.metric_values, plan.metric_codes]
    else:
        from adoptscore.engine import rollup

        # rows are per instance until the roll-up makes them per account (docs/rollup.md)
        steps = rollup.steps(plan)
    for step in (*steps, plan.metric_reasons, plan.metric_colors, plan.metric_points):
        step()
    # Each result reads the earliest stage that has its columns, so it computes no more than it needs.
    metrics_from = plan.t
    for step in (plan.use_case_sums, plan.use_case_scores, plan.use_case_colors):
        step()
    use_cases_from = plan.t
    plan.overall()
    t = plan.t
    wide_columns = [ACCOUNT, PERIOD, *rubric.input.segments]
    metric_layout = []
    for use_case, metric in rubric.metrics:
        k = plan.metric_keys[(use_case.id, metric.id)]
        wide_columns += [f"{k}_{x}" for x in ("n", "d", "v", "c", "p", "na", "code")]
        metric_layout.append(MetricColumns(use_case.id, metric.id, k, tuple(t for _, t in plan.reasons[k])))
    use_case_layout = []
    for use_case in rubric.use_cases:
        u = plan.use_case_keys[use_case.id]
        wide_columns += [f"{u}_{x}" for x in ("s", "c", "st", "cov", "n", "a", "r")]
        use_case_layout.append(UseCaseColumns(use_case.id, u, use_case_reasons(use_case)))
    wide_columns += ["__o_s", "__o_c", "__o_adopted", "__o_scored"]
    layout = WideLayout(tuple(rubric.input.segments), tuple(metric_layout), tuple(use_case_layout))
    outputs = {name: Stage(name, expr) for name, expr in
               result_tables(rubric, layout, metrics_from, use_cases_from, t).items()}
    outputs["wide"] = Stage("wide", t.select(*wide_columns))
    indexes = {METRIC_INDEX: len(metric_layout), USE_CASE_INDEX: len(use_case_layout)}
    return Plan(tuple(plan.stages), outputs, layout, indexes)


def result_tables(rubric: Rubric, layout: WideLayout, metrics_from: ir.Table, use_cases_from: ir.Table,
                  overall_from: ir.Table) -> dict[str, ir.Table]:
    """The three result tables, each read from a table holding the wide layout's columns it needs:
    a stage of the plan, or the ``wide`` result itself once it is kept (``score --into`` computes
    the plan once and cuts all three tables from it)."""
    t = metrics_from
    labels = {"rubric": ibis.literal(rubric.name), "rubric_version": ibis.literal(str(rubric.version)),
              ACCOUNT: t[ACCOUNT], PERIOD: t[PERIOD]}
    metric_rows = []
    for m in layout.metrics:
        k = m.key
        metric_rows.append({
            "use_case": ibis.literal(m.use_case), "metric": ibis.literal(m.metric),
            "numerator": t[f"{k}_n"], "denominator": t[f"{k}_d"], "value": t[f"{k}_v"], "__c": t[f"{k}_c"],
            "__na": t[f"{k}_na"], "points": t[f"{k}_p"],
            # a plan stage has the reason text; the wide result carries only its code
            "reason": t[f"{k}_r"] if f"{k}_r" in t.columns else text_of(t[f"{k}_code"], (None, *m.reasons))})
    picked = _unpivot(t, labels, metric_rows, METRIC_INDEX)
    metrics = picked.select(
        *labels, "use_case", "metric", "numerator", "denominator", "value",
        status=ibis.cases((picked["__c"].notnull(), ibis.literal("scored")),
                          (picked["__na"], ibis.literal("not_applicable")), else_=ibis.literal("no_data")),
        color=color_text(picked["__c"]), points=picked["points"], reason=picked["reason"])

    t = use_cases_from
    labels = {**labels, ACCOUNT: t[ACCOUNT], PERIOD: t[PERIOD]}
    use_case_rows = []
    for uc in layout.use_cases:
        u = uc.key
        use_case_rows.append({
            "use_case": ibis.literal(uc.use_case), "score": t[f"{u}_s"], "__st": t[f"{u}_st"], "__c": t[f"{u}_c"],
            "coverage": t[f"{u}_cov"], "metrics_scored": t[f"{u}_n"], "adopted": t[f"{u}_a"],
            "reason": text_of(t[f"{u}_r"], uc.reasons)})
    picked = _unpivot(t, labels, use_case_rows, USE_CASE_INDEX)
    use_cases = picked.select(
        *labels, "use_case", "score", status=text_of(picked["__st"], STATUS), color=color_text(picked["__c"]),
        coverage=picked["coverage"], metrics_scored=picked["metrics_scored"], adopted=picked["adopted"],
        reason=picked["reason"])

    t = overall_from
    labels = {**labels, ACCOUNT: t[ACCOUNT], PERIOD: t[PERIOD]}
    overall = t.select(
        **labels, **{s: t[s] for s in layout.segments},
        score=t["__o_s"],
        status=ibis.cases((t["__o_s"].notnull(), ibis.literal("scored")), else_=ibis.literal("no_data")),
        color=color_text(t["__o_c"]), adopted_use_cases=t["__o_adopted"], use_cases_scored=t["__o_scored"],
    )
    return {"metrics": metrics, "use_cases": use_cases, "overall": overall}


METRIC_INDEX, USE_CASE_INDEX = "metric_index", "use_case_index"


def _unpivot(t: ir.Table, labels: dict[str, ir.Value], rows: list[dict[str, ir.Value]], index_name: str) -> ir.Table:
    """One row per account, period and entry of ``rows`` (a metric or a use case): the wide row
    crossed with a small table of row numbers, each column picked from its entry by number.

    Plain CROSS JOIN and CASE run the same on every SQL backend; arrays of structs do not
    (PostgreSQL reads struct fields back through JSON, Snowflake unnests through strings).
    """
    index = ibis.table({INDEX_COLUMN: "int16"}, name=index_name)
    number = index[INDEX_COLUMN]
    joined = t.cross_join(index)

    def pick(values: list[ir.Value]) -> ir.Value:
        return ibis.cases(*[(number == i, value) for i, value in enumerate(values)],
                          else_=ibis.null(values[0].type()))

    return joined.select(**labels, **{name: pick([row[name] for row in rows]) for name in rows[0]})
