"""Two versions of a rubric on the same data: what changed in the rubric, who changes color, and why.

:func:`diff` scores one data set with an old and a new rubric and compares, for one period (or
every period), each use case the two have in common and the overall score:

* a transition matrix of states, old rows by new columns. The states are Red, Yellow, Green,
  "no data" and "not applicable"; missing data is a state of its own, never Red;
* the accounts that change state, with what moved them: the metrics whose color (or status)
  changed, metrics only one version has (added / removed), for the overall score the use cases
  whose score moved, and rubric-level changes when they are what moved the color (see
  :class:`Mover`);
* the color mix old against new;
* the changes in the rubric itself: version, points, score bands, use cases and metrics added or
  removed, weights, thresholds (compared as intervals, so ``> 10%`` equals ``> 0.1``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from adoptscore.errors import DataError, RubricError
from adoptscore.report.document import (
    Colored,
    ColorMix,
    Paragraph,
    Report,
    Section,
    Table,
)
from adoptscore.rubric.bands import parse_interval
from adoptscore.rubric.models import Metric, Rubric, UseCase

#: The states an account can be in for a use case (or overall), in display order.
STATES: tuple[str, ...] = ("red", "yellow", "green", "no_data", "not_applicable")
LABELS = {"red": "Red", "yellow": "Yellow", "green": "Green", "no_data": "no data",
          "not_applicable": "not applicable"}
COLORS = ("red", "yellow", "green")
#: Movers listed in the report (all of them are in :meth:`RubricDiff.to_dict`).
MOVERS_SHOWN = 200
OVERALL = "overall"
_KEYS = ["account_id", "period"]
_BAND_DECIMALS = 9  # the engine colors scores rounded to 9 decimals


# -- shared with backtest --------------------------------------------------------------------------

def states(frame: pd.DataFrame) -> np.ndarray:
    """The state of each result row: its color when scored, else ``no_data`` or ``not_applicable``."""
    status = frame["status"].astype(object).to_numpy()
    color = frame["color"].astype(object).to_numpy()
    scored = (status == "scored") & pd.notna(color)
    return np.where(scored, color, np.where(status == "not_applicable", "not_applicable", "no_data")).astype(object)


def usage_periods(result: Any) -> list[str]:
    """The distinct periods of the usage data behind a score result (computed on its backend)."""
    table = result.data
    column = table[result.rubric.input.period].cast("string")
    values = table.select(p=column).distinct().to_pyarrow()["p"].to_pylist()
    return sorted(str(v) for v in values if v is not None)


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def as_rubric(rubric: Rubric | str | Path) -> Rubric:
    """A rubric as given, or loaded from a bundled name or YAML path."""
    from adoptscore import api

    return rubric if isinstance(rubric, Rubric) else api.load_rubric(rubric)


def rubric_label(rubric: Rubric) -> str:
    return f"{rubric.name} {rubric.version}"


# -- what changed in the rubric --------------------------------------------------------------------

@dataclass(frozen=True)
class RubricChange:
    """One difference between the two rubrics.

    ``where`` is ``rubric``, a use case id, or ``use_case/metric``; ``item`` names what changed
    (``version``, ``points.yellow``, ``score band green``, ``band red``, ``weight``, ``metric``,
    ``use case``, ...); ``change`` is ``changed``, ``added`` or ``removed``.
    """

    where: str
    item: str
    change: str
    old: str | None
    new: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "item": self.item, "change": self.change, "old": self.old, "new": self.new}


def _interval_key(text: str) -> tuple[Any, ...]:
    i = parse_interval(text)
    return (i.low, i.low_inclusive if i.low is not None else None, i.high,
            i.high_inclusive if i.high is not None else None)


def _same_bands(old: dict[str, str] | None, new: dict[str, str] | None) -> bool:
    old, new = old or {}, new or {}
    return set(old) == set(new) and all(_interval_key(old[c]) == _interval_key(new[c]) for c in old)


def thresholds_text(metric: Metric) -> str:
    """A metric's bands as one line, e.g. ``red <= 10%; yellow > 10% and <= 33%; green > 33%``."""
    if metric.bands is not None:
        return "; ".join(f"{color} {interval.source}" for color, interval in metric.ordered_bands)
    assert metric.bands_by is not None
    cases = []
    for case in metric.bands_by.cases:
        inner = "not applicable" if case.not_applicable else \
            ", ".join(f"{color} {interval.source}" for color, interval in case.ordered_bands)
        cases.append(f"{case.range}: {inner}")
    return f"by {metric.bands_by.by}: " + "; ".join(cases)


def _same_band_table(old: Metric, new: Metric) -> bool:
    a, b = old.bands_by, new.bands_by
    if a is None or b is None or a.by != b.by or len(a.cases) != len(b.cases):
        return False
    return all(_interval_key(x.range) == _interval_key(y.range) and x.not_applicable == y.not_applicable
               and _same_bands(x.bands, y.bands) for x, y in zip(a.cases, b.cases))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _metric_changes(use_case: str, old: Metric, new: Metric) -> list[RubricChange]:
    where = f"{use_case}/{old.id}"
    out: list[RubricChange] = []
    if old.bands is not None and new.bands is not None:
        for color in COLORS:
            a, b = old.bands.get(color), new.bands.get(color)
            if a is None and b is None:
                continue
            if a is None or b is None or _interval_key(a) != _interval_key(b):
                change = "added" if a is None else "removed" if b is None else "changed"
                out.append(RubricChange(where, f"band {color}", change, a, b))
    elif not _same_band_table(old, new):
        out.append(RubricChange(where, "bands", "changed", thresholds_text(old), thresholds_text(new)))
    for item in ("numerator", "denominator", "weight", "cap", "direction", "zero_denominator", "unit"):
        a, b = getattr(old, item), getattr(new, item)
        if a != b:
            out.append(RubricChange(where, item, "changed", _text(a), _text(b)))
    return out


def _use_case_changes(old: UseCase, new: UseCase) -> list[RubricChange]:
    out: list[RubricChange] = []
    for item in ("weight", "aggregation", "applies_when", "counts_towards_adoption"):
        a, b = getattr(old, item), getattr(new, item)
        if a != b:
            out.append(RubricChange(old.id, item, "changed", _text(a), _text(b)))
    old_metrics = {m.id: m for m in old.metrics}
    new_metrics = {m.id: m for m in new.metrics}
    for metric_id, metric in old_metrics.items():
        if metric_id not in new_metrics:
            out.append(RubricChange(f"{old.id}/{metric_id}", "metric", "removed",
                                    f"{metric.title}: {thresholds_text(metric)}", None))
    for metric_id, metric in new_metrics.items():
        if metric_id not in old_metrics:
            out.append(RubricChange(f"{old.id}/{metric_id}", "metric", "added", None,
                                    f"{metric.title}: {thresholds_text(metric)}"))
        else:
            out.extend(_metric_changes(old.id, old_metrics[metric_id], metric))
    return out


def rubric_changes(old: Rubric, new: Rubric) -> list[RubricChange]:
    """Every difference between two rubrics that can change a score or a color (plus name and version)."""
    out: list[RubricChange] = []
    for item in ("name", "version"):
        a, b = getattr(old, item), getattr(new, item)
        if a != b:
            out.append(RubricChange("rubric", item, "changed", a, b))
    if old.input.scope != new.input.scope:
        out.append(RubricChange("rubric", "scope", "changed", old.input.scope, new.input.scope))
    for color in COLORS:
        a, b = old.points.of(color), new.points.of(color)
        if a != b:
            out.append(RubricChange("rubric", f"points {color}", "changed", _text(a), _text(b)))
    for color in COLORS:
        a, b = old.score_bands.get(color), new.score_bands.get(color)
        if a is not None and b is not None and _interval_key(a) != _interval_key(b):
            out.append(RubricChange("rubric", f"score band {color}", "changed", a, b))
    old_cases = {u.id: u for u in old.use_cases}
    new_cases = {u.id: u for u in new.use_cases}
    for case_id, case in old_cases.items():
        if case_id not in new_cases:
            out.append(RubricChange(case_id, "use case", "removed", f"{case.title} (weight {case.weight:g})", None))
    for case_id, case in new_cases.items():
        if case_id not in old_cases:
            out.append(RubricChange(case_id, "use case", "added", None, f"{case.title} (weight {case.weight:g})"))
        else:
            out.extend(_use_case_changes(old_cases[case_id], case))
    return out


# -- who moved, and why ----------------------------------------------------------------------------

@dataclass(frozen=True)
class MetricMove:
    """A metric that changed between the versions for one account: its color or status changed,
    or only one version has it (``change`` is ``changed``, ``added`` or ``removed``)."""

    use_case: str
    metric: str
    title: str
    change: str
    old_value: float | None
    new_value: float | None
    old_state: str | None
    new_state: str | None
    old_band: str | None
    new_band: str | None
    old_thresholds: str | None
    new_thresholds: str | None
    value_format: str = ".2f"

    def _side(self, value: float | None, state: str | None, band: str | None) -> str:
        shown = "no value" if value is None else format(value, self.value_format)
        text = f"{shown} {LABELS.get(state or '', state or '')}".strip()
        return f"{text} ({band})" if band else text

    def text(self) -> str:
        if self.change == "added":
            return f"added {self.title}: {self._side(self.new_value, self.new_state, self.new_band)}"
        if self.change == "removed":
            return f"removed {self.title}: {self._side(self.old_value, self.old_state, self.old_band)}"
        return (f"{self.title}: {self._side(self.old_value, self.old_state, self.old_band)} -> "
                f"{self._side(self.new_value, self.new_state, self.new_band)}")

    def to_dict(self) -> dict[str, Any]:
        return {"use_case": self.use_case, "metric": self.metric, "title": self.title, "change": self.change,
                "old_value": self.old_value, "new_value": self.new_value, "old_state": self.old_state,
                "new_state": self.new_state, "old_band": self.old_band, "new_band": self.new_band,
                "old_thresholds": self.old_thresholds, "new_thresholds": self.new_thresholds}


@dataclass(frozen=True)
class UseCaseMove:
    """For an overall mover: a use case whose score or state differs between the versions."""

    use_case: str
    title: str
    change: str
    old_state: str | None
    new_state: str | None
    old_score: float | None
    new_score: float | None

    def text(self) -> str:
        def side(state: str | None, score: float | None) -> str:
            return LABELS.get(state or "", "-") + ("" if score is None else f" {score:.1f}")
        if self.change == "added":
            return f"added use case {self.title}: {side(self.new_state, self.new_score)}"
        if self.change == "removed":
            return f"removed use case {self.title}: {side(self.old_state, self.old_score)}"
        return f"{self.title} {side(self.old_state, self.old_score)} -> {side(self.new_state, self.new_score)}"

    def to_dict(self) -> dict[str, Any]:
        return {"use_case": self.use_case, "title": self.title, "change": self.change, "old_state": self.old_state,
                "new_state": self.new_state, "old_score": self.old_score, "new_score": self.new_score}


@dataclass(frozen=True)
class Mover:
    """An account whose state for a use case (or overall) differs between the versions.

    What moved it, in order:

    * ``metrics``: metrics of the use case (every use case, for overall) whose color or status
      changed, and metrics only one version has that are scored there;
    * ``use_cases`` (overall only): use cases whose score or state changed, or that only one
      version has and scores;
    * ``rubric_reasons``: ``outside the old/new rubric's scope`` when one version did not score the
      account at all; ``score bands`` when the new score would keep its old color under the old
      score bands; ``points`` / ``weights`` when they changed and no metric or use case did.
    """

    account_id: str
    period: str
    use_case: str
    old_state: str
    new_state: str
    old_score: float | None
    new_score: float | None
    metrics: tuple[MetricMove, ...] = ()
    use_cases: tuple[UseCaseMove, ...] = ()
    rubric_reasons: tuple[str, ...] = ()

    @property
    def score_change(self) -> float | None:
        if self.old_score is None or self.new_score is None:
            return None
        return self.new_score - self.old_score

    def because(self) -> str:
        parts = [u.text() for u in self.use_cases] + [m.text() for m in self.metrics] + list(self.rubric_reasons)
        if not parts:
            return "the score moved across a band edge"
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "period": self.period, "use_case": self.use_case,
                "old_state": self.old_state, "new_state": self.new_state, "old_score": self.old_score,
                "new_score": self.new_score, "because": self.because(),
                "metrics": [m.to_dict() for m in self.metrics], "use_cases": [u.to_dict() for u in self.use_cases],
                "rubric_reasons": list(self.rubric_reasons)}


@dataclass(frozen=True)
class Transition:
    """States of one use case (or overall) under both versions, over the same account-periods."""

    use_case: str
    title: str
    matrix: dict[str, dict[str, int]]  # old state -> new state -> accounts
    compared: int

    @property
    def old_counts(self) -> dict[str, int]:
        return {s: sum(self.matrix[s].values()) for s in STATES}

    @property
    def new_counts(self) -> dict[str, int]:
        return {s: sum(self.matrix[o][s] for o in STATES) for s in STATES}

    @property
    def changed(self) -> int:
        return self.compared - sum(self.matrix[s][s] for s in STATES)

    def mix(self) -> list[dict[str, Any]]:
        """Per state: count and share under each version, and the change."""
        old, new = self.old_counts, self.new_counts
        total = self.compared or 1
        return [{"state": s, "old": old[s], "new": new[s], "change": new[s] - old[s],
                 "old_share": old[s] / total, "new_share": new[s] / total,
                 "share_change": (new[s] - old[s]) / total} for s in STATES]

    def to_dict(self) -> dict[str, Any]:
        return {"use_case": self.use_case, "title": self.title, "compared": self.compared, "changed": self.changed,
                "matrix": {o: dict(row) for o, row in self.matrix.items()}, "mix": self.mix()}


@dataclass
class RubricDiff:
    """The comparison of two rubrics on the same data; see :func:`diff`."""

    old: Rubric
    new: Rubric
    periods: list[str]
    source: str
    changes: list[RubricChange]
    transitions: list[Transition]
    movers: list[Mover]
    use_cases_added: list[str] = field(default_factory=list)
    use_cases_removed: list[str] = field(default_factory=list)

    @property
    def compared(self) -> int:
        """Account-periods compared (scored by at least one of the versions)."""
        return self.transitions[0].compared if self.transitions else 0

    def transition(self, use_case: str) -> Transition:
        for t in self.transitions:
            if t.use_case == use_case:
                return t
        raise KeyError(use_case)

    def movers_of(self, use_case: str) -> list[Mover]:
        return [m for m in self.movers if m.use_case == use_case]

    def biggest_mover(self) -> Mover | None:
        """The overall mover whose score changed most (any mover when no overall one has two scores)."""
        for pool in (self.movers_of(OVERALL), self.movers):
            scored = [m for m in pool if m.score_change is not None]
            if scored:
                return max(scored, key=lambda m: (abs(m.score_change or 0.0), m.account_id))
        return self.movers[0] if self.movers else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "diff",
            "old": {"name": self.old.name, "version": self.old.version},
            "new": {"name": self.new.name, "version": self.new.version},
            "source": self.source, "periods": list(self.periods), "compared": self.compared,
            "use_cases_added": list(self.use_cases_added), "use_cases_removed": list(self.use_cases_removed),
            "rubric_changes": [c.to_dict() for c in self.changes],
            "transitions": [t.to_dict() for t in self.transitions],
            "movers": [m.to_dict() for m in self.movers],
        }

    def report(self) -> Report:
        return _report(self)


# -- computing it ----------------------------------------------------------------------------------

def _score_color(score: float | None, rubric: Rubric) -> str | None:
    if score is None:
        return None
    rounded = round(score, _BAND_DECIMALS)
    for color, interval in rubric.ordered_score_bands:
        if interval.contains(rounded):
            return color
    return None


def _band_of(metric: Metric | None, state: str | None) -> str | None:
    if metric is None or metric.bands is None or state not in COLORS:
        return None
    return metric.bands.get(state)  # type: ignore[arg-type]


def _with_states(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame.loc[:, columns + ["score"] if "score" in frame else columns].copy()
    out["state"] = states(frame)
    return out


def _metric_moves(old: pd.DataFrame, new: pd.DataFrame, old_rubric: Rubric, new_rubric: Rubric,
                  keys: pd.DataFrame) -> dict[tuple[str, str], list[MetricMove]]:
    """Metric changes of the account-periods in ``keys``, by (account, period)."""
    cols = _KEYS + ["use_case", "metric", "value", "status", "color"]
    a = old.loc[:, cols].merge(keys, on=_KEYS)
    b = new.loc[:, cols].merge(keys, on=_KEYS)
    a["state"], b["state"] = states(a), states(b)
    both = a.drop(columns=["status", "color"]).merge(
        b.drop(columns=["status", "color"]), on=_KEYS + ["use_case", "metric"], how="outer",
        suffixes=("_old", "_new"), indicator=True)
    side = both["_merge"].astype(str)
    moved = ((side == "both") & (both["state_old"] != both["state_new"])) \
        | ((side == "left_only") & both["state_old"].isin(COLORS)) \
        | ((side == "right_only") & both["state_new"].isin(COLORS))
    both = both[moved]
    old_metrics = {(u.id, m.id): m for u, m in old_rubric.metrics}
    new_metrics = {(u.id, m.id): m for u, m in new_rubric.metrics}
    out: dict[tuple[str, str], list[MetricMove]] = {}
    for row in both.itertuples(index=False):
        key = (row.use_case, row.metric)
        m_old, m_new = old_metrics.get(key), new_metrics.get(key)
        change = "changed" if m_old is not None and m_new is not None else "added" if m_old is None else "removed"
        old_state = None if change == "added" else row.state_old
        new_state = None if change == "removed" else row.state_new
        shown = m_new or m_old
        assert shown is not None
        move = MetricMove(
            use_case=row.use_case, metric=row.metric, title=shown.title, change=change,
            old_value=None if change == "added" else _num(row.value_old),
            new_value=None if change == "removed" else _num(row.value_new),
            old_state=old_state, new_state=new_state,
            old_band=_band_of(m_old, old_state), new_band=_band_of(m_new, new_state),
            old_thresholds=thresholds_text(m_old) if m_old is not None else None,
            new_thresholds=thresholds_text(m_new) if m_new is not None else None,
            value_format=shown.display_format)
        out.setdefault((row.account_id, row.period), []).append(move)
    return out


def _pairs(frame: pd.DataFrame, old_col: str, new_col: str) -> pd.DataFrame:
    return frame[frame[old_col] != frame[new_col]]


class _Side:
    """One rubric's result tables for the compared periods."""

    def __init__(self, result: Any):
        self.rubric: Rubric = result.rubric
        self.overall = result.overall
        self.use_cases = result.use_cases
        self.metrics = result.metrics


def _compare(old: _Side, new: _Side, source: str, periods: list[str]) -> RubricDiff:
    old_ids = [u.id for u in old.rubric.use_cases]
    new_ids = [u.id for u in new.rubric.use_cases]
    common = [u for u in new_ids if u in old_ids]
    titles = {u.id: u.title for u in old.rubric.use_cases}
    titles.update({u.id: u.title for u in new.rubric.use_cases})
    titles[OVERALL] = new.rubric.overall.title

    universe = pd.concat([old.overall[_KEYS], new.overall[_KEYS]]).drop_duplicates().sort_values(_KEYS)
    universe = universe.reset_index(drop=True)
    in_old = universe.merge(old.overall[_KEYS].assign(_in=True), on=_KEYS, how="left")["_in"].fillna(False).to_numpy(bool)
    in_new = universe.merge(new.overall[_KEYS].assign(_in=True), on=_KEYS, how="left")["_in"].fillna(False).to_numpy(bool)
    scope = universe.assign(in_old=in_old, in_new=in_new)

    def side_frame(side: _Side, use_case: str) -> pd.DataFrame:
        frame = side.overall if use_case == OVERALL else side.use_cases[side.use_cases["use_case"] == use_case]
        return _with_states(frame, _KEYS)

    def joined(use_case: str, old_has: bool = True, new_has: bool = True) -> pd.DataFrame:
        a = side_frame(old, use_case) if old_has else pd.DataFrame(columns=_KEYS + ["score", "state"])
        b = side_frame(new, use_case) if new_has else pd.DataFrame(columns=_KEYS + ["score", "state"])
        frame = scope.merge(a, on=_KEYS, how="left").merge(b, on=_KEYS, how="left", suffixes=("_old", "_new"))
        frame["state_old"] = frame["state_old"].fillna("no_data")
        frame["state_new"] = frame["state_new"].fillna("no_data")
        return frame

    compared_cases = [OVERALL] + common
    frames = {u: joined(u) for u in compared_cases}
    transitions = []
    for use_case in compared_cases:
        frame = frames[use_case]
        counts = pd.crosstab(frame["state_old"], frame["state_new"]).reindex(index=list(STATES), columns=list(STATES),
                                                                              fill_value=0)
        matrix = {o: {n: int(counts.loc[o, n]) for n in STATES} for o in STATES}
        transitions.append(Transition(use_case, titles[use_case], matrix, len(frame)))

    mover_keys = pd.concat([_pairs(frames[u], "state_old", "state_new")[_KEYS] for u in compared_cases])
    mover_keys = mover_keys.drop_duplicates()
    both_scored = mover_keys.merge(scope[scope["in_old"] & scope["in_new"]][_KEYS], on=_KEYS)
    metric_moves = _metric_moves(old.metrics, new.metrics, old.rubric, new.rubric, both_scored)

    # overall: use cases whose score or state changed, over every use case of either version
    all_cases = list(dict.fromkeys(old_ids + new_ids))
    overall_movers = _pairs(frames[OVERALL], "state_old", "state_new")[_KEYS]
    case_moves: dict[tuple[str, str], list[UseCaseMove]] = {}
    for use_case in all_cases:
        frame = joined(use_case, use_case in old_ids, use_case in new_ids).merge(overall_movers, on=_KEYS)
        frame = frame[frame["in_old"] & frame["in_new"]]
        change = "changed" if use_case in common else "added" if use_case in new_ids else "removed"
        for row in frame.itertuples(index=False):
            s_old, s_new = _num(row.score_old), _num(row.score_new)
            if change == "changed":
                if row.state_old == row.state_new and (s_old == s_new or
                                                       (s_old is not None and s_new is not None and abs(s_old - s_new) < 1e-9)):
                    continue
            elif (s_new if change == "added" else s_old) is None:
                continue
            case_moves.setdefault((row.account_id, row.period), []).append(UseCaseMove(
                use_case, titles[use_case], change, None if change == "added" else row.state_old,
                None if change == "removed" else row.state_new, None if change == "added" else s_old,
                None if change == "removed" else s_new))

    points_changed = any(old.rubric.points.of(c) != new.rubric.points.of(c) for c in COLORS)
    bands_changed = not _same_bands(old.rubric.score_bands, new.rubric.score_bands)
    case_weights_changed = any(old.rubric.use_case(u).weight != new.rubric.use_case(u).weight for u in common)

    def metric_weights_changed(use_case: str) -> bool:
        a, b = old.rubric.use_case(use_case), new.rubric.use_case(use_case)
        weights_a = {m.id: m.weight for m in a.metrics}
        return a.aggregation != b.aggregation or any(
            weights_a.get(m.id, m.weight) != m.weight for m in b.metrics)

    movers: list[Mover] = []
    for use_case in compared_cases:
        frame = _pairs(frames[use_case], "state_old", "state_new")
        block: list[Mover] = []
        for row in frame.itertuples(index=False):
            key = (row.account_id, row.period)
            s_old, s_new = _num(row.score_old), _num(row.score_new)
            reasons: list[str] = []
            if not row.in_old:
                reasons.append("outside the old rubric's scope")
            if not row.in_new:
                reasons.append("outside the new rubric's scope")
            # for overall, a use case only one version has is named as such, not metric by metric
            metrics = tuple(m for m in metric_moves.get(key, [])
                            if m.use_case == use_case or (use_case == OVERALL and m.use_case in common))
            cases = tuple(case_moves.get(key, [])) if use_case == OVERALL else ()
            if bands_changed and s_new is not None and row.state_old in COLORS \
                    and _score_color(s_new, old.rubric) == row.state_old:
                reasons.append("score bands")
            if not reasons and not metrics and not cases:
                if points_changed:
                    reasons.append("points")
                if case_weights_changed if use_case == OVERALL else metric_weights_changed(use_case):
                    reasons.append("weights")
            block.append(Mover(row.account_id, row.period, use_case, row.state_old, row.state_new, s_old, s_new,
                               metrics, cases, tuple(reasons)))
        block.sort(key=lambda m: (-abs(m.score_change) if m.score_change is not None else 1.0, m.account_id, m.period))
        movers.extend(block)

    return RubricDiff(old=old.rubric, new=new.rubric, periods=periods, source=source,
                      changes=rubric_changes(old.rubric, new.rubric), transitions=transitions, movers=movers,
                      use_cases_added=[u for u in new_ids if u not in old_ids],
                      use_cases_removed=[u for u in old_ids if u not in new_ids])


def diff(data: Any, old_rubric: Rubric | str | Path, new_rubric: Rubric | str | Path, *,
         period: str | None = None, table: str | None = None, layout: str | None = None) -> RubricDiff:
    """Score ``data`` with two rubrics and compare the colors they give.

    ``old_rubric`` and ``new_rubric`` are rubrics, bundled names or YAML paths; they must share a
    name or at least one use case id (``gitlab-2022`` and ``gitlab`` are both named ``gitlab``).
    ``period`` is the period to compare (default: the latest period in the data), or ``'all'`` to
    compare every account-period of the data. ``table`` and ``layout`` are as for
    :func:`adoptscore.score`. Data missing a column either rubric needs raises :class:`DataError`.
    """
    old_result, new_result, chosen = score_pair(data, old_rubric, new_rubric, period=period, table=table,
                                                layout=layout)
    return compare(old_result, new_result, chosen)


def compare(old_result: Any, new_result: Any, periods: list[str]) -> RubricDiff:
    """The comparison of two rubrics' results over the same data and ``periods`` (see :func:`score_pair`)."""
    return _compare(_Side(old_result), _Side(new_result), old_result.source, periods)


def score_pair(data: Any, old_rubric: Rubric | str | Path, new_rubric: Rubric | str | Path, *,
               period: str | None = None, table: str | None = None, layout: str | None = None,
               accounts: list[str] | None = None) -> tuple[Any, Any, list[str]]:
    """``data`` scored by both rubrics over the compared period(s): ``(old result, new result, periods)``.

    ``period`` is as for :func:`diff`; ``accounts`` limits both scorings to those accounts. Rubrics
    sharing neither a name nor a use case raise :class:`RubricError`; a period the data lacks
    raises :class:`DataError`.
    """
    from adoptscore import api

    old, new = as_rubric(old_rubric), as_rubric(new_rubric)
    if old.name != new.name and not {u.id for u in old.use_cases} & {u.id for u in new.use_cases}:
        raise RubricError(
            f"rubrics {rubric_label(old)} and {rubric_label(new)} have different names and no use case in "
            "common: there is nothing to compare",
            hint="compare two versions of the same rubric, e.g. --old gitlab-2022 --new gitlab")
    old_result = api.score(data, old, table=table, layout=layout, accounts=accounts)
    available = usage_periods(old_result)
    if not available:
        raise DataError("the data has no rows", old_result.source or None, hint="give usage data with at least one period")
    if period is None:
        chosen = [available[-1]]
    elif str(period).lower() == "all":
        chosen = available
    elif str(period) in available:
        chosen = [str(period)]
    else:
        shown = ", ".join(available[-12:])
        raise DataError(f"period {period!r} is not in the data", old_result.source or None,
                        hint=f"use one of the data's periods ({shown}) or 'all'")
    # score only the compared period: the rest of the history is not needed
    only = None if chosen == available else chosen
    if only is not None:
        old_result = api.score(data, old, table=table, layout=layout, periods=only, accounts=accounts)
    new_result = api.score(data, new, table=table, layout=layout, periods=only, accounts=accounts)
    return old_result, new_result, chosen


# -- the report ------------------------------------------------------------------------------------

def _tone(state: str) -> Colored:
    return Colored(LABELS.get(state, state), state if state in STATES else None)  # type: ignore[arg-type]


def _matrix_table(t: Transition, old_label: str, new_label: str) -> Table:
    shown = [s for s in STATES if s in COLORS or t.old_counts[s] or t.new_counts[s]]
    rows: list[list[Any]] = []
    for o in shown:
        rows.append([_tone(o), *[t.matrix[o][n] for n in shown], t.old_counts[o]])
    rows.append(["total", *[t.new_counts[n] for n in shown], t.compared])
    return Table(columns=[f"{old_label} \u2193 / {new_label} \u2192", *[LABELS[s] for s in shown], "total"],
                 rows=rows, caption=f"{t.title}: accounts by state, {old_label} (rows) against {new_label} (columns); "
                 "the diagonal kept its state")


def _mix_table(t: Transition) -> Table:
    rows = [[_tone(m["state"]), m["old"], m["old_share"], m["new"], m["new_share"], m["change"], m["share_change"]]
            for m in t.mix() if m["state"] in COLORS or m["old"] or m["new"]]
    return Table(columns=["state", "old", "old share", "new", "new share", "change", "change in share"], rows=rows,
                 formats={"old share": ".1%", "new share": ".1%", "change": "+d", "change in share": "+.1%"})


def _report(d: RubricDiff) -> Report:
    old_label, new_label = rubric_label(d.old), rubric_label(d.new)
    when = d.periods[0] if len(d.periods) == 1 else f"{len(d.periods)} periods ({d.periods[0]} to {d.periods[-1]})"
    figures: list[tuple[str, str]] = [("accounts compared", f"{d.compared:,}"), ("period", when)]
    for t in d.transitions:
        share = t.changed / t.compared if t.compared else 0.0
        figures.append((f"changing color: {t.title}", f"{t.changed:,} ({share:.0%})"))
    big = d.biggest_mover()
    if big is not None:
        def side(state: str, score: float | None) -> str:
            return LABELS[state] + ("" if score is None else f" {score:.1f}")
        figures.append(("biggest mover", (f"{big.account_id} ({big.use_case}): {side(big.old_state, big.old_score)} -> "
                        f"{side(big.new_state, big.new_score)}")))
    warnings = []
    if not d.changes:
        warnings.append("the two rubrics score alike: no threshold, point, band, weight or metric differs")
    if d.compared == 0:
        warnings.append("no account was scored by either rubric in the compared period")

    sections = []
    change_rows = [[c.where, c.item, c.change, c.old, c.new] for c in d.changes]
    blocks: list[Any] = [Table(columns=["where", "what", "change", old_label, new_label], rows=change_rows,
                               caption="thresholds are compared as intervals ('> 10%' equals '> 0.1')")] \
        if change_rows else [Paragraph("no difference that affects scores", "note")]
    if d.use_cases_added or d.use_cases_removed:
        text = []
        if d.use_cases_added:
            text.append(f"only in {new_label}: {', '.join(d.use_cases_added)}")
        if d.use_cases_removed:
            text.append(f"only in {old_label}: {', '.join(d.use_cases_removed)}")
        blocks.append(Paragraph("use cases not compared (" + "; ".join(text) + "); they count in the overall score "
                                "of the version that has them", "note"))
    sections.append(Section("What changed in the rubric", blocks))

    for t in d.transitions:
        mix = ColorMix(title=f"{t.title}: color mix", bars=[
            (old_label, {s: t.old_counts[s] for s in STATES}), (new_label, {s: t.new_counts[s] for s in STATES})])
        sections.append(Section(f"{t.title}: transitions", [
            Paragraph(f"{t.changed:,} of {t.compared:,} account-periods change state."),
            _matrix_table(t, old_label, new_label), mix, _mix_table(t)]))

    rows = []
    multi = len(d.periods) > 1
    for m in d.movers[:MOVERS_SHOWN]:
        rows.append([m.account_id, *([m.period] if multi else []), m.use_case, _tone(m.old_state), _tone(m.new_state),
                     m.old_score, m.new_score, m.because()])
    columns = ["account", *(["period"] if multi else []), "use case", old_label, new_label, "old score", "new score",
               "what moved it"]
    blocks = [Table(columns=columns, rows=rows, formats={"old score": ".1f", "new score": ".1f"})] if rows else \
        [Paragraph("no account changes state", "note")]
    if len(d.movers) > MOVERS_SHOWN:
        blocks.append(Paragraph(f"showing the first {MOVERS_SHOWN} of {len(d.movers):,} changes (largest score "
                                "changes first, per use case); the JSON output lists them all", "note"))
    sections.append(Section("Accounts that change color", blocks))
    return Report(title=f"Rubric diff: {old_label} -> {new_label}",
                  subtitle=f"{d.source or 'data'}, {when}", figures=figures, warnings=warnings, sections=sections)
