"""Band intervals with explicit edge inclusivity: ``"<= 0.10"``, ``"> 0.10 and <= 0.33"``, ``"> 0.33"``."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from adoptscore.errors import RubricError

COLORS = ("red", "yellow", "green")

_BOUND = re.compile(r"^\s*(<=|>=|<|>|==|=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(%?)\s*$")


@dataclass(frozen=True)
class Interval:
    """An interval of the real line; ``None`` bounds are infinite."""

    low: float | None = None
    low_inclusive: bool = False
    high: float | None = None
    high_inclusive: bool = False
    source: str = ""

    def contains(self, value: float) -> bool:
        if self.low is not None and (value < self.low or (value == self.low and not self.low_inclusive)):
            return False
        if self.high is not None and (value > self.high or (value == self.high and not self.high_inclusive)):
            return False
        return True

    @property
    def sort_key(self) -> tuple[float, int]:
        low = -math.inf if self.low is None else self.low
        return (low, 0 if self.low_inclusive else 1)

    def __str__(self) -> str:
        return self.source or describe(self)


def describe(interval: Interval) -> str:
    parts = []
    if interval.low is not None:
        parts.append(f"{'>=' if interval.low_inclusive else '>'} {interval.low:g}")
    if interval.high is not None:
        parts.append(f"{'<=' if interval.high_inclusive else '<'} {interval.high:g}")
    return " and ".join(parts) or "any value"


def parse_interval(text: str | int | float) -> Interval:
    """Parse ``"> 0.10 and <= 0.33"`` (a trailing ``%`` divides by 100)."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise RubricError(f"a band must be text such as '<= 0.10', got {text!r}")
    if isinstance(text, (int, float)):
        text = f"== {text}"
    raw = text.strip()
    if raw.lower() in ("any", "*", "all"):
        return Interval(source=raw)
    parts = re.split(r"\s+and\s+|\s*,\s*", raw, flags=re.IGNORECASE)
    low = high = None
    low_inc = high_inc = False
    for part in parts:
        match = _BOUND.match(part)
        if not match:
            raise RubricError(
                f"cannot read band {raw!r}: {part.strip()!r} is not a bound",
                hint="write bounds like '<= 0.10', '> 0.10 and <= 0.33' or '>= 20%' (numbers only)")
        op, number, percent = match.groups()
        value = float(number) / (100.0 if percent else 1.0)
        if op in ("==", "="):
            if low is not None or high is not None:
                raise RubricError(f"band {raw!r}: '==' cannot be combined with other bounds")
            low, high, low_inc, high_inc = value, value, True, True
        elif op in (">", ">="):
            if low is not None:
                raise RubricError(f"band {raw!r} has two lower bounds")
            low, low_inc = value, op == ">="
        else:
            if high is not None:
                raise RubricError(f"band {raw!r} has two upper bounds")
            high, high_inc = value, op == "<="
    if low is not None and high is not None and (low > high or (low == high and not (low_inc and high_inc))):
        raise RubricError(f"band {raw!r} is empty: its lower bound is not below its upper bound")
    return Interval(low, low_inc, high, high_inc, raw)


def check_partition(intervals: list[Interval], what: str, *, cover: bool = True) -> list[Interval]:
    """Sort intervals and check they neither overlap nor (when ``cover``) leave gaps.

    Returns them ordered from low to high; raises :class:`RubricError` naming the problem.
    """
    ordered = sorted(intervals, key=lambda i: i.sort_key)
    for before, after in zip(ordered, ordered[1:]):
        if before.high is None:
            raise RubricError(f"{what}: bands {before} and {after} overlap",
                              hint="each value must fall in exactly one band")
        if after.low is None:
            raise RubricError(f"{what}: bands {before} and {after} overlap",
                              hint="each value must fall in exactly one band")
        if after.low < before.high or (after.low == before.high and before.high_inclusive and after.low_inclusive):
            raise RubricError(f"{what}: bands {before!s} and {after!s} overlap",
                              hint="make one edge inclusive and the other exclusive, e.g. '<= 0.10' then '> 0.10'")
        if cover and (after.low > before.high or (after.low == before.high and not before.high_inclusive
                                                   and not after.low_inclusive)):
            raise RubricError(f"{what}: there is a gap between bands {before!s} and {after!s}",
                              hint="make the bands meet, e.g. '<= 0.10' then '> 0.10'")
    if cover and ordered:
        if ordered[0].low is not None:
            raise RubricError(f"{what}: values below {ordered[0]} fall in no band",
                              hint="make the lowest band open below, e.g. '<= 0.10'")
        if ordered[-1].high is not None:
            raise RubricError(f"{what}: values above {ordered[-1]} fall in no band",
                              hint="make the highest band open above, e.g. '> 0.33'")
    return ordered
