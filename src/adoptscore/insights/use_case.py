"""A use case across the portfolio: each metric's distribution with its thresholds, and the color
mix over time."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb

from adoptscore.insights.scorecard import NotFound, Scorecard
from adoptscore.insights.values import plain
from adoptscore.insights.thresholds import format_value
from adoptscore.rubric.models import Metric, Rubric

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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "UseCaseReport":
        """The report :meth:`to_dict` gave."""
        metrics = [MetricDistribution(**{**m, "bins": [Bin(**b) for b in m["bins"]]}) for m in data["metrics"]]
        return cls(**{**data, "metrics": metrics, "mix": [ColorMix(**m) for m in data["mix"]]})


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
    mix in every stored period (computed by the read model's build, :func:`build_reports`)."""
    ids = [u.id for u in card.rubric.use_cases]
    if use_case_id not in ids:
        raise NotFound(f"unknown use case {use_case_id!r}", hint="use cases: " + ", ".join(ids))
    period = card.resolve_period(period)
    return card.memo(("use_case", use_case_id, period), lambda: UseCaseReport.from_dict(json.loads(card.value(
        "SELECT report FROM use_case_reports WHERE use_case = ? AND period = ?", [use_case_id, period]))))


def build_reports(con: duckdb.DuckDBPyConnection, rubric: Rubric) -> None:
    """The ``use_case_reports`` table: every use case's report in every period, as JSON, from the
    build's ``metrics``, ``metric_counts`` and ``use_case_mix`` tables.

    Three grouped passes for all of them (the counts, the quantiles, the bins), not three queries
    per report: a million accounts x 24 months has 144 reports over 200M values."""
    def rows(sql: str) -> list[dict[str, Any]]:
        result = con.execute(sql)
        names = [d[0] for d in result.description]
        return [dict(zip(names, row)) for row in result.fetchall()]

    periods = [r[0] for r in con.execute("SELECT period FROM periods ORDER BY idx").fetchall()]
    stats: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows("""
        SELECT period, use_case, metric, sum(n) FILTER (WHERE status = 'scored') AS scored,
               sum(n) FILTER (WHERE status = 'no_data') AS no_data,
               sum(n) FILTER (WHERE status = 'not_applicable') AS not_applicable,
               sum(n) FILTER (WHERE color = 'green') AS green, sum(n) FILTER (WHERE color = 'yellow') AS yellow,
               sum(n) FILTER (WHERE color = 'red') AS red
        FROM metric_counts GROUP BY ALL"""):
        stats[(r["period"], r["use_case"], r["metric"])] = r
    for r in rows(f"""
        SELECT period, use_case, metric, quantile_cont(value, [0.25, 0.5, 0.75]) AS q, min(value) AS lo,
               quantile_cont(value, 0.99) AS hi
        FROM metrics WHERE {SCORED} GROUP BY ALL"""):
        stats.setdefault((r["period"], r["use_case"], r["metric"]), {}).update(r)
    metrics = {(u.id, m.id): m for u in rubric.use_cases for m in u.metrics}
    ranges = {key: _range(metrics[key[1:]], s["lo"], s["hi"]) for key, s in stats.items()
              if key[1:] in metrics and s.get("lo") is not None and s.get("hi") is not None}
    counts: dict[tuple[str, str, str], dict[int, int]] = {}
    if ranges:
        con.execute("CREATE TEMP TABLE report_ranges (period VARCHAR, use_case VARCHAR, metric VARCHAR, "
                    "low DOUBLE, width DOUBLE)")
        con.executemany("INSERT INTO report_ranges VALUES (?, ?, ?, ?, ?)",
                        [(*key, low, width) for key, (low, width, _) in ranges.items()])
        for r in rows(f"""
            SELECT period, use_case, metric, least(floor((value - low) / width), {BINS}) AS b, count(*) AS n
            FROM metrics JOIN report_ranges USING (period, use_case, metric) WHERE {SCORED} GROUP BY ALL"""):
            counts.setdefault((r["period"], r["use_case"], r["metric"]), {})[r["b"]] = r["n"]
        con.execute("DROP TABLE report_ranges")
    mixes: dict[str, list[ColorMix]] = {}
    for r in rows("""
        SELECT use_case, period, sum(n) FILTER (WHERE color = 'green') AS green,
               sum(n) FILTER (WHERE color = 'yellow') AS yellow, sum(n) FILTER (WHERE color = 'red') AS red,
               sum(n) FILTER (WHERE status = 'no_data') AS no_data,
               sum(n) FILTER (WHERE status = 'not_applicable') AS not_applicable
        FROM use_case_mix GROUP BY use_case, period ORDER BY use_case, period"""):
        mixes.setdefault(r["use_case"], []).append(ColorMix(
            r["period"], int(r["green"] or 0), int(r["yellow"] or 0), int(r["red"] or 0), int(r["no_data"] or 0),
            int(r["not_applicable"] or 0)))
    con.execute("CREATE TABLE use_case_reports (use_case VARCHAR, period VARCHAR, report VARCHAR)")
    for use_case in rubric.use_cases:
        made = []
        for period in periods:
            distributions = [_distribution(metric, stats.get((period, use_case.id, metric.id), {}),
                                           ranges.get((period, use_case.id, metric.id)),
                                           counts.get((period, use_case.id, metric.id), {}))
                             for metric in use_case.metrics]
            report = UseCaseReport(use_case.id, use_case.title, use_case.description, period, distributions,
                                   mixes.get(use_case.id, []), list(use_case.recommendations))
            made.append((use_case.id, period, json.dumps(report.to_dict())))
        con.executemany("INSERT INTO use_case_reports VALUES (?, ?, ?)", made)


SCORED = "status = 'scored' AND value IS NOT NULL"


def _range(metric: Metric, lo: float, hi: float) -> tuple[float, float, float]:
    """(low, width, top) of a metric's bins: from 0 (or the lowest value below it) to the highest of
    the 99th percentile and 1.1 x each threshold, so the cuts are always in view."""
    cuts = [t["value"] for t in _thresholds(metric)]
    top = max([hi, *[c * 1.1 for c in cuts if c > 0]]) if cuts else hi
    low = min(lo, 0.0) if lo >= 0 else lo
    width = (top - low) / BINS if top > low else 1.0
    return low, width, top


def _distribution(metric: Metric, s: dict[str, Any], span: tuple[float, float, float] | None,
                  counts: dict[int, int]) -> MetricDistribution:
    lo, hi = s.get("lo"), s.get("hi")
    bins: list[Bin] = []
    overflow = 0
    if span is not None:
        low, width, top = span
        bins = [Bin(low + i * width, low + (i + 1) * width, int(counts.get(i, 0))) for i in range(BINS)]
        overflow = int(counts.get(BINS, 0))
        lo, hi = low, top
    return MetricDistribution(
        metric.id, metric.title, metric.description, metric.unit, int(s.get("scored") or 0), int(s.get("no_data") or 0),
        int(s.get("not_applicable") or 0), {c: int(s.get(c) or 0) for c in ("green", "yellow", "red")},
        list(s.get("q") or [None, None, None]), bins, overflow, _thresholds(metric), lo, hi)
