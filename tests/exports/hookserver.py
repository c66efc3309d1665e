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
    trickle: float = 0.0                        # > 0: the whole answer, status line first, a byte every so many seconds
    echo: bool = False                          # the request's headers in the reason phrase and the body


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
                # what a receiver that echoes the request shows, its Authorization header first
                echoed = " ".join(f"{k}: {v}" for k, v in sorted(self.headers.items(),
                                                                key=lambda kv: kv[0].lower() != "authorization"))
                data = (echoed if answer.echo else answer.body).encode()
                headers = {**answer.headers, "Content-Type": "application/json", "Content-Length": str(len(data))}
                try:
                    if answer.trickle:
                        self._trickle(answer.status, headers, data, answer.trickle)
                        return
                    self.send_response(answer.status, echoed if answer.echo else None)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def _trickle(self, status: int, headers: dict[str, str], data: bytes, pause: float) -> None:
                """The answer a byte at a time: every single read gets a byte well within any read timeout."""
                head = f"HTTP/1.1 {status} OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
                raw = head.encode() + data
                for i in range(len(raw)):
                    self.wfile.write(raw[i:i + 1])
                    self.wfile.flush()
                    time.sleep(pause)
                self.close_connection = True

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
