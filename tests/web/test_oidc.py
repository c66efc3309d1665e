"""Sign-in with OpenID Connect (adoptscore.web.oidc) against a real local provider
(tests/web/oidc_issuer.py): once through a real browser, then each refusal over plain HTTP."""
from __future__ import annotations

import re
import secrets
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import ValidationError
from starlette.middleware.sessions import SessionMiddleware

from adoptscore.errors import AdoptscoreError
from adoptscore.web.oidc import OidcSettings, install_oidc, safe_next
from tests.web import serving
from tests.web.oidc_issuer import Issuer, make_key, running_issuer
from tests.web.serving import free_port

pytest_plugins = ("tests.web.conftest_oidc",)  # the oidc_issuer fixture


def relying_party(settings: OidcSettings, on_login: Callable[[Request, dict], None] | None = None) -> FastAPI:
    """The smallest app that signs in: sessions, the OIDC routes, and pages that show the session."""
    app = FastAPI()

    @app.get("/whoami")
    def whoami(request: Request) -> Any:
        email = request.session.get("email")
        if not email:
            return PlainTextResponse("nobody signed in", status_code=401)
        return PlainTextResponse(f"signed in as {email}")

    @app.get("/session")
    def session(request: Request) -> Any:
        return JSONResponse(dict(request.session))

    @app.get("/mark")
    def mark(request: Request) -> Any:
        request.session["theme"] = "dark"
        return PlainTextResponse("marked")

    install_oidc(app, settings, on_login=on_login)
    app.add_middleware(SessionMiddleware, secret_key=secrets.token_urlsafe(32), session_cookie="rp_session",
                       same_site="lax")
    return app


def settings_for(issuer: Issuer, **changes: Any) -> OidcSettings:
    return OidcSettings(**{"issuer": issuer.url, "client_id": issuer.client_id,
                           "client_secret": issuer.client_secret, **changes})


@contextmanager
def served(settings: OidcSettings, **kwargs: Any) -> Iterator[httpx.Client]:
    """The relying party on a free port and an HTTP client (with its own cookie jar) to it."""
    with serving.served(relying_party(settings, **kwargs)) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        yield client


def to_callback(rp: httpx.Client, next_path: str | None = None) -> str:
    """/login, then the provider approving ``next_user``: the callback URL the browser is sent back to."""
    login = rp.get("/login", params={"next": next_path} if next_path is not None else None)
    assert login.status_code == 302, login.text
    authorize = login.headers["location"]
    approved = httpx.get(authorize + "&approve=1", timeout=30)
    assert approved.status_code == 302, approved.text
    callback = approved.headers["location"]
    assert callback.startswith(str(rp.base_url).rstrip("/") + "/auth/callback?"), callback
    return callback


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def signed_out(rp: httpx.Client) -> bool:
    return rp.get("/whoami").status_code == 401


def refused(issuer: Issuer, status: int = 401, on_login: Callable[[Request, dict], None] | None = None,
            **settings: Any) -> str:
    """A sign-in through ``issuer`` (approving its ``next_user``) that must fail: answered ``status``
    with no traceback, nobody signed in after. Its text, for the test to read the reason in."""
    with served(settings_for(issuer, **settings), on_login=on_login) as rp:
        answer = rp.get(to_callback(rp))
        assert answer.status_code == status, answer.text
        assert "Traceback" not in answer.text
        assert signed_out(rp)
        return answer.text


# -- a browser ----------------------------------------------------------------------------------

def test_sign_in_in_a_real_browser(browser, oidc_issuer):
    with served(settings_for(oidc_issuer)) as rp:
        base = str(rp.base_url).rstrip("/")
        context = browser.new_context()
        page = context.new_page()
        try:
            assert page.goto(base + "/whoami").status == 401
            page.goto(base + "/login?next=/whoami")
            page.wait_for_url(re.compile("^" + re.escape(oidc_issuer.url + "/authorize?")))
            page.fill("#email", "ana@example.com")
            page.fill("#name", "Ana Lopez")
            page.click("#approve")
            page.wait_for_url(base + "/whoami")
            assert page.locator("body").inner_text() == "signed in as ana@example.com"
            # the browser's own cookie, read back by the app: the name and the time came with it
            session = context.request.get(base + "/session").json()
            assert session["name"] == "Ana Lopez" and abs(session["signed_in_at"] - time.time()) < 60
        finally:
            context.close()


# -- the flow over HTTP -------------------------------------------------------------------------

def test_sign_in_starts_a_new_session(oidc_issuer):
    seen: list[dict] = []
    oidc_issuer.sign_in_as("Vic@Example.com", name="Vic")
    with served(settings_for(oidc_issuer), on_login=lambda request, claims: seen.append(claims)) as rp:
        rp.get("/mark")
        login = rp.get("/login", params={"next": "/whoami"})
        query = parse_qs(urlsplit(login.headers["location"]).query)
        # Authlib's request: PKCE S256, a nonce and a state, the scopes asked for
        assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
        assert query["nonce"][0] and query["state"][0]
        assert query["scope"] == ["openid email profile"]
        callback = httpx.get(login.headers["location"] + "&approve=1", timeout=30).headers["location"]
        done = rp.get(callback)
        assert done.status_code == 303 and done.headers["location"] == "/whoami"
        assert rp.get("/whoami").text == "signed in as vic@example.com"
        session = rp.get("/session").json()
        # nothing of the session before sign-in is kept ("theme"), nor of the pending sign-in
        assert set(session) == {"email", "name", "via", "signed_in_at"}
        assert {k: session[k] for k in ("email", "name", "via")} == {"email": "vic@example.com", "name": "Vic",
                                                                     "via": "oidc"}
        assert abs(session["signed_in_at"] - time.time()) < 60
    assert oidc_issuer.token_requests == [{"auth": "client_secret_basic", "code_verifier": True}]
    assert len(seen) == 1 and seen[0]["email"] == "Vic@Example.com" and seen[0]["iss"] == oidc_issuer.url


def test_another_persons_sign_in_in_the_same_browser_keeps_nothing_of_the_first(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    with served(settings_for(oidc_issuer)) as rp:
        assert rp.get(to_callback(rp)).status_code == 303
        rp.get("/mark")  # a key of Ana's session, as the scorecard's CSRF token is
        assert rp.get("/session").json()["theme"] == "dark"
        oidc_issuer.sign_in_as("root@example.com")
        assert rp.get(to_callback(rp)).status_code == 303
        session = rp.get("/session").json()
        assert session["email"] == "root@example.com" and "theme" not in session


def test_a_tampered_state_is_refused_and_signs_nobody_in(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    with served(settings_for(oidc_issuer)) as rp:
        callback = to_callback(rp)
        answer = rp.get(with_query(callback, state="forged-" + secrets.token_urlsafe(8)))
        assert answer.status_code == 401
        assert "state does not match" in answer.text and "Traceback" not in answer.text
        assert signed_out(rp)
        assert rp.get("/session").json().get("email") is None


def test_a_callback_from_another_browser_is_refused(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    with served(settings_for(oidc_issuer)) as rp:
        callback = to_callback(rp)
        # the same URL in a browser that did not start this sign-in (login CSRF)
        with httpx.Client(timeout=30) as other:
            answer = other.get(callback)
            assert answer.status_code == 401 and "state does not match" in answer.text
        # and the real browser's callback still works, once
        assert rp.get(callback).status_code == 303
        again = rp.get(callback)
        assert again.status_code == 401 and "state does not match" in again.text


def test_a_forged_nonce_is_refused(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    oidc_issuer.claims_override = {"nonce": "not-the-one-sent"}
    text = refused(oidc_issuer)
    assert "ID token" in text and "nonce" in text


@pytest.mark.parametrize("kid", ["test-key-1", "a-key-nobody-published"])
def test_an_id_token_signed_by_another_key_is_refused(oidc_issuer, kid):
    oidc_issuer.sign_in_as("ana@example.com")
    # the same key id (a forger copying the header) or an unknown one (Authlib fetches the keys again)
    oidc_issuer.signing_key = make_key(kid)
    text = refused(oidc_issuer)
    assert "the ID token from" in text and "not valid" in text


@pytest.mark.parametrize("claims, why", [
    ({"iss": "http://127.0.0.1:9/other"}, "iss"),
    # issued for another client: with no azp (Authlib's own check), and naming us in azp (ours)
    ({"aud": "another-client"}, "not valid"),
    ({"aud": "another-client", "azp": "adoptscore-test"}, "aud"),
    ({"aud": ["another-client", "a-third-one"], "azp": "adoptscore-test"}, "aud"),
    ({"exp": int(time.time()) - 3600}, "expired"),
])
def test_an_id_token_for_another_issuer_audience_or_time_is_refused(oidc_issuer, claims, why):
    oidc_issuer.sign_in_as("ana@example.com")
    oidc_issuer.claims_override = claims
    assert why in refused(oidc_issuer)


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example",
                                    "/\t/evil.example", "evil.example", "javascript:alert(1)"])
def test_next_elsewhere_is_ignored(oidc_issuer, target):
    oidc_issuer.sign_in_as("ana@example.com")
    with served(settings_for(oidc_issuer)) as rp:
        done = rp.get(to_callback(rp, target))
        assert done.status_code == 303 and done.headers["location"] == "/"
        assert not signed_out(rp)


def test_next_on_this_server_is_followed(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    with served(settings_for(oidc_issuer)) as rp:
        done = rp.get(to_callback(rp, "/accounts/acme?period=2026-10"))
        assert done.status_code == 303 and done.headers["location"] == "/accounts/acme?period=2026-10"


def test_next_of_an_abandoned_sign_in_is_not_used_by_the_next_one(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    with served(settings_for(oidc_issuer)) as rp:
        assert rp.get("/login", params={"next": "/abandoned"}).status_code == 302
        done = rp.get(to_callback(rp))
        assert done.status_code == 303 and done.headers["location"] == "/"


def test_safe_next():
    assert safe_next("/a/b?c=d#e") == "/a/b?c=d#e"
    for value in (None, "", "//x", "///x", "/\\x", "\\\\x", "/\n/x", "http://x", "x", "/\x7f"):
        assert safe_next(value) is None, value


def test_logout_is_a_post_with_the_pages_csrf_token(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    with served(settings_for(oidc_issuer)) as rp:
        rp.get(to_callback(rp))
        rp.get("/mark")
        # a GET (a link or an image on any site) only shows the sign-out button
        page = rp.get("/logout")
        assert page.status_code == 200 and "id='sign-out'" in page.text and "ana@example.com" in page.text
        assert not signed_out(rp)
        token = re.search(r"name='csrf_token' value='([^']+)'", page.text).group(1)
        # a POST from elsewhere, without the token or with another: asked again, still signed in
        for form in ({}, {"csrf_token": "x" * 43}):
            refused = rp.post("/logout", data=form)
            assert refused.status_code == 403 and "id='sign-out'" in refused.text
            assert not signed_out(rp)
        out = rp.post("/logout", data={"csrf_token": token})
        assert out.status_code == 303 and out.headers["location"] == "/logout"
        assert signed_out(rp)
        assert rp.get("/session").json() == {}
        after = rp.get("/logout")
        assert "You are signed out" in after.text and "sign-out" not in after.text
        # signed out already: the button does nothing more, and says nothing is wrong
        assert rp.post("/logout").status_code == 303
        assert rp.get("/session").json() == {}


def test_the_app_starts_with_the_provider_down_and_signs_in_once_it_is_up():
    port = free_port()
    issuer_url = f"http://127.0.0.1:{port}"
    settings = OidcSettings(issuer=issuer_url, client_id="adoptscore-test", client_secret="s3cret")
    with served(settings) as rp:
        for accept in ("text/html", "text/plain"):
            down = rp.get("/login", headers={"accept": accept})
            assert down.status_code == 502
            assert issuer_url in down.text and "could not be reached" in down.text
            assert "Traceback" not in down.text
        with running_issuer(port) as issuer:
            issuer.client_secret = "s3cret"
            issuer.sign_in_as("ana@example.com")
            # nothing about the failure was kept: the next /login reads the discovery document
            assert rp.get(to_callback(rp)).status_code == 303
            assert not signed_out(rp)


def test_a_provider_naming_another_issuer_is_refused(oidc_issuer):
    oidc_issuer.discovery_override = {"issuer": "https://login.example.com"}
    with served(settings_for(oidc_issuer)) as rp:
        answer = rp.get("/login")
        assert answer.status_code == 502 and "names the issuer 'https://login.example.com'" in answer.text
        oidc_issuer.discovery_override = {}
        # refused, not kept: once the provider is right, signing in works
        assert rp.get("/login").status_code == 302


def test_the_provider_saying_no_is_a_401_naming_its_error(oidc_issuer):
    with served(settings_for(oidc_issuer)) as rp:
        authorize = rp.get("/login").headers["location"]
        state = parse_qs(urlsplit(authorize).query)["state"][0]
        answer = rp.get("/auth/callback", params={"error": "access_denied", "error_description": "the user said no",
                                                 "state": state}, headers={"accept": "text/html"})
        assert answer.status_code == 401 and answer.headers["content-type"].startswith("text/html")
        assert "access_denied" in answer.text and "the user said no" in answer.text
        assert signed_out(rp)
        assert [k for k in rp.get("/session").json() if k.startswith("_state_")] == []


def test_an_error_for_a_sign_in_this_browser_did_not_start_shows_no_text_of_the_link(oidc_issuer):
    with served(settings_for(oidc_issuer)) as rp:
        rp.get("/login")
        answer = rp.get("/auth/callback", params={"error": "access_denied", "state": "forged",
                                                 "error_description": "call +1 555 0100 to unlock your account"})
        assert answer.status_code == 401 and "state does not match" in answer.text
        assert "555" not in answer.text


def test_a_wrong_client_secret_is_a_401(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    assert "invalid_client" in refused(oidc_issuer, client_secret="wrong")


def test_an_unverified_email_is_refused(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com", email_verified=False)
    assert "has not verified ana@example.com" in refused(oidc_issuer)


def test_a_provider_that_does_not_say_email_verified_is_believed(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com", email_verified=None)
    with served(settings_for(oidc_issuer)) as rp:
        assert rp.get(to_callback(rp)).status_code == 303
        assert not signed_out(rp)


def test_no_email_claim_is_a_401_naming_it(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    assert "no 'upn' claim" in refused(oidc_issuer, email_claim="upn")


def test_the_email_comes_from_userinfo_when_the_id_token_has_none(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com", name="Ana")
    oidc_issuer.email_in_id_token = False
    with served(settings_for(oidc_issuer)) as rp:
        assert rp.get(to_callback(rp)).status_code == 303
        assert rp.get("/whoami").text == "signed in as ana@example.com"


def test_userinfo_about_another_subject_is_refused(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    oidc_issuer.email_in_id_token = False
    oidc_issuer.userinfo_override = {"sub": "someone-else", "email": "root@example.com"}
    assert "about another subject" in refused(oidc_issuer)


def test_on_login_can_refuse_the_person(oidc_issuer):
    def not_on_the_team(request: Request, claims: dict) -> None:
        raise AdoptscoreError(f"{claims['email']} is not on this scorecard's team", hint="ask an admin")

    oidc_issuer.sign_in_as("eve@example.com")
    assert "eve@example.com is not on this scorecard's team" in refused(oidc_issuer, 403, on_login=not_on_the_team)


# -- the issuer's own checks, which the refusals above rely on -------------------------------------

def test_the_issuer_takes_each_code_once_and_checks_pkce(oidc_issuer):
    oidc_issuer.sign_in_as("ana@example.com")
    redirect_uri = "http://127.0.0.1:1/auth/callback"
    verifier = secrets.token_urlsafe(48)
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    def code() -> str:
        answer = httpx.get(oidc_issuer.url + "/authorize", params={
            "client_id": oidc_issuer.client_id, "response_type": "code", "redirect_uri": redirect_uri,
            "scope": "openid email", "state": "s", "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256", "approve": "1"})
        return parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]

    def exchange(code: str, code_verifier: str) -> httpx.Response:
        return httpx.post(oidc_issuer.url + "/token", data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": code_verifier, "client_id": oidc_issuer.client_id,
            "client_secret": oidc_issuer.client_secret})

    first = code()
    assert exchange(first, verifier).status_code == 200
    assert exchange(first, verifier).json()["error"] == "invalid_grant"   # used
    assert exchange(code(), "another-verifier-" + "x" * 40).json()["error"] == "invalid_grant"
    assert oidc_issuer.token_requests[0]["auth"] == "client_secret_post"


# -- settings -------------------------------------------------------------------------------------

@pytest.mark.parametrize("issuer", ["http://login.example.com", "http://10.0.0.5:8080/realms/x"])
def test_an_http_issuer_elsewhere_is_refused(issuer):
    with pytest.raises(ValidationError, match=re.escape(f"issuer {issuer} is not https")):
        OidcSettings(issuer=issuer, client_id="c")
    assert OidcSettings(issuer=issuer, client_id="c", allow_http=True).issuer == issuer


@pytest.mark.parametrize("issuer", ["https://login.example.com", "http://127.0.0.1:8080", "http://localhost/x",
                                    "http://[::1]:9000"])
def test_https_and_local_issuers_are_accepted(issuer):
    assert OidcSettings(issuer=issuer, client_id="c").metadata_url == issuer + "/.well-known/openid-configuration"


@pytest.mark.parametrize("fields, message", [
    ({"issuer": "login.example.com"}, "not an http(s) URL"),
    ({"scopes": ["email"]}, "must include 'openid'"),
    ({"client_secret": "a", "client_secret_env": "B"}, "not both"),
    ({"clientsecret": "a"}, "Extra inputs are not permitted"),
])
def test_settings_that_cannot_work_are_refused(fields, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        OidcSettings(**{"issuer": "https://login.example.com", "client_id": "c", **fields})


def test_the_client_secret_from_the_environment(monkeypatch):
    settings = OidcSettings(issuer="https://login.example.com", client_id="c", client_secret_env="ADOPTSCORE_TEST_OIDC")
    monkeypatch.delenv("ADOPTSCORE_TEST_OIDC", raising=False)
    with pytest.raises(AdoptscoreError) as raised:
        settings.resolved_client_secret()
    assert "ADOPTSCORE_TEST_OIDC, which is not set" in raised.value.message
    assert raised.value.hint and "ADOPTSCORE_TEST_OIDC" in raised.value.hint
    with pytest.raises(AdoptscoreError):  # install_oidc reads it too: a server does not start without it
        install_oidc(FastAPI(), settings)
    monkeypatch.setenv("ADOPTSCORE_TEST_OIDC", "from-env")
    assert settings.resolved_client_secret() == "from-env"
    assert OidcSettings(issuer="https://login.example.com", client_id="c").resolved_client_secret() is None
