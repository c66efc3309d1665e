"""CSM review drafts, labels and live agreement, checked against the engine's own tables and validate.

Expected states come from scoring the data with each rubric here (``adoptscore.score``) and
reading its result tables; expected agreement from counting by hand and from ``validate`` itself.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.errors import DataError
from adoptscore.lifecycle.diff import states
from adoptscore.lifecycle.review import (Answer, check_verdict, expected_color, labels_frame, prepare_review,
                                         review_agreement)
from adoptscore.lifecycle.validate import validate

RUBRICS = Path(adoptscore.__file__).parent / "rubrics"
COLORS = ("red", "yellow", "green")


@pytest.fixture(scope="module")
def usage() -> pd.DataFrame:
    return generate_usage(accounts=300, months=6, seed=7).to_pandas()


@pytest.fixture(scope="module")
def proposed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled rubric with the CI builds-per-user Red|Yellow cut moved from 2 to 5."""
    document = yaml.safe_load((RUBRICS / "gitlab.yaml").read_text(encoding="utf-8"))
    document["version"] = "2025.2"
    ci = next(u for u in document["use_cases"] if u["id"] == "ci")
    ci["metrics"][0]["bands"] = {"red": "<= 5", "yellow": "> 5 and <= 40", "green": "> 40"}
    path = tmp_path_factory.mktemp("review") / "proposed.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def draft(usage, proposed):
    return prepare_review(usage, "gitlab", proposed, sample=20)


def _state_table(result, period: str) -> dict[tuple[str, str], str]:
    """(account, use case or overall) -> state, from a result's own tables."""
    out = {}
    for frame, key in ((result.use_cases, "use_case"), (result.overall, None)):
        frame = frame[frame["period"].astype(str) == period]
        for account, use_case, state in zip(frame["account_id"].astype(str),
                                            frame[key] if key else ["overall"] * len(frame), states(frame)):
            out[(account, use_case)] = state
    return out


@pytest.fixture(scope="module")
def truth(usage, proposed):
    period = str(usage["period"].max())
    return period, _state_table(adoptscore.score(usage, "gitlab"), period), \
        _state_table(adoptscore.score(usage, proposed), period)


def test_items_carry_both_versions_states_as_the_engine_scores_them(draft, truth):
    period, old, new = truth
    assert draft.period == period
    assert len(draft.accounts) == 20
    for item in draft.items:
        key = (item.account_id, item.use_case)
        assert item.current_state == old[key] and item.proposed_state == new[key], key
    # every use case either version applies to is an item, and only those
    for account in draft.accounts:
        expected = {u for (a, u), s in new.items() if a == account and not (s == "not_applicable"
                                                                              and old[(a, u)] == "not_applicable")}
        assert {i.use_case for i in draft.items if i.account_id == account} == expected


def test_the_sample_puts_color_changes_first_and_is_the_same_each_time(usage, proposed, draft, truth):
    _, old, new = truth
    changed = {a for (a, u), s in new.items() if old.get((a, u)) != s}
    assert changed, "the proposed cut changes no account: the fixture no longer tests the sample"
    picked = set(draft.accounts)
    assert picked <= changed if len(changed) >= 20 else changed <= picked
    again = prepare_review(usage, "gitlab", proposed, sample=20)
    assert again.accounts == draft.accounts
    # spread across the proposed overall colors the changed accounts have
    colors = {new[(a, "overall")] for a in changed} & set(COLORS)
    assert colors <= {new[(a, "overall")] for a in draft.accounts}


def test_a_changed_item_says_which_band_moved_it(draft, usage, proposed):
    moved = [i for i in draft.items if i.use_case == "ci" and i.changed]
    assert moved, "no CI item changed in the sample"
    result = adoptscore.score(usage, proposed)
    metrics = result.metrics
    for item in moved:
        row = metrics[(metrics["account_id"] == item.account_id) & (metrics["use_case"] == "ci")
                      & (metrics["period"].astype(str) == draft.period)]
        builds = row[row["metric"] == "ci_builds_per_user"]
        value = float(builds["value"].iloc[0])
        assert "CI Builds per Billable User" in item.reason, item.reason
        assert f"{value:.1f}" in item.reason, item.reason
        if item.proposed_state in COLORS:
            band = {"red": "<= 5", "yellow": "> 5 and <= 40", "green": "> 40"}[item.proposed_state]
            assert f"({band})" in item.reason, item.reason
    unchanged = [i for i in draft.items if not i.changed and i.use_case != "overall"]
    assert all(i.reason.startswith("same in both versions") or i.proposed_state not in COLORS for i in unchanged)


def test_named_accounts_and_unknown_ones(usage, proposed, draft):
    chosen = draft.accounts[:3]
    named = prepare_review(usage, "gitlab", proposed, accounts=chosen)
    assert named.accounts == chosen
    with pytest.raises(DataError, match="NOPE-1"):
        prepare_review(usage, "gitlab", proposed, accounts=[chosen[0], "NOPE-1"])
    with pytest.raises(DataError, match="at least one account"):
        prepare_review(usage, "gitlab", proposed, sample=0)


def _answers(draft, seed: int = 3) -> list[Answer]:
    """Answers on about two thirds of the items: agree, or a random color, some answered twice."""
    rng = np.random.default_rng(seed)
    out = []
    for n, item in enumerate(draft.items):
        if rng.random() < 0.33:
            continue
        verdict = "agree" if item.proposed_state in COLORS and rng.random() < 0.6 else str(rng.choice(COLORS))
        if n % 7 == 0:  # answered once, then changed: the later answer is the one in force
            out.append(Answer(item.account_id, item.use_case, "red" if verdict != "red" else "green", None, "a@x", "t0"))
        out.append(Answer(item.account_id, item.use_case, verdict, f"note {n}", "a@x", "t1"))
    return out


def test_agreement_counts_as_by_hand_and_as_validate_does(draft, usage, proposed):
    answers = _answers(draft)
    g = review_agreement(draft.items, answers, draft.period)
    latest = {(a.account_id, a.use_case): a for a in answers}
    by_hand_p = by_hand_c = compared_p = compared_c = 0
    for item in draft.items:
        a = latest.get((item.account_id, item.use_case))
        if a is None:
            continue
        want = item.proposed_state if a.verdict == "agree" else a.verdict
        if item.proposed_state in COLORS:
            compared_p += 1
            by_hand_p += item.proposed_state == want
        if item.current_state in COLORS:
            compared_c += 1
            by_hand_c += item.current_state == want
    assert g.answered == len(latest)
    assert (g.proposed.agreeing, g.proposed.compared) == (by_hand_p, compared_p)
    assert (g.current.agreeing, g.current.compared) == (by_hand_c, compared_c)

    labels = labels_frame(draft.items, answers, draft.period)
    assert len(labels) == len(latest)
    assert set(labels["expected_color"]) <= set(COLORS)
    proposed_v = validate(usage, proposed, labels)
    current_v = validate(usage, "gitlab", labels)
    for mine, theirs in ((g.proposed, proposed_v.total), (g.current, current_v.total)):
        assert (mine.agreeing, mine.compared) == (theirs.agreeing, theirs.compared)
        assert mine.kappa.value == pytest.approx(theirs.kappa.value)
        assert mine.linear.value == pytest.approx(theirs.linear.value)


def test_verdicts():
    from adoptscore.lifecycle.review import ReviewItem

    scored = ReviewItem("A", "ci", "CI", "red", "yellow", 25.0, 63.0, "why")
    blank = ReviewItem("A", "cd", "CD", "red", "no_data", 25.0, None, "no usage rows")
    assert expected_color(scored, "agree") == "yellow" and expected_color(scored, "green") == "green"
    assert check_verdict(scored, "agree") is None and "not one of" in check_verdict(scored, "purple")
    assert expected_color(blank, "agree") is None
    assert "no color to agree with" in check_verdict(blank, "agree")
    assert check_verdict(blank, "red") is None
