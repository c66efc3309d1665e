"""Making deck files: one account, or a whole portfolio in parallel worker processes.

Everything that can be refused is checked before the first file is written (store, rubric,
period, account, template, formats, output folder, LibreOffice for PDF). Each deck is rendered in
memory and written atomically, so a file on disk is always a whole deck. A portfolio run spreads
the accounts over worker processes (each loads the score history and the template once); PDFs
are converted at the end, a batch per LibreOffice process.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent import futures
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import duckdb

from adoptscore.deck.build import build_deck
from adoptscore.deck.model import Deck
from adoptscore.deck.output import FORMATS, deck_stem, ensure_folder, write_bytes_atomic
from adoptscore.deck.pdf import convert_to_pdf
from adoptscore.deck.template import DeckError, Template, load_template
from adoptscore.errors import AdoptscoreError
from adoptscore.files import check_output, write_atomic
from adoptscore.insights.scorecard import Scorecard
from adoptscore.sqltext import quote

COLORS = ("red", "yellow", "green", "none")


@dataclass(frozen=True)
class DeckOptions:
    """What every deck of a run shares."""

    store: Path
    rubric: str | None = None
    version: str | None = None
    period: str | None = None
    formats: tuple[str, ...] = ("pptx",)
    template: Path | None = None
    history: int = 12
    focus: int = 3
    team_db: Path | None = None       # an existing team database to show overrides from (None: none)
    overrides_at: datetime | None = None  # the moment whose overrides every deck of the run shows

    def __post_init__(self) -> None:
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown or not self.formats:
            raise DeckError(f"unknown deck format {', '.join(unknown) or '(none)'}", hint="formats: pptx, html, pdf")
        if not 2 <= self.history <= 36:
            raise DeckError(f"--months {self.history}: the trend shows 2 to 36 months", hint="e.g. --months 12")
        if not 1 <= self.focus <= 5:
            raise DeckError(f"--focus {self.focus}: the deck shows 1 to 5 areas of focus", hint="e.g. --focus 3")


def open_card(options: DeckOptions) -> Scorecard:
    """The score history the decks read (one rubric version)."""
    return Scorecard(options.store, options.rubric, options.version)


def check_period(card: Scorecard, period: str | None) -> str:
    if period is None:
        return card.latest
    if period not in card.periods:
        raise DeckError(f"no scores for period {period!r} in {card.store.path}",
                        hint="stored periods: " + ", ".join(card.periods[-12:]))
    return period


def render(card: Scorecard, account_id: str, options: DeckOptions, template: Template | None,
           period: str | None = None) -> tuple[Deck, dict[str, bytes | str]]:
    """One account's deck and its files' contents (``pptx`` bytes when pptx or pdf is asked,
    ``html`` text)."""
    from adoptscore.insights.account import account_view

    view = account_view(card, account_id, period or options.period, history=options.history, focus=options.focus)
    deck = build_deck(view, card.rubric, overrides_of(options, view.account_id))
    out: dict[str, bytes | str] = {}
    if "pptx" in options.formats or "pdf" in options.formats:
        from adoptscore.deck.powerpoint import render_pptx

        out["pptx"] = render_pptx(deck, template)
    if "html" in options.formats:
        from adoptscore.deck.html import render_html

        out["html"] = render_html(deck)
    return deck, out


def overrides_of(options: DeckOptions, account_id: str) -> dict:
    """Use case -> the override in force for ``account_id`` at the run's moment (none without a team database)."""
    if options.team_db is None:
        return {}
    found = _team(options.team_db).active_overrides([account_id], at=options.overrides_at)
    return {use_case: o for (_, use_case), o in found.items()}


@lru_cache(maxsize=4)
def _team(path: Path):
    # once per process (a portfolio's workers each open it), read-only: a deck run never writes it
    from adoptscore.team.store import TeamStore

    return TeamStore(path, read_only=True)


def resolve_account(card: Scorecard, text: str) -> tuple[str, str]:
    """The account whose id is ``text`` or, failing that, whose name is ``text`` (any case)."""
    found = card.rows("SELECT DISTINCT account_id, name FROM portfolio WHERE account_id = ?", [text])
    if not found:
        found = card.rows("SELECT DISTINCT account_id, name FROM portfolio WHERE lower(name) = lower(?) "
                          "ORDER BY account_id", [text])
    if len(found) == 1:
        return str(found[0]["account_id"]), str(found[0]["name"])
    if len(found) > 1:
        raise DeckError(f"{len(found)} accounts are named {text!r}",
                        hint="give the account id: " + ", ".join(str(r["account_id"]) for r in found[:10]))
    like = card.rows("SELECT DISTINCT account_id, name FROM portfolio WHERE name ILIKE ? OR account_id ILIKE ? "
                     "ORDER BY account_id LIMIT 5", [f"%{text}%", f"%{text}%"])
    hint = ("did you mean: " + "; ".join(f"{r['account_id']} ({r['name']})" for r in like)) if like else \
        "give an account id from the score history"
    raise DeckError(f"no account {text!r} in the scores of {card.rubric.name} {card.version}", hint=hint)


def write_one(card: Scorecard, account_id: str, paths: dict[str, Path], options: DeckOptions,
              template: Template | None) -> tuple[Deck, list[Path]]:
    """Write one account's deck in every format of ``paths`` (format -> file)."""
    for path in paths.values():
        check_output(path, "--out")
    deck, data = render(card, account_id, options, template)
    for path in paths.values():
        ensure_folder(path.parent)
    written = []
    if "pdf" in paths:
        pdf = paths["pdf"]
        staging = Path(tempfile.mkdtemp(prefix=".adoptscore-deck-", dir=pdf.parent))
        try:
            source = staging / f"{pdf.stem}.pptx"
            source.write_bytes(data["pptx"])
            converted = convert_to_pdf([source], staging)[source]
            check_output(pdf, "--out")
            os.replace(converted, pdf)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        written.append(pdf)
    for fmt in ("pptx", "html"):
        if fmt in paths:
            _write(paths[fmt], data[fmt])
            written.append(paths[fmt])
    return deck, written


def _write(path: Path, content: bytes | str) -> None:
    if isinstance(content, str):
        write_atomic(path, content)
    else:
        write_bytes_atomic(path, content)


# -- a portfolio ------------------------------------------------------------------------------
def select_accounts(card: Scorecard, period: str, *, segments: Sequence[str] = (), owners: Sequence[str] = (),
                    colors: Sequence[str] = (), where: str | None = None, limit: int | None = None) -> list[tuple[str, str]]:
    """(account id, name) of the accounts scored in ``period`` that pass every filter: segment
    (any segment column), owner, overall color (``none``: no score), and a SQL condition on the
    portfolio's columns."""
    conditions, params = ["period = ?"], [period]
    if segments:
        columns = card.segment_columns or []
        if not columns:
            raise DeckError("--segment: the score history has no segment columns")
        ors = " OR ".join(f"lower(CAST({quote(c)} AS VARCHAR)) IN ({', '.join('?' * len(segments))})" for c in columns)
        conditions.append(f"({ors})")
        for _ in columns:
            params += [s.lower() for s in segments]
    if owners:
        if "owner" not in card.attribute_columns:
            raise DeckError("--owner: the score history has no owner column",
                            hint="store it when scoring: adoptscore score DATA --store FILE --attributes owner")
        conditions.append(f"lower(owner) IN ({', '.join('?' * len(owners))})")
        params += [o.lower() for o in owners]
    if colors:
        wrong = [c for c in colors if c.lower() not in COLORS]
        if wrong:
            raise DeckError(f"--color {wrong[0]}: not a color", hint="colors: red, yellow, green, none (no score)")
        known = [c.lower() for c in colors if c.lower() != "none"]
        parts = [f"color IN ({', '.join('?' * len(known))})"] if known else []
        params += known
        if "none" in [c.lower() for c in colors]:
            parts.append("color IS NULL")
        conditions.append("(" + " OR ".join(parts) + ")")
    if where:
        conditions.append(f"({where})")
    sql = f"SELECT account_id, name FROM portfolio WHERE {' AND '.join(conditions)} ORDER BY account_id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cur = card.cursor()
    try:
        if where and len(cur.extract_statements(sql)) != 1:
            raise DeckError(f"--where {where!r}: one condition only", hint="e.g. --where \"arr > 100000\"")
        rows = cur.execute(sql, params).fetchall()
    except duckdb.Error as exc:
        columns = [r[0] for r in cur.execute("DESCRIBE portfolio").fetchall()]
        raise DeckError(f"--where {where!r}: {str(exc).splitlines()[0]}",
                        hint="a SQL condition on: " + ", ".join(columns)) from None
    finally:
        cur.close()
    return [(str(a), str(n)) for a, n in rows]


@dataclass
class PortfolioResult:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)   # (account id, message)
    decks: int = 0
    seconds: float = 0.0
    deck_seconds: list[float] = field(default_factory=list)       # per deck, inside the workers


# worker state: loaded once per process by _init_worker
_CARD: Scorecard | None = None
_TEMPLATE: Template | None = None
_OPTIONS: DeckOptions | None = None


def _init_worker(options: DeckOptions) -> None:
    global _CARD, _TEMPLATE, _OPTIONS
    _OPTIONS = options
    _CARD = open_card(options)
    _TEMPLATE = load_template(options.template)


def _render_chunk(items: list[tuple[str, str]], out_dir: str, staging: str) -> list[tuple[str, list[str], str | None, float]]:
    """Render and write the decks of ``items`` (account id, file stem); PowerPoint files meant
    for PDF go to ``staging``."""
    assert _CARD is not None and _OPTIONS is not None
    results = []
    for account_id, stem in items:
        started = time.perf_counter()
        try:
            _deck, data = render(_CARD, account_id, _OPTIONS, _TEMPLATE)
            written = []
            if "pdf" in _OPTIONS.formats:
                write_bytes_atomic(Path(staging) / f"{stem}.pptx", data["pptx"])
            for fmt in ("pptx", "html"):
                if fmt in _OPTIONS.formats:
                    path = Path(out_dir) / f"{stem}.{fmt}"
                    _write(path, data[fmt])
                    written.append(str(path))
            results.append((account_id, written, None, time.perf_counter() - started))
        except Exception as exc:  # noqa: BLE001 - one account's failure must not stop the others
            message = exc.format() if isinstance(exc, AdoptscoreError) else f"{type(exc).__name__}: {exc}"
            results.append((account_id, [], str(message).splitlines()[0], time.perf_counter() - started))
    return results


def run_portfolio(options: DeckOptions, accounts: list[tuple[str, str]], out_dir: Path, *, jobs: int | None = None,
                  card: Scorecard | None = None, on_deck: Callable[[int], None] | None = None,
                  on_pdf: Callable[[int], None] | None = None, on_phase: Callable[[str, int], None] | None = None
                  ) -> PortfolioResult:
    """Write the decks of ``accounts`` (id, name) into ``out_dir``.

    With ``jobs`` > 1 (default: every core) the decks are made by that many worker processes;
    ``card`` (an already loaded scorecard) lets a small run stay in this process. ``on_deck`` /
    ``on_pdf`` are told how many decks / PDFs were just finished."""
    started = time.perf_counter()
    jobs = max(1, jobs or os.cpu_count() or 1)
    out_dir = Path(out_dir)
    ensure_folder(out_dir)
    stems = _unique_stems(accounts)
    items = list(zip([a for a, _ in accounts], stems))
    result = PortfolioResult(decks=len(items))
    staging = Path(tempfile.mkdtemp(prefix=".adoptscore-decks-", dir=out_dir))
    try:
        def take(rows):
            for account_id, written, error, seconds in rows:
                result.written += [Path(p) for p in written]
                result.deck_seconds.append(seconds)
                if error:
                    result.failed.append((account_id, error))
            if on_deck:
                on_deck(len(rows))

        workers = min(jobs, len(items))
        if workers <= 1 or len(items) <= 2:
            global _CARD, _TEMPLATE, _OPTIONS
            saved = (_CARD, _TEMPLATE, _OPTIONS)
            try:
                _CARD, _OPTIONS = card or open_card(options), options
                _TEMPLATE = load_template(options.template)
                for item in items:
                    take(_render_chunk([item], str(out_dir), str(staging)))
            finally:
                _CARD, _TEMPLATE, _OPTIONS = saved
        else:
            # small chunks keep both workers busy to the end and the progress bar moving
            size = max(1, min(8, len(items) // (workers * 6)))
            chunks = [items[i:i + size] for i in range(0, len(items), size)]
            context = multiprocessing.get_context("spawn")  # DuckDB's threads do not survive fork
            with futures.ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                             initargs=(options,)) as pool:
                pending = [pool.submit(_render_chunk, chunk, str(out_dir), str(staging)) for chunk in chunks]
                try:
                    for done in futures.as_completed(pending):
                        take(done.result())
                except BaseException:
                    for f in pending:
                        f.cancel()
                    raise
        if "pdf" in options.formats:
            if on_phase:
                on_phase("pdf", len(items) - len(result.failed))
            _convert_all(staging, out_dir, jobs, result, on_pdf)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.written.sort()
    result.seconds = time.perf_counter() - started
    return result


def _convert_all(staging: Path, out_dir: Path, jobs: int, result: PortfolioResult,
                 on_pdf: Callable[[int], None] | None) -> None:
    sources = sorted(staging.glob("*.pptx"))
    if not sources:
        return
    batch = max(1, min(25, -(-len(sources) // jobs)))
    batches = [sources[i:i + batch] for i in range(0, len(sources), batch)]
    pdf_dir = staging / "pdf"
    pdf_dir.mkdir()
    with futures.ThreadPoolExecutor(jobs) as pool:
        pending = {pool.submit(convert_to_pdf, b, pdf_dir): b for b in batches}
        for done in futures.as_completed(pending):
            files = pending[done]
            try:
                converted = done.result()
            except DeckError as exc:
                result.failed += [(f.stem, exc.message) for f in files]
                converted = {f: pdf_dir / f"{f.stem}.pdf" for f in files if (pdf_dir / f"{f.stem}.pdf").exists()}
            for pdf in converted.values():
                target = out_dir / pdf.name
                check_output(target, "--out")
                os.replace(pdf, target)
                result.written.append(target)
            if on_pdf:
                on_pdf(len(files))


def _unique_stems(accounts: list[tuple[str, str]]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for account_id, name in accounts:
        stem = deck_stem(account_id, name)
        if stem in seen:
            seen[stem] += 1
            stem = f"{stem}-{seen[stem]}"
        else:
            seen[stem] = 1
        out.append(stem)
    return out
