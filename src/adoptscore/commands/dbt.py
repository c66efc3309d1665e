"""``adoptscore dbt``: write a rubric's scoring SQL as dbt models with a schema.yml of tests."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from adoptscore.commands._common import _errors, out


def dbt_command(
    project: Path = typer.Option(Path("."), "--project", help="the dbt project (the folder holding dbt_project.yml)"),
    rubric: str = typer.Option("gitlab", "--rubric", "-r", help="bundled rubric name or YAML path"),
    dialect: str = typer.Option("duckdb", "--dialect", "-d",
                                help="the dbt adapter's SQL: duckdb, postgres, spark, databricks, snowflake, bigquery"),
    source: Optional[str] = typer.Option(None, "--source", help="usage data as a dbt source: SOURCE.TABLE (e.g. product.usage)"),
    ref: Optional[str] = typer.Option(None, "--ref", help="usage data as a dbt model: MODEL"),
    relation: Optional[str] = typer.Option(None, "--relation", help="usage data as any relation SQL, used as written"),
    prefix: str = typer.Option("adoptscore_", "--prefix", help="model name prefix (models PREFIXmetrics, ...)"),
    folder: str = typer.Option("adoptscore", "--folder", help="folder under models/ for the models and schema.yml"),
    materialized: str = typer.Option("table", "--materialized", help="table, view or ephemeral"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Write dbt models (metrics, use_cases, overall) and their schema.yml tests into a dbt project."""
    from adoptscore import api
    from adoptscore.dbt import build_models, relation_for, write_models

    with _errors():
        loaded = api.load_rubric(rubric)
        models = build_models(loaded, dialect, relation_for(source, ref, relation), prefix=prefix, folder=folder,
                              materialized=materialized)
        written = write_models(models, project)
    if quiet:
        return
    out.print(f"wrote dbt models of {escape(loaded.name)} {escape(str(loaded.version))} ({dialect}):")
    for path in written:
        out.print(f"  {escape(str(path))}")
    out.print(f"run them with: dbt build --select {escape(folder)}")
