"""Where the team database is by default (adoptscore.team.config.default_database): beside a store
file, and for a warehouse store (a URL, no folder) in the user's state folder, never the folder a
command happens to be run from."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adoptscore.team.config import default_database

URL = "postgres://ana:s3cret@db.example.com:5432/analytics?schema=adoptscore"


def test_beside_a_store_file(tmp_path):
    assert default_database(tmp_path / "scores.duckdb") == tmp_path / "scores.team.sqlite"


@pytest.mark.parametrize("variables, folder", [
    ({"ADOPTSCORE_STATE": "own"}, "own"),
    ({"XDG_STATE_HOME": "xdg"}, "xdg/adoptscore"),
    ({}, "home/.local/state/adoptscore"),
])
def test_a_warehouse_stores_is_in_the_state_folder(tmp_path, monkeypatch, variables, folder):
    for name in ("ADOPTSCORE_STATE", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, str(tmp_path / value))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    path = default_database(URL)
    assert path.parent == tmp_path / folder and path.name.endswith(".team.sqlite")
    # the same file whatever the password, another for another schema or database
    assert default_database(URL.replace("s3cret", "rotated")) == path
    assert default_database(URL.replace(":s3cret", "")) == path
    assert default_database(URL.replace("schema=adoptscore", "schema=other")) != path
    assert default_database(URL.replace("/analytics", "/other")) != path
    assert "s3cret" not in str(path)


def test_a_command_for_a_warehouse_store_leaves_nothing_in_the_working_folder(tmp_path):
    """``adoptscore team token add --store URL`` run as a user would, from a project folder: the team
    database lands in the state folder (the command needs no connection to the warehouse)."""
    work, state = tmp_path / "project", tmp_path / "state"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("ADOPTSCORE_STATE", "ADOPTSCORE_DEBUG")}
    env["XDG_STATE_HOME"] = str(state)
    exe = Path(sys.executable).with_name("adoptscore")
    done = subprocess.run([str(exe), "team", "token", "add", "ana@example.com", "--store", URL], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    [made] = list((state / "adoptscore").iterdir())  # closed: no write-ahead log left beside it
    assert made.name.endswith(".team.sqlite") and str(made) in done.stderr
    assert list(work.iterdir()) == []
