"""``adoptscore serve`` in a process of its own, as a user runs it, and the store rewrites it reloads."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from adoptscore.demo import write_usage

BIN = Path(sys.executable).parent
ADOPTSCORE = str(BIN / "adoptscore")
# generous: a loaded CI machine with another test suite beside it; never a speed check
DEADLINE = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running ``adoptscore serve``: its base URL, process and log."""

    def __init__(self, process: subprocess.Popen, base: str, log: Path):
        self.process, self.base, self.log = process, base, log

    def health(self) -> dict:
        return httpx.get(self.base + "/healthz", timeout=60).json()

    def wait_settled(self, loads: int) -> dict:
        """Wait until the server has loaded ``loads`` scorecards (1 + reloads) and the last is
        warm with the memory of the one before given back."""
        deadline = time.monotonic() + DEADLINE
        while True:
            assert self.process.poll() is None, self.log.read_text()
            try:
                health = self.health()
                if health["loads"] >= loads and health["settled"] >= loads:
                    assert health["loads"] == loads, f"more reloads than store writes: {health}"
                    return health
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"no settled load {loads}: {self.log.read_text()}"
            time.sleep(0.3)

    def rss_mb(self) -> float:
        """The server's resident memory (VmRSS), in MB, once it stops moving (the settle's last
        pages are given back a moment after /healthz says settled)."""
        def read() -> float:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
            raise AssertionError("no VmRSS")
        last = read()
        for _ in range(20):
            time.sleep(1)
            now = read()
            if abs(now - last) < 1:
                return now
            last = now
        return last


@contextmanager
def serve(store: Path, *args: str, log: Path | None = None, host: str = "127.0.0.1") -> Iterator[Served]:
    """``adoptscore serve --store STORE --host HOST`` on a free port, answering /healthz; stopped after."""
    port = free_port()
    base = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"  # only ever sent to this machine
    log = log or store.with_name(store.name + f".serve-{port}.log")
    with open(log, "w") as out:
        process = subprocess.Popen([ADOPTSCORE, "serve", "--store", str(store), "--host", host, "--port", str(port), *args],
                                   stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + DEADLINE
            while True:
                assert process.poll() is None, log.read_text()
                try:
                    if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, f"adoptscore serve did not answer: {log.read_text()}"
                time.sleep(0.2)
            yield Served(process, base, log)
        finally:
            process.terminate()
            process.wait(timeout=60)


def score_into(usage: Path, store: Path) -> None:
    """``adoptscore score USAGE --store STORE``, as a nightly job runs it."""
    done = subprocess.run([ADOPTSCORE, "score", str(usage), "--store", str(store), "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def scored_history(folder: Path, accounts: int, months: int, rewrites: int) -> tuple[Path, list[Path]]:
    """A store scored from demo usage (seed 0), and ``rewrites`` more usage files (seeds 1...), each
    holding other scores, for ``score_into`` to rewrite the store with."""
    usages = [folder / f"usage-{seed}.parquet" for seed in range(rewrites + 1)]
    for seed, path in enumerate(usages):
        write_usage(path, accounts=accounts, months=months, seed=seed)
    store = folder / "scores.duckdb"
    score_into(usages[0], store)
    return store, usages[1:]


@contextmanager
def served(app, port: int | None = None) -> Iterator[str]:
    """``app`` on uvicorn in a thread of this process, at 127.0.0.1 (``port``, else a free one), for
    the length of the block; yields its base URL."""
    import threading

    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        # a thread that ended has failed to start (the port taken): no use waiting out the deadline
        assert thread.is_alive() and time.monotonic() < deadline, f"the server on port {port} did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
