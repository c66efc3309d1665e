"""Hand-written baselines for the `gitlab` rubric (version 2025.1).

Each module exposes ``run(input_parquet: str, out_dir: str) -> None`` and writes
``metrics.parquet``, ``use_cases.parquet`` and ``overall.parquet`` into ``out_dir``,
exactly as docs/scoring-semantics.md specifies. The thresholds are hard-coded on purpose:
a baseline is what a competent engineer would write by hand for one engine, without
the rubric machinery. Each module is self-contained (no imports between them).
"""

BASELINES = {
    "duckdb_sql": "gitlab_duckdb",
    "polars_lazy": "gitlab_polars",
    "pandas": "gitlab_pandas",
}
