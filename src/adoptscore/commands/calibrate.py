"""``adoptscore calibrate``: propose thresholds, show the evidence, write a new rubric version."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from adoptscore.commands._common import _errors, claim_reports, _progress, emit, err, out
from adoptscore.errors import AdoptscoreError


def calibrate_command(
    data: str = typer.Argument(..., help="usage data (a file, a folder of Parquet, a .duckdb file with --table)"),
    rubric: str = typer.Option("gitlab", "--rubric", "-r", help="bundled rubric name or YAML path"),
    strategy: str = typer.Option("quartiles", "--strategy", "-s",
                                 help="quartiles | healthy (needs a cohort) | mix (needs --mix)"),
    mix: Optional[str] = typer.Option(None, "--mix", help="target color mix red,yellow,green, e.g. 25,50,25"),
    cohort: Optional[Path] = typer.Option(None, "--cohort", help="file of healthy account ids (account_id column)"),
    cohort_filter: Optional[str] = typer.Option(None, "--cohort-filter",
                                                help="healthy accounts as a condition, e.g. \"segment == 'SMB'\""),
    window: int = typer.Option(6, "--window", "-w", min=1, help="use the latest N periods of the data"),
    period: Optional[list[str]] = typer.Option(None, "--period", "-p", help="use these periods instead of --window"),
    by: Optional[str] = typer.Option(None, "--by", help="also report quantiles per value of this column"),
    metric: Optional[list[str]] = typer.Option(None, "--metric", "-m",
                                               help="calibrate only these (use_case.metric or use_case)"),
    precision: int = typer.Option(3, "--precision", help="significant digits of the proposed cuts"),
    version: Optional[str] = typer.Option(None, "--version", help="version of the new rubric (default: bumped)"),
    write: Optional[Path] = typer.Option(None, "--write", help="where to write the new rubric "
                                         "(default: NAME-VERSION.yaml in the current folder)"),
    no_write: bool = typer.Option(False, "--no-write", help="only report; write no rubric"),
    force: bool = typer.Option(False, "--force", help="replace an existing --write file (never the input rubric)"),
    no_preview: bool = typer.Option(False, "--no-preview", help="skip scoring both versions for use-case colors"),
    table: Optional[str] = typer.Option(None, "--table", help="table name in a database or URL"),
    long: bool = typer.Option(False, "--long", help="data is long: account, period, input name, value"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the result as JSON ('-' for stdout)"),
    html_out: Optional[Path] = typer.Option(None, "--html", help="write an HTML report with plots"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Propose thresholds from quantiles (and a healthy cohort), preview the colors, write a new version."""
    from adoptscore.lifecycle.calibrate import calibrate, parse_mix
    from adoptscore.files import claim_output
    from adoptscore.lifecycle.rubric_file import check_target, checked_yaml

    with _errors():
        if write is not None and no_write:
            raise AdoptscoreError("--write and --no-write contradict each other",
                                  hint="drop --no-write to write the rubric, or drop --write to only report")
        claim_reports(json_out, html_out)
        if write is not None and not no_write:
            claim_output(write, "--write")
        shares = parse_mix(mix) if mix is not None else None
        if shares is not None and strategy == "quartiles":
            strategy = "mix"
        with _progress() as progress:
            task = progress.add_task("calibrating", total=4)

            def step(description: str) -> None:
                progress.update(task, description=description, advance=1)

            result = calibrate(data, rubric, strategy=strategy, mix=shares, cohort=cohort, cohort_filter=cohort_filter,
                               window=window, periods=period or None, by=by, metrics=metric or None,
                               precision=precision, version=version, table=table, layout="long" if long else None,
                               preview=not no_preview, on_step=step)
        target = yaml_text = None
        if not no_write:
            target = write or Path(f"{result.proposed.name}-{result.proposed.version}.yaml")
            check_target(result, target, force=force)
            yaml_text = checked_yaml(result, target)
        emit(result, json_path=json_out, html_path=html_out, quiet=quiet,
             also=(target, yaml_text, "--write") if target is not None else None)
        if target is not None:
            if not quiet:
                err.print(f"calibrated rubric {escape(result.proposed.name)} {escape(str(result.proposed.version))} "
                          f"written to {escape(str(target))}")
                err.print(f"next: adoptscore lint {escape(str(target))}; adoptscore diff {escape(data)} "
                          f"--old {escape(rubric)} --new {escape(str(target))}", soft_wrap=True)
        elif not quiet and json_out is None:
            out.print("no rubric written (--no-write)")
