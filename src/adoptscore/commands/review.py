"""``adoptscore review``: publish a proposed rubric version for the account owners to confirm.

``publish`` scores a sample of accounts with the current and the proposed version and puts both
colors, with the reasons, in front of the owners (the scorecard's /reviews pages). ``list`` and
``show`` follow the answers; ``labels`` writes them as the labels file ``adoptscore validate``
reads; ``close`` stops a review taking answers. The team database is found as ``serve`` and
``adoptscore team`` find it (--team-db, the team file's database, or beside the store).
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from adoptscore.commands._common import _errors, _progress, err, out
from adoptscore.commands.team import STORE_OPTION, TEAM_DB_OPTION, TEAM_OPTION, _actor, _database
from adoptscore.errors import AdoptscoreError

review_app = typer.Typer(no_args_is_help=True, help="CSM review of a proposed rubric version: publish it, follow "
                         "the owners' answers, turn them into validate labels (docs/team.md).")


def _reviews(team: Optional[Path], team_db: Optional[Path], store: str, *, create: bool = False):  # noqa: ANN202
    from adoptscore.team.review import ReviewStore

    return ReviewStore(_database(team, team_db, store, create=create))


def _accounts(given: Optional[str]) -> Optional[list[str]]:
    """--accounts: a file with one account id per line (or an account_id column), or ids with commas."""
    if given is None:
        return None
    path = Path(given)
    if path.is_file():
        from adoptscore.files import register_input

        register_input(path, "--accounts")
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line.split(",")[0].strip() for line in lines if line and not line.startswith("#")]
        if lines and lines[0].lower() == "account_id":
            lines = lines[1:]
        if not lines:
            raise AdoptscoreError(f"{path}: no account id in the file", hint="one account id per line")
        return lines
    ids = [part.strip() for part in given.split(",") if part.strip()]
    if not ids:
        raise AdoptscoreError("--accounts is empty", hint="--accounts A000001,A000002 or --accounts ids.txt")
    return ids


@review_app.command("publish")
def publish(
    proposed: Path = typer.Argument(..., help="the proposed rubric version (YAML), e.g. from calibrate --write"),
    data: str = typer.Option(..., "--data", "-d", help="usage data to score the sample on (as for score)"),
    current: str = typer.Option("gitlab", "--current", "-c", help="the version in use: bundled rubric name or YAML path"),
    period: Optional[str] = typer.Option(None, "--period", "-p", help="period to review (default: the latest)"),
    sample: int = typer.Option(20, "--sample", "-n", help="accounts to sample (the handbook: 15-20); color changes "
                               "first, spread across the proposed colors"),
    accounts: Optional[str] = typer.Option(None, "--accounts", help="review these accounts instead: ids with commas, "
                                           "or a file with one id per line"),
    title: Optional[str] = typer.Option(None, "--title", help="the review's title (default: the versions)"),
    table: Optional[str] = typer.Option(None, "--table", help="table name in a database or URL"),
    team: Optional[Path] = TEAM_OPTION, team_db: Optional[Path] = TEAM_DB_OPTION, store: str = STORE_OPTION,
) -> None:
    """Publish PROPOSED for review: each owner sees their sampled accounts' current and proposed colors."""
    from adoptscore import api
    from adoptscore.files import register_input
    from adoptscore.lifecycle.review import prepare_review

    with _errors():
        register_input(proposed, "the proposed rubric")
        rubric = api.load_rubric(proposed)
        yaml_text = proposed.read_text(encoding="utf-8")
        chosen = _accounts(accounts)
        with _progress() as progress:
            progress.add_task("scoring the sample with both versions", total=None)
            draft = prepare_review(data, current, rubric, period=period, accounts=chosen, sample=sample, table=table)
        # opened (made) only once the review is ready: a refusal above leaves no team database behind
        reviews = _reviews(team, team_db, store, create=True)
        review = reviews.publish(draft, yaml_text, _actor(), title)
        changed = sum(1 for i in draft.items if i.changed)
        out.print(f"review {review.id} published: [bold]{escape(review.title)}[/], {len(draft.accounts)} accounts, "
                  f"{len(draft.items)} items ({changed} change color), period {draft.period}", highlight=False)
        out.print(f"owners answer at /reviews/{review.id} (adoptscore serve); then: adoptscore review labels "
                  f"{review.id} --out labels.csv && adoptscore validate DATA --labels labels.csv --rubric {proposed}",
                  highlight=False, soft_wrap=True)


@review_app.command("list")
def list_reviews(team: Optional[Path] = TEAM_OPTION, team_db: Optional[Path] = TEAM_DB_OPTION,
                 store: str = STORE_OPTION) -> None:
    """The reviews, newest first, with how many items are answered."""
    with _errors():
        reviews = _reviews(team, team_db, store)
        counts = reviews.counts()
        grid = Table("id", "title", "versions", "period", "status", "answered", "published")
        for r in reviews.reviews():
            items, answered = counts.get(r.id, (0, 0))
            grid.add_row(str(r.id), escape(r.title), f"{r.rubric} {r.current_version} -> {r.proposed_version}",
                         r.period, r.status, f"{answered} of {items}", f"{r.created_at[:10]} {escape(r.created_by)}")
        out.print(grid)


def _one(reviews, review_id: int):  # noqa: ANN001, ANN202
    review = reviews.review(review_id)
    if review is None:
        raise AdoptscoreError(f"there is no review {review_id}", hint="adoptscore review list")
    return review


@review_app.command("show")
def show(review_id: int = typer.Argument(..., help="the review's id (adoptscore review list)"),
         as_json: bool = typer.Option(False, "--json", help="print the agreement as JSON"),
         team: Optional[Path] = TEAM_OPTION, team_db: Optional[Path] = TEAM_DB_OPTION,
         store: str = STORE_OPTION) -> None:
    """The answers so far: agreement and kappa with the proposed and the current version."""
    from adoptscore.lifecycle.review import review_agreement

    with _errors():
        reviews = _reviews(team, team_db, store)
        review = _one(reviews, review_id)
        g = review_agreement(reviews.items(review_id), reviews.answers(review_id), review.period)
        if as_json:
            out.print_json(json.dumps({"review": review.to_dict(), "agreement": g.to_dict()}))
            return
        out.print(f"review {review.id}: {escape(review.title)} ({review.status}), {g.answered} of {g.items} items "
                  "answered", highlight=False)
        grid = Table("use case", "answers", "proposed agrees", "kappa", "current agrees", "kappa")

        def rate(a) -> str:  # noqa: ANN001
            return "-" if a.rate is None else f"{a.rate:.0%} ({a.agreeing} of {a.compared})"

        def k(a) -> str:  # noqa: ANN001
            return "n/a" if a.kappa.value is None else f"{a.kappa.value:.2f}"

        for p, c in [(g.proposed, g.current), *g.per_use_case]:
            grid.add_row(escape(p.title), str(p.labels), rate(p), k(p), rate(c), k(c))
        out.print(grid)


@review_app.command("labels")
def labels(review_id: int = typer.Argument(..., help="the review's id (adoptscore review list)"),
           out_path: Path = typer.Option(..., "--out", "-o", help="labels file to write (.csv), for validate --labels"),
           team: Optional[Path] = TEAM_OPTION, team_db: Optional[Path] = TEAM_DB_OPTION,
           store: str = STORE_OPTION) -> None:
    """Write the answers in force as a labels file: account_id, use_case, expected_color, period, note."""
    from adoptscore.files import check_kind, claim_output, write_atomic
    from adoptscore.lifecycle.review import labels_frame

    with _errors():
        claim_output(out_path, "--out")
        check_kind(out_path, "--out", (".csv",), "a CSV labels file")
        reviews = _reviews(team, team_db, store)
        review = _one(reviews, review_id)
        frame = labels_frame(reviews.items(review_id), reviews.answers(review_id), review.period)
        if frame.empty:
            raise AdoptscoreError(f"review {review_id} has no answer yet: no labels to write",
                                  hint=f"owners answer at /reviews/{review_id}")
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        write_atomic(out_path, buffer.getvalue(), role="--out")
        err.print(f"{len(frame)} labels from review {review_id} written to {out_path}", highlight=False)


@review_app.command("close")
def close(review_id: int = typer.Argument(..., help="the review's id (adoptscore review list)"),
          team: Optional[Path] = TEAM_OPTION, team_db: Optional[Path] = TEAM_DB_OPTION,
          store: str = STORE_OPTION) -> None:
    """Stop the review taking answers (its answers and labels stay)."""
    with _errors():
        reviews = _reviews(team, team_db, store)
        _one(reviews, review_id)
        review = reviews.close(review_id, _actor())
        out.print(f"review {review.id} is {review.status}", highlight=False)
