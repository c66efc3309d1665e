"""One rubric version's stored scores, read in place with SQL.

Exports need plain rows (a period's scores, a range of periods), not the in-memory read model of
:class:`~adoptscore.insights.scorecard.Scorecard`, so they read the store file directly through a
read-only connection. Temporary views give the tables the names and columns the scorecard's own
tables have (``overall``, ``use_cases``, ``metrics``, ``accounts``, ``band_keys``, without the
rubric columns), so code that explains scores runs unchanged on either.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import ExitStack
from typing import Any, Self

import duckdb

from adoptscore.errors import AdoptscoreError
from adoptscore.rubric.models import Rubric
from adoptscore.sqltext import literal, quote
from adoptscore.store.history import TABLES, Store, open_store


class ExportError(AdoptscoreError):
    """An export that cannot be made as asked (unknown period, bad output, refused webhook...)."""


class StoredScores:
    """The scores of one stored rubric version (default: the latest version of the only rubric in
    the store). Use as a context manager, or call :meth:`close`.

    While open, the store is read through one read-only connection: every query sees the same
    contents, and a scoring run that wants to write the file waits until the export is done.
    """

    def __init__(self, store: str | os.PathLike | Store, rubric: str | None = None, version: str | None = None):
        self.store = open_store(store)
        self.rubric: Rubric = self.store.rubric(rubric, version)
        self.version = str(self.rubric.version)
        self.schema = self.rubric.name
        self._stack = ExitStack()
        self.con: duckdb.DuckDBPyConnection = self._stack.enter_context(self.store.connect())
        try:
            self._views()
        except BaseException:
            self.close()
            raise
        self.periods: list[str] = [r[0] for r in self.con.execute(
            "SELECT DISTINCT period FROM overall ORDER BY 1").fetchall()]
        if not self.periods:
            self.close()
            raise ExportError(f"{self.store.path}: no scores for {self.rubric.name} {self.version}")
        self.latest = self.periods[-1]

    def _views(self) -> None:
        version = literal(self.version)
        for table in TABLES:
            self.con.execute(f"CREATE TEMPORARY VIEW {table} AS SELECT * EXCLUDE (rubric, rubric_version) FROM "
                             f"{self.table(table)} WHERE rubric_version = {version}")
        self.con.execute(f"CREATE TEMPORARY VIEW accounts AS SELECT * FROM {quote(self.schema)}.accounts")
        if self.has_table("band_keys"):
            self.con.execute(f"CREATE TEMPORARY VIEW band_keys AS SELECT * EXCLUDE (rubric_version) FROM "
                             f"{self.table('band_keys')} WHERE rubric_version = {version}")

    # -- what the store holds --------------------------------------------------------------
    def table(self, name: str) -> str:
        """The stored table ``name`` of this rubric, quoted (every version's rows)."""
        return f"{quote(self.schema)}.{quote(name)}"

    def has_table(self, name: str) -> bool:
        return self.con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                                "AND schema_name = ? AND table_name = ?", [self.schema, name]).fetchone()[0] > 0

    def columns(self, relation: str) -> list[str]:
        return [r[0] for r in self.con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]

    @property
    def account_columns(self) -> list[str]:
        return self.columns("accounts")

    # -- periods ---------------------------------------------------------------------------
    def resolve_period(self, period: str | None) -> str:
        """``period`` (default: the latest stored); an unknown one is an error naming the stored ones."""
        if not period:
            return self.latest
        if period not in self.periods:
            raise ExportError(f"no scores for period {period!r} in {self.rubric.name} {self.version}",
                              hint="stored periods: " + _shown(self.periods))
        return period

    def select_periods(self, since: str | None = None, until: str | None = None) -> list[str]:
        """The stored periods from ``since`` to ``until`` (both included, either open)."""
        if since and until and since > until:
            raise ExportError(f"--since {since} is after --until {until}", hint="swap them")
        chosen = [p for p in self.periods if (not since or p >= since) and (not until or p <= until)]
        if not chosen:
            span = f"from {since} " if since else ""
            span += f"to {until}" if until else ""
            raise ExportError(f"no stored period {span.strip()} in {self.rubric.name} {self.version}",
                              hint="stored periods: " + _shown(self.periods))
        return chosen

    def previous_period(self, period: str) -> str | None:
        index = self.periods.index(period)
        return self.periods[index - 1] if index > 0 else None

    # -- queries ---------------------------------------------------------------------------
    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_scores(store: str | os.PathLike, rubric: str | None = None, version: str | None = None) -> StoredScores:
    """Open one rubric version's stored scores for export."""
    return StoredScores(store, rubric, version)


def _shown(periods: list[str]) -> str:
    if len(periods) <= 12:
        return ", ".join(periods)
    return f"{periods[0]} to {periods[-1]} ({len(periods)} periods; latest: {', '.join(periods[-3:])})"
