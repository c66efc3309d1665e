"""The team scorecard's sign-in, scopes, overrides and notes, over a real HTTP server."""
from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from adoptscore.team import store as team_store_module
from adoptscore.team.config import load_team
from adoptscore.web.app import create_app
from tests.web.serving import served

TEAM = """
sign_in:
  proxy: {header: X-Forwarded-Email, trusted: [127.0.0.1]}
people:
  - {email: root@example.com, role: admin}
  - {email: priya@example.com, role: owner, owner: Priya Raman}
  - {email: vic@example.com, role: viewer, scope: {segment: [Enterprise]}}
overrides: {default_days: 90, max_days: 120}
"""


def team_file(tmp_path, text=TEAM):
    path = tmp_path / "team.yaml"
    path.write_text(text)
    return load_team(path)


@pytest.fixture(scope="module")
def team_server(store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("team")
    app = create_app(store, team=team_file(folder), team_database=folder / "team.sqlite")
    with served(app) as base:
        yield base, app


def as_(email):
    return {"X-Forwarded-Email": email, "Accept": "application/json"}


def routes(app):
    return [(r.path, sorted(r.methods)) for r in app.routes if hasattr(r, "methods")]


def test_every_route_without_a_person_is_refused(team_server):
    base, app = team_server
    public = ("/login", "/auth/callback", "/logout", "/healthz")
    for path, methods in routes(app):
        if path.startswith(public):
            continue
        url = base + re.sub(r"\{[^}]+\}", "A000001", path)
        for method in methods:
            if method == "HEAD":
                continue
            answer = httpx.request(method, url, timeout=30, follow_redirects=False)
            assert answer.status_code == 401, (method, path, answer.status_code)
            assert "A000001" not in answer.text


def test_the_proxy_header_signs_in_and_strangers_are_refused(team_server):
    base, _ = team_server
    meta = httpx.get(base + "/api/meta", headers=as_("Root@Example.com"), timeout=30).json()
    assert meta["user"]["role"] == "admin" and meta["user"]["via"] == "proxy"
    assert httpx.get(base + "/api/meta", headers=as_("nobody@example.com"), timeout=30).status_code == 403


def test_the_header_is_ignored_from_an_address_that_is_not_the_proxy(store, tmp_path):
    loaded = team_file(tmp_path, TEAM.replace("trusted: [127.0.0.1]", "trusted: [10.0.0.0/8]"))
    with served(create_app(store, team=loaded, team_database=tmp_path / "t.sqlite")) as base:
        assert httpx.get(base + "/api/meta", headers=as_("root@example.com"), timeout=30).status_code == 401


def test_a_scoped_viewer_never_receives_an_account_outside_the_scope(team_server):
    base, _ = team_server
    everyone = httpx.get(base + "/api/portfolio?page_size=500", headers=as_("root@example.com"), timeout=30).json()
    outside = [r["account_id"] for r in everyone["rows"] if r["segment"] != "Enterprise"]
    inside = [r["account_id"] for r in everyone["rows"] if r["segment"] == "Enterprise"]
    assert outside and inside
    mine = httpx.get(base + "/api/portfolio?page_size=500", headers=as_("vic@example.com"), timeout=30).json()
    assert sorted(r["account_id"] for r in mine["rows"]) == sorted(inside)
    assert mine["total"] == len(inside)
    csv = httpx.get(base + "/portfolio.csv", headers=as_("vic@example.com"), timeout=30).text
    assert all(a not in csv for a in outside[:20]) and inside[0] in csv
    for account in outside[:5]:
        for path in (f"/api/accounts/{account}", f"/accounts/{account}"):
            answer = httpx.get(base + path, headers=as_("vic@example.com"), timeout=30)
            assert answer.status_code == 404, path
    assert httpx.get(base + f"/api/accounts/{inside[0]}", headers=as_("vic@example.com"), timeout=30).status_code == 200
    alerts = httpx.get(base + "/api/alerts?page_size=1000", headers=as_("vic@example.com"), timeout=30).json()
    assert all(a["attributes"]["segment"] == "Enterprise" for a in alerts["alerts"])
    meta = httpx.get(base + "/api/meta", headers=as_("vic@example.com"), timeout=30).json()
    assert meta["filters"]["segment"] == ["Enterprise"]


def test_an_owner_opens_on_their_accounts(team_server):
    base, _ = team_server
    answer = httpx.get(base + "/", headers={"X-Forwarded-Email": "priya@example.com"}, timeout=30, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/?owner=Priya%20Raman"


def session_for(base, email, account):
    client = httpx.Client(base_url=base, headers={"X-Forwarded-Email": email}, timeout=30)
    page = client.get(f"/accounts/{account}")
    assert page.status_code == 200, page.text[:300]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    return client, token.group(1) if token else None


def test_override_lifecycle_with_csrf_audit_and_expiry(team_server, monkeypatch):
    base, _ = team_server
    rows = httpx.get(base + "/api/portfolio?owner=Priya%20Raman&page_size=500", headers=as_("root@example.com"),
                     timeout=30).json()["rows"]
    account = rows[0]["account_id"]
    other = httpx.get(base + "/api/portfolio?page_size=500", headers=as_("root@example.com"),
                      timeout=30).json()["rows"]
    not_hers = next(r["account_id"] for r in other if r["owner"] != "Priya Raman")
    client, token = session_for(base, "priya@example.com", account)
    assert token
    form = {"use_case": "ci", "color": "green", "reason": "<script>alert(1)</script> pilot ends in May", "days": "30"}
    # no token, a wrong token, another site's origin: refused, nothing written
    assert client.post(f"/accounts/{account}/overrides", data=form, follow_redirects=False).status_code == 403
    assert client.post(f"/accounts/{account}/overrides", data={**form, "csrf_token": "x" * 43},
                       follow_redirects=False).status_code == 403
    assert client.post(f"/accounts/{account}/overrides", data={**form, "csrf_token": token},
                       headers={"Origin": "https://evil.example"}, follow_redirects=False).status_code == 403
    assert client.get(f"/api/accounts/{account}").json()["overrides"] == []
    # too long, then right
    assert client.post(f"/accounts/{account}/overrides", data={**form, "days": "121", "csrf_token": token},
                       follow_redirects=False).status_code == 400
    done = client.post(f"/accounts/{account}/overrides", data={**form, "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    view = client.get(f"/api/accounts/{account}").json()
    [override] = view["overrides"]
    assert override["color"] == "green" and override["author"] == "priya@example.com" and override["active"]
    computed = next(u for u in view["use_cases"] if u["id"] == "ci")
    assert computed["score"] == next(u for u in httpx.get(base + f"/api/accounts/{account}", headers=as_("root@example.com"),
                                                          timeout=30).json()["use_cases"] if u["id"] == "ci")["score"]
    page = client.get(f"/accounts/{account}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # her accounts only; a viewer none
    assert client.post(f"/accounts/{not_hers}/overrides", data={**form, "csrf_token": token},
                       follow_redirects=False).status_code == 403
    viewer, viewer_token = session_for(base, "root@example.com", account)
    # the audit log holds who, when, before, after and why
    audit = viewer.get("/api/audit").json()["entries"]
    entry = next(e for e in audit if e["object"] == f"override:{account}/ci")
    assert entry["actor"] == "priya@example.com" and entry["before"] is None and entry["after"]["color"] == "green"
    assert entry["reason"].endswith("pilot ends in May")
    assert client.get("/api/audit").status_code == 403
    # it ends by itself
    later = team_store_module.now() + timedelta(days=31)
    monkeypatch.setattr(team_store_module, "now", lambda: later)
    assert client.get(f"/api/accounts/{account}").json()["overrides"] == []


def test_notes_are_kept_with_author_and_shown_as_text(team_server):
    base, _ = team_server
    rows = httpx.get(base + "/api/portfolio?page_size=5", headers=as_("root@example.com"), timeout=30).json()["rows"]
    account = rows[0]["account_id"]
    client, token = session_for(base, "root@example.com", account)
    probe = '"><img src=x onerror=alert(1)>'
    assert client.post(f"/accounts/{account}/notes", data={"body": probe, "use_case": "scm", "csrf_token": token},
                       follow_redirects=False).status_code == 303
    [note] = client.get(f"/api/accounts/{account}").json()["notes"]
    assert note["body"] == probe and note["author"] == "root@example.com" and note["use_case"] == "scm"
    page = client.get(f"/accounts/{account}").text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_api_tokens_are_stored_hashed_and_need_no_csrf(team_server):
    base, app = team_server
    store = app.state.team_store
    token = store.add_token("priya@example.com", "script", actor="root@example.com")
    kept = b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))
    # the secret part itself (token_urlsafe may hold "_", so split at the first two only)
    assert token.encode() not in kept and token.split("_", 2)[2].encode() not in kept
    headers = {"Authorization": f"Bearer {token}"}
    meta = httpx.get(base + "/api/meta", headers=headers, timeout=30).json()
    assert meta["user"]["email"] == "priya@example.com" and meta["user"]["via"] == "token"
    assert httpx.get(base + "/api/meta", headers={"Authorization": f"Bearer {token}x"}, timeout=30).status_code == 401
    account = httpx.get(base + "/api/portfolio?page_size=1&owner=Priya%20Raman", headers=headers,
                        timeout=30).json()["rows"][0]["account_id"]
    made = httpx.post(base + f"/api/accounts/{account}/notes", json={"body": "from a script"}, headers=headers, timeout=30)
    assert made.status_code == 201 and made.json()["author"] == "priya@example.com"
    [tid] = [t["id"] for t in store.tokens() if t["label"] == "script"]
    assert store.revoke_token(tid, actor="root@example.com")
    assert httpx.get(base + "/api/meta", headers=headers, timeout=30).status_code == 401


def test_the_audit_log_is_append_only(tmp_path):
    import sqlite3

    store = team_store_module.TeamStore(tmp_path / "t.sqlite")
    store.add_note("A1", None, "hello", "a@example.com")
    con = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit SET actor = 'x'")
    con.close()
    store.close()


def test_a_wrong_team_file_is_one_located_error(tmp_path):
    from adoptscore.team.config import TeamError

    path = tmp_path / "team.yaml"
    path.write_text("people:\n  - {email: a@example.com, role: boss}\n")
    with pytest.raises(TeamError) as caught:
        load_team(path)
    text = caught.value.format()
    assert str(path) in text and ":2:" in text and "boss" in text


def test_an_owner_overrides_and_notes_in_a_real_browser(team_server, browser):
    base, _ = team_server
    rows = httpx.get(base + "/api/portfolio?owner=Priya%20Raman", headers=as_("root@example.com"), timeout=30).json()["rows"]
    account = rows[-1]["account_id"]
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  extra_http_headers={"X-Forwarded-Email": "priya@example.com"})
    page = context.new_page()
    try:
        page.goto(f"{base}/accounts/{account}")
        page.select_option("#override-form select[name=use_case]", "cd")
        page.select_option("#override-form select[name=color]", "yellow")
        page.fill("#override-form input[name=reason]", "<b>migration</b> under way")
        page.click("#override-form button")
        assert page.url.endswith(f"/accounts/{account}#team"), page.url
        row = page.locator("#overrides tr[data-use-case=cd]")
        assert row.get_attribute("data-override") == "yellow"
        assert row.locator("td.reason").inner_text() == "<b>migration</b> under way"
        page.fill("#note-form textarea", "QBR on the 12th")
        page.click("#note-form button")
        assert "QBR on the 12th" in page.locator("#notes").inner_text()
        page.locator("#overrides tr[data-use-case=cd] button").click()
        assert page.locator("#overrides tr[data-use-case=cd]").count() == 0
    finally:
        context.close()


def test_a_team_file_with_oidc_gives_the_settings_sign_in_reads(tmp_path):
    from adoptscore.web.oidc import OidcSettings

    loaded = team_file(tmp_path, TEAM.replace("sign_in:\n", "sign_in:\n  oidc: {issuer: 'http://127.0.0.1:9/', client_id: c}\n"))
    assert isinstance(loaded.team.sign_in.oidc, OidcSettings) and loaded.team.signs_in


def test_an_alert_says_the_override_in_force_and_is_not_left_out(store, browser, tmp_path):
    """An override written through the team database on the use case of an alert: /api/alerts and
    the alerts page still list the drop, with the override's color, reason and end beside it."""
    database = tmp_path / "team.sqlite"
    with served(create_app(store, team_database=database)) as base:
        before = httpx.get(base + "/api/alerts", timeout=60).json()
        first = before["alerts"][0]
        team = team_store_module.TeamStore(database)
        o = team.set_override(first["account_id"], first["use_case"], "green", "<i>Renewal</i> signed; usage follows",
                              "ana@example.com", days=30, max_days=90)
        after = httpx.get(base + "/api/alerts", timeout=60).json()
        assert after["count"] == before["count"]
        assert [(a["account_id"], a["use_case"]) for a in after["alerts"]] == \
            [(a["account_id"], a["use_case"]) for a in before["alerts"]]
        said = [a for a in after["alerts"] if a["override_color"]]
        assert [(a["account_id"], a["use_case"]) for a in said] == [(o.account_id, o.use_case)]
        assert (said[0]["override_color"], said[0]["override_reason"], said[0]["override_by"], said[0]["override_until"]) \
            == ("green", o.reason, "ana@example.com", o.expires_at[:10])
        assert said[0]["color"] == first["color"]   # the computed drop is what the alert is about

        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        try:
            page.goto(base + "/alerts")
            page.screenshot(path=str(tmp_path / "alerts-override-1280.png"))
            row = page.locator(f'#alerts tr[data-account="{o.account_id}"][data-use-case="{o.use_case}"]')
            cell = row.locator("td.override")
            assert cell.get_attribute("data-override") == "green"
            assert cell.locator(".ovr").inner_text() == "CSM: Green"
            assert cell.locator(".reason").inner_text() == o.reason   # markup shown as text
            assert f"until {o.expires_at[:10]}" in cell.inner_text()
            assert page.locator("#alerts td.override[data-override]").count() == 1
            assert page.locator("#alerts tbody tr[data-account]").count() == min(before["count"], 100)
        finally:
            context.close()
