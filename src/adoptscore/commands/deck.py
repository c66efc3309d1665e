"""`adoptscore deck`: the customer-facing adoption deck of one account, or of a whole portfolio."""
from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from adoptscore.commands._common import _errors, _progress, err, out, reads_store
from adoptscore.locations import shown as shown_store, store_location


class DeckFormat(str, Enum):
    pptx = "pptx"
    html = "html"
    pdf = "pdf"


class DeckColor(str, Enum):
    """An overall color to pick accounts by (none: no score); told apart from a typo before the
    score history is read."""

    red = "red"
    yellow = "yellow"
    green = "green"
    none = "none"


def deck(
    account: Optional[str] = typer.Argument(None, help="account id (or exact account name); omit with --all or a filter"),
    period: Optional[str] = typer.Option(None, "--period", "-p", help="period to present, e.g. 2026-10 "
                                         "(default: the latest scored)"),
    out_text: Optional[str] = typer.Option(None, "--out", "-o", help="one account: the file (default: "
                                            "ACCOUNT-name.pptx here); --all or a filter: the folder (default: decks)"),
    formats: Optional[list[DeckFormat]] = typer.Option(None, "--format", "-f", help="pptx (default), html (a "
                                                       "one-pager for email) or pdf (needs LibreOffice); repeat for several"),
    store: str = typer.Option("scores.duckdb", "--store", "-s", help="score-history DuckDB file "
                               "(adoptscore score ... --store; the demo's is demo-output/scores.duckdb)"),
    rubric: Optional[str] = typer.Option(None, "--rubric", "-r", help="rubric name, when the store holds several"),
    version: Optional[str] = typer.Option(None, "--version", help="rubric version (default: the latest stored)"),
    template: Optional[Path] = typer.Option(None, "--template", "-t", help="a .pptx whose slide masters, layouts, "
                                            "fonts and colors the deck uses"),
    all_accounts: bool = typer.Option(False, "--all", help="a deck for every account scored in the period"),
    segment: Optional[list[str]] = typer.Option(None, "--segment", help="only accounts with this value in a "
                                                "segment column (segment, industry, tier...); repeatable"),
    owner: Optional[list[str]] = typer.Option(None, "--owner", help="only this account owner's accounts; repeatable"),
    color: Optional[list[DeckColor]] = typer.Option(None, "--color", case_sensitive=False, help="only accounts whose overall color is red, "
                                              "yellow, green or none (no score); repeatable"),
    where: Optional[str] = typer.Option(None, "--where", help="only accounts where this SQL condition on the "
                                        "portfolio holds, e.g. \"arr > 100000 AND ci_color = 'red'\""),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="at most this many accounts (by account id)"),
    months: int = typer.Option(12, "--months", help="months of trend in the charts (2-36)"),
    focus: int = typer.Option(3, "--focus", help="key areas of focus to show (1-5)"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="worker processes for a portfolio "
                                       "(default: every core)"),
    team_db: Optional[Path] = typer.Option(None, "--team-db", help="team database whose overrides in force the decks "
                                           "show beside the computed colors (default: the one serve uses beside the "
                                           "store, when it exists; only read)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Make the customer-facing adoption deck: PowerPoint with native charts and tables, an HTML
    one-pager for email, or PDF (through LibreOffice); for one account or a whole portfolio."""
    from adoptscore.deck.output import check_writable_folder, deck_stem, ensure_folder, outputs_for
    from adoptscore.deck.pdf import require_soffice
    from adoptscore.deck.run import (
        DeckOptions,
        check_period,
        open_card,
        resolve_account,
        run_portfolio,
        select_accounts,
        write_one,
    )
    from adoptscore.deck.template import DeckError, load_template
    from adoptscore.files import check_kind

    with _errors():
        store = store_location(store)
        out_path = None if out_text is None else Path(out_text)
        # Path() drops a trailing slash: 'decks/' asks for a folder even before it exists
        out_is_folder = out_text is not None and out_text.endswith(("/", os.sep))
        chosen = list(dict.fromkeys(f.value for f in formats)) if formats else None
        portfolio = all_accounts or bool(segment or owner or color or where or limit)
        if account is not None and portfolio:
            raise DeckError("give an ACCOUNT or --all / a filter, not both",
                            hint="adoptscore deck A000123, or adoptscore deck --all --out decks")
        if account is None and not portfolio:
            raise DeckError("which account? give an ACCOUNT, --all, or a filter (--segment, --owner, --color, --where)",
                            hint="e.g. adoptscore deck A000123 --out acme.pptx")
        one_file = out_path is not None and not portfolio and not out_is_folder and not out_path.is_dir()
        reads_store(store, out_path)
        if one_file:
            check_kind(out_path, "--out", (".pptx", ".html", ".pdf"), "a deck (.pptx, .html or .pdf)")
        if chosen is None:
            suffix = out_path.suffix.lower().lstrip(".") if out_path is not None and not portfolio and not out_is_folder else ""
            chosen = [suffix] if suffix in ("pptx", "html", "pdf") else ["pptx"]
        from adoptscore.team.overrides import read_team_database
        from adoptscore.team.store import now

        team = read_team_database(store, team_db)  # a named one that is missing is refused here
        at = now()  # every deck of the run shows the overrides in force as it starts
        options = DeckOptions(store, rubric, version, period, tuple(chosen), template, months, focus,
                              team.path if team else None, at)
        if "pdf" in chosen:
            require_soffice()
        loaded_template = load_template(template)  # a bad template is refused before anything is read
        from adoptscore.store import open_store

        if not open_store(store).exists():
            raise DeckError(f"{shown_store(store)}: score store not found",
                            hint="create it with: adoptscore score DATA --store " + shown_store(store)
                            + " (or use the demo's: --store demo-output/scores.duckdb)")
        with _progress() as progress:
            task = progress.add_task(f"loading the score history {shown_store(store)}", total=None)
            card = open_card(options)
            if card.store.note and not quiet:  # which stored version, when several are stored
                err.print(card.store.note, highlight=False, soft_wrap=True)
            the_period = check_period(card, period)
            if not portfolio:
                account_id, name = resolve_account(card, account)
                if out_is_folder:
                    ensure_folder(out_path)
                paths = outputs_for(out_path, deck_stem(account_id, name), chosen)
                for path in paths.values():
                    check_writable_folder(path.parent if str(path.parent) else Path("."))
                progress.update(task, description=f"making the deck of {account_id}")
                made, written = write_one(card, account_id, paths, options, loaded_template)
                progress.stop()
                if not quiet:
                    shown = name if len(name) <= 60 else name[:57] + "..."
                    out.print(f"deck of {escape(account_id)} ({escape(shown)}), {escape(made.period)}: "
                              + ", ".join(escape(str(p)) for p in written), soft_wrap=True, highlight=False)
                return
            folder = out_path if out_path is not None else Path("decks")
            if folder.suffix.lower().lstrip(".") in ("pptx", "html", "pdf") and not folder.is_dir():
                raise DeckError(f"--out {folder}: a portfolio of decks needs a folder, not a file",
                                hint="e.g. --out decks")
            check_writable_folder(folder)
            accounts = select_accounts(card, the_period, segments=segment or (), owners=owner or (),
                                       colors=[c.value for c in color or ()], where=where, limit=limit)
            if not accounts:
                raise DeckError(f"no account scored in {the_period} matches the filter",
                                hint=_known_values(card))
            portfolio_options = DeckOptions(store, rubric, version, the_period, tuple(chosen), template, months, focus,
                                            options.team_db, at)
            workers = min(jobs or os.cpu_count() or 1, len(accounts))
            progress.update(task, total=len(accounts), completed=0,
                            description=f"{len(accounts):,} decks ({the_period}) with {workers} worker(s)")
            pdf_task = None

            def on_phase(phase: str, count: int) -> None:
                nonlocal pdf_task
                pdf_task = progress.add_task("converting to PDF (LibreOffice)", total=count)

            result = run_portfolio(portfolio_options, accounts, folder, jobs=workers, card=card if workers <= 1 else None,
                                   on_deck=lambda n: progress.advance(task, n),
                                   on_pdf=lambda n: progress.advance(pdf_task, n) if pdf_task is not None else None,
                                   on_phase=on_phase)
        made = len(accounts) - len({a for a, _ in result.failed})
        if not quiet:
            per = result.seconds / max(len(accounts), 1)
            out.print(f"{made:,} of {len(accounts):,} decks ({escape(the_period)}, {', '.join(chosen)}) written to "
                      f"{escape(str(folder))} in {result.seconds:.1f} s ({per:.2f} s per deck)", soft_wrap=True)
        for account_id, message in result.failed[:20]:
            err.print(f"[bold red]failed:[/] {escape(account_id)}: {escape(message)}", soft_wrap=True, highlight=False)
        if len(result.failed) > 20:
            err.print(f"... and {len(result.failed) - 20} more failures")
        if result.failed:
            raise typer.Exit(1)


def _known_values(card) -> str:
    values = card.segment_values()
    parts = [f"{column}: {', '.join(map(str, vals[:8]))}{', ...' if len(vals) > 8 else ''}"
             for column, vals in values.items() if vals]
    return "; ".join(parts) if parts else "check the filters"
