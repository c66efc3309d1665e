"""Gainsight measure and history rows against the store read with SQL and pandas: every score,
color, previous score, trend, name and date; the comments against the insights layer's texts."""
from __future__ import annotations

import math

import pandas as pd
import pyarrow as pa
import pytest

from adoptscore import load_rubric
from adoptscore.exports.gainsight import OVERRIDE_COLUMNS, history_rows, measure_rows
from adoptscore.exports.source import ExportError, StoredScores
from adoptscore.insights.account import account_view
from adoptscore.insights.scorecard import Scorecard
from tests.exports.conftest import FORMULA_NAMES, NO_CRM_ID

RUBRIC = load_rubric("gitlab")
RANGES = {"red": (0, 50), "yellow": (51, 75), "green": (76, 100)}   # the rubric's score bands, whole numbers
LABELS = {"red": "Red", "yellow": "Yellow", "green": "Green"}
TITLES = {**{u.id: u.title for u in RUBRIC.use_cases}, "overall": RUBRIC.overall.title}
MEASURES = [u.id for u in RUBRIC.use_cases] + ["overall"]


def _whole(score, color):
    if score is None or pd.isna(score):
        return None
    first, last = RANGES[color]
    return min(max(math.floor(score + 0.5), first), last)


@pytest.fixture(scope="module")
def truth(export_store) -> pd.DataFrame:
    """Every stored measure score with the previous stored period's, computed with pandas."""
    uc = export_store.df("SELECT account_id, period, use_case AS measure_id, score, status, color FROM gitlab.use_cases")
    ov = export_store.df("SELECT account_id, period, 'overall' AS measure_id, score, status, color FROM gitlab.overall")
    rows = pd.concat([uc, ov], ignore_index=True)
    periods = export_store.periods()
    before = dict(zip(periods[1:], periods[:-1]))
    prev = rows.rename(columns={"period": "previous_period", "score": "previous_score", "color": "previous_color"})
    rows["previous_period"] = rows["period"].map(before)
    rows = rows.merge(prev[["account_id", "measure_id", "previous_period", "previous_score", "previous_color"]],
                      on=["account_id", "measure_id", "previous_period"], how="left")
    names = export_store.df("SELECT account_id, name, crm_id FROM gitlab.accounts")
    return rows.merge(names, on="account_id", how="left")


@pytest.fixture(scope="module")
def scores(export_store):
    with StoredScores(export_store.path) as opened:
        yield opened


def _frame(rows) -> pd.DataFrame:
    return pa.Table.from_batches(list(rows.batches), rows.schema).to_pandas()


def _check_against_truth(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    merged = got.merge(expected, on=["account_id", "measure_id", "period"], suffixes=("", "_truth"), validate="1:1")
    assert len(merged) == len(got) == len(expected)
    for row in merged.itertuples():
        truth_score = None if pd.isna(row.score_truth) else row.score_truth
        assert (None if pd.isna(row.score) else int(row.score)) == _whole(truth_score, row.color_truth)
        if truth_score is None:
            assert pd.isna(row.score_decimal) and pd.isna(row.color)
        else:
            assert row.score_decimal == pytest.approx(truth_score, abs=1e-9)
            assert row.color == LABELS[row.color_truth]
        assert row.status == row.status_truth
        prev = None if pd.isna(row.previous_score_truth) else row.previous_score_truth
        assert (None if pd.isna(row.previous_score) else int(row.previous_score)) == _whole(prev, row.previous_color_truth)
        assert (None if pd.isna(row.previous_color) else row.previous_color) == (
            None if pd.isna(row.previous_color_truth) else LABELS[row.previous_color_truth])
        if truth_score is None or prev is None:
            assert pd.isna(row.trend)
        else:
            a, b = round(truth_score, 9), round(prev, 9)
            assert row.trend == ("Up" if a > b else "Down" if a < b else "Same")
        assert row.company_name == (row.name if isinstance(row.name, str) else row.account_id)
        assert row.measure == TITLES[row.measure_id]
        assert row.rubric == "gitlab" and row.rubric_version == RUBRIC.version


def test_measure_rows_of_the_latest_period_match_the_store(scores, truth, export_store):
    latest = export_store.periods()[-1]
    got = _frame(measure_rows(scores))
    expected = truth[truth["period"] == latest]
    assert set(got["period"]) == {latest} and set(got["snapshot_date"].astype(str)) == {"2026-10-31"}
    assert (got["company_id"] == got["account_id"]).all()
    _check_against_truth(got, expected)
    # one row per company and measure, measures in the rubric's order, the overall score last
    assert got.groupby("account_id")["measure_id"].apply(list).map(lambda m: m == MEASURES).all()
    # the data exercise every branch: drops, rises, no score, not applicable, a first period
    assert {"Up", "Down", "Same"} <= set(got["trend"].dropna())
    assert {"scored", "no_data", "not_applicable"} <= set(got["status"])


def test_an_earlier_period_and_scored_only(scores, truth, export_store):
    period = export_store.periods()[2]
    got = _frame(measure_rows(scores, period, scored_only=True))
    expected = truth[(truth["period"] == period) & (truth["status"] == "scored")]
    _check_against_truth(got, expected)
    assert got["score"].notna().all()


def test_the_first_period_has_no_previous_score(scores, truth, export_store):
    first = export_store.periods()[0]
    got = _frame(measure_rows(scores, first))
    assert got["previous_score"].isna().all() and got["trend"].isna().all()


def test_comments_are_plain_text_within_the_limit_and_say_how_the_score_was_formed(scores, export_store):
    latest = export_store.periods()[-1]
    got = _frame(measure_rows(scores))
    metrics = export_store.df("SELECT account_id, use_case, metric, points FROM gitlab.metrics WHERE period = ?", [latest])
    points = {(r.account_id, r.use_case, r.metric): r.points for r in metrics.itertuples()}
    assert got["comment"].map(len).max() <= 250
    assert got["comment"].map(lambda c: c.isprintable() and c == c.strip() and "  " not in c).all()
    for row in got.itertuples():
        if row.status == "not_applicable":
            assert row.comment.startswith("Not applicable")
        elif row.status == "no_data":
            assert row.comment.startswith("No score")
        elif row.measure_id == "overall":
            assert row.comment.startswith(f"{row.score_decimal:.1f} ({row.color.lower()}) = (")
        else:
            use_case = RUBRIC.use_case(row.measure_id)
            scored = [points[(row.account_id, use_case.id, m.id)] for m in use_case.metrics
                      if not pd.isna(points.get((row.account_id, use_case.id, m.id)))]
            formula = f"({' + '.join(f'{p:g}' for p in scored)}) / {len(scored)}"
            assert row.comment.startswith(f"{row.score_decimal:.1f} ({row.color.lower()}) = {formula}."), row.comment


def test_comments_carry_the_insights_layers_why_it_changed(scores, export_store):
    latest = export_store.periods()[-1]
    got = _frame(measure_rows(scores, comment_limit=5000)).set_index(["account_id", "measure_id"])
    card = Scorecard(export_store.path)
    dropped = got[(got["trend"] == "Down") & (got.index.get_level_values(1) != "overall")].index[:8]
    assert len(dropped) == 8
    previous = export_store.periods()[-2]
    for account, measure in dropped:
        view = account_view(card, account, latest)
        change = next(c for c in view.changes if c.use_case == measure)
        comment = got.loc[(account, measure), "comment"]
        assert f"Since {previous}: {change.text}." in comment
        for driver in change.drivers:
            assert driver.text in comment
        overall = got.loc[(account, "overall"), "comment"]
        assert f"{change.text}." in overall
        assert f"of {sum(u.counts_towards_adoption for u in RUBRIC.use_cases)} use cases adopted (green)." in overall


@pytest.mark.parametrize("limit", [40, 80, 120])
def test_short_comment_limits_are_kept(scores, limit):
    got = _frame(measure_rows(scores, comment_limit=limit))
    assert got["comment"].map(len).max() <= limit
    assert (got["comment"].map(len) > 0).all()


def test_the_company_id_can_be_a_crm_attribute(scores, truth, export_store):
    latest = export_store.periods()[-1]
    rows = measure_rows(scores, company_id="crm_id")
    got = _frame(rows)
    expected = truth[(truth["period"] == latest) & truth["crm_id"].notna()]
    _check_against_truth(got, expected)
    crm = dict(zip(expected["account_id"], expected["crm_id"]))
    assert (got["company_id"] == got["account_id"].map(crm)).all()
    missing = set(truth[(truth["period"] == latest) & truth["crm_id"].isna()]["account_id"])
    assert missing and missing <= set(NO_CRM_ID)
    assert not missing & set(got["account_id"])
    assert rows.counts.without_company_id == len(missing)


def test_history_rows_of_every_period_and_a_range(scores, truth, export_store):
    periods = export_store.periods()
    got = _frame(history_rows(scores))
    assert "comment" not in got
    _check_against_truth(got, truth)
    ends = {p: str(pd.Period(p, "M").end_time.date()) for p in periods}
    assert (got["snapshot_date"].astype(str) == got["period"].map(ends)).all()
    starts = _frame(history_rows(scores, periods[2], periods[4], snapshot_at="start"))
    assert sorted(set(starts["period"])) == periods[2:5]
    _check_against_truth(starts, truth[truth["period"].isin(periods[2:5])])
    assert (starts["snapshot_date"].astype(str) == starts["period"] + "-01").all()
    # the same numbers as the one-period export, the comment and today's overrides aside
    latest = _frame(measure_rows(scores)).drop(columns=["comment", *(n for n, _ in OVERRIDE_COLUMNS)])
    tail = got[got["period"] == periods[-1]].reset_index(drop=True)
    pd.testing.assert_frame_equal(latest, tail)


def test_history_with_comments(scores, export_store):
    periods = export_store.periods()
    got = _frame(history_rows(scores, since=periods[-2], comments=True, comment_limit=300))
    assert got["comment"].notna().all() and got["comment"].map(len).max() <= 300
    one = _frame(measure_rows(scores, periods[-2], comment_limit=300)).drop(columns=[n for n, _ in OVERRIDE_COLUMNS])
    pd.testing.assert_frame_equal(got[got["period"] == periods[-2]].reset_index(drop=True), one)


def test_formula_like_names_are_exported_as_they_are_stored(scores):
    # the formula guard belongs to CSV files (tests/exports/test_output.py), not to the rows
    got = _frame(measure_rows(scores))
    names = dict(zip(got["account_id"], got["company_name"]))
    for account, name in FORMULA_NAMES.items():
        if account in names:
            assert names[account] == name


@pytest.mark.parametrize("call, needle", [
    (lambda s: measure_rows(s, "2019-01"), "no scores for period '2019-01'"),
    (lambda s: measure_rows(s, company_id="salesforce_id"), "salesforce_id"),
    (lambda s: measure_rows(s, comment_limit=10), "comment length 10"),
    (lambda s: history_rows(s, "2026-09", "2026-01"), "after --until"),
    (lambda s: history_rows(s, "2030-01"), "no stored period from 2030-01"),
    (lambda s: measure_rows(s, snapshot_at="middle"), "snapshot position"),
])
def test_bad_requests_are_refused_before_any_row(scores, call, needle):
    with pytest.raises(ExportError) as caught:
        call(scores)
    assert needle in str(caught.value)
