"""Getting usage in: every supported source gives the same scores; long layout; clear errors."""
from __future__ import annotations


import duckdb
import ibis
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import adoptscore
from adoptscore.errors import DataError
from tests.conftest import frame, usage_row

ROWS = [usage_row("a1"), usage_row("a2", git_ops_users_l28d=500, tier="SaaS - Premium"),
        usage_row("a1", period="2026-09", ci_builds_l28d=None)]


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return adoptscore.score(frame(ROWS), "gitlab").use_cases


def _same(result: adoptscore.ScoreResult, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(result.use_cases, expected)


def test_polars_and_arrow_frames(expected):
    df = frame(ROWS)
    _same(adoptscore.score(pl.from_pandas(df), "gitlab"), expected)
    _same(adoptscore.score(pa.Table.from_pandas(df), "gitlab"), expected)


def test_files_and_folders(tmp_path, expected):
    df = frame(ROWS)
    df.to_csv(tmp_path / "u.csv", index=False)
    df.to_csv(tmp_path / "u.tsv", index=False, sep="\t")
    (tmp_path / "parts").mkdir()
    df.iloc[:2].to_parquet(tmp_path / "parts" / "a.parquet")
    df.iloc[2:].to_parquet(tmp_path / "parts" / "b.parquet")
    for source in ("u.csv", "u.tsv", "parts"):
        _same(adoptscore.score(tmp_path / source, "gitlab"), expected)


def test_ibis_url_and_table(tmp_path, expected):
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.register("df", frame(ROWS))
    con.execute("CREATE TABLE usage AS SELECT * FROM df")
    con.close()
    _same(adoptscore.score(f"duckdb://{db}", "gitlab", table="usage"), expected)
    _same(adoptscore.score(db, "gitlab", table="usage"), expected)
    ibis_con = ibis.duckdb.connect()
    # made from an Ibis expression: Ibis 12's create_table of a data frame drops a view by a DROP that
    # SQLGlot >= 30.18 generates without the view's name (ibis-project/ibis#12101)
    _same(adoptscore.score(ibis_con.create_table("u", ibis.memtable(frame(ROWS))), "gitlab"), expected)


def test_long_layout_is_the_same_as_wide(expected):
    wide = frame(ROWS)
    ids = ["account_id", "period", "segment", "industry", "tier"]
    long = wide.melt(id_vars=ids, var_name="metric", value_name="value").dropna(subset=["value"])
    _same(adoptscore.score(long, "gitlab", layout="long"), expected)


def test_long_layout_duplicate_inputs_are_an_error():
    long = pd.DataFrame({"account_id": ["a", "a"], "period": ["p", "p"], "metric": ["billable_users"] * 2,
                         "value": [1.0, 2.0]})
    with pytest.raises(DataError, match="appears 2 times"):
        adoptscore.score(long, "gitlab", layout="long")


def test_optional_and_missing_columns():
    df = frame(ROWS).drop(columns=["api_fuzzing_scans_l28d", "dast_scans_l28d"])
    with pytest.raises(DataError) as info:
        adoptscore.score(df, "gitlab")
    assert "'dast_scans_l28d', 'api_fuzzing_scans_l28d'" in info.value.message


def test_accounts_and_periods_filters():
    result = adoptscore.score(frame(ROWS), "gitlab", accounts=["a1"], periods=["2026-09"])
    assert result.overall[["account_id", "period"]].values.tolist() == [["a1", "2026-09"]]


def test_unsupported_and_url_without_table(tmp_path):
    path = tmp_path / "u.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(DataError, match="unsupported file type"):
        adoptscore.score(path, "gitlab")
    with pytest.raises(DataError, match="needs a table name"):
        adoptscore.score("postgres://user:secret@localhost/db", "gitlab")


@pytest.mark.parametrize("url", ["duckdb://{dir}/nosuch.duckdb", "duckdb://{dir}/nosuch.duckdb?read_only=true"])
def test_a_duckdb_url_naming_no_file_creates_none(tmp_path, url):
    # Ibis would create an empty database there and then report the table missing
    with pytest.raises(DataError, match="database file .*nosuch.duckdb not found"):
        adoptscore.score(url.format(dir=tmp_path), "gitlab", table="usage")
    assert list(tmp_path.iterdir()) == []


def test_password_is_not_echoed():
    with pytest.raises(DataError) as info:
        adoptscore.score("postgres://user:secret@127.0.0.1:1/db", "gitlab", table="usage")
    assert "secret" not in info.value.format()


def test_a_true_false_column_is_read_as_one_and_zero():
    # documented (rubric-reference: input column type): a feature flag counts as 1/0
    import io

    import pyarrow.csv as pacsv

    from adoptscore.rubric.loader import load_rubric
    from adoptscore.sources.read import load_usage
    from tests.badinput.corpus import GOOD_CSV

    table = pacsv.read_csv(io.BytesIO(GOOD_CSV.encode()))
    flags = pa.array([True, False, True])
    table = table.set_column(table.column_names.index("ci_builds_l28d"), "ci_builds_l28d", flags)
    usage = load_usage(table, load_rubric("gitlab"))
    values = usage.table.order_by("account_id").select("ci_builds_l28d").execute()["ci_builds_l28d"].tolist()
    assert values == [1, 0, 1]
