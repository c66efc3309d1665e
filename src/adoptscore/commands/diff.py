"""``adoptscore diff``: two rubric versions on the same data -- who changes color, and why."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from adoptscore.commands._common import _errors, claim_reports, _progress, emit


def diff_command(
    data: str = typer.Argument(..., help="usage data (a file, a folder of Parquet, a .duckdb file with --table)"),
    old: str = typer.Option(..., "--old", help="the old rubric: bundled name (e.g. gitlab-2022) or YAML path"),
    new: str = typer.Option(..., "--new", help="the new rubric: bundled name (e.g. gitlab) or YAML path"),
    period: Optional[str] = typer.Option(None, "--period", "-p",
                                         help="period to compare (default: the latest in the data; 'all' for every period)"),
    table: Optional[str] = typer.Option(None, "--table", help="table name in a database or URL"),
    long: bool = typer.Option(False, "--long", help="data is long: account, period, input name, value"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the result as JSON ('-' for stdout)"),
    html_out: Optional[Path] = typer.Option(None, "--html", help="write an HTML report"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Score the data with two rubric versions: transitions per use case, movers and what moved them."""
    from adoptscore.lifecycle.diff import diff

    with _errors():
        claim_reports(json_out, html_out)
        with _progress() as progress:
            progress.add_task(f"scoring with {old} and {new}", total=None)
            result = diff(data, old, new, period=period, table=table, layout="long" if long else None)
        emit(result, json_path=json_out, html_path=html_out, quiet=quiet)
