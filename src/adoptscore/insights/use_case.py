"""A use case across the portfolio: each metric's distribution with its thresholds, and the color
mix over time."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adoptscore.insights.scorecard import NotFound, Scorecard
from adoptscore.insights.values import plain
from adoptscore.sqltext import literal
from adoptscore.insights.thresholds import format_value
from adoptscore.rubric.models import Metric

BINS = 30


@dataclass
class Bin:
    low: float
    high: float
    count: int


@dataclass
class MetricDistribution:
    id: str
    title: str
    description: str | None
    unit: str
    scored: int
    no_data: int
    not_applicable: int
    colors: dict[str, int]
    quartiles: list[float | None]          # p25, p50, p75
    bins: list[Bin]
    overflow: int                          # values above the last bin (the top 1%), kept out of the bins' range
    thresholds: list[dict[str, Any]]       # {value, text, between}; band tables: one set per case
    low: float | None
    high: float | None


@dataclass
class ColorMix:
    period: str
    green: int
    yellow: int
    red: int
    no_data: int
    not_applicable: int


@dataclass
class UseCaseReport:
    id: str
    title: str
    description: str | None
    period: str
    metrics: list[MetricDistribution]
    mix: list[ColorMix]
    recommendations: list[str]

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


def _thresholds(metric: Metric) -> list[dict[str, Any]]:
    cuts = []
    cases = [(None, metric.ordered_bands)] if metric.bands_by is None else \
        [(case.range, case.ordered_bands) for case in metric.bands_by.cases if case.bands]
    for label, ordered in cases:
        for (c1, i1), (c2, _) in zip(ordered, ordered[1:]):
            if i1.high is None:
                continue
            text = f"{c1}|{c2} at {format_value(metric, i1.high)}"
            if label:
                text += f" ({metric.bands_by.by} {label})"
            cuts.append({"value": i1.high, "text": text, "between": [c1, c2], "case": label})
    return cuts


def use_case_report(card: Scorecard, use_case_id: str, period: str | None = None) -> UseCaseReport:
    """Distributions of ``use_case_id``'s metrics in ``period`` (default latest), and its color
    mix in every stored period."""
    return card.memo(("use_case", use_case_id, period or card.latest), lambda: _report(card, use_case_id, period))


def _report(card: Scorecard, use_case_id: str, period: str | None) -> UseCaseReport:
    ids = [u.id for u in card.rubric.use_cases]
    if use_case_id not in ids:
        raise NotFound(f"unknown use case {use_case_id!r}", hint="use cases: " + ", ".join(ids))
    period = card.resolve_period(period)
    use_case = card.rubric.use_case(use_case_id)
    u, p = literal(use_case_id), literal(period)
    stats = {r["metric"]: r for r in card.rows(f"""
        SELECT metric, sum(n) FILTER (WHERE status = 'scored') AS scored,
               sum(n) FILTER (WHERE status = 'no_data') AS no_data,
               sum(n) FILTER (WHERE status = 'not_applicable') AS not_applicable,
               sum(n) FILTER (WHERE color = 'green') AS green, sum(n) FILTER (WHERE color = 'yellow') AS yellow,
               sum(n) FILTER (WHERE color = 'red') AS red
        FROM metric_counts WHERE period = {p} AND use_case = {u} GROUP BY metric""")}
    for r in card.rows(f"""
        SELECT metric, quantile_cont(value, [0.25, 0.5, 0.75]) AS q, min(value) AS lo, quantile_cont(value, 0.99) AS hi
        FROM metric_values WHERE period = {p} AND use_case = {u} GROUP BY metric"""):
        stats.setdefault(r["metric"], {}).update(r)
    distributions = []
    for metric in use_case.metrics:
        s = stats.get(metric.id, {})
        lo, hi = s.get("lo"), s.get("hi")
        bins: list[Bin] = []
        overflow = 0
        if lo is not None and hi is not None:
            cuts = [t["value"] for t in _thresholds(metric)]
            top = max([hi, *[c * 1.1 for c in cuts if c > 0]]) if cuts else hi
            low = min(lo, 0.0) if lo >= 0 else lo
            width = (top - low) / BINS if top > low else 1.0
            counts = {r["b"]: r["n"] for r in card.rows(f"""
                SELECT least(floor((value - {low!r}) / {width!r}), {BINS}) AS b, count(*) AS n
                FROM metric_values WHERE period = {p} AND use_case = {u} AND metric = {literal(metric.id)}
                GROUP BY 1""")}
            bins = [Bin(low + i * width, low + (i + 1) * width, int(counts.get(i, 0))) for i in range(BINS)]
            overflow = int(counts.get(BINS, 0))
            hi = top
            lo = low
        distributions.append(MetricDistribution(
            metric.id, metric.title, metric.description, metric.unit, int(s.get("scored") or 0), int(s.get("no_data") or 0),
            int(s.get("not_applicable") or 0), {c: int(s.get(c) or 0) for c in ("green", "yellow", "red")},
            list(s.get("q") or [None, None, None]), bins, overflow, _thresholds(metric), lo, hi))
    mix = [ColorMix(r["period"], int(r["green"] or 0), int(r["yellow"] or 0), int(r["red"] or 0), int(r["no_data"] or 0),
                    int(r["not_applicable"] or 0)) for r in card.rows(f"""
        SELECT period, sum(n) FILTER (WHERE color = 'green') AS green, sum(n) FILTER (WHERE color = 'yellow') AS yellow,
               sum(n) FILTER (WHERE color = 'red') AS red, sum(n) FILTER (WHERE status = 'no_data') AS no_data,
               sum(n) FILTER (WHERE status = 'not_applicable') AS not_applicable
        FROM use_case_mix WHERE use_case = {u} GROUP BY period ORDER BY period""")]
    return UseCaseReport(use_case.id, use_case.title, use_case.description, period, distributions, mix,
                         list(use_case.recommendations))
