from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from adoptscore.web.app import create_app
from tests.conftest import launch_chromium
from tests.scorestore import build_store


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("web") / "scores.duckdb")


@pytest.fixture(scope="session")
def app(store):
    return create_app(store)


@pytest.fixture(scope="session")
def server(app):
    """The app on a real HTTP server (uvicorn) on a free local port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, for one test module."""
    from playwright import sync_api  # only the modules that drive a browser need it

    with sync_api.sync_playwright() as playwright:
        instance = launch_chromium(playwright)
        yield instance
        instance.close()
