"""Malformed payloads: each is skipped with its file (and line) and the key path at fault, the others are
still read, and the summary counts what was skipped and why."""
from __future__ import annotations

import gzip
import json

import pytest

from adoptscore.errors import DataError
from adoptscore.ingest.service_ping import read_payloads
from tests.ingest.helpers import DELETE, payload, write


def only_skip(tmp_path, name, content):
    """Read one good payload and one bad one; return the single Skipped (after checking the good one)."""
    write(tmp_path, "good.json", payload(uuid="good"))
    bad = write(tmp_path, name, content)
    result = read_payloads(tmp_path)
    assert [r["account_id"] for r in result.table.to_pylist()] == ["good"]
    assert len(result.skipped) == 1, [s.format() for s in result.skipped]
    skipped = result.skipped[0]
    assert skipped.file.startswith(str(bad))
    return skipped, result


def test_not_json(tmp_path):
    s, _ = only_skip(tmp_path, "notjson.json", "this is not JSON\n")
    assert s.kind == "not_json" and s.line == 1 and s.column == 1
    assert "not valid JSON" in s.format() and s.format().startswith(f"{tmp_path}/notjson.json:1:1: ")


def test_truncated(tmp_path):
    text = json.dumps(payload(), indent=2)
    s, _ = only_skip(tmp_path, "cut.json", text[: len(text) // 2])
    assert s.kind == "truncated" and "truncated" in s.reason and s.line > 10


def test_truncated_inside_a_string(tmp_path):
    text = json.dumps(payload())
    cut = text.index('"gitlab.acme') + 5
    s, _ = only_skip(tmp_path, "cut2.json", text[:cut])
    assert s.kind == "truncated"


def test_empty_file(tmp_path):
    s, _ = only_skip(tmp_path, "empty.json", "")
    assert s.kind == "not_json" and "empty" in s.reason


def test_not_utf8(tmp_path):
    s, _ = only_skip(tmp_path, "latin.json", b'{"uuid": "caf\xe9"}')
    assert s.kind == "not_json"


def test_number_as_a_string(tmp_path):
    s, _ = only_skip(tmp_path, "str.json", payload(counts_monthly__deployments="12"))
    assert s.kind == "text_number" and s.key_path == "counts_monthly.deployments"
    assert s.format() == f"{tmp_path}/str.json: counts_monthly.deployments: the text '12' where a count is expected"


@pytest.mark.parametrize("overrides, key_path, words", [
    # a parent object replaced by a number
    ({"counts_monthly": 5}, "counts_monthly.ci_internal_pipelines", "counts_monthly is the number 5 where an object"),
    # a stage replaced by a list
    ({"usage_activity_by_stage_monthly__secure": [1, 2]},
     "usage_activity_by_stage_monthly.secure.user_unique_users_all_secure_scanners",
     "usage_activity_by_stage_monthly.secure is a list where an object"),
    # a counter replaced by an object
    ({"counts_monthly__deployments": {"total": 5}}, "counts_monthly.deployments", "an object where a count is expected"),
    # one level deeper than the mapping expects
    ({"redis_hll_counters__manage": "n/a"}, "redis_hll_counters.manage.unique_active_users_monthly",
     "redis_hll_counters.manage is the text 'n/a' where an object holding 'unique_active_users_monthly'"),
])
def test_unexpected_nesting(tmp_path, overrides, key_path, words):
    s, _ = only_skip(tmp_path, "nested.json", payload(**overrides))
    assert s.kind == "nesting" and s.key_path == key_path
    assert words in s.reason, s.reason


@pytest.mark.parametrize("overrides, key_path, kind", [
    ({"counts_monthly__deployments": 12.5}, "counts_monthly.deployments", "bad_value"),
    ({"counts_monthly__deployments": True}, "counts_monthly.deployments", "bad_value"),
    ({"license_trial": "yes"}, "license_trial", "bad_value"),
    ({"license_starts_at": "next spring"}, "license_starts_at", "bad_value"),
    ({"license_plan": {"name": "ultimate"}}, "license_plan", "nesting"),
])
def test_values_of_the_wrong_kind(tmp_path, overrides, key_path, kind):
    s, _ = only_skip(tmp_path, "kind.json", payload(**overrides))
    assert (s.kind, s.key_path) == (kind, key_path), s.format()


@pytest.mark.parametrize("overrides, key_path, words", [
    ({"uuid": DELETE}, "uuid", "instance id is missing"),
    ({"uuid": ""}, "uuid", "instance id"),
    ({"recorded_at": DELETE}, "recorded_at", "recording time is missing"),
    ({"recorded_at": "yesterday"}, "recorded_at", "cannot read the recording time"),
    ({"version": DELETE}, "version", "version is missing"),
    ({"version": "unknown"}, "version", "cannot read a GitLab version"),
])
def test_identity_fields_are_required(tmp_path, overrides, key_path, words):
    s, _ = only_skip(tmp_path, "anon.json", payload(**overrides))
    assert s.kind == "no_identity" and s.key_path == key_path and words in s.reason


@pytest.mark.parametrize("content", [[1, 2, 3], "42", '"a string"', "null"])
def test_not_a_payload_object(tmp_path, content):
    write(tmp_path, "good.json", payload(uuid="good"))
    write(tmp_path, "odd.json", content if isinstance(content, str) else json.dumps(content))
    result = read_payloads(tmp_path)
    assert result.rows == 1
    assert result.skipped and all(s.kind == "not_object" for s in result.skipped)


def test_a_json_array_of_payloads(tmp_path):
    items = [payload(uuid="a"), payload(uuid="b", counts_monthly__deployments="x"), payload(uuid="c")]
    write(tmp_path, "export.json", items)
    result = read_payloads(tmp_path)
    assert [r["account_id"] for r in result.table.to_pylist()] == ["a", "c"]
    assert result.skipped[0].file == f"{tmp_path}/export.json[1]"


def test_json_lines_name_the_line(tmp_path):
    lines = [json.dumps(payload(uuid="a")), "", json.dumps(payload(uuid="b", version=DELETE)), "{broken",
             json.dumps(payload(uuid="c"))]
    write(tmp_path, "many.jsonl", "\n".join(lines) + "\n")
    result = read_payloads(tmp_path)
    assert [r["account_id"] for r in result.table.to_pylist()] == ["a", "c"]
    assert [(s.line, s.kind) for s in result.skipped] == [(3, "no_identity"), (4, "not_json")]
    assert result.skipped[0].format() == f"{tmp_path}/many.jsonl:3: version: the GitLab version is missing"


def test_gzipped_payloads_and_a_broken_gzip(tmp_path):
    (tmp_path / "a.json.gz").write_bytes(gzip.compress(json.dumps(payload(uuid="a")).encode()))
    (tmp_path / "b.json.gz").write_bytes(b"not gzip at all")
    result = read_payloads(tmp_path)
    assert [r["account_id"] for r in result.table.to_pylist()] == ["a"]
    assert result.skipped[0].kind == "unreadable" and result.skipped[0].file.endswith("b.json.gz")


def test_the_summary_counts_every_reason(tmp_path):
    write(tmp_path, "1.json", payload(uuid="ok1"))
    write(tmp_path, "2.json", payload(uuid="ok2"))
    write(tmp_path, "3.json", "nope")
    write(tmp_path, "4.json", payload(counts_monthly__deployments="7"))
    write(tmp_path, "5.json", payload(counts_monthly__failed_deployments="8"))
    write(tmp_path, "6.json", payload(counts_monthly=[]))
    write(tmp_path, "7.json", json.dumps(payload())[:100])
    result = read_payloads(tmp_path)
    assert result.rows == 2 and len(result.skipped) == 5 and result.files == 7
    assert result.skipped_by_kind() == {"not valid JSON": 1, "truncated JSON": 1, "text where a number is expected": 2,
                                        "unexpected nesting": 1}
    summary = result.summary()
    assert "read 2 of 7 payloads from 7 files" in summary
    assert ("skipped 5 malformed payloads: 1 not valid JSON, 1 truncated JSON, 2 text where a number is expected, "
            "1 unexpected nesting") in summary
    assert result.to_dict()["skipped"][0]["file"].endswith("3.json")


def test_paths_that_do_not_exist_or_hold_nothing(tmp_path):
    with pytest.raises(DataError, match="no such file or folder") as info:
        read_payloads(tmp_path / "missing")
    assert info.value.file == str(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("hi")
    with pytest.raises(DataError, match="holds no payload files"):
        read_payloads(tmp_path / "empty")
    with pytest.raises(DataError, match="no payload files given"):
        read_payloads([])


def test_folders_are_searched_recursively_and_hidden_files_ignored(tmp_path):
    write(tmp_path, "2026-09/a.json", payload(uuid="a", recorded_at="2026-09-28T00:00:00Z"))
    write(tmp_path, "2026-10/deep/a.json", payload(uuid="a"))
    write(tmp_path, "2026-10/.a.json.tmp", "partial")
    write(tmp_path, "2026-10/.hidden.json", "partial")
    result = read_payloads(tmp_path)
    assert result.files == 2 and not result.skipped
    assert [r["period"] for r in result.table.to_pylist()] == ["2026-09", "2026-10"]


def test_nothing_readable_gives_an_empty_table_with_the_full_schema(tmp_path):
    write(tmp_path, "bad.json", "{")
    result = read_payloads(tmp_path)
    assert result.rows == 0 and len(result.skipped) == 1
    assert "billable_users" in result.table.column_names and result.table.schema.field("billable_users").type == "int64"


def test_deep_json_is_skipped_with_its_place_not_a_recursion_error(tmp_path):
    s, _ = only_skip(tmp_path, "deep.json", "[" * 50_000 + "]" * 50_000)
    assert s.kind == "too_deep" and (s.line, s.column) == (1, 101)
    assert s.format() == f"{tmp_path}/deep.json:1:101: the JSON nests deeper than 100 levels"


def test_deep_json_on_a_line_of_a_jsonl_file(tmp_path):
    lines = ["", '{"uuid": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001]  # a blank first line is no payload
    s, _ = only_skip(tmp_path, "deep.jsonl", "\n".join(lines) + "\n")
    assert s.kind == "too_deep" and s.line == 2
