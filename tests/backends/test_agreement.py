"""The same rubric on DuckDB, PostgreSQL and Spark gives the same results on the same data.

Each backend scores the data once per module; every result table is compared with DuckDB's cell
by cell (text exactly, doubles within 1e-9). The data is messy on purpose: the demo generator's
nulls, negative failure codes, zero denominators, young accounts and non-Ultimate tiers, and the
Innovation Graph's suppressed economy-quarters in long layout.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from typer.testing import CliRunner

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.engine.backends import adapter_for
from adoptscore.engine.result import SORT_KEYS
from adoptscore.engine.sql import compile_sql
from tests.backends.conftest import assert_same, load

TABLES = ("metrics", "use_cases", "overall")
BUNDLED = Path(adoptscore.__file__).parent / "rubrics" / "data" / "innovationgraph-long.csv"


@pytest.fixture(scope="module")
def demo() -> pa.Table:
    return generate_usage(accounts=300, months=8, seed=7)


@pytest.fixture(scope="module")
def innovation() -> pa.Table:
    return pacsv.read_csv(BUNDLED, convert_options=pacsv.ConvertOptions(
        column_types={"economy": pa.string(), "period": pa.string(), "metric": pa.string(), "value": pa.int64()}))


@pytest.fixture(scope="module")
def expected(demo, innovation) -> dict[str, dict[str, pd.DataFrame]]:
    """DuckDB's results (the default backend)."""
    gitlab = adoptscore.score(demo, "gitlab")
    ig = adoptscore.score(innovation, "innovation-graph")
    return {"gitlab": {t: gitlab.table(t) for t in TABLES}, "innovation-graph": {t: ig.table(t) for t in TABLES}}


@pytest.fixture(scope="module", params=["postgres", "spark"])
def backend(request):
    return request.getfixturevalue("postgres" if request.param == "postgres" else "spark_ibis")


@pytest.fixture(scope="module")
def scored(backend, demo, innovation):
    usage = load(backend, "usage_agreement", demo)
    long = load(backend, "innovation_long", innovation)
    return {"gitlab": adoptscore.score(usage, "gitlab"), "innovation-graph": adoptscore.score(long, "innovation-graph")}


def test_the_data_exercises_every_outcome(expected):
    """Agreement means little on easy data: every color, status and several reasons occur."""
    metrics = expected["gitlab"]["metrics"]
    assert set(metrics["color"].dropna()) == {"red", "yellow", "green"}
    assert set(metrics["status"]) == {"scored", "no_data", "not_applicable"}
    reasons = set(metrics["reason"].dropna())
    assert any("denominator is zero" in r for r in reasons) or any("missing" in r for r in reasons)
    assert (metrics["denominator"] == 0).any()
    ig = expected["innovation-graph"]["overall"]
    assert set(ig["color"].dropna()) == {"red", "yellow", "green"}


@pytest.mark.parametrize("rubric", ["gitlab", "innovation-graph"])
@pytest.mark.parametrize("table", TABLES)
def test_results_agree(scored, expected, backend, rubric, table):
    assert_same(expected[rubric][table], scored[rubric].table(table), f"{backend.name} {rubric} {table}")


def test_written_files_agree(scored, expected, backend, tmp_path):
    """The one-pass writer (wide result streamed out of the backend) gives the same tables."""
    written = scored["gitlab"].write(tmp_path, "parquet")
    for table in TABLES:
        got = pd.read_parquet(written[table]).sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)
        assert_same(expected["gitlab"][table], got, f"{backend.name} written {table}")


def test_a_frame_scored_on_a_postgres_connection(postgres, demo, expected):
    """A data frame given with connection= goes into a temporary table on that server (by the
    adapter's own DDL, not Ibis's create_table), beside a permanent table of the same name, which
    is left as it was."""
    adapter = adapter_for(postgres)
    adapter.execute('DROP TABLE IF EXISTS public."usage"')
    adapter.execute('CREATE TABLE public."usage" (kept integer)')
    adapter.execute('INSERT INTO public."usage" VALUES (1)')
    try:
        result = adoptscore.score(demo, "gitlab", connection=postgres)
        for table in TABLES:
            assert_same(expected["gitlab"][table], result.table(table), f"frame on postgres {table}")
        assert adapter.to_arrow('SELECT * FROM public."usage"').to_pylist() == [{"kept": 1}]
    finally:
        adapter.execute('DROP TABLE IF EXISTS pg_temp."usage"')
        adapter.execute('DROP TABLE IF EXISTS public."usage"')


def _sorted(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    return frame.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("rubric, name", [("gitlab", "usage_agreement"), ("innovation-graph", "innovation_long")])
def test_adoptscore_sql_runs_on_postgres(postgres, postgres_url, scored, expected, backend, rubric, name):
    """What warehouse users do: `adoptscore sql --dialect postgres`, run by the server itself."""
    if backend.name != "postgres":
        pytest.skip("PostgreSQL only")
    with psycopg.connect(postgres_url.replace("postgres://", "postgresql://", 1)) as con:
        for table in TABLES:
            cursor = con.execute(compile_sql(adoptscore.load_rubric(rubric), "postgres", table=name, output=table))
            got = pd.DataFrame(cursor.fetchall(), columns=[c.name for c in cursor.description])
            expect = expected[rubric][table]
            for column in expect.columns:
                if pd.api.types.is_float_dtype(expect[column]):
                    got[column] = pd.to_numeric(got[column]).astype(float)
            assert_same(expect, _sorted(got, table), f"psql {rubric} {table}")


@pytest.mark.parametrize("rubric, name, table", [("gitlab", "usage_agreement", "overall"),
                                                 ("innovation-graph", "innovation_long", "metrics")])
def test_spark_sql_runs_with_ansi_mode(spark, scored, expected, backend, rubric, name, table):
    """`adoptscore sql --dialect spark` run by spark.sql with spark.sql.ansi.enabled=true (the
    session every Spark test here runs in: a division left to Spark would raise)."""
    if backend.name != "pyspark":
        pytest.skip("Spark only")
    assert spark.conf.get("spark.sql.ansi.enabled") == "true"
    got = spark.sql(compile_sql(adoptscore.load_rubric(rubric), "spark", table=name, output=table)).toArrow()
    assert_same(expected[rubric][table], _sorted(got.to_pandas(), table), f"spark sql {rubric} {table}")


def test_cli_scores_a_postgres_table(postgres_url, scored, expected, backend, tmp_path):
    """`adoptscore score postgres://... --table usage --out DIR` writes the same tables as DuckDB."""
    if backend.name != "postgres":
        pytest.skip("PostgreSQL only")
    from adoptscore.cli import app

    run = CliRunner().invoke(app, ["score", postgres_url, "--table", "usage_agreement", "--out", str(tmp_path),
                                   "--format", "csv", "--quiet"])
    assert run.exit_code == 0, run.output
    for table in TABLES:
        got = _sorted(pd.read_csv(tmp_path / f"{table}.csv", dtype={"account_id": str, "period": str,
                                                                    "rubric_version": str}), table)
        expect = expected["gitlab"][table]
        for column in expect.columns:
            if not pd.api.types.is_float_dtype(expect[column]) and column in got:
                got[column] = got[column].astype(object).where(got[column].notna(), None)
        assert_same(expect, got, f"cli {table}")


def test_unknown_table_is_one_clear_error(postgres_url):
    from adoptscore.errors import DataError

    with pytest.raises(DataError, match="cannot read table 'no_such_table'"):
        adoptscore.score(postgres_url, "gitlab", table="no_such_table")
