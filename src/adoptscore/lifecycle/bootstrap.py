"""Bootstrap intervals for a backtest: how sure its AUC and lifts are, and whether two versions differ.

The outcomes are resampled with replacement ``draws`` times (a fixed seed: the same input gives the
same intervals). Each rubric's figures are recomputed on every resample; two rubrics are compared
on the *same* resamples (a paired bootstrap), so what the outcomes have in common cancels out. An
interval is the 2.5th to 97.5th percentile of the resampled values; a difference is significant
when its interval leaves out 0.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from adoptscore.lifecycle.ranking import auc as rank_auc

DRAWS = 1000
SEED = 0


@dataclass(frozen=True)
class Interval:
    """A 95% bootstrap interval (``None`` ends: too few resamples had the figure defined)."""

    low: float | None
    high: float | None
    draws: int

    @property
    def excludes_zero(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)

    def to_dict(self) -> dict[str, float | int | None]:
        return {"low": self.low, "high": self.high, "draws": self.draws}


@dataclass(frozen=True)
class Sides:
    """One rubric's outcomes as arrays aligned on the outcomes file: score (NaN without a color),
    category (red, yellow, green, not_applicable, no_score) and whether the outcome was bad."""

    score: np.ndarray
    category: np.ndarray
    bad: np.ndarray


def resamples(n: int, draws: int = DRAWS, seed: int = SEED) -> np.ndarray:
    """``draws`` x ``n`` row indices, drawn with replacement."""
    return np.random.default_rng(seed).integers(0, n, size=(draws, n))


def _auc_of(sides: Sides, rows: np.ndarray) -> float | None:
    score, bad = sides.score[rows], sides.bad[rows]
    colored = ~np.isnan(score)
    # a higher score should mean fewer bad outcomes: rank by -score
    return rank_auc(-score[colored], bad[colored])


def _lift_of(sides: Sides, rows: np.ndarray, category: str) -> float | None:
    bad = sides.bad[rows]
    base = bad.mean() if len(bad) else 0.0
    mask = sides.category[rows] == category
    if not mask.any() or base == 0:
        return None
    return float(bad[mask].mean() / base)


def _interval(values: list[float | None]) -> Interval:
    defined = np.array([v for v in values if v is not None], dtype=float)
    # fewer than 95% of the resamples with a value: an interval would hide how often it is undefined
    if len(defined) < 0.95 * len(values) or not len(defined):
        return Interval(None, None, len(values))
    low, high = np.percentile(defined, [2.5, 97.5])
    return Interval(float(low), float(high), len(values))


def auc_interval(sides: Sides, draws: np.ndarray) -> Interval:
    return _interval([_auc_of(sides, rows) for rows in draws])


def lift_interval(sides: Sides, draws: np.ndarray, category: str) -> Interval:
    return _interval([_lift_of(sides, rows, category) for rows in draws])


def auc_difference(first: Sides, second: Sides, draws: np.ndarray) -> Interval:
    """Interval of (second's AUC - first's AUC) over the same resamples."""
    diffs: list[float | None] = []
    for rows in draws:
        a, b = _auc_of(first, rows), _auc_of(second, rows)
        diffs.append(None if a is None or b is None else b - a)
    return _interval(diffs)


def lift_difference(first: Sides, second: Sides, draws: np.ndarray, category: str) -> Interval:
    diffs: list[float | None] = []
    for rows in draws:
        a, b = _lift_of(first, rows, category), _lift_of(second, rows, category)
        diffs.append(None if a is None or b is None else b - a)
    return _interval(diffs)
