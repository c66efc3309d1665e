"""Small user files (labels, outcomes, account lists): read them and point at the line that is wrong."""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from adoptscore.errors import DataError
from adoptscore.files import register_input

_READERS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".parquet": "parquet", ".json": "json"}


@dataclass(frozen=True)
class SmallTable:
    """A user file as text cells, with the line (CSV/TSV) or record number of every row."""

    path: str
    frame: pd.DataFrame
    kind: str
    #: CSV/TSV: the file line each row begins on (a quoted value may span lines; blank lines are skipped)
    lines: tuple[int, ...] | None = None

    def line(self, index: int) -> int:
        """The file line of row ``index`` (the header is line 1), or the record number (from 1)."""
        if self.lines is not None and 0 <= index < len(self.lines):
            return self.lines[index]
        return index + 2 if self.kind in ("csv", "tsv") else index + 1

    def error(self, index: int, column: str | None, message: str, hint: str | None = None) -> DataError:
        col = list(self.frame.columns).index(column) + 1 if column in self.frame.columns else None
        where = "line" if self.kind in ("csv", "tsv") else "record"
        if self.kind in ("csv", "tsv"):
            return DataError(message, self.path, self.line(index), col, hint)
        return DataError(f"{where} {self.line(index)}: {message}", self.path, None, None, hint)


def read_small_table(path: str | Path, what: str, required: dict[str, str],
                     optional: tuple[str, ...] = ()) -> SmallTable:
    """Read a CSV, TSV, Parquet or JSON (records) file into text cells.

    ``what`` names the file in messages ("labels file"); ``required`` maps each required column
    to a description used in the fix. Missing files, unknown formats, missing columns and empty
    files raise one :class:`DataError`. Blank cells become ``None``.
    """
    path = Path(path)
    label = str(path)
    kind = _READERS.get(path.suffix.lower())
    if not path.exists():
        raise DataError(f"{what} not found", label, hint="check the path")
    register_input(path, what)
    if kind is None:
        raise DataError(f"cannot read {what} with suffix {path.suffix or '(none)'}", label,
                        hint="use .csv, .tsv, .parquet or .json")
    if path.is_dir():
        raise DataError(f"the {what} is a folder", label, hint=f"give the {what} itself")
    lines = None
    try:
        if kind in ("csv", "tsv"):
            frame, lines = _read_delimited(read_utf8(path, what), "\t" if kind == "tsv" else ",", what, label,
                                           tuple(required))
        elif kind == "parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_json(path, orient="records", dtype=False)
    except pd.errors.EmptyDataError:
        raise DataError(f"{what} is empty", label, hint=f"give a header with {', '.join(required)}") from None
    except (ValueError, OSError) as exc:
        first = (str(exc).strip().splitlines() or [""])[0]
        raise DataError(f"cannot read {what}: {first}", label, hint=f"write it as {kind.upper()}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        wanted = "; ".join(f"{c}: {required[c]}" for c in missing)
        raise DataError(f"{what} has no column {', '.join(missing)}", label, 1 if kind in ("csv", "tsv") else None,
                        hint=f"add the column(s) ({wanted}); it has {', '.join(frame.columns) or 'none'}")
    keep = [c for c in frame.columns if c in required or c in optional]
    # object columns keep None for blanks (pandas 3 would turn them back into NaN in a str column)
    frame = pd.DataFrame({c: pd.Series([_text(v) for v in frame[c]], dtype=object) for c in keep})
    if frame.empty:
        raise DataError(f"{what} has no rows", label, hint="add one row per record under the header")
    return SmallTable(label, frame, kind, lines)


def read_utf8(path: Path, what: str) -> str:
    """The file's text; bytes that are not UTF-8 are refused at their line and column."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")  # a byte-order mark (Excel's "CSV UTF-8") is not part of the header
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(f"the {what} is not UTF-8 text (byte 0x{data[exc.start]:02x})", str(path), line, column,
                        hint="save it as UTF-8 (in Excel: CSV UTF-8)") from None


def _read_delimited(text: str, separator: str, what: str, label: str,
                    required: tuple[str, ...]) -> tuple[pd.DataFrame, tuple[int, ...] | None]:
    """CSV/TSV text as text cells and the line each row begins on. A row with more or fewer fields
    than the header, a repeated column name, a NUL byte or a quote that never closes is refused at its
    line: pandas would take an extra field as the row's index and shift every value one column."""
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise DataError(f"the {what} holds a NUL byte: it is not a text file", label, line,
                        hint=f"export the {what} again as CSV")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, skipinitialspace=True, strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    starts: list[int] = []
    begins = 1
    try:
        for record in reader:
            if not record or all(not cell.strip() for cell in record) and len(record) <= 1:
                begins = reader.line_num + 1
                continue  # a blank line
            if header is None:
                header = [cell.strip() for cell in record]
                _check_header(header, what, label)
            elif len(record) != len(header):
                raise DataError(f"line {begins} has {len(record)} fields, the header {len(header)}", label, begins,
                                hint="quote values holding the separator, or remove the extra fields")
            else:
                rows.append(record)
                starts.append(begins)
            begins = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"cannot read the {what}: {exc}", label, begins,
                        hint="close every quoted value with a quote") from None
    if header is None:
        raise DataError(f"{what} is empty", label, hint=f"give a header with {', '.join(required)}")
    return pd.DataFrame(rows, columns=header, dtype=object), tuple(starts)


def _check_header(header: list[str], what: str, label: str) -> None:
    seen: dict[str, int] = {}
    for index, name in enumerate(header, 1):
        if name and name in seen:
            raise DataError(f"column {name!r} appears twice in the header of the {what} (columns {seen[name]} "
                            f"and {index})", label, 1, index, hint="rename or remove one of them")
        seen[name] = index


def _text(value: Any) -> str | None:
    # pandas 3 gives NaN (a float) or pd.NA for blank cells even when asked for text
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None
