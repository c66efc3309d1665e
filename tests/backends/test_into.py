"""Results kept in the warehouse (engine/into.py) on a real PostgreSQL server and a local Spark
session: the tables equal the DuckDB engine's, re-scoring a period replaces it, and on PostgreSQL
the bytes the client receives are measured through a relay to show no result row travels.
"""
from __future__ import annotations

from typing import Any

import ibis
import pandas as pd
import pyarrow as pa
import pytest

import adoptscore
from adoptscore.errors import AdoptscoreError
from adoptscore.demo import generate_usage
from adoptscore.engine.result import SORT_KEYS
from benchmarks.relay import Relay
from tests.backends.conftest import assert_same, load

TABLES = ("metrics", "use_cases", "overall")


@pytest.fixture(scope="module")
def demo() -> pa.Table:
    return generate_usage(accounts=200, months=6, seed=11)


@pytest.fixture(scope="module")
def expected(demo) -> dict[str, pd.DataFrame]:
    result = adoptscore.score(demo, "gitlab")
    return {t: result.table(t) for t in TABLES}


def read_back(backend: Any, schema: str, table: str) -> pd.DataFrame:
    frame = backend.table(f"adoptscore_{table}", database=schema).to_pyarrow().to_pandas()
    return frame.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)


def test_postgres_results_stay_on_the_server_and_equal_duckdb(postgres, postgres_url, demo, expected):
    load(postgres, "usage_into", demo)
    port = int(postgres_url.rsplit(":", 1)[1].split("/")[0])
    relay = Relay(port)
    try:
        through = ibis.connect(postgres_url.replace(f":{port}/", f":{relay.port}/"))
        summary = adoptscore.score_into(through.table("usage_into"), "gitlab", "into_test")
        scored_bytes = relay.to_client
        # the baseline, through the same relay: what fetching just the metrics table costs
        before = relay.to_client
        through.table("adoptscore_metrics", database="into_test").to_pyarrow()
        fetched_bytes = relay.to_client - before
        through.disconnect()
    finally:
        relay.close()
    print(f"\nclient received {scored_bytes:,} bytes scoring into PostgreSQL; "
          f"fetching the metrics table alone: {fetched_bytes:,} bytes")
    assert summary.rows["metrics"] == len(expected["metrics"]) > 10_000
    assert scored_bytes * 20 < fetched_bytes  # not one table's worth of rows came back: messages only
    for table in TABLES:
        assert_same(expected[table], read_back(postgres, "into_test", table), f"postgres {table}")


def test_postgres_rescoring_a_period_replaces_it_and_keeps_the_others(postgres, demo, expected):
    usage = load(postgres, "usage_into_periods", demo)
    periods = sorted(set(expected["overall"]["period"]))
    adoptscore.score_into(usage, "gitlab", "into_periods")
    again = adoptscore.score_into(usage, "gitlab", "into_periods", periods=[periods[-1]])
    assert again.periods == (periods[-1],)
    for table in TABLES:
        assert_same(expected[table], read_back(postgres, "into_periods", table), f"postgres {table} after a rerun")


def test_postgres_a_failing_run_changes_no_table(postgres, postgres_url, demo, expected):
    usage = load(postgres, "usage_into_fail", demo)
    adoptscore.score_into(usage, "gitlab", "into_fail")
    con = postgres.con
    with con.cursor() as cursor:  # the overall insert will break its constraint: the last statement fails
        cursor.execute('ALTER TABLE into_fail.adoptscore_overall ADD CONSTRAINT no_scores CHECK (score IS NULL) NOT VALID')
        cursor.execute('DELETE FROM into_fail.adoptscore_metrics WHERE period = %s', (expected["overall"]["period"].max(),))
    with pytest.raises(AdoptscoreError, match="no_scores.*nothing was changed"):
        adoptscore.score_into(usage, "gitlab", "into_fail")
    kept = read_back(postgres, "into_fail", "metrics")
    assert len(kept) < len(expected["metrics"])  # the deletion above stands: the failed run wrote nothing


def test_spark_results_are_spark_tables_equal_to_duckdb(spark, spark_ibis, demo, expected, tmp_path):
    spark.sql(f"CREATE SCHEMA IF NOT EXISTS into_spark LOCATION '{tmp_path / 'into_spark'}'")
    try:
        usage = load(spark_ibis, "usage_into_spark", demo)
        adoptscore.score_into(usage, "gitlab", "into_spark")
        periods = sorted(set(expected["overall"]["period"]))
        adoptscore.score_into(usage, "gitlab", "into_spark", periods=periods[-2:])
        assert not [t for t in spark.catalog.listTables("into_spark") if "__adoptscore" in t.name]
        for table in TABLES:
            got = spark.table(f"into_spark.adoptscore_{table}").toPandas()
            got = got.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)
            assert_same(expected[table], got.astype(expected[table].dtypes.to_dict(), errors="ignore"),
                        f"spark {table}")
    finally:
        spark.sql("DROP SCHEMA IF EXISTS into_spark CASCADE")


def test_spark_run_killed_between_the_renames_is_recovered(spark, spark_ibis, demo, expected, tmp_path):
    spark.sql(f"CREATE SCHEMA IF NOT EXISTS into_kill LOCATION '{tmp_path / 'into_kill'}'")
    try:
        usage = load(spark_ibis, "usage_into_kill", demo)
        adoptscore.score_into(usage, "gitlab", "into_kill")
        # as a run killed after renaming the old table away and before renaming the new one in
        spark.sql("ALTER TABLE into_kill.adoptscore_overall RENAME TO into_kill.adoptscore_overall__adoptscore_old")
        spark.sql("CREATE TABLE into_kill.adoptscore_overall__adoptscore_build AS "
                  "SELECT * FROM into_kill.adoptscore_overall__adoptscore_old WHERE 1 = 0")
        adoptscore.score_into(usage, "gitlab", "into_kill")
        got = spark.table("into_kill.adoptscore_overall").toPandas()
        assert len(got) == len(expected["overall"])
        assert not [t for t in spark.catalog.listTables("into_kill") if "__adoptscore" in t.name]
    finally:
        spark.sql("DROP SCHEMA IF EXISTS into_kill CASCADE")



def test_postgres_score_into_from_the_command_line(postgres, postgres_url, demo, expected):
    # as a user runs it: the data's URL and table, a schema on the same server
    from tests.e2e.test_cli_errors import run

    load(postgres, "usage_into_cli", demo)
    done = run("score", postgres_url, "--table", "usage_into_cli", "--into", "into_cli")
    assert done.returncode == 0, done.stderr
    assert '"into_cli"."adoptscore_metrics"' in done.stdout and f"{len(expected['metrics']):,} rows" in done.stdout
    for table in TABLES:
        assert_same(expected[table], read_back(postgres, "into_cli", table), f"postgres {table} via the CLI")
    elsewhere = run("score", postgres_url, "--table", "usage_into_cli", "--into", "postgres://other@127.0.0.1:1/x")
    assert elsewhere.returncode == 2 and "never moved between systems" in elsewhere.stderr
