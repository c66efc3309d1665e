"""Rows that name no account or no real period are refused, not scored and stored as an account or
a period of their own; --period must name a period the data holds; --table on a file is a mistake
(issue 14, defect 7). Each: exit 2, one line naming the file (and CSV line), nothing written."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from adoptscore.demo import generate_usage
from adoptscore.sources.periods import is_period
from tests.e2e.test_cli_errors import assert_clean_failure, run


@pytest.fixture(scope="module")
def usage() -> pa.Table:
    return generate_usage(accounts=12, months=2, seed=6, end_period="2026-10")


def _with(table: pa.Table, column: str, row: int, value) -> pa.Table:
    values = table[column].to_pylist()
    values[row] = value
    return table.set_column(table.schema.get_field_index(column), column, pa.array(values, pa.string()))


@pytest.mark.parametrize("column, value, needle", [
    ("period", "2026-13", "'2026-13', not a period"),
    ("period", "garbage", "'garbage', not a period"),
    ("period", "", "is empty, not a period"),
    ("period", None, "is empty, not a period"),
    ("period", "2026-02-30", "'2026-02-30', not a period"),
    ("account_id", "", "'account_id' is empty"),
    ("account_id", "   ", "'account_id' is empty"),
    ("account_id", None, "'account_id' is empty"),
], ids=["month-13", "garbage", "blank-period", "null-period", "no-such-day", "blank-account", "spaces-account",
        "null-account"])
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_bad_key_is_refused_naming_file_and_line(usage, tmp_path, column, value, needle, kind):
    table = _with(usage, column, 5, value)
    path = tmp_path / f"usage.{kind}"
    pacsv.write_csv(table, path) if kind == "csv" else pq.write_table(table, path)
    out, store = tmp_path / "out", tmp_path / "s.duckdb"
    where = "usage.csv:7:" if kind == "csv" else "usage.parquet:"  # header line 1, row 5 is line 7
    assert_clean_failure(run("score", str(path), "--out", str(out), "--store", str(store)), where, needle)
    assert not out.exists() and not store.exists()


def test_period_forms():
    good = ["2026", "2026-Q1", "2026-Q4", "2026-01", "2026-12", "2026-W01", "2026-W53", "2024-02-29"]
    bad = ["2026-13", "2026-00", "2026-Q5", "2026-W54", "2026-W00", "2023-02-29", "26-10", "2026/10", " 2026-10",
           "2026-10 ", "", "garbage", None, "2026-1"]
    assert all(is_period(p) for p in good) and not any(is_period(p) for p in bad)


def test_period_option_must_be_a_period_the_data_holds(usage, tmp_path):
    path = tmp_path / "usage.parquet"
    pq.write_table(usage, path)
    out = tmp_path / "out"
    assert_clean_failure(run("score", str(path), "--period", "2026-13", "--out", str(out)), "--period '2026-13'",
                         "not a period")
    assert_clean_failure(run("score", str(path), "--period", "2025-01", "--out", str(out)), "usage.parquet",
                         "no rows for period 2025-01", "2026-09, 2026-10")
    assert not out.exists()
    done = run("score", str(path), "--period", "2026-10", "--out", str(out), "--format", "csv")
    assert done.returncode == 0 and "2026-09" not in (out / "overall.csv").read_text()


@pytest.mark.parametrize("kind", ["csv", "parquet", "folder"])
def test_table_on_a_file_is_refused(usage, tmp_path, kind):
    path = tmp_path / ("parts" if kind == "folder" else f"usage.{kind}")
    if kind == "folder":
        path.mkdir()
        pq.write_table(usage, path / "part-0.parquet")
    elif kind == "csv":
        pacsv.write_csv(usage, path)
    else:
        pq.write_table(usage, path)
    assert_clean_failure(run("score", str(path), "--table", "usage", "--out", str(tmp_path / "out")),
                         str(Path(path).name), "--table usage applies to a database")
    assert not (tmp_path / "out").exists()
