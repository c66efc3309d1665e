"""No answer holding customer data is kept in a cache (issue 14, defect 9).

Every route the app serves (found from its route table, so a new one is covered) and every
kind of error answers with ``Cache-Control: no-store``, for GET and HEAD; the static style and
script, which hold no customer data, may be cached.
"""
from __future__ import annotations

import re

import httpx
import pytest

SAMPLE = {"account_id": "A000007", "use_case": "ci", "review_id": "1"}
ERRORS = ["/accounts/NO-SUCH-ACCOUNT", "/api/accounts/NO-SUCH-ACCOUNT", "/?segment=Galactic", "/api/portfolio?page=0",
          "/no-such-page", "/api/no-such", "/use-cases/nope", "/alerts?period=1999-01", "/static/no-such.css"]


def app_paths(app) -> list[str]:
    """A request path for every route of the app, path parameters filled in."""
    paths = []
    for route in app.routes:
        path = getattr(route, "path", "")
        if not path or path == "/static":
            continue
        paths.append(re.sub(r"{(\w+)(:\w+)?}", lambda m: SAMPLE[m.group(1)], path))
    return paths


def test_every_route_is_listed(app):
    paths = app_paths(app)
    assert {"/", "/accounts/A000007", "/api/accounts/A000007", "/portfolio.csv", "/api/portfolio", "/api/meta",
            "/alerts", "/api/alerts", "/use-cases/ci", "/api/use-cases/ci", "/api/docs", "/api/openapi.json",
            "/healthz"} <= set(paths)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_no_store_on_every_route_and_error(app, server, method):
    with httpx.Client(base_url=server, timeout=60) as http:
        answers = {path: http.request(method, path) for path in app_paths(app) + ERRORS}
        answers["POST /"] = http.post("/")
        answers["Host: evil.example"] = http.get("/", headers={"Host": "evil.example"})
    assert {p: a.status_code for p, a in answers.items() if a.status_code >= 500} == {}
    assert {p: a.headers.get("cache-control") for p, a in answers.items()
            if a.headers.get("cache-control") != "no-store" and not p.startswith("/static/")} == {}
    assert answers["/static/no-such.css"].status_code == 404


@pytest.mark.parametrize("asset", ["/static/app.css", "/static/app.js"])
def test_static_assets_may_be_cached(server, asset):
    answer = httpx.get(server + asset, timeout=60)
    assert answer.status_code == 200
    assert "no-store" not in answer.headers.get("cache-control", "")
    assert answer.headers.get("etag")
