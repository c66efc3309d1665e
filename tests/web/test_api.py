"""The scorecard's JSON API, CSV export, error answers and headers over real HTTP.

Requests go through httpx to the session's uvicorn server (``server`` in conftest.py). Every
number is checked against the score-history store read directly with DuckDB (``store``, opened
read-only), never against the app's own read model:

- /api/meta against the stored periods, rubric version, use cases and distinct segment values;
- /api/portfolio totals, color counts and adoption (0/1/2/3+ Green use cases that count towards
  adoption) against SQL over ``overall`` joined to ``accounts``, filtered here with pandas; a use
  case's drop is computed here in SQL against the immediately preceding stored period; paging
  against an order computed here (missing values last, ties by account id);
- /portfolio.csv rows, header and values against the same selection; formula-like names (a tiny
  store of its own, served by ``adoptscore serve``, since the shared store's hazard names do not
  start like a formula) come out quoted;
- /api/accounts, /api/use-cases and /api/alerts against ``use_cases``/``metrics`` rows;
- bad requests: 4xx with {error, hint, status} on /api/*, an HTML error page elsewhere, never 500;
- read-only methods, security headers, the OpenAPI listing, /api/docs without external URLs, and
  the hazard name ``<script>alert(1)</script> Industries`` (account A000007) shown only escaped.
"""
from __future__ import annotations

import csv
import html
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import httpx
import pandas as pd
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.store import open_store
from tests.scorestore import END
from tests.web.serving import serve

RUBRIC = adoptscore.load_rubric("gitlab")
USE_CASES = [u.id for u in RUBRIC.use_cases]
ADOPTABLE = [u.id for u in RUBRIC.use_cases if u.counts_towards_adoption]
COLORS = ("green", "yellow", "red")
SCRIPT = "<script>alert(1)</script>"
PROBE = "<img src=x onerror=alert(2)>"   # markup with no slash, so it can stand in a path segment
HAZARD = "A000007"  # its name carries SCRIPT (adoptscore.demo.generator.HARD_NAMES)
API_ROUTES = {"/api/meta", "/api/portfolio", "/api/accounts/{account_id}", "/api/use-cases/{use_case}", "/api/alerts"}

DROPS_SQL = """
    WITH periods AS (SELECT period, lag(period) OVER (ORDER BY period) AS previous
                     FROM (SELECT DISTINCT period FROM gitlab.overall))
    SELECT n.account_id, n.use_case, p.color AS previous_color, n.color
    FROM gitlab.use_cases n JOIN periods ON periods.period = n.period
    JOIN gitlab.use_cases p ON p.account_id = n.account_id AND p.use_case = n.use_case AND p.period = periods.previous
    WHERE n.period = ?
      AND ((p.color = 'green' AND n.color IN ('yellow', 'red')) OR (p.color = 'yellow' AND n.color = 'red'))
"""


# -- the store, read directly -------------------------------------------------------------------
class Truth:
    """What the store holds, computed with SQL and pandas independently of the app."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.periods = [r[0] for r in con.execute("SELECT DISTINCT period FROM gitlab.overall ORDER BY 1").fetchall()]
        self.latest = self.periods[-1]
        self.older = self.periods[len(self.periods) // 2]   # has a preceding period, is not the latest
        self._frames: dict[str, pd.DataFrame] = {}

    def df(self, sql: str, *params: Any) -> pd.DataFrame:
        return self.con.execute(sql, list(params)).df()

    def distinct(self, column: str, table: str = "overall") -> list[str]:
        return [r[0] for r in self.con.execute(
            f"SELECT DISTINCT {column} FROM gitlab.{table} WHERE {column} IS NOT NULL ORDER BY 1").fetchall()]

    def drops(self, period: str) -> pd.DataFrame:
        return self.df(DROPS_SQL, period)

    def portfolio(self, period: str) -> pd.DataFrame:
        """One row per account scored in ``period``: overall score and color, name and attributes,
        each use case's color and score, whether any use case dropped, Green adoptable use cases."""
        if period not in self._frames:
            rows = self.df("""SELECT o.account_id, coalesce(a.name, o.account_id) AS name, o.segment, o.industry,
                                     o.tier, a.owner, a.arr, o.score, o.color, o.adopted_use_cases
                              FROM gitlab.overall o LEFT JOIN gitlab.accounts a USING (account_id)
                              WHERE o.period = ?""", period).set_index("account_id")
            use_cases = self.df("SELECT account_id, use_case, color, score FROM gitlab.use_cases WHERE period = ?",
                                period)
            for uc, part in use_cases.groupby("use_case"):
                part = part.set_index("account_id")
                rows[f"{uc}_color"] = part["color"]
                rows[f"{uc}_score"] = part["score"]
            rows["dropped"] = rows.index.isin(self.drops(period)["account_id"])
            rows["green_adoptable"] = sum((rows[f"{uc}_color"] == "green").astype(int) for uc in ADOPTABLE)
            self._frames[period] = rows.reset_index()
        return self._frames[period]


def _listed(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _color_is(column: pd.Series, wanted: list[str]) -> pd.Series:
    found = column.isin([c for c in wanted if c != "no_data"])
    return found | column.isna() if "no_data" in wanted else found


def select(frame: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """The rows of ``frame`` that the portfolio query ``params`` asks for, filtered here."""
    keep = pd.Series(True, index=frame.index)
    for column in ("segment", "industry", "tier", "owner"):
        if column in params:
            keep &= frame[column].isin(_listed(params[column]))
    if "color" in params:
        keep &= _color_is(frame["color"], _listed(params["color"]))
    if "use_case_color" in params:
        keep &= _color_is(frame[f"{params['use_case']}_color"], _listed(params["use_case_color"]))
    if params.get("dropped") == "true":
        keep &= frame["dropped"]
    if "q" in params:
        needle = params["q"].lower()
        keep &= (frame["name"].str.lower().str.contains(needle, regex=False)
                 | frame["account_id"].str.lower().str.contains(needle, regex=False))
    return frame[keep]


def expected_order(selected: pd.DataFrame, sort: str, descending: bool) -> list[str]:
    """Account ids sorted by ``sort``: missing values last either way, ties by account id."""
    records = selected.to_dict("records")
    if sort == "name":
        records.sort(key=lambda r: (r["name"], r["account_id"]), reverse=descending)
    else:
        def key(r: dict) -> tuple:
            absent = missing(r[sort])
            return absent, 0.0 if absent else (-r[sort] if descending else r[sort]), r["account_id"]
        records.sort(key=key)
    return [r["account_id"] for r in records]


def missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def same_score(shown: Any, stored: Any) -> bool:
    if missing(stored):
        return missing(shown)
    return shown is not None and math.isclose(float(shown), float(stored), rel_tol=1e-9, abs_tol=1e-9)


# -- fixtures and HTTP helpers ------------------------------------------------------------------
@pytest.fixture(scope="module")
def truth(store):
    con = duckdb.connect(str(store), read_only=True)
    yield Truth(con)
    con.close()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client


def get_json(http: httpx.Client, path: str, params: Any = None) -> dict[str, Any]:
    response = http.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def all_pages(http: httpx.Client, params: dict[str, Any], page_size: int) -> tuple[dict, list[dict]]:
    """Every row of a portfolio query, page by page; each page but the last is full."""
    first = get_json(http, "/api/portfolio", {**params, "page_size": page_size})
    rows = list(first["rows"])
    for page in range(2, first["pages"] + 1):
        answer = get_json(http, "/api/portfolio", {**params, "page_size": page_size, "page": page})
        assert len(rows) == (page - 1) * page_size, "a page before the last was not full"
        rows += answer["rows"]
    return first, rows


# -- /api/meta ----------------------------------------------------------------------------------
def test_meta_describes_the_store(http, truth):
    meta = get_json(http, "/api/meta")
    assert meta["periods"] == truth.periods
    assert meta["latest"] == truth.latest
    assert meta["rubric"] == "gitlab"
    assert [meta["version"]] == truth.distinct("rubric_version")
    assert [u["id"] for u in meta["use_cases"]] == USE_CASES
    assert set(USE_CASES) == set(truth.distinct("use_case", "use_cases"))
    filters = {c: truth.distinct(c) for c in ("segment", "industry", "tier")}
    filters["owner"] = truth.distinct("owner", "accounts")
    assert meta["filters"] == filters
    numeric = truth.df("SELECT column_name FROM (DESCRIBE gitlab.accounts) WHERE column_type = 'DOUBLE'")["column_name"]
    risk = ["arr_at_risk"] if "arr" in set(numeric) else []
    assert set(meta["sort_keys"]) == {"name", "account_id", "score", "adopted_use_cases", *numeric, *risk,
                                      *[f"{u}_score" for u in USE_CASES]}


# -- /api/portfolio -----------------------------------------------------------------------------
FILTERS = [
    {},
    {"segment": "SMB"},
    {"industry": ["Retail", "Healthcare"]},
    {"tier": "SaaS - Ultimate", "owner": "Liam O'Connor"},
    {"color": "red"},
    {"color": ["green", "yellow"]},
    {"color": "no_data"},
    {"use_case": "ci", "use_case_color": "green"},
    {"use_case": "security", "use_case_color": ["no_data", "red"]},
    {"dropped": "true"},
    {"segment": "Enterprise", "color": "yellow", "dropped": "true"},
    {"q": "script"},
    {"q": "A0001"},
    {"q": "zzz-nothing"},
]


@pytest.mark.parametrize("when", ["latest", "older"])
@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "all")
def test_portfolio_counts_match_the_store(http, truth, when, params):
    period = getattr(truth, when)
    selected = select(truth.portfolio(period), params)
    answer = get_json(http, "/api/portfolio", {**params, "period": period})
    assert answer["period"] == period
    assert answer["total"] == len(selected)
    assert answer["pages"] == max(1, math.ceil(len(selected) / 50))
    assert answer["color_counts"] == {**{c: int((selected["color"] == c).sum()) for c in COLORS},
                                      "no_data": int(selected["color"].isna().sum())}
    green = selected["green_adoptable"]
    assert answer["adoption"] == {"0": int((green == 0).sum()), "1": int((green == 1).sum()),
                                  "2": int((green == 2).sum()), "3+": int((green >= 3).sum())}
    # the first page in the default order (name, then account id)
    assert [r["account_id"] for r in answer["rows"]] == expected_order(selected, "name", False)[:50]


def test_some_filters_select_something(truth):
    """Guards the test above against vacuous filters: most of them select a real, partial set."""
    frame = truth.portfolio(truth.latest)
    sizes = [len(select(frame, p)) for p in FILTERS]
    assert sum(0 < n < len(frame) for n in sizes) >= len(FILTERS) - 3
    assert len(select(frame, {"dropped": "true"})) > 0


@pytest.mark.parametrize("when, params, sort, order", [
    ("latest", {}, "score", "desc"),
    ("latest", {}, "name", "asc"),
    ("older", {}, "security_score", "asc"),          # mostly missing: those come last
    ("latest", {"segment": "SMB"}, "adopted_use_cases", "desc"),   # many ties: by account id
])
def test_pages_concatenate_to_the_sorted_selection(http, truth, when, params, sort, order):
    period = getattr(truth, when)
    selected = select(truth.portfolio(period), params)
    first, rows = all_pages(http, {**params, "period": period, "sort": sort, "order": order}, page_size=7)
    assert first["pages"] == math.ceil(len(selected) / 7)
    assert [r["account_id"] for r in rows] == expected_order(selected, sort, order == "desc")
    stored = selected.set_index("account_id")
    for row in rows:
        expected = stored.loc[row["account_id"]]
        assert row["name"] == expected["name"]
        assert same_score(row["score"], expected["score"])
        assert row["ci_color"] == (None if missing(expected["ci_color"]) else expected["ci_color"])


# -- /portfolio.csv -----------------------------------------------------------------------------
def read_csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_csv_holds_every_selected_row(http, truth):
    params = {"period": truth.older, "segment": ["SMB", "Enterprise"], "color": ["green", "yellow"]}
    response = http.get("/portfolio.csv", params=params)
    rows = read_csv(response)
    assert response.headers["content-disposition"] == f'attachment; filename="portfolio-{truth.older}.csv"'
    header = next(csv.reader(io.StringIO(response.text)))
    segments = ["segment", "industry", "tier"]
    attributes = [c for c in truth.df("SELECT column_name FROM (DESCRIBE gitlab.accounts)")["column_name"]
                  if c not in ("account_id", "as_of", "name", *segments)]
    assert header == ["period", "account_id", "name", *segments, *attributes, "score", "color", "adopted_use_cases",
                      *[f"{u}_{k}" for u in USE_CASES for k in ("color", "score")], "dropped"]

    selected = select(truth.portfolio(truth.older), params).set_index("account_id")
    total = get_json(http, "/api/portfolio", params)["total"]
    assert len(rows) == total == len(selected)
    assert sorted(r["account_id"] for r in rows) == sorted(selected.index)
    assert {HAZARD, "A000013", "A000089"} <= set(selected.index)   # names with <, quotes, & and commas
    for row in rows:
        stored = selected.loc[row["account_id"]]
        assert row["period"] == truth.older
        assert row["name"] == stored["name"]
        assert same_score(row["score"] or None, stored["score"])
        assert row["security_color"] == ("" if missing(stored["security_color"]) else stored["security_color"])
        assert row["dropped"] == str(bool(stored["dropped"])).lower()


FORMULAS = ("=1+2", "@SUM(A1:A9)", "-2+3", "+cmd|' /C calc'!A0")


@pytest.fixture(scope="module")
def formula_server(tmp_path_factory):
    """``adoptscore serve`` in a process of its own over a tiny store whose account names start
    like spreadsheet formulas (none of the shared store's hazard names does). Yields the base URL
    and the formula names by account id."""
    folder = tmp_path_factory.mktemp("formula")
    usage = generate_usage(accounts=8, months=2, seed=42, end_period=END).to_pandas()
    latest = sorted(usage.loc[usage["period"] == END, "account_id"].unique())
    names = dict(zip(latest, FORMULAS))
    usage["account_name"] = usage["account_id"].map(names).fillna(usage["account_name"])
    store = folder / "scores.duckdb"
    open_store(store).save(adoptscore.score(usage, "gitlab"))
    with serve(store) as server:
        yield server.base, names


def test_csv_quotes_formula_like_names(formula_server):
    base, formulas = formula_server
    assert len(formulas) == len(FORMULAS)
    rows = read_csv(httpx.get(base + "/portfolio.csv", timeout=60))
    names = {r["account_id"]: r["name"] for r in rows}
    assert {a: names.get(a) for a in formulas} == {a: "'" + name for a, name in formulas.items()}
    assert len(names) > len(formulas) and all(not n.startswith("'") for a, n in names.items() if a not in formulas)
    # the quote is for spreadsheets only: the API gives the name as stored
    api = httpx.get(base + "/api/portfolio", timeout=60).json()
    assert {r["account_id"]: r["name"] for r in api["rows"] if r["account_id"] in formulas} == formulas


# -- accounts, use cases, alerts ----------------------------------------------------------------
@pytest.mark.parametrize("account", [HAZARD, "A000013", "A000021", "A000150"])
@pytest.mark.parametrize("when", ["latest", "older"])
def test_account_use_cases_match_the_store(http, truth, account, when):
    period = getattr(truth, when)
    view = get_json(http, f"/api/accounts/{account}", None if when == "latest" else {"period": period})
    assert view["period"] == period
    assert view["name"] == truth.con.execute("SELECT name FROM gitlab.accounts WHERE account_id = ?",
                                             [account]).fetchone()[0]
    score, color = truth.con.execute("SELECT score, color FROM gitlab.overall WHERE account_id = ? AND period = ?",
                                     [account, period]).fetchone()
    assert same_score(view["score"], score) and view["color"] == color
    stored = truth.df("SELECT use_case, score, color, status FROM gitlab.use_cases WHERE account_id = ? AND period = ?",
                      account, period).set_index("use_case")
    assert sorted(u["id"] for u in view["use_cases"]) == sorted(stored.index)
    for shown in view["use_cases"]:
        row = stored.loc[shown["id"]]
        assert same_score(shown["score"], row["score"]), shown["id"]
        assert shown["color"] == (None if missing(row["color"]) else row["color"])
        assert shown["status"] == row["status"]


def test_account_gone_from_the_latest_period_shows_its_own_latest(http, truth):
    account, last = truth.con.execute(
        "SELECT account_id, max(period) FROM gitlab.overall GROUP BY 1 HAVING max(period) < ? ORDER BY 1 LIMIT 1",
        [truth.latest]).fetchone()
    assert get_json(http, f"/api/accounts/{account}")["period"] == last


def test_account_missing_in_a_period_is_404_naming_its_periods(http, truth):
    account, gap = truth.con.execute("""
        SELECT o.account_id, p.period FROM (SELECT DISTINCT account_id FROM gitlab.overall) o
        CROSS JOIN (SELECT DISTINCT period FROM gitlab.overall) p
        WHERE NOT EXISTS (SELECT 1 FROM gitlab.overall x WHERE x.account_id = o.account_id AND x.period = p.period)
        ORDER BY 1, 2 LIMIT 1""").fetchone()
    response = http.get(f"/api/accounts/{account}", params={"period": gap})
    assert response.status_code == 404
    own = [r[0] for r in truth.con.execute("SELECT period FROM gitlab.overall WHERE account_id = ? ORDER BY 1",
                                           [account]).fetchall()]
    assert all(p in response.json()["hint"] for p in own)
    assert gap not in response.json()["hint"]


@pytest.mark.parametrize("use_case", USE_CASES)
@pytest.mark.parametrize("when", ["latest", "older"])
def test_use_case_counts_match_the_store(http, truth, use_case, when):
    period = getattr(truth, when)
    report = get_json(http, f"/api/use-cases/{use_case}", None if when == "latest" else {"period": period})
    assert report["period"] == period
    mix = truth.df("SELECT period, coalesce(color, status) AS k, count(*) AS n FROM gitlab.use_cases "
                   "WHERE use_case = ? GROUP BY ALL", use_case)
    expected = mix.pivot(index="period", columns="k", values="n").fillna(0).astype(int)
    keys = [*COLORS, "no_data", "not_applicable"]
    assert {m["period"]: [m[k] for k in keys] for m in report["mix"]} == {
        p: [int(expected.loc[p].get(k, 0)) for k in keys] for p in truth.periods}
    counts = truth.df("SELECT metric, coalesce(color, status) AS k, count(*) AS n FROM gitlab.metrics "
                      "WHERE use_case = ? AND period = ? GROUP BY ALL", use_case, period)
    counts = counts.pivot(index="metric", columns="k", values="n").fillna(0).astype(int)
    assert [m["id"] for m in report["metrics"]] == [m.id for m in RUBRIC.use_case(use_case).metrics]
    for metric in report["metrics"]:
        row = counts.loc[metric["id"]]
        assert metric["colors"] == {c: int(row.get(c, 0)) for c in COLORS}
        assert metric["scored"] == sum(int(row.get(c, 0)) for c in COLORS)
        assert metric["no_data"] == int(row.get("no_data", 0))
        assert metric["not_applicable"] == int(row.get("not_applicable", 0))


@pytest.mark.parametrize("when", ["latest", "older", "first"])
def test_alerts_are_the_drops_of_the_period(http, truth, when):
    period = truth.periods[0] if when == "first" else getattr(truth, when)
    drops = truth.drops(period)
    found, page, pages = [], 1, 1
    while page <= pages:
        answer = get_json(http, "/api/alerts", {"period": period, "page": page, "page_size": 40})
        assert answer["count"] == len(drops)
        found += answer["alerts"]
        pages, page = answer["pages"], page + 1
    assert sorted((a["account_id"], a["use_case"], a["previous_color"], a["color"]) for a in found) == \
        sorted(drops.itertuples(index=False, name=None))
    if when == "first":
        assert found == []   # nothing precedes the first period
    for use_case in ("ci", "license"):
        answer = get_json(http, "/api/alerts", {"period": period, "use_case": use_case, "page_size": 1000})
        assert answer["count"] == int((drops["use_case"] == use_case).sum())


# -- bad requests -------------------------------------------------------------------------------
@dataclass
class Bad:
    """A bad request to an API path, its status, and words the error and the hint must contain
    (``hint`` may compute them from the store)."""

    path: str
    params: dict[str, Any]
    status: int
    error: list[str] = field(default_factory=list)
    hint: Callable[[Truth], list[str]] = lambda truth: []

    def page(self) -> str:
        """The same request to the HTML side (the portfolio page is /)."""
        return "/" if self.path == "/api/portfolio" else self.path.removeprefix("/api")


def _pages_hint(pages: Callable[[Truth], int]) -> Callable[[Truth], list[str]]:
    return lambda truth: [f"1 to {pages(truth)}"]


BAD = {
    "unknown period": Bad("/api/portfolio", {"period": "1999-01"}, 400, ["1999-01"], lambda t: t.periods),
    "bad segment": Bad("/api/portfolio", {"segment": "Galactic"}, 400, ["Galactic"], lambda t: t.distinct("segment")),
    "segment case": Bad("/api/portfolio", {"segment": "smb"}, 400, ["smb"], lambda t: t.distinct("segment")),
    "bad industry": Bad("/api/portfolio", {"industry": ["Retail", "Piracy"]}, 400, ["Piracy"],
                        lambda t: t.distinct("industry")),
    "bad color": Bad("/api/portfolio", {"color": "purple"}, 400, ["purple"], lambda t: [*COLORS, "no_data"]),
    "bad use case color": Bad("/api/portfolio", {"use_case": "ci", "use_case_color": "blue"}, 400, ["blue"],
                              lambda t: [*COLORS, "no_data"]),
    "unknown use case with color": Bad("/api/portfolio", {"use_case": "nope", "use_case_color": "red"}, 400,
                                       ["nope"], lambda t: USE_CASES),
    "unknown use case alone": Bad("/api/portfolio", {"use_case": "nope"}, 400, ["nope"], lambda t: USE_CASES),
    "use case color alone": Bad("/api/portfolio", {"use_case_color": "green"}, 400, ["use case"],
                                lambda t: USE_CASES),
    "bad sort": Bad("/api/portfolio", {"sort": "bogus"}, 400, ["bogus"],
                    lambda t: ["name", "score", "arr", *[f"{u}_score" for u in USE_CASES]]),
    "sideways": Bad("/api/portfolio", {"order": "sideways"}, 400, ["sideways"], lambda t: ["asc", "desc"]),
    "page 0": Bad("/api/portfolio", {"page": 0}, 400, ["page"]),
    "page past the end": Bad("/api/portfolio", {"page": 999}, 404, ["999"],
                             _pages_hint(lambda t: math.ceil(len(t.portfolio(t.latest)) / 50))),
    "page past an empty selection": Bad("/api/portfolio", {"q": "zzz-nothing", "page": 2}, 404, ["2"],
                                        _pages_hint(lambda t: 1)),
    "page_size 0": Bad("/api/portfolio", {"page_size": 0}, 400, ["page_size"]),
    "page_size 501": Bad("/api/portfolio", {"page_size": 501}, 400, ["page_size"]),
    "page abc": Bad("/api/portfolio", {"page": "abc"}, 400, ["page"]),
    "dropped maybe": Bad("/api/portfolio", {"dropped": "maybe"}, 400, ["dropped"]),
    "unknown account": Bad("/api/accounts/NO-SUCH-ACCOUNT", {}, 404, ["NO-SUCH-ACCOUNT"]),
    "account, unknown period": Bad(f"/api/accounts/{HAZARD}", {"period": "1999-01"}, 404, ["1999-01"],
                                   lambda t: t.periods),
    "unknown use case": Bad("/api/use-cases/nope", {}, 404, ["nope"], lambda t: USE_CASES),
    "use case, unknown period": Bad("/api/use-cases/ci", {"period": "1999-01"}, 400, ["1999-01"], lambda t: t.periods),
    "alerts, unknown period": Bad("/api/alerts", {"period": "1999-01"}, 400, ["1999-01"], lambda t: t.periods),
    "alerts, unknown use case": Bad("/api/alerts", {"use_case": "nope"}, 400, ["nope"], lambda t: USE_CASES),
    "alerts past the end": Bad("/api/alerts", {"page": 999}, 404, ["999"],
                               _pages_hint(lambda t: max(1, math.ceil(len(t.drops(t.latest)) / 100)))),
    "alerts page 0": Bad("/api/alerts", {"page": 0}, 400, ["page"]),
    "no such route": Bad("/api/nope", {}, 404),
}


def _words_in(text: str, words: list[str]) -> None:
    assert [w for w in words if w not in text] == [], text


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_bad_api_request_is_a_json_error(http, truth, bad):
    response = http.get(bad.path, params=bad.params)
    assert response.status_code == bad.status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "hint", "status"} and body["status"] == bad.status
    assert isinstance(body["hint"], str) and body["hint"]
    _words_in(body["error"], bad.error)
    _words_in(body["hint"], bad.hint(truth))


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_bad_page_request_is_an_html_error_page(http, truth, bad):
    response = http.get(bad.page(), params=bad.params)
    assert response.status_code == bad.status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert f'data-status="{bad.status}"' in response.text
    heading = re.search(r"<h1>(.*?)</h1>", response.text, re.DOTALL)
    hint = re.search(r'<p class="hint">(.*?)</p>', response.text, re.DOTALL)
    assert heading and hint, response.text
    _words_in(html.unescape(heading.group(1)), bad.error)
    _words_in(html.unescape(hint.group(1)), bad.hint(truth))


ODD = [
    ("/api/accounts/%2e%2e", {}), ("/api/accounts/'; DROP TABLE x--", {}), (f"/accounts/{PROBE}", {}),
    ("/api/portfolio", {"q": "\x00"}), ("/api/portfolio", {"q": "%_*[("}), ("/api/portfolio", {"q": "x" * 5000}),
    ("/api/portfolio", {"segment": "'"}), ("/api/portfolio", {"page": "9" * 30}), ("/api/portfolio", {"page_size": -1}),
    ("/api/portfolio", {"period": ""}), ("/api/portfolio", {"sort": ""}), ("/api/portfolio", {"order": ""}),
    ("/api/portfolio", {"use_case_color": "green"}), ("/api/portfolio", {"color": "NO_DATA"}),
    ("/portfolio.csv", {"segment": "Galactic"}), ("/portfolio.csv", {"sort": "bogus"}), ("/", {"owner": SCRIPT}),
    ("/api/alerts", {"page_size": 100000}), ("/alerts", {"use_case": SCRIPT}), ("/use-cases/ci", {"period": "\u2603"}),
]


@pytest.mark.parametrize("path, params", ODD)
def test_odd_input_never_crashes(http, path, params):
    response = http.get(path, params=params)
    assert response.status_code < 500, response.text
    if response.status_code >= 400 and path.startswith("/api/"):
        assert set(response.json()) == {"error", "hint", "status"}


# -- read-only, headers, OpenAPI, docs ----------------------------------------------------------
WRITES = [(method, path) for method in ("POST", "PUT", "DELETE", "PATCH")
          for path in ("/api/meta", "/api/portfolio", f"/api/accounts/{HAZARD}", "/api/use-cases/ci", "/api/alerts",
                       "/", "/portfolio.csv")]


@pytest.mark.parametrize("method, path", WRITES)
def test_writes_are_not_allowed(http, method, path):
    response = http.request(method, path, json={"score": 100})
    assert response.status_code == 405
    if path.startswith("/api/"):
        assert response.json()["status"] == 405


def test_method_not_allowed_names_the_allowed_method(http):
    assert "GET" in http.post("/api/meta").headers.get("allow", "")


@pytest.mark.parametrize("path", ["/", "/api/portfolio", f"/api/accounts/{HAZARD}", "/portfolio.csv", "/api/nope"])
def test_head_answers_like_get_without_a_body(http, path):
    got, head = http.get(path), http.head(path)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))
    assert head.headers.get("x-content-type-options") == "nosniff"


SERVED = ["/", f"/accounts/{HAZARD}", "/use-cases/ci", "/alerts", "/api/docs", "/api/meta", "/api/portfolio",
          f"/api/accounts/{HAZARD}", "/api/alerts", "/api/openapi.json", "/portfolio.csv", "/static/app.css",
          "/api/accounts/NOPE", "/accounts/NOPE", "/?segment=Galactic"]


@pytest.mark.parametrize("path", SERVED)
def test_security_headers_on_every_answer(http, path):
    response = http.get(path)
    assert response.status_code < 500
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers.get("x-content-type-options") == "nosniff"


def test_openapi_lists_every_api_route(http, app):
    spec = get_json(http, "/api/openapi.json")
    documented = {p for p in spec["paths"] if p.startswith("/api/")}
    own = {"/api/docs", "/api/openapi.json"}   # the docs themselves, not part of the API
    # a route's converter ({account_id:path}) is not part of its documented path
    served = {re.sub(r":\w+}", "}", r.path) for r in app.routes if getattr(r, "path", "").startswith("/api/")} - own
    assert API_ROUTES <= served
    assert documented == served
    # reads are GETs; the team's writes (overrides, notes, review answers and closing) are the only other methods
    writes = {p for p in documented if set(spec["paths"][p]) != {"get"}}
    assert all(re.search(r"/(overrides|notes|answers|close)", p) for p in writes), writes
    portfolio = {p["name"] for p in spec["paths"]["/api/portfolio"]["get"]["parameters"]}
    assert {"period", "segment", "industry", "tier", "owner", "color", "use_case", "use_case_color", "dropped", "q",
            "sort", "order", "page", "page_size"} <= portfolio


def test_api_docs_load_nothing_from_elsewhere(http, server):
    response = http.get("/api/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    for route in API_ROUTES:
        assert f"<code>{route}</code>" in response.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    texts = [response.text] + [http.get(a).text for a in assets if a.startswith("/static/")]
    for text in texts:
        assert [u for u in re.findall(r"https?://[^\s\"'<>)]+", text) if not u.startswith(server)] == []
        assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text)


# -- escaping -----------------------------------------------------------------------------------
HTML_PAGES = ["/", "/?q=script", f"/accounts/{HAZARD}", "/alerts", *[f"/use-cases/{u}" for u in USE_CASES],
              "/api/docs", f"/accounts/{PROBE}", f"/?segment={SCRIPT}", f"/?q={SCRIPT}", f"/alerts?use_case={SCRIPT}"]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_pages_show_the_script_name_only_escaped(http, truth, path):
    response = http.get(path)
    assert response.status_code < 500
    assert response.headers["content-type"].startswith("text/html")
    assert SCRIPT not in response.text and PROBE not in response.text
    # the pages' CSP allows no inline script: every script comes from the app's own files
    assert re.findall(r"<script(?![^>]*\ssrc=\"/static/)[^>]*>", response.text) == []
    if path in ("/", "/?q=script", f"/accounts/{HAZARD}"):
        assert html.escape(SCRIPT, quote=False) in response.text   # the name is there, as text


def test_api_gives_the_script_name_as_json_data(http, truth):
    """JSON carries the name verbatim (a client decodes it); it is safe because it is never served
    as HTML: application/json with nosniff."""
    name = truth.con.execute("SELECT name FROM gitlab.accounts WHERE account_id = ?", [HAZARD]).fetchone()[0]
    assert SCRIPT in name
    for path, params in ((f"/api/accounts/{HAZARD}", None), ("/api/portfolio", {"q": "script"})):
        response = http.get(path, params=params)
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["x-content-type-options"] == "nosniff"
        body = response.json()
        assert (body["name"] if "name" in body else body["rows"][0]["name"]) == name
