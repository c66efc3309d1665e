"""Every account has a reachable page, whatever its id holds (issue 14, defect 9).

Account ids come from customers' CRMs: ``emea/acme``, ``what?x=1&y=2``, ``hash#tag``, ``100%``,
spaces and other scripts. A store scored (``adoptscore score --store``) from usage with such ids
is served by ``adoptscore serve``; every link to an account is one percent-encoded path segment
and leads to that account's page, over HTTP and clicked in a real browser (Chromium under
Playwright). Jinja's ``urlencode`` keeps ``/``, so ``/accounts/emea/acme`` was a 404 before.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote, unquote

import httpx
import pytest

from adoptscore.demo import generate_usage
from tests.scorestore import END
from tests.web.serving import score_into, serve

ODD_IDS = ["emea/acme", "a/b/c", "/lead", "trail/", "what?x=1&y=2", "hash#tag", "100% sure", "a%2Fb",
           "two words", "Zürich 東京 ☃", "+plus;semi,comma=eq", "<b>&amp;</b>"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def odd_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("odd-ids")
    usage = generate_usage(accounts=len(ODD_IDS) + 8, months=3, seed=42, end_period=END).to_pandas()
    ids = sorted(usage.loc[usage["period"] == END, "account_id"].unique())  # shown on the first portfolio page
    renamed = dict(zip(ids, ODD_IDS))
    usage["account_id"] = usage["account_id"].map(renamed).fillna(usage["account_id"])
    usage.to_parquet(folder / "usage.parquet")
    store = folder / "scores.duckdb"
    score_into(folder / "usage.parquet", store)
    with serve(store) as server:
        yield server.base


def account_links(page_html: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(/accounts/[^"]*)"', page_html)]


def test_portfolio_links_are_encoded_and_each_leads_to_its_account(odd_server):
    with httpx.Client(base_url=odd_server, timeout=60) as http:
        portfolio = http.get("/", params={"page_size": 500})
        assert portfolio.status_code == 200
        links = account_links(portfolio.text)
        by_id = {unquote(link.split("?")[0][len("/accounts/"):]): link for link in links}
        assert set(ODD_IDS) <= set(by_id), sorted(set(ODD_IDS) - set(by_id))
        for account in ODD_IDS:
            link = by_id[account]
            # one path segment: nothing but the encoded id between /accounts/ and the query
            assert link.split("?")[0] == "/accounts/" + quote(account, safe=""), link
            page = http.get(link)
            assert page.status_code == 200, (account, link, page.text[:300])
            assert f'<div class="id">{html.escape(account, quote=False)}' in page.text, account
            assert page.headers["content-type"].startswith("text/html")


def test_api_answers_for_every_id(odd_server):
    with httpx.Client(base_url=odd_server, timeout=60) as http:
        for account in ODD_IDS:
            answer = http.get("/api/accounts/" + quote(account, safe=""))
            assert answer.status_code == 200, (account, answer.text)
            assert answer.json()["account_id"] == account
            portfolio = http.get("/api/portfolio", params={"q": account}).json()
            assert account in [r["account_id"] for r in portfolio["rows"]]


def test_alert_links_lead_to_their_accounts(odd_server):
    with httpx.Client(base_url=odd_server, timeout=60) as http:
        links = account_links(http.get("/alerts").text)
        for link in links:
            assert http.get(link).status_code == 200, link


def test_clicking_each_odd_id_opens_its_page_in_a_browser(odd_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        for account in ODD_IDS:
            page.goto(odd_server + "/?page_size=500")
            row = page.locator("#portfolio tbody tr").filter(
                has=page.locator(f"div.id:text-is({account!r})" if "'" not in account else "div.id"))
            assert row.count() == 1, account
            row.locator("td a").first.click()
            page.wait_for_load_state()
            assert page.locator(".account .id").inner_text().startswith(account), (account, page.url)
            assert page.title() and "not found" not in page.content().lower()
            if account == "emea/acme":
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "account-id-with-slash.png"), full_page=False)
                assert "/accounts/emea%2Facme" in page.url
                # the period form submits (on change) to the page's own, encoded, address
                older = page.locator("select[name=period] option").last.get_attribute("value")
                page.select_option("select[name=period]", older)
                page.wait_for_url(re.compile(rf"period={older}"))
                assert page.locator(".account .id").inner_text().startswith(account)
    finally:
        context.close()
