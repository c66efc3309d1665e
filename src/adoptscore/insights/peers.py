"""Peer groups of one period: every metric's values sorted within each group of similar accounts,
so an account's standing is two binary searches per metric and level (microseconds, at any size).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd


@dataclass
class _Level:
    keys: dict[tuple, tuple[int, int]]   # (use_case, metric, *segment values) -> slice of values
    values: np.ndarray                    # sorted within each group


class PeerIndex:
    """The scored values of one period, grouped at every peer level."""

    def __init__(self, frame: pd.DataFrame, levels: Sequence[Sequence[str]]):
        self.levels: list[_Level] = []
        for columns in levels:
            keys = ["use_case", "metric", *columns]
            part = frame.dropna(subset=list(columns)) if columns else frame
            part = part.sort_values([*keys, "value"], kind="stable")
            values = part["value"].to_numpy(dtype=float)
            spans: dict[tuple, tuple[int, int]] = {}
            if len(part):
                codes = part.groupby(keys, sort=False, dropna=True).ngroup().to_numpy()
                starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
                ends = np.r_[starts[1:], len(codes)]
                first_rows = part.iloc[starts][keys].itertuples(index=False, name=None)
                for key, start, end in zip(first_rows, starts, ends):
                    spans[tuple(str(k) for k in key)] = (int(start), int(end))
            self.levels.append(_Level(spans, values))

    def standing(self, level: int, use_case: str, metric: str, segments: Sequence[Any], value: float) -> tuple[int, int, int]:
        """(group size, values below, values equal) for ``value`` in its group at ``level``;
        (0, 0, 0) when the group is unknown."""
        span = self.levels[level].keys.get((use_case, metric, *[str(s) for s in segments]))
        if span is None:
            return 0, 0, 0
        start, end = span
        values = self.levels[level].values[start:end]
        below = int(np.searchsorted(values, value, side="left"))
        upto = int(np.searchsorted(values, value, side="right"))
        return end - start, below, upto - below
