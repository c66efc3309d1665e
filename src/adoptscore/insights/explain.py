"""How one account's scores were formed: every metric's inputs, value, band and points."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from adoptscore.errors import AdoptscoreError
from adoptscore.insights.values import number as _num
from adoptscore.rubric.bands import Interval
from adoptscore.rubric.models import Metric, Rubric

if TYPE_CHECKING:  # the engine (Ibis) is only needed to explain a fresh result, not to read a store
    from adoptscore.engine.result import ScoreResult


@dataclass
class MetricLine:
    use_case: str
    metric: Metric
    numerator: float | None
    denominator: float | None
    value: float | None
    status: str
    color: str | None
    points: float | None
    band: str | None
    reason: str | None
    inputs: dict[str, object] = field(default_factory=dict)


@dataclass
class UseCaseLine:
    id: str
    title: str
    score: float | None
    color: str | None
    status: str
    coverage: float | None
    formula: str
    reason: str | None
    metrics: list[MetricLine] = field(default_factory=list)


@dataclass
class Explanation:
    """Everything needed to show how an account's scores were formed in one period."""

    account_id: str
    period: str
    rubric: Rubric
    use_cases: list[UseCaseLine]
    overall_score: float | None
    overall_color: str | None
    overall_formula: str
    adopted_use_cases: int


def _band_text(rubric_metric: Metric, color: str | None, key_value: float | None) -> str | None:
    if color is None:
        return None
    ordered: list[tuple[str, Interval]] = rubric_metric.ordered_bands
    if rubric_metric.bands_by is not None:
        ordered = []
        for case in rubric_metric.bands_by.cases:
            if case.bands is not None and key_value is not None and case.interval.contains(key_value):
                ordered = case.ordered_bands
    for band_color, interval in ordered:
        if band_color == color:
            return str(interval)
    return None


def mean_formula(pairs: list[tuple[float, float]]) -> str:
    """The weighted mean of (points, weight) pairs written out: '(88 + 63) / 2' or '(2 x 88 + 63) / 3'."""
    if not pairs:
        return "no metric has data"
    if all(w == pairs[0][1] for _, w in pairs):
        return f"({' + '.join(f'{p:g}' for p, _ in pairs)}) / {len(pairs)}"
    top = " + ".join(f"{w:g} x {p:g}" for p, w in pairs)
    return f"({top}) / {sum(w for _, w in pairs):g}"


def _inputs(result: ScoreResult, account_id: str, period: str) -> dict[str, object]:
    row = result.rows("prepared", account_id, period).to_pandas()
    if row.empty:
        return {}
    return {k: (None if pd.isna(v) else v) for k, v in row.iloc[0].to_dict().items()}


def explain(result: ScoreResult, account_id: str, period: str | None = None) -> Explanation:
    """Explain ``account_id``'s scores in ``period`` (default: its latest scored period)."""
    rubric = result.rubric
    overall = result.overall
    rows = overall[overall["account_id"] == str(account_id)]
    if rows.empty:
        raise AdoptscoreError(f"account {account_id!r} has no scored rows",
                              hint="check the id; rows out of the rubric's scope are not scored")
    if period is None:
        period = str(rows["period"].max())
    row = rows[rows["period"] == str(period)]
    if row.empty:
        raise AdoptscoreError(f"account {account_id!r} has no scored row for period {period!r}",
                              hint="periods with data: " + ", ".join(sorted(rows["period"].astype(str))[-12:]))
    metrics = result.metrics
    metrics = metrics[(metrics["account_id"] == str(account_id)) & (metrics["period"] == str(period))]
    use_cases = result.use_cases
    use_cases = use_cases[(use_cases["account_id"] == str(account_id)) & (use_cases["period"] == str(period))]
    inputs = _inputs(result, str(account_id), str(period))
    lines: list[UseCaseLine] = []
    overall_pairs: list[tuple[float, float, str]] = []
    for use_case in rubric.use_cases:
        uc = use_cases[use_cases["use_case"] == use_case.id].iloc[0]
        metric_lines = []
        pairs = []
        for metric in use_case.metrics:
            m = metrics[(metrics["use_case"] == use_case.id) & (metrics["metric"] == metric.id)].iloc[0]
            key = inputs.get(metric.bands_by.by) if metric.bands_by else None
            color = m["color"] if isinstance(m["color"], str) else None
            metric_lines.append(MetricLine(use_case.id, metric, _num(m["numerator"]), _num(m["denominator"]),
                                           _num(m["value"]), m["status"], color, _num(m["points"]),
                                           _band_text(metric, color, key), m["reason"] if isinstance(m["reason"], str) else None,
                                           {c: inputs.get(c) for c in metric.columns}))
            if _num(m["points"]) is not None:
                pairs.append((float(m["points"]), float(metric.weight)))
        if use_case.aggregation == "worst_of":
            formula = f"worst of ({', '.join(f'{p:g}' for p, _ in pairs)})" if pairs else "no metric has data"
        else:
            formula = mean_formula(pairs)
        score = _num(uc["score"])
        if score is not None:
            overall_pairs.append((score, float(use_case.weight), use_case.id))
        lines.append(UseCaseLine(use_case.id, use_case.title, score, uc["color"] if isinstance(uc["color"], str) else None,
                                 uc["status"], _num(uc["coverage"]), formula,
                                 uc["reason"] if isinstance(uc["reason"], str) else None, metric_lines))
    o = row.iloc[0]
    if overall_pairs:
        top = " + ".join(f"{w:g} x {s:.2f} ({u})" for s, w, u in overall_pairs)
        overall_formula = f"({top}) / {sum(w for _, w, _ in overall_pairs):g}"
    else:
        overall_formula = "no use case has a score"
    return Explanation(str(account_id), str(period), rubric, lines, _num(o["score"]),
                       o["color"] if isinstance(o["color"], str) else None, overall_formula,
                       int(o["adopted_use_cases"]))
