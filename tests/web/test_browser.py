"""The scorecard pages in a real browser (Debian's Chromium under Playwright), checked against the
store read directly with SQL. Screenshots of every page are kept in test-artifacts/screenshots."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def db(store):
    con = duckdb.connect(str(store), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.requests = []
    page.dialogs = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    # nothing on any page may come from elsewhere, and no script from data may run
    assert [u for u in page.requests if not u.startswith(server)] == []
    assert page.dialogs == []
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def latest(db) -> str:
    return db.execute("SELECT max(period) FROM gitlab.overall").fetchone()[0]


def test_portfolio_account_use_case_click_through(page, server, db):
    period = latest(db)
    page.goto(server + "/")
    shot(page, "portfolio")
    counts = dict(db.execute("SELECT coalesce(color, 'no_data'), count(*) FROM gitlab.overall WHERE period = ? "
                             "GROUP BY 1", [period]).fetchall())
    for color in ("green", "yellow", "red"):
        shown = page.locator(f"#color-counts [data-color={color}] b").inner_text()
        assert int(shown.replace(",", "")) == counts.get(color, 0)
    assert page.locator("#portfolio tbody tr").count() == 50

    # filter: the select submits the form; every row shown is in the segment, and the total matches
    page.select_option("select[name=segment]", "SMB")
    page.wait_for_url(re.compile(r"segment=SMB"))
    shot(page, "portfolio-smb")
    expected = db.execute("SELECT count(*) FROM gitlab.overall WHERE period = ? AND segment = 'SMB'", [period]).fetchone()[0]
    total = page.locator("#color-counts strong").inner_text()
    assert int(total.replace(",", "")) == expected
    cells = page.locator("#portfolio tbody tr td[data-column=segment]").all_inner_texts()
    assert cells and set(cells) == {"SMB"}

    # account page: the first row's scores against the store
    first = page.locator("#portfolio tbody tr").first
    account = first.get_attribute("data-account")
    first.locator("td a").first.click()
    page.wait_for_url(re.compile(r"/accounts/"))
    shot(page, "account")
    score, color = db.execute("SELECT score, color FROM gitlab.overall WHERE account_id = ? AND period = ?",
                              [account, period]).fetchone()
    assert page.locator("#overall-score").inner_text().strip() == ("–" if score is None else f"{score:.1f}")
    for use_case, uc_color in db.execute("SELECT use_case, coalesce(color, 'no_data') FROM gitlab.use_cases "
                                         "WHERE account_id = ? AND period = ?", [account, period]).fetchall():
        assert page.locator(f"#use-case-summary tr[data-use-case={use_case}] td[data-color]").get_attribute("data-color") == uc_color
    for use_case, metric, value, status in db.execute(
            "SELECT use_case, metric, value, status FROM gitlab.metrics WHERE account_id = ? AND period = ?",
            [account, period]).fetchall():
        text = page.locator(f"#uc-{use_case} tr[data-metric={metric}] td.value").inner_text()
        if status != "scored":
            assert text == "no data"
        else:
            digits = re.sub(r"[^0-9.\-]", "", text)
            decimals = len(digits.split(".")[1]) if "." in digits else 0
            expected_value = value * 100 if text.endswith("%") else value
            # shown rounded: within half a unit of the last digit shown
            assert float(digits) == pytest.approx(expected_value, abs=0.5 * 10 ** -decimals + 1e-9)

    # use-case page: the color mix of the latest period against the store
    page.locator("#uc-ci h2 a").click()
    page.wait_for_url(re.compile(r"/use-cases/ci"))
    shot(page, "use-case-ci")
    row = page.locator(f"#mix-table tr[data-period='{period}'] td").all_inner_texts()
    mix = dict(db.execute("SELECT coalesce(color, status), count(*) FROM gitlab.use_cases WHERE use_case = 'ci' "
                          "AND period = ? GROUP BY 1", [period]).fetchall())
    assert [int(x.replace(",", "")) for x in row[1:]] == [mix.get(k, 0) for k in
                                                          ("green", "yellow", "red", "no_data", "not_applicable")]
    assert page.locator("section.metric svg.hist").count() == 1


def test_alerts_page_lists_every_drop(page, server, db):
    period = latest(db)
    drops = db.execute("""
        SELECT count(*) FROM gitlab.use_cases n JOIN gitlab.use_cases p
          ON p.account_id = n.account_id AND p.use_case = n.use_case
         AND p.period = (SELECT max(period) FROM gitlab.overall WHERE period < ?)
        WHERE n.period = ? AND ((p.color = 'green' AND n.color IN ('yellow', 'red')) OR (p.color = 'yellow' AND n.color = 'red'))
        """, [period, period]).fetchone()[0]
    page.goto(server + "/alerts")
    shot(page, "alerts")
    assert int(page.locator("#alert-count strong").inner_text().replace(",", "")) == drops
    assert page.locator("#alerts tbody tr[data-account]").count() == min(drops, 100)


def test_a_script_in_a_name_is_shown_as_text(page, server):
    page.goto(server + "/accounts/A000007")
    shot(page, "account-hazard-name")
    assert page.locator("#account-name").inner_text() == "<script>alert(1)</script> Industries"
    page.goto(server + "/?q=script")
    assert "<script>alert(1)</script> Industries" in page.locator("#portfolio").inner_text()


def test_bad_requests_get_a_page_not_a_crash(page, server):
    response = page.goto(server + "/accounts/NO-SUCH-ACCOUNT")
    assert response.status == 404
    assert "NO-SUCH-ACCOUNT" in page.locator(".error h1").inner_text()
    shot(page, "error-404")
    response = page.goto(server + "/?segment=Galactic")
    assert response.status == 400
    assert "Enterprise" in page.locator(".error .hint").inner_text()
