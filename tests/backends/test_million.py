"""The must-reach: DuckDB, PostgreSQL and Spark agree exactly on 1 million account-months.

Slow (several minutes on 2 cores: loading a million rows into PostgreSQL, Spark local scoring
them), so marked ``slow``; ``benchmarks/bench_postgres.py --agree-rows 1000000`` runs the same
check and reports it. Also: the hand-written PostgreSQL baseline agrees with the engine's SQL.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_postgres.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_postgres", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_three_backends_agree_on_a_million_account_months(postgres_url, spark, tmp_path):
    report = _bench().agreement(postgres_url, 1_000_000, tmp_path, session=spark)
    assert report["result_rows"]["overall"] > 900_000  # scope drops rows without licensed users
    assert not any(report["differences"].values()), report["differences"]


def test_postgres_baseline_matches_the_engine(postgres_url):
    """The benchmark's hand-written baseline computes the same tables as the engine (else its
    timing compares different work)."""
    bench = _bench()
    usage = bench.load_postgres(postgres_url, 20_000)
    with bench._pg(postgres_url) as con:
        bench.run_variant(con, bench.engine_statements(usage, "t_engine_"), "t_engine_")
        bench.run_variant(con, bench.baseline_statements(usage, "t_base_"), "t_base_")
        assert bench.compare_in_postgres(con, "t_engine_", "t_base_") == {"metrics": 0, "use_cases": 0, "overall": 0}
        assert con.execute("SELECT count(DISTINCT color) FROM t_base_metrics").fetchone()[0] == 3
