"""Small user files (labels, outcomes, account lists): read them and point at the line that is wrong."""
from __future__ import annotations

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

    def line(self, index: int) -> int:
        """The file line of row ``index`` (the header is line 1), or the record number (from 1)."""
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
    try:
        if kind in ("csv", "tsv"):
            frame = pd.read_csv(path, sep="\t" if kind == "tsv" else ",", dtype=str, keep_default_na=False,
                                skipinitialspace=True)
        elif kind == "parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_json(path, orient="records", dtype=False)
    except pd.errors.EmptyDataError:
        raise DataError(f"{what} is empty", label, hint=f"give a header with {', '.join(required)}") from None
    except (ValueError, pd.errors.ParserError, OSError) as exc:
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
    return SmallTable(label, frame, kind)


def _text(value: Any) -> str | None:
    # pandas 3 gives NaN (a float) or pd.NA for blank cells even when asked for text
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None
