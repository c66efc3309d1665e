"""``adoptscore ingest service-ping``: Service Ping payloads -> a usage table any rubric command reads.

Also :func:`service_ping_table`, what ``adoptscore score --from service-ping`` calls to read payloads
straight into scoring (same progress bar, same summary of what was skipped).
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.markup import escape

from adoptscore.commands._common import _errors, _progress, err
from adoptscore.errors import AdoptscoreError, DataError
from adoptscore.files import AtomicFiles, claim_output

if TYPE_CHECKING:
    import pyarrow as pa

    from adoptscore.ingest.service_ping import Ingest

OUTPUT_SUFFIXES = (".parquet", ".pq", ".csv")
SHOWN_SKIPS = 10


def ingest_service_ping_command(
    paths: list[Path] = typer.Argument(..., help="payload files (.json, .jsonl, .ndjson, optionally .gz) "
                                       "or folders of them (searched recursively)"),
    out: Path = typer.Option(..., "--out", "-o", help="the usage table to write: .parquet or .csv"),
    mapping: Optional[Path] = typer.Option(None, "--mapping", "-m", help="your mapping file (YAML), merged over "
                                           "the bundled one; see docs/service-ping.md"),
    workers: Optional[int] = typer.Option(None, "--workers", "-j", min=1, help="processes reading payloads "
                                          "(default: up to 4 when there are many files; 1: no extra processes)"),
    skipped: Optional[Path] = typer.Option(None, "--skipped", help="also write every skipped payload "
                                           "(file, line, key path, reason) to this CSV file"),
    strict: bool = typer.Option(False, "--strict", help="exit 1 when any payload was skipped (after writing)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Read Service Ping payloads into one row per instance per month, in the gitlab rubrics' input columns."""
    with _errors():
        check_output(out)
        if skipped is not None and skipped.suffix.lower() != ".csv":
            raise AdoptscoreError("the skipped-payloads report is a CSV file", str(skipped), hint="e.g. --skipped skipped.csv")
        # stated before anything is read: an output that is a payload (or inside a payload folder)
        # is refused before the reading, not after it
        claim_output(out, "--out")
        if skipped is not None:
            check_folder(skipped, "--skipped")
            claim_output(skipped, "--skipped")
        ingest = read_with_progress(paths, mapping, workers=workers, quiet=quiet)
        write_table(ingest.table, out)
        if skipped is not None:
            write_skipped(ingest, skipped)
        if not quiet:
            err.print(f"wrote {ingest.rows:,} instance-month rows to {escape(str(out))}", highlight=False, soft_wrap=True)
            if skipped is not None:
                err.print(f"wrote {len(ingest.skipped):,} skipped payloads to {escape(str(skipped))}", highlight=False,
                          soft_wrap=True)
    if strict and ingest.skipped:
        raise typer.Exit(1)


def service_ping_table(paths: list[str] | list[Path], mapping: str | Path | None = None, *,
                       workers: int | None = None, quiet: bool = False) -> pa.Table:
    """Payloads -> an Arrow table ``adoptscore.score()`` accepts, showing progress and the skip summary.

    For ``adoptscore score --from service-ping``. Raises :class:`DataError` when no payload can be read.
    """
    return read_with_progress([Path(p) for p in paths], mapping, workers=workers, quiet=quiet).table


def read_with_progress(paths: list[Path], mapping: str | Path | None, *, workers: int | None = None,
                       quiet: bool = False) -> Ingest:
    """Read payloads under a progress bar, print the summary (and the first skipped payloads) on stderr."""
    from adoptscore.ingest.mapping import load_mapping
    from adoptscore.ingest.service_ping import payload_files, read_payloads

    loaded = load_mapping(mapping)
    files = payload_files(paths)  # path errors before the bar starts
    with _progress() as progress:
        task = progress.add_task(f"reading {len(files):,} payload files", total=len(files))
        ingest = read_payloads(files, loaded, workers=workers,
                               on_progress=lambda done, total: progress.update(task, completed=done))
    if not ingest.rows:
        raise nothing_read(ingest, len(files), paths)
    if not quiet:
        report(ingest)
    return ingest


def nothing_read(ingest: Ingest, files: int, paths: list[Path]) -> DataError:
    """The one error when no payload gave a row: the first skipped payload's place and reason, and
    how many more there are (the summary lines would make it several)."""
    head = f"none of the {files:,} payload files gave a row"
    if not ingest.skipped:
        return DataError(f"{head}: they hold no payload", file=str(paths[0]) if len(paths) == 1 else None,
                         hint="a payload file holds one JSON object, an array of them, or one per line (.jsonl)")
    first = ingest.skipped[0]
    more = len(ingest.skipped) - 1
    kinds = ", ".join(f"{count:,} {label}" for label, count in ingest.skipped_by_kind().items())
    why = f"{first.key_path + ': ' if first.key_path else ''}{first.reason}"
    tail = f" ({len(ingest.skipped):,} skipped: {kinds})" if more else ""
    return DataError(f"{head}: {why}{tail}", file=first.file, line=first.line,
                     column=first.column if first.line is not None else None,
                     hint="fix the payload here" + (f" and the {more:,} other(s) (adoptscore ingest service-ping ... "
                                                   "--skipped FILE lists them once one payload reads)" if more else ""))


def report(ingest: Ingest, limit: int = SHOWN_SKIPS) -> None:
    """The summary and the first ``limit`` skipped payloads, on stderr."""
    for line in ingest.summary().splitlines():
        err.print(escape(line), highlight=False, soft_wrap=True)
    for item in ingest.skipped[:limit]:
        err.print(f"  [yellow]skipped[/] {escape(item.format())}", highlight=False, soft_wrap=True)
    if len(ingest.skipped) > limit:
        err.print(f"  ... and {len(ingest.skipped) - limit:,} more (--skipped FILE lists them all)", highlight=False)


def check_output(path: Path) -> None:
    """Refuse an output format we cannot write, before any work."""
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise AdoptscoreError(f"cannot write {path.suffix or 'a file without an extension'}", str(path),
                              hint="end the --out file in .parquet or .csv")
    if path.is_dir():
        raise AdoptscoreError("--out names a folder", str(path), hint="give a file name ending in .parquet or .csv")
    check_folder(path, "--out")


def check_folder(path: Path, role: str) -> None:
    """Refuse an output whose folder cannot be made because a file holds its place."""
    for parent in Path(path).parents:
        if parent.exists():
            if not parent.is_dir():
                raise AdoptscoreError(f"cannot write {role}: {parent} is a file, not a folder", str(path),
                                      hint="choose a path in a folder")
            return


def write_table(table: pa.Table, path: Path) -> None:
    """Write the table through the guarded output path: never half-written, never over an input."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with AtomicFiles() as files:
        tmp = files.temporary(path, role="--out")
        if Path(path).suffix.lower() == ".csv":
            pacsv.write_csv(table, tmp)
        else:
            pq.write_table(table, tmp, compression="zstd")


def write_skipped(ingest: Ingest, path: Path) -> None:
    """Every skipped payload as a CSV row (file, line, column, key_path, kind, reason), atomically."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with AtomicFiles() as files:
        with open(files.temporary(path, role="--skipped"), "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=["file", "line", "column", "key_path", "kind", "reason"])
            writer.writeheader()
            for item in ingest.skipped:
                writer.writerow(item.to_dict())
