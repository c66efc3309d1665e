"""``adoptscore serve`` as a user runs it: bad options and a busy port are one line, exit 2
(issue 14, defect 7), before anything is loaded or an "open http://..." line is printed."""
from __future__ import annotations

import socket
import subprocess

import httpx
import pytest

from tests.web.serving import ADOPTSCORE, free_port, serve


def run_serve(store, *args: str) -> subprocess.CompletedProcess:
    # a serve that wrongly starts is stopped by the timeout, and the test fails on it
    return subprocess.run([ADOPTSCORE, "serve", "--store", str(store), *args], capture_output=True, text=True,
                          timeout=120)


def assert_refused(done: subprocess.CompletedProcess, *needles: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert "open http" not in done.stdout and "serving" not in done.stdout, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize("port", ["99999", "-1", "0", "65536"])
def test_a_port_out_of_range_is_one_line(store, port):
    assert_refused(run_serve(store, "--port", port), f"--port {port}", "1 to 65535")


@pytest.mark.parametrize("workers", ["0", "-3"])
def test_no_workers_is_refused(store, workers):
    assert_refused(run_serve(store, "--workers", workers, "--port", str(free_port())), f"--workers {workers}")


def test_a_port_in_use_is_told_before_the_open_line(store):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_serve(store, "--port", str(port))
    assert_refused(done, f"port {port}", "in use", "--port ")


def test_an_address_not_of_this_machine_is_one_line(store):
    # binding sends nothing: the kernel refuses an address no interface has
    assert_refused(run_serve(store, "--host", "192.0.2.1", "--port", str(free_port())), "192.0.2.1",
                   "--host 127.0.0.1")


def test_several_workers_serve_on_the_port_taken(tmp_path, store):
    with serve(store, "--workers", "2", log=tmp_path / "serve.log") as served:
        for path in ("/", "/api/meta", "/accounts/A000013"):
            assert httpx.get(served.base + path, timeout=60).status_code == 200, path
        log = served.log.read_text()
        assert "open http" in log
        # where the team's writes go, said at start
        assert f"team database (overrides, notes, tokens, audit log): {store.with_name('scores.team.sqlite')}" in log


NO_AUTH = "--insecure-no-auth: anyone who can reach"


def test_a_non_loopback_address_warns_that_anyone_can_read_every_account(tmp_path, store):
    with serve(store, "--insecure-no-auth", log=tmp_path / "serve.log", host="0.0.0.0") as served:
        assert httpx.get(served.base + "/api/meta", timeout=60).status_code == 200
        text = served.log.read_text()
    warning = [line for line in text.splitlines() if NO_AUTH in line]
    assert len(warning) == 1 and warning[0].startswith("warning: "), text
    assert "--host 0.0.0.0" in warning[0] and "every account" in warning[0] and "127.0.0.1" in warning[0]
    assert text.index(NO_AUTH) < text.index("open http")


def test_a_non_loopback_address_without_sign_in_is_refused(store):
    assert_refused(run_serve(store, "--host", "0.0.0.0", "--port", str(free_port())), "0.0.0.0",
                   "no sign-in", "--team FILE", "--insecure-no-auth")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.0.0.2"])
def test_a_loopback_address_gives_no_warning(tmp_path, store, host):
    with serve(store, log=tmp_path / "serve.log", host=host) as served:
        assert httpx.get(served.base + "/api/meta", timeout=60).status_code == 200
        text = served.log.read_text()
    assert "open http" in text and NO_AUTH not in text and "warning" not in text
