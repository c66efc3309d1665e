"""ScoreResult.table cuts all three tables from one wide query: the frames equal those of each
table's own SQL (values, dtypes, order), with data and with none in scope."""
from __future__ import annotations

import pytest

from adoptscore.engine import result as result_module
from adoptscore.engine.result import SORT_KEYS, TABLES
from tests.conftest import score_rows, usage_row

ROWS = [usage_row("a"), usage_row("b", git_ops_users_l28d=None, billable_users=0),
        usage_row("c", tier="Self-Managed - Premium", sast_scans_l28d=-1), usage_row("a", period="2026-09")]


@pytest.mark.parametrize("rows", [ROWS, [usage_row("x", licensed_users=0)]], ids=["scored", "out-of-scope"])
def test_tables_cut_from_the_wide_result_equal_each_tables_sql(rows):
    result = score_rows(rows)
    for name in TABLES:
        expected = result.to_arrow(name).to_pandas().sort_values(SORT_KEYS[name], kind="stable").reset_index(drop=True)
        got = result.table(name)
        assert list(got.columns) == list(expected.columns)
        assert got.dtypes.equals(expected.dtypes), name
        assert got.equals(expected), name
    assert result._wide is None  # released once all three are cut


def queries(result, monkeypatch) -> list[str]:
    asked: list[str] = []
    original = result.adapter.to_arrow
    monkeypatch.setattr(result.adapter, "to_arrow", lambda sql: asked.append(sql) or original(sql))
    return asked


def test_one_query_computes_the_plan_for_all_three_tables(monkeypatch):
    result = score_rows(ROWS)
    asked = queries(result, monkeypatch)
    for name in TABLES:
        result.table(name)
    assert len(asked) == 2  # how many account-periods, then the wide result once


def test_beyond_the_limit_each_table_is_its_own_query_and_nothing_wide_is_kept(monkeypatch):
    small = {t: score_rows(ROWS).table(t) for t in TABLES}
    monkeypatch.setattr(result_module, "WIDE_IN_MEMORY", 2)
    result = score_rows(ROWS)
    asked = queries(result, monkeypatch)
    for name in TABLES:
        assert result.table(name).equals(small[name]), name
        assert result._wide is None
    assert len(asked) == 1 + len(TABLES)
