"""Reviews of proposed rubric versions in the team database: what was published, and the answers.

A review is written once when an admin publishes it (the proposed rubric's YAML, the period, the
items with both versions' colors and reasons) and then only gains answers. Answers are appended,
never updated: the last one per account and use case is the one in force, and every answer also
lands in the audit log, in the same transaction.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from adoptscore.lifecycle.review import Answer, ReviewDraft, ReviewItem, check_verdict
from adoptscore.team.store import MAX_NOTE, TeamStore, TeamStoreError, _iso, now

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, rubric TEXT NOT NULL, current_version TEXT NOT NULL,
    proposed_version TEXT NOT NULL, proposed_yaml TEXT NOT NULL, period TEXT NOT NULL, source TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')), created_at TEXT NOT NULL,
    created_by TEXT NOT NULL, closed_at TEXT, closed_by TEXT);
CREATE TABLE IF NOT EXISTS review_items (
    review_id INTEGER NOT NULL REFERENCES reviews (id), position INTEGER NOT NULL,
    account_id TEXT NOT NULL, account_name TEXT, attributes TEXT NOT NULL, use_case TEXT NOT NULL,
    title TEXT NOT NULL, current_state TEXT NOT NULL, proposed_state TEXT NOT NULL,
    current_score REAL, proposed_score REAL, reason TEXT NOT NULL,
    PRIMARY KEY (review_id, account_id, use_case));
CREATE TABLE IF NOT EXISTS review_answers (
    id INTEGER PRIMARY KEY, review_id INTEGER NOT NULL REFERENCES reviews (id), account_id TEXT NOT NULL,
    use_case TEXT NOT NULL, verdict TEXT NOT NULL CHECK (verdict IN ('agree', 'red', 'yellow', 'green')),
    note TEXT, author TEXT NOT NULL, answered_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS review_answers_item ON review_answers (review_id, account_id, use_case);
CREATE TRIGGER IF NOT EXISTS review_answers_no_update BEFORE UPDATE ON review_answers
    BEGIN SELECT RAISE(ABORT, 'review answers are append-only'); END;
CREATE TRIGGER IF NOT EXISTS review_answers_no_delete BEFORE DELETE ON review_answers
    BEGIN SELECT RAISE(ABORT, 'review answers are append-only'); END;
CREATE TRIGGER IF NOT EXISTS review_items_no_update BEFORE UPDATE ON review_items
    BEGIN SELECT RAISE(ABORT, 'a published review''s items do not change'); END;
"""


@dataclass(frozen=True)
class Review:
    """A published review: which versions, which period, and whether it still takes answers."""

    id: int
    title: str
    rubric: str
    current_version: str
    proposed_version: str
    period: str
    source: str | None
    status: str
    created_at: str
    created_by: str
    closed_at: str | None
    closed_by: str | None

    @property
    def open(self) -> bool:
        return self.status == "open"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "rubric": self.rubric, "current_version": self.current_version,
                "proposed_version": self.proposed_version, "period": self.period, "source": self.source,
                "status": self.status, "created_at": self.created_at, "created_by": self.created_by,
                "closed_at": self.closed_at, "closed_by": self.closed_by}


class ReviewStore:
    """Reviews kept in a :class:`~adoptscore.team.store.TeamStore`'s database."""

    def __init__(self, store: TeamStore):
        self.store = store
        try:
            store._connection().executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise TeamStoreError(f"cannot use the team database: {exc}", file=str(store.path),
                                 hint="check the path is a team database (or a new file) and writable") from None

    # -- writing ----------------------------------------------------------------------------
    def publish(self, draft: ReviewDraft, proposed_yaml: str, actor: str, title: str | None = None) -> Review:
        """Publish ``draft`` for the account owners to answer; returns the new review."""
        if not draft.items:
            raise TeamStoreError("the review has no items: no chosen account has a use case either version applies to",
                                 hint="choose other accounts (--accounts) or another --period")
        title = (title or f"{draft.proposed.name} {draft.proposed.version} against {draft.current.version}").strip()
        with self.store.transaction() as con:
            cursor = con.execute(
                "INSERT INTO reviews (title, rubric, current_version, proposed_version, proposed_yaml, period, source, "
                "status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                [title, draft.proposed.name, draft.current.version, draft.proposed.version, proposed_yaml,
                 draft.period, draft.source, _iso(now()), actor])
            review_id = int(cursor.lastrowid or 0)
            con.executemany(
                "INSERT INTO review_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [[review_id, i, it.account_id, it.account_name, json.dumps(dict(it.attributes), default=str),
                  it.use_case, it.title, it.current_state, it.proposed_state, it.current_score, it.proposed_score,
                  it.reason] for i, it in enumerate(draft.items)])
            self.store._audit(con, actor, "review.publish", f"review:{review_id}", None,
                              {"title": title, "rubric": draft.proposed.name, "current": draft.current.version,
                               "proposed": draft.proposed.version, "period": draft.period,
                               "accounts": len(draft.accounts), "items": len(draft.items)}, None)
        review = self.review(review_id)
        assert review is not None
        return review

    def answer(self, review_id: int, account_id: str, use_case: str, verdict: str, note: str | None,
               author: str) -> Answer:
        """Record ``author``'s answer on one item (the previous answer stays in the history)."""
        verdict = (verdict or "").strip().lower()
        note = (note or "").strip() or None
        if note is not None and len(note) > MAX_NOTE:
            raise TeamStoreError(f"the note is {len(note):,} characters; at most {MAX_NOTE:,}",
                                 hint="shorten it, or add an account note")
        with self.store.transaction() as con:
            review = self._review(con, review_id)
            if review is None:
                raise TeamStoreError(f"there is no review {review_id}", hint="see /reviews for the reviews")
            if not review.open:
                raise TeamStoreError(f"review {review_id} is closed: it takes no more answers",
                                     hint="ask an admin to publish a new review")
            item = self._item(con, review_id, account_id, use_case)
            if item is None:
                raise TeamStoreError(f"review {review_id} has no item {account_id} / {use_case}",
                                     hint="answer an item listed on the review page")
            problem = check_verdict(item, verdict)
            if problem:
                raise TeamStoreError(problem, hint="answer agree, red, yellow or green")
            before = con.execute("SELECT verdict, note FROM review_answers WHERE review_id = ? AND account_id = ? "
                                 "AND use_case = ? ORDER BY id DESC LIMIT 1", [review_id, account_id, use_case]).fetchone()
            at = _iso(now())
            con.execute("INSERT INTO review_answers (review_id, account_id, use_case, verdict, note, author, "
                        "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [review_id, account_id, use_case, verdict, note, author, at])
            self.store._audit(con, author, "review.answer", f"review:{review_id}/{account_id}/{use_case}",
                              None if before is None else {"verdict": before[0], "note": before[1]},
                              {"verdict": verdict, "note": note}, note)
        return Answer(account_id, use_case, verdict, note, author, at)

    def close(self, review_id: int, actor: str) -> Review:
        """Stop taking answers (the answers stay, and so do the labels)."""
        with self.store.transaction() as con:
            review = self._review(con, review_id)
            if review is None:
                raise TeamStoreError(f"there is no review {review_id}", hint="list them: adoptscore review list")
            if review.open:
                con.execute("UPDATE reviews SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ?",
                            [_iso(now()), actor, review_id])
                self.store._audit(con, actor, "review.close", f"review:{review_id}", {"status": "open"},
                                  {"status": "closed"}, None)
        closed = self.review(review_id)
        assert closed is not None
        return closed

    # -- reading ----------------------------------------------------------------------------
    def reviews(self) -> list[Review]:
        return [_review(r) for r in self.store._read(f"SELECT {_REVIEW_COLUMNS} FROM reviews ORDER BY id DESC")]

    def review(self, review_id: int) -> Review | None:
        rows = self.store._read(f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE id = ?", [review_id])
        return _review(rows[0]) if rows else None

    def proposed_yaml(self, review_id: int) -> str | None:
        rows = self.store._read("SELECT proposed_yaml FROM reviews WHERE id = ?", [review_id])
        return rows[0]["proposed_yaml"] if rows else None

    def items(self, review_id: int) -> list[ReviewItem]:
        return [_item(r) for r in self.store._read(
            "SELECT * FROM review_items WHERE review_id = ? ORDER BY position", [review_id])]

    def answers(self, review_id: int) -> list[Answer]:
        """Every answer of the review, oldest first (the last per item is in force)."""
        return [Answer(r["account_id"], r["use_case"], r["verdict"], r["note"], r["author"], r["answered_at"])
                for r in self.store._read("SELECT * FROM review_answers WHERE review_id = ? ORDER BY id", [review_id])]

    def counts(self) -> dict[int, tuple[int, int]]:
        """Per review: (items, items answered)."""
        rows = self.store._read(
            "SELECT i.review_id AS id, COUNT(*) AS items, COUNT(a.account_id) AS answered FROM review_items i "
            "LEFT JOIN (SELECT DISTINCT review_id, account_id, use_case FROM review_answers) a "
            "ON a.review_id = i.review_id AND a.account_id = i.account_id AND a.use_case = i.use_case "
            "GROUP BY i.review_id")
        return {r["id"]: (r["items"], r["answered"]) for r in rows}

    @staticmethod
    def _review(con: sqlite3.Connection, review_id: int) -> Review | None:
        con.row_factory = sqlite3.Row
        try:
            row = con.execute(f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE id = ?", [review_id]).fetchone()
        finally:
            con.row_factory = None
        return _review(row) if row else None

    @staticmethod
    def _item(con: sqlite3.Connection, review_id: int, account_id: str, use_case: str) -> ReviewItem | None:
        con.row_factory = sqlite3.Row
        try:
            row = con.execute("SELECT * FROM review_items WHERE review_id = ? AND account_id = ? AND use_case = ?",
                              [review_id, account_id, use_case]).fetchone()
        finally:
            con.row_factory = None
        return _item(row) if row else None


_REVIEW_COLUMNS = ("id, title, rubric, current_version, proposed_version, period, source, status, created_at, "
                   "created_by, closed_at, closed_by")


def _review(row: Any) -> Review:
    return Review(**{k: row[k] for k in row.keys()})


def _item(row: Any) -> ReviewItem:
    return ReviewItem(row["account_id"], row["use_case"], row["title"], row["current_state"], row["proposed_state"],
                      row["current_score"], row["proposed_score"], row["reason"], row["account_name"],
                      json.loads(row["attributes"] or "{}"))

