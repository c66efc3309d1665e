"""CSM review of a proposed rubric version: the handbook's Testing step, made a workflow.

The handbook tests a new rubric by "calculating the score for 15-20 real accounts ... which we can
then share with the CSMs to confirm the resulting score". :func:`prepare_review` does the first
half: it scores a sample of accounts with the current and the proposed version and writes, for
each account and use case, both colors and why the proposed one is what it is. The account
owners' answers (agree, or "should be <color>" with a note) then become labels in the format
``adoptscore validate`` reads (:func:`labels_frame`), and :func:`review_agreement` gives the same
agreement and kappa figures validate would, while answers come in.

This module holds no storage: the team database keeps reviews and answers
(:mod:`adoptscore.team.review`), the front ends show them.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

from adoptscore.errors import DataError
from adoptscore.lifecycle.diff import COLORS, LABELS, OVERALL, Mover, compare, score_pair, states
from adoptscore.lifecycle.validate import Agreement, LabelOutcome, agreement_of
from adoptscore.rubric.models import Rubric

#: The handbook's sample size: "15-20 real accounts".
DEFAULT_SAMPLE = 20
VERDICTS = ("agree", "red", "yellow", "green")
_KEYS = ["account_id", "period"]
#: Account attributes kept with an item, so a reviewer's scope can be checked without the store.
ATTRIBUTE_COLUMNS = ("account_name", "name", "company_name", "owner", "csm", "region", "country", "arr")


@dataclass(frozen=True)
class ReviewItem:
    """One account and use case (or ``overall``) under review: both versions' states and why."""

    account_id: str
    use_case: str
    title: str
    current_state: str            # red, yellow, green, no_data or not_applicable
    proposed_state: str
    current_score: float | None
    proposed_score: float | None
    reason: str
    account_name: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.current_state != self.proposed_state

    def to_dict(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "account_name": self.account_name, "use_case": self.use_case,
                "title": self.title, "current_state": self.current_state, "proposed_state": self.proposed_state,
                "current_score": self.current_score, "proposed_score": self.proposed_score,
                "changed": self.changed, "reason": self.reason}


@dataclass(frozen=True)
class Answer:
    """An owner's answer on one item: ``agree`` with the proposed color, or the color it should be."""

    account_id: str
    use_case: str
    verdict: str
    note: str | None
    author: str
    answered_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "use_case": self.use_case, "verdict": self.verdict,
                "note": self.note, "author": self.author, "answered_at": self.answered_at}


@dataclass
class ReviewDraft:
    """What :func:`prepare_review` found: the versions, the period and the items to publish."""

    current: Rubric
    proposed: Rubric
    period: str
    source: str
    items: list[ReviewItem]

    @property
    def accounts(self) -> list[str]:
        return list(dict.fromkeys(i.account_id for i in self.items))


def expected_color(item: ReviewItem, verdict: str) -> str | None:
    """The color an answer says the item should have: the proposed one for ``agree``."""
    if verdict == "agree":
        return item.proposed_state if item.proposed_state in COLORS else None
    return verdict if verdict in COLORS else None


def check_verdict(item: ReviewItem, verdict: str) -> str | None:
    """Why ``verdict`` cannot be the answer on ``item`` (None when it can)."""
    if verdict not in VERDICTS:
        return f"answer {verdict!r} is not one of {', '.join(VERDICTS)}"
    if verdict == "agree" and item.proposed_state not in COLORS:
        return (f"the proposed version gives {item.account_id} {LABELS.get(item.proposed_state)} for {item.title}: "
                "there is no color to agree with; answer the color it should be")
    return None


# -- preparing a review ---------------------------------------------------------------------------

def prepare_review(data: Any, current: Rubric | str | Path, proposed: Rubric | str | Path, *,
                   period: str | None = None, accounts: Iterable[str] | None = None,
                   sample: int = DEFAULT_SAMPLE, table: str | None = None,
                   layout: str | None = None) -> ReviewDraft:
    """The items of a review of ``proposed`` against ``current`` on ``data`` in ``period``.

    ``accounts`` names the accounts to review; without it, ``sample`` accounts are chosen: those
    whose colors the proposed version changes first (most changes first), spread across the
    proposed overall colors, the rest in a fixed pseudo-random order, so the same data gives the
    same sample. ``period`` defaults to the latest in the data. An item is each use case (and the
    overall score) that either version applies to the account.
    """
    if sample < 1:
        raise DataError(f"a review needs at least one account, not --sample {sample}", hint="e.g. --sample 20")
    chosen_accounts = None if accounts is None else list(dict.fromkeys(str(a) for a in accounts))
    if chosen_accounts is not None and not chosen_accounts:
        raise DataError("the list of accounts to review is empty", hint="name at least one account")
    try:
        old, new, periods = score_pair(data, current, proposed, period=period, table=table, layout=layout,
                                       accounts=chosen_accounts)
    except DataError as exc:
        if chosen_accounts is None or "has no rows" not in exc.message:
            raise
        shown = ", ".join(chosen_accounts[:8]) + (" ..." if len(chosen_accounts) > 8 else "")
        raise DataError(f"none of the {len(chosen_accounts)} account(s) to review is in the data: {shown}",
                        exc.file, hint="check the account ids against the data's account_id column") from None
    if len(periods) != 1:
        raise DataError("a review looks at one period", hint="give --period YYYY-MM (or leave it out for the latest)")
    the_period = periods[0]
    if chosen_accounts is None:
        picked = _sample(old, new, sample)
    else:
        scored = set(old.overall["account_id"].astype(str)) | set(new.overall["account_id"].astype(str))
        missing = [a for a in chosen_accounts if a not in scored]
        if missing:
            raise DataError(f"{len(missing)} account(s) to review have no usage rows in {the_period}: "
                            + ", ".join(missing[:8]) + (" ..." if len(missing) > 8 else ""), old.source or None,
                            hint="check the account ids against the data, or pick another --period")
        picked = chosen_accounts
    movers = {(m.account_id, m.use_case): m for m in compare(_Only(old, picked), _Only(new, picked), periods).movers}
    attributes = _attributes(old, picked)
    items = _items(old, new, picked, movers, attributes)
    return ReviewDraft(old.rubric, new.rubric, the_period, old.source or "", items)


class _Only:
    """A result's tables restricted to some accounts (what :func:`compare` reads)."""

    def __init__(self, result: Any, accounts: list[str]):
        self.rubric, self.source = result.rubric, result.source
        keep = set(accounts)
        self.overall = result.overall[result.overall["account_id"].astype(str).isin(keep)]
        self.use_cases = result.use_cases[result.use_cases["account_id"].astype(str).isin(keep)]
        self.metrics = result.metrics[result.metrics["account_id"].astype(str).isin(keep)]


def _spread(account_id: str) -> str:
    # a fixed pseudo-random order: the same data gives the same sample, and it is not alphabetical
    return hashlib.sha256(account_id.encode()).hexdigest()


def _sample(old: Any, new: Any, size: int) -> list[str]:
    """``size`` accounts: color changes first (most first), round-robin across proposed overall colors."""
    changes: dict[str, int] = {}
    for frame_old, frame_new in ((old.overall, new.overall), (old.use_cases, new.use_cases)):
        keys = _KEYS + (["use_case"] if "use_case" in frame_old else [])
        a = frame_old.loc[:, keys].assign(state=states(frame_old))
        b = frame_new.loc[:, keys].assign(state=states(frame_new))
        both = a.merge(b, on=keys, how="outer", suffixes=("_old", "_new"))
        moved = both[both["state_old"].fillna("no_data") != both["state_new"].fillna("no_data")]
        for account, count in moved["account_id"].astype(str).value_counts().items():
            changes[account] = changes.get(account, 0) + int(count)
    overall = new.overall.assign(state=states(new.overall))
    state_of = dict(zip(overall["account_id"].astype(str), overall["state"]))
    every = sorted(set(old.overall["account_id"].astype(str)) | set(state_of))
    order = sorted(every, key=lambda a: (-changes.get(a, 0), _spread(a)))
    buckets: dict[str, list[str]] = {}
    for account in order:
        buckets.setdefault(state_of.get(account, "no_data"), []).append(account)
    # changed accounts of every color before any unchanged one, each color in turn
    picked: list[str] = []
    for wanted_changed in (True, False):
        queues = [[a for a in buckets.get(s, []) if (changes.get(a, 0) > 0) == wanted_changed]
                  for s in ("red", "yellow", "green", "no_data", "not_applicable")]
        while len(picked) < size and any(queues):
            for queue in queues:
                if queue and len(picked) < size:
                    picked.append(queue.pop(0))
    return picked


def _attributes(result: Any, accounts: list[str]) -> dict[str, dict[str, Any]]:
    """Each account's descriptive columns in the data (name, owner, segments, ...) in the period."""
    data = result.data
    account_col, period_col = result.rubric.input.account_id, result.rubric.input.period
    wanted = [c for c in dict.fromkeys([*result.rubric.input.segments, *ATTRIBUTE_COLUMNS]) if c in data.columns]
    out: dict[str, dict[str, Any]] = {a: {} for a in accounts}
    if not wanted:
        return out
    expr = data.filter(data[account_col].cast("string").isin(accounts)).select(
        _a=data[account_col].cast("string"), _p=data[period_col].cast("string"), *wanted)
    frame = expr.to_pandas().sort_values(["_a", "_p"])
    for record in frame.drop_duplicates("_a", keep="last").to_dict("records"):
        account = record.pop("_a")
        out[account] = {k: (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v))
                        for k, v in record.items() if k != "_p"}
    return out


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _items(old: Any, new: Any, accounts: list[str], movers: dict[tuple[str, str], Mover],
           attributes: dict[str, dict[str, Any]]) -> list[ReviewItem]:
    rubric: Rubric = new.rubric
    cases = [(u.id, u.title) for u in rubric.use_cases] + [(OVERALL, rubric.overall.title)]
    old_ids = {u.id for u in old.rubric.use_cases}

    def table(result: Any, use_case: str) -> dict[str, dict[str, Any]]:
        frame = result.overall if use_case == OVERALL else result.use_cases[result.use_cases["use_case"] == use_case]
        frame = frame.assign(state=states(frame))
        return {str(r["account_id"]): r for r in frame.to_dict("records")}

    metrics = new.metrics.assign(state=states(new.metrics))
    metric_rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in metrics.to_dict("records"):
        metric_rows.setdefault((str(r["account_id"]), r["use_case"]), []).append(r)
    new_uc = {u: table(new, u) for u, _ in cases}
    old_uc = {u: table(old, u) if (u == OVERALL or u in old_ids) else {} for u, _ in cases}
    items: list[ReviewItem] = []
    for account in accounts:
        attrs = attributes.get(account, {})
        name = next((attrs[c] for c in ("account_name", "name", "company_name") if attrs.get(c)), None)
        for use_case, title in cases:
            o, n = old_uc[use_case].get(account), new_uc[use_case].get(account)
            s_old = o["state"] if o else "no_data"
            s_new = n["state"] if n else "no_data"
            if s_old == "not_applicable" and s_new == "not_applicable":
                continue
            mover = movers.get((account, use_case))
            if mover is not None:
                # overall: the use cases that moved it (their metrics are on their own rows)
                reason = "; ".join(u.text() for u in mover.use_cases) if use_case == OVERALL and mover.use_cases \
                    else mover.because()
            else:
                reason = "same in both versions: " + _why(use_case, n, metric_rows.get((account, use_case), []),
                                                            new_uc, account, rubric)
            items.append(ReviewItem(account, use_case, title, s_old, s_new, _num(o["score"]) if o else None,
                                    _num(n["score"]) if n else None, reason, name, attrs))
    return items


def _why(use_case: str, row: dict[str, Any] | None, metric_rows: list[dict[str, Any]],
         by_case: dict[str, dict[str, dict[str, Any]]], account: str, rubric: Rubric) -> str:
    """What the proposed color is made of: each metric's value and color (each use case's, for overall)."""
    if row is None:
        return "no usage rows"
    if row["state"] not in COLORS and isinstance(row.get("reason"), str) and row["reason"]:
        return row["reason"]
    parts = []
    if use_case == OVERALL:
        for u in rubric.use_cases:
            r = by_case[u.id].get(account)
            if r is not None and r["state"] != "not_applicable":
                score = _num(r["score"])
                parts.append(f"{u.title} {LABELS.get(r['state'], r['state'])}"
                             + ("" if score is None else f" {score:.1f}"))
    else:
        formats = {m.id: m for m in rubric.use_case(use_case).metrics}
        for r in metric_rows:
            metric = formats.get(r["metric"])
            if metric is None:
                continue
            value = _num(r["value"])
            shown = "no value" if value is None else format(value, metric.display_format)
            band = metric.bands.get(r["state"]) if metric.bands is not None and r["state"] in COLORS else None
            parts.append(f"{metric.title} {shown} {LABELS.get(r['state'], r['state'])}" + (f" ({band})" if band else ""))
    return "; ".join(parts) or LABELS.get(row["state"], row["state"])


# -- answers: labels and agreement ----------------------------------------------------------------

def latest_answers(answers: Iterable[Answer]) -> dict[tuple[str, str], Answer]:
    """The answer in force per (account, use case): the last one given (answers arrive in order)."""
    out: dict[tuple[str, str], Answer] = {}
    for a in answers:
        out[(a.account_id, a.use_case)] = a
    return out


def labels_frame(items: Iterable[ReviewItem], answers: Iterable[Answer], period: str) -> pd.DataFrame:
    """The answers as a labels table for ``adoptscore validate``: account_id, use_case,
    expected_color, period, note (plus author and answered_at, which validate ignores)."""
    latest = latest_answers(answers)
    rows = []
    for item in items:
        answer = latest.get((item.account_id, item.use_case))
        if answer is None:
            continue
        color = expected_color(item, answer.verdict)
        if color is None:
            continue
        rows.append({"account_id": item.account_id, "use_case": item.use_case, "expected_color": color,
                     "period": period, "note": answer.note or "", "author": answer.author,
                     "answered_at": answer.answered_at})
    return pd.DataFrame(rows, columns=["account_id", "use_case", "expected_color", "period", "note", "author",
                                       "answered_at"])


@dataclass(frozen=True)
class ReviewAgreement:
    """How the answers so far agree with each version: the figures validate reports, per use case."""

    items: int
    answered: int
    proposed: Agreement
    current: Agreement
    per_use_case: list[tuple[Agreement, Agreement]]   # (proposed, current) for each use case answered

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "answered": self.answered, "proposed": self.proposed.to_dict(),
                "current": self.current.to_dict(),
                "use_cases": [{"use_case": p.use_case, "title": p.title, "proposed": p.to_dict(),
                               "current": c.to_dict()} for p, c in self.per_use_case]}


def review_agreement(items: list[ReviewItem], answers: Iterable[Answer], period: str) -> ReviewAgreement:
    """Agreement and kappa of the answers with the proposed and with the current colors."""
    latest = latest_answers(answers)
    proposed: list[LabelOutcome] = []
    current: list[LabelOutcome] = []
    for line, item in enumerate(items):
        answer = latest.get((item.account_id, item.use_case))
        expected = expected_color(item, answer.verdict) if answer else None
        if expected is None:
            continue
        for out, state, score in ((proposed, item.proposed_state, item.proposed_score),
                                  (current, item.current_state, item.current_score)):
            scored = state if state in COLORS else None
            out.append(LabelOutcome(line, item.account_id, item.use_case, period, "label", expected, scored,
                                    score, "scored" if scored else state, None, answer.note if answer else None))
    titles = dict.fromkeys(i.use_case for i in items)
    per_use_case = []
    for use_case in titles:
        p = [o for o in proposed if o.use_case == use_case]
        if p:
            title = next(i.title for i in items if i.use_case == use_case)
            per_use_case.append((agreement_of(use_case, title, p),
                                 agreement_of(use_case, title, [o for o in current if o.use_case == use_case])))
    return ReviewAgreement(len(items), sum(1 for i in items if (i.account_id, i.use_case) in latest),
                           agreement_of("all", "All answers", proposed), agreement_of("all", "All answers", current),
                           per_use_case)
