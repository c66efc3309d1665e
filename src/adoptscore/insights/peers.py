"""Peer groups: every metric's values sorted within each group of similar accounts, for every
period at once, so an account's standing is a few binary searches per metric and level
(microseconds, at any size).

The build gives each distinct (period, use case, metric, finest segment values) a key, ``gid``,
and writes every scored value sorted by (gid, value) to one array that the server processes map
read-only (:mod:`adoptscore.insights.mapped`). A group at any level is the union of the keys that
agree on its columns (segment values present), so its standing is the sum of each key's binary
searches: one key at the finest level, more for the broader levels, which are read only when a
finer group has too few accounts. One sorted copy of the values serves every level.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import duckdb
import numpy as np

from adoptscore.sqltext import quote

VALUES = "peer_values.npy"
BATCH = 1 << 22


@dataclass
class _Level:
    groups: dict[tuple, tuple[int, np.ndarray]]   # (period, use_case, metric, *segment values) -> (size, gids)


def finest_columns(levels: Sequence[Sequence[str]]) -> list[str]:
    """Every column of any level, in the order the levels name them."""
    return sorted({c for level in levels for c in level}, key=lambda c: min(
        (list(level).index(c) for level in levels if c in level)))


def build_peer_tables(con: duckdb.DuckDBPyConnection, levels: Sequence[Sequence[str]], folder: Path) -> None:
    """Create ``peer_keys`` (one row per gid: its period, use case, metric, finest segment values
    and the slice of ``folder/peer_values.npy`` holding its values, sorted) from the ``metrics``
    table and the segments of each account-period in ``overall``.

    An account whose segment value is missing at a level belongs to no group at that level.
    """
    columns = ["period", "use_case", "metric", *finest_columns(levels)]
    segments = "".join(f", o.{quote(c)}" for c in columns[3:])
    # two passes over the join, not a temporary table of every value with its segments (at 1M
    # accounts x 24 months that table would hold ~200M rows of text)
    scored = (f"SELECT m.period, m.use_case, m.metric{segments}, m.value FROM metrics m "
              f"JOIN overall o USING (account_id, period) WHERE m.status = 'scored' AND m.value IS NOT NULL")
    keys_sql = ", ".join(quote(c) for c in columns)
    con.execute(f"CREATE TEMP TABLE peer_numbered AS SELECT row_number() OVER (ORDER BY {keys_sql}) - 1 AS gid, * "
                f"FROM (SELECT {keys_sql}, count(*) AS n FROM ({scored}) GROUP BY ALL)")
    match = " AND ".join(f"k.{quote(c)} IS NOT DISTINCT FROM s.{quote(c)}" for c in columns)
    total = con.execute("SELECT coalesce(sum(n), 0) FROM peer_numbered").fetchall()[0][0]
    out = np.lib.format.open_memmap(folder / VALUES, mode="w+", dtype=np.float64, shape=(int(total),))
    at = 0
    reader = con.sql(f"SELECT s.value FROM ({scored}) s JOIN peer_numbered k ON {match} "
                         "ORDER BY k.gid, s.value").to_arrow_reader(BATCH)
    for batch in reader:
        values = batch.column(0).to_numpy(zero_copy_only=False)
        out[at:at + len(values)] = values
        at += len(values)
    if at != total:
        raise RuntimeError(f"peer values: {at} written of {total}")
    out.flush()
    del out
    con.execute(f"CREATE TABLE peer_keys AS SELECT gid, {keys_sql}, sum(n) OVER (ORDER BY gid) - n AS start, "
                "sum(n) OVER (ORDER BY gid) AS stop FROM peer_numbered ORDER BY gid")
    con.execute("DROP TABLE peer_numbered")


class PeerIndex:
    """The scored values of every period, grouped at every peer level (the values mapped read-only)."""

    def __init__(self, con: Any, levels: Sequence[Sequence[str]], folder: Path):
        keys = con.execute("SELECT * FROM peer_keys ORDER BY gid").df()
        self.values = np.load(folder / VALUES, mmap_mode="r")
        self.starts = keys["start"].to_numpy(dtype=np.int64)
        self.stops = keys["stop"].to_numpy(dtype=np.int64)
        sizes = self.stops - self.starts
        self.levels: list[_Level] = []
        for level in levels:
            columns = ["period", "use_case", "metric", *level]
            complete = keys[list(level)].notna().all(axis=1).to_numpy() if level else np.ones(len(keys), bool)
            members = keys.loc[complete, columns].astype(str)
            groups: dict[tuple, tuple[int, np.ndarray]] = {}
            if len(members):
                gids = keys.loc[complete, "gid"].to_numpy(dtype=np.int64)
                for key, rows in members.groupby(columns, sort=False).indices.items():
                    chosen = gids[rows]
                    groups[key if isinstance(key, tuple) else (key,)] = (int(sizes[chosen].sum()), chosen)
            self.levels.append(_Level(groups))

    def standing(self, level: int, period: str, use_case: str, metric: str, segments: Sequence[Any],
                 value: float) -> tuple[int, int, int]:
        """(group size, values below, values equal) for ``value`` in its group at ``level``;
        (0, 0, 0) when the group is unknown."""
        found = self.levels[level].groups.get((period, use_case, metric, *[str(s) for s in segments]))
        if found is None:
            return 0, 0, 0
        size, gids = found
        below = upto = 0
        for gid in gids.tolist():
            values = self.values[self.starts[gid]:self.stops[gid]]
            below += int(np.searchsorted(values, value, side="left"))
            upto += int(np.searchsorted(values, value, side="right"))
        return size, below, upto - below

    def size(self, level: int, period: str, use_case: str, metric: str, segments: Sequence[Any]) -> int:
        """How many values the group holds (0: unknown), without searching it."""
        found = self.levels[level].groups.get((period, use_case, metric, *[str(s) for s in segments]))
        return 0 if found is None else found[0]
