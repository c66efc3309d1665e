"""Where a scorecard's read model lives: a DuckDB file and a folder of mapped columns cached next to
the store, or a temporary folder.

Building the read model (copying one rubric version out of the store and deriving the portfolio,
the changes between periods, the peer groups, the use-case reports and the alerts) takes minutes at
a million accounts. The result depends only on the store's content, so it is written once to
``<store>.cache/`` under a name made of the rubric, its version and the store file's size and
modification time: ``<name>.duckdb`` and ``<name>.columns/`` (the arrays every process maps
read-only, :mod:`adoptscore.insights.mapped`). Every later open (a restart, each ``serve --workers``
process, a deck run) opens them read-only in well under a second; the first process builds them
while the others wait on a lock, so the workers of a server share one build and one copy in the
page cache. A store written since gets a new name, so a stale read model is never read; older
files of the same rubric version are removed when a new one is written. Where the folder cannot be
written, the read model is built in memory, with its columns in a temporary folder.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import duckdb

from adoptscore.sqltext import literal

if TYPE_CHECKING:
    from adoptscore.rubric.models import Rubric
    from adoptscore.store.history import Store

# bump when the tables the build writes change, so older cache files are not read
FORMAT = 8
ROW_GROUP_SIZE = 8192


def _build_memory() -> str:
    """DuckDB's memory while building a read model (it spills to disk beyond): a third of the
    machine, at most 8 GB, unless ``ADOPTSCORE_BUILD_MEMORY`` says otherwise."""
    given = os.environ.get("ADOPTSCORE_BUILD_MEMORY")
    if given:
        return given
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return "4GB"
    return f"{max(1, min(8, total // 3 // 2**30))}GB"


BUILD_MEMORY = _build_memory()


def cache_folder(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".cache")


def cache_name(store_path: Path, rubric: Rubric) -> tuple[str, str]:
    """(prefix shared by every cache file of this rubric version, this store state's file name)."""
    stat = store_path.stat()
    version = hashlib.sha256(str(rubric.version).encode()).hexdigest()[:10]
    prefix = f"{rubric.name}-{version}-"
    state = hashlib.sha256(f"{FORMAT}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return prefix, f"{prefix}{state}.duckdb"


@dataclass
class ReadModel:
    """An open read model: the DuckDB connection, the folder of mapped columns, and whether this
    process built it (False: it opened what another process, or an earlier start, built)."""

    con: duckdb.DuckDBPyConnection
    folder: Path
    built: bool


Build = Callable[[duckdb.DuckDBPyConnection, Path], None]


def columns_folder(path: Path) -> Path:
    """The mapped columns' folder of the read model file ``path``."""
    return path.with_suffix(".columns")


def open_read_model(store: Store, rubric: Rubric, build: Build, *, cache: bool = True) -> ReadModel:
    """The read model: the cached files when they exist, else a new build (``build(con, folder)``
    fills the connection's database and writes the mapped columns to ``folder``)."""
    if cache:
        folder = cache_folder(store.path)
        prefix, name = cache_name(store.path, rubric)
        try:
            folder.mkdir(exist_ok=True)
            lock = open(folder / (prefix + "lock"), "a")  # noqa: SIM115 - held until the build is done
        except OSError:
            lock = None  # a read-only folder: build in memory
        if lock is not None:
            with lock:
                _lock(lock)  # one process builds; the others wait, then open its files
                return _open_or_build(folder, prefix, name, build)
    con = _open(None, read_only=False)
    columns = Path(tempfile.mkdtemp(prefix="adoptscore-read-model-"))
    _limit_build(con, columns / "spill")
    model = ReadModel(con, columns, True)
    # the temporary columns go with the last reference to the model
    weakref.finalize(model, shutil.rmtree, columns, True)
    build(con, columns)
    return model


def _open_or_build(folder: Path, prefix: str, name: str, build: Build) -> ReadModel:
    path = folder / name
    columns = columns_folder(path)
    if path.exists():
        if (columns / "meta.json").exists():
            try:
                return ReadModel(_open(path, read_only=True), columns, False)
            except duckdb.Error:
                pass  # a damaged cache file is rebuilt, never trusted
        path.unlink(missing_ok=True)
    shutil.rmtree(columns, ignore_errors=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    os.unlink(tmp)  # DuckDB creates the file itself
    tmp_columns = Path(tmp + ".columns")
    try:
        con = _open(None, read_only=False)
        try:
            # small row groups: a page reads a few rows of one account or one period, and DuckDB
            # reads (and decompresses) whole row groups of every column it returns
            _limit_build(con, folder / (prefix + "spill"))
            con.execute(f"ATTACH {literal(tmp)} AS model (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
            con.execute("USE model")
            tmp_columns.mkdir()
            build(con, tmp_columns)
            con.execute("CHECKPOINT model")
        finally:
            con.close()
        # the columns first: a database file beside them says both are complete
        os.replace(tmp_columns, columns)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
        Path(tmp + ".wal").unlink(missing_ok=True)
        shutil.rmtree(tmp_columns, ignore_errors=True)
    for old in [*folder.glob(prefix + "*.duckdb"), *folder.glob(prefix + "*.columns")]:
        if old.name not in (name, columns.name):
            # a process still reading them keeps its open files and mappings
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
    return ReadModel(_open(path, read_only=True), columns, True)


def _limit_build(con: duckdb.DuckDBPyConnection, spill: Path) -> None:
    """Bound the build's memory: beyond :data:`BUILD_MEMORY` DuckDB spills to ``spill`` (beside the
    read model, not the current folder, DuckDB's default), instead of taking most of the machine
    from the server's workers (a million accounts x 24 months took over 20 GB unbounded)."""
    con.execute(f"SET temp_directory = {literal(str(spill))}")
    con.execute(f"SET memory_limit = {literal(BUILD_MEMORY)}")


def _lock(handle) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: concurrent builds are each complete, the last rename wins
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def _open(path: Path | None, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:" if path is None else str(path), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    return con
