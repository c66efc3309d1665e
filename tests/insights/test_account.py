"""The account view against independent computations: peer percentiles with pandas over the store,
areas of focus by re-scoring the changed usage through the engine, why-it-changed by hand."""
from __future__ import annotations

import duckdb
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.insights.account import NotFound, account_view
from adoptscore.insights.scorecard import Scorecard
from adoptscore.store import open_store
from tests.conftest import frame, usage_row
from tests.scorestore import build_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("insights") / "scores.duckdb")


@pytest.fixture(scope="module")
def card(store):
    return Scorecard(store)


def test_peer_percentiles_match_pandas_and_never_use_groups_under_ten(card, store):
    con = duckdb.connect(str(store), read_only=True)
    values = con.execute("""SELECT m.account_id, m.use_case, m.metric, m.value, o.segment, o.industry, o.tier
        FROM gitlab.metrics m JOIN gitlab.overall o USING (account_id, period)
        WHERE m.period = '2026-10' AND m.status = 'scored'""").df()
    con.close()
    levels = [["segment", "industry", "tier"], ["segment", "industry"], ["segment"], []]
    checked = broadened = 0
    for account_id in values["account_id"].drop_duplicates().iloc[:40]:
        view = account_view(card, account_id, "2026-10")
        for use_case in view.use_cases:
            for m in use_case.metrics:
                if m.status != "scored":
                    assert m.peers is None
                    continue
                mine = values[(values.account_id == account_id) & (values.metric == m.id)].iloc[0]
                for level in levels:
                    group = values[(values.metric == m.id)]
                    for column in level:
                        group = group[group[column] == mine[column]]
                    if len(group) >= 10:
                        break
                others = group[group.account_id != account_id]["value"]
                worse = (others < mine.value).sum() if m.direction == "higher_is_better" else (others > mine.value).sum()
                expected = 100 * (worse + (others == mine.value).sum() / 2) / len(others)
                assert m.peers is not None and m.peers.size == len(group) >= 10
                assert m.peers.better_than == pytest.approx(expected)
                assert m.peers.broadened == (level != levels[0])
                broadened += m.peers.broadened
                checked += 1
    assert checked > 100 and broadened > 0


def test_each_area_of_focus_reaches_its_target_when_the_gap_is_closed(card, store):
    """Add the stated gap to the numerator column, score the changed usage with the engine: the
    metric lands in the target band and the use case and overall scores are the ones predicted."""
    usage = generate_usage(accounts=300, months=8, seed=42, end_period="2026-10").to_pandas()
    rubric = adoptscore.load_rubric("gitlab")
    checked = 0
    for account_id in usage["account_id"].drop_duplicates().iloc[:30]:
        if checked >= 10:
            break  # each check scores twice through the engine: ten areas of several kinds suffice
        try:
            view = account_view(card, account_id, "2026-10", focus=10)
        except NotFound:
            continue
        for area in view.focus:
            metric = next(m for m in rubric.use_case(area.use_case).metrics if m.id == area.metric)
            if len(metric.numerator_expression.columns) != 1 or area.gap.numerator_change is None:
                continue
            column = metric.numerator_expression.columns[0]
            row = usage[(usage.account_id == account_id) & (usage.period == "2026-10")].copy()
            if area.caveat is not None:
                # other metrics read the same column (billable users): the metric's own gap still holds
                row[column] = row[column] + area.gap.numerator_change
                scored = adoptscore.score(row, rubric).metrics.set_index(["use_case", "metric"])
                assert scored.loc[(area.use_case, area.metric), "color"] == area.target
                continue
            row[column] = row[column] + area.gap.numerator_change
            if metric.denominator and column in metric.denominator_expression.columns:
                # the gap holds the denominator fixed (successes instead of failures): move the rest of it back
                rest = [c for c in metric.denominator_expression.columns if c != column]
                assert len(rest) == 1
                row[rest[0]] = row[rest[0]] - area.gap.numerator_change
            result = adoptscore.score(row, rubric)
            metrics = result.metrics.set_index(["use_case", "metric"])
            assert metrics.loc[(area.use_case, area.metric), "color"] == area.target
            use_cases = result.use_cases.set_index("use_case")
            assert use_cases.loc[area.use_case, "score"] == pytest.approx(area.use_case_score_after)
            assert result.overall["score"].iloc[0] == pytest.approx(area.overall_score_after)
            # one unit less is not enough: the gap is the smallest whole change
            step = 1 if area.gap.numerator_change > 0 else -1
            row[column] = row[column] - step
            if metric.denominator and column in metric.denominator_expression.columns:
                row[rest[0]] = row[rest[0]] + step
            assert adoptscore.score(row, rubric).metrics.set_index(["use_case", "metric"]).loc[
                (area.use_case, area.metric), "color"] != area.target
            checked += 1
    assert checked >= 10


def test_why_a_score_changed_names_the_part_that_moved(tmp_path):
    rows = [usage_row("acme", "2026-09", git_ops_users_l28d=400, billable_users=1000),    # 40% green
            usage_row("acme", "2026-10", git_ops_users_l28d=250, billable_users=1000),    # 25% yellow
            usage_row("beta", "2026-09", deployments_l28d=8000, billable_users=1000),     # 8 green
            usage_row("beta", "2026-10", deployments_l28d=8000, billable_users=1600)]     # 5 yellow
    store = open_store(tmp_path / "s.duckdb")
    store.save(adoptscore.score(frame(rows), "gitlab"))
    card = Scorecard(store.path)
    scm = next(c for c in account_view(card, "acme").changes if c.use_case == "scm")
    assert scm.dropped and (scm.previous_color, scm.color) == ("green", "yellow")
    assert [d.cause for d in scm.drivers] == ["numerator"]
    assert "users with Git operations went from 400 to 250 while billable users stayed at 1,000" in scm.drivers[0].text
    cd = next(c for c in account_view(card, "beta").changes if c.use_case == "cd")
    driver = next(d for d in cd.drivers if d.metric == "deployments_per_user")
    assert driver.cause == "denominator" and "billable users went from 1,000 to 1,600" in driver.text


def test_unknown_account_and_period_are_named(card):
    with pytest.raises(NotFound, match="no account 'ZZZ'"):
        account_view(card, "ZZZ")
    with pytest.raises(NotFound, match="1999-01"):
        account_view(card, "A000001", "1999-01")


def test_a_use_case_that_does_not_apply_says_why_in_words(tmp_path):
    rows = [usage_row("premium", "2026-10", tier="SaaS - Premium"),
            usage_row("young", "2026-10", account_age_months=2),
            usage_row("ultimate", "2026-10")]
    store = open_store(tmp_path / "s.duckdb")
    store.save(adoptscore.score(frame(rows), "gitlab"))
    card = Scorecard(store.path)
    security = account_view(card, "premium").use_case("security")
    assert security.status == "not_applicable"
    assert security.applicability == "Security (DevSecOps) applies only to accounts whose tier includes Ultimate."
    # its metrics do not repeat the use case's sentence
    assert all(m.status == "not_applicable" and m.applicability is None for m in security.metrics)
    license_ = account_view(card, "young").use_case("license")
    assert license_.status == "not_applicable"
    assert license_.applicability == "License Utilization does not apply while account age months is under 3."
    assert license_.metrics[0].applicability == license_.applicability
    scored = account_view(card, "ultimate")
    assert all(u.applicability is None and all(m.applicability is None for m in u.metrics) for u in scored.use_cases)
