"""``adoptscore export``: the score history out to the tools account owners use.

``gainsight`` (a period's scorecard measure scores with comments), ``history`` (Scorecard History
backfill rows), ``scores`` (the stored tables as CSV/Parquet) and ``alerts`` (color drops as
CSV/JSON, optionally POSTed to a webhook). Register with ``app.add_typer(export_app, name="export")``.
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from adoptscore.commands._common import _errors, _progress, err, reads_store
from adoptscore.locations import shown, store_location

export_app = typer.Typer(no_args_is_help=True, help="Export stored scores: Gainsight scorecard files, the score "
                         "tables as CSV/Parquet, and alerts as CSV/JSON or to a webhook.")

STORE_HELP = "score-history DuckDB file (adoptscore score ... --store; the demo's is demo-output/scores.duckdb)"
TEAM_DB_HELP = ("team database whose overrides in force are exported beside the computed colors (default: the one "
                "serve uses beside the store, when it exists; only read)")


class TableFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"


class AlertFormat(str, Enum):
    csv = "csv"
    json = "json"


class Snapshot(str, Enum):
    end = "end"
    start = "start"


class TableName(str, Enum):
    metrics = "metrics"
    use_cases = "use_cases"
    overall = "overall"


def _format(out: str | Path | None, fmt: Enum | None, allowed: tuple[str, ...], store: Path) -> str:
    """The format an export writes (``--format``, else --out's suffix): an --out named as another
    kind of file (``scorecard.xlsx``, ``alerts.txt``) is refused, not written as CSV under that name.
    An --out that is the store is told as that first (the store is noted as read before it is opened)."""
    from adoptscore.exports.output import SUFFIXES, output_format
    from adoptscore.files import check_kind

    reads_store(store, out)
    if out is not None:
        check_kind(out, "--out", [s for s, f in SUFFIXES.items() if f in allowed],
                   f"a {' or '.join(allowed)} file")
    return output_format(out, fmt.value if fmt else None, allowed)


def _say(quiet: bool, text: str | None) -> None:
    if not quiet and text:
        err.print(text, highlight=False, soft_wrap=True)


@export_app.command("gainsight")
def gainsight_command(
    out: str = typer.Option(..., "--out", "-o", help="the file to write (.csv or .parquet; - for CSV on standard output)"),
    period: Optional[str] = typer.Option(None, "--period", "-p", help="period to export, e.g. 2026-10 (default: the "
                                         "latest stored)"),
    fmt: Optional[TableFormat] = typer.Option(None, "--format", "-f", help="csv or parquet (default: from --out's "
                                              "suffix, else csv)"),
    company_id: str = typer.Option("account_id", "--company-id", help="account attribute holding the Gainsight company "
                                   "identifier, e.g. crm_id (default: the account id)"),
    scored_only: bool = typer.Option(False, "--scored-only", help="leave out measures with no score (no data or not "
                                     "applicable) instead of exporting them with an empty score"),
    comment_length: int = typer.Option(250, "--comment-length", help="longest comment, in characters (Gainsight object "
                                       "fields hold 250; raise it if your comment field takes more)"),
    snapshot: Snapshot = typer.Option(Snapshot.end, "--snapshot", help="snapshot_date: the period's last day (end) or "
                                      "first (start)"),
    store: str = typer.Option("scores.duckdb", "--store", "-s", help=STORE_HELP),
    team_db: Optional[Path] = typer.Option(None, "--team-db", help=TEAM_DB_HELP),
    rubric: Optional[str] = typer.Option(None, "--rubric", "-r", help="rubric name, when the store holds several"),
    version: Optional[str] = typer.Option(None, "--version", help="rubric version (default: the latest stored)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Scorecard measure scores for Gainsight: one row per company and measure (each use case, and the
    overall score) in one period, score 0-100 with its color, trend and a comment explaining it."""
    from adoptscore.exports.gainsight import measure_rows
    from adoptscore.exports.output import check_file, write_batches
    from adoptscore.exports.source import StoredScores
    from adoptscore.team.overrides import read_team_database

    with _errors():
        store = store_location(store)
        chosen = _format(out, fmt, ("csv", "parquet"), store)
        check_file(out)
        team = read_team_database(store, team_db)
        with _progress() as progress, StoredScores(store, rubric, version) as scores:
            _say(quiet, scores.store.note)  # which stored version, when several are stored
            rows = measure_rows(scores, period, company_id=company_id, scored_only=scored_only,
                                comment_limit=comment_length, snapshot_at=snapshot.value, team=team)
            progress.add_task(f"explaining the scores of {rows.counts.periods[0]}", total=None)
            write_batches(rows.schema, rows.batches, out, chosen)
        counts = rows.counts
        _say(quiet, f"wrote {counts.rows:,} measure rows ({len(counts.companies):,} companies, "
                    f"{escape(scores.rubric.name)} {escape(scores.version)}, {escape(counts.periods[0])}) to "
                    f"{escape(_where(out))}")
        if counts.without_company_id:
            _say(quiet, f"left out {counts.without_company_id:,} accounts with no {escape(company_id)}")


@export_app.command("history")
def history_command(
    out: str = typer.Option(..., "--out", "-o", help="the file to write (.csv or .parquet; - for CSV on standard output)"),
    since: Optional[str] = typer.Option(None, "--since", help="first period, e.g. 2026-01 (default: the first stored)"),
    until: Optional[str] = typer.Option(None, "--until", help="last period (default: the latest stored)"),
    fmt: Optional[TableFormat] = typer.Option(None, "--format", "-f", help="csv or parquet (default: from --out's "
                                              "suffix, else csv)"),
    company_id: str = typer.Option("account_id", "--company-id", help="account attribute holding the Gainsight company "
                                   "identifier, e.g. crm_id (default: the account id)"),
    scored_only: bool = typer.Option(False, "--scored-only", help="leave out measures with no score"),
    comments: bool = typer.Option(False, "--comments", help="add the comment explaining each score (slower)"),
    comment_length: int = typer.Option(250, "--comment-length", help="with --comments: longest comment, in characters"),
    snapshot: Snapshot = typer.Option(Snapshot.end, "--snapshot", help="snapshot_date: each period's last day (end) or "
                                      "first (start)"),
    store: str = typer.Option("scores.duckdb", "--store", "-s", help=STORE_HELP),
    rubric: Optional[str] = typer.Option(None, "--rubric", "-r", help="rubric name, when the store holds several"),
    version: Optional[str] = typer.Option(None, "--version", help="rubric version (default: the latest stored)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Scorecard History rows for a Gainsight backfill: one row per company, measure and stored period,
    keyed by a snapshot date."""
    from adoptscore.exports.gainsight import history_rows
    from adoptscore.exports.output import check_file, write_batches
    from adoptscore.exports.source import StoredScores

    with _errors():
        store = store_location(store)
        chosen = _format(out, fmt, ("csv", "parquet"), store)
        check_file(out)
        with _progress() as progress, StoredScores(store, rubric, version) as scores:
            _say(quiet, scores.store.note)  # which stored version, when several are stored
            rows = history_rows(scores, since, until, company_id=company_id, scored_only=scored_only,
                                comments=comments, comment_limit=comment_length, snapshot_at=snapshot.value)
            periods = rows.counts.periods
            progress.add_task(f"reading {len(periods)} periods", total=None)
            write_batches(rows.schema, rows.batches, out, chosen)
        counts = rows.counts
        from adoptscore.sources.periods import span  # here: adoptscore.sources imports Ibis

        _say(quiet, f"wrote {counts.rows:,} history rows ({len(counts.companies):,} companies, {len(periods)} "
                    f"period(s) {escape(span(periods))}) to {escape(_where(out))}")
        if counts.without_company_id:
            _say(quiet, f"left out {counts.without_company_id:,} account-periods with no {escape(company_id)}")


@export_app.command("scores")
def scores_command(
    out: Path = typer.Option(..., "--out", "-o", help="a folder (each table becomes <table>.csv or .parquet), or a "
                             "file when one --table is exported"),
    tables: Optional[list[TableName]] = typer.Option(None, "--table", "-t", help="metrics, use_cases or overall; "
                                                     "repeatable (default: all three)"),
    period: Optional[str] = typer.Option(None, "--period", "-p", help="only this period"),
    since: Optional[str] = typer.Option(None, "--since", help="first period (default: the first stored)"),
    until: Optional[str] = typer.Option(None, "--until", help="last period (default: the latest stored)"),
    fmt: Optional[TableFormat] = typer.Option(None, "--format", "-f", help="csv or parquet (default: from --out's "
                                              "suffix, else csv)"),
    store: str = typer.Option("scores.duckdb", "--store", "-s", help=STORE_HELP),
    rubric: Optional[str] = typer.Option(None, "--rubric", "-r", help="rubric name, when the store holds several"),
    version: Optional[str] = typer.Option(None, "--version", help="rubric version (default: the latest stored)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """The stored metrics, use_cases and overall tables of a range of periods, as CSV or Parquet."""
    from adoptscore.exports.source import ExportError, StoredScores
    from adoptscore.exports.tables import export_tables, plan_outputs

    with _errors():
        store = store_location(store)
        if period and (since or until):
            raise ExportError("give --period or --since/--until, not both", hint="e.g. --since 2026-01 --until 2026-06")
        chosen = _format(out, fmt, ("csv", "parquet"), store)
        names = list(dict.fromkeys(t.value for t in tables)) if tables else ["metrics", "use_cases", "overall"]
        outputs = plan_outputs(out, names, chosen)
        with _progress() as progress, StoredScores(store, rubric, version) as scores:
            _say(quiet, scores.store.note)  # which stored version, when several are stored
            periods = [scores.resolve_period(period)] if period else scores.select_periods(since, until)
            progress.add_task(f"exporting {len(names)} table(s), {len(periods)} period(s)", total=None)
            written = export_tables(scores, outputs, chosen, periods)
        for table, rows in written.items():
            _say(quiet, f"wrote {rows:,} {table} rows to {escape(str(outputs[table]))}")


@export_app.command("alerts")
def alerts_command(
    out: Optional[str] = typer.Option(None, "--out", "-o", help="the file to write (.csv or .json; - for standard "
                                      "output; default: standard output unless --webhook is given)"),
    period: Optional[str] = typer.Option(None, "--period", "-p", help="period whose drops to export (default: the "
                                         "latest stored)"),
    use_case: Optional[str] = typer.Option(None, "--use-case", help="only this use case's drops"),
    fmt: Optional[AlertFormat] = typer.Option(None, "--format", "-f", help="csv or json (default: from --out's suffix, "
                                              "else csv)"),
    webhook: Optional[str] = typer.Option(None, "--webhook", help="POST the alerts as JSON to this URL, in batches"),
    headers: Optional[list[str]] = typer.Option(None, "--header", "-H", help="with --webhook: a request header, e.g. "
                                                "'Authorization: Bearer TOKEN'; repeatable"),
    batch_size: int = typer.Option(100, "--batch-size", min=1, help="with --webhook: alerts per request"),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="with --webhook: seconds to wait for each answer"),
    retries: int = typer.Option(3, "--retries", min=0, help="with --webhook: retries of a request after a connection "
                                "error, a timeout or a 5xx/429 answer (4xx answers are not retried)"),
    store: str = typer.Option("scores.duckdb", "--store", "-s", help=STORE_HELP),
    team_db: Optional[Path] = typer.Option(None, "--team-db", help=TEAM_DB_HELP),
    rubric: Optional[str] = typer.Option(None, "--rubric", "-r", help="rubric name, when the store holds several"),
    version: Optional[str] = typer.Option(None, "--version", help="rubric version (default: the latest stored)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Color drops in a period (Green to Yellow or Red, Yellow to Red) as CSV or JSON, each with an
    idempotency key and the explanation of the drop; optionally POSTed to a webhook."""
    from adoptscore.exports.alerts import alert_rows
    from adoptscore.exports.output import check_file, write_batches, write_json
    from adoptscore.exports.webhook import check_url, parse_headers, post_alerts
    from adoptscore.insights.scorecard import Scorecard
    from adoptscore.team.overrides import read_team_database

    with _errors():
        store = store_location(store)
        target = out if out is not None else (None if webhook else "-")
        chosen = _format(target, fmt, ("csv", "json"), store)
        if target is not None:
            check_file(target)
        sent_headers = parse_headers(headers)
        if webhook is not None:
            check_url(webhook)
        elif headers:
            from adoptscore.exports.source import ExportError

            raise ExportError("--header is only used with --webhook", hint="add --webhook URL, or drop --header")
        team = read_team_database(store, team_db)
        with _progress() as progress:
            progress.add_task(f"loading the score history {shown(store)}", total=None)
            card = Scorecard(store, rubric, version)
            _say(quiet, card.store.note)
            export = alert_rows(card, period, use_case=use_case, team=team)
        if target is not None:
            if chosen == "json":
                write_json(export.document(), target)
            else:
                table = export.table()
                write_batches(table.schema, table.to_batches(), target, "csv")
            if str(target) != "-":
                _say(quiet, f"wrote {len(export.alerts):,} alerts ({escape(export.period)}) to {escape(target)}")
        if webhook is not None:
            if not export.alerts:
                _say(quiet, f"no alerts in {escape(export.period)}: nothing posted")
                return
            result = post_alerts(export, webhook, headers=sent_headers, batch_size=batch_size, timeout=timeout,
                                 retries=retries)
            _say(quiet, f"posted {result.alerts:,} alerts ({escape(export.period)}) in {result.requests} request(s) "
                        f"to {escape(result.url)}")


def _where(out: str) -> str:
    return "standard output" if str(out) == "-" else str(out)
