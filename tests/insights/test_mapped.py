"""The mapped read model gives the answers the in-memory one gave: each period's mapped frame
against a frame read into memory from the read model's ``portfolio`` table (what every worker used
to hold), peer standings against a count over the stored values, use-case reports against DuckDB's
own quantiles and counts, and alert pages against the whole list filtered by the scope."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from adoptscore.insights.alerts import alert_page, alerts
from adoptscore.insights.mapped import Column, codes_dtype
from adoptscore.insights.portfolio import sort_keys
from adoptscore.insights.portfolio_frame import PortfolioFrame
from adoptscore.insights.scope import Scope
from adoptscore.insights.scorecard import Scorecard
from adoptscore.insights.use_case import use_case_report
from tests.scorestore import build_store


@pytest.fixture(scope="module")
def card(tmp_path_factory):
    return Scorecard(build_store(tmp_path_factory.mktemp("mapped") / "scores.duckdb", accounts=400, months=4))


def in_memory(card: Scorecard, period: str) -> PortfolioFrame:
    """The period's frame as every worker read it before: its rows of the DuckDB portfolio table."""
    table = card.con.sql("SELECT * FROM portfolio WHERE period = ? ORDER BY _id_key", params=[period]).to_arrow_table()
    coded = [*card.segment_values(), "color", *[f"{u.id}_{k}" for u in card.rubric.use_cases for k in ("color", "status")]]
    return PortfolioFrame(period, table, coded)


def test_mapped_frames_hold_the_rows_of_the_portfolio_table(card):
    for period in card.periods:
        mapped, memory = card.portfolio_frame(period), in_memory(card, period)
        everything = np.arange(len(memory))
        assert len(mapped) == len(memory) > 0
        assert mapped.rows(everything) == memory.rows(everything)
        assert np.array_equal(mapped.arr_at_risk(), memory.arr_at_risk(), equal_nan=True)
        columns = ["account_id", "name", *card.segment_columns, *card.attribute_columns, "score", "color"]
        assert mapped.csv_table(everything[::3], columns).equals(memory.csv_table(everything[::3], columns))


def test_mapped_frames_select_and_count_as_before(card):
    values = card.segment_values()
    masks = [({}, False, None), ({"segment": [values["segment"][0]]}, False, None),
             ({"owner": values["owner"][:2], "color": ["red", None]}, False, None), ({}, True, None), ({}, False, "a00")]
    for period in (card.periods[0], card.latest):
        mapped, memory = card.portfolio_frame(period), in_memory(card, period)
        for equals, dropped, search in masks:
            a, b = mapped.mask(equals, dropped, search), memory.mask(equals, dropped, search)
            assert (a is None and b is None) or np.array_equal(a, b)
            for key in sort_keys(card):
                for descending in (False, True):
                    for first in (None, 7):
                        x, y = mapped.select(a, key, descending, first), memory.select(b, key, descending, first)
                        assert (x.total, x.color_counts, x.adoption) == (y.total, y.color_counts, y.adoption)
                        assert x.positions.tolist() == y.positions.tolist(), (key, descending, first, equals)


def test_accounts_are_found_by_key(card):
    frame = card.portfolio_frame(card.latest)
    ids = [r["account_id"] for r in frame.rows(np.arange(len(frame)))]
    for account in ids[:5] + ids[-5:]:
        key = card.account_key(account)
        assert frame.rows([frame.position(key)])[0]["account_id"] == account
    assert card.account_key("NO-SUCH-ACCOUNT") is None and card.account_key("") is None
    assert card.account_key(ids[0] + "x") is None


def test_coded_numbers_read_back_bit_for_bit():
    values = np.array([0.1 + 0.2, 70.83, 1 / 3, np.nan, 2.0, 70.83])
    dictionary = np.unique(values[~np.isnan(values)])
    codes = np.where(np.isnan(values), -1, np.searchsorted(dictionary, values)).astype(codes_dtype(len(dictionary)))
    column = Column(codes, numbers=dictionary)
    picked = column.pick(np.arange(len(values)))
    assert picked[3] is None
    assert [p for p in picked if p is not None] == [v for v in values.tolist() if v == v]
    # the order of the codes is the order of the values, ties included
    key = column.order_key()
    assert np.argsort(key, kind="stable").tolist() == np.argsort(values, kind="stable").tolist()
    assert codes_dtype(127) == np.int8 and codes_dtype(128) == np.int16


def test_text_columns_read_per_account():
    text = pa.array([None, "a", "b", "c"])
    column = Column(text=text, index=np.array([3, 1]))
    assert column.pick(np.array([0, 1, 0])) == ["c", "a", "c"]
    assert column.sliced(1, 2).pick(np.array([0])) == ["a"]


def test_peer_standings_count_the_stored_values(card):
    index = card.peer_index()
    rows = card.rows("""SELECT m.period, m.use_case, m.metric, m.value, o.segment, o.industry, o.tier
                        FROM metrics m JOIN overall o USING (account_id, period)
                        WHERE m.status = 'scored' AND m.value IS NOT NULL""")
    probe = rows[::97]
    for level_index, level in enumerate(card.peer_levels):
        for r in probe:
            segments = [r[c] for c in level.columns]
            if any(s is None for s in segments):
                continue
            group = [x["value"] for x in rows if (x["period"], x["use_case"], x["metric"]) ==
                     (r["period"], r["use_case"], r["metric"]) and all(x[c] == r[c] for c in level.columns)]
            expected = (len(group), sum(v < r["value"] for v in group), sum(v == r["value"] for v in group))
            assert index.standing(level_index, r["period"], r["use_case"], r["metric"], segments, r["value"]) == expected
            assert index.size(level_index, r["period"], r["use_case"], r["metric"], segments) == len(group)
    assert index.standing(0, "1999-01", "ci", "x", ["a", "b", "c"], 1.0) == (0, 0, 0)


def test_stored_reports_match_duckdb_over_the_metrics(card):
    for use_case in card.rubric.use_cases:
        report = use_case_report(card, use_case.id, card.latest)
        for metric in report.metrics:
            found = card.rows("""
                SELECT count(*) FILTER (WHERE status = 'scored') AS scored,
                       quantile_cont(value, [0.25, 0.5, 0.75]) FILTER (WHERE status = 'scored') AS q
                FROM metrics WHERE period = ? AND use_case = ? AND metric = ?""", [card.latest, use_case.id, metric.id])[0]
            assert metric.scored == found["scored"]
            if found["q"] is not None:
                assert metric.quartiles == found["q"]
                assert sum(b.count for b in metric.bins) + metric.overflow == metric.scored - card.value(
                    "SELECT count(*) FROM metrics WHERE period = ? AND use_case = ? AND metric = ? AND status = 'scored' "
                    "AND value IS NULL", [card.latest, use_case.id, metric.id])


@pytest.mark.parametrize("use_case", [None, "ci"])
def test_alert_pages_are_slices_of_the_scoped_list(card, use_case):
    owners = card.segment_values()["owner"][:2]
    for scope in (Scope(), Scope.of({"owner": owners}), Scope.of({"segment": ["No such segment"]}),
                  Scope.of({"no_such_column": ["x"]})):
        everything = alerts(card, card.latest, use_case=use_case)
        expected = [a for a in everything if scope.admits(a.attributes)]
        assert alerts(card, card.latest, use_case=use_case, scope=scope) == expected
        pages, total = [], None
        for page in range(1, 5):
            shown, total = alert_page(card, card.latest, use_case=use_case, scope=scope, page=page, page_size=7)
            pages += shown
        assert total == len(expected) and pages == expected[:28]
    assert len(everything) > 7  # the demo data drops colors: the pages above were not all empty
