"""The server answers only the host names it is reached by (issue 14, defect 9: DNS rebinding).

A page on another site can point its own name at 127.0.0.1 and read the scorecard from the
visitor's browser as same-origin; the browser still sends that name as ``Host``. Requests for
localhost, 127.0.0.1, ::1, the ``--host`` address and each ``--allowed-host`` are answered; any
other Host, or none, gets a plain-text 400 naming the flag that would allow it, on every route.
"""
from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx
import pytest

from adoptscore.web.middleware import host_name
from tests.web.serving import serve

ROUTES = ("/", "/accounts/A000007", "/api/meta", "/api/portfolio", "/portfolio.csv", "/alerts", "/use-cases/ci",
          "/api/docs", "/api/openapi.json", "/healthz", "/static/app.css", "/no-such-page")


def get(base: str, path: str, host: str) -> httpx.Response:
    return httpx.get(base + path, headers={"Host": host}, timeout=60)


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil",
                                  "10.0.0.5", "[::2]:80", ""])
def test_another_host_is_refused_on_every_route(server, path, host):
    answer = get(server, path, host)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert "does not answer for host" in answer.text and "--allowed-host" in answer.text
    assert answer.text.count("\n") == 1
    if host:
        assert f"--allowed-host {host_name(host)}" in answer.text
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "[::1]", "localhost."])
def test_local_names_are_answered(server, host):
    for value in (host, f"{host}:{urlsplit(server).port}"):
        assert get(server, "/api/meta", value).status_code == 200, value


def test_a_request_without_host_is_refused(server):
    address = urlsplit(server)
    with socket.create_connection((address.hostname, address.port), timeout=30) as conn:
        conn.sendall(b"GET /api/meta HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"--allowed-host NAME" in answer


@pytest.mark.parametrize("value, name", [("[::1]:8000", "::1"), ("::1", "::1"), ("Example.COM.", "example.com"),
                                         ("example.com:443", "example.com"), (" localhost ", "localhost"),
                                         ("[fe80::1]", "fe80::1"), ("", "")])
def test_host_name(value, name):
    assert host_name(value) == name


def test_serve_answers_its_host_and_each_allowed_host(tmp_path, store):
    with serve(store, "--allowed-host", "scorecard.internal", "--allowed-host", "*.corp.example",
               "--allowed-host", "Reports.Example.org:8443", log=tmp_path / "serve.log") as served:
        for host in ("scorecard.internal", "scorecard.internal:8000", "a.corp.example", "b.a.corp.example",
                     "reports.example.org", "127.0.0.1", "localhost"):
            assert get(served.base, "/api/meta", host).status_code == 200, host
        for host in ("corp.example", "evilcorp.example", "scorecard.internal.evil", "evil.example"):
            assert get(served.base, "/", host).status_code == 400, host


def test_serve_host_value_is_answered(tmp_path, store):
    """--host names the address; requests for it are answered with no --allowed-host."""
    with serve(store, log=tmp_path / "serve.log", host="127.0.0.2") as served:   # not a default name
        assert get(served.base, "/api/meta", urlsplit(served.base).netloc).status_code == 200
        assert get(served.base, "/api/meta", "127.0.0.3").status_code == 400
