"""`adoptscore score` on files whose numbers include NaN, inf and -inf: a CSV cell `NaN`, `inf`,
`-inf`, `nan`, `Infinity`, and float NaN/inf in Parquet, score exactly as an empty cell (no data),
never Green. The report of defect 2: a NaN billable_users turned an overall Red into Green."""
from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from adoptscore.demo import generate_usage
from tests.e2e.test_cli_errors import run

SPELLINGS = ["NaN", "inf", "-inf", "nan", "Infinity", "-Infinity"]


@pytest.fixture(scope="module")
def usage() -> pa.Table:
    return generate_usage(accounts=30, months=2, seed=8, end_period="2026-10")


def _score(path: Path, out: Path) -> dict[str, list[dict]]:
    done = run("score", str(path), "--out", str(out), "--format", "csv")
    assert done.returncode == 0, done.stderr
    tables = {}
    for name in ("metrics", "use_cases", "overall"):
        with (out / f"{name}.csv").open(newline="") as handle:
            tables[name] = list(csv.DictReader(handle))
    return tables


def _csv_with(table: pa.Table, path: Path, column: str, cells: dict[int, str]) -> None:
    pacsv.write_csv(table, path)
    lines = path.read_text().splitlines()
    header = [h.strip('"') for h in lines[0].split(",")]
    index = header.index(column)
    for row, text in cells.items():
        parts = lines[row + 1].split(",")
        parts[index] = text
        lines[row + 1] = ",".join(parts)
    path.write_text("\n".join(lines) + "\n")


def test_csv_spellings_of_nan_and_inf_score_as_empty_cells(usage, tmp_path):
    cells = {row: SPELLINGS[row % len(SPELLINGS)] for row in range(0, 24, 2)}
    _csv_with(usage, tmp_path / "bad.csv", "billable_users", cells)
    _csv_with(usage, tmp_path / "empty.csv", "billable_users", {row: "" for row in cells})
    bad, empty = _score(tmp_path / "bad.csv", tmp_path / "bad"), _score(tmp_path / "empty.csv", tmp_path / "empty")
    assert bad == empty
    hit = [r for r in bad["metrics"] if "billable_users" in r["reason"]]
    assert len(hit) >= 5 * len(cells) and all(r["color"] == "" and r["status"] == "no_data" for r in hit)


def test_parquet_float_nan_and_inf_score_as_nulls(usage, tmp_path):
    seats = usage["billable_users"].cast(pa.float64()).to_numpy(zero_copy_only=False).copy()
    seats[::3], seats[1::7] = float("nan"), float("inf")
    with_nan = usage.set_column(usage.schema.get_field_index("billable_users"), "billable_users", pa.array(seats))
    finite = pc.is_finite(with_nan["billable_users"])
    nulls = with_nan.set_column(with_nan.schema.get_field_index("billable_users"), "billable_users",
                                pc.if_else(finite, with_nan["billable_users"], pa.scalar(None, pa.float64())))
    pq.write_table(with_nan, tmp_path / "nan.parquet")
    pq.write_table(nulls, tmp_path / "null.parquet")
    assert _score(tmp_path / "nan.parquet", tmp_path / "a") == _score(tmp_path / "null.parquet", tmp_path / "b")
