"""Peer groups: every metric's values sorted within each group of similar accounts, for every
period at once, so an account's standing is two binary searches per metric and level
(microseconds, at any size).

The groups are built once, in DuckDB and numpy (a join to small key tables and one lexsort per
level), stored as tables in the read model, and read back into arrays when a scorecard opens.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import duckdb
import numpy as np
import pandas as pd

from adoptscore.sqltext import quote

SCORED = "status = 'scored' AND value IS NOT NULL"


@dataclass
class _Level:
    spans: dict[tuple, tuple[int, int]]   # (period, use_case, metric, *segment values) -> slice of values
    values: np.ndarray                     # sorted within each group


def build_peer_tables(con: duckdb.DuckDBPyConnection, levels: Sequence[Sequence[str]]) -> None:
    """Create ``peer_groups_<i>`` (group keys and value slices) and ``peer_sorted_<i>`` (values in
    group order) for every level from the ``metrics`` table, which carries the segment columns.

    An account whose segment value is missing at a level belongs to no group at that level.
    """
    finest = sorted({c for level in levels for c in level}, key=lambda c: min(
        (list(level).index(c) for level in levels if c in level)))
    columns = ["period", "use_case", "metric", *finest]
    keys_sql = ", ".join(quote(c) for c in columns)
    con.execute(f"CREATE TEMP TABLE peer_keys AS SELECT row_number() OVER () - 1 AS gid, * FROM "
                f"(SELECT DISTINCT {keys_sql} FROM metrics WHERE {SCORED})")
    keys = con.execute(f"SELECT {keys_sql} FROM peer_keys ORDER BY gid").df()
    match = " AND ".join(f"k.{quote(c)} IS NOT DISTINCT FROM m.{quote(c)}" for c in columns)
    fetched = con.execute(f"SELECT k.gid, m.value FROM metrics m JOIN peer_keys k ON {match} "
                          "WHERE m.status = 'scored' AND m.value IS NOT NULL").fetchnumpy()
    con.execute("DROP TABLE peer_keys")
    gid = np.asarray(fetched["gid"], dtype=np.int64)
    value = np.asarray(fetched["value"], dtype=float)
    for index, level in enumerate(levels):
        group_columns = ["period", "use_case", "metric", *level]
        complete = keys[list(level)].notna().all(axis=1).to_numpy() if level else np.ones(len(keys), bool)
        coarse = np.full(len(keys), -1, dtype=np.int64)
        groups = keys.loc[complete, group_columns].drop_duplicates().reset_index(drop=True)
        if len(groups):
            numbered = keys.loc[complete, group_columns].merge(groups.reset_index(), on=group_columns, how="left")
            coarse[complete] = numbered["index"].to_numpy()
        codes = coarse[gid]
        keep = codes >= 0
        order = np.lexsort((value[keep], codes[keep]))
        sorted_codes, sorted_values = codes[keep][order], value[keep][order]
        starts = np.searchsorted(sorted_codes, np.arange(len(groups)), side="left")
        stops = np.searchsorted(sorted_codes, np.arange(len(groups)), side="right")
        spans = groups.astype({c: str for c in level}).assign(start=starts, stop=stops)
        con.register("peer_spans_frame", spans)
        con.execute(f"CREATE TABLE peer_groups_{index} AS SELECT * FROM peer_spans_frame")
        con.unregister("peer_spans_frame")
        con.register("peer_values_frame", pd.DataFrame({"value": sorted_values}))
        con.execute(f"CREATE TABLE peer_sorted_{index} AS SELECT value FROM peer_values_frame")
        con.unregister("peer_values_frame")


class PeerIndex:
    """The scored values of every period, grouped at every peer level (read from the read model)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, levels: Sequence[Sequence[str]]):
        self.levels: list[_Level] = []
        for index, level in enumerate(levels):
            groups = con.execute(f"SELECT * FROM peer_groups_{index}").df()
            columns = ["period", "use_case", "metric", *level]
            spans = {tuple(str(k) for k in key): (int(a), int(b)) for *key, a, b in
                     groups[[*columns, "start", "stop"]].itertuples(index=False, name=None)}
            # a plain scan keeps insertion order, which is the sorted order written above
            values = np.asarray(con.execute(f"SELECT value FROM peer_sorted_{index}").fetchnumpy()["value"], dtype=float)
            self.levels.append(_Level(spans, values))

    def standing(self, level: int, period: str, use_case: str, metric: str, segments: Sequence[Any],
                 value: float) -> tuple[int, int, int]:
        """(group size, values below, values equal) for ``value`` in its group at ``level``;
        (0, 0, 0) when the group is unknown."""
        span = self.levels[level].spans.get((period, use_case, metric, *[str(s) for s in segments]))
        if span is None:
            return 0, 0, 0
        start, end = span
        values = self.levels[level].values[start:end]
        below = int(np.searchsorted(values, value, side="left"))
        upto = int(np.searchsorted(values, value, side="right"))
        return end - start, below, upto - below
