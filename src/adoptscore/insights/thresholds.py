"""Which bands applied to one account's metric, and how far its value is from the next band.

A gap is stated in the customer's own units: how many more (or fewer) of the numerator's units,
at the current denominator, would move the value into the better band.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from adoptscore.rubric.bands import Interval
from adoptscore.rubric.models import Metric

ORDER = ("red", "yellow", "green")


def bands_for(metric: Metric, key: float | None) -> list[tuple[str, Interval]]:
    """The metric's bands for an account whose band-table key is ``key`` (ordered low to high);
    empty when the metric's band table has no bands there."""
    if metric.bands_by is None:
        return list(metric.ordered_bands)
    if key is None:
        return []
    for case in metric.bands_by.cases:
        if case.interval.contains(key):
            return list(case.ordered_bands) if case.bands is not None else []
    return []


def format_value(metric: Metric, value: float | None) -> str:
    """A metric value as the rubric displays it (e.g. ``41.0%``, ``12.5``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    try:
        return format(value, metric.display_format)
    except (ValueError, TypeError):
        return f"{value:g}"


def format_count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


@dataclass(frozen=True)
class Gap:
    """How to reach ``target`` color: the metric value to reach, and the change in the numerator
    (in ``unit``) at the current denominator."""

    target: str
    threshold: float
    threshold_text: str
    numerator_change: float | None
    unit: str
    text: str


def _better(ordered: list[tuple[str, Interval]], color: str, direction: str) -> list[tuple[str, Interval]]:
    rank = ORDER.index(color)
    return [(c, i) for c, i in ordered if ORDER.index(c) > rank]


def _edge(interval: Interval, higher_is_better: bool) -> tuple[float, bool] | None:
    """The edge of ``interval`` a value must cross to enter it, and whether the edge is inside."""
    if higher_is_better:
        return None if interval.low is None else (interval.low, interval.low_inclusive)
    return None if interval.high is None else (interval.high, interval.high_inclusive)


def gap_to(metric: Metric, color: str | None, numerator: float | None, denominator: float | None,
           value: float | None, key: float | None, target: str) -> Gap | None:
    """The gap from the current value to the ``target`` band, or None when it cannot be stated
    (no data, no such band, already there)."""
    if color is None or value is None or ORDER.index(target) <= ORDER.index(color):
        return None
    ordered = bands_for(metric, key)
    interval = next((i for c, i in ordered if c == target), None)
    if interval is None:
        return None
    higher = metric.direction == "higher_is_better"
    edge = _edge(interval, higher)
    if edge is None:
        return None
    threshold, inclusive = edge
    if metric.cap is not None and higher and threshold > metric.cap:
        return None
    unit = metric.numerator_unit or _default_unit(metric)
    threshold_text = format_value(metric, threshold)
    symbol = (">=" if inclusive else ">") if higher else ("<=" if inclusive else "<")
    # the numerator needed at the current denominator (a count: whole units)
    scale = 1.0 if metric.denominator is None else denominator
    if scale is None or numerator is None or (metric.denominator is not None and not denominator):
        text = f"{metric.title} needs to reach {symbol} {threshold_text} for {target.title()}"
        return Gap(target, threshold, f"{symbol} {threshold_text}", None, unit, text)
    needed = threshold * scale
    integral = _is_count(metric)
    if higher:
        need = (math.ceil(needed - 1e-9) if inclusive else math.floor(needed + 1e-9) + 1) if integral else needed
        change = need - numerator
    else:
        need = (math.floor(needed + 1e-9) if inclusive else math.ceil(needed - 1e-9) - 1) if integral else needed
        change = need - numerator
    if (higher and change <= 0) or (not higher and change >= 0):
        return None
    # with small denominators one whole unit can jump past the target band: say where it lands
    after = need / scale if metric.denominator is not None else need
    if metric.cap is not None:
        after = min(after, metric.cap)
    reached = next((c for c, i in ordered if i.contains(round(after, 9))), target)
    if ORDER.index(reached) > ORDER.index(target):
        target = reached
    amount = format_count(abs(change)) if integral else f"{abs(change):,.2f}"
    more = "more" if change > 0 else "fewer"
    if integral and abs(change) == 1:
        unit = _singular(unit)
    where = "" if metric.denominator is None else f" (at today's {format_count(denominator)} " \
        f"{metric.denominator_unit or 'of ' + metric.denominator})"
    text = f"{amount} {more} {unit}{where} would reach {target.title()} ({metric.title} {symbol} {threshold_text})"
    return Gap(target, threshold, f"{symbol} {threshold_text}", float(change), unit, text)


def _singular(unit: str) -> str:
    """'users with Git operations' -> 'user with Git operations', 'CI builds' -> 'CI build': the
    first plural word of a unit phrase, for a gap of exactly one."""
    words = unit.split(" ")
    for i, word in enumerate(words):
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            words[i] = word[:-1]
            break
    return " ".join(words)


def _is_count(metric: Metric) -> bool:
    # numerators of the bundled rubrics are counts of users, builds, scans...; 'number' metrics are not
    return metric.unit != "number"


def _default_unit(metric: Metric) -> str:
    return f"of {metric.numerator}" if len(metric.numerator) < 40 else f"units of {metric.title}"
