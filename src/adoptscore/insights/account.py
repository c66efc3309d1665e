"""One account's scorecard for one period: what the account page and the customer deck show.

Every number comes from the stored score rows; this module only selects, compares and words
them: trends, the band each value is in, the percentile among similar accounts, why a score
changed since the previous period, and the areas of focus with their gaps in the customer's units.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

from adoptscore.insights.scope import EVERYTHING, Scope
from adoptscore.insights.scorecard import COLOR_RANK, NotFound, Scorecard
from adoptscore.insights.thresholds import Gap, bands_for, format_count, format_value, gap_to
from adoptscore.insights.values import number as _num, plain as _plain
from adoptscore.rubric.applicability import metric_sentence, not_applicable_sentence
from adoptscore.rubric.models import Metric, Rubric, UseCase


@dataclass
class Point:
    period: str
    value: float | None
    color: str | None


@dataclass
class PeerStanding:
    """Where the account's value stands among similar accounts (never naming one)."""

    group: str              # e.g. "segment = Enterprise, industry = Finance"
    level: str              # the peer level's columns, e.g. "segment + industry"
    size: int               # accounts in the group with a value, the account included
    better_than: float      # share of the other accounts whose value is worse, ties half (0-100)
    broadened: bool         # a more specific group had fewer than the minimum accounts
    note: str


@dataclass
class Band:
    color: str
    interval: str


@dataclass
class MetricDriver:
    """Why a metric's value moved between two periods."""

    metric: str
    title: str
    previous_value: float | None
    value: float | None
    previous_color: str | None
    color: str | None
    cause: str              # numerator, denominator, both, no_data, data_returned
    text: str


@dataclass
class MetricView:
    use_case: str
    id: str
    title: str
    description: str | None
    unit: str
    direction: str
    numerator: float | None
    denominator: float | None
    numerator_unit: str | None
    denominator_unit: str | None
    value: float | None
    value_text: str
    status: str
    color: str | None
    points: float | None
    reason: str | None
    band: str | None                    # the interval the value is in
    bands: list[Band]
    weight: float
    trend: list[Point]
    peers: PeerStanding | None
    recommendation: str | None
    applicability: str | None = None    # not applicable: why, in a sentence (None: its use case says it)


@dataclass
class Change:
    """A use case's score change since the previous period, with the metrics that moved it."""

    use_case: str
    title: str
    previous_period: str
    previous_score: float | None
    score: float | None
    previous_color: str | None
    color: str | None
    dropped: bool
    drivers: list[MetricDriver]
    text: str


@dataclass
class FocusArea:
    """A metric whose move to the next band would raise the scores most."""

    use_case: str
    use_case_title: str
    metric: str
    title: str
    color: str
    target: str
    gap: Gap
    use_case_score: float | None
    use_case_score_after: float
    overall_score: float | None
    overall_score_after: float | None
    use_case_color_after: str
    recommendation: str | None
    features: list[str]
    caveat: str | None = None           # other metrics read the same input, so they would move too

    @property
    def overall_gain(self) -> float:
        if self.overall_score is None or self.overall_score_after is None:
            return 0.0
        return self.overall_score_after - self.overall_score


@dataclass
class UseCaseView:
    id: str
    title: str
    description: str | None
    weight: float
    score: float | None
    color: str | None
    status: str
    reason: str | None
    adopted: bool | None
    trend: list[Point]
    metrics: list[MetricView]
    recommendations: list[str]
    applicability: str | None = None    # not applicable: why, in a sentence built from the rubric


@dataclass
class AccountView:
    """Everything the account page and the deck show about one account in one period."""

    account_id: str
    name: str
    period: str
    previous_period: str | None
    rubric: str
    rubric_version: str
    rubric_title: str
    attributes: dict[str, Any]
    overall_title: str
    score: float | None
    color: str | None
    status: str
    adopted_use_cases: int
    adoptable_use_cases: int
    use_cases_scored: int
    trend: list[Point]
    use_cases: list[UseCaseView]
    changes: list[Change]
    focus: list[FocusArea]
    periods: list[str] = field(default_factory=list)

    def use_case(self, use_case_id: str) -> UseCaseView:
        return next(u for u in self.use_cases if u.id == use_case_id)

    def to_dict(self) -> dict[str, Any]:
        data = _plain(self)
        for item, area in zip(data["focus"], self.focus):
            item["overall_gain"] = _plain(area.overall_gain)
        return data


# -- scoring arithmetic for what-if (the engine's formulas, docs/scoring-semantics.md) -----------
def _color_of(rubric: Rubric, score: float) -> str:
    rounded = round(score, 9)
    return next(c for c, interval in rubric.ordered_score_bands if interval.contains(rounded))


def _use_case_score(use_case: UseCase, points: dict[str, float | None]) -> float | None:
    scored = [(points[m.id], m.weight) for m in use_case.metrics if points.get(m.id) is not None]
    if not scored:
        return None
    if use_case.aggregation == "worst_of":
        return min(p for p, _ in scored)
    return sum(p * w for p, w in scored) / sum(w for _, w in scored)


def _overall(rubric: Rubric, scores: dict[str, float | None]) -> float | None:
    present = [(scores[u.id], u.weight) for u in rubric.use_cases if scores.get(u.id) is not None]
    if not present:
        return None
    return sum(s * w for s, w in present) / sum(w for _, w in present)


# -- building ---------------------------------------------------------------------------------
def account_view(card: Scorecard, account_id: str, period: str | None = None, *, history: int = 12,
                 focus: int = 3, scope: Scope = EVERYTHING, rows: list[dict[str, Any]] | None = None) -> AccountView:
    """Build the scorecard of ``account_id`` in ``period`` (default: the latest stored period).

    An account outside ``scope`` (judged on its latest row) is :class:`NotFound`, the same answer
    as for an account that does not exist: a reader learns nothing of accounts they may not see.
    ``rows``: ``card.account_rows(account_id)``, when the caller has read them already."""
    account_id = str(account_id)
    if period is not None:
        card.resolve_period(period, NotFound)
    if rows is None:
        rows = card.account_rows(account_id)
    if not rows or not scope.admits(rows[-1]):
        raise NotFound(f"no account {account_id!r} in the scores of {card.rubric.name} {card.version}",
                       hint="check the account id (search the portfolio)")
    by_period = {r["period"]: r for r in rows}
    if period is None:
        period = rows[-1]["period"]
    if period not in by_period:
        raise NotFound(f"account {account_id!r} has no scores for period {period!r}",
                       hint="its periods: " + ", ".join(sorted(by_period)[-12:]))
    window = [p for p in card.periods if p <= period][-history:]
    row = by_period[period]
    previous = card.previous_period(period)
    rubric = card.rubric

    # the columns the page reads, not the segments the read model adds for peer groups: DuckDB
    # decompresses every column it returns for the whole row group
    metric_rows = card.rows("SELECT period, use_case, metric, numerator, denominator, value, status, color, points, "
                            "reason FROM metrics WHERE account_id = ? AND period >= ? AND period <= ? "
                            "ORDER BY period", [account_id, window[0], period])
    use_case_rows = card.rows("SELECT * FROM use_cases WHERE account_id = ? AND period >= ? AND period <= ? "
                              "ORDER BY period", [account_id, window[0], period])
    keys = _band_keys(card, account_id, period)
    current_metrics = {(r["use_case"], r["metric"]): r for r in metric_rows if r["period"] == period}
    peers = _peer_standings(card, period, row, current_metrics.values())
    previous_metrics = {(r["use_case"], r["metric"]): r for r in metric_rows if r["period"] == previous}
    current_use_cases = {r["use_case"]: r for r in use_case_rows if r["period"] == period}
    previous_use_cases = {r["use_case"]: r for r in use_case_rows if r["period"] == previous}

    use_case_views = []
    for use_case in rubric.use_cases:
        metrics = []
        for metric in use_case.metrics:
            m = current_metrics.get((use_case.id, metric.id))
            key = keys.get(metric.bands_by.by) if metric.bands_by else None
            trend = [Point(r["period"], _num(r["value"]) if r["status"] == "scored" else None, r["color"])
                     for r in metric_rows if r["use_case"] == use_case.id and r["metric"] == metric.id]
            metrics.append(_metric_view(use_case, metric, m, key, trend, peers.get((use_case.id, metric.id))))
        uc = current_use_cases.get(use_case.id, {})
        trend = [Point(r["period"], _num(r["score"]), r["color"]) for r in use_case_rows if r["use_case"] == use_case.id]
        use_case_views.append(UseCaseView(
            use_case.id, use_case.title, use_case.description, use_case.weight, _num(uc.get("score")),
            uc.get("color"), uc.get("status", "no_data"), uc.get("reason"), uc.get("adopted"), trend, metrics,
            list(use_case.recommendations),
            not_applicable_sentence(use_case, uc.get("reason")) if uc.get("status") == "not_applicable" else None))

    overall_trend = [Point(p, _num(by_period[p]["score"]), by_period[p]["color"]) for p in window if p in by_period]
    changes = score_changes(card.rubric, previous, use_case_views, previous_use_cases, current_metrics, previous_metrics)
    areas = _focus(rubric, use_case_views, _num(row["score"]), keys)[:focus]
    attributes = {c: _plain(row.get(c)) for c in [*card.segment_columns, *card.attribute_columns]}
    return AccountView(
        account_id, row["name"], period, previous, rubric.name, card.version, rubric.title or rubric.name,
        attributes, rubric.overall.title, _num(row["score"]), row["color"], row["status"],
        int(row["adopted_use_cases"] or 0), sum(1 for u in rubric.use_cases if u.counts_towards_adoption),
        int(row["use_cases_scored"] or 0), overall_trend, use_case_views, changes, areas, window)


def _band_keys(card: Scorecard, account_id: str, period: str) -> dict[str, float | None]:
    if not any(m.bands_by for _, m in card.rubric.metrics):
        return {}
    rows = card.rows("SELECT * FROM band_keys WHERE account_id = ? AND period = ?", [account_id, period])
    if not rows:
        return {}
    return {k: _num(v) for k, v in rows[0].items() if k not in ("account_id", "period")}


def _metric_view(use_case: UseCase, metric: Metric, row: dict | None, key: float | None, trend: list[Point],
                 peers: PeerStanding | None) -> MetricView:
    row = row or {}
    ordered = bands_for(metric, key)
    color = row.get("color")
    band = next((str(i) for c, i in ordered if c == color), None)
    value = _num(row.get("value"))
    return MetricView(
        use_case.id, metric.id, metric.title, metric.description, metric.unit, metric.direction,
        _num(row.get("numerator")), _num(row.get("denominator")), metric.numerator_unit, metric.denominator_unit,
        value, format_value(metric, value) if row.get("status") == "scored" else "no data",
        row.get("status", "no_data"), color, _num(row.get("points")), row.get("reason"), band,
        [Band(c, str(i)) for c, i in ordered], metric.weight, trend, peers, metric.recommendation,
        metric_sentence(use_case, metric, row.get("reason")) if row.get("status") == "not_applicable" else None)


def _peer_standings(card: Scorecard, period: str, row: dict, metrics: Iterable[dict]) -> dict[tuple[str, str], PeerStanding]:
    """Standing of each of the account's scored metrics (``metrics``: its rows in ``period``)."""
    index = card.peer_index()
    out = {}
    for r in metrics:
        if r["status"] != "scored" or _num(r["value"]) is None:
            continue
        metric = card.metric(r["use_case"], r["metric"])
        for level_index, level in enumerate(card.peer_levels):
            segments = [row.get(c) for c in level.columns]
            if any(s is None for s in segments):
                continue
            # the size first: a broad group's standing searches each of its keys' values
            if index.size(level_index, period, r["use_case"], r["metric"], segments) < card.MIN_PEERS:
                continue
            size, below, equal = index.standing(level_index, period, r["use_case"], r["metric"], segments,
                                                 float(r["value"]))
            others, ties = size - 1, equal - 1
            above = others - below - ties
            worse = below if metric.direction == "higher_is_better" else above
            better_than = 100.0 * (worse + ties / 2) / others
            group = ", ".join(f"{c} = {row.get(c)}" for c in level.columns) or "all accounts"
            broadened = level_index > 0
            note = f"among {size:,} accounts ({group})"
            if broadened:
                note += f"; fewer than {card.MIN_PEERS} accounts share its {card.peer_levels[0].label}, " \
                        "so the group was broadened"
            out[(r["use_case"], r["metric"])] = PeerStanding(group, level.label, size, better_than, broadened, note)
            break
    return out


def _driver(metric: Metric, now: dict | None, before: dict | None) -> MetricDriver | None:
    now, before = now or {}, before or {}
    v1, v0 = _num(now.get("value")), _num(before.get("value"))
    c1, c0 = now.get("color"), before.get("color")
    scored1, scored0 = now.get("status") == "scored", before.get("status") == "scored"
    if scored1 and scored0 and c1 == c0 and now.get("points") == before.get("points"):
        return None
    if not scored0 and not scored1:
        return None
    if scored0 and not scored1:
        reason = now.get("reason") or "no data"
        return MetricDriver(metric.id, metric.title, v0, None, c0, None, "no_data",
                            f"{metric.title}: no data this period ({reason}); it was {format_value(metric, v0)}")
    if scored1 and not scored0:
        return MetricDriver(metric.id, metric.title, None, v1, None, c1, "data_returned",
                            f"{metric.title}: {format_value(metric, v1)} ({c1}); no data the period before")
    n1, n0 = _num(now.get("numerator")), _num(before.get("numerator"))
    d1, d0 = _num(now.get("denominator")), _num(before.get("denominator"))
    direction = "rose" if (v1 or 0) > (v0 or 0) else "fell"
    text = f"{metric.title} {direction} from {format_value(metric, v0)} to {format_value(metric, v1)} " \
           f"({c0.title()} to {c1.title()})"
    unit_n = metric.numerator_unit or metric.numerator
    cause = "numerator"
    if metric.denominator is not None and None not in (n0, n1, d0, d1):
        n_moved, d_moved = n1 != n0, d1 != d0
        moved_n = f"{unit_n} went from {format_count(n0)} to {format_count(n1)}"
        unit_d = metric.denominator_unit or metric.denominator
        moved_d = f"{unit_d} went from {format_count(d0)} to {format_count(d1)}"
        if n_moved and not d_moved:
            cause, text = "numerator", f"{text}: {moved_n} while {unit_d} stayed at {format_count(d1)}"
        elif d_moved and not n_moved:
            cause, text = "denominator", f"{text}: {moved_d} while {unit_n} stayed at {format_count(n1)}"
        else:
            # which moved the ratio more: compare the log changes (0 counts: the one that hit 0)
            def step(a: float, b: float) -> float:
                return abs(math.log(b / a)) if a > 0 and b > 0 else math.inf

            cause = "both"
            lead = moved_n if step(n0, n1) >= step(d0, d1) else moved_d
            other = moved_d if lead is moved_n else moved_n
            text = f"{text}: {lead}, and {other}"
    elif None not in (n0, n1):
        text = f"{text}: {unit_n} went from {format_count(n0)} to {format_count(n1)}"
    return MetricDriver(metric.id, metric.title, v0, v1, c0, c1, cause, text)


def score_changes(rubric: Rubric, previous: str | None, views: list[UseCaseView], before_uc: dict,
                  now_metrics: dict, before_metrics: dict) -> list[Change]:
    """Use cases whose score or color differs from ``previous`` period's, each with the metrics
    that moved it (numerator, denominator or both); ``before_uc`` and the metric dicts hold the
    stored rows keyed by use case and by (use case, metric)."""
    if previous is None:
        return []
    changes = []
    for view in views:
        before = before_uc.get(view.id)
        if before is None:
            continue
        s0, c0 = _num(before.get("score")), before.get("color")
        if s0 == view.score and c0 == view.color:
            continue
        use_case = rubric.use_case(view.id)
        drivers = [d for m in use_case.metrics
                   if (d := _driver(m, now_metrics.get((view.id, m.id)), before_metrics.get((view.id, m.id))))]
        dropped = c0 in COLOR_RANK and view.color in COLOR_RANK and COLOR_RANK[c0] > COLOR_RANK[view.color]
        if s0 is None:
            head = f"{view.title} has a score again: {view.score:.1f} ({view.color})"
        elif view.score is None:
            head = f"{view.title} has no score this period (it was {s0:.1f}, {c0})"
        else:
            head = f"{view.title} went from {s0:.1f} ({c0}) to {view.score:.1f} ({view.color})"
        changes.append(Change(view.id, view.title, previous, s0, view.score, c0, view.color, dropped, drivers,
                              head))
    # drops first, then the biggest moves
    changes.sort(key=lambda c: (not c.dropped, -abs((c.score or 0) - (c.previous_score or 0))))
    return changes


def _focus(rubric: Rubric, views: list[UseCaseView], overall: float | None, keys: dict) -> list[FocusArea]:
    """Every one-band improvement of a scored metric, ranked by the overall score it would add
    (then by the use case score), each with its gap in the customer's units."""
    scores = {v.id: v.score for v in views}
    areas = []
    for view in views:
        if view.score is None:
            continue
        use_case = rubric.use_case(view.id)
        points = {m.id: m.points for m in view.metrics}
        for m in view.metrics:
            if m.status != "scored" or m.color not in ("red", "yellow"):
                continue
            metric = next(x for x in use_case.metrics if x.id == m.id)
            key = keys.get(metric.bands_by.by) if metric.bands_by else None
            present = [c for c, _ in bands_for(metric, key)]
            # the next better band this account's bands have (a band table may skip Yellow)
            target = next((c for c in ("yellow", "green") if c in present and COLOR_RANK[c] > COLOR_RANK[m.color]), None)
            if target is None:
                continue
            gap = gap_to(metric, m.color, m.numerator, m.denominator, m.value, key, target)
            if gap is None:
                continue
            target = gap.target  # a whole unit may land past the next band
            after_points = dict(points, **{m.id: rubric.points.of(target)})
            uc_after = _use_case_score(use_case, after_points)
            overall_after = _overall(rubric, dict(scores, **{view.id: uc_after}))
            columns = set(metric.numerator_expression.columns)
            shared = [other.title for _, other in rubric.metrics
                      if other is not metric and columns & set(other.columns)]
            caveat = None
            if shared:
                caveat = (f"{', '.join(shared[:3])}{' and others' if len(shared) > 3 else ''} also read "
                          f"{', '.join(sorted(columns))}: the scores after assume they stay as they are")
            areas.append(FocusArea(
                view.id, view.title, m.id, m.title, m.color, target, gap, view.score, uc_after, overall,
                overall_after, _color_of(rubric, uc_after), metric.recommendation, list(use_case.recommendations),
                caveat))
    areas.sort(key=lambda a: (-round(a.overall_gain, 9), -(a.use_case_score_after - (a.use_case_score or 0)),
                              a.use_case, a.metric))
    return areas
