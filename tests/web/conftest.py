from __future__ import annotations

import pytest

from adoptscore.web.app import create_app
from tests.conftest import launch_chromium
from tests.scorestore import build_store
from tests.web.serving import served


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("web") / "scores.duckdb")


@pytest.fixture(scope="session")
def app(store):
    return create_app(store)


@pytest.fixture(scope="session")
def server(app):
    """The app on a real HTTP server (uvicorn) on a free local port."""
    with served(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, for one test module."""
    from playwright import sync_api  # only the modules that drive a browser need it

    with sync_api.sync_playwright() as playwright:
        instance = launch_chromium(playwright)
        yield instance
        instance.close()
