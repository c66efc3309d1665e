"""``adoptscore serve --workers 2`` builds the read model once and both workers map the same files
(issue 15, scale): the pages of the portfolio columns are shared through the page cache, not
copied into each worker."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import httpx
import pytest

from adoptscore.insights import read_model
from tests.scorestore import build_store
from tests.web.serving import DEADLINE, serve


def workers(pid: int) -> list[int]:
    """The serve process's children that run the app (not multiprocessing's resource tracker)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(int(child))
    return found


def mapped_files(pid: int, folder: Path) -> dict[str, tuple[str, str]]:
    """The files under ``folder`` that process ``pid`` maps: name -> (device, inode)."""
    out = {}
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and parts[5].startswith(str(folder)):
            out[Path(parts[5]).name] = (parts[3], parts[4])
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_two_workers_share_one_build_of_the_mapped_read_model(tmp_path):
    store = build_store(tmp_path / "scores.duckdb", accounts=200, months=3)
    with serve(store, "--workers", "2", "--team-db", str(tmp_path / "team.sqlite")) as server:
        deadline = time.monotonic() + DEADLINE
        while True:
            pids = workers(server.process.pid)
            cache = read_model.cache_folder(store)
            columns = list(cache.glob("*.columns"))
            maps = {pid: mapped_files(pid, columns[0]) for pid in pids} if len(columns) == 1 else {}
            if len(maps) == 2 and all(maps.values()):
                break
            assert time.monotonic() < deadline, f"workers {pids}, columns {columns}, maps {maps}"
            time.sleep(0.3)
        assert httpx.get(server.base + "/api/portfolio", timeout=60).status_code == 200
        first, second = maps.values()
        # the same files, not two builds: a second build would have replaced them (other inodes)
        assert first == second and "meta.json" not in first
        assert {"accounts.arrow", "peer_values.npy"} <= set(first)
        assert len(list(cache.glob("*.duckdb"))) == 1 and len(columns) == 1
        assert all(os.stat(columns[0] / name).st_ino == int(inode) for name, (_, inode) in first.items())
