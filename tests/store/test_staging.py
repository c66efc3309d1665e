"""Staging folders: held by their run while it lives, removed by the next open once it is gone
(however it ended), never while it lives."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile

import pytest

from adoptscore.store import staging

HOLD = """
import sys
from pathlib import Path
from adoptscore.store import staging
held = staging.stage(Path(sys.argv[1]))
(held.path / "part.parquet").write_bytes(b"x" * 1000)
print(held.path, flush=True)
sys.stdin.read()  # hold it until the test closes our input or kills us
held.close()
"""

pytestmark = pytest.mark.skipif(staging.fcntl is None, reason="flock: POSIX only (elsewhere: by age)")


def holder(folder):
    run = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
    path = run.stdout.readline().strip()
    assert path, "the holder did not start"
    return run, path


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(staging.PREFIX))


def test_a_live_runs_folder_is_kept_and_a_killed_ones_removed(tmp_path):
    run, path = holder(tmp_path)
    try:
        assert staging.clean(tmp_path) == 0
        assert os.path.isdir(path) and os.listdir(path) == ["part.parquet"]
        assert os.path.basename(path).startswith(f"{staging.PREFIX}{run.pid}-")
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    assert leftovers(tmp_path) == [os.path.basename(path)]  # nothing removes it on its own...
    assert staging.clean(tmp_path) == 1  # ...the next open does
    assert leftovers(tmp_path) == []


def test_folders_from_before_the_lock_are_removed_and_nothing_else(tmp_path):
    old = tempfile.mkdtemp(prefix=staging.PREFIX, dir=tmp_path)  # what earlier versions made
    with open(os.path.join(old, "metrics.parquet"), "wb") as handle:
        handle.write(b"x" * 100)
    (tmp_path / f"{staging.PREFIX}note.txt").write_text("a file, not a staging folder")
    (tmp_path / "mine").mkdir()
    assert staging.clean(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{staging.PREFIX}note.txt", "mine"]


def test_closing_removes_the_folder_and_a_missing_folder_cleans_nothing(tmp_path):
    held = staging.stage(tmp_path)
    (held.path / "x").write_text("x")
    assert staging.clean(tmp_path) == 0  # held by this very process
    held.close()
    assert leftovers(tmp_path) == []
    assert staging.clean(tmp_path / "missing") == 0


def test_opening_a_store_removes_what_killed_runs_left(tmp_path):
    from tests.scorestore import build_store
    from adoptscore.store import open_store

    path = build_store(tmp_path / "s.duckdb", accounts=40, months=2)
    run, live = holder(tmp_path)
    dead = tempfile.mkdtemp(prefix=staging.PREFIX, dir=tmp_path)
    try:
        open_store(path).rubrics()
        assert leftovers(tmp_path) == [os.path.basename(live)]  # the live run's stays
        assert not os.path.exists(dead)
    finally:
        run.stdin.close()
        run.wait()
    assert leftovers(tmp_path) == []  # a run that ends removes its own
