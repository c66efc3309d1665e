"""``adoptscore metrics evaluate``: which counters, over which denominators, measure adoption."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from adoptscore.commands._common import _errors, _progress, claim_reports, emit

metrics_app = typer.Typer(no_args_is_help=True, help="Metric discovery: evaluate every counter of the usage data "
                          "as a candidate metric and draft 3-7 metrics per use case.")


@metrics_app.command("evaluate")
def evaluate(
    data: str = typer.Argument(..., help="usage data (as for score): a file, a folder of Parquet, a .duckdb file "
                               "or an Ibis URL (with --table)"),
    rubric: str = typer.Option("gitlab", "--rubric", "-r", help="rubric whose use cases, denominators, account and "
                               "period columns to use (bundled name or YAML path)"),
    cohort: Optional[Path] = typer.Option(None, "--cohort", help="file of healthy account ids (account_id column)"),
    outcomes: Optional[Path] = typer.Option(None, "--outcomes", help="outcomes file (account_id, date, outcome), "
                                            "as for backtest"),
    denominator: Optional[list[str]] = typer.Option(None, "--denominator", "-d", help="candidate denominator "
                                                    "column (repeatable; default: those the rubric's metrics use)"),
    exclude: Optional[list[str]] = typer.Option(None, "--exclude", help="numeric column that is no counter (repeatable)"),
    period: Optional[str] = typer.Option(None, "--period", "-p", help="period to measure in (default: the latest)"),
    draft: Optional[Path] = typer.Option(None, "--draft", help="write the proposed metrics as a rubric draft (YAML)"),
    table: Optional[str] = typer.Option(None, "--table", help="table name in a database or URL"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the result as JSON ('-' prints it)"),
    html_out: Optional[Path] = typer.Option(None, "--html", help="write the report as an HTML page with plots"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Rank every numeric column, raw and over each denominator: availability, spread, separation of the
    healthy cohort, association with outcomes (AUC with 95% intervals), redundancy; propose 3-7 per use case."""
    from adoptscore.discovery.draft import draft_yaml
    from adoptscore.discovery.evaluate import evaluate_metrics
    from adoptscore.files import check_kind, claim_output

    with _errors():
        claim_reports(json_out, html_out)
        if draft is not None:
            claim_output(draft, "--draft")
            check_kind(draft, "--draft", (".yaml", ".yml"), "a YAML rubric")
        with _progress() as progress:
            progress.add_task("evaluating the candidate metrics", total=None)
            result = evaluate_metrics(data, rubric=rubric, cohort=cohort, outcomes=outcomes, denominators=denominator,
                                      period=period, table=table, exclude=exclude or ())
        also = (draft, draft_yaml(result), "--draft") if draft is not None else None
        emit(result, json_path=json_out, html_path=html_out, quiet=quiet, also=also)
