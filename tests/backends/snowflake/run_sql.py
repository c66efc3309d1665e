"""Run Snowflake SQL on fakesnow: executed in .venv-snowflake (fakesnow, the Snowflake connector,
pyarrow, pandas), never imported by the test suite itself.

    python run_sql.py USAGE.parquet OUT_FOLDER NAME=QUERY.sql [NAME=QUERY.sql ...]

Creates the table "usage" with the Parquet file's columns and rows through the Snowflake
connector (as a loader would), runs each query and writes its rows to OUT_FOLDER/NAME.parquet.
"""
from __future__ import annotations

import sys
from pathlib import Path

import fakesnow
import pyarrow as pa
import pyarrow.parquet as pq
import snowflake.connector

# Snowflake's own types for the usage columns
TYPES = {pa.string(): "VARCHAR", pa.large_string(): "VARCHAR", pa.int64(): "NUMBER(38,0)",
         pa.int32(): "NUMBER(38,0)", pa.float64(): "FLOAT", pa.bool_(): "BOOLEAN"}


def main(usage: str, out: str, queries: list[str]) -> None:
    table = pq.read_table(usage)
    with fakesnow.patch():
        connection = snowflake.connector.connect(database="adoptscore", schema="public")
        cursor = connection.cursor()
        columns = ", ".join(f'"{f.name}" {TYPES[f.type]}' for f in table.schema)
        cursor.execute(f'CREATE TABLE "usage" ({columns})')
        marks = ", ".join(["%s"] * table.num_columns)
        cursor.executemany(f'INSERT INTO "usage" VALUES ({marks})', [tuple(r.values()) for r in table.to_pylist()])
        for item in queries:
            name, path = item.split("=", 1)
            cursor.execute(Path(path).read_text(encoding="utf-8"))
            pq.write_table(pa.Table.from_pandas(cursor.fetch_pandas_all(), preserve_index=False),
                           Path(out) / f"{name}.parquet")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
