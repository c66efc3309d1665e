"""`adoptscore export ...` as a user runs it (the sub-app through typer's CliRunner): files written
and read back against the store, alerts posted to a real local server, and bad input refused
with one line, exit 2, nothing written."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import adoptscore
from adoptscore.commands.export import export_app
from adoptscore.demo import generate_usage
from adoptscore.store import open_store
from tests.exports.hookserver import Answer, HookServer

RANK = {"red": 0, "yellow": 1, "green": 2}


def run(*args):
    return CliRunner().invoke(export_app, [str(a) for a in args], env={"ADOPTSCORE_DEBUG": ""})


def _files(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def _count(store, sql: str, params=()) -> int:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


def test_gainsight_file(export_store, tmp_path):
    target = tmp_path / "gainsight.csv"
    done = run("gainsight", "--store", export_store.path, "--out", target)
    assert done.exit_code == 0, done.output
    assert _files(tmp_path) == ["gainsight.csv"]
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    latest = export_store.periods()[-1]
    accounts = _count(export_store.path, "SELECT count(*) FROM gitlab.overall WHERE period = ?", [latest])
    assert len(rows) == accounts * 7 and {r["period"] for r in rows} == {latest}
    assert list(rows[0]) == ["company_id", "company_name", "account_id", "measure", "measure_id", "score",
                             "score_decimal", "color", "status", "previous_score", "previous_color", "trend", "period",
                             "snapshot_date", "rubric", "rubric_version", "comment", "override_color", "override_reason",
                             "override_by", "override_until"]
    assert f"wrote {len(rows):,} measure rows ({accounts:,} companies, gitlab 2025.1, {latest})" in done.stderr


def test_gainsight_on_standard_output_scored_only(export_store):
    period = export_store.periods()[-3]
    done = run("gainsight", "--store", export_store.path, "--period", period, "--scored-only", "--out", "-",
               "--comment-length", "100", "--company-id", "crm_id")
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    scored = _count(export_store.path, "SELECT (SELECT count(*) FROM gitlab.use_cases u JOIN gitlab.accounts a USING "
                    "(account_id) WHERE period = ? AND status = 'scored' AND a.crm_id IS NOT NULL) + (SELECT count(*) FROM "
                    "gitlab.overall o JOIN gitlab.accounts a USING (account_id) WHERE period = ? AND status = 'scored' "
                    "AND a.crm_id IS NOT NULL)", [period, period])
    assert len(rows) == scored and all(r["score"] for r in rows)
    assert all(len(r["comment"]) <= 100 for r in rows) and all(r["company_id"].startswith("0015") for r in rows)
    assert "left out" in done.stderr


def test_history_parquet(export_store, tmp_path):
    periods = export_store.periods()
    target = tmp_path / "history.parquet"
    done = run("history", "--store", export_store.path, "--since", periods[1], "--until", periods[3], "--out", target)
    assert done.exit_code == 0, done.output
    con = duckdb.connect()
    got = con.execute(f"SELECT period, count(*), min(snapshot_date)::VARCHAR FROM read_parquet('{target}') "
                      "GROUP BY 1 ORDER BY 1").fetchall()
    for period, rows, day in got:
        accounts = _count(export_store.path, "SELECT count(*) FROM gitlab.overall WHERE period = ?", [period])
        assert rows == accounts * 7 and day.startswith(period)
    assert [g[0] for g in got] == periods[1:4]


def test_scores_tables(export_store, tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    latest = export_store.periods()[-1]
    done = run("scores", "--store", export_store.path, "--out", folder, "-t", "overall", "-t", "metrics", "--period",
               latest, "--format", "parquet")
    assert done.exit_code == 0, done.output
    assert _files(folder) == ["metrics.parquet", "overall.parquet"]
    for table in ("metrics", "overall"):
        stored = _count(export_store.path, f"SELECT count(*) FROM gitlab.{table} WHERE period = ?", [latest])
        written = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{folder / (table + '.parquet')}')").fetchone()[0]
        assert written == stored and f"wrote {stored:,} {table} rows" in done.stderr


def _drops(store, period) -> int:
    con = duckdb.connect(str(store), read_only=True)
    periods = [r[0] for r in con.execute("SELECT DISTINCT period FROM gitlab.use_cases ORDER BY 1").fetchall()]
    rows = con.execute("SELECT a.color, b.color FROM gitlab.use_cases a JOIN gitlab.use_cases b USING (account_id, "
                       "use_case) WHERE a.period = ? AND b.period = ?",
                       [period, periods[periods.index(period) - 1]]).fetchall()
    con.close()
    return sum(1 for now, before in rows if now and before and RANK[before] > RANK[now])


def test_alerts_to_json_and_to_a_webhook(export_store, tmp_path):
    latest = export_store.periods()[-1]
    target = tmp_path / "alerts.json"
    with HookServer() as hook:
        hook.plan.append(Answer(500))
        done = run("alerts", "--store", export_store.path, "--out", target, "--webhook", hook.url + "/cs",
                   "--header", "Authorization: Bearer T0KEN", "--batch-size", "50")
        assert done.exit_code == 0, done.output
        document = json.loads(target.read_text())
        assert document["count"] == len(document["alerts"]) == _drops(export_store.path, latest)
        assert len(hook.tasks()) == document["count"]
        assert {r.headers["authorization"] for r in hook.requests} == {"Bearer T0KEN"}
        assert len(hook.requests) == -(-document["count"] // 50) + 1  # one retry after the 500
    assert f"posted {document['count']:,} alerts ({latest})" in done.stderr and "T0KEN" not in done.output


def test_alerts_as_csv_on_standard_output(export_store):
    period = export_store.periods()[-2]
    done = run("alerts", "--store", export_store.path, "--period", period, "--use-case", "cd")
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and {r["use_case"] for r in rows} == {"cd"} and {r["period"] for r in rows} == {period}


@pytest.fixture(scope="module")
def two_rubrics(export_store, tmp_path_factory):
    """The export store plus a second version of the gitlab rubric (gitlab-2022 is gitlab 2022.1)
    and a second rubric, both on a few accounts."""
    path = tmp_path_factory.mktemp("two") / "scores.duckdb"
    shutil.copy(export_store.path, path)
    usage = generate_usage(accounts=30, months=2, seed=1, end_period="2026-10")
    open_store(path).save(adoptscore.score(usage, "gitlab-2022"))
    other = adoptscore.load_rubric("gitlab").model_copy(update={"name": "other"})
    open_store(path).save(adoptscore.score(usage, other))
    return path


def test_the_rubric_and_version_to_export(two_rubrics, tmp_path):
    def companies(*args):
        done = run("gainsight", "--store", two_rubrics, "--out", "-", *args)
        assert done.exit_code == 0, done.output
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
        return {(r["rubric"], r["rubric_version"]) for r in rows}, len({r["company_id"] for r in rows})

    # 2022.1 was stored last, but 2025.1 is the newer version: the newest by version order is exported
    newest = companies("--rubric", "gitlab")
    assert newest[0] == {("gitlab", "2025.1")} and newest[1] > 250
    assert companies("--rubric", "gitlab", "--version", "2022.1") == ({("gitlab", "2022.1")}, 29)
    assert companies("--rubric", "other") == ({("other", "2025.1")}, 29)


def _bad(export_store, two_rubrics, tmp_path, hook_url):
    store = str(export_store.path)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    folder = tmp_path / "folder"
    folder.mkdir()
    out = tmp_path / "out.csv"
    return {
        "unknown period": (["gainsight", "--store", store, "--period", "2019-01", "--out", out], "no scores for period"),
        "rubric not in store": (["gainsight", "--store", store, "--rubric", "nope", "--out", out], "'nope'"),
        "unknown version": (["history", "--store", store, "--version", "9.9", "--out", out], "version 9.9"),
        "several rubrics": (["gainsight", "--store", two_rubrics, "--out", out], "several rubrics"),
        "store missing": (["scores", "--store", tmp_path / "none.duckdb", "--out", folder], "not found"),
        "folder missing": (["gainsight", "--store", store, "--out", tmp_path / "missing" / "g.csv"], "does not exist"),
        "parent is a file": (["history", "--store", store, "--out", a_file / "h.csv"], "is not a folder"),
        "out is a folder": (["gainsight", "--store", store, "--out", folder], "is a folder"),
        "format mismatch": (["gainsight", "--store", store, "--out", tmp_path / "g.parquet", "-f", "csv"], ".parquet"),
        "parquet to stdout": (["history", "--store", store, "--out", "-", "-f", "parquet"], "standard output"),
        "period and since": (["scores", "--store", store, "--out", folder, "--period", "2026-10", "--since", "2026-01"],
                             "not both"),
        "scores file for tables": (["scores", "--store", store, "--out", tmp_path / "all.csv"], "names a file"),
        "unknown company id": (["gainsight", "--store", store, "--company-id", "sfdc", "--out", out], "'sfdc'"),
        "comment too short": (["gainsight", "--store", store, "--comment-length", "5", "--out", out], "comment length"),
        "empty range": (["history", "--store", store, "--since", "2031-01", "--out", out], "no stored period"),
        "bad url": (["alerts", "--store", store, "--webhook", "ftp://example.com/x"], "not an http(s) URL"),
        "header without webhook": (["alerts", "--store", store, "--out", out, "-H", "X-A: b"], "only used with --webhook"),
        "bad header": (["alerts", "--store", store, "--webhook", hook_url, "-H", "Authorization Bearer x"],
                       "is not 'Name: value'"),
        "unknown use case": (["alerts", "--store", store, "--use-case", "xyz", "--out", out], "unknown use case"),
        "webhook refuses": (["alerts", "--store", store, "--webhook", hook_url + "/hook"], "400 Bad Request"),
    }


CASES = ["unknown period", "rubric not in store", "unknown version", "several rubrics", "store missing",
         "folder missing", "parent is a file", "out is a folder", "format mismatch", "parquet to stdout",
         "period and since", "scores file for tables", "unknown company id", "comment too short", "empty range",
         "bad url", "header without webhook", "bad header", "unknown use case", "webhook refuses"]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_exit_2_nothing_written(export_store, two_rubrics, tmp_path, case):
    with HookServer() as hook:
        hook.plan.extend([Answer(400, body="unknown owner")] * 3)
        args, needle = _bad(export_store, two_rubrics, tmp_path, hook.url)[case]
        before = _files(tmp_path)
        done = run(*args)
        posted = len(hook.requests)
    assert done.exit_code == 2, (case, done.output)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), (case, done.stderr)
    assert needle in lines[0], (case, lines[0])
    assert "Traceback" not in done.output and done.stdout == ""
    assert _files(tmp_path) == before, case
    assert posted == (1 if case == "webhook refuses" else 0)
    if case == "webhook refuses":
        # the status only: a receiver's answer body may echo the request's headers (a token)
        assert f"webhook {hook.url}/hook refused the alerts: 400 Bad Request (batch 1" in lines[0]
        assert "unknown owner" not in done.output


def test_an_unwritable_folder_is_refused(export_store, tmp_path):
    """A folder this user may not write: a read-only folder, or for root (who writes anywhere on a
    disk) sysfs, which refuses new files to everyone."""
    if os.geteuid() == 0:
        folder = Path("/sys")
        before = sorted(os.listdir(folder))
        done = run("gainsight", "--store", export_store.path, "--out", folder / "g.csv")
        assert done.exit_code == 2 and "permission denied" in done.stderr.lower(), done.stderr
        assert sorted(os.listdir(folder)) == before
        return
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        done = run("gainsight", "--store", export_store.path, "--out", folder / "g.csv")
    finally:
        folder.chmod(0o700)
    assert done.exit_code == 2 and "permission denied" in done.stderr and _files(folder) == []
