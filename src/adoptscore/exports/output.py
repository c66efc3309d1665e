"""Writing exports: checked before any work, streamed into temporary files of the guarded output
path (:class:`adoptscore.files.AtomicFiles`: never over an input, several files all or none), CSV
text cells guarded against spreadsheet formulas.
"""
from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from adoptscore.exports.source import ExportError
from adoptscore.files import AtomicFiles, claim_output, write_atomic
from adoptscore.insights.portfolio_frame import guard

STDOUT = "-"
SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".json": "json"}


def is_stdout(out: Path | str | None) -> bool:
    return out is not None and str(out) == STDOUT


def output_format(out: Path | str | None, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """The format to write: ``fmt`` when given, else the one ``out``'s suffix names, else the first
    allowed. A suffix naming another format than ``fmt`` is an error (a .csv holding Parquet helps nobody)."""
    suffix = SUFFIXES.get(Path(str(out)).suffix.lower()) if out is not None and not is_stdout(out) else None
    if fmt is not None and fmt not in allowed:
        raise ExportError(f"cannot write {fmt} here", hint="formats: " + ", ".join(allowed))
    if fmt is not None and suffix is not None and suffix != fmt:
        raise ExportError(f"--out {out} ends in {Path(str(out)).suffix} but --format is {fmt}",
                          hint=f"name the file .{fmt}, or drop --format")
    chosen = fmt or suffix or allowed[0]
    if chosen not in allowed:
        raise ExportError(f"cannot write {chosen} here", str(out), hint="formats: " + ", ".join(allowed))
    if is_stdout(out) and chosen == "parquet":
        raise ExportError("Parquet cannot go to standard output", hint="give --out a .parquet file")
    return chosen


def check_file(out: Path | str) -> None:
    """Refuse a file that cannot be written, before any work: nothing is created here."""
    if is_stdout(out):
        return
    path = Path(out)
    if path.is_dir():
        raise ExportError(f"--out {path} is a folder", hint="give a file name, e.g. " + str(path / "export.csv"))
    claim_output(path, "--out")
    check_folder(path.parent if str(path.parent) else Path("."), for_file=path)


def check_folder(folder: Path, *, for_file: Path | None = None) -> None:
    """Refuse a missing, non-folder or unwritable folder (it is never created: a typo in a path
    should not scatter folders)."""
    folder = Path(folder)
    shown = str(for_file) if for_file is not None else str(folder)
    if not folder.exists():
        raise ExportError(f"folder {folder} does not exist", shown, hint=f"create it first: mkdir -p {folder}")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder", shown, hint="give --out a path inside a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write in folder {folder} (permission denied)", shown,
                          hint="choose another --out")


# -- CSV safety ------------------------------------------------------------------------------------
def guarded(batch: pa.RecordBatch) -> pa.RecordBatch:
    """``batch`` with every text cell passed through the portfolio CSV's formula guard (a cell
    that a spreadsheet would run as a formula is quoted as text), each distinct value once."""
    columns = []
    for column in batch.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            encoded = pc.dictionary_encode(column)
            column = pc.take(guard(encoded.dictionary), encoded.indices)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


# -- writers ---------------------------------------------------------------------------------------
def write_batches(schema: pa.Schema, batches: Iterable[pa.RecordBatch], out: Path | str, fmt: str) -> None:
    """Stream record batches into ``out`` (``-``: standard output, CSV only) as CSV or Parquet."""
    if is_stdout(out):
        _csv_to_stdout(schema, batches)
        return
    with AtomicFiles() as files:
        write_into(files.temporary(out, role="--out"), schema, batches, fmt)


def write_into(path: Path, schema: pa.Schema, batches: Iterable[pa.RecordBatch], fmt: str) -> None:
    """Write record batches into ``path`` (a temporary file of an :class:`AtomicFiles`)."""
    if fmt == "csv":
        import pyarrow.csv as pacsv

        with pacsv.CSVWriter(str(path), schema) as writer:
            for batch in batches:
                writer.write_batch(guarded(batch))
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
            for batch in batches:
                writer.write_batch(batch)
    else:
        raise ExportError(f"cannot write {fmt} here", hint="formats: csv, parquet")


def _csv_to_stdout(schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> None:
    import pyarrow.csv as pacsv

    first = True
    for batch in _with_empty(schema, batches):
        buffer = io.BytesIO()
        pacsv.write_csv(guarded(batch), buffer, pacsv.WriteOptions(include_header=first))
        first = False
        sys.stdout.write(buffer.getvalue().decode("utf-8"))
    sys.stdout.flush()


def _with_empty(schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    seen = False
    for batch in batches:
        seen = True
        yield batch
    if not seen:  # the header still goes out
        yield pa.RecordBatch.from_pylist([], schema=schema)


def write_json(data: Any, out: Path | str) -> None:
    """``data`` as indented JSON (``-``: standard output), written atomically."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"
    if is_stdout(out):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(Path(out), text, role="--out")
