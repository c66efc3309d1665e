"""A small, real OpenID Connect provider for the sign-in tests, on a local port.

It speaks the authorization code flow as a provider must: discovery, an authorization endpoint
(a login form a browser fills in, or ``approve=1`` for tests without one), a token endpoint that
authenticates the client (``client_secret_basic`` or ``client_secret_post``), checks the PKCE
verifier against the challenge and takes each code once, and ID tokens signed RS256 with a key made
at start and published at ``/jwks``. Keys and tokens are joserfc's (the JOSE library Authlib's
client verifies with; Authlib's own ``authlib.jose`` is deprecated and warns), the PKCE and
``at_hash`` computations Authlib's.

Tests steer it through :class:`Issuer`: :meth:`Issuer.sign_in_as` sets who the next ``approve=1``
sign-in is; ``claims_override`` and ``signing_key`` forge the next ID tokens. The pytest fixture
``oidc_issuer`` (tests/web/conftest_oidc.py) gives each test a fresh one.
"""
from __future__ import annotations

import base64
import hmac
import html
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import unquote

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core.util import create_half_hash
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.web.serving import served

CODE_SECONDS = 60
TOKEN_SECONDS = 300
# the authorization request's parameters the form carries on to its POST
KEPT = ("client_id", "response_type", "redirect_uri", "scope", "state", "nonce", "code_challenge",
        "code_challenge_method")


def make_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"}, private=True)


@dataclass
class Person:
    email: str
    name: str | None = None
    email_verified: bool | str | None = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sub(self) -> str:
        # stable per address, like a provider's subject identifier
        return "sub-" + base64.urlsafe_b64encode(self.email.encode()).decode().rstrip("=")

    def claims(self) -> dict[str, Any]:
        claims = {"sub": self.sub, "email": self.email, **self.extra}
        if self.name is not None:
            claims["name"] = self.name
        if self.email_verified is not None:
            claims["email_verified"] = self.email_verified
        return claims


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    person: Person
    issued: float


class Issuer:
    """The provider's state, and the knobs a test turns.

    ``url``, ``client_id`` and ``client_secret`` are what a client is configured with. ``next_user``
    (set by :meth:`sign_in_as`) is who ``approve=1`` signs in. ``claims_override`` is merged into
    every ID token issued after (a value of None drops the claim); ``signing_key`` signs them (the
    published key unless a test swaps in another); ``discovery_override`` and ``userinfo_override``
    change the discovery document and the userinfo answers; ``email_in_id_token`` False leaves the person's
    claims out of the ID token, for the userinfo endpoint to give. ``token_requests`` records how
    each /token call authenticated and whether it carried a PKCE verifier.
    """

    def __init__(self, client_id: str = "adoptscore-test", client_secret: str | None = None):
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.key = make_key("test-key-1")
        self.signing_key = self.key
        self.url = ""
        self.next_user: Person | None = None
        self.claims_override: dict[str, Any] = {}
        self.email_in_id_token = True
        self.discovery_override: dict[str, Any] = {}
        self.userinfo_override: dict[str, Any] = {}
        self.token_requests: list[dict[str, Any]] = []
        self._codes: dict[str, _Grant] = {}
        self._tokens: dict[str, Person] = {}
        self._lock = threading.Lock()  # uvicorn answers in its own thread, the test reads from its own

    def sign_in_as(self, email: str, name: str | None = None, email_verified: bool | str | None = True,
                   **claims: Any) -> Person:
        """Who the next ``/authorize?...&approve=1`` signs in."""
        self.next_user = Person(email, name, email_verified, claims)
        return self.next_user

    # -- the endpoints ---------------------------------------------------------------------
    def app(self) -> FastAPI:
        app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict:
            return {
                "issuer": self.url,
                "authorization_endpoint": self.url + "/authorize",
                "token_endpoint": self.url + "/token",
                "jwks_uri": self.url + "/jwks",
                "userinfo_endpoint": self.url + "/userinfo",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "code_challenge_methods_supported": ["S256"],
                "claims_supported": ["sub", "email", "email_verified", "name"],
                **self.discovery_override,
            }

        @app.get("/jwks")
        def jwks() -> dict:
            return {"keys": [self.key.as_dict(private=False)]}

        @app.get("/authorize")
        def authorize(request: Request) -> Response:
            params = dict(request.query_params)
            problem = self._check_request(params)
            if isinstance(problem, Response):
                return problem
            if params.get("approve") == "1":
                if self.next_user is None:
                    return HTMLResponse("no next user: call Issuer.sign_in_as first", status_code=400)
                return self._approve(params, self.next_user)
            return self._form(params)

        @app.post("/authorize")
        async def authorize_form(request: Request) -> Response:
            params = {k: str(v) for k, v in (await request.form()).items()}
            problem = self._check_request(params)
            if isinstance(problem, Response):
                return problem
            if params.get("action") == "deny":
                return RedirectResponse(add_params_to_uri(params["redirect_uri"], [
                    ("error", "access_denied"), ("error_description", "the user said no"),
                    ("state", params.get("state", ""))]), status_code=303)
            email = params.get("email", "").strip()
            if not email:
                return self._form(params, "type an email")
            known = self.next_user if self.next_user and self.next_user.email == email else None
            person = known or Person(email, params.get("name") or None)
            return self._approve(params, person, status=303)

        @app.post("/token")
        async def token(request: Request) -> Response:
            form = {k: str(v) for k, v in (await request.form()).items()}
            return self._token(request.headers.get("authorization", ""), form)

        @app.get("/userinfo")
        def userinfo(request: Request) -> Response:
            kind, _, value = request.headers.get("authorization", "").partition(" ")
            with self._lock:
                person = self._tokens.get(value.strip()) if kind.lower() == "bearer" else None
            if person is None:
                return JSONResponse({"error": "invalid_token"}, status_code=401,
                                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
            return JSONResponse({**person.claims(), **self.userinfo_override})

        return app

    def _check_request(self, params: dict[str, str]) -> Response | None:
        redirect_uri = params.get("redirect_uri", "")
        # a bad client or redirect URI is shown, never redirected to (RFC 6749 4.1.2.1)
        if params.get("client_id") != self.client_id:
            return HTMLResponse(f"unknown client {html.escape(params.get('client_id', ''))}", status_code=400)
        if not redirect_uri.startswith(("http://127.0.0.1:", "http://localhost:")):
            return HTMLResponse("redirect_uri is not a registered one", status_code=400)
        problem = None
        if params.get("response_type") != "code":
            problem = "response_type must be code"
        elif "openid" not in params.get("scope", "").split():
            problem = "scope must include openid"
        elif params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            problem = "PKCE with S256 is required"
        if problem:
            return RedirectResponse(add_params_to_uri(redirect_uri, [
                ("error", "invalid_request"), ("error_description", problem), ("state", params.get("state", ""))]))
        return None

    def _form(self, params: dict[str, str], note: str = "") -> HTMLResponse:
        hidden = "".join(f"<input type='hidden' name='{k}' value='{html.escape(params[k], quote=True)}'>"
                         for k in KEPT if k in params)
        return HTMLResponse(
            "<!doctype html><meta charset='utf-8'><title>Test provider sign-in</title>"
            f"<h1>Sign in to the test provider</h1><p class='note'>{html.escape(note)}</p>"
            f"<form method='post' action='/authorize'>{hidden}"
            "<label>Email <input id='email' name='email' type='email' autocomplete='off'></label>"
            "<label>Name <input id='name' name='name'></label>"
            "<button id='approve' name='action' value='approve'>Sign in</button>"
            "<button id='deny' name='action' value='deny'>Cancel</button></form>")

    def _approve(self, params: dict[str, str], person: Person, status: int = 302) -> Response:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Grant(params["client_id"], params["redirect_uri"], params["code_challenge"],
                                       params.get("nonce"), person, time.time())
        query = [("code", code)] + ([("state", params["state"])] if "state" in params else [])
        return RedirectResponse(add_params_to_uri(params["redirect_uri"], query), status_code=status)

    def _token(self, authorization: str, form: dict[str, str]) -> Response:
        def error(code: str, status: int = 400, description: str = "") -> JSONResponse:
            headers = {"Cache-Control": "no-store"}
            if status == 401:
                headers["WWW-Authenticate"] = 'Basic realm="test provider"'
            return JSONResponse({"error": code, "error_description": description}, status_code=status,
                                headers=headers)

        method, client_id, client_secret = None, None, None
        kind, _, value = authorization.partition(" ")
        if kind.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode()
            except ValueError:
                return error("invalid_client", 401, "malformed Basic credentials")
            raw_id, _, raw_secret = decoded.partition(":")
            # RFC 6749 2.3.1: each part is form-urlencoded before it is joined
            method, client_id, client_secret = "client_secret_basic", unquote(raw_id), unquote(raw_secret)
        if "client_secret" in form:
            if method:
                return error("invalid_request", description="one client authentication method only")
            method, client_id, client_secret = "client_secret_post", form.get("client_id"), form["client_secret"]
        self.token_requests.append({"auth": method, "code_verifier": "code_verifier" in form})
        if client_id != self.client_id or not hmac.compare_digest(client_secret or "", self.client_secret):
            return error("invalid_client", 401, "unknown client or wrong secret")
        if form.get("grant_type") != "authorization_code":
            return error("unsupported_grant_type")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # one use, whatever happens next
        if grant is None or time.time() - grant.issued > CODE_SECONDS:
            return error("invalid_grant", description="unknown, used or expired code")
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri"):
            return error("invalid_grant", description="code issued to another client or redirect_uri")
        verifier = form.get("code_verifier", "")
        if not verifier or not hmac.compare_digest(create_s256_code_challenge(verifier), grant.code_challenge):
            return error("invalid_grant", description="PKCE verifier does not match the challenge")

        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[access_token] = grant.person
        now = int(time.time())
        claims: dict[str, Any] = {"iss": self.url, "aud": client_id, "iat": now, "auth_time": now,
                                  "exp": now + TOKEN_SECONDS,
                                  "at_hash": create_half_hash(access_token, "RS256").decode()}
        claims.update(grant.person.claims() if self.email_in_id_token else {"sub": grant.person.sub})
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        for key, value in self.claims_override.items():
            if value is None:
                claims.pop(key, None)
            else:
                claims[key] = value
        header = {"alg": "RS256", "kid": self.signing_key.kid}
        id_token = jwt.encode(header, claims, self.signing_key)
        return JSONResponse({"access_token": access_token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS,
                             "scope": "openid email profile", "id_token": id_token},
                            headers={"Cache-Control": "no-store"})


@contextmanager
def running_issuer(port: int | None = None) -> Iterator[Issuer]:
    """An :class:`Issuer` served on 127.0.0.1 (``port``, else a free one) until the block ends."""
    issuer = Issuer()
    with served(issuer.app(), port) as url:
        issuer.url = url
        yield issuer
