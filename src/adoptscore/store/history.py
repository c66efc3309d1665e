"""A DuckDB file holding every scored period, keyed by rubric, rubric version, account and period.

Layout: one DuckDB schema per rubric name, holding that rubric's ``metrics``, ``use_cases`` and
``overall`` tables (the same columns as ``adoptscore score --out``) and ``accounts`` (the latest
descriptive attributes of each account: name, owner, ARR, segments). The ``main`` schema holds
``rubrics`` (every stored rubric version's definition, so readers need no YAML file) and ``runs``
(one row per save).

Guarantees:

- Re-scoring a period replaces that period of that rubric version, in one transaction: readers see
  either the old rows or the new ones, never both, never a mix.
- A run killed at any moment leaves the previous contents intact (the transaction never commits).
- Two runs at once never interleave: DuckDB lets one process write a file at a time, and a second
  run waits for the first (up to ``lock_timeout`` seconds) instead of failing.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

import duckdb
import pyarrow as pa

from adoptscore.errors import AdoptscoreError
from adoptscore.files import check_output, register_input
from adoptscore.rubric.models import Rubric
from adoptscore.sqltext import literal, quote

if TYPE_CHECKING:
    from adoptscore.engine.result import ScoreResult

TABLES = ("metrics", "use_cases", "overall")
# Columns of the usage data that describe an account without being scored. The first present of
# NAME_COLUMNS becomes ``name``.
NAME_COLUMNS = ("account_name", "name", "company_name")
DEFAULT_ATTRIBUTES = ("owner", "arr", "csm", "region", "country", "crm_id")


# how the guarded output path names the store (a store read and then added to is one role)
ROLE = "score store"


class StoreError(AdoptscoreError):
    """The score store cannot be opened, read or written."""


@dataclass
class SaveReport:
    """What one save wrote."""

    rubric: str
    version: str
    periods: list[str]
    rows: dict[str, int]
    replaced: dict[str, int]
    seconds: float
    run_id: str


@dataclass
class StoredRubric:
    name: str
    version: str
    stored_at: datetime
    periods: list[str] = field(default_factory=list)


def definition(rubric: Rubric) -> str:
    """A rubric's canonical definition (JSON), stored beside its results."""
    return json.dumps(rubric.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


class Store:
    """The score history in a DuckDB file. Open with :func:`open_store`."""

    def __init__(self, path: str | os.PathLike, *, lock_timeout: float = 600.0):
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    # -- connections ----------------------------------------------------------------------
    @contextmanager
    def connect(self, *, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the file; waits while another process writes it."""
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: score store not found",
                             hint="create it with: adoptscore score DATA --store " + str(self.path))
        if read_only:
            register_input(self.path, ROLE)
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                text = str(exc)
                if "lock" not in text.lower():
                    raise StoreError(f"{self.path}: cannot open the score store: {text.splitlines()[0]}",
                                     hint="is it a DuckDB file written by adoptscore?") from None
                if time.monotonic() > deadline:
                    raise StoreError(f"{self.path}: another process has held the score store for over "
                                     f"{self.lock_timeout:g} s", hint="wait for the other run to finish") from None
                time.sleep(0.1 + random.random() * 0.2)
            except duckdb.Error as exc:
                raise StoreError(f"{self.path}: cannot open the score store: {str(exc).splitlines()[0]}",
                                 hint="is it a DuckDB file written by adoptscore?") from None
        try:
            con.execute("SET enable_progress_bar = false")
            yield con
        finally:
            con.close()

    # -- reading --------------------------------------------------------------------------
    def rubrics(self, *, periods: bool = True) -> list[StoredRubric]:
        """Every stored rubric version, oldest first, with its periods (a scan of each version's
        results: ``periods=False`` skips it)."""
        with self.connect() as con:
            if not _has_table(con, "main", "rubrics"):
                return []
            rows = con.execute("SELECT name, version, stored_at FROM main.rubrics ORDER BY stored_at").fetchall()
            out = []
            for name, version, stored_at in rows:
                found = [r[0] for r in con.execute(
                    f"SELECT DISTINCT period FROM {quote(name)}.overall WHERE rubric_version = ? ORDER BY 1",
                    [version]).fetchall()] if periods and _has_table(con, name, "overall") else []
                out.append(StoredRubric(name, version, stored_at, found))
            return out

    def rubric(self, name: str | None = None, version: str | None = None) -> Rubric:
        """A stored rubric version: by default the latest stored version of ``name`` (or of the
        only rubric in the store)."""
        stored = self.rubrics(periods=False)
        if not stored:
            raise StoreError(f"{self.path}: the score store holds no scores yet",
                             hint="add some with: adoptscore score DATA --store " + str(self.path))
        names = sorted({s.name for s in stored})
        if name is None:
            if len(names) > 1:
                raise StoreError(f"{self.path}: the store holds several rubrics ({', '.join(names)})",
                                 hint="pick one with --rubric NAME")
            name = names[0]
        candidates = [s for s in stored if s.name == name]
        if not candidates:
            raise StoreError(f"{self.path}: no scores for rubric {name!r}", hint="stored rubrics: " + ", ".join(names))
        if version is None:
            chosen = candidates[-1]
        else:
            matches = [s for s in candidates if s.version == str(version)]
            if not matches:
                raise StoreError(f"{self.path}: no scores for {name} version {version}",
                                 hint="stored versions: " + ", ".join(s.version for s in candidates))
            chosen = matches[0]
        with self.connect() as con:
            text = con.execute("SELECT definition FROM main.rubrics WHERE name = ? AND version = ?",
                               [chosen.name, chosen.version]).fetchone()[0]
        return Rubric.model_validate(json.loads(text))

    # -- writing --------------------------------------------------------------------------
    def save(self, result: "ScoreResult", *, attributes: Sequence[str] | None = None,
             on_rows: Callable[[int], None] | None = None, on_stage: Callable[[str], None] | None = None) -> SaveReport:
        """Add ``result`` to the store, replacing the periods it holds for its rubric version.

        The result is first computed into temporary Parquet files (the slow part, outside any
        lock); the store is then changed in one transaction. ``attributes`` are columns of the
        usage data describing accounts (default: a name column plus owner, arr, ... when present).
        """
        started = time.monotonic()
        check_output(self.path, ROLE)  # e.g. the usage data's own DuckDB file
        rubric = result.rubric
        staging = Path(tempfile.mkdtemp(prefix=".adoptscore-store-", dir=self.path.parent if self.path.parent.exists() else None))
        try:
            accounts = _account_attributes(result, attributes)  # first: a wrong column fails before the long part
            files = result.write(staging, "parquet", on_rows=on_rows)
            accounts_file = staging / "accounts.parquet"
            import pyarrow.parquet as pq

            pq.write_table(accounts, accounts_file)
            keys = _band_keys(result)
            if keys is not None:
                files["band_keys"] = staging / "band_keys.parquet"
                pq.write_table(keys, files["band_keys"])
            if on_stage:
                on_stage("storing")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.connect(read_only=False) as con:
                report = _commit(con, rubric, files, accounts_file, result.source)
            report.seconds = time.monotonic() - started
            return report
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def open_store(path: str | os.PathLike, *, lock_timeout: float = 600.0) -> Store:
    """The score store at ``path`` (created on the first save)."""
    return Store(path, lock_timeout=lock_timeout)


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute("SELECT COUNT(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                       [schema, table]).fetchone()[0] > 0


def _parquet(path: Path) -> str:
    return f"read_parquet({literal(str(path))})"


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}


def _ensure_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, source: str) -> None:
    """Create ``schema.table`` shaped like ``source``, or add the columns it lacks (a new rubric
    version may carry a new segment column)."""
    target = f"{quote(schema)}.{quote(table)}"
    if not _has_table(con, schema, table):
        con.execute(f"CREATE TABLE {target} AS SELECT * FROM {source} LIMIT 0")
        return
    present = _columns(con, target)
    for column, kind in _columns(con, source).items():
        if column not in present:
            con.execute(f"ALTER TABLE {target} ADD COLUMN {quote(column)} {kind}")


def _commit(con: duckdb.DuckDBPyConnection, rubric: Rubric, files: dict[str, Path], accounts: Path,
            source: str) -> SaveReport:
    schema, version = rubric.name, str(rubric.version)
    run_id = str(uuid.uuid4())
    now = _utcnow()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE TABLE IF NOT EXISTS main.rubrics (name VARCHAR, version VARCHAR, definition VARCHAR, "
                    "stored_at TIMESTAMP)")
        con.execute("CREATE TABLE IF NOT EXISTS main.runs (run_id VARCHAR, rubric VARCHAR, version VARCHAR, "
                    "periods VARCHAR[], rows BIGINT, source VARCHAR, finished_at TIMESTAMP)")
        stored = con.execute("SELECT definition FROM main.rubrics WHERE name = ? AND version = ?",
                             [schema, version]).fetchone()
        text = definition(rubric)
        if stored is None:
            con.execute("INSERT INTO main.rubrics VALUES (?, ?, ?, ?)", [schema, version, text, now])
        elif stored[0] != text:
            raise StoreError(f"rubric {schema} version {version} is already in the store with a different "
                             "definition", hint="bump the rubric's version when you change it")
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(schema)}")
        periods = [r[0] for r in con.execute(f"SELECT DISTINCT period FROM {_parquet(files['overall'])} "
                                             "ORDER BY 1").fetchall()]
        rows, replaced = {}, {}
        for table in [t for t in (*TABLES, "band_keys") if t in files]:
            source_rel = _parquet(files[table])
            _ensure_table(con, schema, table, source_rel)
            target = f"{quote(schema)}.{quote(table)}"
            replaced[table] = con.execute(
                f"DELETE FROM {target} WHERE rubric_version = ? AND period IN "
                f"(SELECT DISTINCT period FROM {_parquet(files['overall'])})", [version]).fetchone()[0]
            rows[table] = con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM {source_rel}").fetchone()[0]
        _merge_accounts(con, schema, _parquet(accounts))
        con.execute("INSERT INTO main.runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [run_id, schema, version, periods, rows["overall"], source, _utcnow()])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return SaveReport(schema, version, periods, rows, replaced, 0.0, run_id)


def _merge_accounts(con: duckdb.DuckDBPyConnection, schema: str, source: str) -> None:
    """Keep each account's attributes as of its latest period seen."""
    _ensure_table(con, schema, "accounts", source)
    target = f"{quote(schema)}.accounts"
    con.execute(f"CREATE TEMPORARY TABLE merged AS SELECT * FROM (SELECT * FROM {target} UNION ALL BY NAME "
                f"SELECT * FROM {source}) QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY as_of DESC) = 1")
    con.execute(f"DELETE FROM {target}")
    con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM merged")
    con.execute("DROP TABLE merged")


def _band_keys(result: "ScoreResult") -> pa.Table | None:
    """The columns band tables are keyed on (e.g. account age), per account-period: readers need
    them to tell which thresholds applied to an account."""
    keys = sorted({m.bands_by.by for _, m in result.rubric.metrics if m.bands_by is not None})
    if not keys:
        return None
    import ibis

    version = ibis.literal(str(result.rubric.version))
    return result.query("prepared", lambda t: t.select(version.name("rubric_version"), "account_id", "period", *keys))


def _account_attributes(result: "ScoreResult", attributes: Sequence[str] | None) -> pa.Table:
    """Each account's descriptive columns as of its latest period in the scored data."""
    import ibis

    rubric = result.rubric
    data = result.data
    account, period = rubric.input.account_id, rubric.input.period
    columns = set(data.columns)
    if attributes is None:
        wanted = [c for c in DEFAULT_ATTRIBUTES if c in columns]
    else:
        missing = [c for c in attributes if c not in columns]
        if missing:
            raise StoreError(f"attribute column {missing[0]!r} is not in the data",
                             hint="columns: " + ", ".join(sorted(columns)))
        wanted = list(attributes)
    name = next((c for c in NAME_COLUMNS if c in columns), None)
    segments = [s for s in rubric.input.segments if s in columns and s not in wanted]
    selection = {"account_id": data[account].cast("string"), "as_of": data[period].cast("string")}
    selection["name"] = data[name].cast("string") if name else ibis.literal(None, "string")
    for column in [*segments, *wanted]:
        value = data[column]
        selection[column] = value if value.type().is_numeric() else value.cast("string")
    expr = data.select(**selection)
    latest = expr.filter(expr.as_of == expr.as_of.max().over(group_by=expr.account_id))
    latest = latest.distinct(on="account_id", keep="first")
    sql = str(ibis.to_sql(latest, dialect=result.backend.name))
    return result.adapter.to_arrow(sql)


def _utcnow() -> datetime:
    # naive UTC: DuckDB's TIMESTAMP WITH TIME ZONE needs pytz to come back into Python
    return datetime.now(timezone.utc).replace(tzinfo=None)
