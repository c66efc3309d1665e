"""Sign-in for the scorecard: who each request is, decided before any route runs.

:class:`SignInGate` is ASGI middleware inside Starlette's session middleware. For every request
outside :data:`PUBLIC` it finds the person, in this order, and refuses the request when there is
none:

1. ``Authorization: Bearer <token>``: an API token from the team database (scripts);
2. the proxy's header (``X-Forwarded-Email``), believed only from the proxy's own addresses;
3. the session cookie an OpenID Connect sign-in set (:mod:`adoptscore.web.oidc`);
4. with no sign-in configured: the person at this machine, for requests from loopback only
   (or from anywhere with ``--insecure-no-auth``).

A request with nobody behind it gets 401 (the JSON API and CSV) or is sent to sign in (pages);
someone signed in but not on the team gets 403. Writes (any method but GET and HEAD) made with a
browser's ambient credentials (cookie, proxy header, loopback) must carry the session's CSRF token
and, when the browser sends one, an Origin of this server; token requests carry no ambient
credential and need neither.
"""
from __future__ import annotations

import hmac
import ipaddress
import secrets
import time
from typing import Any, Awaitable, Callable
from urllib.parse import quote

from adoptscore.team.config import Team
from adoptscore.team.people import User, identify, local_user
from adoptscore.team.store import TeamStore
from adoptscore.web.middleware import host_name

Message = dict[str, Any]
PUBLIC = ("/static/", "/login", "/auth/callback", "/logout", "/healthz", "/favicon.ico")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def _is_public(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in PUBLIC)


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token (made on first use): write forms carry it in :data:`CSRF_FIELD`."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(session: dict[str, Any], given: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


def refuse_strangers(team: Team) -> Callable[[Any, dict], None]:
    """An OpenID Connect ``on_login`` (:func:`adoptscore.web.oidc.install_oidc`) refusing, at the
    callback, a person the team does not let in: they get the 403 there and keep no session, so the
    browser is free to sign in as someone else."""
    from adoptscore.errors import AdoptscoreError

    def check(request: Any, claims: dict) -> None:
        email = request.session.get("email", "")
        if identify(team, email, "oidc") is None:
            raise AdoptscoreError(f"{email} is not on this scorecard's team",
                                  hint="ask an admin to add you to the team file, or sign in as someone else")
    return check


class SignInGate:
    """ASGI middleware: ``scope["state"]["user"]`` for every signed-in request; 401/403/redirect otherwise."""

    def __init__(self, app: Any, *, team: Team | None, store: TeamStore | None, open_to_all: bool = False,
                 session_hours: float = 12.0):
        self.app, self.team, self.store = app, team, store
        self.open_to_all = open_to_all
        self.session_seconds = session_hours * 3600
        proxy = team.sign_in.proxy if team else None
        self.proxy_header = proxy.header.lower().encode("latin-1") if proxy else None
        self.proxy_name_header = proxy.name_header.lower().encode("latin-1") if proxy and proxy.name_header else None
        self.proxies = proxy.networks() if proxy else []
        self.oidc = bool(team and team.sign_in.oidc)
        self.signs_in = bool(team and team.signs_in)

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] != "http" or _is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])  # later duplicates win; the ones read here are single-valued
        session = scope.get("session")
        if session is None:  # the session middleware must run first
            raise RuntimeError("SignInGate must be installed inside SessionMiddleware")
        outcome = self.identify(scope, headers, session)
        if isinstance(outcome, tuple):
            await _refuse(scope, send, *outcome)
            return
        user = outcome
        if scope["method"] not in SAFE_METHODS and user.via != "token":
            problem = self._cross_site(scope, headers)
            if problem:
                await _refuse(scope, send, 403, problem, "reload the page and try again")
                return
        scope.setdefault("state", {})["user"] = user
        await self.app(scope, receive, send)

    # -- who is asking ----------------------------------------------------------------------
    def identify(self, scope: dict, headers: dict[bytes, bytes], session: dict[str, Any]) -> User | tuple:
        """The user, or (status, message, hint) to refuse the request with."""
        authorization = headers.get(b"authorization", b"").decode("latin-1").strip()
        if authorization:
            kind, _, value = authorization.partition(" ")
            if kind.lower() != "bearer" or not value.strip():
                return 401, "the Authorization header must be 'Bearer <token>'", \
                    "an admin makes one: adoptscore team token add EMAIL (docs/team.md)"
            email = self.store.token_email(value.strip()) if self.store else None
            if email is None:
                return 401, "this API token is not valid (unknown or revoked)", "ask an admin for a new token"
            return self._member(email, "token") or (403, f"{email} is not on this scorecard's team",
                                                    "ask an admin to add you to the team file")
        client = _client_address(scope)
        if self.proxy_header is not None and client is not None and any(client in net for net in self.proxies):
            value = headers.get(self.proxy_header, b"").decode("utf-8", "replace").strip()
            if value:
                name = headers.get(self.proxy_name_header, b"").decode("utf-8", "replace").strip() \
                    if self.proxy_name_header else None
                if session.get("email") != value.lower():
                    # another person behind the same browser: nothing of the last one's session is kept
                    session.clear()
                    session.update({"email": value.lower(), "via": "proxy", "signed_in_at": int(time.time())})
                return self._member(value, "proxy", name or None) or \
                    (403, f"{value} is not on this scorecard's team", "ask an admin to add you to the team file")
        if self.oidc and session.get("email") and session.get("via", "oidc") == "oidc":
            if time.time() - float(session.get("signed_in_at", 0)) <= self.session_seconds:
                return self._member(session["email"], "oidc", session.get("name")) or \
                    (403, f"{session['email']} is not on this scorecard's team", "ask an admin to add you to the team file")
            session.clear()  # expired: sign in again
        if not self.signs_in and (self.open_to_all or (client is not None and client.is_loopback)):
            return local_user()
        path = scope["path"]
        if self.oidc and scope["method"] in ("GET", "HEAD") and not path.startswith("/api/") \
                and not path.endswith(".csv"):
            # a page: the browser is sent to sign in; the JSON API and downloads answer 401 to a script
            target = path + (("?" + scope["query_string"].decode("latin-1")) if scope.get("query_string") else "")
            return 303, "sign in first", "/login?next=" + quote(target, safe="")
        how = "sign in at /login, or send" if self.oidc else \
            "reach it through your organisation's sign-in proxy, or send" if self.proxy_header else "send"
        return 401, "sign in to see the scorecard", f"{how} an API token (Authorization: Bearer ...)"

    def _member(self, email: str, via: str, name: str | None = None) -> User | None:
        if self.team is None:  # no team file: a valid token is its holder, an admin of this local scorecard
            return User(email.lower(), name or email, "admin", via=via)
        return identify(self.team, email, via, name)

    @staticmethod
    def _cross_site(scope: dict, headers: dict[bytes, bytes]) -> str | None:
        origin = headers.get(b"origin", b"").decode("latin-1").strip()
        # "null" is what Chromium sends for our own forms under Referrer-Policy: no-referrer, so
        # it proves nothing either way: the CSRF token decides those writes
        if origin and origin != "null":
            origin_host = host_name(origin.split("://", 1)[-1].split("/", 1)[0])
            host = host_name(headers.get(b"host", b"").decode("latin-1"))
            if origin_host != host:
                return f"a write from another site ({origin}) is refused"
        return None


def _client_address(scope: dict) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    client = scope.get("client")
    if not client:
        return None
    try:
        address = ipaddress.ip_address(client[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


async def _refuse(scope: dict, send: Callable[[Message], Awaitable[None]], status: int, message: str,
                  hint: str) -> None:
    import json

    if status == 303:
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", hint.encode("latin-1")), (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
        return
    path = scope["path"]
    accept = dict(scope["headers"]).get(b"accept", b"").decode("latin-1")
    extra: list[tuple[bytes, bytes]] = []
    if status == 401:
        extra.append((b"www-authenticate", b'Bearer realm="adoptscore"'))
    if path.startswith("/api/") or path.endswith(".csv") or "text/html" not in accept:
        body = json.dumps({"error": message, "hint": hint, "status": status}).encode()
        kind = b"application/json"
    else:
        from markupsafe import escape

        body = (f"<!doctype html><meta charset='utf-8'><title>{status}</title><main class='error'>"
                f"<h1>{escape(message)}</h1><p>{escape(hint)}</p></main>").encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})
