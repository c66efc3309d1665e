"""``adoptscore team`` as an admin runs it from a shell: a token made by the command signs a script in
to the server serve would start with the same options, is listed without its secret, revoked, and
every change is in the audit log under ``cli:<login>``; bad input is one line, exit 2, no file made."""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from adoptscore.team.config import load_team
from adoptscore.team.people import login_name
from adoptscore.web.app import create_app
from tests.scorestore import build_store
from tests.web.serving import served

TEAM = """\
sign_in:
  proxy: {header: X-Forwarded-Email, trusted: [10.9.9.9]}
people:
  - {email: root@example.com, role: admin}
  - {email: priya@example.com, role: owner, owner: Priya Raman}
  - {email: vic@example.com, role: viewer, scope: {segment: [Enterprise]}}
overrides: {default_days: 30, max_days: 60}
"""


def adoptscore(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("adoptscore")
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("ADOPTSCORE_DEBUG", None)
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def failed(done: subprocess.CompletedProcess, *needles: str) -> str:
    """The one error line of a refused command."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == "" and "Traceback" not in done.stderr
    [line] = [x for x in done.stderr.splitlines() if x.strip()]
    assert line.startswith("error: "), line
    for needle in needles:
        assert needle in line, (needle, line)
    return line


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("team-cli") / "scores.duckdb")


@pytest.fixture()
def folder(tmp_path, store) -> Path:
    """A working folder with the team file (no database: setting, so serve puts it beside the store)."""
    (tmp_path / "team.yaml").write_text(TEAM)
    return tmp_path


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


def test_a_token_made_by_the_command_signs_a_script_in_until_revoked(folder, store):
    actor = f"cli:{login_name()}"
    made = adoptscore("team", "token", "add", "Priya@Example.com", "--label", "nightly export",
                      "--team", "team.yaml", "--store", store, cwd=folder)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert made.stdout == token + "\n"  # the token and nothing else: $(adoptscore team token add ...)
    database = store.with_name("scores.team.sqlite")
    assert str(database) in made.stderr and token not in made.stderr
    # the server serve starts with the same --store and --team (no --team-db) knows the token
    app = create_app(store, team=load_team(folder / "team.yaml"))
    with served(app) as base:
        meta = httpx.get(base + "/api/meta", headers=bearer(token), timeout=30)
        assert meta.status_code == 200, meta.text
        assert meta.json()["user"] == {**meta.json()["user"], "email": "priya@example.com", "role": "owner",
                                       "via": "token"}
        # the token writes as its holder: an override on one of Priya's accounts, in the audit log
        mine = httpx.get(base + "/api/portfolio?owner=Priya%20Raman", headers=bearer(token), timeout=30).json()
        account = mine["rows"][0]["account_id"]
        written = httpx.post(base + f"/api/accounts/{account}/overrides", headers=bearer(token), timeout=30,
                             json={"use_case": "ci", "color": "green", "reason": "pilot ends in May", "days": 10})
        assert written.status_code == 201, written.text

        listed = adoptscore("team", "token", "list", "--store", store, cwd=folder)
        assert listed.returncode == 0, listed.stderr
        [stored] = sqlite3.connect(database).execute("SELECT id, hash FROM tokens").fetchall()
        token_id, digest = stored
        row = next(line for line in listed.stdout.splitlines() if token_id in line)
        assert "priya@example.com" in row and "nightly export" in row and actor in row
        secret = token[len("as_") + len(token_id) + 1:]
        assert len(secret) >= 40 and secret not in listed.stdout and digest not in listed.stdout

        revoked = adoptscore("team", "token", "revoke", token_id, "--team-db", database, cwd=folder)
        assert revoked.returncode == 0, revoked.stderr
        refused = httpx.get(base + "/api/meta", headers=bearer(token), timeout=30)
        assert refused.status_code == 401 and "revoked" in refused.json()["error"]
    again = adoptscore("team", "token", "revoke", token_id, "--team-db", database, cwd=folder)
    failed(again, token_id, "already revoked")
    relisted = adoptscore("team", "token", "list", "--store", store, cwd=folder)
    row = next(line for line in relisted.stdout.splitlines() if token_id in line)
    assert len(re.findall(r"\d\d:\d\dZ", row)) == 2  # made, revoked

    audit = adoptscore("team", "audit", "--json", "--store", store, cwd=folder)
    assert audit.returncode == 0, audit.stderr
    entries = json.loads(audit.stdout)
    assert [(e["action"], e["actor"]) for e in entries] == [
        ("token.revoke", actor), ("override.set", "priya@example.com"), ("token.add", actor)]
    assert entries[2]["after"] == {"email": "priya@example.com", "label": "nightly export"}
    assert entries[1]["object"] == f"override:{account}/ci" and entries[1]["after"]["color"] == "green"
    only = json.loads(adoptscore("team", "audit", "--json", "--object", "override:", "--store", store,
                                 cwd=folder).stdout)
    assert [e["action"] for e in only] == ["override.set"]
    newest = json.loads(adoptscore("team", "audit", "--json", "--limit", "1", "--store", store, cwd=folder).stdout)
    assert [e["action"] for e in newest] == ["token.revoke"]
    table = adoptscore("team", "audit", "--store", store, cwd=folder)
    assert table.returncode == 0 and "pilot ends in May" in table.stdout and "override.set" in table.stdout


def test_without_a_team_file_the_store_places_the_database_as_serve_does(folder, store, tmp_path_factory):
    copy = tmp_path_factory.mktemp("alone") / "history.duckdb"
    copy.write_bytes(store.read_bytes())
    made = adoptscore("team", "token", "add", "script@example.com", "--store", copy, cwd=folder)
    assert made.returncode == 0, made.stderr
    assert copy.with_name("history.team.sqlite").exists()
    with served(create_app(copy)) as base:  # serve --store history.duckdb: no team, a token's holder is admin
        meta = httpx.get(base + "/api/meta", headers=bearer(made.stdout.strip()), timeout=30).json()
        assert meta["user"]["email"] == "script@example.com" and meta["user"]["role"] == "admin"


def test_the_team_files_database_setting_is_followed(folder):
    (folder / "team.yaml").write_text(TEAM + "database: db/team.sqlite\n")
    made = adoptscore("team", "token", "add", "vic@example.com", "--team", "team.yaml", cwd=folder)
    assert made.returncode == 0, made.stderr
    assert (folder / "db" / "team.sqlite").exists() and not (folder / "scores.team.sqlite").exists()
    listed = adoptscore("team", "token", "list", "--team", "team.yaml", cwd=folder)
    assert "vic@example.com" in listed.stdout


def test_refusals_are_one_line_and_make_no_database(folder, store):
    before = sorted(p.name for p in folder.iterdir())
    failed(adoptscore("team", "token", "add", "eve@example.com", "--team", "team.yaml", "--team-db", "t.sqlite",
                      cwd=folder), "eve@example.com is not on the team file", "403")
    failed(adoptscore("team", "token", "add", "not-an-email", "--team-db", "t.sqlite", cwd=folder),
           "not an email address")
    failed(adoptscore("team", "token", "add", "ana@example.com", cwd=folder), "no score store at scores.duckdb")
    for command in (["token", "list"], ["token", "revoke", "abc"], ["audit"]):
        failed(adoptscore("team", *command, "--team-db", "missing.sqlite", cwd=folder),
               "no team database at missing.sqlite")
    assert sorted(p.name for p in folder.iterdir()) == before


def test_check_says_what_the_team_file_sets(folder):
    (folder / "team.yaml").write_text(TEAM.replace(
        "sign_in:\n", "sign_in:\n  oidc: {issuer: https://login.example.com, client_id: adoptscore, "
                      "client_secret_env: ADOPTSCORE_TEST_NO_SUCH_SECRET}\n"))
    done = adoptscore("team", "check", "team.yaml", cwd=folder)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "reverse proxy header X-Forwarded-Email, believed from 10.9.9.9" in text
    assert "OpenID Connect at https://login.example.com, client adoptscore" in text
    assert "$ADOPTSCORE_TEST_NO_SUCH_SECRET (not set here" in text
    vic = next(line for line in text.splitlines() if "vic@example.com" in line)
    assert "viewer" in vic and "segment Enterprise" in vic
    priya = next(line for line in text.splitlines() if "priya@example.com" in line)
    assert "owner" in priya and "Priya Raman" in priya
    assert "1 admin(s), 1 owner(s), 1 viewer(s)" in text and "refused (403)" in text
    assert "at most 60" in text


@pytest.mark.parametrize("text, where", [
    (TEAM.replace("role: viewer", "role: boss"), "team.yaml:6:"),
    (TEAM.replace("trusted: [10.9.9.9]", "trusted: [not-an-address]"), "team.yaml:2:"),
    (TEAM + "colour: red\n", "team.yaml:8:"),
])
def test_check_of_a_bad_file_is_one_located_line(folder, text, where):
    (folder / "team.yaml").write_text(text)
    failed(adoptscore("team", "check", "team.yaml", cwd=folder), where)
