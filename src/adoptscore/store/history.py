"""A DuckDB file holding every scored period, keyed by rubric, rubric version, account and period.

Layout: one DuckDB schema per rubric name, holding that rubric's ``metrics``, ``use_cases`` and
``overall`` tables (the same columns as ``adoptscore score --out``) and ``accounts`` (the latest
descriptive attributes of each account: name, owner, ARR, segments). The ``main`` schema holds
``rubrics`` (every stored rubric version's definition, so readers need no YAML file), ``runs``
(one row per save) and ``store_format`` (the layout's version, see :mod:`adoptscore.store.layout`).

Guarantees:

- Re-scoring a period replaces that period of that rubric version, in one transaction: readers see
  either the old rows or the new ones, never both, never a mix.
- A run killed at any moment leaves the previous contents intact (the transaction never commits),
  and a first run killed or failing leaves no store file (a new store is linked into place whole).
  What a killed run staged is removed by the next open (:mod:`adoptscore.store.staging`).
- A file that is not a whole store (another database, a damaged or cut-short copy, a newer
  format) is refused with a clear error, never written to.
- Two runs at once never interleave: DuckDB lets one process write a file at a time, and a second
  run waits for the first (up to ``lock_timeout`` seconds) instead of failing.
"""
from __future__ import annotations

import json
import os
import random
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

import duckdb
import pyarrow as pa

from adoptscore.files import cannot_write, check_output, register_input
from adoptscore.rubric.models import Rubric
from adoptscore.sqltext import literal, quote
from adoptscore.store import layout, staging
from adoptscore.store.layout import ALIAS, StoreError, has_table, table
from adoptscore.store.versions import version_key

if TYPE_CHECKING:
    from adoptscore.engine.result import ScoreResult

TABLES = ("metrics", "use_cases", "overall")
# Columns of the usage data that describe an account without being scored. The first present of
# NAME_COLUMNS becomes ``name``.
NAME_COLUMNS = ("account_name", "name", "company_name")
DEFAULT_ATTRIBUTES = ("owner", "arr", "csm", "region", "country", "crm_id")


# how the guarded output path names the store (a store read and then added to is one role)
ROLE = "score store"


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
    #: the store already held exactly these scores (``save(skip_unchanged=True)``): nothing was written
    unchanged: bool = False


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
        # which stored version :meth:`rubric` took when none was asked and several are stored
        self.note: str | None = None

    def __str__(self) -> str:
        return str(self.path)

    def refresh(self) -> None:
        """Bring what readers read up to date (a file store always is; a warehouse store's replica is synced)."""

    def exists(self) -> bool:
        return self.path.exists()

    # -- connections ----------------------------------------------------------------------
    @contextmanager
    def connect(self, *, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection whose current database is the store (named :data:`~adoptscore.store.layout.ALIAS`,
        whatever the file's name); waits while another process writes it. Refuses a file that is
        not a whole store of a format this adoptscore reads."""
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: score store not found",
                             hint="create it with: adoptscore score DATA --store " + str(self.path))
        if self.path.is_dir():
            raise StoreError("is a folder, not a score store file", file=str(self.path),
                             hint=f"e.g. --store {self.path / 'scores.duckdb'}")
        if read_only:
            register_input(self.path, ROLE)
        if self.path.exists():
            layout.check_header(self.path)
        staging.clean(self.path.parent)  # what killed runs left next to the store
        con = self._attach(read_only)
        try:
            try:
                layout.check(con, self.path)
            except duckdb.Error as exc:
                raise layout.damage(self.path, exc) or exc from None
            try:
                yield con
            except duckdb.Error as exc:
                raise layout.damage(self.path, exc) or exc from None
        finally:
            con.close()

    def _attach(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return layout.attach(self.path, read_only=read_only)
            except duckdb.Error as exc:
                text = (str(exc).strip().splitlines() or [""])[0]
                # another process holds the file's lock, or another connection of this process
                # writes it: wait for it, like for any writer
                busy = isinstance(exc, duckdb.IOException) and "lock" in text.lower() \
                    or "unique file handle conflict" in text.lower()
                if not busy:
                    raise layout.damage(self.path, exc) or StoreError(
                        f"cannot open the score store: {text}", file=str(self.path),
                        hint="is it a DuckDB file written by adoptscore?") from None
                if time.monotonic() > deadline:
                    raise StoreError(f"another process has held the score store for over {self.lock_timeout:g} s",
                                     file=str(self.path), hint="wait for the other run to finish") from None
                time.sleep(0.1 + random.random() * 0.2)

    def check_writable(self) -> None:
        """Refuse, before any work, a path no save can add to: one not named ``*.duckdb`` (``--store
        scores.csv`` would otherwise hold a DuckDB file under a CSV name), a folder, or an existing
        file that is not a whole store of a format this adoptscore reads, or in a folder where no
        file can be made (a save stages its work beside the store)."""
        if self.path.suffix.lower() != ".duckdb":
            raise StoreError("a score store is a DuckDB file and its name ends in .duckdb", file=str(self.path),
                             hint=f"e.g. --store {self.path.with_suffix('.duckdb')}")
        if self.path.exists():
            with self.connect():
                pass
        folder = self.path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent  # the folders a save would make are made in this one
        with self._staging(folder):
            pass

    @contextmanager
    def _staging(self, folder: Path) -> Iterator[staging.Staging]:
        """A staging folder in ``folder``; one that cannot be made is a clear error, not an OSError."""
        try:
            held = staging.stage(folder)
        except OSError as exc:
            raise cannot_write(self.path, ROLE, exc) from None
        with held:
            yield held

    def verify(self) -> None:
        """Read every block of the store once (DuckDB checks each block's checksum as it reads
        it), so a damaged store fails here with a clear error, not halfway through a reader's
        work. Done once per state of the file (size, modification time) in a process."""
        state = _state(self.path)
        if state in _VERIFIED:
            return
        with self.connect() as con:
            # the blocks are read once: let the scan evict them instead of holding the whole file
            con.execute("SET memory_limit = '256MB'")
            layout.verify(con, self.path)
        _VERIFIED.add(state)

    # -- reading --------------------------------------------------------------------------
    def rubrics(self, *, periods: bool = True) -> list[StoredRubric]:
        """Every stored rubric version, oldest first, with its periods (a scan of each version's
        results: ``periods=False`` skips it)."""
        with self.connect() as con:
            if not has_table(con, "main", "rubrics"):
                return []
            rows = con.execute(f"SELECT name, version, stored_at FROM {table('main', 'rubrics')} "
                               "ORDER BY stored_at").fetchall()
            out = []
            for name, version, stored_at in rows:
                found = [r[0] for r in con.execute(
                    f"SELECT DISTINCT period FROM {table(name, 'overall')} WHERE rubric_version = ? ORDER BY 1",
                    [version]).fetchall()] if periods and has_table(con, name, "overall") else []
                out.append(StoredRubric(name, version, stored_at, found))
            return out

    def rubric(self, name: str | None = None, version: str | None = None) -> Rubric:
        """A stored rubric version: by default the newest stored version of ``name`` (or of the
        only rubric in the store), newest by version order (``2025.10`` after ``2025.9``), not by
        when it was stored. When several versions are stored and none is asked, :attr:`note`
        says which one this is."""
        stored = self.rubrics(periods=False)
        self.verify()  # every reader starts here: a damaged store is refused before it is read
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
        self.note = None
        if version is None:
            # equal versions (1.0 and 1.0.0) fall back to the one stored last
            chosen = max(candidates, key=lambda s: (version_key(s.version), s.stored_at))
            if len(candidates) > 1:
                self.note = (f"using {name} {chosen.version}, the newest of {len(candidates)} stored versions; "
                             "--version to choose")
        else:
            matches = [s for s in candidates if s.version == str(version)]
            if not matches:
                raise StoreError(f"{self.path}: no scores for {name} version {version}",
                                 hint="stored versions: " + ", ".join(s.version for s in candidates))
            chosen = matches[0]
        with self.connect() as con:
            text = con.execute(f"SELECT definition FROM {table('main', 'rubrics')} WHERE name = ? AND version = ?",
                               [chosen.name, chosen.version]).fetchone()[0]
        try:
            return Rubric.model_validate(json.loads(text))
        except (TypeError, ValueError) as exc:  # JSONDecodeError and pydantic's ValidationError are ValueErrors
            first = (str(exc).strip().splitlines() or [""])[0]
            raise layout.not_a_store(self.path, f"damaged: the stored definition of {name} {chosen.version} cannot "
                                     f"be read: {first}", hint=layout.RESTORE) from None

    # -- writing --------------------------------------------------------------------------
    def save(self, result: "ScoreResult", *, attributes: Sequence[str] | None = None,
             on_rows: Callable[[int], None] | None = None, on_stage: Callable[[str], None] | None = None,
             skip_unchanged: bool = False) -> SaveReport:
        """Add ``result`` to the store, replacing the periods it holds for its rubric version.

        ``skip_unchanged``: when the store already holds exactly these rows (scores, band keys and
        account attributes) for these periods, write nothing, not even a ``runs`` row, and return a
        report with ``unchanged`` set: a re-run of the same month leaves the file as it was.

        The result is first computed into temporary Parquet files (the slow part, outside any
        lock); the store is then changed in one transaction. ``attributes`` are columns of the
        usage data describing accounts (default: a name column plus owner, arr, ... when present).

        A new store is written whole beside its final name and then linked into place, so a run
        that fails or is killed never leaves a store file behind; an existing store is read in
        full first (a damaged one is refused, never added to).
        """
        started = time.monotonic()
        check_output(self.path, ROLE)  # e.g. the usage data's own DuckDB file
        self.check_writable()
        rubric = result.rubric
        try:
            made = _make_folder(self.path.parent)
        except OSError as exc:
            raise cannot_write(self.path, ROLE, exc) from None
        try:
            staging.clean(self.path.parent)
            with self._staging(self.path.parent) as stage:
                accounts = _account_attributes(result, attributes)  # first: a wrong column fails before the long part
                files = result.write(stage.path, "parquet", on_rows=on_rows)
                accounts_file = stage.path / "accounts.parquet"
                import pyarrow.parquet as pq

                pq.write_table(accounts, accounts_file)
                keys = _band_keys(result)
                if keys is not None:
                    files["band_keys"] = stage.path / "band_keys.parquet"
                    pq.write_table(keys, files["band_keys"])
                if skip_unchanged and self.path.exists():
                    if on_stage:
                        on_stage("comparing with the stored scores")
                    same = self._holds(rubric, files, accounts_file)
                    if same is not None:
                        return SaveReport(rubric.name, str(rubric.version), same, {}, {}, time.monotonic() - started,
                                          "", unchanged=True)
                if on_stage:
                    on_stage("storing")
                report = None
                if not self.path.exists():
                    report = self._create(stage.path / "new.duckdb", rubric, files, accounts_file, result.source)
                if report is None:
                    with self.connect(read_only=False) as con:
                        layout.verify(con, self.path)
                        report = self._commit(con, rubric, files, accounts_file, result.source)
        except BaseException:
            for folder in reversed(made):
                _remove_empty(folder)
            raise
        report.seconds = time.monotonic() - started
        return report

    def _holds(self, rubric: Rubric, files: dict[str, Path], accounts: Path) -> list[str] | None:
        """The staged periods when the store holds exactly the staged rows for them (the same rubric
        definition, every result row equal, each account's attributes already as staged); else None."""
        schema, version = rubric.name, str(rubric.version)
        with self.connect() as con:
            if not has_table(con, "main", "rubrics"):
                return None
            stored = con.execute(f"SELECT definition FROM {table('main', 'rubrics')} WHERE name = ? AND version = ?",
                                 [schema, version]).fetchone()
            if stored is None or stored[0] != definition(rubric):
                return None
            periods = f"(SELECT DISTINCT period FROM {_parquet(files['overall'])})"
            for name, path in [*[(t, files[t]) for t in (*TABLES, "band_keys") if t in files], ("accounts", accounts)]:
                if not has_table(con, schema, name):
                    return None
                staged, target = _parquet(path), table(schema, name)
                columns = list(_columns(con, staged))
                if any(c not in _columns(con, target) for c in columns):
                    return None
                listed = ", ".join(quote(c) for c in columns)
                scope = f"rubric_version = ? AND period IN {periods}"
                query = difference_sql(name, listed, staged, target, scope)
                params: list[str] = [] if name == "accounts" else [version, version]
                if con.execute(query, params).fetchone()[0]:
                    return None
            return [r[0] for r in con.execute(f"{periods[1:-1]} ORDER BY 1").fetchall()]

    def _create(self, fresh: Path, rubric: Rubric, files: dict[str, Path], accounts: Path,
                source: str) -> SaveReport | None:
        """Write a new store at ``fresh`` and link it to :attr:`path`; None when a store appeared
        there meanwhile (another run made it: the caller adds to that one instead)."""
        con = layout.attach(fresh, read_only=False)
        try:
            report = self._commit(con, rubric, files, accounts, source)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if Path(str(fresh) + ".wal").exists():
            return None  # not all in the file (never seen): add to a store made in place instead
        try:
            os.link(fresh, self.path)  # atomic, and never replaces a file
        except FileExistsError:
            return None
        except OSError:
            # a file system without hard links: a rename, which on POSIX would replace a store
            # made in the instant since we looked
            if self.path.exists():
                return None
            os.replace(fresh, self.path)
        _sync_folder(self.path.parent)
        return report

    def _commit(self, con: duckdb.DuckDBPyConnection, *args) -> SaveReport:
        """:func:`_commit`, DuckDB's errors about the file turned into clear ones."""
        try:
            return _commit(con, *args)
        except duckdb.Error as exc:
            known = layout.damage(self.path, exc)
            if known is not None:
                raise known from None
            if isinstance(exc, duckdb.IOException):
                text = (str(exc).strip().splitlines() or [""])[0]
                raise StoreError(f"cannot write the score store, nothing was stored: {text}", file=str(self.path),
                                 hint="free disk space, or check the folder's permissions") from None
            raise


def difference_sql(part: str, columns: str, staged: str, target: str, scope: str) -> str:
    """A query counting the rows by which the staged rows of ``part`` and the stored rows in
    ``scope`` (a condition with two parameters, rubric version and periods) differ; 0: the same.

    Account attributes are merged per account, the latest period winning: they are the same when
    every staged row is stored as it is, or is older than the account's stored row."""
    mine = f"SELECT {columns} FROM {staged}"
    if part == "accounts":
        return (f"SELECT count(*) FROM ({mine} EXCEPT ALL SELECT {columns} FROM {target}) AS m "
                f"WHERE NOT EXISTS (SELECT 1 FROM {target} AS t WHERE t.account_id = m.account_id "
                "AND t.as_of > m.as_of)")
    theirs = f"SELECT {columns} FROM {target} WHERE {scope}"
    return f"SELECT count(*) FROM (({mine} EXCEPT ALL {theirs}) UNION ALL ({theirs} EXCEPT ALL {mine})) AS d"


def open_store(path: "str | os.PathLike | Store", *, lock_timeout: float = 600.0) -> Store:
    """The score store at ``path`` (created on the first save): a DuckDB file, or a PostgreSQL
    connection URL (``postgres://user@host/db?schema=adoptscore``, see :mod:`adoptscore.store.warehouse`)."""
    if isinstance(path, Store):
        return path
    from adoptscore.store.warehouse import WarehouseStore, is_warehouse

    if is_warehouse(path):
        return WarehouseStore(str(path), lock_timeout=lock_timeout)
    return Store(path, lock_timeout=lock_timeout)


# (file, size, modification time) of the stores verified in this process
_VERIFIED: set[tuple[str, int, int]] = set()


def _state(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def _parquet(path: Path) -> str:
    return f"read_parquet({literal(str(path))})"


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}


def _ensure_table(con: duckdb.DuckDBPyConnection, schema: str, name: str, source: str) -> None:
    """Create ``schema.name`` shaped like ``source``, or add the columns it lacks (a new rubric
    version may carry a new segment column)."""
    target = table(schema, name)
    if not has_table(con, schema, name):
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
    rubrics, runs = table("main", "rubrics"), table("main", "runs")
    con.execute("BEGIN TRANSACTION")
    try:
        layout.stamp(con)
        con.execute(f"CREATE TABLE IF NOT EXISTS {rubrics} (name VARCHAR, version VARCHAR, definition VARCHAR, "
                    "stored_at TIMESTAMP)")
        con.execute(f"CREATE TABLE IF NOT EXISTS {runs} (run_id VARCHAR, rubric VARCHAR, version VARCHAR, "
                    "periods VARCHAR[], rows BIGINT, source VARCHAR, finished_at TIMESTAMP)")
        stored = con.execute(f"SELECT definition FROM {rubrics} WHERE name = ? AND version = ?",
                             [schema, version]).fetchone()
        text = definition(rubric)
        if stored is None:
            con.execute(f"INSERT INTO {rubrics} VALUES (?, ?, ?, ?)", [schema, version, text, now])
        elif stored[0] != text:
            raise StoreError(f"rubric {schema} version {version} is already in the store with a different "
                             "definition", hint="bump the rubric's version when you change it")
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {ALIAS}.{quote(schema)}")
        periods = [r[0] for r in con.execute(f"SELECT DISTINCT period FROM {_parquet(files['overall'])} "
                                             "ORDER BY 1").fetchall()]
        rows, replaced = {}, {}
        for name in [t for t in (*TABLES, "band_keys") if t in files]:
            source_rel = _parquet(files[name])
            _ensure_table(con, schema, name, source_rel)
            target = table(schema, name)
            replaced[name] = con.execute(
                f"DELETE FROM {target} WHERE rubric_version = ? AND period IN "
                f"(SELECT DISTINCT period FROM {_parquet(files['overall'])})", [version]).fetchone()[0]
            rows[name] = con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM {source_rel}").fetchone()[0]
        _merge_accounts(con, schema, _parquet(accounts))
        con.execute(f"INSERT INTO {runs} VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [run_id, schema, version, periods, rows["overall"], source, _utcnow()])
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the transaction is gone already (DuckDB aborts it on some errors): nothing committed
        raise
    return SaveReport(schema, version, periods, rows, replaced, 0.0, run_id)


def _merge_accounts(con: duckdb.DuckDBPyConnection, schema: str, source: str) -> None:
    """Keep each account's attributes as of its latest period seen; for the same period, the ones
    just scored (a period scored again with corrected attributes takes them)."""
    _ensure_table(con, schema, "accounts", source)
    target = table(schema, "accounts")
    con.execute(f"CREATE TEMPORARY TABLE merged AS SELECT * EXCLUDE (__new) FROM (SELECT *, 0 AS __new FROM {target} "
                f"UNION ALL BY NAME SELECT *, 1 AS __new FROM {source}) "
                "QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY as_of DESC, __new DESC) = 1")
    con.execute(f"DELETE FROM {target}")
    con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM merged")
    con.execute("DROP TABLE merged")


def _make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; the folders created, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    for each in missing:
        each.mkdir(exist_ok=True)
    return missing


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (another run wrote there) or gone: leave it


def _sync_folder(folder: Path) -> None:
    """Make a new name in ``folder`` durable (POSIX; elsewhere the rename is as durable as it gets)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
