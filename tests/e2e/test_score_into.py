"""``adoptscore score --into`` run as a user runs it: the result tables are made inside a DuckDB
database and equal what ``score --out`` writes; re-scoring a period replaces it; contradicting or
vanishing targets are one error line and leave nothing behind."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from adoptscore.demo import generate_usage
from adoptscore.engine.result import SORT_KEYS, TABLES
from tests.backends.conftest import assert_same
from tests.e2e.test_cli_errors import run



@pytest.fixture(scope="module")
def usage(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("into") / "usage.parquet"
    generate_usage(accounts=120, months=4, seed=5).to_pandas().to_parquet(path)
    return path


@pytest.fixture(scope="module")
def files(usage, tmp_path_factory) -> dict[str, pd.DataFrame]:
    out = tmp_path_factory.mktemp("files")
    done = run("score", str(usage), "--out", str(out), "--format", "parquet", "-q")
    assert done.returncode == 0, done.stderr
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in TABLES}


def held(database: Path, table: str, prefix: str = "adoptscore_") -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"SELECT * FROM {prefix}{table}").df()


def same(expected: pd.DataFrame, got: pd.DataFrame, table: str) -> None:
    expected = expected.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)
    got = got.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)
    assert_same(expected, got, table)


def test_into_a_duckdb_file_equals_the_files(usage, files, tmp_path):
    target = tmp_path / "results.duckdb"
    done = run("score", str(usage), "--into", str(target))
    assert done.returncode == 0, done.stderr
    assert "4 period(s) replaced" in done.stdout and "adoptscore_metrics" in done.stdout
    for table in TABLES:
        same(files[table], held(target, table), table)


def test_rescoring_one_period_replaces_it_and_keeps_the_rest(usage, files, tmp_path):
    target = tmp_path / "results.duckdb"
    assert run("score", str(usage), "--into", str(target), "-q").returncode == 0
    periods = sorted(files["overall"]["period"].unique())
    done = run("score", str(usage), "--into", str(target), "--period", periods[-1])
    assert done.returncode == 0, done.stderr
    assert "1 period(s) replaced" in done.stdout
    for table in TABLES:
        same(files[table], held(target, table), table)  # no row lost, none doubled


def test_prefix_names_the_tables(usage, files, tmp_path):
    target = tmp_path / "results.duckdb"
    assert run("score", str(usage), "--into", str(target), "--into-prefix", "score_", "-q").returncode == 0
    same(files["overall"], held(target, "overall", prefix="score_"), "overall")


@pytest.mark.parametrize("extra, says", [
    (["--store", "s.duckdb"], "--store would bring them here"),
    (["--out", "outdir"], "--out would bring them here"),
])
def test_into_with_a_local_output_is_refused(usage, tmp_path, extra, says):
    done = run("score", str(usage), "--into", str(tmp_path / "r.duckdb"), *extra, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert says in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_schema_on_a_file_read_in_memory_is_refused(usage, tmp_path):
    # a Parquet file is read on an in-memory database: a schema there would vanish after a
    # "success"; the user is told to name a database file instead
    done = run("score", str(usage), "--into", "analytics", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "database in memory" in done.stderr and "--into results.duckdb" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_data_file_is_never_the_target(tmp_path, usage):
    data = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(data)) as con:
        con.execute(f"CREATE TABLE usage AS SELECT * FROM read_parquet('{usage}')")
    before = data.read_bytes()
    done = run("score", str(data), "--table", "usage", "--into", str(data))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert data.read_bytes() == before


def test_a_schema_in_the_data_s_own_database_by_url(tmp_path, usage, files):
    data = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(data)) as con:
        con.execute(f"CREATE TABLE usage AS SELECT * FROM read_parquet('{usage}')")
    done = run("score", f"duckdb://{data}", "--table", "usage", "--into", "analytics")
    assert done.returncode == 0, done.stderr
    assert '"analytics"."adoptscore_overall"' in done.stdout
    with duckdb.connect(str(data), read_only=True) as con:
        got = con.execute("SELECT * FROM analytics.adoptscore_overall").df()
    same(files["overall"], got, "overall")
