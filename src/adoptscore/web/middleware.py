"""The app's one middleware, written against ASGI directly (Starlette's ``BaseHTTPMiddleware`` runs
each response through an extra task and stream, a few milliseconds a request under load).

It adds the security headers and a ``Server-Timing`` header to every response, and answers ``HEAD``
as ``GET`` without the body, so ``curl -I`` and uptime monitors work on every page.
"""
from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Mapping

from starlette.datastructures import MutableHeaders

Message = dict[str, Any]
ASGIApp = Callable[[dict, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


class ResponseHeaders:
    """ASGI middleware: ``headers`` on every HTTP response unless the app set them, plus
    ``Server-Timing: app;dur=<ms>`` (the time until the response starts, waiting for a thread included)."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str]):
        self.app = app
        self.headers = dict(headers)

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in self.headers.items():
                    headers.setdefault(key, value)
                headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            elif head and message["type"] == "http.response.body":
                # the headers of the GET, Content-Length included, and no body (RFC 9110 9.3.2)
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)
