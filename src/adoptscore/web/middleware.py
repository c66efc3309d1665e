"""The app's middleware, written against ASGI directly (Starlette's ``BaseHTTPMiddleware`` runs
each response through an extra task and stream, a few milliseconds a request under load).

:class:`AllowedHosts` refuses a request for a host name the server does not answer to.
:class:`ResponseHeaders` adds the security headers and a ``Server-Timing`` header to every
response, and answers ``HEAD`` as ``GET`` without the body, so ``curl -I`` and uptime monitors
work on every page.
"""
from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Iterable, Mapping

from starlette.datastructures import MutableHeaders

Message = dict[str, Any]
ASGIApp = Callable[[dict, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


class ResponseHeaders:
    """ASGI middleware: ``headers`` on every HTTP response unless the app set them, plus
    ``Server-Timing: app;dur=<ms>`` (the time until the response starts, waiting for a thread included)
    and ``Cache-Control: no-store`` on everything outside ``cacheable`` (a path prefix).

    Every page, API answer, CSV and error names accounts and their scores: no-store keeps them out
    of the browser's disk cache and out of any proxy's, where the next user of a shared machine or
    the proxy's operator could read them. The files under ``cacheable`` (style, script) hold no
    customer data and are kept, revalidated against their ETag.
    """

    def __init__(self, app: ASGIApp, headers: Mapping[str, str], cacheable: str = "/static/"):
        self.app = app
        self.headers = dict(headers)
        self.cacheable = cacheable

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        cache = "no-cache" if scope["path"].startswith(self.cacheable) else "no-store"
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in self.headers.items():
                    headers.setdefault(key, value)
                headers["Cache-Control"] = cache
                headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            elif head and message["type"] == "http.response.body":
                # the headers of the GET, Content-Length included, and no body (RFC 9110 9.3.2)
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# the names a local server answers to when no --allowed-host is given
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def host_name(value: str) -> str:
    """The name in a Host header or an --allowed-host value: lower case, without the port, the
    brackets of an IPv6 address or a trailing dot (``[::1]:8000`` -> ``::1``, ``Example.COM.`` ->
    ``example.com``)."""
    value = value.strip().lower()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


class AllowedHosts:
    """ASGI middleware: a request whose ``Host`` header is none of ``hosts`` gets a plain 400.

    A page on another site can make a visitor's browser resolve its own name to 127.0.0.1 (DNS
    rebinding) and then read this server as same-origin: the browser still sends that site's
    name as Host, so answering only the names the server is reached by closes it. ``*`` allows
    any host and ``*.example.com`` the names under example.com.
    """

    def __init__(self, app: ASGIApp, hosts: Iterable[str]):
        self.app = app
        names = {host_name(h) for h in hosts if h.strip()}
        self.any = "*" in names
        self.suffixes = tuple(n[1:] for n in names if n.startswith("*."))
        self.names = frozenset(n for n in names if not n.startswith("*"))

    def allows(self, name: str) -> bool:
        return self.any or name in self.names or (bool(name) and name.endswith(self.suffixes))

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1")
        name = host_name(raw)
        if self.allows(name):
            await self.app(scope, receive, send)
            return
        shown = (raw[:80] + "...") if len(raw) > 80 else raw
        fix = f"--allowed-host {name}" if name and name.isprintable() and " " not in name else "--allowed-host NAME"
        body = (f"400 Bad Request: this scorecard does not answer for host {shown!r}; to reach it by that "
                f"name, start adoptscore serve with {fix}\n").encode()
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
