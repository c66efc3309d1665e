"""Compiled rubrics kept on disk, so a command does not compile the same rubric again.

Compiling the ``gitlab`` rubric through Ibis costs about a second of CPU, more than scoring the demo
data; ``validate``, ``diff`` and ``explain`` would pay it on every run. What a compile produces
that later runs need is plain data: per named stage or result table, the SQL text of each dialect,
the tables it reads and its columns; and the wide result's layout. That is what is kept.

A record is keyed by everything its text depends on: the rubric's content, the source schema, the
versions of adoptscore, Ibis and SQLGlot, and a hash of the engine's and rubric package's own
source files (so a changed engine never reads text an older one wrote, even at the same version).
A record that cannot be read is compiled again; a cache folder that cannot be written is not used.
``ADOPTSCORE_COMPILE_CACHE=off`` turns the cache off; the folder is
:func:`adoptscore.locations.cache_home` ``/compiled``.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from adoptscore.locations import cache_home

#: bumped when the record's shape changes
FORMAT = 1
#: records kept; the least recently written beyond this are removed
KEEP = 256
_PACKAGES = ("engine", "rubric")


def enabled() -> bool:
    """Whether compiled rubrics are read from and written to disk."""
    return os.environ.get("ADOPTSCORE_COMPILE_CACHE", "").strip().lower() not in ("0", "off", "false", "no")


def folder() -> Path:
    return cache_home() / "compiled"


@lru_cache(maxsize=1)
def _code_version() -> str:
    """adoptscore, Ibis and SQLGlot versions and a hash of the source the compiled text depends on."""
    import ibis
    import sqlglot

    import adoptscore

    digest = hashlib.sha256(f"{FORMAT}|{adoptscore.__version__}|{ibis.__version__}|{sqlglot.__version__}".encode())
    root = Path(adoptscore.__file__).parent
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key(rubric_json: str, schema: list[tuple[str, str]]) -> str:
    """The record name for a rubric (its JSON) compiled over a source schema (column, type)."""
    digest = hashlib.sha256(_code_version().encode())
    digest.update(rubric_json.encode())
    digest.update(json.dumps(schema).encode())
    return digest.hexdigest()[:40]


def read(name: str) -> dict[str, Any] | None:
    """The record, or None when there is none or it cannot be read (it is then compiled again)."""
    if not enabled():
        return None
    try:
        record = json.loads((folder() / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("format") == FORMAT else None


def write(name: str, record: dict[str, Any]) -> None:
    """Replace the record in one rename, so a reader never sees half of one. Failing to write
    (read-only home, full disk) only means the next run compiles again."""
    if not enabled():
        return
    directory = folder()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({**record, "format": FORMAT}, out, separators=(",", ":"))
            os.replace(temporary, directory / f"{name}.json")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(directory)
    except OSError:
        return


def _prune(directory: Path) -> None:
    records = list(directory.glob("*.json"))
    if len(records) <= KEEP:
        return
    by_age = sorted(records, key=lambda p: p.stat().st_mtime)
    for path in by_age[: len(records) - KEEP]:
        path.unlink(missing_ok=True)
