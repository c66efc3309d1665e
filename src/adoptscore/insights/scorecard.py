"""A read-only view of one rubric version's stored score history, ready for queries.

The web scorecard, the decks and the exports read scores through a :class:`Scorecard`: it copies
one rubric version's rows out of the store (so the store file stays free for the next scoring
run) into a read model, sorts them for point lookups, and derives what every page needs (the
portfolio grid, color changes between consecutive periods, peer groups, use-case reports, alerts).
The portfolio and the peer values are files every process maps read-only
(:mod:`adoptscore.insights.mapped`): a server's workers share one copy. Nothing here scores: the
rows are the engine's.
"""
from __future__ import annotations

import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import duckdb

from adoptscore.errors import AdoptscoreError
from adoptscore.insights import read_model
from adoptscore.insights.mapped import MappedPortfolio, write_portfolio
from adoptscore.insights.peers import PeerIndex, build_peer_tables
from adoptscore.insights.portfolio_frame import PortfolioFrame, arr_at_risk
from adoptscore.rubric.models import Metric, Rubric
from adoptscore.sqltext import literal, quote
from adoptscore.store.history import Store, StoreError, open_store

class NotFound(AdoptscoreError):
    """An account, period or use case that the store does not hold."""


class BadQuery(AdoptscoreError):
    """A query the store cannot answer as asked (unknown filter value, sort key, period)."""


class PageOutOfRange(BadQuery):
    """A page number past the last page (or below the first)."""


COLOR_RANK = {"red": 0, "yellow": 1, "green": 2}
_MISSING = object()


@dataclass(frozen=True)
class PeerLevel:
    """One level of the peer hierarchy: the segment columns that define a group of similar accounts."""

    columns: tuple[str, ...]

    @property
    def label(self) -> str:
        return " + ".join(self.columns) if self.columns else "all accounts"


class Scorecard:
    """One rubric version's score history, loaded from a store, ready for queries.

    ``rubric`` / ``version`` pick the stored rubric (default: the latest version of the only
    rubric in the store). ``peer_levels`` lists the segment-column groups used for peer
    comparison, most specific first (default: every prefix of the rubric's segments, then all
    accounts).
    """

    MIN_PEERS = 10

    def __init__(self, store: str | os.PathLike | Store, rubric: str | None = None, version: str | None = None,
                 *, peer_levels: Sequence[Sequence[str]] | None = None, cache: bool = True):
        self.store = open_store(store)
        self.rubric: Rubric = self.store.rubric(rubric, version)
        self.version = str(self.rubric.version)
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._memo: dict[tuple, Any] = {}
        self._locks: dict[tuple, threading.Lock] = {}
        self.warmed = threading.Event()     # the latest period's pages are ready
        self.periods_warm = 0                # periods whose reports and alerts are computed
        self._segment_values: dict[str, list[str]] | None = None
        self._text_columns: dict[str, bool] = {}
        self._mtime = self.store.path.stat().st_mtime
        self._requested_levels = peer_levels
        model = read_model.open_read_model(self.store, self.rubric, self._build, cache=cache and peer_levels is None)
        self.con = model.con
        self._model = model                # its temporary columns folder, if any, lives as long as this
        self.built = model.built           # whether this process built the read model (else it opened it)
        self._mapped = MappedPortfolio(model.folder)
        self._describe()
        self._peers: PeerIndex | None = None

    # -- loading ----------------------------------------------------------------------------
    def _build(self, con: duckdb.DuckDBPyConnection, folder: Path) -> None:
        """Copy this rubric version's rows out of the store into ``con``, derive the tables pages
        read, and write the mapped columns to ``folder``."""
        name = quote(self.rubric.name)
        version = literal(self.version)
        with self.store.connect():  # waits while a scoring run holds the file
            pass
        con.execute(f"ATTACH {literal(str(self.store.path))} AS store (READ_ONLY)")
        try:
            con.execute(f"CREATE TABLE overall AS SELECT * EXCLUDE (rubric, rubric_version) FROM "
                        f"store.{name}.overall WHERE rubric_version = {version} ORDER BY account_id, period")
            fixed = {"account_id", "period", "score", "status", "color", "adopted_use_cases", "use_cases_scored"}
            segments = [r[0] for r in con.execute("DESCRIBE overall").fetchall() if r[0] not in fixed]
            # the two long tables keep the store's order, which the engine writes account by account
            # (a batch of accounts at a time), so an account page's rows sit in a few row groups;
            # sorting them (134M and 224M rows at a million accounts x 24 months) took most of a build
            con.execute(f"CREATE TABLE use_cases AS SELECT * EXCLUDE (rubric, rubric_version) FROM "
                        f"store.{name}.use_cases WHERE rubric_version = {version}")
            # only the rows of accounts and periods the overall table holds, as before (the peer
            # groups join the account's segments that period from it)
            con.execute(f"""CREATE TABLE metrics AS SELECT m.* EXCLUDE (rubric, rubric_version)
                            FROM store.{name}.metrics m SEMI JOIN overall o USING (account_id, period)
                            WHERE m.rubric_version = {version}""")
            con.execute(f"CREATE TABLE accounts AS SELECT * FROM store.{name}.accounts ORDER BY account_id")
            has_keys = con.execute("SELECT COUNT(*) FROM duckdb_tables() WHERE database_name = 'store' AND "
                                   f"schema_name = {literal(self.rubric.name)} AND table_name = 'band_keys'").fetchone()[0]
            if has_keys:
                con.execute(f"CREATE TABLE band_keys AS SELECT * EXCLUDE (rubric_version) FROM store.{name}.band_keys "
                            f"WHERE rubric_version = {version} ORDER BY account_id, period")
        finally:
            con.execute("DETACH store")
        if not con.execute("SELECT count(*) FROM overall").fetchone()[0]:
            raise StoreError(f"{self.store.path}: no scores for {self.rubric.name} {self.version}")
        self._derive(con, segments)
        build_peer_tables(con, [level.columns for level in self._levels(segments)], folder)
        write_portfolio(con, folder, arr_at_risk)
        self._precompute(con, segments)

    def _levels(self, segment_columns: list[str]) -> list[PeerLevel]:
        segments = [s for s in self.rubric.input.segments if s in segment_columns]
        requested = self._requested_levels
        levels = requested if requested is not None else [segments[:k] for k in range(len(segments), -1, -1)]
        out = [PeerLevel(tuple(level)) for level in levels]
        if not out or out[-1].columns:
            out.append(PeerLevel(()))
        return out

    def _describe(self) -> None:
        """Periods, segment and attribute columns and peer levels, read from the read model."""
        con = self.con
        self.periods: list[str] = [r[0] for r in con.execute("SELECT period FROM periods ORDER BY idx").fetchall()]
        self.latest = self.periods[-1]
        overall_columns = [r[0] for r in con.execute("DESCRIBE overall").fetchall()]
        fixed = {"account_id", "period", "score", "status", "color", "adopted_use_cases", "use_cases_scored"}
        self.segment_columns = [c for c in overall_columns if c not in fixed]
        self.attribute_columns = _attribute_columns(con, self.segment_columns)
        self.peer_levels = self._levels(self.segment_columns)
        # read now, not on a first request: the web app reads them on its event loop
        self.segment_values()

    @staticmethod
    def _derive(con: duckdb.DuckDBPyConnection, segment_columns: list[str]) -> None:
        con.execute("CREATE TABLE periods AS SELECT period, row_number() OVER (ORDER BY period) AS idx "
                    "FROM (SELECT DISTINCT period FROM overall)")
        con.execute("""
            CREATE TEMP TABLE metric_counts AS
            SELECT period, use_case, metric, status, color, count(*) AS n FROM metrics GROUP BY ALL""")
        con.execute("""
            CREATE TEMP TABLE use_case_mix AS
            SELECT period, use_case, status, color, count(*) AS n FROM use_cases GROUP BY ALL""")
        use_case_ids = [r[0] for r in con.execute("SELECT DISTINCT use_case FROM use_cases ORDER BY 1").fetchall()]
        # every use case of an account-period side by side (temporary, like everything only the
        # build reads): the changes are then one join of account-periods, not of use-case rows
        # (134M rows joined to themselves at a million accounts x 24 months did not fit the disk)
        wide = []
        for use_case in use_case_ids:
            u = literal(use_case)
            for column in ("color", "score", "status"):
                wide.append(f"max(u.{column}) FILTER (WHERE u.use_case = {u}) AS {quote(f'w:{use_case}:{column}')}")
            wide.append(f"count(*) FILTER (WHERE u.use_case = {u}) > 0 AS {quote(f'w:{use_case}:present')}")
        con.execute(f"""
            CREATE TEMP TABLE use_case_wide AS
            SELECT u.account_id, u.period, pc.idx, {', '.join(wide)}
            FROM use_cases u JOIN periods pc ON pc.period = u.period GROUP BY u.account_id, u.period, pc.idx""")

        def rank(color: str) -> str:
            return f"(CASE {color} WHEN 'green' THEN 2 WHEN 'yellow' THEN 1 WHEN 'red' THEN 0 END)"

        # a change is measured against the account's row in the immediately preceding period only
        changes, drops = [], []
        for use_case in use_case_ids:
            now, before = (f"{side}.{quote(f'w:{use_case}:color')}" for side in ("w", "p"))
            present = f"w.{quote(f'w:{use_case}:present')}"
            changes += [f"{now} AS {quote(use_case + '_color')}",
                        f"w.{quote(f'w:{use_case}:score')} AS {quote(use_case + '_score')}",
                        f"CASE WHEN {present} THEN coalesce({rank(before)} > {rank(now)}, false) END "
                        f"AS {quote(use_case + '_dropped')}",
                        f"CASE WHEN {present} THEN coalesce({rank(before)} < {rank(now)}, false) END "
                        f"AS {quote(use_case + '_improved')}",
                        # the grid tells a use case that does not apply from one without data
                        f"w.{quote(f'w:{use_case}:status')} AS {quote(use_case + '_status')}",
                        f"{before} AS {quote(f'p:{use_case}:color')}",
                        f"p.{quote(f'w:{use_case}:score')} AS {quote(f'p:{use_case}:score')}"]
            drops.append(f"SELECT account_id, period, previous_period, {literal(use_case)} AS use_case, "
                         f"{quote(f'p:{use_case}:color')} AS previous_color, {quote(use_case + '_color')} AS color, "
                         f"{quote(f'p:{use_case}:score')} AS previous_score, {quote(use_case + '_score')} AS score "
                         f"FROM use_case_changes WHERE {quote(use_case + '_dropped')}")
        dropped = " OR ".join(f"coalesce({quote(u + '_dropped')}, false)" for u in use_case_ids) or "false"
        con.execute(f"""
            CREATE TEMP TABLE use_case_changes AS
            SELECT *, {dropped} AS dropped FROM (
                SELECT w.account_id, w.period, p.period AS previous_period, {', '.join(changes)}
                FROM use_case_wide w LEFT JOIN use_case_wide p ON p.account_id = w.account_id AND p.idx = w.idx - 1)""")
        con.execute("DROP TABLE use_case_wide")
        # the color drops, one row per account-period and use case, for the alerts
        con.execute("CREATE TEMP VIEW use_case_drops AS " + (" UNION ALL ".join(drops) or
                    "SELECT NULL AS account_id, NULL AS period, NULL AS previous_period, NULL AS use_case, NULL AS "
                    "previous_color, NULL AS color, NULL AS previous_score, NULL AS score WHERE false"))
        pivots = [quote(f"{use_case}_{column}") for use_case in use_case_ids
                  for column in ("color", "score", "dropped", "improved", "status")]
        segments = "".join(f", o.{quote(s)}" for s in segment_columns)
        attributes = _attribute_columns(con, segment_columns)
        attributes_sql = "".join(f", a.{quote(c)}" for c in attributes)
        con.execute(f"""
            CREATE TEMP TABLE portfolio_rows AS
            SELECT o.account_id, o.period, coalesce(a.name, o.account_id) AS name{segments}{attributes_sql},
                   o.score, o.color, o.status, o.adopted_use_cases, o.use_cases_scored,
                   {''.join(f'c.{p}, ' for p in pivots)}c.dropped
            FROM overall o LEFT JOIN accounts a ON a.account_id = o.account_id
            JOIN use_case_changes c ON c.account_id = o.account_id AND c.period = o.period""")
        # integer sort keys and one lower-cased search text: sorting 100,000 names per page
        # request, or case-folding them for every search, costs more than the rest of the page
        # (ranked once per account, not once per account-period: the windows over every row cost
        # minutes at a million accounts x 24 months)
        con.execute("""
            CREATE TEMP TABLE account_keys AS
            SELECT account_id, name, dense_rank() OVER (ORDER BY name, account_id) AS _name_key,
                   dense_rank() OVER (ORDER BY account_id) AS _id_key,
                   lower(name) || chr(31) || lower(account_id) AS _search
            FROM (SELECT DISTINCT account_id, name FROM portfolio_rows)""")
        con.execute("""
            CREATE TABLE portfolio AS
            SELECT r.*, k._name_key, k._id_key, k._search
            FROM portfolio_rows r JOIN account_keys k ON k.account_id = r.account_id AND k.name = r.name
            ORDER BY r.period, r.account_id""")
        con.execute("DROP TABLE portfolio_rows")
        con.execute("DROP TABLE account_keys")

    def _precompute(self, con: duckdb.DuckDBPyConnection, segment_columns: list[str]) -> None:
        """Every use-case report and every period's alerts, computed once by the build: at a million
        accounts a report reads millions of values, and a server's workers would each compute it."""
        from adoptscore.insights.alert_table import build_alert_table
        from adoptscore.insights.use_case import build_reports

        build_reports(con, self.rubric)
        build_alert_table(con, [*segment_columns, *_attribute_columns(con, segment_columns)])

    def limit_memory(self, limit: str) -> None:
        """Cap DuckDB's memory for this scorecard (e.g. ``"512MB"``) when the read model is a file.

        DuckDB keeps every block it has read, up to 80% of the machine by default: a server holds
        its pages' data in its own structures, and several workers would each keep a copy of blocks
        that the OS page cache already shares. An in-memory read model holds its tables in that
        budget, so it is left alone.
        """
        path = self.value("SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
        if path:
            self.con.execute(f"SET memory_limit = {literal(limit)}")

    # -- queries ----------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread (DuckDB connections are not shared across threads)."""
        return self.con.cursor()

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.cursor()
        try:
            result = cur.execute(sql, list(params))
            names = [d[0] for d in result.description]
            return [dict(zip(names, row)) for row in result.fetchall()]
        finally:
            cur.close()

    def value(self, sql: str, params: Iterable[Any] = ()) -> Any:
        cur = self.cursor()
        try:
            row = cur.execute(sql, list(params)).fetchone()
            return None if row is None else row[0]
        finally:
            cur.close()

    def changed_on_disk(self) -> bool:
        """Whether the store file was written since this scorecard was loaded (a warehouse store's
        replica is brought up to date first)."""
        try:
            self.store.refresh()
        except AdoptscoreError:
            return False  # the warehouse cannot be reached now: keep serving what is loaded
        try:
            return self.store.path.stat().st_mtime != self._mtime
        except OSError:
            return False

    def metric(self, use_case: str, metric: str) -> Metric:
        return next(m for m in self.rubric.use_case(use_case).metrics if m.id == metric)

    def resolve_period(self, period: str | None, error: type[AdoptscoreError] = BadQuery) -> str:
        """``period``, or the latest when None; ``error`` names the stored periods when it is unknown."""
        if not period:
            return self.latest
        if period not in self.periods:
            raise error(f"no scores for period {period!r}", hint="periods: " + ", ".join(self.periods[-12:]))
        return period

    def previous_period(self, period: str) -> str | None:
        index = self.periods.index(period)
        return self.periods[index - 1] if index > 0 else None

    def segment_values(self) -> dict[str, list[str]]:
        """Known values of every segment and text attribute column (for filters)."""
        if self._segment_values is None:
            self._segment_values = self._distinct_values()
        return self._segment_values

    def _distinct_values(self) -> dict[str, list[str]]:
        # a text column's labels in the mapped portfolio are its distinct values, in order
        columns = self._mapped.columns
        out = {}
        for column in [*self.segment_columns, *[c for c in self.attribute_columns if self._is_text(c)]]:
            labels = columns[column].labels if column in columns else None
            out[column] = list(labels) if labels is not None else [r["v"] for r in self.rows(
                f"SELECT DISTINCT {quote(column)} AS v FROM portfolio WHERE {quote(column)} IS NOT NULL ORDER BY 1")]
        return out

    def _is_text(self, column: str) -> bool:
        if column not in self._text_columns:
            self._text_columns[column] = self.value(f"SELECT typeof({quote(column)}) FROM portfolio LIMIT 1") == "VARCHAR"
        return self._text_columns[column]

    def peer_index(self) -> PeerIndex:
        """Every period's values grouped at every peer level (the groups read once, the values mapped)."""
        with self._lock:
            if self._peers is None:
                cursor = self.cursor()
                try:
                    self._peers = PeerIndex(cursor, [level.columns for level in self.peer_levels], self._model.folder)
                finally:
                    cursor.close()
            return self._peers

    def memo(self, key: tuple, compute: Any) -> Any:
        """``compute()`` once per key: the scores do not change while loaded. Concurrent callers of
        one key wait for the first one's result instead of computing it again."""
        found = self._memo.get(key, _MISSING)
        if found is not _MISSING:
            return found
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._memo:
                self._memo[key] = compute()
        return self._memo[key]

    def portfolio_frame(self, period: str) -> PortfolioFrame:
        """``period``'s portfolio rows, mapped from the read model's files (views, no copy)."""
        return self.memo(("portfolio_frame", period), lambda: self._mapped.frame(period))

    def account_rows(self, account_id: str) -> list[dict[str, Any]]:
        """The account's portfolio row in each period it has one, oldest first."""
        key = self.account_key(account_id)
        if key is None:
            return []
        # one read of each column for every period's row, not one per period
        return self._mapped.rows(self._mapped.account_positions(key))

    def account_key(self, account_id: str) -> int | None:
        """The read model's integer key of ``account_id`` (its rank among all account ids), or None."""
        return self._mapped.account_key(account_id)

    def warm(self) -> None:
        """Read the peer groups, then each period's frame and use-case reports, latest first (for a
        server, in a background thread; :meth:`close` stops it). The reports and alerts were computed
        by the build and the columns are mapped, so this takes seconds at any size."""
        from adoptscore.insights.use_case import use_case_report

        _stop_at_exit(self)
        self.peer_index()
        for period in reversed(self.periods):
            self.portfolio_frame(period)
            for use_case in self.rubric.use_cases:
                if self._closed.is_set():
                    return
                use_case_report(self, use_case.id, period)
            self.periods_warm += 1
            self.warmed.set()

    def warm_in_background(self, then: Callable[[], None] | None = None) -> threading.Thread:
        """Run :meth:`warm` in a thread, then ``then()`` unless :meth:`close` stopped it."""
        def run() -> None:
            self.warm()
            if then is not None and not self._closed.is_set():
                then()

        # not a daemon: a daemon thread killed inside DuckDB at interpreter exit aborts the process;
        # instead the thread is told to stop before the interpreter waits for it
        thread = threading.Thread(target=run, name="adoptscore-warm")
        thread.start()
        return thread

    def close(self) -> None:
        """Stop background work (the connection closes with the object)."""
        self._closed.set()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (its warming stops, or stopped early)."""
        return self._closed.is_set()


def _attribute_columns(con: duckdb.DuckDBPyConnection, segment_columns: list[str]) -> list[str]:
    """The columns describing accounts (owner, ARR, ...) that are not segments."""
    return [r[0] for r in con.execute("DESCRIBE accounts").fetchall()
            if r[0] not in ("account_id", "as_of", "name", *segment_columns)]


# Scorecards warming in a thread, told to stop when the interpreter exits. Weak: a scorecard a
# server has replaced must be freed (a strong reference per reload kept every old one, with its
# frames, reports and DuckDB read model, for the life of the process).
_WARMING: "weakref.WeakSet[Scorecard]" = weakref.WeakSet()
_WARMING_LOCK = threading.Lock()
_hooked = False


def _stop_at_exit(card: Scorecard) -> None:
    global _hooked
    with _WARMING_LOCK:
        if not _hooked and hasattr(threading, "_register_atexit"):
            # once per process: runs before the interpreter waits for its non-daemon threads
            threading._register_atexit(_stop_warming)
            _hooked = True
        _WARMING.add(card)


def _stop_warming() -> None:
    with _WARMING_LOCK:
        cards = list(_WARMING)
    for card in cards:
        card.close()


def open_scorecard(store: str | os.PathLike, rubric: str | None = None, version: str | None = None) -> Scorecard:
    """Load one rubric version's score history from the store at ``store``."""
    return Scorecard(Path(store), rubric, version)
