"""The portfolio and its CSV against the store read with pandas: filters, search, sort, pages,
color counts, the adoption distribution, and spreadsheet-safe cells."""
from __future__ import annotations

import csv
import io

import duckdb
import pandas as pd
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.insights.portfolio import PortfolioQuery, portfolio, portfolio_csv
from adoptscore.insights.scorecard import BadQuery, PageOutOfRange, Scorecard
from adoptscore.store import open_store

HAZARDS = {0: "=HYPERLINK(\"http://x\")", 1: "@SUM(A1)", 2: "-5 Corp", 3: 'Quote "and", comma\nnewline',
           4: "acme Lower", 5: "ACME Upper"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    usage = generate_usage(accounts=240, months=3, seed=7, end_period="2026-10").to_pandas()
    ids = sorted(usage["account_id"].unique())
    for index, name in HAZARDS.items():
        usage.loc[usage["account_id"] == ids[index], "account_name"] = name
    # holes for ARR at risk: an account without ARR, and one without any usage (no overall color)
    usage.loc[usage["account_id"] == ids[6], "arr"] = None
    # licensed_users stays: the rubric scores only accounts with licenses (its scope)
    counts = [c for c in usage.columns if c.endswith("_l28d") or c == "billable_users"]
    usage.loc[usage["account_id"] == ids[7], counts] = None
    path = tmp_path_factory.mktemp("portfolio") / "scores.duckdb"
    open_store(path).save(adoptscore.score(usage, "gitlab"))
    return path


@pytest.fixture(scope="module")
def card(store):
    return Scorecard(store)


@pytest.fixture(scope="module")
def latest(store) -> pd.DataFrame:
    """The latest period's overall rows with names, read straight from the store."""
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute("""
            SELECT o.account_id, coalesce(a.name, o.account_id) AS name, o.segment, o.industry, o.score, o.color,
                   o.adopted_use_cases
            FROM gitlab.overall o LEFT JOIN gitlab.accounts a USING (account_id)
            WHERE o.period = (SELECT max(period) FROM gitlab.overall)""").df()


def test_counts_and_adoption_match_the_store(card, latest):
    result = portfolio(card, PortfolioQuery(filters={"segment": ["SMB"]}))
    smb = latest[latest["segment"] == "SMB"]
    assert result.total == len(smb)
    for color in ("green", "yellow", "red"):
        assert result.color_counts[color] == (smb["color"] == color).sum()
    assert result.color_counts["no_data"] == smb["color"].isna().sum()
    adopted = smb["adopted_use_cases"].clip(upper=3)
    assert result.adoption == {"0": (adopted == 0).sum(), "1": (adopted == 1).sum(), "2": (adopted == 2).sum(),
                               "3+": (adopted == 3).sum()}


@pytest.mark.parametrize("sort, descending", [("name", False), ("name", True), ("score", True), ("account_id", False)])
def test_pages_follow_the_sort_without_gaps_or_repeats(card, latest, sort, descending):
    seen = []
    page = 1
    while True:
        result = portfolio(card, PortfolioQuery(sort=sort, descending=descending, page=page, page_size=50))
        seen += [r["account_id"] for r in result.rows]
        if page == result.pages:
            break
        page += 1
    # pandas' order: the key (missing last), then account id; names compare as DuckDB compares text
    ordered = latest.sort_values([sort, "account_id"], ascending=[not descending, True], na_position="last",
                                 key=lambda s: s if s.name != "name" else s.map(lambda v: v.encode()))
    if sort in ("name", "account_id") and descending:
        ordered = latest.sort_values(sort, ascending=False, key=lambda s: s.map(lambda v: v.encode()))
    assert seen == ordered["account_id"].tolist()


def test_search_is_case_insensitive_over_name_and_id(card, latest):
    found = {r["account_id"] for r in portfolio(card, PortfolioQuery(search="AcMe", page_size=500)).rows}
    expected = latest[latest["name"].str.lower().str.contains("acme") | latest["account_id"].str.lower().str.contains("acme")]
    assert found == set(expected["account_id"]) and len(found) >= 2
    some_id = latest["account_id"].iloc[17]
    assert [r["account_id"] for r in portfolio(card, PortfolioQuery(search=some_id.lower())).rows] == [some_id]
    # wildcards are text: '%' matches only a literal percent sign
    assert portfolio(card, PortfolioQuery(search="%")).total == latest["name"].str.contains("%", regex=False).sum()


def test_bad_queries_name_what_is_valid(card):
    with pytest.raises(BadQuery, match="no account has segment = 'Nope'"):
        portfolio(card, PortfolioQuery(filters={"segment": ["Nope"]}))
    with pytest.raises(BadQuery, match="cannot sort by"):
        portfolio(card, PortfolioQuery(sort="_name_key"))  # internal keys are not sort keys
    with pytest.raises(PageOutOfRange):
        portfolio(card, PortfolioQuery(page=999))
    assert "_search" not in portfolio(card).rows[0]  # internal columns never leave the read model


def test_csv_is_the_whole_selection_and_spreadsheet_safe(card, latest):
    text = portfolio_csv(card, PortfolioQuery(filters={"segment": ["SMB", "Enterprise"]}, sort="score", descending=True))
    rows = list(csv.DictReader(io.StringIO(text)))
    chosen = latest[latest["segment"].isin(["SMB", "Enterprise"])]
    assert len(rows) == len(chosen)
    by_id = chosen.set_index("account_id")
    scores = [float(r["score"]) if r["score"] else None for r in rows]
    present = [s for s in scores if s is not None]
    assert present == sorted(present, reverse=True)
    for r in rows:
        truth = by_id.loc[r["account_id"]]
        assert r["color"] == ("" if pd.isna(truth["color"]) else truth["color"])
        if truth["score"] is not None and not pd.isna(truth["score"]):
            assert float(r["score"]) == pytest.approx(truth["score"])
        name = truth["name"]
        assert r["name"] == ("'" + name if name[:1] in "=+-@\t\r" else name)
    everything = list(csv.DictReader(io.StringIO(portfolio_csv(card, PortfolioQuery()))))
    names = {r["account_id"]: r["name"] for r in everything}
    ids = sorted(latest["account_id"])
    assert names[ids[0]].startswith("'=") and names[ids[1]].startswith("'@") and names[ids[2]] == "'-5 Corp"
    assert names[ids[3]] == 'Quote "and", comma\nnewline'  # quoted, not split


@pytest.fixture(scope="module")
def use_cases(store) -> pd.DataFrame:
    """The latest period's use-case rows with the previous period's color, read from the store."""
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute("""
            WITH periods AS (SELECT DISTINCT period FROM gitlab.overall),
                 latest AS (SELECT max(period) AS now, (SELECT max(period) FROM periods
                            WHERE period < (SELECT max(period) FROM periods)) AS before FROM periods)
            SELECT n.account_id, n.use_case, n.status, n.color, p.color AS previous_color
            FROM gitlab.use_cases n JOIN latest ON n.period = latest.now
            LEFT JOIN gitlab.use_cases p ON p.account_id = n.account_id AND p.use_case = n.use_case
                 AND p.period = latest.before""").df()


def test_each_use_case_cell_knows_its_status_and_whether_it_rose_or_fell(card, use_cases):
    rows = {r["account_id"]: r for r in portfolio(card, PortfolioQuery(page_size=500)).rows}
    rank = {"red": 0, "yellow": 1, "green": 2}
    moved = {"up": 0, "down": 0}
    for r in use_cases.itertuples():
        row = rows[r.account_id]
        now, before = rank.get(r.color), rank.get(r.previous_color)
        up = now is not None and before is not None and now > before
        down = now is not None and before is not None and now < before
        assert row[f"{r.use_case}_status"] == r.status
        assert row[f"{r.use_case}_improved"] is up, (r.account_id, r.use_case)
        assert row[f"{r.use_case}_dropped"] is down, (r.account_id, r.use_case)
        moved["up"] += up
        moved["down"] += down
    assert moved["up"] > 0 and moved["down"] > 0 and (use_cases["status"] == "not_applicable").any()


def arr_at_risk(row: pd.Series) -> float | None:
    """Computed here from the definition: all of the ARR at Red, half at Yellow, none at Green."""
    share = {"red": 1.0, "yellow": 0.5, "green": 0.0}.get(row["color"])
    return None if share is None or pd.isna(row["arr"]) else row["arr"] * share


@pytest.mark.parametrize("descending", [True, False])
def test_arr_at_risk_sorts_every_page_with_missing_values_last(card, store, descending):
    with duckdb.connect(str(store), read_only=True) as con:
        truth = con.execute("""
            SELECT o.account_id, o.color, a.arr FROM gitlab.overall o LEFT JOIN gitlab.accounts a USING (account_id)
            WHERE o.period = (SELECT max(period) FROM gitlab.overall)""").df()
    # holes of both kinds: an account without ARR, and one without an overall color
    truth["risk"] = truth.apply(arr_at_risk, axis=1)
    seen = []
    page = 1
    while True:
        result = portfolio(card, PortfolioQuery(sort="arr_at_risk", descending=descending, page=page, page_size=40))
        seen += [(r["account_id"], r["arr_at_risk"]) for r in result.rows]
        if page == result.pages:
            break
        page += 1
    expected = truth.sort_values(["risk", "account_id"], ascending=[not descending, True], na_position="last")
    assert [a for a, _ in seen] == expected["account_id"].tolist()
    by_id = truth.set_index("account_id")["risk"]
    for account, shown in seen:
        assert (shown is None) == pd.isna(by_id[account])
        if shown is not None:
            assert shown == pytest.approx(by_id[account])
    assert by_id.notna().sum() > 100 and (by_id == 0).any() and by_id.isna().sum() == 2
    assert truth["arr"].isna().sum() == 1 and truth["color"].isna().sum() == 1
    csv_ids = [r["account_id"] for r in csv.DictReader(io.StringIO(
        portfolio_csv(card, PortfolioQuery(sort="arr_at_risk", descending=descending))))]
    assert csv_ids == expected["account_id"].tolist()


def test_not_applicable_reads_as_a_sentence(card):
    titles = {u["id"]: u["not_applicable"] for u in portfolio(card).use_cases}
    assert titles["security"] == "Security (DevSecOps) applies only to accounts whose tier includes Ultimate."
    assert titles["license"] == "License Utilization does not apply while account age months is under 3."
