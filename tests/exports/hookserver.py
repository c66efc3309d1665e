"""A real HTTP server on localhost that records what is POSTed to it and answers as it is told:
the webhook tests talk to it over TCP through httpx, with nothing mocked."""
from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Answer:
    status: int = 200
    delay: float = 0.0                          # seconds to wait before answering
    headers: dict[str, str] = field(default_factory=dict)
    body: str = '{"ok": true}'


@dataclass
class Received:
    path: str
    headers: dict[str, str]                     # lower-case names
    body: Any
    status: int                                 # what the server answered


class HookServer:
    """``plan`` answers the next requests in order; then every request gets 200. A receiver that
    deduplicates by idempotency key is modelled by :meth:`tasks`."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.plan: deque[Answer] = deque()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                with server._lock:
                    answer = server.plan.popleft() if server.plan else Answer()
                    server.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                                                    answer.status))
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    data = answer.body.encode()
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def tasks(self) -> dict[str, dict]:
        """What a receiver that keys tasks by the alerts' idempotency keys holds: the alerts of every
        request it answered 2xx, each key once however often it came."""
        return {a["idempotency_key"]: a for r in self.requests if 200 <= r.status < 300 and isinstance(r.body, dict)
                for a in r.body.get("alerts", [])}

    def accepted(self) -> list[Received]:
        return [r for r in self.requests if 200 <= r.status < 300]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
