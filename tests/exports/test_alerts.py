"""Exported alerts against color drops computed with pandas from the stored use_cases table."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from adoptscore.errors import AdoptscoreError
from adoptscore.exports.alerts import alert_rows
from adoptscore.insights.account import account_view
from adoptscore.insights.scorecard import Scorecard

RANK = {"red": 0, "yellow": 1, "green": 2}


@pytest.fixture(scope="module")
def card(export_store):
    return Scorecard(export_store.path)


def _drops(export_store, period: str) -> pd.DataFrame:
    periods = export_store.periods()
    previous = periods[periods.index(period) - 1]
    uc = export_store.df("SELECT account_id, period, use_case, color, score FROM gitlab.use_cases "
                         "WHERE period IN (?, ?)", [period, previous])
    now, before = uc[uc.period == period], uc[uc.period == previous]
    both = now.merge(before, on=["account_id", "use_case"], suffixes=("", "_before"))
    both = both[both.color.notna() & both.color_before.notna()]
    return both[both.color_before.map(RANK) > both.color.map(RANK)]


@pytest.mark.parametrize("back", [0, 3])
def test_alerts_are_the_color_drops_of_the_period(export_store, card, back):
    period = export_store.periods()[-1 - back]
    expected = _drops(export_store, period)
    export = alert_rows(card, period)
    got = pd.DataFrame(export.alerts)
    assert len(expected) > 10 and len(got) == len(expected)
    truth = expected.rename(columns={"color": "truth_color", "score": "truth_score"})
    merged = got.merge(truth, on=["account_id", "use_case"], validate="1:1")
    assert len(merged) == len(expected)
    assert (merged.color == merged.truth_color).all() and (merged.previous_color == merged.color_before).all()
    assert ((merged.score - merged.truth_score).abs() < 1e-9).all()
    assert ((merged.previous_score - merged.score_before).abs() < 1e-9).all()
    assert (got.period == period).all() and export.period == period
    assert export.previous_period == export_store.periods()[-2 - back]
    severity = (merged.previous_color == "green") & (merged.color == "red")
    assert (merged.severity == severity.map({True: "high", False: "medium"})).all()
    # most severe first
    assert list(got.severity) == sorted(got.severity, key=lambda s: s != "high")


def test_idempotency_keys_identify_an_alert_and_nothing_else(export_store, card):
    periods = export_store.periods()
    first = alert_rows(card).alerts
    again = alert_rows(Scorecard(export_store.path)).alerts
    assert [a["idempotency_key"] for a in first] == [a["idempotency_key"] for a in again]
    keys = {a["idempotency_key"] for a in first}
    assert len(keys) == len(first)
    for alert in first[:5]:  # the documented recipe, so a receiver can recompute it
        text = "\x1f".join(["adoptscore-alert", "gitlab", alert["rubric_version"], alert["account_id"],
                            alert["use_case"], alert["period"]])
        assert alert["idempotency_key"] == hashlib.sha256(text.encode()).hexdigest()
    earlier = {a["idempotency_key"] for a in alert_rows(card, periods[-4]).alerts}
    assert not keys & earlier


def test_each_alert_says_why(export_store, card):
    periods = export_store.periods()
    export = alert_rows(card)
    for alert in export.alerts[:6]:
        change = next(c for c in account_view(card, alert["account_id"]).changes if c.use_case == alert["use_case"])
        assert f"Since {periods[-2]}: {change.text}." in alert["why"]
        assert alert["summary"] == (f"{alert['name']}: {alert['use_case_title']} dropped from "
                                    f"{alert['previous_color'].title()} to {alert['color'].title()} in {periods[-1]}")
        assert set(alert["attributes"]) == {"segment", "industry", "tier", "owner", "arr", "crm_id"}


def test_one_use_case_and_the_table_form(export_store, card):
    export = alert_rows(card, use_case="ci")
    expected = _drops(export_store, export_store.periods()[-1])
    assert sorted(a["account_id"] for a in export.alerts) == sorted(expected[expected.use_case == "ci"].account_id)
    table = export.table().to_pandas()
    assert list(table.columns[:3]) == ["idempotency_key", "rubric", "rubric_version"]
    assert {"segment", "owner", "arr", "crm_id"} <= set(table.columns) and "attributes" not in table
    assert len(table) == len(export.alerts)
    with pytest.raises(AdoptscoreError, match="unknown use case"):
        alert_rows(card, use_case="nope")
    with pytest.raises(AdoptscoreError, match="2019-01"):
        alert_rows(card, "2019-01")
