"""``adoptscore validate``: where the rubric disagrees with the people who know the accounts."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from adoptscore.commands._common import _errors, claim_reports, _progress, emit, err
from adoptscore.errors import AdoptscoreError


def validate_command(
    data: str = typer.Argument(..., help="usage data (as for score): a file, a folder of Parquet, a .duckdb file "
                               "or an Ibis URL (with --table)"),
    labels: Path = typer.Option(..., "--labels", "-l", help="labels file (.csv, .tsv, .parquet, .json): "
                                "account_id, use_case (or 'overall'), expected_color (red/yellow/green), "
                                "optional period and note"),
    rubric: str = typer.Option("gitlab", "--rubric", "-r", help="bundled rubric name or YAML path"),
    period: Optional[str] = typer.Option(None, "--period", "-p", help="period for labels without one "
                                         "(default: each account's latest scored period)"),
    table: Optional[str] = typer.Option(None, "--table", help="table name in a database or URL"),
    long: bool = typer.Option(False, "--long", help="data is long: account, period, input name, value"),
    min_agreement: Optional[float] = typer.Option(None, "--min-agreement", help="exit 1 when the agreement over "
                                                  "all compared labels is below this share (0-1), e.g. 0.8"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the result as JSON ('-' prints it)"),
    html_out: Optional[Path] = typer.Option(None, "--html", help="write the report as an HTML page"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors and the verdict"),
) -> None:
    """Compare the rubric's colors with account owners' labels: agreement, kappa, every disagreement and why.

    Exit 0 when the agreement reaches --min-agreement (or none is given), 1 when it is below,
    2 for bad input. Keep it as a CI check on every rubric change.
    """
    from adoptscore.lifecycle.validate import validate

    with _errors():
        claim_reports(json_out, html_out)
        if min_agreement is not None and not 0.0 <= min_agreement <= 1.0:
            fix = f"write {min_agreement / 100:g} for {min_agreement:g}%" if 1 < min_agreement <= 100 else "e.g. 0.8"
            raise AdoptscoreError(f"--min-agreement {min_agreement:g} is not a share between 0 and 1", hint=fix)
        with _progress() as progress:
            progress.add_task("scoring the labelled accounts", total=None)
            result = validate(data, rubric, labels, period=period, table=table, layout="long" if long else None)
        emit(result, json_path=json_out, html_path=html_out, quiet=quiet)
    if min_agreement is not None and not result.passed(min_agreement):
        total = result.total
        shown = "n/a (no label has a score)" if total.rate is None else \
            f"{total.rate:.3f} ({total.agreeing} of {total.compared} labels)"
        err.print(f"agreement {shown} below --min-agreement {min_agreement:g}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
