"""The one-pass writer gives exactly the tables the per-table SQL gives, in every file format."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

import adoptscore
from adoptscore.demo import write_usage


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "usage.parquet"
    write_usage(path, accounts=300, months=6)
    return path


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("rubric", ["gitlab", "gitlab-2022"])
def test_single_pass_equals_per_table_sql(demo, tmp_path, fmt, rubric):
    result = adoptscore.score(demo, rubric)
    written = result.write(tmp_path / "out", fmt)
    con = duckdb.connect()
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    for name, path in written.items():
        con.execute(f"CREATE TABLE got AS SELECT * FROM {reader}('{path}')")
        con.register("want_df", result.to_arrow(name))
        con.execute("CREATE TABLE want AS SELECT * FROM want_df")
        got_types = [r[1] for r in con.execute("DESCRIBE got").fetchall()]
        want_types = [r[1] for r in con.execute("DESCRIBE want").fetchall()]
        if fmt == "parquet":
            assert got_types == want_types, name
        # CSV carries no types: read it back as the expected types
        got_cols = ", ".join(f'CAST("{c}" AS {t})' for c, t in [r[:2] for r in con.execute("DESCRIBE want").fetchall()])
        want_cols = ", ".join(f'"{r[0]}"' for r in con.execute("DESCRIBE want").fetchall())
        for a, b in ((f"SELECT {got_cols} FROM got", f"SELECT {want_cols} FROM want"),
                     (f"SELECT {want_cols} FROM want", f"SELECT {got_cols} FROM got")):
            extra = con.execute(f"SELECT count(*) FROM ({a} EXCEPT ALL {b})").fetchall()
            assert extra[0][0] == 0, (name, a, b)
        assert con.execute("SELECT count(*) FROM got").fetchall() == con.execute("SELECT count(*) FROM want").fetchall()
        con.execute("DROP TABLE got; DROP TABLE want")
        con.unregister("want_df")


def test_write_of_nothing_in_scope_gives_empty_tables(tmp_path):
    from tests.conftest import frame, usage_row
    result = adoptscore.score(frame([usage_row(licensed_users=0)]), "gitlab")
    written = result.write(tmp_path / "out", "parquet")
    assert all(len(pd.read_parquet(p)) == 0 for p in written.values())
    assert list(pd.read_parquet(written["overall"]).columns)[:4] == ["rubric", "rubric_version", "account_id", "period"]
