"""The shape of a usage CSV file, read from its header line before DuckDB reads the rows.

DuckDB's sniffer guesses the delimiter from a sample; when a short file holds a row with one field
too many or too few, no delimiter fits every sampled row and it falls back to reading each line as
one text column (the user then saw "missing input columns" for a file whose only fault is one row).
It also renames a repeated header (``billable_users_1``), so one of two different columns was
scored silently. The header line decides both here: its delimiter is passed to DuckDB, and a
repeated name or a row that does not match it is refused at its line.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from adoptscore.errors import DataError

#: delimiters a usage CSV may use; the header line's most frequent one is taken
DELIMITERS = (",", ";", "\t", "|")
#: the header line is read in this many bytes at most (a file without line breaks is not a CSV)
HEADER_BYTES = 1 << 20
#: the Python scan for a ragged row (only after DuckDB refused the file) stops after this many lines
SCAN_LINES = 2_000_000


@dataclass(frozen=True)
class CsvShape:
    """What the header line says: the delimiter and the column names."""

    delimiter: str
    columns: tuple[str, ...]


def csv_shape(path: Path) -> CsvShape | None:
    """The header's delimiter and names, or None when there is no header to read (DuckDB says why).

    Raises :class:`DataError` for a column name given twice."""
    with path.open("rb") as handle:
        head = handle.read(HEADER_BYTES)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    line = text.split("\n", 1)[0].rstrip("\r")
    if not line.strip():
        return None
    if path.suffix.lower() == ".tsv":
        delimiter = "\t"
    else:
        delimiter = max(DELIMITERS, key=lambda d: (len(_fields(line, d)), d == ","))
    columns = tuple(name.strip() for name in _fields(line, delimiter))
    seen: dict[str, int] = {}
    for index, name in enumerate(columns, start=1):
        if name in seen and name:
            if _is_number(name):
                raise DataError(f"the first line is data, not a header (it repeats the value {name!r})",
                                file=str(path), line=1, column=index,
                                hint="add a header line naming the columns (account_id, period, ...)")
            raise DataError(f"column {name!r} is named twice in the header (columns {seen[name]} and {index})",
                            file=str(path), line=1, column=index,
                            hint="rename or remove one of them: each input is one column")
        seen[name] = index
    return CsvShape(delimiter, columns)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _fields(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return [line]


def ragged_row(path: Path, shape: CsvShape) -> DataError | None:
    """The error for the first row whose field count differs from the header's, or None."""
    try:
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            reader = csv.reader(handle, delimiter=shape.delimiter)
            next(reader, None)
            for row in reader:
                if reader.line_num > SCAN_LINES:
                    return None
                if row and len(row) != len(shape.columns):
                    return _ragged(path, reader.line_num, len(row), len(shape.columns))
    except csv.Error:
        return None
    return None


_DUCKDB_RAGGED = re.compile(r"Line: (\d+).*?Expected Number of Columns: (\d+) Found: (\d+)", re.S)


def ragged_from_message(path: Path, message: str) -> DataError | None:
    """DuckDB's error for a ragged row deep in a large file, as our one-line error."""
    match = _DUCKDB_RAGGED.search(message)
    if match is None:
        return None
    line, expected, found = (int(g) for g in match.groups())
    return _ragged(path, line, found, expected)


def _ragged(path: Path, line: int, found: int, expected: int) -> DataError:
    return DataError(f"this row has {found} field{'s' if found != 1 else ''}, the header has {expected}",
                     file=str(path), line=line,
                     hint="a value holding the delimiter must be quoted; give every row one value per column "
                          "(empty for no data)")
