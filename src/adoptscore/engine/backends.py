"""Backend adapters: how results leave a backend. The engine never asks which backend it is on.

The generic adapter streams Arrow record batches from any Ibis backend into the file writers;
adapters registered in :data:`ADAPTERS` (keyed by the Ibis backend's name) may do better:

- DuckDB copies a query straight into a Parquet or CSV file without materialising it in Python;
- PostgreSQL streams ``COPY (query) TO STDOUT`` as CSV into Arrow's CSV reader, with the column
  types the server reports (a cursor would build a Python object per cell, 10x slower);
- Spark collects Arrow batches from the session itself (Ibis goes through pandas, which turns
  integers with nulls into floats).
"""
from __future__ import annotations

import io
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Iterator

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from adoptscore.errors import AdoptscoreError
from adoptscore.sqltext import literal

FORMATS = ("csv", "parquet", "json")


class Adapter:
    """Runs compiled SQL on one backend: reads results and writes them to files."""

    def __init__(self, backend: Any):
        self.backend = backend

    def to_arrow(self, sql: str) -> pa.Table:
        return self.backend.sql(sql).to_pyarrow()

    def batches(self, sql: str) -> pa.RecordBatchReader:
        return self.backend.sql(sql).to_pyarrow_batches()

    def temporary(self, sql: str, name: str) -> None:
        """Materialise a query as a temporary table, for several queries that read the same values."""
        self.backend.raw_sql(f"CREATE TEMPORARY TABLE {self.quote(name)} AS {sql}")

    def drop(self, name: str) -> None:
        self.backend.raw_sql(f"DROP TABLE IF EXISTS {self.quote(name)}")

    def load(self, name: str, table: pa.Table, *, temporary: bool = False) -> Any:
        """Create (or replace) table ``name`` holding ``table``, to score data that is not yet there;
        returns it as an Ibis table. A temporary table lasts as long as the connection."""
        return self.backend.create_table(name, table, temp=temporary or None, overwrite=True)

    def quote(self, name: str) -> str:
        from adoptscore.engine.compile import _quote

        return _quote(name, self.backend.name)

    # -- statements inside the backend (results that stay where the data is: engine/into.py) --

    #: whether several statements can be made one all-or-none unit; without, tables are swapped
    transactional: ClassVar[bool] = True
    #: whether ``score --into`` keeps the wide result in a temporary table and cuts the three tables
    #: from it (computing the plan once), rather than computing each table from the data
    keeps_wide: ClassVar[bool] = True

    def execute(self, sql: str) -> None:
        """Run one statement that returns no rows."""
        self.backend.raw_sql(sql)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Statements executed inside are committed together, or not at all."""
        self.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def columns(self, sql: str) -> list[str]:
        """The column names of a query or table, computing no rows."""
        return list(self.to_arrow(f"SELECT * FROM ({sql}) AS q WHERE 1 = 0").schema.names)

    def exists(self, table: str) -> bool:
        """Whether the (qualified, quoted) table exists."""
        try:
            self.columns(f"SELECT * FROM {table}")
        except Exception:  # noqa: BLE001 - any "no such table" error of the driver
            return False
        return True

    def create_schema(self, qualified: str) -> None:
        """Create the (quoted, possibly catalog-qualified) schema unless it exists."""
        self.execute(f"CREATE SCHEMA IF NOT EXISTS {qualified}")

    def persistent(self) -> bool:
        """Whether tables made in the connection's default catalog outlive it (a warehouse, a
        database file), unlike an in-memory database opened to read a local file."""
        return True

    def attach(self, path: Path, alias: str) -> None:
        """Open a database file as catalog ``alias`` on this connection, for writing."""
        raise AdoptscoreError(f"results can go into a database file ({path}) only when DuckDB reads the data",
                              hint="give --into a schema on the data's own connection")

    def write(self, sql: str, path: Path, fmt: str) -> None:
        batches = self.batches(sql)
        schema = batches.schema
        if fmt == "parquet":
            with pq.ParquetWriter(path, schema) as writer:
                for batch in batches:
                    writer.write_batch(batch)
        elif fmt == "csv":
            with pacsv.CSVWriter(path, schema) as writer:
                for batch in batches:
                    writer.write_batch(batch)
        else:
            import json
            with path.open("w", encoding="utf-8") as handle:
                handle.write("[")
                first = True
                for batch in batches:
                    for row in batch.to_pylist():
                        handle.write(("\n" if first else ",\n") + json.dumps(row, default=str))
                        first = False
                handle.write("\n]\n")


class DuckDBAdapter(Adapter):
    """DuckDB: COPY the compiled query to the file, streaming on all cores."""

    OPTIONS: ClassVar[dict[str, str]] = {"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER true",
               "json": "FORMAT json, ARRAY true"}

    def __init__(self, backend: Any):
        super().__init__(backend)
        trust_no_float_statistics(backend.con)

    def to_arrow(self, sql: str) -> pa.Table:
        # DuckDB's own connection: no schema round trip, and independent of Ibis's DuckDB shims.
        return self.backend.con.sql(sql).to_arrow_table()

    def batches(self, sql: str) -> pa.RecordBatchReader:
        # ~120k-row batches (DuckDB's row-group size) keep a wide batch and its long tables small
        return self.backend.con.sql(sql).to_arrow_reader(122_880)

    def temporary(self, sql: str, name: str) -> None:
        self.backend.con.execute(f"CREATE TEMPORARY TABLE {self.quote(name)} AS {sql}")

    def drop(self, name: str) -> None:
        self.backend.con.execute(f"DROP TABLE IF EXISTS {self.quote(name)}")

    def write(self, sql: str, path: Path, fmt: str) -> None:
        self.backend.raw_sql(f"COPY ({sql}) TO {literal(str(path))} ({self.OPTIONS[fmt]})")

    def load(self, name: str, table: pa.Table, *, temporary: bool = False) -> Any:
        """Our own DDL, not Ibis's ``create_table``: Ibis 12 builds its DROP statements with SQLGlot's
        ``Drop(this=...)``, which SQLGlot 30.18 replaced by ``Drop(tables=[...])``; with later SQLGlot
        Ibis generates ``DROP VIEW IF EXISTS`` naming nothing. Same column types as Ibis's (its schema
        of the Arrow table), one ``CREATE OR REPLACE`` instead of Ibis's create, drop and rename."""
        import ibis
        import sqlglot as sg
        import sqlglot.expressions as sge

        con = self.backend.con
        target = sg.table(name, quoted=True)
        columns = ibis.Schema.from_pyarrow(table.schema).to_sqlglot_column_defs("duckdb")
        properties = sge.Properties(expressions=[sge.TemporaryProperty()] if temporary else [])
        create = sge.Create(kind="TABLE", this=sge.Schema(this=target, expressions=columns), replace=True,
                            properties=properties)
        view = f"adoptscore_load_{uuid.uuid4().hex}"
        con.register(view, table)
        try:
            con.execute(create.sql("duckdb"))
            con.execute(f"INSERT INTO {target.sql('duckdb')} SELECT * FROM {self.quote(view)}")
        finally:
            con.unregister(view)
        return self.backend.table(name, database=("temp", "main") if temporary else None)

    def execute(self, sql: str) -> None:
        self.backend.con.execute(sql)

    def persistent(self) -> bool:
        rows = self.backend.con.execute("SELECT path FROM duckdb_databases() "
                                        "WHERE database_name = current_database()").fetchall()
        return bool(rows and rows[0][0])

    def attach(self, path: Path, alias: str) -> None:
        attached = {row[0] for row in self.backend.con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
        if alias not in attached:
            self.backend.con.execute(f"ATTACH {literal(str(path))} AS {self.quote(alias)}")


def trust_no_float_statistics(con: Any) -> None:
    """Make DuckDB test every float value instead of deriving from file statistics that none is NaN.

    Parquet writers leave NaN out of a float column's min/max, as the format says, and DuckDB reads
    those bounds as "no NaN here": it folds the engine's NaN test to false and a NaN scores as a
    number (duckdb/duckdb#25521, open in 2.0.1). Without statistics propagation every row is tested.
    Row-group pruning by pushed-down filters stays on: the engine never filters on a float input.
    """
    con.execute("SET disabled_optimizers = 'statistics_propagation'")


class PostgresAdapter(Adapter):
    """PostgreSQL: results leave the server by ``COPY ... TO STDOUT`` in CSV, parsed by Arrow."""

    # server type OIDs -> Arrow types; anything else arrives as text
    TYPES: ClassVar[dict[int, pa.DataType]] = {16: pa.bool_(), 20: pa.int64(), 21: pa.int16(), 23: pa.int32(), 700: pa.float32(),
             701: pa.float64(), 1700: pa.float64(), 25: pa.string(), 1043: pa.string(), 1042: pa.string()}
    BLOCK = 1 << 22

    def schema(self, sql: str) -> pa.Schema:
        """Column names and types of a query, from the server (no rows are computed)."""
        with self.backend.con.cursor() as cursor:
            cursor.execute(f"SELECT * FROM ({sql}) AS q LIMIT 0")
            return pa.schema([(c.name, self.TYPES.get(c.type_code, pa.string())) for c in cursor.description])

    def batches(self, sql: str) -> pa.RecordBatchReader:
        schema = self.schema(sql)
        stream = _CopyStream(self.backend.con, f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER false)")
        # Postgres writes NULL as an empty unquoted field and an empty string as "" (quoted).
        convert = pacsv.ConvertOptions(column_types=schema, null_values=[""], strings_can_be_null=True,
                                       quoted_strings_can_be_null=False, true_values=["t"], false_values=["f"])
        read = pacsv.ReadOptions(column_names=schema.names, block_size=self.BLOCK, use_threads=True)
        try:
            reader = pacsv.open_csv(stream, read_options=read, convert_options=convert)
        except pa.ArrowInvalid as exc:
            if "Empty CSV file" not in str(exc):
                raise
            return pa.RecordBatchReader.from_batches(schema, [])
        return pa.RecordBatchReader.from_batches(schema, (batch.cast(schema) for batch in reader))

    def to_arrow(self, sql: str) -> pa.Table:
        return self.batches(sql).read_all()

    def execute(self, sql: str) -> None:
        with self.backend.con.cursor() as cursor:
            cursor.execute(sql)

    def temporary(self, sql: str, name: str) -> None:
        # on this connection's own cursor, closed at once (a temporary table lives with the session)
        self.execute(f"CREATE TEMPORARY TABLE {self.quote(name)} AS {sql}")

    def drop(self, name: str) -> None:
        self.execute(f"DROP TABLE IF EXISTS {self.quote(name)}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.backend.con.transaction():
            yield

    def columns(self, sql: str) -> list[str]:
        return self.schema(sql).names

    def exists(self, table: str) -> bool:
        with self.backend.con.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (table,))
            return bool(cursor.fetchone()[0])

    # Arrow types -> column types for :meth:`load`
    COLUMN_TYPES: ClassVar[dict[pa.DataType, str]] = {pa.bool_(): "BOOLEAN", pa.int16(): "SMALLINT", pa.int32(): "INTEGER", pa.int64(): "BIGINT",
                    pa.float32(): "REAL", pa.float64(): "DOUBLE PRECISION", pa.string(): "TEXT",
                    pa.large_string(): "TEXT"}

    def load(self, name: str, table: pa.Table, *, temporary: bool = False) -> Any:
        """Replace table ``name`` with ``table``, by ``COPY ... FROM STDIN`` (Ibis inserts row by row,
        and its DROP is mis-generated with SQLGlot >= 30.18: see :meth:`DuckDBAdapter.load`)."""
        columns = ", ".join(f"{self.quote(f.name)} {self.COLUMN_TYPES.get(f.type, 'TEXT')}" for f in table.schema)
        quoted = self.quote(name)
        con = self.backend.con
        with con.transaction(), con.cursor() as cursor:
            # a temporary table's DROP names pg_temp: never a permanent table of the same name
            cursor.execute(f"DROP TABLE IF EXISTS {'pg_temp.' if temporary else ''}{quoted}")
            cursor.execute(f"CREATE {'TEMPORARY ' if temporary else ''}TABLE {quoted} ({columns})")
            options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
            with cursor.copy(f"COPY {quoted} FROM STDIN (FORMAT csv)") as copy:
                for batch in table.to_batches(max_chunksize=65_536):
                    sink = io.BytesIO()
                    pacsv.write_csv(pa.Table.from_batches([batch]), sink, options)
                    copy.write(sink.getvalue())
            cursor.execute(f"ANALYZE {quoted}")
        if not temporary:
            return self.backend.table(name)
        # Ibis finds no table in pg_temp, by bare name merges a permanent table's columns in, and its
        # backend.sql() drops a view by the same mis-generated DROP: the columns as the server has them
        import ibis
        import ibis.expr.operations as ops

        schema = ibis.Schema.from_pyarrow(self.schema(f"SELECT * FROM pg_temp.{quoted}"))
        return ops.DatabaseTable(name, schema=schema, source=self.backend,
                                 namespace=ops.Namespace(database="pg_temp")).to_expr()


class _CopyStream(io.RawIOBase):
    """A readable file over the chunks of a psycopg ``COPY ... TO STDOUT``."""

    def __init__(self, connection: Any, statement: str):
        self._cursor = connection.cursor()
        self._context = self._cursor.copy(statement)
        self._chunks = iter(self._context.__enter__())
        self._pending = memoryview(b"")
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        # COPY yields one small chunk per row: fill the whole buffer, or Arrow makes a batch per row
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view):
            if not self._pending:
                if self._done:
                    break
                try:
                    self._pending = memoryview(next(self._chunks)).cast("B")
                except StopIteration:
                    self._finish()
                    continue
            size = min(len(view) - filled, len(self._pending))
            view[filled:filled + size] = self._pending[:size]
            self._pending = self._pending[size:]
            filled += size
        return filled

    def _finish(self) -> None:
        self._done = True
        self._context.__exit__(None, None, None)
        self._cursor.close()

    def close(self) -> None:
        if not self._done:
            self._done = True
            # a reader stopped early: end the COPY by resetting the connection's transaction
            try:
                self._cursor.connection.cancel_safe()
            except Exception:  # noqa: BLE001 - already finished
                pass
            try:
                self._context.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 - the cancel surfaces here
                pass
            self._cursor.close()
        super().close()


class SparkAdapter(Adapter):
    """Spark (local, cluster or Spark Connect): Arrow straight from the session."""

    @property
    def session(self) -> Any:
        return self.backend._session

    def to_arrow(self, sql: str) -> pa.Table:
        return self.session.sql(sql).toArrow()

    # Spark SQL has no multi-statement transactions: engine/into.py swaps whole tables instead
    transactional: ClassVar[bool] = False
    # measured at 200k account-months on Spark Connect (benchmarks/bench_into_spark.py): caching the
    # wide result costs more JVM CPU (39-42 s) than computing the plan for each table (27 s)
    keeps_wide: ClassVar[bool] = False

    def execute(self, sql: str) -> None:
        self.session.sql(sql)

    def columns(self, sql: str) -> list[str]:
        return list(self.session.sql(f"SELECT * FROM ({sql}) AS q WHERE 1 = 0").columns)

    def exists(self, table: str) -> bool:
        return bool(self.session.catalog.tableExists(table.replace("`", "")))

    def batches(self, sql: str) -> pa.RecordBatchReader:
        table = self.to_arrow(sql)
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=122_880))

    def temporary(self, sql: str, name: str) -> None:
        frame = self.session.sql(sql).cache()
        frame.createOrReplaceTempView(name)

    def drop(self, name: str) -> None:
        if self.session.catalog.tableExists(name):
            self.session.table(name).unpersist()
            self.session.catalog.dropTempView(name)


ADAPTERS: dict[str, type[Adapter]] = {"duckdb": DuckDBAdapter, "postgres": PostgresAdapter, "pyspark": SparkAdapter}


def adapter_for(backend: Any) -> Adapter:
    return ADAPTERS.get(getattr(backend, "name", ""), Adapter)(backend)

