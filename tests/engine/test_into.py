"""Results kept in a DuckDB database (engine/into.py, api.score_into): equal to the scored tables,
a rerun replaces only its periods, a failing run changes nothing, a table of other columns is
refused before anything is written, and an input is never the target."""
from __future__ import annotations

import duckdb
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.engine.into import Into
from adoptscore.engine.result import SORT_KEYS
from adoptscore.errors import AdoptscoreError

TABLES = ("metrics", "use_cases", "overall")


@pytest.fixture(scope="module")
def usage(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("into") / "usage.parquet"
    import pyarrow.parquet as pq

    pq.write_table(generate_usage(accounts=120, months=4, seed=3), path)
    return str(path)


@pytest.fixture(scope="module")
def expected(usage):
    result = adoptscore.score(usage, "gitlab")
    return {t: result.table(t) for t in TABLES}


def stored(path, table: str, prefix: str = "adoptscore_"):
    with duckdb.connect(str(path), read_only=True) as con:
        frame = con.sql(f"SELECT * FROM {prefix}{table}").df()
    return frame.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)


def test_the_tables_equal_the_scores_and_a_rerun_replaces_only_its_periods(usage, expected, tmp_path):
    target = tmp_path / "results.duckdb"
    first = adoptscore.score_into(usage, "gitlab", str(target))
    periods = sorted(set(expected["overall"]["period"]))
    assert first.periods == tuple(periods) and first.rows["overall"] == len(expected["overall"])
    again = adoptscore.score_into(usage, "gitlab", str(target), periods=[periods[0]])
    assert again.periods == (periods[0],) and again.rows["overall"] == (expected["overall"]["period"] == periods[0]).sum()
    for table in TABLES:
        got = stored(target, table)
        assert len(got) == len(expected[table]), table  # nothing lost, nothing doubled
        pd_equal(got, expected[table], table)


def pd_equal(got, want, what):
    import pandas.testing as pdt

    pdt.assert_frame_equal(got.astype(object).where(got.notna(), None), want.astype(object).where(want.notna(), None),
                           check_dtype=False, obj=what)


def test_other_rubric_versions_stay(usage, tmp_path):
    target = tmp_path / "results.duckdb"
    adoptscore.score_into(usage, "gitlab-2022", str(target))
    adoptscore.score_into(usage, "gitlab", str(target), prefix="adoptscore_")
    with duckdb.connect(str(target), read_only=True) as con:
        versions = con.sql("SELECT DISTINCT rubric, rubric_version FROM adoptscore_use_cases").fetchall()
    assert len(versions) == 2


def test_a_failing_run_changes_no_table(usage, expected, tmp_path):
    target = tmp_path / "results.duckdb"
    adoptscore.score_into(usage, "gitlab", str(target))
    last = max(expected["overall"]["period"])
    with duckdb.connect(str(target)) as con:
        con.execute("DELETE FROM adoptscore_metrics WHERE period = ?", [last])
        # one overall row left, under a key the run's rows break: its last statement fails
        con.execute("DELETE FROM adoptscore_overall WHERE rowid > (SELECT min(rowid) FROM adoptscore_overall)")
        con.execute("CREATE UNIQUE INDEX one_per_rubric ON adoptscore_overall (rubric, rubric_version)")
    with pytest.raises(AdoptscoreError, match="nothing was changed"):
        adoptscore.score_into(usage, "gitlab", str(target))
    assert len(stored(target, "metrics")) < len(expected["metrics"])  # the metrics insert was rolled back
    assert len(stored(target, "overall")) == 1


def test_a_table_of_other_columns_is_refused_before_anything_is_written(usage, tmp_path):
    target = tmp_path / "results.duckdb"
    with duckdb.connect(str(target)) as con:
        con.execute("CREATE TABLE adoptscore_overall (account_id TEXT, note TEXT)")
    with pytest.raises(AdoptscoreError, match="holds other columns than the overall results.*note"):
        adoptscore.score_into(usage, "gitlab", str(target))
    with duckdb.connect(str(target), read_only=True) as con:
        assert [r[0] for r in con.sql("SHOW TABLES").fetchall()] == ["adoptscore_overall"]


def test_the_input_is_never_the_target(usage, tmp_path):
    data = tmp_path / "usage.duckdb"
    with duckdb.connect(str(data)) as con:
        con.execute(f"CREATE TABLE usage AS SELECT * FROM read_parquet('{usage}')")
    with pytest.raises(AdoptscoreError, match="--into"):
        adoptscore.score_into(str(data), "gitlab", str(data), table="usage")


def test_another_connection_is_refused(usage):
    with pytest.raises(AdoptscoreError, match="another connection"):
        adoptscore.score_into(usage, "gitlab", "postgres://elsewhere/db")


@pytest.mark.parametrize("schema", ["bad name", "x;drop", "1abc"])
def test_names_are_plain_sql_names(schema):
    with pytest.raises(AdoptscoreError, match="not a plain SQL name"):
        Into(schema)


def test_a_schema_on_the_data_s_own_database(usage, expected, tmp_path):
    data = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(data)) as con:
        con.execute(f"CREATE TABLE usage AS SELECT * FROM read_parquet('{usage}')")
    adoptscore.score_into(f"duckdb://{data}", "gitlab", "analytics", table="usage")
    with duckdb.connect(str(data), read_only=True) as con:
        n = con.execute("SELECT COUNT(*) FROM analytics.adoptscore_metrics").fetchall()[0][0]
    assert n == len(expected["metrics"])



@pytest.mark.parametrize("into", ["analytics", "adoptscore_into"])
def test_a_schema_on_a_database_in_memory_is_refused(usage, into):
    # a Parquet file is read on an in-memory DuckDB: tables made there would vanish after the run
    with pytest.raises(AdoptscoreError, match="database in memory"):
        adoptscore.score_into(usage, "gitlab", into)


def test_the_plan_runs_once_and_leaves_no_working_table(usage, expected, tmp_path):
    """The wide result is kept once in a temporary table and the three tables are cut from it: no
    statement that writes a result table reads the usage data, and the working table is dropped."""
    from adoptscore.engine.backends import DuckDBAdapter

    statements: list[str] = []
    real = DuckDBAdapter.execute

    def recording(self, sql):
        statements.append(sql)
        return real(self, sql)

    DuckDBAdapter.execute = recording
    try:
        adoptscore.score_into(usage, "gitlab", str(tmp_path / "r.duckdb"))
    finally:
        DuckDBAdapter.execute = real
    writes = [s for s in statements if s.startswith(("INSERT", "CREATE TABLE"))]
    assert len(writes) == 6
    # the full plan starts from the data, named "source"; a cut reads only the kept wide table
    assert not [s for s in writes if '"source"' in s], "a result table was computed from the data again"
    assert all("adoptscore_wide_" in s for s in writes)
    import gc

    gc.collect()
    with duckdb.connect(str(tmp_path / "r.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'adoptscore_wide_%'"
                           ).fetchone()[0] == 0
    for table in TABLES:
        pd_equal(stored(tmp_path / "r.duckdb", table), expected[table], table)
