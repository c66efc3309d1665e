"""``ingest service-ping`` end to end through Typer (on a small app of its own: cli.py registers the
same function), and the helper ``score --from service-ping`` uses."""
from __future__ import annotations

import csv
import json

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

import adoptscore
from adoptscore.commands.ingest import ingest_service_ping_command, service_ping_table
from adoptscore.errors import DataError
from adoptscore.ingest.service_ping import read_payloads
from tests.ingest.helpers import payload, write

app = typer.Typer()
app.command("service-ping")(ingest_service_ping_command)


@app.command("version")
def _version() -> None:  # a second command, so Typer keeps "service-ping" as a subcommand name
    pass


def run(*args: str):
    return CliRunner().invoke(app, ["service-ping", *args])


@pytest.fixture
def payloads(tmp_path):
    folder = tmp_path / "payloads"
    write(folder, "a.json", payload(uuid="a"))
    write(folder, "b.json", payload(uuid="b", recorded_at="2026-09-25T08:00:00Z", license_plan="premium"))
    write(folder, "old/c.json", payload(uuid="c", version="13.12.0"))
    write(folder, "broken.json", '{"uuid": "d", "counts": {')
    write(folder, "string.json", payload(uuid="e", counts_monthly__deployments="5"))
    return folder


def test_writes_parquet_with_a_summary(payloads, tmp_path):
    out = tmp_path / "usage.parquet"
    done = run(str(payloads), "--out", str(out))
    assert done.exit_code == 0, done.output
    table = pq.read_table(out)
    assert table.equals(read_payloads(payloads).table)
    assert [r["account_id"] for r in table.select(["account_id"]).to_pylist()] == ["a", "b", "c"]
    assert "read 3 of 5 payloads from 5 files" in done.output
    assert "skipped 2 malformed payloads: 1 truncated JSON, 1 text where a number is expected" in done.output
    assert f"skipped {payloads}/broken.json:1:" in done.output
    assert f"skipped {payloads}/string.json: counts_monthly.deployments: the text '5'" in done.output
    assert f"wrote 3 instance-month rows to {out}" in done.output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_writes_csv_and_the_skipped_report(payloads, tmp_path):
    out, skipped = tmp_path / "usage.csv", tmp_path / "skipped.csv"
    done = run(str(payloads / "a.json"), str(payloads / "string.json"), "-o", str(out), "--skipped", str(skipped))
    assert done.exit_code == 0, done.output
    table = pacsv.read_csv(out)
    assert table.num_rows == 1 and table.column("billable_users").to_pylist() == [200]
    with skipped.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [{"file": f"{payloads}/string.json", "line": "", "column": "", "key_path": "counts_monthly.deployments",
                     "kind": "text_number", "reason": "the text '5' where a count is expected"}]


def test_strict_exits_1_after_writing(payloads, tmp_path):
    out = tmp_path / "usage.parquet"
    done = run(str(payloads), "--out", str(out), "--strict", "--quiet")
    assert done.exit_code == 1
    assert out.exists() and done.output == ""
    clean = run(str(payloads / "a.json"), "--out", str(out), "--strict", "--quiet")
    assert clean.exit_code == 0


def test_nothing_readable_writes_nothing(tmp_path):
    folder = tmp_path / "bad"
    write(folder, "x.json", "nope")
    out = tmp_path / "usage.parquet"
    out.write_bytes(b"previous output")
    done = run(str(folder), "--out", str(out))
    assert done.exit_code == 2
    assert "none of the 1 payload files gave a row" in done.output and "not valid JSON" in done.output
    assert out.read_bytes() == b"previous output"
    assert "Traceback" not in done.output


@pytest.mark.parametrize("args, needle", [
    (["--out", "usage.xlsx"], "cannot write .xlsx"),
    (["--out", "usage.parquet", "--skipped", "skipped.txt"], "the skipped-payloads report is a CSV file"),
    (["--out", "usage.parquet", "--workers", "0"], "'--workers'"),
])
def test_bad_options_fail_before_reading(payloads, tmp_path, args, needle):
    args = [a if not a.endswith((".xlsx", ".parquet", ".txt")) else str(tmp_path / a) for a in args]
    done = run(str(payloads), *args)
    assert done.exit_code == 2 and needle in done.output, done.output


def test_missing_path_and_bad_mapping_are_one_line_errors(payloads, tmp_path):
    done = run(str(tmp_path / "nowhere"), "--out", str(tmp_path / "u.parquet"))
    assert done.exit_code == 2 and "nowhere: no such file or folder" in done.output
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  x: {type: sometimes}\n")
    done = run(str(payloads), "--out", str(tmp_path / "u.parquet"), "--mapping", str(mapping))
    assert done.exit_code == 2 and f"{mapping}:2:" in done.output and "Traceback" not in done.output


def test_a_user_mapping_through_the_command(payloads, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  settings_gitaly_apdex: {type: boolean, key: settings.gitaly_apdex_enabled}\n")
    out = tmp_path / "u.parquet"
    done = run(str(payloads / "a.json"), "--out", str(out), "--mapping", str(mapping), "-q")
    assert done.exit_code == 0, done.output
    assert pq.read_table(out).column("settings_gitaly_apdex").to_pylist() == [True]


def test_service_ping_table_feeds_score(payloads):
    table = service_ping_table([payloads], quiet=True)
    result = adoptscore.score(table, "gitlab")
    assert set(result.use_cases["account_id"]) == {"a", "b", "c"}
    with pytest.raises(DataError, match="gave a row"):
        service_ping_table([payloads / "broken.json"], quiet=True)


def test_the_table_is_json_serialisable_through_to_dict(payloads):
    result = read_payloads(payloads)
    text = json.dumps(result.to_dict())
    assert '"superseded": 0' in text and "broken.json" in text
