"""The stored score tables (metrics, use_cases, overall) of a range of periods, as CSV or Parquet:
the same columns ``adoptscore score --out`` writes, for loading into a warehouse or a BI tool."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from adoptscore.exports.output import (
    SUFFIXES,
    AtomicFiles,
    check_file,
    check_folder,
    write_into,
)
from adoptscore.exports.source import ExportError, StoredScores
from adoptscore.files import claim_output
from adoptscore.store.history import TABLES

KEYS = {"metrics": ("account_id", "period", "use_case", "metric"), "use_cases": ("account_id", "period", "use_case"),
        "overall": ("account_id", "period")}


def plan_outputs(out: Path | str, tables: Sequence[str], fmt: str) -> dict[str, Path]:
    """Where each table goes: ``out`` itself when it names one file (one table, a file suffix),
    else ``out/<table>.<format>`` in the folder ``out``. Checked, nothing created."""
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise ExportError(f"unknown table {unknown[0]!r}", hint="tables: " + ", ".join(TABLES))
    if not tables:
        raise ExportError("no table to export", hint="tables: " + ", ".join(TABLES))
    out = Path(out)
    if len(tables) == 1 and not out.is_dir() and out.suffix.lower() in SUFFIXES:
        if SUFFIXES[out.suffix.lower()] != fmt:
            raise ExportError(f"--out {out} ends in {out.suffix} but the format is {fmt}",
                              hint=f"name the file .{fmt}, or give --format {SUFFIXES[out.suffix.lower()]}")
        check_file(out)
        return {tables[0]: out}
    if out.suffix.lower() in SUFFIXES and not out.is_dir():
        raise ExportError(f"--out {out} names a file but {len(tables)} tables are exported",
                          hint="give a folder (each table becomes <table>." + fmt + ") or one --table")
    check_folder(out)
    outputs = {table: out / f"{table}.{fmt}" for table in tables}
    for path in outputs.values():
        claim_output(path, "--out")
    return outputs


def export_tables(scores: StoredScores, outputs: dict[str, Path], fmt: str, periods: Sequence[str]) -> dict[str, int]:
    """Write each stored table's rows of this rubric version in ``periods`` to its output (all the
    files appear together, or none does). Returns the rows written per table."""
    written: dict[str, int] = {}
    with AtomicFiles() as files:
        for table, path in outputs.items():
            order = ", ".join(KEYS[table])
            relation = scores.con.sql(f"SELECT * FROM {scores.table(table)} WHERE rubric_version = ? AND period IN "
                                      f"(SELECT unnest(?)) ORDER BY {order}", params=[scores.version, list(periods)])
            reader = relation.to_arrow_reader(65_536)
            counted = _Counted(reader)
            write_into(files.temporary(path, role="--out"), reader.schema, counted, fmt)
            written[table] = counted.rows
    return written


class _Counted:
    def __init__(self, batches):
        self._batches = batches
        self.rows = 0

    def __iter__(self):
        for batch in self._batches:
            self.rows += batch.num_rows
            yield batch
