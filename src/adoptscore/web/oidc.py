"""Sign-in with OpenID Connect (authorization code flow with PKCE), through Authlib.

Every protocol and crypto step is Authlib's: discovery, the authorization request (``state``,
``nonce``, PKCE S256), the code exchange and the ID token's signature and claims (issuer, audience,
expiry, nonce, ``at_hash``), checked against the provider's published keys. This module decides only
what a sign-in means for the scorecard: which claim is the person, where the browser goes after,
and what a failure says.

:func:`install_oidc` adds three routes to an app:

``GET /login[?next=/path]``
    sends the browser to the provider. ``next`` is kept only when it is a path on this server.
``GET /auth/callback``
    where the provider sends the browser back. On success the session starts afresh and holds
    ``email``, ``name``, ``via`` (``"oidc"``) and ``signed_in_at``; the browser goes to ``next`` or ``/``.
``GET /logout``, ``POST /logout``
    the GET is a small page with a sign-out button (or, signed out, a sign-in link); the POST,
    carrying that page's CSRF token, clears the session and goes back to the GET. A GET never signs anyone out: any site can make a
    browser GET a URL (an image, a link), and it would sign people out of the scorecard at will.

The session is Starlette's :class:`~starlette.middleware.sessions.SessionMiddleware`, which the
caller installs (outside these routes): Authlib keeps the pending sign-in's state, nonce and PKCE
verifier there between ``/login`` and the callback, and the result is kept there after.
"""
from __future__ import annotations

import html
import importlib
import os
import time
import warnings
from typing import Any, Callable
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from adoptscore.errors import AdoptscoreError, first_line

LOCAL_ISSUER_HOSTS = ("127.0.0.1", "localhost", "::1")
# where the path to return to waits between /login and the callback
NEXT_KEY = "oidc_next"
CALLBACK_ROUTE = "oidc_callback"
# a provider that accepts the connection and never answers must not hold a sign-in for ever
PROVIDER_TIMEOUT_SECONDS = 10.0
# the head of this module's own small pages (sign-in failed, sign out): the scorecard's stylesheet
PAGE_HEAD = "<!doctype html><meta charset='utf-8'><link rel='stylesheet' href='/static/app.css'>"


class OidcSettings(BaseModel):
    """An OpenID Connect provider the scorecard signs people in with (the team file's ``sign_in.oidc``).

    ``issuer`` is the provider's issuer URL exactly as its discovery document states it
    (``<issuer>/.well-known/openid-configuration``). The client secret is either ``client_secret``
    or the environment variable named by ``client_secret_env`` (read by
    :meth:`resolved_client_secret`, when the routes are installed); with neither, the client is a
    public one (PKCE only). ``email_claim`` is the claim that names the person.
    """

    model_config = ConfigDict(extra="forbid")

    issuer: str
    client_id: str = Field(min_length=1)
    client_secret: str | None = None
    client_secret_env: str | None = None
    scopes: list[str] = Field(default_factory=lambda: ["openid", "email", "profile"])
    email_claim: str = Field("email", min_length=1)
    allow_http: bool = False

    @field_validator("issuer")
    @classmethod
    def _issuer_is_a_url(cls, value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(f"issuer {value!r} is not an http(s) URL (e.g. https://login.example.com)")
        if parts.query or parts.fragment:
            raise ValueError(f"issuer {value!r} may not have a query or fragment")
        return value

    @field_validator("scopes")
    @classmethod
    def _openid_scope(cls, value: list[str]) -> list[str]:
        # without it the provider answers plain OAuth: no ID token, no nonce, nobody signed in
        if "openid" not in value:
            raise ValueError(f"scopes {value} must include 'openid'")
        return value

    @model_validator(mode="after")
    def _https_and_one_secret(self) -> "OidcSettings":
        parts = urlsplit(self.issuer)
        if parts.scheme == "http" and parts.hostname not in LOCAL_ISSUER_HOSTS and not self.allow_http:
            # the ID token's keys and the code exchange would travel in clear: anyone on the way
            # could sign in as anyone
            raise ValueError(f"issuer {self.issuer} is not https: only a provider on this machine "
                             f"({', '.join(LOCAL_ISSUER_HOSTS)}) may be reached over http, unless allow_http "
                             f"is set (a test provider behind a trusted network only)")
        if self.client_secret is not None and self.client_secret_env is not None:
            raise ValueError("give client_secret or client_secret_env, not both")
        return self

    @property
    def metadata_url(self) -> str:
        """The provider's discovery document."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    def resolved_client_secret(self) -> str | None:
        """The client secret: ``client_secret``, else the variable ``client_secret_env`` names, else None.

        Raises :class:`~adoptscore.errors.AdoptscoreError` when that variable is unset or empty.
        """
        if self.client_secret_env is None:
            return self.client_secret
        value = os.environ.get(self.client_secret_env, "")
        if not value:
            raise AdoptscoreError(
                f"the OpenID Connect client secret is read from the environment variable "
                f"{self.client_secret_env}, which is not set",
                hint=f"set {self.client_secret_env} to the secret {self.issuer} issued for client "
                     f"{self.client_id!r} before starting the server")
        return value


def safe_next(value: str | None) -> str | None:
    """``value`` when it is a path on this server (``/...``), else None: never another site.

    ``//host``, ``/\\host`` and paths with control characters are refused: browsers read the first
    two as another host, and drop tabs and newlines, so ``/\\t/host`` becomes ``//host``.
    """
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


class _SignInFailed(Exception):
    """A sign-in that cannot go on: answered ``status`` with ``message`` and ``hint``, no traceback."""

    def __init__(self, status: int, message: str, hint: str):
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint


def _starlette_client() -> Any:
    """Authlib's Starlette client, imported on first use: the team file's models import this module,
    and a command that never serves should not load an HTTP client."""
    # authlib.deprecate adds an "always" filter for Authlib's warnings when first imported: import
    # it first, so the ignore below sits in front of that filter rather than behind it
    import authlib.deprecate  # noqa: F401

    with warnings.catch_warnings():
        # Authlib 1.9 prefers httpx2 and warns once, on import, when it falls back to httpx. The
        # fallback works; the warning names no call of ours, and Authlib's "always" filter would
        # print it at every server start
        warnings.filterwarnings("ignore", message="The httpx module is deprecated", category=DeprecationWarning)
        from authlib.integrations import starlette_client
    return starlette_client


def _transport_errors() -> tuple[type[Exception], ...]:
    """The errors of the HTTP client Authlib talks through (httpx2 where installed, else httpx)."""
    errors: list[type[Exception]] = []
    for name in ("httpx2", "httpx"):
        try:
            errors.append(importlib.import_module(name).HTTPError)
        except ImportError:
            continue
    return tuple(errors)


def install_oidc(app: FastAPI, settings: OidcSettings, *,
                 on_login: Callable[[Request, dict], None] | None = None) -> None:
    """Add ``/login``, ``/auth/callback`` and ``/logout`` to ``app``, signing in with ``settings``'s provider.

    The caller installs Starlette's ``SessionMiddleware`` (the routes keep the pending sign-in and its
    result in ``request.session``; with HTTPS, ``https_only=True`` and ``same_site="lax"``, which lets
    the provider's redirect back carry the cookie). The callback URL given to the provider is this
    app's ``/auth/callback`` as the request reached it: register that URL with the provider, and
    behind a reverse proxy run uvicorn with ``--proxy-headers`` so the scheme and host are the
    public ones.

    Nothing is fetched here: the provider's discovery document is read at the first ``/login``, so
    the app starts while the provider is down; ``/login`` answers 502 naming the issuer until it can
    be read. A successful callback clears ``request.session`` (nothing of whoever used the browser
    before, such as the CSRF token, passes to the person signing in; nor anything a session planted
    in the browser before sign-in holds), then sets ``email`` (the ``email_claim``, lower case),
    ``name`` (the ``name`` claim, or None), ``via`` = ``"oidc"`` and ``signed_in_at`` (epoch
    seconds); then ``on_login(request, claims)`` runs with the ID token's claims (and the userinfo
    endpoint's, when the ID token had no email). It may refuse the person by raising
    :class:`~adoptscore.errors.AdoptscoreError`: the session is cleared and the sign-in answered
    403 with its message. Failures (a state that is not this browser's, an error from
    the provider, an ID token that does not verify, no or an unverified email) are answered 401
    with what went wrong; a provider that cannot be reached, 502.

    Raises :class:`~adoptscore.errors.AdoptscoreError` when the client secret's environment
    variable is not set.
    """
    secret = settings.resolved_client_secret()
    starlette_client = _starlette_client()
    from authlib.integrations.base_client import MismatchingStateError as mismatching_state
    from authlib.integrations.base_client import OAuthError as oauth_error
    from joserfc.errors import JoseError  # what Authlib's ID token checks raise

    unreachable = _transport_errors()
    client = starlette_client.OAuth().register(
        "oidc", client_id=settings.client_id, client_secret=secret, server_metadata_url=settings.metadata_url,
        client_kwargs={"scope": " ".join(settings.scopes), "code_challenge_method": "S256",
                       "timeout": PROVIDER_TIMEOUT_SECONDS})
    issuer = settings.issuer

    def failed_to_reach(error: Exception, what: str) -> _SignInFailed:
        return _SignInFailed(502, f"the sign-in provider {issuer} could not be reached ({what}: {first_line(error)})",
                             "try again in a minute; if it goes on, check the issuer URL and that this server "
                             "can reach it")

    async def discover() -> dict:
        try:
            metadata = await client.load_server_metadata()
        except unreachable as error:
            raise failed_to_reach(error, "discovery") from None
        except ValueError as error:  # not JSON
            raise failed_to_reach(error, "its discovery document is not JSON") from None
        # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was fetched for;
        # Authlib then checks each ID token's iss against it
        named = str(metadata.get("issuer", ""))
        problem = None
        if named.rstrip("/") != issuer.rstrip("/"):
            problem = f"its discovery document names the issuer {named!r}"
        else:
            lacking = [k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not metadata.get(k)]
            if lacking:
                problem = f"its discovery document has no {', '.join(lacking)}"
        if problem:
            client.server_metadata.clear()  # read it again next time: the provider may be fixed by then
            raise _SignInFailed(502, f"the sign-in provider {issuer} is not usable: {problem}",
                                "check the issuer URL against the provider's documentation")
        return metadata

    async def login(request: Request) -> Response:
        try:
            await discover()
        except _SignInFailed as failure:
            return _answer(request, failure)
        target = safe_next(request.query_params.get("next"))
        if target:
            request.session[NEXT_KEY] = target
        else:
            request.session.pop(NEXT_KEY, None)
        redirect_uri = str(request.url_for(CALLBACK_ROUTE))
        try:
            return await client.authorize_redirect(request, redirect_uri)
        except unreachable as error:
            return _answer(request, failed_to_reach(error, "authorization request"))

    async def callback(request: Request) -> Response:
        try:
            claims = await signed_in_claims(request)
        except _SignInFailed as failure:
            return _answer(request, failure)
        email = str(claims[settings.email_claim]).strip().lower()
        name = claims.get("name")
        target = request.session.get(NEXT_KEY) or "/"
        # a new session for whoever signs in: the one before may be another person's (its CSRF
        # token with it), or one a third party planted in this browser to learn its keys
        request.session.clear()
        request.session.update({"email": email, "name": str(name) if name else None, "via": "oidc",
                                "signed_in_at": int(time.time())})
        if on_login is not None:
            try:
                on_login(request, claims)
            except AdoptscoreError as refusal:
                request.session.clear()
                return _answer(request, _SignInFailed(403, refusal.message, refusal.hint or "ask an admin"))
        return RedirectResponse(target, status_code=303)

    async def signed_in_claims(request: Request) -> dict:
        again = "sign in again from the start"
        mismatch = _SignInFailed(401, "this sign-in was not started by this browser, or has expired (state does "
                                      "not match)", again)
        error = request.query_params.get("error")
        if error:
            # the provider's words are shown only for a sign-in this browser started: anyone can
            # link to this URL with text of their choosing
            state = request.query_params.get("state") or ""
            if not state or not await client.framework.get_state_data(request.session, state):
                raise mismatch
            await client.framework.clear_state_data(request.session, state)
            described = request.query_params.get("error_description", "")[:300]
            raise _SignInFailed(401, f"the sign-in provider {issuer} refused the sign-in: {error[:100]}"
                                + (f" ({described})" if described else ""), again)
        metadata = await discover()
        # OpenID Connect Core 3.1.3.7: iss is the provider's and aud holds our client id. Authlib
        # checks iss by default but aud only through azp, which lets a token issued for another
        # client through when its azp names us
        claims_options = {"iss": {"essential": True, "value": metadata["issuer"]},
                          "aud": {"essential": True, "value": settings.client_id}}
        try:
            # Authlib checks state against the session, exchanges the code with the PKCE verifier,
            # verifies the ID token against the provider's keys, then its claims (exp, nonce, at_hash)
            token = await client.authorize_access_token(request, claims_options=claims_options)
        except mismatching_state:
            raise mismatch from None
        except oauth_error as error:
            raise _SignInFailed(401, f"the sign-in provider {issuer} refused the sign-in: {error.error}"
                                + (f" ({error.description})" if error.description else ""), again) from None
        except JoseError as error:
            raise _SignInFailed(401, f"the ID token from {issuer} is not valid ({first_line(error)})", again) from None
        except unreachable as error:
            raise failed_to_reach(error, "token exchange") from None
        except ValueError as error:  # an answer that is not JSON
            raise _SignInFailed(502, f"the sign-in provider {issuer} answered the token exchange with something "
                                     f"unreadable ({first_line(error)})", again) from None
        if "userinfo" not in token:
            raise _SignInFailed(401, f"the sign-in provider {issuer} sent no ID token", again)
        claims = dict(token["userinfo"])
        if not claims.get(settings.email_claim) and metadata.get("userinfo_endpoint"):
            claims = await with_userinfo(claims, token)
        email = claims.get(settings.email_claim)
        if not isinstance(email, str) or not email.strip():
            raise _SignInFailed(401, f"the sign-in provider {issuer} did not say who you are (no "
                                     f"{settings.email_claim!r} claim)",
                                f"the provider must release the {settings.email_claim!r} claim to client "
                                f"{settings.client_id!r} (scopes asked: {' '.join(settings.scopes)})")
        verified = claims.get("email_verified")
        if verified is False or (isinstance(verified, str) and verified.strip().lower() == "false"):
            # an unverified address could be anyone's: a provider that lets people type one in
            # would let them be any member of the team
            raise _SignInFailed(401, f"the sign-in provider {issuer} has not verified {email}",
                                "verify the address with the provider, then sign in again")
        return claims

    async def with_userinfo(claims: dict, token: dict) -> dict:
        try:
            info = dict(await client.userinfo(token=token))
        except unreachable as error:
            raise failed_to_reach(error, "userinfo") from None
        except (oauth_error, ValueError) as error:
            raise _SignInFailed(401, f"the sign-in provider {issuer}'s userinfo answer could not be used "
                                     f"({first_line(error)})", "sign in again from the start") from None
        # OpenID Connect Core 5.3.2: a userinfo answer for another subject must not be used
        if info.get("sub") != claims.get("sub"):
            raise _SignInFailed(401, f"the sign-in provider {issuer}'s userinfo is about another subject",
                                "sign in again from the start")
        return {**info, **claims}

    # the session's CSRF token (adoptscore.web.auth; imported here, as the team file's models
    # import this module before the sign-in gate's)
    from adoptscore.web.auth import CSRF_FIELD, csrf_ok, csrf_token

    def sign_out_page(request: Request, status: int = 200, note: str = "") -> Response:
        who = request.session.get("email")
        if not who:
            body = ("<h1>You are signed out of the scorecard</h1>"
                    "<p><a href='/login' id='sign-in'>Sign in</a></p>")
        else:
            token = html.escape(csrf_token(request.session), quote=True)
            body = (f"<h1>Sign out {html.escape(who)}?</h1>" + (f"<p>{html.escape(note)}</p>" if note else "")
                    + f"<form method='post' action='/logout'><input type='hidden' name='{CSRF_FIELD}' "
                    f"value='{token}'><button type='submit' id='sign-out'>Sign out</button></form>"
                    "<p><a href='/'>Back to the scorecard</a></p>")
        return HTMLResponse(f"{PAGE_HEAD}<title>Sign out</title><main class='signed-out'>{body}</main>",
                            status_code=status)

    async def logout(request: Request) -> Response:
        given = (await request.form()).get(CSRF_FIELD)
        if request.session.get("email") and not csrf_ok(request.session, given if isinstance(given, str) else None):
            # not from our page: ask, rather than sign out on another site's say-so
            return sign_out_page(request, 403, "This sign-out did not come from the scorecard's own page.")
        request.session.clear()
        # to a page that says so, not to / (which would send the browser straight back to the
        # provider, and a provider that remembers the person would sign them in again at once)
        return RedirectResponse("/logout", status_code=303)

    async def logout_page(request: Request) -> Response:
        return sign_out_page(request)

    app.add_api_route("/login", login, methods=["GET"], include_in_schema=False)
    app.add_api_route("/auth/callback", callback, methods=["GET"], name=CALLBACK_ROUTE, include_in_schema=False)
    app.add_api_route("/logout", logout_page, methods=["GET"], include_in_schema=False)
    app.add_api_route("/logout", logout, methods=["POST"], include_in_schema=False)


def _answer(request: Request, failure: _SignInFailed) -> Response:
    """The failure as a short page (browsers) or plain text (anything else)."""
    if "text/html" in request.headers.get("accept", ""):
        body = (f"{PAGE_HEAD}<title>Sign-in failed</title><main class='error'>"
                f"<h1>{html.escape(failure.message)}</h1><p>{html.escape(failure.hint)}</p>"
                f"<p><a href='/login'>Sign in</a></p></main>")
        return HTMLResponse(body, status_code=failure.status)
    return PlainTextResponse(f"{failure.message}\n{failure.hint}\n", status_code=failure.status)
