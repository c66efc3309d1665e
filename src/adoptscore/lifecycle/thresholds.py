"""Where to cut a metric's values into colors: the proposal strategies and the band text they produce.

A metric's bands, read from low to high values, are a sequence of colors (red, yellow, green for a
higher-is-better metric; green, yellow, red for a lower-is-better one) separated by cuts. A cut
is a value and which side owns it: ``below_inclusive`` means the band below includes the value
(``<= c`` then ``> c``), otherwise the band above does (``< c`` then ``>= c``).

The strategies, with ``Q(p)`` the population quantile (linear interpolation between order
statistics, as numpy's default and SQL's ``percentile_cont``) and ``H`` the healthy cohort's
median:

* ``quartiles``: cuts at ``Q(0.25)`` and ``Q(0.75)`` (two bands: ``Q(0.5)``), so about a quarter of
  the values are Red, half Yellow and a quarter Green;
* ``healthy``: Green from ``H`` (``>= H``; for a lower-is-better metric ``<= H``) and Red under
  ``Q(0.25)`` (``< Q(0.25)``; lower-is-better: ``> Q(0.75)``), Yellow between;
* ``mix``: a target color mix ``(r, y, g)``: cuts at ``Q(r)`` and ``Q(r + y)`` in value order (for a
  lower-is-better metric ``Q(g)`` and ``Q(g + y)``).

Cuts are rounded to ``precision`` significant digits. Where the strategy does not fix which side
owns a cut (quartiles, mix), the side is chosen from the exact counts of values below and at the
cut, whichever brings the share below the cut closer to its target: with many equal values (a
third of the accounts at exactly 0) that is the only lever left.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from adoptscore.rubric.bands import Interval, parse_interval

STRATEGIES = ("quartiles", "healthy", "mix")
#: The quantiles every calibration reports; EXACT adds the extremes and p1/p99 (the plots' range).
REPORTED = (0.10, 0.25, 0.50, 0.75, 0.90)
EXACT = (0.0, 0.01, *REPORTED, 0.99, 1.0)


@dataclass(frozen=True)
class Cut:
    """A cut between two bands; ``target`` is the share of values below it that the strategy aims at."""

    value: float
    below_inclusive: bool | None = None  # None: chosen from the data
    target: float | None = None


def colors_by_value(ordered: list[tuple[str, Interval]]) -> list[str]:
    """Colors of a band list, from low to high values."""
    return [color for color, _ in ordered]


def current_cuts(ordered: list[tuple[str, Interval]]) -> list[Cut]:
    """The cuts of existing bands (ordered low to high), with the side that owns each edge."""
    cuts = []
    for (_, below), _ in zip(ordered, ordered[1:]):
        cuts.append(Cut(float(below.high), bool(below.high_inclusive)))
    return cuts


def round_significant(value: float, digits: int | None) -> float:
    """``value`` rounded to ``digits`` significant digits (None: unchanged)."""
    if digits is None or value == 0 or not math.isfinite(value):
        return float(value)
    return float(round(value, digits - 1 - int(math.floor(math.log10(abs(value))))))


def propose(strategy: str, colors: list[str], quantile, healthy_median: float | None,
            mix: tuple[float, float, float] | None = None) -> list[Cut]:
    """Cuts for bands with ``colors`` (low to high values) under ``strategy``.

    ``quantile(p)`` returns the population quantile; ``healthy_median`` is required by
    ``healthy``; ``mix`` (red, yellow, green shares summing to 1) by ``mix``.
    """
    k = len(colors)
    higher = colors[-1] == "green" or colors[0] == "red"
    if strategy == "quartiles":
        targets = [0.25, 0.75] if k == 3 else [i / k for i in range(1, k)]
        return [Cut(quantile(p), None, p) for p in targets]
    if strategy == "mix":
        assert mix is not None
        share = dict(zip(("red", "yellow", "green"), mix))
        total = sum(share[c] for c in colors)
        cumulative, targets = 0.0, []
        for color in colors[:-1]:
            cumulative += share[color] / total
            targets.append(min(1.0, cumulative))
        return [Cut(quantile(p), None, p) for p in targets]
    if strategy == "healthy":
        assert healthy_median is not None
        if k == 2:
            # one cut: the healthy median starts the better color
            return [Cut(healthy_median, not higher)]
        # the quartile cut's side is chosen from the counts like any quartile cut: a fixed '<'
        # made Red empty whenever a quarter of the population sits at the floor (p25 = 0)
        if higher:
            return [Cut(quantile(0.25), None, 0.25), Cut(healthy_median, False)]
        return [Cut(healthy_median, True), Cut(quantile(0.75), None, 0.75)]
    raise ValueError(strategy)


def choose_sides(cuts: list[Cut], below_lt: list[int], below_le: list[int], n: int) -> list[Cut]:
    """Fix the side of each cut the strategy left open, from exact counts of values < and <= it."""
    chosen = []
    for cut, lt, le in zip(cuts, below_lt, below_le):
        if cut.below_inclusive is not None or n == 0:
            chosen.append(Cut(cut.value, True if cut.below_inclusive is None else cut.below_inclusive, cut.target))
            continue
        target = cut.target if cut.target is not None else 0.5
        # ties go to '<=', the convention of GitLab's bands ('<= 10%' is Red)
        inclusive = abs(le / n - target) <= abs(lt / n - target)
        chosen.append(Cut(cut.value, inclusive, cut.target))
    return chosen


def bands_text(colors: list[str], cuts: list[Cut], unit: str) -> dict[str, str] | None:
    """Band texts for ``colors`` (low to high) split by ``cuts``; None when a band would be empty."""
    # compared as written: two cuts 1e-10 apart are one number at 12 significant digits
    values = [representable(c.value, unit) for c in cuts]
    for (a, b, va, vb) in zip(cuts, cuts[1:], values, values[1:]):
        if vb < va or (vb == va and not (not a.below_inclusive and b.below_inclusive)):
            return None
    texts: dict[str, str] = {}
    for i, color in enumerate(colors):
        parts = []
        if i > 0:
            low = cuts[i - 1]
            parts.append(f"{'>' if low.below_inclusive else '>='} {format_number(low.value, unit)}")
        if i < len(colors) - 1:
            high = cuts[i]
            parts.append(f"{'<=' if high.below_inclusive else '<'} {format_number(high.value, unit)}")
        if i > 0 and i < len(colors) - 1 and values[i - 1] == values[i]:
            parts = [f"== {format_number(values[i], unit)}"]
        texts[color] = " and ".join(parts)
    return texts


def format_number(value: float, unit: str) -> str:
    """A threshold as the rubric author would write it: ``33.2%`` for percents, shortest digits."""
    # 12 significant digits hide the float noise of '* 100' (33.200000000000003) and keep tiny values
    if unit == "percent":
        return np.format_float_positional(float(f"{value * 100:.12g}"), trim="-") + "%"
    return np.format_float_positional(float(f"{value:.12g}"), trim="-")


def representable(value: float, unit: str) -> float:
    """The value a rubric will read back from the written threshold, so counts match the file exactly."""
    return parse_interval(f"<= {format_number(value, unit)}").high


#: Each strategy's formula in words, as reports and provenance blocks state it.
FORMULAS = {
    "quartiles": "Red below the population p25, Green above the population p75 "
                 "(lower-is-better metrics: the reverse); Q(p) is the linearly interpolated quantile",
    "healthy": "Green from the healthy cohort's median (>= H), Red under the population p25 (< Q(0.25)); "
               "lower-is-better metrics: Green <= H, Red > Q(0.75)",
    "mix": "cuts at the quantiles of the cumulative target mix {mix} (red, yellow, green) in value order",
}


def mix_text(mix: tuple[float, float, float] | None) -> str:
    return "/".join(f"{m:.0%}" for m in mix) if mix else ""


def formula(strategy: str, mix: tuple[float, float, float] | None) -> str:
    """The formula of ``strategy`` in words, with the target mix filled in."""
    return FORMULAS[strategy].format(mix=mix_text(mix))
