"""The score history in a PostgreSQL schema: ``--store postgres://user@host/db?schema=adoptscore``.

The warehouse holds the history of record: every save is one PostgreSQL transaction, serialised
with the other saves of the same store by a transaction-level advisory lock, so a run killed at
any moment (its connection drops, the transaction never commits) leaves the previous contents, and
two runs at once never interleave. The layout is the DuckDB store's, flattened into one schema:
``store_format``, ``rubrics``, ``runs``, and per rubric ``<rubric>__metrics``, ``__use_cases``,
``__overall``, ``__accounts`` (and ``__band_keys``), with the same columns.

Readers (``serve``, ``deck``, ``export``) read a local replica: a DuckDB store file under the cache
folder, brought up to date from the warehouse's ``runs`` table each time a reader opens the store
(only the periods of runs it has not seen are copied). So every reader works on a warehouse store
exactly as on a DuckDB file; what they show comes from the warehouse as of that open.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from adoptscore.errors import first_line
from adoptscore.locations import cache_home, is_warehouse, shown  # noqa: F401 - is_warehouse: for open_store
from adoptscore.sqltext import literal
from adoptscore.rubric.models import Rubric
from adoptscore.store import layout, staging
from adoptscore.store.history import (TABLES, SaveReport, Store, _account_attributes, _band_keys, _commit,
                                      _utcnow, definition, difference_sql)
from adoptscore.store.layout import StoreError

if TYPE_CHECKING:
    import psycopg

    from adoptscore.engine.result import ScoreResult

DEFAULT_SCHEMA = "adoptscore"
REPLICA_RUNS = "replica_runs"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: a reader opening the store again within this many seconds reuses the replica as it is
SYNC_INTERVAL = 2.0
PARTS = (*TABLES, "band_keys", "accounts")
_PG_TYPES = {"string": "text", "large_string": "text", "double": "double precision", "float": "double precision",
             "int64": "bigint", "int32": "integer", "int16": "integer", "int8": "integer", "bool": "boolean",
             "date32[day]": "date"}
_ARROW_TYPES = {"text": pa.string(), "character varying": pa.string(), "double precision": pa.float64(),
                "bigint": pa.int64(), "integer": pa.int32(), "smallint": pa.int16(), "boolean": pa.bool_(),
                "date": pa.date32(), "timestamp without time zone": pa.timestamp("us"), "real": pa.float32()}


class WarehouseStore(Store):
    """A score store in a PostgreSQL schema, read through a local replica. Open with :func:`~adoptscore.store.open_store`."""

    def __init__(self, url: str, *, lock_timeout: float = 600.0):
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        schemas = [v for k, v in query if k == "schema"]
        self.schema = schemas[-1] if schemas else DEFAULT_SCHEMA
        if not NAME.fullmatch(self.schema):
            raise StoreError(f"--store: the schema {self.schema!r} is not a plain SQL name",
                             hint="use letters, digits and underscores, e.g. ?schema=adoptscore")
        self.conninfo = urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k != "schema"])))
        netloc = parts.hostname or "local"
        self.shown = shown(urlunsplit(parts._replace(query=f"schema={self.schema}")))
        key = hashlib.sha256(f"{netloc}:{parts.port}:{parts.path}:{self.schema}".encode()).hexdigest()[:10]
        database = (parts.path.strip("/") or "db").replace("/", "_")
        super().__init__(cache_home() / "warehouse" / f"{netloc}-{database}-{self.schema}-{key}.duckdb",
                         lock_timeout=lock_timeout)
        self._synced_at: float | None = None

    def __str__(self) -> str:
        return self.shown

    # -- PostgreSQL --------------------------------------------------------------------------
    @contextmanager
    def _pg(self) -> Iterator["psycopg.Connection"]:
        import psycopg

        try:
            con = psycopg.connect(self.conninfo, connect_timeout=30)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to the score store {self.shown}: {first_line(exc)}",
                             hint="check the host, port, database, user and password in the URL") from None
        try:
            yield con
        finally:
            con.close()

    def _name(self, table: str) -> str:
        return f'"{self.schema}"."{table}"'

    def _tables(self, con: "psycopg.Connection") -> dict[str, dict[str, str]]:
        rows = con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                           "WHERE table_schema = %s ORDER BY table_name, ordinal_position", [self.schema]).fetchall()
        found: dict[str, dict[str, str]] = {}
        for name, column, kind in rows:
            found.setdefault(name, {})[column] = kind
        return found

    def _check(self, con: "psycopg.Connection") -> dict[str, dict[str, str]]:
        """The store's tables and columns; refuses a schema holding something else or a newer format."""
        found = self._tables(con)
        if not found:
            return found
        if "rubrics" not in found:
            shown = ", ".join(sorted(found)[:3])
            raise StoreError(f"{self.shown}: the schema {self.schema} holds {shown}, not a score history",
                             hint="give the store its own schema: ?schema=adoptscore_scores")
        if layout.FORMAT_TABLE in found:
            stamped = con.execute(f"SELECT max(format) FROM {self._name(layout.FORMAT_TABLE)}").fetchone()[0]
            if stamped is not None and stamped > layout.FORMAT:
                raise StoreError(f"{self.shown}: the store was written by a newer adoptscore (format {stamped})",
                                 hint=layout.UPGRADE)
        return found

    def check_writable(self) -> None:
        """Refuse, before any work, a server that cannot be reached or a schema that is not a store."""
        with self._pg() as con:
            self._check(con)

    def exists(self) -> bool:
        with self._pg() as con:
            return "rubrics" in self._check(con)

    # -- reading: the replica ----------------------------------------------------------------
    def connect(self, *, read_only: bool = True):  # type: ignore[override]
        if read_only:
            self.sync()
        return super().connect(read_only=read_only)

    def refresh(self) -> None:
        self.sync(force=True)

    def sync(self, *, force: bool = False) -> int:
        """Bring the replica up to date with the warehouse; returns how many runs it copied."""
        if not force and self._synced_at is not None and time.monotonic() - self._synced_at < SYNC_INTERVAL:
            return 0
        copied = self._sync()
        self._synced_at = time.monotonic()
        return copied

    def _sync(self) -> int:
        with self._pg() as con:
            found = self._check(con)
            if "runs" not in found:
                raise StoreError(f"{self.shown}: the score store holds no scores yet",
                                 hint=f"add some with: adoptscore score DATA --store '{self.shown}'")
            runs = con.execute(f"SELECT run_id, rubric, version, periods FROM {self._name('runs')} "
                               "ORDER BY finished_at").fetchall()
            seen = self._replicated()
            pending: dict[tuple[str, str], set[str]] = {}
            ids: list[str] = []
            for run_id, rubric, version, periods in runs:
                if run_id not in seen:
                    pending.setdefault((rubric, version), set()).update(periods)
                    ids.append(run_id)
            if not ids:
                return 0
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._staging(self.path.parent) as stage:
                for (rubric_name, version), periods in pending.items():
                    text = con.execute(f"SELECT definition FROM {self._name('rubrics')} WHERE name = %s AND "
                                       "version = %s", [rubric_name, version]).fetchone()[0]
                    rubric = Rubric.model_validate(json.loads(text))
                    folder = stage.path / hashlib.sha256(f"{rubric_name}:{version}".encode()).hexdigest()[:12]
                    folder.mkdir()
                    files = self._download(con, found, rubric_name, version, sorted(periods), folder)
                    accounts = files.pop("accounts")
                    replica = layout.attach(self.path, read_only=False)
                    try:
                        _commit(replica, rubric, files, accounts, self.shown)
                    finally:
                        replica.close()
            replica = layout.attach(self.path, read_only=False)
            try:
                replica.execute(f"CREATE TABLE IF NOT EXISTS main.{REPLICA_RUNS} (run_id VARCHAR)")
                replica.executemany(f"INSERT INTO main.{REPLICA_RUNS} VALUES (?)", [[i] for i in ids])
            finally:
                replica.close()
            return len(ids)

    def _replicated(self) -> set[str]:
        if not self.path.exists():
            return set()
        con = layout.attach(self.path, read_only=True)
        try:
            if not layout.has_table(con, "main", REPLICA_RUNS):
                return set()
            return {r[0] for r in con.execute(f"SELECT run_id FROM {layout.table('main', REPLICA_RUNS)}").fetchall()}
        finally:
            con.close()

    def _download(self, con: "psycopg.Connection", found: dict[str, dict[str, str]], rubric: str, version: str,
                  periods: list[str], folder: Path) -> dict[str, Path]:
        files = {}
        for part in PARTS:
            name = f"{rubric}__{part}"
            if name not in found:
                continue
            columns = found[name]
            where = "" if part == "accounts" else (f" WHERE rubric_version = {literal(version)} AND period IN "
                                                   f"({', '.join(literal(p) for p in periods)})")
            listed = ", ".join(f'"{c}"' for c in columns)
            query = f"SELECT {listed} FROM {self._name(name)}{where}"
            buffer = io.BytesIO()
            with con.cursor() as cur, cur.copy(f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER true)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            types = {c: _ARROW_TYPES.get(kind, pa.string()) for c, kind in columns.items()}
            buffer.seek(0)
            table = pacsv.read_csv(buffer, convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False, null_values=[""],
                true_values=["t"], false_values=["f"]),
                read_options=pacsv.ReadOptions(block_size=1 << 24))
            files[part] = folder / f"{part}.parquet"
            pq.write_table(table, files[part])
        return files

    # -- writing -----------------------------------------------------------------------------
    def save(self, result: "ScoreResult", *, attributes: Sequence[str] | None = None,
             on_rows: Callable[[int], None] | None = None, on_stage: Callable[[str], None] | None = None,
             skip_unchanged: bool = False) -> SaveReport:
        """Add ``result`` to the warehouse store in one transaction (see :meth:`Store.save`)."""
        started = time.monotonic()
        self.check_writable()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging.clean(self.path.parent)
        with self._staging(self.path.parent) as stage:
            accounts = _account_attributes(result, attributes)
            files = result.write(stage.path, "parquet", on_rows=on_rows)
            files["accounts"] = stage.path / "accounts.parquet"
            pq.write_table(accounts, files["accounts"])
            keys = _band_keys(result)
            if keys is not None:
                files["band_keys"] = stage.path / "band_keys.parquet"
                pq.write_table(keys, files["band_keys"])
            if on_stage:
                on_stage("storing")
            with self._pg() as con:
                try:
                    report = self._commit(con, result.rubric, files, result.source, skip_unchanged)
                except _Unchanged as same:
                    report = SaveReport(result.rubric.name, str(result.rubric.version), same.periods, {}, {}, 0.0, "",
                                        unchanged=True)
                except StoreError:
                    raise
                except Exception as exc:  # noqa: BLE001 - the server's refusal, in one line
                    import psycopg

                    if not isinstance(exc, psycopg.Error):
                        raise
                    raise StoreError(f"the score store {self.shown} refused the save, nothing was stored: "
                                     f"{first_line(exc)}", hint="fix what the server names (permissions, space)") \
                        from None
        report.seconds = time.monotonic() - started
        return report

    def _commit(self, con: "psycopg.Connection", rubric: Rubric, files: dict[str, Path], source: str,
                skip_unchanged: bool) -> SaveReport:
        schema, version = rubric.name, str(rubric.version)
        with con.transaction():
            # one save at a time per store: the lock is released when the transaction ends
            con.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"adoptscore:{self.schema}"])
            con.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
            self._check(con)
            con.execute(f"CREATE TABLE IF NOT EXISTS {self._name(layout.FORMAT_TABLE)} (format integer)")
            if con.execute(f"SELECT count(*) FROM {self._name(layout.FORMAT_TABLE)}").fetchone()[0] == 0:
                con.execute(f"INSERT INTO {self._name(layout.FORMAT_TABLE)} VALUES (%s)", [layout.FORMAT])
            con.execute(f"CREATE TABLE IF NOT EXISTS {self._name('rubrics')} (name text, version text, "
                        "definition text, stored_at timestamp)")
            con.execute(f"CREATE TABLE IF NOT EXISTS {self._name('runs')} (run_id text, rubric text, version text, "
                        "periods text[], rows bigint, source text, finished_at timestamp)")
            text = definition(rubric)
            stored = con.execute(f"SELECT definition FROM {self._name('rubrics')} WHERE name = %s AND version = %s",
                                 [schema, version]).fetchone()
            if stored is not None and stored[0] != text:
                raise StoreError(f"rubric {schema} version {version} is already in the store with a different "
                                 "definition", hint="bump the rubric's version when you change it")
            staged = {}
            for part, path in files.items():
                staged[part] = self._upload(con, f"{schema}__{part}", path)
            periods = [r[0] for r in con.execute(f"SELECT DISTINCT period FROM {staged['overall']} ORDER BY 1")]
            in_periods = f"rubric_version = %s AND period IN (SELECT period FROM {staged['overall']})"
            if skip_unchanged and stored is not None and self._same(con, schema, staged, in_periods, version):
                raise _Unchanged(periods)
            if stored is None:
                con.execute(f"INSERT INTO {self._name('rubrics')} VALUES (%s, %s, %s, %s)",
                            [schema, version, text, _utcnow()])
            rows, replaced = {}, {}
            for part, source_table in staged.items():
                target = self._name(f"{schema}__{part}")
                columns = ", ".join(f'"{c}"' for c in pq.read_schema(files[part]).names)
                if part == "accounts":
                    # the latest period wins; for the same period, the attributes just scored
                    con.execute(f"DELETE FROM {target} AS a USING {source_table} AS s "
                                "WHERE a.account_id = s.account_id AND a.as_of <= s.as_of")
                    con.execute(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {source_table} AS s "
                                f"WHERE NOT EXISTS (SELECT 1 FROM {target} AS a WHERE a.account_id = s.account_id)")
                    continue
                replaced[part] = con.execute(f"DELETE FROM {target} WHERE {in_periods}", [version]).rowcount
                rows[part] = con.execute(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {source_table}").rowcount
            run_id = str(uuid.uuid4())
            con.execute(f"INSERT INTO {self._name('runs')} VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [run_id, schema, version, periods, rows["overall"], source, _utcnow()])
        return SaveReport(schema, version, periods, rows, replaced, 0.0, run_id)

    def _upload(self, con: "psycopg.Connection", name: str, path: Path) -> str:
        """Create or widen the store table ``name`` for the staged file, and COPY the file into a
        temporary table shaped like it (dropped at the end of the transaction); returns that table."""
        schema = pq.read_schema(path)
        kinds = {f.name: _pg_type(f.type, path) for f in schema}
        target = self._name(name)
        present = self._tables(con).get(name)
        if present is None:
            con.execute(f"CREATE TABLE {target} (" + ", ".join(f'"{c}" {k}' for c, k in kinds.items()) + ")")
        else:
            for column, kind in kinds.items():
                if column not in present:
                    con.execute(f'ALTER TABLE {target} ADD COLUMN "{column}" {kind}')
        temporary = f'"stage_{uuid.uuid4().hex[:12]}"'
        con.execute(f"CREATE TEMPORARY TABLE {temporary} (" + ", ".join(f'"{c}" {k}' for c, k in kinds.items())
                    + ") ON COMMIT DROP")
        columns = ", ".join(f'"{c}"' for c in kinds)
        with con.cursor() as cur, cur.copy(f"COPY {temporary} ({columns}) FROM STDIN (FORMAT csv, HEADER true)") as copy:
            first = True
            for batch in pq.ParquetFile(path).iter_batches(batch_size=65536):
                plain = pa.RecordBatch.from_arrays(
                    [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in batch.columns],
                    names=batch.schema.names)
                buffer = io.BytesIO()
                pacsv.write_csv(plain, buffer, pacsv.WriteOptions(include_header=first))
                first = False
                copy.write(buffer.getvalue())
            if first:
                copy.write(",".join(f'"{c}"' for c in kinds).encode() + b"\n")
        return temporary

    def _same(self, con: "psycopg.Connection", schema: str, staged: dict[str, str], in_periods: str,
              version: str) -> bool:
        for part, source_table in staged.items():
            target = self._name(f"{schema}__{part}")
            columns = ", ".join(f'"{c}"' for c in self._columns_of(con, source_table))
            query = difference_sql(part, columns, source_table, target, in_periods)
            params: list[Any] = [] if part == "accounts" else [version, version]
            if con.execute(query, params).fetchone()[0]:
                return False
        return True

    @staticmethod
    def _columns_of(con: "psycopg.Connection", relation: str) -> list[str]:
        with con.cursor() as cur:
            cur.execute(f"SELECT * FROM {relation} LIMIT 0")
            return [d.name for d in cur.description or []]


class _Unchanged(Exception):
    """Raised inside the save's transaction to roll it back: the store already holds these rows."""

    def __init__(self, periods: list[str]):
        super().__init__("unchanged")
        self.periods = periods


def _pg_type(kind: pa.DataType, path: Path) -> str:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_timestamp(kind):
        return "timestamp"
    name = _PG_TYPES.get(str(kind))
    if name is None:
        raise StoreError(f"a column of type {kind} cannot be stored in PostgreSQL", file=str(path),
                         hint="store text, numbers, booleans or dates as attributes")
    return name

