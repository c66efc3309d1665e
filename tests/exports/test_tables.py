"""The stored tables exported as CSV and Parquet, read back and compared with the store."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from adoptscore.exports.source import ExportError, StoredScores
from adoptscore.exports.tables import export_tables, plan_outputs

KEYS = {"metrics": ["account_id", "period", "use_case", "metric"], "use_cases": ["account_id", "period", "use_case"],
        "overall": ["account_id", "period"]}


def _stored(export_store, table: str, periods: list[str]) -> pd.DataFrame:
    frame = export_store.df(f"SELECT * FROM gitlab.{table} WHERE period IN (SELECT unnest(?))", [periods])
    return frame.sort_values(KEYS[table]).reset_index(drop=True)


def _read(path) -> pd.DataFrame:
    con = duckdb.connect()
    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    options = "" if path.suffix == ".parquet" else ", all_varchar = false, header = true"
    return con.execute(f"SELECT * FROM {reader}('{path}'{options})").df()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_table_of_a_period_range(export_store, tmp_path, fmt):
    periods = export_store.periods()[3:6]
    outputs = plan_outputs(tmp_path, ["metrics", "use_cases", "overall"], fmt)
    with StoredScores(export_store.path) as scores:
        written = export_tables(scores, outputs, fmt, scores.select_periods(periods[0], periods[-1]))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.{fmt}" for t in KEYS)
    for table in KEYS:
        expected = _stored(export_store, table, periods)
        got = _read(tmp_path / f"{table}.{fmt}")
        assert written[table] == len(expected) == len(got)
        assert list(got.columns) == list(expected.columns)
        for column in expected.columns:
            want, have = expected[column], got[column]
            if pd.api.types.is_float_dtype(want):
                assert ((want - have.astype(float)).abs() < 1e-9).where(want.notna(), have.isna()).all(), column
            elif pd.api.types.is_bool_dtype(want) or column in ("metrics_scored", "adopted_use_cases", "use_cases_scored"):
                assert (want.astype("Float64").fillna(-1) == have.astype("Float64").fillna(-1)).all(), column
            else:
                assert (want.fillna("") == have.astype("string").fillna("")).all(), column


def test_one_table_into_one_file(export_store, tmp_path):
    target = tmp_path / "overall.parquet"
    latest = export_store.periods()[-1]
    with StoredScores(export_store.path) as scores:
        export_tables(scores, plan_outputs(target, ["overall"], "parquet"), "parquet", [latest])
    got = _read(target)
    pd.testing.assert_frame_equal(got, _stored(export_store, "overall", [latest]), check_dtype=False)


@pytest.mark.parametrize("out, tables, fmt, needle", [
    ("x.csv", ["overall", "metrics"], "csv", "names a file but 2 tables"),
    ("x.csv", ["overall"], "parquet", "ends in .csv but the format is parquet"),
    ("missing/folder", ["overall", "metrics"], "csv", "does not exist"),
    ("out", ["scores"], "csv", "unknown table 'scores'"),
])
def test_bad_outputs_are_refused_before_writing(tmp_path, out, tables, fmt, needle):
    (tmp_path / "out").mkdir()
    with pytest.raises(ExportError) as caught:
        plan_outputs(tmp_path / out, tables, fmt)
    assert needle in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
