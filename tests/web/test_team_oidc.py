"""The team scorecard (create_app with ``sign_in: {oidc: ...}``) signed in through a real local
OpenID Connect provider, in Chromium: /login, the provider's form, back to the portfolio of the
person's own scope; a person not on the team gets the 403 page; another person's sign-in keeps
nothing of the first's session; signing out is a POST from the page."""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from adoptscore.team.config import load_team
from adoptscore.web.app import create_app
from tests.web.screens import keep_screenshot
from tests.web.serving import served

pytest_plugins = ("tests.web.conftest_oidc",)  # the oidc_issuer fixture

PEOPLE = """
people:
  - {email: root@example.com, role: admin}
  - {email: vic@example.com, name: Vic Stone, role: viewer, scope: {segment: [Enterprise]}}
"""


@pytest.fixture()
def team_app(store, oidc_issuer, tmp_path):
    (tmp_path / "team.yaml").write_text(
        f"sign_in:\n  oidc: {{issuer: '{oidc_issuer.url}', client_id: {oidc_issuer.client_id}, "
        f"client_secret: '{oidc_issuer.client_secret}'}}\n" + PEOPLE)
    app = create_app(store, team=load_team(tmp_path / "team.yaml"), team_database=tmp_path / "team.sqlite")
    with served(app) as base:
        yield base


@pytest.fixture()
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context
    context.close()


def shot(page, tmp_path: Path, name: str) -> None:
    keep_screenshot(page, tmp_path, f"team-oidc-{name}-1280.png")


def sign_in(page, base: str, issuer, email: str, path: str = "/") -> int:
    """Open ``path`` signed out, sign in as ``email`` on the provider's own form: the status of the
    page the browser lands on."""
    page.goto(base + path)
    page.wait_for_url(re.compile("^" + re.escape(issuer.url + "/authorize?")))
    page.fill("#email", email)
    with page.expect_navigation() as landed:
        page.click("#approve")
    return landed.value.status


def csrf_of(page) -> str:
    return page.locator("#sign-out").locator("xpath=..").locator("input[name=csrf_token]").get_attribute("value")


def enterprise_accounts(server: str) -> tuple[int, set[str]]:
    """What the unscoped app (the person at this machine, admin) has in segment Enterprise."""
    answer = httpx.get(server + "/api/portfolio", params={"segment": "Enterprise", "page_size": 500}, timeout=60).json()
    assert answer["total"] <= 500
    return answer["total"], {r["account_id"] for r in answer["rows"]}


def test_signing_in_shows_the_persons_scoped_portfolio(context, team_app, oidc_issuer, server, tmp_path):
    total, enterprise = enterprise_accounts(server)
    everyone = httpx.get(server + "/api/portfolio", timeout=60).json()["total"]
    assert 0 < total < everyone
    page = context.new_page()
    assert sign_in(page, team_app, oidc_issuer, "vic@example.com") == 200
    assert page.url == team_app + "/"
    assert page.locator("#user").inner_text().startswith("Vic Stone (viewer)")
    assert page.locator("#color-counts strong").inner_text() == f"{total:,}"
    shown = page.locator("#portfolio tbody tr[data-account]").evaluate_all("rows => rows.map(r => r.dataset.account)")
    assert shown and set(shown) <= enterprise
    shot(page, tmp_path, "portfolio")
    # outside the scope is "no such account", in the browser as in the API
    outside = next(r["account_id"] for r in httpx.get(server + "/api/portfolio", params={"page_size": 500},
                                                       timeout=60).json()["rows"] if r["account_id"] not in enterprise)
    assert page.goto(team_app + f"/accounts/{outside}").status == 404
    assert page.goto(team_app + f"/accounts/{shown[0]}").status == 200


def test_a_person_not_on_the_team_gets_the_403_page_and_no_session(context, team_app, oidc_issuer, tmp_path):
    page = context.new_page()
    assert sign_in(page, team_app, oidc_issuer, "eve@example.com") == 403
    assert page.locator("h1").inner_text() == "eve@example.com is not on this scorecard's team"
    assert "sign in as someone else" in page.locator("main").inner_text()
    shot(page, tmp_path, "not-on-the-team")
    answer = context.request.get(team_app + "/api/meta")
    assert answer.status == 401  # refused at the callback: nothing signed in
    # and the same browser can sign in as a member next
    sign_in(page, team_app, oidc_issuer, "vic@example.com")
    assert page.locator("#user").inner_text().startswith("Vic Stone")


def test_another_persons_sign_in_keeps_nothing_of_the_first_and_sign_out_is_a_post(context, team_app, oidc_issuer,
                                                                                    tmp_path):
    page = context.new_page()
    sign_in(page, team_app, oidc_issuer, "vic@example.com")
    vic_token = csrf_of(page)
    # a GET of /logout (what another site can make the browser do) signs nobody out
    page.goto(team_app + "/logout")
    assert page.locator("#sign-out").is_visible()
    shot(page, tmp_path, "sign-out")
    assert page.goto(team_app + "/").status == 200 and page.locator("#user").inner_text().startswith("Vic")
    # root signs in in the same browser: a new session, whose CSRF token is not Vic's
    sign_in(page, team_app, oidc_issuer, "root@example.com", "/login?next=/alerts")
    assert page.url == team_app + "/alerts"
    assert page.locator("#user").inner_text().startswith("root@example.com (admin)")
    root_token = csrf_of(page)
    assert root_token != vic_token
    account = page.goto(team_app + "/").ok and page.locator("#portfolio tbody tr[data-account]").first.get_attribute(
        "data-account")
    note = {"body": "from Vic's page", "csrf_token": vic_token}
    assert context.request.post(team_app + f"/accounts/{account}/notes", form=note, max_redirects=0).status == 403
    note["csrf_token"] = root_token
    assert context.request.post(team_app + f"/accounts/{account}/notes", form=note, max_redirects=0).status == 303
    # the header's Sign out button posts the page's token: signed out, and told so
    page.click("#sign-out")
    page.wait_for_url(team_app + "/logout")
    assert page.locator("h1").inner_text() == "You are signed out of the scorecard"
    shot(page, tmp_path, "signed-out")
    assert context.request.get(team_app + "/api/meta").status == 401
    page.click("#sign-in")
    page.wait_for_url(re.compile("^" + re.escape(oidc_issuer.url + "/authorize?")))
