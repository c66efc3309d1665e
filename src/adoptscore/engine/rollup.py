"""The account roll-up: rows per instance (and subscription) become one row per account and period.

A rubric with a ``rollup`` block reads one row per account, instance and period. These stages sit
between the prepared rows and the banding, so thresholds, points, use cases and the overall score
are applied at account level exactly as without a roll-up (docs/rollup.md is the contract):

- ``rollup_units`` ranks each account's (or subscription's) instances: preferred rows first
  (``primary.where``), then the highest ``primary.by``, then the lowest instance id; and, for the
  weighted strategy, computes each row's weight (a missing, zero or negative weight counts as 0);
- ``rollup_primary`` keeps the first-ranked instance per account (strategy ``primary``) or per
  subscription (strategy ``weighted``). After it, the ``primary`` strategy is simply the plan of a
  rubric without a roll-up over one row per account.

For the weighted strategy the metric values are computed per kept row (a "unit": a subscription's
primary instance, or every instance when there is no subscription level), then:

- ``rollup_rows`` marks which units contribute to each metric (value known and the use case
  applies there), each unit's first data-check code, and the lead unit (highest weight, then lowest
  id) whose attributes the account takes;
- ``rollup_accounts`` aggregates per account and period (sums, counts, the single contributor's
  numbers, the lead unit's segments and band keys);
- ``rollup_values`` forms the account value: the weight-averaged value over the units with data
  (equal weights when none of them has a positive weight), the numerator and denominator only
  when one unit alone gives the value;
- ``metric_codes`` (account level) states why a metric is not scored, with the same reasons and
  precedence as without a roll-up, plus a note when equal weights were used.

Everything is plain Ibis (window ``ROW_NUMBER``, ``GROUP BY``, ``CASE``), so the same SQL runs on
every backend; no ordering key is ever null, so no backend's null ordering decides a tie.
"""
from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

from adoptscore.engine.compile import (
    ACCOUNT,
    INSTANCE,
    NO_SCORE,
    PERIOD,
    SUBSCRIPTION,
    _code,
    _Plan,
    capped,
    data_checks,
    data_reasons,
)
from adoptscore.engine.expressions import compile_expression
from adoptscore.errors import RubricError, first_line
from adoptscore.rubric.expressions import Expression
from adoptscore.rubric.models import Rollup, UseCase

RANK, WEIGHT, LEAD, UNITS = "__rn", "__w", "__lead", "__units"


def equal_weights_note(rollup: Rollup) -> str:
    """The reason a metric carries when its value averaged the units with equal weights."""
    return f"equal weights: no {_unit_name(rollup)} with data has a positive {rollup.weight}"


def _unit_name(rollup: Rollup) -> str:
    return "subscription" if rollup.subscription is not None else "instance"


def steps(plan: _Plan) -> list[Callable[[], None]]:
    """The plan's steps up to the per-account metric codes, for a rubric with a roll-up."""
    rollup = plan.rubric.rollup
    assert rollup is not None
    first = [lambda: choose_units(plan, rollup), plan.metric_inputs, plan.metric_values]
    if rollup.strategy == "primary":
        return [*first, plan.metric_codes]
    return [*first, lambda: unit_rows(plan, rollup), lambda: accounts(plan), lambda: account_values(plan, rollup),
            lambda: account_codes(plan, rollup)]


def _compiled(plan: _Plan, where: str, expression: Expression, kind: str) -> ir.Value:
    """An expression of the roll-up block over the current rows, checked to be ``kind`` (boolean or numeric)."""
    try:
        value = compile_expression(expression.tree, plan.col)
    except Exception as exc:  # noqa: BLE001 - Ibis type errors (text compared with a number) become one message
        raise RubricError(f"{where}: {expression.source!r} cannot be computed on the data: {first_line(exc)}",
                          hint="check the column types: compare text with 'quoted' text, numbers with numbers") from None
    dtype = value.type()
    if kind == "boolean" and not (dtype.is_boolean() or dtype.is_null()):
        raise RubricError(f"{where}: {expression.source!r} gives {dtype}, not true/false",
                          hint="write a condition, e.g. instance_type == 'production'")
    if kind == "numeric" and not (dtype.is_numeric() or dtype.is_boolean() or dtype.is_null()):
        raise RubricError(f"{where}: {expression.source!r} gives {dtype}, not a number",
                          hint="name a numeric column (declare it under input.columns as count or number)")
    return value


def choose_units(plan: _Plan, rollup: Rollup) -> None:
    """Rank instances and keep the primary one per account or subscription; compute unit weights."""
    columns: dict[str, ir.Value] = {}
    if rollup.weight is not None:
        weight = _compiled(plan, "rollup.weight", _expression(rollup, "rollup.weight"), "numeric").cast("float64")
        columns[WEIGHT] = ibis.cases((weight > 0, weight), else_=ibis.literal(0.0, "float64"))
    if rollup.primary is not None:
        group = [ACCOUNT, PERIOD] if rollup.strategy == "primary" else [ACCOUNT, SUBSCRIPTION, PERIOD]
        order: list[ir.Value] = []
        if rollup.primary.where_expression is not None:
            preferred = _compiled(plan, "rollup.primary.where", rollup.primary.where_expression, "boolean")
            order.append(ibis.desc(ibis.cases((preferred.fill_null(False), 1), else_=0)))
        by = _compiled(plan, "rollup.primary.by", rollup.primary.by_expression, "numeric").cast("float64")
        # nulls rank last through an explicit flag: backends disagree on where NULL sorts
        order += [ibis.desc(ibis.cases((by.notnull(), 1), else_=0)), ibis.desc(by.fill_null(0)),
                  ibis.asc(plan.col(INSTANCE).fill_null(""))]
        columns[RANK] = ibis.row_number().over(group_by=[plan.col(c) for c in group], order_by=order)
    if not columns:
        return
    plan.stage(name="rollup_units", columns=columns)
    if rollup.primary is not None:
        t = plan.t
        # the instance id is not needed once each account (or subscription) has its one row
        # (a select, not Table.drop: that writes its columns in set order, so the SQL would vary per run)
        keep = [c for c in t.columns if c not in (RANK, INSTANCE)]
        plan.add("rollup_primary", t.filter(t[RANK] == 0).select(*keep))


def _expression(rollup: Rollup, where: str) -> Expression:
    return dict(rollup.expressions)[where]


def _unit(rollup: Rollup) -> str:
    return SUBSCRIPTION if rollup.subscription is not None else INSTANCE


def _applies(plan: _Plan, use_case: UseCase) -> ir.BooleanValue | None:
    if use_case.applies_expression is None:
        return None
    return plan.col(f"{plan.use_case_keys[use_case.id]}_app")


def unit_rows(plan: _Plan, rollup: Rollup) -> None:
    """Per unit and metric: the (capped) value, whether it contributes, its first data-check code."""
    columns: dict[str, ir.Value] = {}
    for use_case, metric in plan.rubric.metrics:
        key = plan.metric_keys[(use_case.id, metric.id)]
        columns[f"{key}_v"] = capped(metric, plan.col(f"{key}_v0"))
        applies = _applies(plan, use_case)
        known = plan.col(f"{key}_v0").notnull()
        columns[f"{key}_ok"] = known if applies is None else known & applies.fill_null(False)
        checks = data_checks(metric, plan.col(f"{key}_n"), plan.col(f"{key}_d"))
        columns[f"{key}_dc"] = ibis.cases(*[(c, _code(i + 1)) for i, (c, _) in enumerate(checks)], else_=_code(0))
    unit = plan.col(_unit(rollup)).fill_null("")
    columns[LEAD] = ibis.row_number().over(group_by=[plan.col(ACCOUNT), plan.col(PERIOD)],
                                           order_by=[ibis.desc(plan.col(WEIGHT)), ibis.asc(unit)])
    plan.stage(name="rollup_rows", columns=columns, drop=("_v0",))


def accounts(plan: _Plan) -> None:
    """One row per account and period: sums and counts over the units, the lead unit's attributes."""
    t = plan.t
    one, zero = ibis.literal(1.0, "float64"), ibis.literal(0.0, "float64")
    lead = t[LEAD] == 0
    weight = t[WEIGHT]
    aggregates: dict[str, ir.Value] = {UNITS: t.count()}
    for name in sorted(plan.carried - {ACCOUNT, PERIOD}):
        aggregates[name] = ibis.cases((lead, t[name]), else_=ibis.null(t[name].type())).max()
    for use_case in plan.rubric.use_cases:
        applies = _applies(plan, use_case)
        if applies is not None:
            u = plan.use_case_keys[use_case.id]
            aggregates[f"{u}_yes"] = ibis.cases((applies.fill_null(False), one), else_=zero).sum()
            aggregates[f"{u}_unk"] = ibis.cases((applies.isnull(), one), else_=zero).sum()
    for use_case, metric in plan.rubric.metrics:
        key = plan.metric_keys[(use_case.id, metric.id)]
        ok = t[f"{key}_ok"]
        positive = ok & (weight > 0)
        value, numerator, denominator = t[f"{key}_v"], t[f"{key}_n"], t[f"{key}_d"]

        def when(condition: ir.BooleanValue, x: ir.Value) -> ir.Value:
            return ibis.cases((condition, x), else_=ibis.null(x.type()))

        aggregates.update({
            f"{key}_cnt": ibis.cases((ok, one), else_=zero).sum(),
            f"{key}_pos": ibis.cases((positive, one), else_=zero).sum(),
            f"{key}_sw": ibis.cases((positive, weight), else_=zero).sum(),
            f"{key}_swv": ibis.cases((positive, weight * value), else_=zero).sum(),
            f"{key}_sv": ibis.cases((ok, value), else_=zero).sum(),
            # the numbers of the one unit that gives the value alone (read only when there is one)
            f"{key}_v1p": when(positive, value).max(), f"{key}_v1a": when(ok, value).max(),
            f"{key}_n1p": when(positive, numerator).max(), f"{key}_n1a": when(ok, numerator).max(),
            # an account of one unit shows that unit's numbers even when they are not scored, as without a roll-up
            f"{key}_vall": value.max(), f"{key}_nall": numerator.max(),
        })
        if metric.denominator_expression is not None:
            aggregates.update({f"{key}_d1p": when(positive, denominator).max(), f"{key}_d1a": when(ok, denominator).max(),
                               f"{key}_dall": denominator.max()})
        applies = _applies(plan, use_case)
        counted = t[f"{key}_dc"] > 0
        if applies is not None:
            counted = counted & applies.fill_null(False)
        # the first reason (in precedence order) among the units where the use case applies
        aggregates[f"{key}_dc"] = when(counted, t[f"{key}_dc"]).min()
    plan.add("rollup_accounts", t.group_by([t[ACCOUNT], t[PERIOD]]).aggregate(**aggregates))


def account_values(plan: _Plan, rollup: Rollup) -> None:
    """The account's value, numerator, denominator and applicability from the aggregates."""
    columns: dict[str, ir.Value] = {}
    single = plan.col(UNITS) == 1
    for use_case in plan.rubric.use_cases:
        if use_case.applies_expression is not None:
            u = plan.use_case_keys[use_case.id]
            # applies when it applies to one unit; unknown when it applies to none and is unknown for one
            columns[f"{u}_app"] = ibis.cases((plan.col(f"{u}_yes") > 0, True), (plan.col(f"{u}_unk") > 0, ibis.null("boolean")),
                                             else_=False)
    for use_case, metric in plan.rubric.metrics:
        key = plan.metric_keys[(use_case.id, metric.id)]

        def c(suffix: str, key: str = key) -> ir.Value:
            return plan.col(f"{key}_{suffix}")

        weighted, equal = c("sw") > 0, c("cnt") > 0
        # one unit alone gives the value: its own numbers, exactly (no w * v / w rounding)
        alone_p, alone_a = weighted & (c("pos") == 1), ~weighted & (c("cnt") == 1)
        columns[f"{key}_v"] = ibis.cases(
            (weighted, ibis.cases((c("pos") == 1, c("v1p")), else_=c("swv") / c("sw"))),
            (equal, ibis.cases((c("cnt") == 1, c("v1a")), else_=c("sv") / c("cnt"))), (single, c("vall")),
            else_=NO_SCORE)
        columns[f"{key}_n"] = ibis.cases((alone_p, c("n1p")), (alone_a, c("n1a")), (~equal & single, c("nall")),
                                         else_=NO_SCORE)
        if metric.denominator_expression is not None:
            columns[f"{key}_d"] = ibis.cases((alone_p, c("d1p")), (alone_a, c("d1a")), (~equal & single, c("dall")),
                                             else_=NO_SCORE)
        else:
            columns[f"{key}_d"] = NO_SCORE
        columns[f"{key}_has"] = equal
        columns[f"{key}_fb"] = ~weighted & (c("cnt") >= 2)
    drop = ("_cnt", "_pos", "_sw", "_swv", "_sv", "_v1p", "_v1a", "_n1p", "_n1a", "_vall", "_nall", "_d1p", "_d1a", "_dall",
            "_yes", "_unk", UNITS)
    plan.stage(name="rollup_values", columns=columns, drop=drop)


def account_codes(plan: _Plan, rollup: Rollup) -> None:
    """Why each metric is (not) scored at account level: the reasons and precedence of a rubric
    without a roll-up, then the equal-weights note (a scored code)."""
    columns: dict[str, ir.Value] = {}
    note = equal_weights_note(rollup)
    for use_case, metric in plan.rubric.metrics:
        key = plan.metric_keys[(use_case.id, metric.id)]
        has, code = plan.col(f"{key}_has"), plan.col(f"{key}_dc")
        outcome = plan.account_outcome(use_case, metric)
        # the same reason texts as without a roll-up; the conditions read the units' first data check
        for i, reason in enumerate(data_reasons(metric)):
            outcome.add(~has & (code == _code(i + 1)), False, reason)
        fallback = plan.col(f"{key}_fb")
        outcome.add(fallback, False, note)
        plan.reasons[key] = [(na, reason) for _, na, reason in outcome.branches]
        plan.scored_codes[key] = [len(outcome.branches)]
        # scored when a unit contributes: a lone unit's value is shown even where the use case does not apply
        scored = has & ~fallback
        if metric.bands_by is not None:
            scored = scored & plan.banded(metric)
        columns[f"{key}_code"] = ibis.cases(
            (scored, _code(0)), *[(cond, _code(i + 1)) for i, (cond, _, _) in enumerate(outcome.branches)],
            else_=_code(0))
    plan.stage(name="metric_codes", columns=columns, drop=("_fb", "_dc", "_has"))
