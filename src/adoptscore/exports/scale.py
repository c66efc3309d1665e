"""Rubric scores on Gainsight's 0-100 numeric scale, as whole numbers that keep their color.

A rubric's points (GitLab: Red 25, Yellow 63, Green 88) already lie on a 0-100 scale, so its
scores pass through unchanged. That is taken to be the case when every color's points lie within
0-100 and the best color's are above 50; any other rubric (points 1/2/3, or 0-1000) is mapped
linearly, its lowest points to 0 and its highest to 100, and its score bands with it.

Gainsight's numeric scheme files whole scores into ranges whose lower edge is excluded (Red 0-50,
Yellow 51-75, Green 76-100 for the rubric's "<= 50", "> 50 and <= 75", "> 75"). Rounding alone
would recolor a score: 75.4 is Green in the rubric but 75 is Yellow in Gainsight. So the whole
score is the rounded score moved, when needed, to the nearest whole number inside its own color's
band: 75.4 (Green) becomes 76, 50.3 (Yellow) becomes 51. The exact score is exported beside it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from adoptscore.rubric.models import Rubric
from adoptscore.sqltext import literal

DECIMALS = 9  # Gainsight keeps at most 9 decimal places


@dataclass(frozen=True)
class GainsightScale:
    """How one rubric's scores map onto 0-100: ``low`` maps to 0, ``high`` to 100, and each color
    keeps the whole scores in ``ranges[color]`` (inclusive)."""

    low: float
    high: float
    ranges: dict[str, tuple[int, int]]

    @classmethod
    def of(cls, rubric: Rubric) -> GainsightScale:
        points = [rubric.points.red, rubric.points.yellow, rubric.points.green]
        on_100 = min(points) >= 0 and 50 < max(points) <= 100
        low, high = (0.0, 100.0) if on_100 else (min(points), max(points))
        if high <= low:
            low, high = 0.0, 100.0
        scale = cls(float(low), float(high), {})
        for color, interval in rubric.ordered_score_bands:
            first = 0 if interval.low is None else _first_whole(scale.mapped(interval.low), interval.low_inclusive)
            last = 100 if interval.high is None else _last_whole(scale.mapped(interval.high), interval.high_inclusive)
            first, last = max(first, 0), min(last, 100)
            if first <= last:
                scale.ranges[color] = (first, last)
        return scale

    @property
    def identity(self) -> bool:
        return (self.low, self.high) == (0.0, 100.0)

    def mapped(self, score: float) -> float:
        """``score`` on the 0-100 scale, unrounded."""
        if self.identity:
            return float(score)
        return 100.0 * (float(score) - self.low) / (self.high - self.low)

    def decimal(self, score: float | None) -> float | None:
        """The exact score on the 0-100 scale, to Gainsight's 9 decimals."""
        return None if score is None else round(self.mapped(score), DECIMALS)

    def whole(self, score: float | None, color: str | None) -> int | None:
        """The whole 0-100 score Gainsight shows in the same color as ``color``."""
        if score is None:
            return None
        value = math.floor(self.mapped(score) + 0.5)
        if color in self.ranges:
            first, last = self.ranges[color]
            value = min(max(value, first), last)
        return int(min(max(value, 0), 100))

    # -- the same in SQL, for exports that never bring rows into Python -------------------------
    def mapped_sql(self, score: str) -> str:
        if self.identity:
            return f"CAST({score} AS DOUBLE)"
        return f"(100.0 * (CAST({score} AS DOUBLE) - {self.low!r}) / {self.high - self.low!r})"

    def decimal_sql(self, score: str) -> str:
        return f"round({self.mapped_sql(score)}, {DECIMALS})"

    def whole_sql(self, score: str, color: str) -> str:
        rounded = f"floor({self.mapped_sql(score)} + 0.5)"
        cases = " ".join(f"WHEN {literal(c)} THEN least(greatest({rounded}, {first}), {last})"
                         for c, (first, last) in self.ranges.items())
        value = f"CASE {color} {cases} ELSE {rounded} END" if cases else rounded
        # DuckDB's least/greatest skip NULLs: a missing score must stay missing, never 0
        return f"CASE WHEN {score} IS NULL THEN NULL ELSE CAST(least(greatest({value}, 0), 100) AS INTEGER) END"


def _first_whole(edge: float, inclusive: bool) -> int:
    edge = round(edge, DECIMALS)
    return math.ceil(edge) if inclusive else math.floor(edge) + 1


def _last_whole(edge: float, inclusive: bool) -> int:
    edge = round(edge, DECIMALS)
    return math.floor(edge) if inclusive else math.ceil(edge) - 1
