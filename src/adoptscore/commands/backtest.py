"""``adoptscore backtest``: did the accounts a rubric colored Red churn more than the Green ones?"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from adoptscore.commands._common import _errors, claim_reports, _progress, emit


def backtest_command(
    data: str = typer.Argument(..., help="usage data with monthly periods (YYYY-MM)"),
    outcomes: Path = typer.Option(..., "--outcomes", help="outcomes file (.csv, .tsv, .parquet, .json): account_id, "
                                  "date (YYYY-MM-DD or YYYY-MM), outcome (churned, contracted, renewed, expanded), "
                                  "optional arr"),
    rubric: Optional[list[str]] = typer.Option(None, "--rubric", "-r",
                                               help="bundled rubric name or YAML path; repeat to compare versions "
                                               "(default: gitlab)"),
    months_before: int = typer.Option(3, "--months-before", min=0,
                                      help="compare the colors this many months before each outcome"),
    use_case: str = typer.Option("overall", "--use-case", "-u", help="overall, a use case id, or all"),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=0, help="resamples of the outcomes for 95% intervals "
                                  "of AUC and lift, and whether two versions differ (0: none)"),
    table: Optional[str] = typer.Option(None, "--table", help="table name in a database or URL"),
    long: bool = typer.Option(False, "--long", help="data is long: account, period, input name, value"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the result as JSON ('-' for stdout)"),
    html_out: Optional[Path] = typer.Option(None, "--html", help="write an HTML report"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Churn and contraction rate per color N months before, lift, AUC and ROC per rubric version."""
    from adoptscore.lifecycle.backtest import backtest

    rubrics = list(rubric) if rubric else ["gitlab"]
    with _errors():
        claim_reports(json_out, html_out)
        with _progress() as progress:
            progress.add_task(f"backtesting {', '.join(rubrics)}", total=None)
            result = backtest(data, rubrics, outcomes, months_before=months_before, use_case=use_case, table=table,
                              layout="long" if long else None, bootstrap=bootstrap)
        emit(result, json_path=json_out, html_path=html_out, quiet=quiet)
