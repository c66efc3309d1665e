"""Reviews in the team database: what a publish keeps, answers appended and audited, refusals."""
from __future__ import annotations

import sqlite3

import pytest

from adoptscore.lifecycle.review import ReviewDraft, ReviewItem
from adoptscore.rubric.loader import load_rubric
from adoptscore.team.review import ReviewStore
from adoptscore.team.store import MAX_NOTE, TeamStore, TeamStoreError


def _draft(items):
    rubric = load_rubric("gitlab")
    return ReviewDraft(rubric, rubric.model_copy(update={"version": "2025.2"}), "2026-10", "usage.parquet", items)


ITEMS = [
    ReviewItem("A1", "ci", "Continuous Integration", "red", "yellow", 25.0, 63.0, "CI builds 3.0 Red -> Yellow",
               "Acme", {"owner": "Priya Raman", "segment": "SMB"}),
    ReviewItem("A1", "overall", "Product usage", "yellow", "yellow", 60.0, 61.0, "same", "Acme", {"owner": "Priya Raman"}),
    ReviewItem("B2", "cd", "Continuous Delivery", "green", "no_data", 88.0, None, "no usage rows", None, {}),
]


@pytest.fixture
def reviews(tmp_path):
    return ReviewStore(TeamStore(tmp_path / "team.sqlite"))


def test_publish_keeps_every_item_and_audits_it(reviews):
    review = reviews.publish(_draft(ITEMS), "name: gitlab\n", "cli:root")
    assert review.open and review.period == "2026-10" and review.proposed_version == "2025.2"
    assert review.current_version == load_rubric("gitlab").version
    assert reviews.items(review.id) == ITEMS
    assert reviews.proposed_yaml(review.id) == "name: gitlab\n"
    entry = reviews.store.audit()[0]
    assert (entry.action, entry.object, entry.actor) == ("review.publish", f"review:{review.id}", "cli:root")
    assert reviews.counts() == {review.id: (3, 0)}


def test_answers_are_appended_the_last_in_force_each_audited(reviews):
    review = reviews.publish(_draft(ITEMS), "x", "cli:root")
    reviews.answer(review.id, "A1", "ci", "agree", None, "priya@example.com")
    reviews.answer(review.id, "A1", "ci", "Green", "  uses CI on every merge  ", "priya@example.com")
    answers = reviews.answers(review.id)
    assert [(a.verdict, a.note) for a in answers] == [("agree", None), ("green", "uses CI on every merge")]
    assert reviews.counts()[review.id] == (3, 1)
    last = reviews.store.audit()[0]
    assert last.action == "review.answer" and last.object == f"review:{review.id}/A1/ci"
    assert last.before == {"verdict": "agree", "note": None} and last.after["verdict"] == "green"


@pytest.mark.parametrize("account, use_case, verdict, note, message", [
    ("A1", "ci", "purple", None, "not one of"),
    ("B2", "cd", "agree", None, "no color to agree with"),
    ("A1", "scm", "agree", None, "no item A1 / scm"),
    ("A1", "ci", "red", "x" * (MAX_NOTE + 1), "at most"),
])
def test_bad_answers_are_refused_and_leave_nothing(reviews, account, use_case, verdict, note, message):
    review = reviews.publish(_draft(ITEMS), "x", "cli:root")
    before = len(reviews.store.audit())
    with pytest.raises(TeamStoreError, match=message):
        reviews.answer(review.id, account, use_case, verdict, note, "priya@example.com")
    assert reviews.answers(review.id) == [] and len(reviews.store.audit()) == before


def test_a_closed_review_takes_no_answer_and_an_empty_one_is_not_published(reviews):
    review = reviews.publish(_draft(ITEMS), "x", "cli:root")
    closed = reviews.close(review.id, "root@example.com")
    assert not closed.open and closed.closed_by == "root@example.com"
    with pytest.raises(TeamStoreError, match="closed"):
        reviews.answer(review.id, "A1", "ci", "agree", None, "priya@example.com")
    with pytest.raises(TeamStoreError, match="no items"):
        reviews.publish(_draft([]), "x", "cli:root")
    assert [r.id for r in reviews.reviews()] == [review.id]
    with pytest.raises(TeamStoreError, match="no review 99"):
        reviews.answer(99, "A1", "ci", "agree", None, "priya@example.com")


def test_answers_cannot_be_rewritten_behind_the_audit_log(reviews, tmp_path):
    review = reviews.publish(_draft(ITEMS), "x", "cli:root")
    reviews.answer(review.id, "A1", "ci", "agree", None, "priya@example.com")
    con = sqlite3.connect(tmp_path / "team.sqlite")
    for statement in ("UPDATE review_answers SET verdict = 'red'", "DELETE FROM review_answers",
                      "UPDATE review_items SET proposed_state = 'green'"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only|do not change"):
            con.execute(statement)
    assert [a.verdict for a in reviews.answers(review.id)] == ["agree"]
