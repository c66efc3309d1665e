"""Validate a rubric against the people who know the accounts.

An analyst keeps 15-20 "golden" accounts per use case whose adoption the account owners know, as a
labels file (CSV, TSV, Parquet or JSON records)::

    account_id,use_case,expected_color,period,note
    A000123,scm,green,2026-10,
    A000123,overall,yellow,,"QBR: CI still on Jenkins"

``expected_color`` is red, yellow or green (any case, surrounding blanks ignored; ``r``, ``y``,
``g`` are accepted as short forms; anything else, e.g. ``amber``, is an error). ``use_case`` is a
rubric use-case id (any case), or ``overall`` for the overall score's color. ``period`` is optional: without it the label
applies to the ``period`` argument, else to the account's latest scored period. For data whose
periods are months (``YYYY-MM``), a label period may also be written ``YYYY/MM``, ``YYYY-M`` or as
a date or timestamp, meaning its month. ``note`` is optional free text.

:func:`validate` scores only the labelled accounts and compares colors: agreement, Cohen's kappa
and weighted kappa (red < yellow < green), a confusion matrix per use case, and every
disagreement with its metrics, bands and the band edges that would move it toward the owner's
color. Labels whose use case has no score (no data, not applicable) are reported as not scored,
never counted as agreement or as Red.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from adoptscore.errors import DataError
from adoptscore.lifecycle.agreement import ORDER, Kappa, agreement_rate, confusion, kappa
from adoptscore.lifecycle.tables import SmallTable, read_small_table
from adoptscore.report.document import ColorMix, Colored, Paragraph, Report, Section, Table
from adoptscore.rubric.bands import Interval
from adoptscore.rubric.models import RANK, Metric, Rubric
from adoptscore.sqltext import literal

#: The handbook asks for 15 to 20 labelled accounts per use case.
MIN_LABELS = 15
OVERALL = "overall"
COLOR_WORDS = {"red": "red", "r": "red", "yellow": "yellow", "y": "yellow", "green": "green", "g": "green"}
_REQUIRED = {"account_id": "the account id as in the data",
             "use_case": "a use-case id of the rubric, or 'overall'",
             "expected_color": "red, yellow or green: the account owner's view"}
_OPTIONAL = ("period", "note")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_LOOSE_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")

PeriodSource = Literal["label", "--period", "latest"]


# -- results -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One band edge on the way toward the owner's color: past ``condition`` the color is ``color``."""

    color: str
    operator: str
    value: float
    text: str                    # the bound in the metric's units, e.g. '> 10.0%'
    points: float | None = None  # points the metric (or use case) earns there


@dataclass(frozen=True)
class Component:
    """One metric of a disagreeing use case (or one use case of a disagreeing overall color)."""

    id: str
    title: str
    value: float | None
    value_text: str
    numerator: float | None
    denominator: float | None
    status: str
    color: str | None
    band: str | None             # the interval the value fell in, as the rubric writes it
    thresholds: str              # every band of the applicable set, e.g. 'red <= 10%, ...'
    points: float | None
    reason: str | None
    flip: list[Step] = field(default_factory=list)
    flip_note: str | None = None  # why there is no step (already at the best color, no data, ...)

    def flip_text(self) -> str:
        if self.flip:
            return "; ".join(f"{s.text} -> {s.color}" + (f" ({s.points:g} points)" if s.points is not None else "")
                             for s in self.flip)
        return self.flip_note or ""


@dataclass(frozen=True)
class LabelOutcome:
    """One label, the period it was compared in, and what the rubric scored there."""

    line: int
    account_id: str
    use_case: str
    period: str
    period_source: PeriodSource
    expected: str
    scored: str | None
    score: float | None
    status: str
    reason: str | None
    note: str | None

    @property
    def compared(self) -> bool:
        return self.scored is not None

    @property
    def agrees(self) -> bool | None:
        return None if self.scored is None else self.scored == self.expected


@dataclass(frozen=True)
class Disagreement:
    """A label the rubric scored differently, with what it is made of and what would flip it."""

    label: LabelOutcome
    components: list[Component]
    score_flip: list[Step]

    @property
    def steps(self) -> int:
        return abs(RANK[self.label.expected] - RANK[self.label.scored or self.label.expected])


@dataclass(frozen=True)
class Agreement:
    """Agreement on one use case (or over all labels): counts, rate, kappas, confusion matrix."""

    use_case: str
    title: str
    labels: int
    accounts: int
    matrix: np.ndarray           # expected (rows) x scored (columns), in ORDER
    not_scored: dict[str, int]   # status -> labels without a score
    kappa: Kappa
    linear: Kappa
    quadratic: Kappa

    @property
    def compared(self) -> int:
        return int(self.matrix.sum())

    @property
    def agreeing(self) -> int:
        return int(np.trace(self.matrix))

    @property
    def rate(self) -> float | None:
        return agreement_rate(self.matrix)

    def to_dict(self) -> dict[str, Any]:
        return {
            "use_case": self.use_case, "title": self.title, "labels": self.labels, "accounts": self.accounts,
            "compared": self.compared, "agreeing": self.agreeing, "agreement": self.rate,
            "not_scored": dict(self.not_scored),
            "kappa": self.kappa.value, "kappa_reason": self.kappa.reason,
            "weighted_kappa_linear": self.linear.value, "weighted_kappa_linear_reason": self.linear.reason,
            "weighted_kappa_quadratic": self.quadratic.value,
            "weighted_kappa_quadratic_reason": self.quadratic.reason,
            "confusion": {"rows": "expected", "columns": "scored", "order": list(ORDER),
                          "matrix": [[int(v) for v in row] for row in self.matrix]},
        }


@dataclass
class Validation:
    """How a rubric's colors agree with the account owners' labels."""

    rubric: Rubric
    labels_source: str
    data_source: str
    period: str | None
    total: Agreement
    use_cases: list[Agreement]
    labels: list[LabelOutcome]
    disagreements: list[Disagreement]
    warnings: list[str]

    @property
    def agreement(self) -> float | None:
        return self.total.rate

    def passed(self, min_agreement: float) -> bool:
        """Whether the agreement over all compared labels reaches ``min_agreement`` (a share, 0-1).

        With no label compared (all not scored) nothing was validated: not passed.
        """
        rate = self.total.rate
        return rate is not None and rate + 1e-12 >= float(min_agreement)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": {"name": self.rubric.name, "version": self.rubric.version},
            "labels_source": self.labels_source, "data_source": self.data_source, "period": self.period,
            "min_labels_per_use_case": MIN_LABELS,
            "total": self.total.to_dict(),
            "use_cases": [a.to_dict() for a in self.use_cases],
            "labels": [_label_dict(o) for o in self.labels],
            "disagreements": [_disagreement_dict(d) for d in self.disagreements],
            "warnings": list(self.warnings),
        }

    def report(self) -> Report:
        return _report(self)


# -- reading labels ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Raw:
    index: int
    account_id: str
    use_case: str
    expected: str
    period: str | None
    note: str | None


def _labels_table(labels: Any) -> SmallTable:
    if isinstance(labels, SmallTable):
        return labels
    if isinstance(labels, pd.DataFrame):
        frame = labels.copy()
        frame.columns = [str(c).strip() for c in frame.columns]
        missing = [c for c in _REQUIRED if c not in frame.columns]
        if missing:
            raise DataError(f"labels have no column {', '.join(missing)}", "labels (data frame)",
                            hint="add the column(s): " + "; ".join(f"{c}: {_REQUIRED[c]}" for c in missing))
        frame = frame[[c for c in frame.columns if c in _REQUIRED or c in _OPTIONAL]]
        frame = frame.astype(object).map(_cell).reset_index(drop=True)
        if frame.empty:
            raise DataError("labels have no rows", "labels (data frame)", hint="add one row per labelled account")
        return SmallTable("labels (data frame)", frame, "frame")
    return read_small_table(labels, "labels file", _REQUIRED, _OPTIONAL)


def _cell(value: Any) -> str | None:
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _read_labels(table: SmallTable, rubric: Rubric) -> list[_Raw]:
    ids = [u.id for u in rubric.use_cases] + [OVERALL]
    rows: list[_Raw] = []
    frame = table.frame
    for i, record in enumerate(frame.to_dict("records")):
        row = {k: _cell(v) for k, v in record.items()}
        account = row.get("account_id")
        period = row.get("period")
        if account is None:
            raise table.error(i, "account_id", "account_id is empty", "give the account id as in the data")
        use_case = row.get("use_case")
        if use_case is None or use_case.lower() not in ids:
            shown = "empty" if use_case is None else repr(use_case)
            raise table.error(i, "use_case", f"use case {shown} is not in rubric {rubric.name}",
                              "use one of " + ", ".join(ids))
        color = row.get("expected_color")
        if color is None or color.lower() not in COLOR_WORDS:
            shown = "empty" if color is None else repr(color)
            raise table.error(i, "expected_color", f"expected_color {shown} is not a color",
                              "write red, yellow or green (or r, y, g)")
        rows.append(_Raw(i, account, use_case.lower(), COLOR_WORDS[color.lower()], period, _cell(row.get("note"))))
    return rows


def _month(text: str) -> str | None:
    """``text`` as ``YYYY-MM`` when it names a month (``2026-10``, ``2026/10``, ``2026-10-15``), else None."""
    match = _LOOSE_MONTH.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    match = _DATE.match(text)
    if match:
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
        return f"{day.year:04d}-{day.month:02d}"
    return None


def _sample(values: list[str], n: int = 6) -> str:
    values = sorted(values)
    if len(values) <= n:
        return ", ".join(values)
    return ", ".join(values[: n // 2]) + ", ..., " + ", ".join(values[-(n // 2):])


class _Periods:
    """Resolves period text against the periods present in the scored data."""

    def __init__(self, present: set[str]):
        self.present = present
        self.monthly = all(_MONTH.match(p) for p in present)

    def resolve(self, text: str) -> tuple[str | None, str | None]:
        """(period, None) or (None, what is wrong)."""
        if text in self.present:
            return text, None
        if self.monthly:
            month = _month(text)
            if month is None:
                return None, "does not parse as a month"
            if month in self.present:
                return month, None
            return month, "not in the data"
        return None, "not in the data"

    def hint(self) -> str:
        if not self.present:
            return "the labelled accounts have no scored rows"
        shape = "months written YYYY-MM, e.g. " if self.monthly else "e.g. "
        return f"write a period of the data ({shape}{max(self.present)}); it has {_sample(list(self.present))}"


# -- validating --------------------------------------------------------------------------------

def validate(data: Any, rubric: Rubric | str | Path | None, labels: Any, *, period: str | None = None,
             table: str | None = None, layout: str | None = None) -> Validation:
    """Compare ``rubric``'s colors with the account owners' ``labels``.

    ``data`` is anything :func:`adoptscore.score` reads, or an existing
    :class:`~adoptscore.engine.result.ScoreResult` (then ``rubric`` may be ``None``; if given it
    must be the result's rubric). ``labels`` is a labels file path or a pandas DataFrame with
    columns account_id, use_case, expected_color and optionally period and note. ``period`` is the
    period for labels without one (default: each account's latest scored period).

    Only the labelled accounts are scored. Every mistake in the labels raises one
    :class:`~adoptscore.errors.DataError` naming the line and column.
    """
    from adoptscore import api
    from adoptscore.engine.result import ScoreResult

    if isinstance(data, ScoreResult):
        if rubric is not None:
            wanted = rubric if isinstance(rubric, Rubric) else api.load_rubric(rubric)
            if (wanted.name, wanted.version) != (data.rubric.name, data.rubric.version):
                raise DataError(f"the scores are from rubric {data.rubric.name} {data.rubric.version}, "
                                f"not {wanted.name} {wanted.version}",
                                hint="pass the usage data instead, or the rubric the scores were made with")
        rubric = data.rubric
    elif rubric is None:
        raise DataError("validate needs a rubric", hint="pass a bundled rubric name or a YAML path")
    elif not isinstance(rubric, Rubric):
        rubric = api.load_rubric(rubric)

    labels_table = _labels_table(labels)
    raws = _read_labels(labels_table, rubric)
    if period is not None:
        period = str(period).strip()

    def rescore(accounts: list[str], periods: list[str] | None) -> ScoreResult:
        return api.score(data, rubric, table=table, layout=layout, accounts=accounts, periods=periods)

    if isinstance(data, ScoreResult):
        result = data
    else:
        accounts = sorted({r.account_id for r in raws})
        texts = [r.period or period for r in raws]
        periods = None
        if all(t is not None for t in texts):
            # both the text as written and its month, so either spelling of the data's periods matches
            periods = sorted({t for t in texts} | {m for t in texts if (m := _month(t))})
        try:
            result = rescore(accounts, periods)
        except DataError:
            if periods is None:
                raise
            # a label's period that is no period, or none the data has: said below at the label's line
            # (scoring with these periods would blame a --period the user never gave)
            result = rescore(accounts, None)

    known: dict[str, list[str]] = {}

    def periods_of(account: str) -> list[str]:
        # only on the way to an error, or for accounts absent from a period-filtered scoring
        if account not in known:
            source = result if isinstance(data, ScoreResult) else rescore([account], None)
            known[account] = _account_periods(source, account)
        return known[account]

    outcomes = _outcomes(raws, labels_table, result, rubric, period, periods_of)
    per_use_case = [agreement_of(u.id, u.title, [o for o in outcomes if o.use_case == u.id]) for u in rubric.use_cases]
    labelled_overall = [o for o in outcomes if o.use_case == OVERALL]
    if labelled_overall:
        per_use_case.append(agreement_of(OVERALL, rubric.overall.title, labelled_overall))
    total = agreement_of("all", "All labels", outcomes)
    disagreements = _disagreements(outcomes, result, rubric)
    return Validation(rubric=rubric, labels_source=labels_table.path, data_source=getattr(result, "source", "") or "",
                      period=period, total=total, use_cases=per_use_case, labels=outcomes,
                      disagreements=disagreements, warnings=_warnings(per_use_case, total, outcomes, rubric, result))


def _account_periods(result: Any, account: str) -> list[str]:
    # every scored account-period has its use-case rows; the overall table is only read when needed
    use_cases = result.use_cases
    return sorted(use_cases.loc[use_cases["account_id"] == account, "period"].astype(str).unique())


def _outcomes(raws: list[_Raw], table: SmallTable, result: Any, rubric: Rubric, period: str | None,
              periods_of: Any) -> list[LabelOutcome]:
    use_cases = result.use_cases
    present = set(use_cases["period"].astype(str))
    resolver = _Periods(present)
    by_account = (use_cases[["account_id", "period"]].drop_duplicates().groupby("account_id")["period"]
                  .agg(lambda s: sorted(s.astype(str))))
    default: str | None = None
    if period is not None:
        default, problem = resolver.resolve(period)
        if problem is not None and default not in present:
            raise DataError(f"--period {period!r} {problem}", hint=resolver.hint())

    rows = {(r.account_id, r.period, r.use_case): r
            for r in use_cases[["account_id", "period", "use_case", "score", "status", "color", "reason"]].itertuples()}
    whole: dict[tuple[str, str], Any] = {}
    if any(r.use_case == OVERALL for r in raws):
        whole = {(r.account_id, r.period): r
                 for r in result.overall[["account_id", "period", "score", "status", "color"]].itertuples()}
    seen: dict[tuple[str, str, str], int] = {}
    outcomes = []
    scope = f" (only rows where {rubric.input.scope} are scored)" if rubric.input.scope else ""
    for raw in raws:
        account_periods: list[str] = by_account.get(raw.account_id, [])
        if not account_periods and not periods_of(raw.account_id):
            raise table.error(raw.index, "account_id", f"account {raw.account_id!r} has no scored rows in the data",
                              "check the id against the data's account_id column" + scope)
        source: PeriodSource
        if raw.period is not None:
            resolved, problem = resolver.resolve(raw.period)
            source = "label"
            if problem == "does not parse as a month":
                raise table.error(raw.index, "period", f"period {raw.period!r} does not parse as a month",
                                  resolver.hint())
        elif default is not None:
            resolved, source = default, "--period"
        else:
            resolved, source = account_periods[-1], "latest"
        if resolved is None or resolved not in account_periods:
            has = periods_of(raw.account_id)
            asked = raw.period if raw.period is not None else f"{period} (from --period)"
            where = "" if resolved in present else "; no labelled account has data in that period"
            raise table.error(raw.index, "period" if raw.period is not None else "account_id",
                              f"account {raw.account_id!r} has no scored row in period {asked}{where}",
                              f"label a period it has: {_sample(has)}" + scope)
        key = (raw.account_id, resolved, raw.use_case)
        if key in seen:
            raise table.error(raw.index, "use_case",
                              f"duplicate label: account {raw.account_id!r}, use case {raw.use_case}, period {resolved} "
                              f"is already labelled at {'line' if table.kind in ('csv', 'tsv') else 'record'} "
                              f"{table.line(seen[key])}",
                              "keep one label per account, use case and period")
        seen[key] = raw.index
        if raw.use_case == OVERALL:
            row = whole[(raw.account_id, resolved)]
            reason = None if row.status == "scored" else "no use case has a score"
        else:
            row = rows[key]
            reason = row.reason if isinstance(row.reason, str) else None
        color = row.color if isinstance(row.color, str) else None
        outcomes.append(LabelOutcome(table.line(raw.index), raw.account_id, raw.use_case, resolved, source,
                                     raw.expected, color, _num(row.score), str(row.status), reason, raw.note))
    return outcomes


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def agreement_of(use_case: str, title: str, outcomes: list[LabelOutcome]) -> Agreement:
    """The agreement of ``outcomes`` (labels and what was scored): the figures validate reports,
    also used by the CSM review page, so both give the same numbers for the same answers."""
    compared = [o for o in outcomes if o.compared]
    matrix = confusion([o.expected for o in compared], [o.scored for o in compared])
    not_scored = Counter(o.status for o in outcomes if not o.compared)
    return Agreement(use_case, title, len(outcomes), len({o.account_id for o in outcomes}), matrix,
                     dict(sorted(not_scored.items())), kappa(matrix), kappa(matrix, "linear"),
                     kappa(matrix, "quadratic"))


# -- what would flip a disagreement --------------------------------------------------------------

def _steps(ordered: list[tuple[str, Interval]], color: str | None, value: float | None, up: bool, toward: str,
           fmt: str, points: Any = None) -> tuple[list[Step], str | None]:
    """Band edges from ``color`` toward better (``up``) or worse colors: the nearest, then on to ``toward``.

    The direction is the disagreement's (owner's color above or below the scored one), so a metric
    already at the owner's color still shows the edge that would move the score further that way.
    """
    if color is None or value is None:
        return [], "no score"
    position = next((i for i, (c, band) in enumerate(ordered) if c == color and band.contains(value)), None)
    if position is None:
        position = next((i for i, (c, _) in enumerate(ordered) if c == color), None)
    if position is None:
        return [], "band not found"
    steps: list[Step] = []
    current = color
    while True:
        better = [i for i in (position - 1, position + 1) if 0 <= i < len(ordered)
                  and (RANK[ordered[i][0]] > RANK[current]) == up and ordered[i][0] != current]
        if not better:
            break
        nxt = better[0]
        band = ordered[nxt][1]
        if nxt > position:
            op, bound = (">=" if band.low_inclusive else ">"), band.low
        else:
            op, bound = ("<=" if band.high_inclusive else "<"), band.high
        if bound is None:  # pragma: no cover - adjacent bands always share an edge
            break
        current = ordered[nxt][0]
        steps.append(Step(current, op, float(bound), f"{op} {format(bound, fmt)}",
                          points.of(current) if points is not None else None))
        position = nxt
        if (RANK[current] >= RANK[toward]) if up else (RANK[current] <= RANK[toward]):
            break
    if not steps:
        return [], f"already {color}: {'the best' if up else 'the worst'} color this metric can have"
    return steps, None


def _thresholds(ordered: list[tuple[str, Interval]]) -> str:
    return ", ".join(f"{c} {band}" for c, band in ordered)


def _metric_bands(metric: Metric, key: Any) -> tuple[list[tuple[str, Interval]], str]:
    """The bands that apply to a metric (for band tables: the case of the key column's value)."""
    if metric.bands_by is None:
        return metric.ordered_bands, ""
    table = metric.bands_by
    if key is None or pd.isna(key):
        return [], f"{table.by} unknown"
    for case in table.cases:
        if case.interval.contains(float(key)):
            if case.bands is None:
                return [], f"{table.by} {key:g}: not applicable"
            return case.ordered_bands, f" ({table.by} {key:g}: {case.range})"
    return [], f"{table.by} {key:g}: in no band range"


def _band_keys(result: Any, columns: list[str], pairs: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The band-table key columns (e.g. account age) of the disagreeing account-periods, in one query.

    They are inputs, not result columns, so they are read from the scored rows' prepared stage.
    """
    if not columns or not pairs:
        return {}
    wanted = ", ".join(f"({literal(a)}, {literal(p)})" for a, p in pairs)
    names = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    sql = (f"SELECT account_id, period, {names} FROM ({result.sql('prepared')}) AS prepared "
           f"WHERE (account_id, period) IN ({wanted})")
    try:
        frame = result.adapter.to_arrow(sql).to_pandas()
    except Exception:  # noqa: BLE001 - a backend without row-value IN: one account-period at a time
        frames = [result.rows("prepared", a, p).to_pandas() for a, p in pairs]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for row in frame.to_dict("records"):
        out[(str(row["account_id"]), str(row["period"]))] = {c: row.get(c) for c in columns}
    return out


def _disagreements(outcomes: list[LabelOutcome], result: Any, rubric: Rubric) -> list[Disagreement]:
    wrong = [o for o in outcomes if o.compared and not o.agrees]
    if not wrong:
        return []
    accounts = {o.account_id for o in wrong}
    needs_metrics = any(o.use_case != OVERALL for o in wrong)
    metrics = result.metrics if needs_metrics else pd.DataFrame(columns=["account_id"])
    metrics = metrics[metrics["account_id"].isin(accounts)]
    use_cases = result.use_cases
    use_cases = use_cases[use_cases["account_id"].isin(accounts)]
    banded = {m.bands_by.by for o in wrong if o.use_case != OVERALL
              for m in rubric.use_case(o.use_case).metrics if m.bands_by is not None}
    keys = _band_keys(result, sorted(banded), sorted({(o.account_id, o.period) for o in wrong}))

    def inputs(account: str, period: str) -> dict[str, Any]:
        return keys.get((account, period), {})

    out = []
    for label in wrong:
        components: list[Component] = []
        up = RANK[label.expected] > RANK[label.scored or label.expected]
        if label.use_case == OVERALL:
            rows = use_cases[(use_cases["account_id"] == label.account_id) & (use_cases["period"] == label.period)]
            for use_case in rubric.use_cases:
                row = rows[rows["use_case"] == use_case.id].iloc[0]
                score, color = _num(row["score"]), row["color"] if isinstance(row["color"], str) else None
                steps, why = _steps(rubric.ordered_score_bands, color, score, up, label.expected, ".1f", None)
                band = next((str(b) for c, b in rubric.ordered_score_bands if c == color), None)
                components.append(Component(
                    use_case.id, f"{use_case.title} (weight {use_case.weight:g})", score,
                    "no data" if score is None else format(score, ".1f"), None, None, str(row["status"]), color,
                    band, _thresholds(rubric.ordered_score_bands), None,
                    row["reason"] if isinstance(row["reason"], str) else None, steps, why))
        else:
            use_case = rubric.use_case(label.use_case)
            rows = metrics[(metrics["account_id"] == label.account_id) & (metrics["period"] == label.period)
                           & (metrics["use_case"] == use_case.id)]
            for metric in use_case.metrics:
                row = rows[rows["metric"] == metric.id].iloc[0]
                key = inputs(label.account_id, label.period).get(metric.bands_by.by) if metric.bands_by else None
                ordered, context = _metric_bands(metric, key)
                value = _num(row["value"])
                color = row["color"] if isinstance(row["color"], str) else None
                status = str(row["status"])
                if value is None:
                    text = "no data" if status == "no_data" else "n/a" if status == "not_applicable" else "-"
                else:
                    text = format(value, metric.display_format)
                steps, why = _steps(ordered, color, value, up, label.expected, metric.display_format, rubric.points)
                band = next((str(b) for c, b in ordered if c == color and value is not None and b.contains(value)), None)
                thresholds = _thresholds(ordered) + context if ordered else context
                components.append(Component(
                    metric.id, metric.title, value, text, _num(row["numerator"]), _num(row["denominator"]), status,
                    color, band, thresholds, _num(row["points"]),
                    row["reason"] if isinstance(row["reason"], str) else None, steps, why))
        score_steps, _ = _steps(rubric.ordered_score_bands, label.scored, label.score, up, label.expected, ".1f")
        out.append(Disagreement(label, components, score_steps))
    uc_order = {u.id: i for i, u in enumerate(rubric.use_cases)}
    out.sort(key=lambda d: (-d.steps, uc_order.get(d.label.use_case, len(uc_order)), d.label.account_id,
                            d.label.period))
    return out


# -- warnings ----------------------------------------------------------------------------------

def _warnings(per_use_case: list[Agreement], total: Agreement, outcomes: list[LabelOutcome], rubric: Rubric,
              result: Any) -> list[str]:
    warnings = []
    unlabelled = [a.use_case for a in per_use_case if a.labels == 0]
    if unlabelled:
        warnings.append(f"no labels for {', '.join(unlabelled)}: these use cases are not validated")
    few = [f"{a.use_case} {a.accounts}" for a in per_use_case if 0 < a.accounts < MIN_LABELS]
    if few:
        warnings.append(f"fewer than {MIN_LABELS} labelled accounts (the handbook asks for 15-20 per use case): "
                        + ", ".join(few))
    for a in per_use_case:
        missing = [o for o in outcomes if o.use_case == a.use_case and not o.compared]
        if missing:
            shown = ", ".join(f"{o.account_id} {o.period} ({o.status.replace('_', ' ')})" for o in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            warnings.append(f"{a.use_case}: {len(missing)} label{'s have' if len(missing) != 1 else ' has'} no score "
                            f"and {'are' if len(missing) != 1 else 'is'} left out of the agreement: {shown}{more}")
    for a in [*per_use_case, total]:
        # with nothing compared the not-scored warning above already says why
        if a.compared and a.kappa.value is None:
            name = "all labels" if a is total else a.use_case
            warnings.append(f"{name}: kappa {a.kappa.reason}")
    latest = max(result.use_cases["period"].astype(str)) if len(result.use_cases) else None
    stale = sorted({(o.account_id, o.period) for o in outcomes if o.period_source == "latest" and o.period != latest})
    if stale:
        shown = ", ".join(f"{a} ({p})" for a, p in stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
        warnings.append(f"{len(stale)} labelled account{'s' if len(stale) != 1 else ''} without a label period "
                        f"{'are' if len(stale) != 1 else 'is'} compared in {'their' if len(stale) != 1 else 'its'} "
                        f"latest period, older than {latest}: {shown}")
    return warnings


# -- output ------------------------------------------------------------------------------------

def _label_dict(o: LabelOutcome) -> dict[str, Any]:
    return {"line": o.line, "account_id": o.account_id, "use_case": o.use_case, "period": o.period,
            "period_source": o.period_source, "expected": o.expected, "scored": o.scored, "score": o.score,
            "status": o.status, "reason": o.reason, "agrees": o.agrees, "note": o.note}


def _step_dict(s: Step) -> dict[str, Any]:
    return {"color": s.color, "operator": s.operator, "value": s.value, "text": s.text, "points": s.points}


def _disagreement_dict(d: Disagreement) -> dict[str, Any]:
    return {
        **_label_dict(d.label), "steps_apart": d.steps,
        "score_flip": [_step_dict(s) for s in d.score_flip],
        "components": [{
            "id": c.id, "title": c.title, "value": c.value, "value_text": c.value_text, "numerator": c.numerator,
            "denominator": c.denominator, "status": c.status, "color": c.color, "band": c.band,
            "thresholds": c.thresholds, "points": c.points, "reason": c.reason,
            "flip": [_step_dict(s) for s in c.flip], "flip_note": c.flip_note,
        } for c in d.components],
    }


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.1%}"


def _k(value: Kappa) -> str:
    return "n/a" if value.value is None else f"{value.value:.2f}"


def _tone(color: str | None) -> Colored:
    return Colored(color or "not scored", color if color in ORDER else "no_data")


def _report(v: Validation) -> Report:
    t = v.total
    not_scored = t.labels - t.compared
    figures = [
        ("agreement", f"{_pct(t.rate)} ({t.agreeing} of {t.compared})"),
        ("Cohen's kappa", _k(t.kappa)),
        ("weighted kappa (linear)", _k(t.linear)),
        ("labels", f"{t.labels}" + (f" ({not_scored} not scored)" if not_scored else "")),
    ]
    titles = {u.id: u.title for u in v.rubric.use_cases}
    titles[OVERALL] = v.rubric.overall.title
    summary = Table(
        ["use case", "accounts", "labels", "compared", "not scored", "agreement", "kappa", "weighted kappa (linear)",
         "weighted kappa (quadratic)"],
        [[a.title, a.accounts, a.labels, a.compared, a.labels - a.compared, a.rate, a.kappa.value, a.linear.value,
          a.quadratic.value] for a in [*v.use_cases, t]],
        caption="agreement = share of compared labels whose scored color is the owner's; kappa corrects for "
                "agreement by chance (1 = perfect, 0 = chance); weighted kappa counts a one-step miss "
                "(yellow for green) less than a two-step one",
        formats={"agreement": ".1%", "kappa": ".2f", "weighted kappa (linear)": ".2f",
                 "weighted kappa (quadratic)": ".2f"})
    matrices: list[Any] = [Paragraph("Rows: the account owners' colors; columns: the rubric's colors. "
                                     "The diagonal agrees.", "note")]
    for a in [*v.use_cases, t]:
        if not a.labels:
            continue
        rows = []
        for i, color in enumerate(ORDER):
            missing = sum(1 for o in v.labels if (a is t or o.use_case == a.use_case)
                          and o.expected == color and not o.compared)
            rows.append([_tone(color), *[int(x) for x in a.matrix[i]], missing])
        matrices.append(Table(["owner \\ rubric", *ORDER, "not scored"], rows,
                              caption=f"{a.title}: {a.compared} compared, agreement {_pct(a.rate)}, "
                                      f"kappa {_k(a.kappa)}"))
    # The two color mixes side by side: a rubric that is harsher or kinder than the owners shows at a glance.
    bars = []
    for a in v.use_cases:
        if a.compared:
            bars.append((f"{a.title}: owners", {c: int(a.matrix[i].sum()) for i, c in enumerate(ORDER)}))
            bars.append((f"{a.title}: rubric", {c: int(a.matrix[:, i].sum()) for i, c in enumerate(ORDER)}))
    mix = [ColorMix("Colors of the compared labels: the account owners' and the rubric's", bars)] if bars else []
    sections = [Section("Agreement per use case", [summary, *mix]), Section("Confusion matrices", matrices)]
    blocks: list[Any] = []
    if not v.disagreements:
        blocks.append(Paragraph("The rubric agrees with every compared label."))
    for d in v.disagreements:
        o = d.label
        score = "no score" if o.score is None else f"score {o.score:.1f}"
        flip = "; ".join(f"{s.text} -> {s.color}" for s in d.score_flip)
        caption = (f"{o.account_id}, {titles.get(o.use_case, o.use_case)}, {o.period}: owner says {o.expected}, "
                   f"rubric says {o.scored} ({score}" + (f"; the score turns {flip}" if flip else "") + ")"
                   + (f". Note: {o.note}" if o.note else ""))
        columns = (["use case", "score", "color", "band", "thresholds", "what would flip it"] if o.use_case == OVERALL
                   else ["metric", "value", "numerator", "denominator", "color", "band", "thresholds", "points",
                         "what would flip it"])
        rows = []
        for c in d.components:
            color_cell = _tone(c.color) if c.color else Colored(c.status.replace("_", " "), c.status
                                                               if c.status in ("no_data", "not_applicable") else None)
            band = c.band or (c.reason or "")
            if o.use_case == OVERALL:
                rows.append([c.title, c.value_text, color_cell, band, c.thresholds, c.flip_text()])
            else:
                rows.append([c.title, c.value_text, c.numerator, c.denominator, color_cell, band, c.thresholds,
                             c.points, c.flip_text()])
        blocks.append(Paragraph(caption))
        blocks.append(Table(columns, rows, formats={"numerator": ",.6g", "denominator": ",.6g", "points": "g"}))
    sections.append(Section(f"Disagreements ({len(v.disagreements)})", blocks))
    sections.append(Section("Labels", [Table(
        ["line", "account", "use case", "period", "period from", "owner", "rubric", "score", "note"],
        [[o.line, o.account_id, o.use_case, o.period, o.period_source, _tone(o.expected),
          _tone(o.scored) if o.scored else Colored(o.status.replace("_", " "), "no_data"
                                                   if o.status == "no_data" else "not_applicable"),
          o.score, o.note] for o in v.labels],
        caption="period from: the label, --period, or the account's latest scored period",
        formats={"score": ".1f"})]))
    return Report(
        title=f"Validation of {v.rubric.name} {v.rubric.version} against the account owners",
        subtitle=f"{t.labels} labels from {v.labels_source}" + (f"; data {v.data_source}" if v.data_source else ""),
        figures=figures, warnings=list(v.warnings), sections=sections)
