"""The adoptscore command line: each command is a thin wrapper over the public API."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from adoptscore.commands._common import _colored, _errors, _fmt, _progress, out
from adoptscore.commands.usage import OneLineUsageGroup

app = typer.Typer(cls=OneLineUsageGroup, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  help="Use-case adoption scoring: rubrics as versioned data, scored where the data lives.")


@app.callback()
def _session() -> None:
    """Use-case adoption scoring: rubrics as versioned data, scored where the data lives."""
    from adoptscore.files import start_session

    # every command run gets its own record of what it reads, so none of its outputs can be an input
    start_session()


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    parquet = "parquet"
    json = "json"


class Dialect(str, Enum):
    duckdb = "duckdb"
    postgres = "postgres"
    spark = "spark"
    snowflake = "snowflake"
    bigquery = "bigquery"
    databricks = "databricks"


def _print_summary(result: Any) -> None:
    summary = result.summary()
    if summary.empty:
        out.print("no rows were scored")
        return
    period = summary["period"].iloc[0]
    table = Table(title=escape(f"{result.rubric.name} {result.rubric.version}: accounts per color, period {period}"))
    for column in ("use case", "green", "yellow", "red", "no data", "n/a"):
        table.add_column(column, justify="left" if column == "use case" else "right")
    titles = {u.id: u.title for u in result.rubric.use_cases}
    titles["overall"] = result.rubric.overall.title
    for row in summary.itertuples():
        table.add_row(escape(titles.get(row.use_case, row.use_case)), f"[green]{row.green}[/]", f"[yellow]{row.yellow}[/]",
                      f"[red]{row.red}[/]", str(row.no_data), str(row.not_applicable))
    out.print(table)
    overall = result.overall
    latest = overall[overall["period"] == period]
    counts = latest["adopted_use_cases"].clip(upper=3).value_counts().sort_index()
    spread = ", ".join(f"{'3+' if k == 3 else k}: {v}" for k, v in counts.items())
    out.print(f"adopted use cases (Green) per account in {period}: {spread}", soft_wrap=True)


class Source(str, Enum):
    usage = "usage"
    service_ping = "service-ping"


@app.command()
def score(
    data: list[str] = typer.Argument(..., help="usage data: .csv, .parquet, .json, a folder of Parquet, a .duckdb "
                                     "file (with --table) or an Ibis connection URL (with --table); with --from "
                                     "service-ping: payload files or folders, as many as you like"),
    source: Source = typer.Option(Source.usage, "--from", help="usage: a usage table in the rubric's input "
                                  "columns; service-ping: GitLab Service Ping payloads, read as "
                                  "'adoptscore ingest service-ping' reads them"),
    mapping: Optional[Path] = typer.Option(None, "--mapping", "-m", help="with --from service-ping: your "
                                           "key-path mapping file (YAML), merged over the bundled one"),
    rubric: str = typer.Option("gitlab", "--rubric", "-r", help="bundled rubric name or YAML path"),
    out_dir: Optional[Path] = typer.Option(None, "--out", "-o", help="folder for metrics, use_cases and overall"),
    fmt: OutputFormat = typer.Option(OutputFormat.csv, "--format", "-f", help="output format"),
    table: Optional[str] = typer.Option(None, "--table", help="table name in a database or URL"),
    long: bool = typer.Option(False, "--long", help="data is long: account, period, input name, value"),
    period: Optional[list[str]] = typer.Option(None, "--period", "-p", help="score only these periods"),
    store_text: Optional[str] = typer.Option(None, "--store", "-s", help="add the scores to this score history: "
                                             "a DuckDB file, or postgres://user@host/db?schema=adoptscore (the "
                                             "periods scored replace the stored ones)"),
    attributes: Optional[str] = typer.Option(None, "--attributes", help="with --store: comma-separated columns "
                                             "describing accounts (default: name column, owner, arr, ... when present)"),
    into: Optional[str] = typer.Option(None, "--into", help="keep the result tables where the data is: a schema "
                                       "on the data's connection (e.g. analytics), the data's URL itself, or a "
                                       ".duckdb file; the scored periods of this rubric version are replaced at once"),
    into_prefix: str = typer.Option("adoptscore_", "--into-prefix", help="with --into: table-name prefix "
                                    "({prefix}metrics, {prefix}use_cases, {prefix}overall)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Score usage data with a rubric and write the metrics, use_cases and overall tables
    (to files with --out, to the score history with --store, inside the data's database with --into)."""
    from adoptscore import api
    from adoptscore.locations import store_location

    store = store_location(store_text) if store_text is not None else None
    with _errors():
        if into is not None:
            _score_into(data, source, mapping, rubric, table=table, long=long, periods=period, into=into,
                        prefix=into_prefix, others={"--out": out_dir, "--store": store, "--attributes": attributes},
                        quiet=quiet)
            return
        _claim_score_outputs(out_dir, fmt, store)
        loaded = api.load_rubric(rubric)
        usage = _usage_input(data, source, mapping, table=table, long=long, quiet=quiet)
        with _progress() as progress:
            task = progress.add_task("checking the data", total=None)
            result = api.score(usage, loaded, table=table, layout="long" if long else None, periods=period)
            written = {}
            if out_dir is not None and fmt is not OutputFormat.table:
                total = result.rows_scored if progress.live.is_started else None
                progress.update(task, total=total, completed=0,
                                description=f"scoring {total or ''} account-periods into {out_dir}")
                written = result.write(out_dir, fmt.value, on_rows=lambda n: progress.advance(task, n))
            saved = None
            if store is not None:
                from adoptscore.store import open_store

                target = open_store(store)
                shown = escape(str(target))  # a URL without its password
                total = result.rows_scored if progress.live.is_started else None
                progress.update(task, total=total, completed=0, description=f"scoring {total or ''} account-periods into {shown}")
                columns = [c.strip() for c in attributes.split(",") if c.strip()] if attributes else None
                saved = target.save(result, attributes=columns, on_rows=lambda n: progress.advance(task, n),
                                    on_stage=lambda stage: progress.update(task, description=f"{stage} in {shown}"))
        if quiet:
            return
        if saved is not None:
            from adoptscore.sources.periods import span

            out.print(f"stored {saved.rows['overall']:,} account-periods ({escape(span(saved.periods))}) of {loaded.name} {loaded.version} "
                      f"in {shown}" + (f", replacing {saved.replaced['overall']:,}" if saved.replaced["overall"] else ""),
                      soft_wrap=True)
            if out_dir is None:
                return
        if fmt is OutputFormat.table or out_dir is None:
            _print_summary(result)
        else:
            out.print(f"scored with {loaded.name} {loaded.version}; wrote:")
            for name, path in written.items():
                out.print(f"  {name:10} {escape(str(path))}")


def _score_into(data: list[str], source: Source, mapping: Optional[Path], rubric: str, *, table: Optional[str],
                long: bool, periods: Optional[list[str]], into: str, prefix: str, others: dict[str, Any],
                quiet: bool) -> None:
    """``score --into``: the three result tables made inside the data's own database; no row comes back."""
    from adoptscore import api
    from adoptscore.errors import AdoptscoreError

    for flag, value in others.items():
        if value is not None:
            raise AdoptscoreError(f"--into keeps the results in the data's database; {flag} would bring them here",
                                  hint=f"run the two separately: one with --into, one with {flag}")
    loaded = api.load_rubric(rubric)
    usage = _usage_input(data, source, mapping, table=table, long=long, quiet=quiet)
    with _progress() as progress:
        task = progress.add_task("checking the data", total=None)
        summary = api.score_into(usage, loaded, into, table=table, layout="long" if long else None, periods=periods,
                                 prefix=prefix, on_step=lambda text: progress.update(task, description=text))
    if quiet:
        return
    from adoptscore.sources.periods import span

    out.print(f"scored {summary.rows['overall']:,} account-periods ({escape(span(summary.periods))}) of {loaded.name} {loaded.version} "
              f"into the data's database; {len(summary.periods)} period(s) replaced in:", soft_wrap=True)
    for name, qualified in summary.tables.items():
        out.print(f"  {name:10} {escape(qualified)}  {summary.rows[name]:,} rows", soft_wrap=True)


def _claim_score_outputs(out_dir: Optional[Path], fmt: OutputFormat, store: "Path | str | None") -> None:
    from adoptscore.errors import AdoptscoreError
    from adoptscore.files import check_kind, claim_output
    from adoptscore.store.history import ROLE, open_store

    if out_dir is not None and fmt is OutputFormat.table:
        raise AdoptscoreError("--format table prints the summary and writes no files, so --out has nothing to hold",
                              hint="drop --out, or write files with --format csv, parquet or json")
    if out_dir is not None:
        check_kind(out_dir, "--out", (), "the folder for metrics, use_cases and overall")
        for name in ("metrics", "use_cases", "overall"):
            claim_output(out_dir / f"{name}.{fmt.value}", "--out")
    if store is not None:
        if isinstance(store, Path):
            claim_output(store, ROLE)
        open_store(store).check_writable()  # a bad --store fails before anything is scored or written


@app.command()
def lint(
    rubric: str = typer.Argument(..., help="bundled rubric name or YAML path"),
    data: Optional[str] = typer.Option(None, "--data", help="also check the columns and types of this data"),
    table: Optional[str] = typer.Option(None, "--table", help="table name when --data is a database"),
    strict: bool = typer.Option(False, "--strict", help="exit non-zero on warnings too"),
) -> None:
    """Check a rubric: bands contiguous and ordered, weights positive, 3-7 metrics, columns present."""
    from adoptscore.rubric.lint import lint as run_lint
    from adoptscore.rubric.loader import load_rubric, locate, resolve

    with _errors():
        path = resolve(rubric)
        loaded = load_rubric(path, lenient=True)  # lint lists every rule error itself, not only the first
        findings = run_lint(loaded, data, table=table)
    for finding in findings:
        where = ""  # a finding without a location is the data file's, and its message names that file
        if finding.location:
            line, column = locate(path, finding.location)
            where = (f"{path}:{line}:{column}" if line else str(path)) + ": "
        style = "red" if finding.level == "error" else "yellow"
        hint = f" (fix: {finding.hint})" if finding.hint else ""
        out.print(f"{escape(where)}[{style}]{finding.level}[/]: {escape(finding.message + hint)}",
                  highlight=False, soft_wrap=True)
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    out.print(f"{loaded.name} {loaded.version}: {errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        raise typer.Exit(2 if errors else 1)


@app.command()
def schema(output: Optional[Path] = typer.Option(None, "--out", "-o", help="write to this file")) -> None:
    """Print the JSON Schema of rubric files (for editors)."""
    from adoptscore.rubric.schema import rubric_schema

    text = json.dumps(rubric_schema(), indent=2)
    if output:
        from adoptscore.files import check_kind, write_atomic

        with _errors():
            check_kind(output, "--out", (".json",), "the JSON Schema")
            write_atomic(output, text + "\n", role="--out")
        out.print(f"wrote {escape(str(output))}")
    else:
        sys.stdout.write(text + "\n")


@app.command()
def rubrics() -> None:
    """List the bundled rubrics."""
    from adoptscore import api

    from adoptscore.rubric.loader import bundled_rubrics

    table = Table(title="bundled rubrics")
    for column in ("name", "version", "use cases", "title"):
        table.add_column(column)
    for name in sorted(bundled_rubrics()):
        with _errors():
            loaded = api.load_rubric(name)
        table.add_row(name, escape(loaded.version), ", ".join(u.id for u in loaded.use_cases), escape(loaded.title or ""))
    out.print(table)


@app.command()
def sql(
    rubric: str = typer.Option("gitlab", "--rubric", "-r", help="bundled rubric name or YAML path"),
    dialect: Dialect = typer.Option(Dialect.duckdb, "--dialect", "-d", help="SQL dialect"),
    table: str = typer.Option("usage", "--table", help="name of the usage table in the warehouse"),
    output: str = typer.Option("overall", "--output", help="metrics, use_cases or overall"),
) -> None:
    """Print the SQL that computes a result table, for a warehouse."""
    from adoptscore import api

    from adoptscore.engine.sql import compile_sql

    with _errors():
        loaded = api.load_rubric(rubric)
        sys.stdout.write(compile_sql(loaded, dialect.value, table=table, output=output) + "\n")


def _usage_input(data: list[str], source: Source, mapping: Optional[Path], *, table: Optional[str], long: bool,
                 quiet: bool) -> Any:
    """What ``score`` scores: the one usage source named, or the Service Ping payloads read into a table."""
    from adoptscore.errors import AdoptscoreError

    if source is Source.service_ping:
        for flag, given in (("--table", table is not None), ("--long", long)):
            if given:
                raise AdoptscoreError(f"{flag} applies to usage tables, not to Service Ping payloads",
                                      hint=f"drop {flag}, or drop --from service-ping")
        from adoptscore.commands.ingest import service_ping_table

        return service_ping_table(data, mapping, quiet=quiet)
    if mapping is not None:
        raise AdoptscoreError("--mapping applies to Service Ping payloads", hint="add --from service-ping, or drop --mapping")
    if len(data) > 1:
        raise AdoptscoreError(f"score reads one usage source, got {len(data)}: " + ", ".join(data[:3]) +
                              (", ..." if len(data) > 3 else ""),
                              hint="put the files in one folder of Parquet files, or use --from service-ping for payloads")
    return data[0]


@app.command()
def explain(
    data: str = typer.Argument(..., help="usage data (as for score)"),
    account: str = typer.Option(..., "--account", "-a", help="account id"),
    period: Optional[str] = typer.Option(None, "--period", "-p", help="period (default: the latest)"),
    rubric: str = typer.Option("gitlab", "--rubric", "-r", help="bundled rubric name or YAML path"),
    table: Optional[str] = typer.Option(None, "--table", help="table name in a database or URL"),
    long: bool = typer.Option(False, "--long", help="data is long: account, period, input name, value"),
) -> None:
    """Show how one account's scores were formed: inputs, values, bands, points."""
    from adoptscore import api

    from adoptscore.insights.explain import explain as run_explain

    with _errors():
        loaded = api.load_rubric(rubric)
        result = api.score(data, loaded, table=table, layout="long" if long else None, accounts=[account])
        explanation = run_explain(result, account, period)
    out.print(f"[bold]{escape(explanation.account_id)}[/] period {escape(explanation.period)}, "
              f"rubric {loaded.name} {escape(loaded.version)}")
    for use_case in explanation.use_cases:
        table_ = Table(title=f"{escape(use_case.title)}: {_fmt(use_case.score)} {_colored(use_case.color)}",
                       title_justify="left")
        for column in ("metric", "inputs", "numerator", "denominator", "value", "band", "color", "points"):
            table_.add_column(column)
        for line in use_case.metrics:
            inputs = ", ".join(f"{k}={'missing' if v is None else v}" for k, v in line.inputs.items())
            value = _fmt(line.value, line.metric.display_format) if line.value is not None else "[dim]no data[/]"
            table_.add_row(escape(line.metric.title), escape(inputs), _fmt(line.numerator, "g"), _fmt(line.denominator, "g"),
                           value, escape(line.band or (line.reason or "")), _colored(line.color),
                           _fmt(line.points, "g"))
        out.print(table_)
        if use_case.score is not None:
            out.print(f"  score = {use_case.formula} = {use_case.score:.2f} -> {_colored(use_case.color)}")
        else:
            out.print(f"  [dim]{use_case.status.replace('_', ' ')}: {escape(use_case.reason or '')}[/]")
    if explanation.overall_score is not None:
        out.print(f"[bold]{escape(loaded.overall.title)}[/] = {escape(explanation.overall_formula)} = "
                  f"{explanation.overall_score:.2f} -> {_colored(explanation.overall_color)}; "
                  f"adopted use cases: {explanation.adopted_use_cases}")
    else:
        out.print(f"[bold]{escape(loaded.overall.title)}[/]: no data")


@app.command()
def demo(
    out_dir: Path = typer.Option(Path("demo-output"), "--out", "-o", help="folder for the demo data and scores"),
    accounts: int = typer.Option(2000, "--accounts", min=1, help="number of demo accounts"),
    months: int = typer.Option(15, "--months", min=1, help="number of months"),
    seed: int = typer.Option(42, "--seed", min=0, help="random seed"),
) -> None:
    """Generate the demo usage data, score it with the gitlab rubric and show the portfolio."""
    from adoptscore import api

    from adoptscore.demo import write_usage
    from adoptscore.errors import AdoptscoreError
    from adoptscore.files import check_folder_of

    with _errors():
        if out_dir.exists() and not out_dir.is_dir():
            raise AdoptscoreError("--out is a file; the demo writes a folder", str(out_dir),
                                  hint="give a folder name, e.g. --out demo-output")
        check_folder_of(out_dir / "usage.parquet", "--out")  # e.g. a folder under a file
        out_dir.mkdir(parents=True, exist_ok=True)
        data = out_dir / "usage.parquet"
        with _progress() as progress:
            task = progress.add_task(f"generating {accounts} accounts x {months} months", total=4)
            rows = write_usage(data, accounts=accounts, months=months, seed=seed)
            progress.update(task, advance=1, description="scoring with the gitlab rubric")
            result = api.score(data, "gitlab")
            written = result.write(out_dir / "scores", "csv")
            progress.update(task, advance=1, description="writing parquet")
            result.write(out_dir / "scores", "parquet")
            progress.update(task, advance=1, description="storing the score history")
            from adoptscore.store import open_store

            store_path = out_dir / "scores.duckdb"
            store_path.unlink(missing_ok=True)  # the demo starts a fresh history on every run
            open_store(store_path).save(result)
            progress.advance(task)
        out.print(f"demo usage: {rows:,} account-months in {escape(str(data))}")
        _print_summary(result)
        out.print(f"score history (for serve, deck and exports): {escape(str(store_path))}", soft_wrap=True)
        out.print("scores written to:")
        for name, path in written.items():
            out.print(f"  {name:10} {escape(str(path))} (and .parquet)")
        lifecycle = _write_lifecycle_files(out_dir, accounts, months, seed)
        out.print("for the rubric lifecycle: " + ", ".join(escape(str(p)) for p in lifecycle.values()), soft_wrap=True)
        from adoptscore.demo.service_ping import write_payloads

        pings = out_dir / "service-ping"
        if pings.is_dir():  # payloads of an earlier demo with other sizes would be scored too
            import shutil

            shutil.rmtree(pings)
        count = write_payloads(pings, accounts=min(accounts, 40), months=min(months, 3), seed=seed)
        out.print(f"GitLab Service Ping payloads: {count:,} in {escape(str(pings))}", soft_wrap=True)
        project = _write_demo_project(out_dir)
        first = result.overall["account_id"].iloc[0]
        d = escape(str(data))
        out.print("next:", soft_wrap=True)
        out.print(f"  adoptscore explain {d} --account {escape(str(first))}", soft_wrap=True)
        out.print(f"  adoptscore calibrate {d} --strategy healthy --cohort {escape(str(lifecycle['cohort']))} "
                  f"--write {escape(str(out_dir / 'gitlab-calibrated.yaml'))} --html {escape(str(out_dir / 'calibrate.html'))}", soft_wrap=True)
        out.print(f"  adoptscore validate {d} --labels {escape(str(lifecycle['labels']))}", soft_wrap=True)
        out.print(f"  adoptscore diff {d} --old gitlab-2022 --new gitlab", soft_wrap=True)
        out.print(f"  adoptscore backtest {d} --outcomes {escape(str(lifecycle['outcomes']))} "
                  "--rubric gitlab-2022 --rubric gitlab", soft_wrap=True)
        out.print(f"  adoptscore score --from service-ping {escape(str(pings))} --rubric gitlab-extended", soft_wrap=True)
        out.print(f"  adoptscore run {escape(str(out_dir))}      # the monthly refresh in {escape(str(project))} (docs/run.md)",
                  soft_wrap=True)
        out.print("the scorecard web app (then open http://127.0.0.1:8000/):", soft_wrap=True)
        out.print(f"  adoptscore serve --store {escape(str(store_path))}", soft_wrap=True)


DEMO_PROJECT = """\
# The demo's monthly refresh: adoptscore run demo-output (docs/run.md lists every field).
source:
  data: usage.parquet
rubric: gitlab
store: scores.duckdb
period: latest
exports:
  gainsight:
    out: exports/gainsight-{period}.csv
alerts:
  - out: exports/alerts-{period}.json
schedule:
  cron: "0 6 3 * *"
"""


def _write_demo_project(out_dir: Path) -> Path:
    """The project file of the demo's own data and store, for ``adoptscore run``."""
    from adoptscore.files import write_atomic

    path = out_dir / "adoptscore.yaml"
    write_atomic(path, DEMO_PROJECT)
    return path


def _write_lifecycle_files(out_dir: Path, accounts: int, months: int, seed: int) -> dict[str, Path]:
    """The demo's healthy cohort, account owners' labels and renewal outcomes, as CSV files."""
    from adoptscore.demo.cohort import healthy_accounts
    from adoptscore.demo.labels import generate_labels
    from adoptscore.demo.outcomes import generate_outcomes
    from adoptscore.files import write_atomic

    frames = {"cohort": ("healthy-accounts.csv", healthy_accounts(accounts, months, seed)),
              "labels": ("labels.csv", generate_labels(accounts, months, seed)),
              "outcomes": ("outcomes.csv", generate_outcomes(accounts, months, seed))}
    paths = {}
    for key, (name, frame) in frames.items():
        paths[key] = out_dir / name
        write_atomic(paths[key], frame.to_csv(index=False))
    return paths


# The rubric lifecycle: each command lives in its own module and imports its work lazily.
from adoptscore.commands.calibrate import calibrate_command  # noqa: E402
from adoptscore.commands.validate import validate_command  # noqa: E402
from adoptscore.commands.diff import diff_command  # noqa: E402
from adoptscore.commands.backtest import backtest_command  # noqa: E402

app.command("calibrate")(calibrate_command)
app.command("validate")(validate_command)
app.command("diff")(diff_command)
app.command("backtest")(backtest_command)

# The scorecard web app (issue 4).
from adoptscore.commands.serve import serve_command  # noqa: E402

app.command("serve")(serve_command)


def main() -> None:  # pragma: no cover - console entry point
    """Run the command, then leave without the interpreter's teardown.

    Everything a command writes is complete and closed when it returns; what the teardown adds
    is C++ static destructors of the native libraries, and one of them (with PyArrow loaded after
    a PostgreSQL run) aborted the process after a successful `score URL --into`: exit 134,
    "terminate called without an active exception", in 4 runs of 12. Threads are joined and atexit
    handlers run as at a normal exit; output is flushed; then the process ends with the command's code.
    """
    import atexit
    import gc
    import os
    import threading

    # A command imports pandas, Ibis and DuckDB before its work: ~100k objects, none of them garbage,
    # which the collector's default threshold (700) scans again and again: measured 0.2 s of a 0.9 s
    # start-up (10 runs, medians). Collections still run, 30x less often for young objects.
    gc.set_threshold(20_000)
    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if not isinstance(code, int):
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    shutdown = getattr(threading, "_shutdown", None)  # what a normal exit does first: wait for threads
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()

# Service Ping payloads into usage tables (issue 7).
from adoptscore.commands.ingest import ingest_service_ping_command  # noqa: E402

ingest_app = typer.Typer(no_args_is_help=True, help="Read product payloads (Service Ping) into usage tables.")
ingest_app.command("service-ping")(ingest_service_ping_command)
app.add_typer(ingest_app, name="ingest")

# Customer decks (issue 5).
from adoptscore.commands.deck import deck as deck_command  # noqa: E402

app.command(name="deck")(deck_command)

# dbt models and schema tests for analytics engineers (issue 6).
from adoptscore.commands.dbt import dbt_command  # noqa: E402

app.command("dbt")(dbt_command)

# Exports to Gainsight, files and webhooks (issue 6).
from adoptscore.commands.export import export_app  # noqa: E402

app.add_typer(export_app, name="export")

# A project's monthly refresh (issue 16).
from adoptscore.commands.run import run_command  # noqa: E402

app.command("run")(run_command)

# The team scorecard's tokens, audit log and team file (issue 15).
from adoptscore.commands.team import team_app  # noqa: E402

app.add_typer(team_app, name="team")

# CSM review of a proposed rubric version (issue 15).
from adoptscore.commands.review import review_app  # noqa: E402

app.add_typer(review_app, name="review")

# Metric discovery (issue 18).
from adoptscore.commands.metrics import metrics_app  # noqa: E402

app.add_typer(metrics_app, name="metrics")
