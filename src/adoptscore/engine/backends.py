"""Backend adapters: how results leave a backend. The engine never asks which backend it is on.

The generic adapter streams Arrow record batches from any Ibis backend into the file writers;
adapters registered in :data:`ADAPTERS` (keyed by the Ibis backend's name) may do better, e.g.
DuckDB copies a query straight into a Parquet or CSV file without materialising it in Python.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

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

    def quote(self, name: str) -> str:
        from adoptscore.engine.compile import _quote

        return _quote(name, self.backend.name)

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

    OPTIONS = {"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER true",
               "json": "FORMAT json, ARRAY true"}

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
        target = str(path).replace("'", "''")
        self.backend.raw_sql(f"COPY ({sql}) TO '{target}' ({self.OPTIONS[fmt]})")


ADAPTERS: dict[str, type[Adapter]] = {"duckdb": DuckDBAdapter}


def adapter_for(backend: Any) -> Adapter:
    return ADAPTERS.get(getattr(backend, "name", ""), Adapter)(backend)

