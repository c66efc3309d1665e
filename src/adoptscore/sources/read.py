"""Getting usage data in: files, data frames, DuckDB tables and Ibis connection URLs.

Everything ends up as an Ibis table on some backend, with the columns the rubric names. Checks that
need the data (missing columns, text in numeric columns, duplicate rows, empty input) run before any
scoring work and raise one :class:`DataError` naming the file and the place.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from adoptscore.errors import DataError, first_line
from adoptscore.engine.backends import adapter_for, trust_no_float_statistics
from adoptscore.files import register_input
from adoptscore.rubric.models import Rubric
from adoptscore.sources.csvshape import csv_shape, ragged_from_message, ragged_row
from adoptscore.sources.periods import FORMS, is_period
from adoptscore.sqltext import literal

FILE_READERS = {
    ".csv": "read_csv", ".tsv": "read_csv", ".txt": "read_csv",
    ".parquet": "read_parquet", ".pq": "read_parquet",
    ".json": "read_json", ".ndjson": "read_json", ".jsonl": "read_json",
}
DATABASE_SUFFIXES = (".duckdb", ".ddb", ".db")


@dataclass
class Usage:
    """Usage data as an Ibis table, plus where it came from (for messages)."""

    table: ir.Table
    label: str
    path: Path | None = None


def default_connection() -> Any:
    """An embedded DuckDB tuned for streaming results to files."""
    con = ibis.duckdb.connect()
    # Without insertion order DuckDB streams COPY results instead of buffering them.
    con.raw_sql("SET preserve_insertion_order = false")
    # DuckDB draws its own progress bar on long queries; ours (or none, when not a terminal) is enough
    con.raw_sql("SET enable_progress_bar = false")
    # every query on it, the engine's and calibrate's own, reads a NaN in a Parquet file as NaN
    trust_no_float_statistics(con.con)
    return con


def open_usage(source: Any, *, table: str | None = None, connection: Any = None) -> Usage:
    """Open usage data from a path, URL, data frame or Ibis table (not yet checked)."""
    if isinstance(source, ir.Table):
        return Usage(source, table or "table")
    if _is_frame(source):
        con = connection or default_connection()
        return Usage(adapter_for(con).load("usage", _arrow(source), temporary=True), "data frame")
    text = str(source)
    if "://" in text and not text.startswith("file://"):
        if not table:
            raise DataError(f"{text}: a connection URL needs a table name", hint="pass --table NAME")
        con = connect(text)
        try:
            return Usage(_table(con, table), f"{_redact(text)} table {table}")
        except Exception as exc:  # noqa: BLE001 - any driver error becomes one clear message
            raise DataError(f"cannot read table {table!r} from {_redact(text)}: {first_line(exc)}",
                            hint="check the table name; qualify it as schema.table (or catalog.schema.table)") from None
    path = Path(text.removeprefix("file://"))
    if not path.exists():
        raise DataError(f"{path}: file not found", hint="check the path")
    register_input(path, "usage data")
    if table and (path.is_dir() or path.suffix.lower() not in DATABASE_SUFFIXES):
        # a file holds one table: a --table given for it is a mistake, not a choice to ignore
        raise DataError(f"{path}: --table {table} applies to a database, and this is a "
                        f"{'folder of Parquet files' if path.is_dir() else 'data file'}",
                        hint="leave out --table, or point at the DuckDB file or connection URL that holds the table")
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".parquet", ".pq"))
        if not files:
            raise DataError(f"{path}: folder holds no .parquet files")
        con = connection or default_connection()
        return Usage(_read(con, "read_parquet", [str(f) for f in files], path), str(path), path)
    suffix = path.suffix.lower()
    con = connection or default_connection()
    if suffix in DATABASE_SUFFIXES:
        if not table:
            raise DataError(f"{path}: a DuckDB database needs a table name", hint="pass --table NAME")
        try:
            con.raw_sql(f"ATTACH {literal(str(path))} AS usage_db (READ_ONLY)")
            return Usage(con.table(table, database="usage_db"), f"{path} table {table}", path)
        except Exception as exc:  # noqa: BLE001
            raise DataError(f"{path}: cannot read table {table!r}: {first_line(exc)}") from None
    reader = FILE_READERS.get(suffix)
    if reader is None:
        raise DataError(f"{path}: unsupported file type {suffix or '(none)'}",
                        hint="use .csv, .tsv, .parquet, .json, a .duckdb file with --table, or a connection URL")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: the file is empty", hint="export the usage data again")
    return Usage(_read(con, reader, str(path), path), str(path), path)


# Spark master URLs (standalone cluster, Spark Connect) open a Spark session; any other URL is Ibis's.
SPARK_SCHEMES = {"spark": "master", "sc": "remote"}


def connect(url: str) -> Any:
    """An Ibis backend for a connection URL: ``postgres://user:pass@host:5432/db``, ``duckdb://file``,
    ``spark://host:7077`` (a Spark cluster), ``sc://host:15002`` (Spark Connect), or any URL Ibis knows."""
    scheme = url.split("://", 1)[0].lower()
    if scheme == "duckdb":
        # a DuckDB URL naming no file would create an empty database there and then miss the table
        database = url.split("://", 1)[1].split("?", 1)[0]
        if database not in ("", ":memory:") and not Path(database).exists():
            raise DataError(f"{_redact(url)}: database file {database} not found",
                            hint="check the path: duckdb://relative/path.duckdb or duckdb:///absolute/path.duckdb")
    try:
        if scheme in SPARK_SCHEMES:
            return ibis.pyspark.connect(spark_session(url))
        return ibis.connect(url)
    except ImportError as exc:
        extra = "spark" if scheme in SPARK_SCHEMES else scheme
        raise DataError(f"cannot open {_redact(url)}: {first_line(exc)}",
                        hint=f"install the driver: pip install 'adoptscore[{extra}]'") from None
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - any driver error becomes one clear message
        raise DataError(f"cannot connect to {_redact(url)}: {first_line(exc)}",
                        hint="check the host, port, user and password in the URL") from None


def spark_session(url: str) -> Any:
    """A Spark session for a ``spark://`` master URL or a ``sc://`` Spark Connect URL.

    Spark hands back the running session if there is one (a notebook's). Our SQL never relies on
    Spark's division or overflow behaviour, so it runs the same with ANSI mode on or off.
    """
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("adoptscore")
    scheme = url.split("://", 1)[0].lower()
    builder = builder.remote(url) if SPARK_SCHEMES[scheme] == "remote" else builder.master(url)
    return builder.getOrCreate()


def _table(con: Any, name: str) -> ir.Table:
    """A table by name; ``schema.table`` and ``catalog.schema.table`` are qualified names."""
    parts = name.split(".")
    if len(parts) == 1:
        return con.table(name)
    database = parts[-2] if len(parts) == 2 else tuple(parts[:-1])
    return con.table(parts[-1], database=database)


def _read(con: Any, reader: str, target: Any, path: Path) -> ir.Table:
    options: dict[str, Any] = {}
    shape = None
    if reader == "read_csv":
        options = {"header": True}
        shape = csv_shape(path)  # the header line decides the delimiter (see sources/csvshape.py)
        if shape is not None:
            options.update(delim=shape.delimiter, skip=0)  # a row is never a header DuckDB skips to
    try:
        return getattr(con, reader)(target, **options)
    except Exception as exc:  # noqa: BLE001 - DuckDB's reader errors become one message
        ragged = ragged_row(path, shape) if shape is not None else None
        if ragged is not None:
            raise ragged from None
        raise DataError(f"{path}: cannot read the file: {first_line(exc)}") from None


def _arrow(frame: Any) -> pa.Table:
    """A data frame as Arrow; all-null columns get a concrete type (no backend stores NULL-typed columns)."""
    if isinstance(frame, pa.Table):
        table = frame
    elif type(frame).__module__.split(".")[0] == "polars":
        table = frame.to_arrow()
    else:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    for index, column in enumerate(table.schema):
        if pa.types.is_null(column.type):
            table = table.set_column(index, column.name, pa.nulls(len(table), pa.float64()))
    return table


def _is_frame(value: Any) -> bool:
    module = type(value).__module__.split(".")[0]
    return module in ("pandas", "polars", "pyarrow")


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def pivot_long(t: ir.Table, rubric: Rubric) -> ir.Table:
    """Long rows (account, period, input name, value) as one column per input the rubric reads."""
    spec = rubric.input
    keys = [spec.account_id, spec.period]
    labels = [s for s in spec.segments if s in t.columns and s not in keys]
    wanted = [c for c in rubric.referenced_columns if c not in keys and c not in labels]
    value = t[spec.value_column]
    aggregates = {c: value.max(where=t[spec.name_column] == c) for c in wanted}
    aggregates.update({s: t[s].max() for s in labels})
    return t.group_by(keys).agg(**aggregates)


def to_wide(usage: Usage, rubric: Rubric) -> Usage:
    """Pivot long usage (account, period, input name, value) into one column per input."""
    spec = rubric.input
    t = usage.table
    missing = [c for c in (spec.account_id, spec.period, spec.name_column, spec.value_column) if c not in t.columns]
    if missing:
        raise DataError(f"{usage.label}: long-format data needs column(s) {', '.join(missing)}",
                        hint=f"long data has {spec.account_id}, {spec.period}, {spec.name_column}, {spec.value_column}")
    keys = [spec.account_id, spec.period]
    dup = (t.group_by([*keys, spec.name_column]).agg(n=ibis._.count()).filter(ibis._.n > 1).limit(1).execute())
    if len(dup):
        row = dup.iloc[0]
        raise DataError(f"{usage.label}: {spec.name_column} {row[spec.name_column]!r} appears {row['n']} times for "
                        f"{spec.account_id} {row[spec.account_id]!r} {spec.period} {row[spec.period]!r}",
                        hint="keep one value per account, period and input")
    return Usage(pivot_long(t, rubric), usage.label, usage.path)


def check_usage(usage: Usage, rubric: Rubric, *, duplicates: bool = True) -> Usage:
    """Check the data fits the rubric; return it with numeric text columns cast and optional columns added.

    Raises one :class:`DataError` for: missing columns, text in a numeric column, duplicate
    (account, period) rows (unless ``duplicates`` is false: the caller checks them in a query it
    runs anyway, with :func:`duplicate_error` for the message), no rows at all.
    """
    t = usage.table
    spec = rubric.input
    declared = spec.columns
    needed = rubric.referenced_columns
    optional = rubric.optional_columns
    missing = [c for c in needed if c not in t.columns and c not in optional]
    if missing:
        users = _users(rubric, missing[0])
        raise DataError(f"{usage.label}: missing input column{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(repr(m) for m in missing)}" + (f" (used by {users})" if users else ""),
                        hint="add the column to the data, rename it, or map it in the rubric's input section; "
                             f"the data has: {', '.join(t.columns[:30])}")
    # an absent optional column is all missing: text for a label, a number otherwise
    fills = {c: ibis.null("string" if _is_label(rubric, c) else "float64") for c in needed if c not in t.columns}
    if fills:
        t = t.mutate(**fills)
    casts: dict[str, ir.Value] = {}
    for name in needed:
        if name in (spec.account_id, spec.period):
            continue
        kind = declared[name].type if name in declared else None
        column = t[name]
        dtype = column.type()
        if kind in ("count", "number") and not (dtype.is_numeric() or dtype.is_null()):
            if dtype.is_boolean():
                casts[name] = column.cast("int64")
                continue
            text = column.cast("string")
            bad = (t.filter(text.notnull() & (text.strip().length() > 0) & text.try_cast("float64").isnull())
                   .select(v=text).limit(1).execute())
            if len(bad):
                raise _text_in_numeric(usage, name, str(bad.iloc[0]["v"]))
            casts[name] = column.cast("string").try_cast("float64")
    if casts:
        t = t.mutate(**casts)
    _check_keys(Usage(t, usage.label, usage.path), rubric)
    if duplicates:
        error = duplicate_error(Usage(t, usage.label, usage.path), rubric)
        if error is not None:
            raise error
    if int(t.count().execute()) == 0:
        raise DataError(f"{usage.label}: the data has no rows", hint="export the usage data again")
    return Usage(t, usage.label, usage.path)


def _check_keys(usage: Usage, rubric: Rubric) -> None:
    """Refuse a row without an account id, or whose period is blank or not a period (2026-13):
    each would be scored and stored as an account or period of its own."""
    spec = rubric.input
    t = usage.table
    for name in (spec.account_id, spec.period, *(s for s in spec.segments if s in t.columns)):
        dtype = t[name].type()
        if dtype.is_json() or dtype.is_nested():
            # DuckDB reads a JSON list or object in a key as its text (and every other value in
            # that column quoted): each would be an account or period of its own
            raise DataError(f"column {name!r} holds lists or objects ({dtype}), not one value per row",
                            file=usage.label, hint=f"give every row one text value for {name}")
    account, period = t[spec.account_id], t[spec.period]
    blank_account = account.isnull() | (account.cast("string").strip().length() == 0)
    found = t.filter(blank_account).select(p=period.cast("string")).limit(1).execute()
    if len(found):
        where = _row_at(usage, spec.account_id, "")
        raise DataError(f"column {spec.account_id!r} is empty in a row (period {found.iloc[0]['p']})",
                        file=usage.label, line=where, hint="give every row its account id, or remove the row")
    if period.type().is_temporal():
        values = t.filter(period.isnull()).select(v=period.cast("string")).limit(1).execute()["v"].tolist()
        bad = [None] if values else []
    else:
        seen = t.select(v=period.cast("string")).distinct().execute()["v"].tolist()
        bad = sorted((v for v in seen if not is_period(v)), key=lambda v: (v is not None, str(v)))
    if bad:
        value = bad[0]
        text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
        owner = (t.filter(period.isnull() if not text else period.cast("string") == text)
                 .select(a=account.cast("string")).limit(1).execute()["a"].tolist())
        shown = f"{text!r}" if text.strip() else "empty"
        raise DataError(f"column {spec.period!r} is {shown}, not a period"
                        + (f" (account {owner[0]})" if owner else ""),
                        file=usage.label, line=_row_at(usage, spec.period, text),
                        hint=f"write periods as {FORMS}, e.g. 2026-10")


def _row_at(usage: Usage, column: str, value: str) -> int | None:
    """The CSV line of the first row whose ``column`` is ``value``; None for other sources."""
    if usage.path and usage.path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return _csv_line(usage.path, column, value)
    return None


def _is_label(rubric: Rubric, column: str) -> bool:
    declared = rubric.input.columns.get(column)
    return declared.type == "text" if declared is not None else column in rubric.input.segments


def duplicate_error(usage: Usage, rubric: Rubric) -> DataError | None:
    """The error for the first (account, period) that appears more than once, or None."""
    keys = list(rubric.row_keys)  # with a roll-up: one row per account, instance and period
    try:
        dup = usage.table.group_by(keys).agg(n=ibis._.count()).filter(ibis._.n > 1).limit(1).execute()
    except Exception as exc:  # noqa: BLE001
        raise _execution_error(usage, exc) from None
    if not len(dup):
        return None
    row = dup.iloc[0]
    where = " and ".join(f"{k} {row[k]!s}" for k in keys)
    if rubric.rollup is not None:
        hint = f"keep one row per account, {rubric.rollup.instance} and period"
    else:
        hint = ("keep one row per account and period (aggregate instances first, or declare a rollup "
                "block: docs/rollup.md)")
    return DataError(f"{usage.label}: duplicate rows: {where} appear {row['n']} times", hint=hint)


def _users(rubric: Rubric, column: str) -> str:
    for use_case, metric in rubric.metrics:
        if column in metric.columns:
            return f"metric {use_case.id}.{metric.id}"
    for use_case in rubric.use_cases:
        if use_case.applies_expression and column in use_case.applies_expression.columns:
            return f"use case {use_case.id} applies_when"
    if rubric.input.scope_expression and column in rubric.input.scope_expression.columns:
        return "the input scope"
    if rubric.rollup is not None and column in rubric.rollup.columns:
        return "the rollup block"
    return ""


def _text_in_numeric(usage: Usage, column: str, value: str) -> DataError:
    line = _csv_line(usage.path, column, value) if usage.path and usage.path.suffix.lower() in (".csv", ".tsv", ".txt") else None
    return DataError(f"column {column!r} holds text {value!r} where a number is expected",
                     file=usage.label, line=line, hint="fix or blank that value; missing values may be left empty")


def _csv_line(path: Path, column: str, value: str) -> int | None:
    """Line number (1-based, header = 1) of the first row whose ``column`` equals ``value``."""
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            header = next(reader)
            index = header.index(column)
            for row in reader:
                if index < len(row) and row[index].strip() == value.strip():
                    return reader.line_num
    except (OSError, ValueError, StopIteration, csv.Error):
        return None
    return None


def _execution_error(usage: Usage, exc: BaseException) -> DataError:
    if usage.path is not None and (ragged := ragged_from_message(usage.path, str(exc))) is not None:
        return ragged
    text = first_line(exc)
    match = re.search(r"[Ll]ine:?\s*(\d+)", str(exc))
    line = int(match.group(1)) if match else None
    conv = re.search(r'Could not convert string "?\'?([^"\']*)["\']? to', str(exc))
    hint = "fix that value in the file" if conv else None
    return DataError(f"cannot read the data: {text}", file=usage.label, line=line, hint=hint)


def load_usage(source: Any, rubric: Rubric, *, table: str | None = None, layout: str | None = None,
               connection: Any = None, duplicates: bool = True) -> Usage:
    """Open, reshape (long -> wide) and check usage data for ``rubric`` (see :func:`check_usage`)."""
    usage = open_usage(source, table=table, connection=connection)
    if (layout or rubric.input.layout) == "long":
        usage = to_wide(usage, rubric)
    try:
        return check_usage(usage, rubric, duplicates=duplicates)
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - reader errors surface when the data is first read
        raise _execution_error(usage, exc) from None
