"""Where a scorecard's read model lives: a DuckDB file cached next to the store, or memory.

Building the read model (copying one rubric version out of the store and deriving the portfolio,
the changes between periods and the peer groups) takes about a minute at 100,000 accounts x 12
months. The result depends only on the store's content, so it is written once to
``<store>.cache/`` under a name made of the rubric, its version and the store file's size and
modification time, and every later open (a restart, each ``serve --workers`` process, a deck run)
opens that file read-only in well under a second. A store written since gets a new name, so a
stale read model is never read; older files of the same rubric version are removed when a new one
is written. Where the folder cannot be written, the read model is built in memory instead.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import duckdb

from adoptscore.sqltext import literal

if TYPE_CHECKING:
    from adoptscore.rubric.models import Rubric
    from adoptscore.store.history import Store

# bump when the tables the build writes change, so older cache files are not read
FORMAT = 6
ROW_GROUP_SIZE = 8192


def cache_folder(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".cache")


def cache_name(store_path: Path, rubric: Rubric) -> tuple[str, str]:
    """(prefix shared by every cache file of this rubric version, this store state's file name)."""
    stat = store_path.stat()
    version = hashlib.sha256(str(rubric.version).encode()).hexdigest()[:10]
    prefix = f"{rubric.name}-{version}-"
    state = hashlib.sha256(f"{FORMAT}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return prefix, f"{prefix}{state}.duckdb"


def open_read_model(store: Store, rubric: Rubric, build: Callable[[duckdb.DuckDBPyConnection], None], *,
                    cache: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection holding the read model: the cached file when it exists, else a new build."""
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
                _lock(lock)  # one process builds; the others wait, then open its file
                return _open_or_build(folder, prefix, name, build)
    con = _open(None, read_only=False)
    build(con)
    return con


def _open_or_build(folder: Path, prefix: str, name: str,
                   build: Callable[[duckdb.DuckDBPyConnection], None]) -> duckdb.DuckDBPyConnection:
    path = folder / name
    if path.exists():
        try:
            return _open(path, read_only=True)
        except duckdb.Error:
            path.unlink(missing_ok=True)  # a damaged cache file is rebuilt, never trusted
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    os.unlink(tmp)  # DuckDB creates the file itself
    try:
        con = _open(None, read_only=False)
        try:
            # small row groups: a page reads a few rows of one account or one period, and DuckDB
            # reads (and decompresses) whole row groups of every column it returns
            con.execute(f"ATTACH {literal(tmp)} AS model (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
            con.execute("USE model")
            build(con)
            con.execute("CHECKPOINT model")
        finally:
            con.close()
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
        Path(tmp + ".wal").unlink(missing_ok=True)
    for old in folder.glob(prefix + "*.duckdb"):
        if old.name != name:
            old.unlink(missing_ok=True)  # a process still reading it keeps its open file
    return _open(path, read_only=True)


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
