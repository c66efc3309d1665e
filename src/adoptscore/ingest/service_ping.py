"""Reading Service Ping payloads into rubric input rows: one row per instance per month.

A payload is parsed with the standard library's C JSON decoder and only the mapped key paths are
walked (a few dozen of the ~2,000 metrics), so reading costs about what ``json.load`` costs. Many
files are read by a pool of worker processes (JSON decoding holds the GIL, threads would not help).

What a value means is decided here, once:

* a key path absent from a payload, or JSON null, is missing (older versions lack newer keys);
* in a ``count`` column a negative number is a failure code: missing, never 0;
* a key is read only in the GitLab versions its range names (``billable_users`` from 14.0; the CI
  builds key switch after 16.9);
* the period is the month (UTC) of the payload's recording time; when an instance has several
  payloads in one month (Service Ping is weekly) the latest one is kept, as GitLab's scoring does;
* a payload that cannot be read (not JSON, truncated, nested deeper than JSON payloads go, not an
  object, text where a number is expected, an object where a value is expected, no instance id,
  recording time or version) is skipped and reported with its file and key path; the other payloads
  are still read.
"""
from __future__ import annotations

import gzip
import json
import os
import sys
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from adoptscore.errors import DataError
from adoptscore.files import register_input
from adoptscore.ingest.extract import Extractor, Malformed
from adoptscore.ingest.jsondepth import MAX_DEPTH, too_deep
from adoptscore.ingest.mapping import Mapping, load_mapping

PAYLOAD_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
#: Below this many files one process reads them all: starting workers costs more than it saves.
PARALLEL_FROM = 200

ARROW_TYPES = {"count": pa.int64(), "number": pa.float64(), "text": pa.string(), "boolean": pa.bool_(),
               "date": pa.date32(), "timestamp": pa.timestamp("us", tz="UTC"), "months_since": pa.int64()}
LEADING = [("account_id", pa.string()), ("period", pa.string()), ("instance_id", pa.string()),
           ("recorded_at", pa.timestamp("us", tz="UTC")), ("gitlab_version", pa.string())]

# Why a payload was skipped: a short code and the words the summary uses.
REASONS = {
    "unreadable": "could not be read",
    "not_json": "not valid JSON",
    "truncated": "truncated JSON",
    "not_object": "not a payload object",
    "no_identity": "no instance id, recording time or version",
    "text_number": "text where a number is expected",
    "nesting": "unexpected nesting",
    "too_deep": "JSON nested too deeply",
    "bad_value": "a value of the wrong kind",
}
_ABSENT = object()


@dataclass(frozen=True)
class Skipped:
    """A payload that was not ingested: where it is, the key path at fault (if any) and why."""

    file: str
    key_path: str | None
    reason: str
    kind: str
    line: int | None = None
    column: int | None = None

    def format(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "") + \
            (f":{self.column}" if self.column is not None and self.line is not None else "")
        return f"{where}: {self.key_path + ': ' if self.key_path else ''}{self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "key_path": self.key_path,
                "kind": self.kind, "reason": self.reason}


@dataclass
class Ingest:
    """The result of reading payloads: the table, what was skipped and why, and counts."""

    table: pa.Table
    skipped: list[Skipped]
    files: int
    payloads: int
    superseded: int
    failure_codes: dict[str, int]
    mapping: Mapping

    @property
    def rows(self) -> int:
        return self.table.num_rows

    def skipped_by_kind(self) -> dict[str, int]:
        counts = Counter(s.kind for s in self.skipped)
        return {REASONS[k]: counts[k] for k in REASONS if counts[k]}

    def summary(self) -> str:
        """A few lines for a person: what was read, superseded, skipped and why."""
        n = self.payloads + len(self.skipped)
        where = f" from {self.files:,} file{'s' if self.files != 1 else ''}" if self.files else ""
        head = (f"read {self.payloads:,} of {n:,} payload{'s' if n != 1 else ''}{where}: "
                f"{self.rows:,} instance-month row{'s' if self.rows != 1 else ''}")
        lines = [head]
        if self.superseded:
            lines.append(f"{self.superseded:,} earlier payload{'s' if self.superseded != 1 else ''} of an "
                         "instance-month superseded by a later one (the latest in the month is kept)")
        codes = sum(self.failure_codes.values())
        if codes:
            worst = sorted(self.failure_codes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
            lines.append(f"{codes:,} failure code{'s' if codes != 1 else ''} (negative counters) read as missing, "
                         "most in " + ", ".join(f"{name} ({count:,})" for name, count in worst))
        if self.skipped:
            why = ", ".join(f"{count:,} {label}" for label, count in self.skipped_by_kind().items())
            lines.append(f"skipped {len(self.skipped):,} malformed payload{'s' if len(self.skipped) != 1 else ''}: {why}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "payloads": self.payloads, "rows": self.rows, "superseded": self.superseded,
                "failure_codes": dict(self.failure_codes), "skipped": [s.to_dict() for s in self.skipped],
                "mapping": list(self.mapping.files)}


# -- public entry points ------------------------------------------------------------------------------
def read_payloads(paths: str | os.PathLike | Iterable[str | os.PathLike], mapping: Mapping | str | os.PathLike | None = None,
                  on_progress: Callable[[int, int], None] | None = None, *, workers: int | None = None) -> Ingest:
    """Read Service Ping payloads into one row per instance per month.

    ``paths``: payload files (``.json``: one payload or an array of them; ``.jsonl``/``.ndjson``: one
    per line; any of them gzipped) and folders, searched recursively for such files. ``mapping``:
    a :class:`Mapping` or the path of a mapping file merged over the bundled one (None: bundled).
    ``on_progress(done, total)`` is called as files are read. ``workers``: processes reading files
    (None: up to 4 when there are many files; 1: in this process).

    Raises :class:`DataError` when a path does not exist or holds no payload file; malformed
    payloads are not errors: they are listed in ``Ingest.skipped``.
    """
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    files = payload_files(paths)
    total = len(files)
    n_workers = _workers(workers, total)
    extractor = Extractor(mapping)
    size = 64 if n_workers <= 1 else max(8, min(256, total // (n_workers * 8) or 1))
    chunks = [files[i:i + size] for i in range(0, total, size)]
    parts: list[_Part] = []
    progress = _Progress(on_progress, total)
    if n_workers > 1:
        parts = _read_in_pool(chunks, extractor, n_workers, progress)
    for chunk in chunks[len(parts):]:
        # in this process: by choice, or what a pool that could not start or broke did not read
        parts.append(_read_files(chunk, extractor))
        progress.advance(len(chunk))
    return _assemble(parts, mapping, total)


class _Progress:
    def __init__(self, callback: Callable[[int, int], None] | None, total: int):
        self.callback, self.total, self.done = callback, total, 0
        if callback:
            callback(0, total)

    def advance(self, n: int) -> None:
        self.done += n
        if self.callback:
            self.callback(self.done, self.total)


def _read_in_pool(chunks: list[list[str]], extractor: Extractor, workers: int, progress: _Progress) -> list[_Part]:
    """Read chunks in worker processes, in order; returns the parts read before any failure of the pool."""
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    parts: list[_Part] = []
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork in a multi-threaded process; see _start_method for why it is safe here
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(_start_method()),
                                       initializer=_init_worker, initargs=(extractor,))
            with pool:
                for part, chunk in zip(pool.map(_read_files_in_worker, chunks), chunks):
                    parts.append(part)
                    progress.advance(len(chunk))
    except (BrokenProcessPool, OSError, RuntimeError):
        # e.g. a script without an `if __name__ == "__main__":` guard under spawn (macOS, Windows):
        # this process reads the rest itself, slower but complete
        pass
    return parts


def _start_method() -> str:
    """fork on Linux: workers start at once and re-import nothing (a user's script needs no
    ``__main__`` guard). The child only reads files, decodes JSON and runs this module's code, so
    no lock another thread of the parent may hold (DuckDB's, a server's) is ever touched there.
    Elsewhere the platform's safe default (spawn)."""
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def ingest_payloads(payloads: Iterable[Any], mapping: Mapping | str | os.PathLike | None = None, *,
                    source: str = "payload") -> Ingest:
    """Rows from payloads already in memory (dicts, e.g. fetched from the Service Ping API).

    Items are payload dicts or ``(label, payload)`` pairs; the label names the payload in reports
    (default ``payload[i]``).
    """
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    part = _Part()
    extractor = Extractor(mapping)
    for i, item in enumerate(payloads):
        label, payload = item if isinstance(item, tuple) else (f"{source}[{i}]", item)
        _take(payload, str(label), None, extractor, part)
    return _assemble([part], mapping, 0)


def payload_files(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[str]:
    """The payload files named by ``paths`` (folders searched recursively), sorted within each folder."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[str] = []
    given = list(paths)
    if not given:
        raise DataError("no payload files given", hint="pass payload files or a folder of them")
    for item in given:
        path = Path(item)
        if path.exists():
            register_input(path, "payload " + ("folder" if path.is_dir() else "file"))
        if path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.is_file() and _is_payload(p.name))
            if not found:
                raise DataError("the folder holds no payload files", file=str(path),
                                hint="payloads end in " + ", ".join(PAYLOAD_SUFFIXES))
            files.extend(found)
        elif path.exists():
            files.append(str(path))
        else:
            raise DataError("no such file or folder", file=str(path), hint="check the path")
    return list(dict.fromkeys(files))


def _is_payload(name: str) -> bool:
    return name.lower().endswith(PAYLOAD_SUFFIXES) and not name.startswith(".")


def _workers(workers: int | None, files: int) -> int:
    if workers is not None:
        if int(workers) < 1:
            raise DataError(f"workers must be at least 1, got {workers}")
        return min(int(workers), max(files, 1))
    if files < PARALLEL_FROM:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


# -- reading ------------------------------------------------------------------------------------------
@dataclass
class _Part:
    """What one chunk of files gave: rows (tuples in mapping order), skips and failure-code counts."""

    rows: list[tuple] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failure_codes: Counter = field(default_factory=Counter)
    payloads: int = 0


_WORKER: Extractor | None = None


def _init_worker(extractor: Extractor) -> None:
    global _WORKER
    _WORKER = extractor


def _read_files_in_worker(files: list[str]) -> _Part:
    assert _WORKER is not None
    return _read_files(files, _WORKER)


def _read_files(files: list[str], extractor: Extractor) -> _Part:
    part = _Part()
    for path in files:
        _read_file(path, extractor, part)
    return part


def _read_file(path: str, mapping: Extractor, part: _Part) -> None:
    name = path.lower()
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        if name.endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        part.skipped.append(Skipped(path, None, f"cannot read the file: {exc}", "unreadable"))
        return
    if name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
        for number, line in enumerate(data.splitlines(), start=1):
            if line.strip():
                doc = _decode(line, path, number, part)
                if doc is not _ABSENT:
                    _take(doc, path, number, mapping, part)
        return
    doc = _decode(data, path, None, part)
    if doc is _ABSENT:
        return
    if isinstance(doc, list):
        # an export of several payloads as one JSON array
        for index, item in enumerate(doc):
            _take(item, f"{path}[{index}]", None, mapping, part)
    else:
        _take(doc, path, None, mapping, part)


def _decode(data: bytes, path: str, line: int | None, part: _Part) -> Any:
    if not data.strip():
        part.skipped.append(Skipped(path, None, "the file is empty", "not_json", line))
        return _ABSENT
    deep = too_deep(data)
    if deep is not None:
        # the decoder recurses once per level: refused before decoding (a payload nests about 7 levels)
        part.skipped.append(Skipped(path, None, f"the JSON nests deeper than {MAX_DEPTH} levels", "too_deep",
                                    deep[0] if line is None else line, deep[1]))
        return _ABSENT
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        text = exc.doc if isinstance(exc.doc, str) else ""
        # the decoder stops at the end of the text, or inside a string that never closes
        truncated = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        kind = "truncated" if truncated else "not_json"
        reason = (f"the JSON ends early ({exc.msg}): the file looks truncated" if truncated
                  else f"not valid JSON: {exc.msg}")
        at_line = exc.lineno if line is None else line
        at_column = exc.colno
        part.skipped.append(Skipped(path, None, reason, kind, at_line, at_column))
    except (UnicodeDecodeError, ValueError) as exc:
        part.skipped.append(Skipped(path, None, f"not valid JSON text: {exc}", "not_json", line))
    return _ABSENT


def _take(payload: Any, label: str, line: int | None, extractor: Extractor, part: _Part) -> None:
    try:
        part.rows.append(extractor.row(payload, label, part.failure_codes))
        part.payloads += 1
    except Malformed as exc:
        part.skipped.append(Skipped(label, exc.key_path, exc.reason, exc.kind, line))


# -- assembling the table -----------------------------------------------------------------------------
def schema(mapping: Mapping) -> pa.Schema:
    """The ingest table's schema: identity columns, the mapping's columns, then ``source_file``."""
    return pa.schema([*LEADING, *[(c.name, ARROW_TYPES[c.type]) for c in mapping.columns],
                      ("source_file", pa.string())])


def _assemble(parts: list[_Part], mapping: Mapping, files: int) -> Ingest:
    rows: dict[tuple[str, str], tuple] = {}
    superseded = 0
    failure_codes: Counter = Counter()
    skipped: list[Skipped] = []
    payloads = 0
    for part in parts:
        skipped.extend(part.skipped)
        failure_codes.update(part.failure_codes)
        payloads += part.payloads
        for row in part.rows:
            key = (row[0], row[1])
            held = rows.get(key)
            if held is None:
                rows[key] = row
                continue
            superseded += 1
            # the latest recording in the month wins; on a tie, the first file read
            if row[3] > held[3]:
                rows[key] = row
    ordered = [rows[k] for k in sorted(rows)]
    table_schema = schema(mapping)
    columns = list(zip(*ordered)) if ordered else [[] for _ in table_schema]
    arrays = [pa.array(list(values), type=f.type) for values, f in zip(columns, table_schema)]
    table = pa.Table.from_arrays(arrays, schema=table_schema)
    return Ingest(table=table, skipped=skipped, files=files, payloads=payloads, superseded=superseded,
                  failure_codes=dict(failure_codes), mapping=mapping)


def iter_skipped_lines(ingest: Ingest, limit: int | None = None) -> Iterator[str]:
    """One line per skipped payload (``file:line: key.path: reason``), at most ``limit``."""
    for i, item in enumerate(ingest.skipped):
        if limit is not None and i >= limit:
            return
        yield item.format()
