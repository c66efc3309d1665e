"""The mapping file: validation errors point at the file, line and column; a user file extends,
overrides or replaces the bundled mapping."""
from __future__ import annotations

import textwrap

import pytest

from adoptscore.errors import DataError
from adoptscore.ingest.mapping import (
    RESERVED,
    bundled_mapping_path,
    load_mapping,
    loads_mapping,
)
from adoptscore.ingest.service_ping import ingest_payloads, read_payloads
from tests.ingest.helpers import payload, write


def error(text: str, tmp_path) -> DataError:
    path = tmp_path / "mine.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_mapping(path)
    assert info.value.file == str(path)
    return info.value


@pytest.mark.parametrize("text, line, column, needle, hint", [
    ("""\
     columns:
       issues_total:
         type: count
         kee: counts.issues
     """, 4, 5, "columns.issues_total.kee: unknown field 'kee'", "check the spelling"),
    ("""\
     columns:
       issues_total: {type: integer, key: counts.issues}
     """, 2, 24, "columns.issues_total.type", "use one of count, number, text"),
    ("""\
     columns:
       issues_total:
         keys:
           - {path: counts.issues, versions: "> = 14"}
     """, 4, 41, "cannot read the version range '> = 14'", "'>= 14.0'"),
    ("""\
     columns:
       issues_total: {key: counts..issues}
     """, 2, 23, "key path 'counts..issues' has an empty part", "dotted keys"),
    ("""\
     columns:
       issues_total: {key: "counts.open issues"}
     """, 2, 23, "'open issues' is not a key name", None),
    ("""\
     columns:
       issues_total: {type: count, key: counts.issues, values: {a: b}}
     """, 2, 3, "a count column cannot have them", "type: text"),
    ("""\
     columns:
       issues_total: {key: counts.issues, keys: [counts.issues_all]}
     """, 2, 3, "either key or keys", None),
    ("""\
     columns:
       period: {key: recorded_at}
     """, 2, 3, "column name 'period' is produced by every ingest", "reserved"),
    ("""\
     columns:
       Issues: {key: counts.issues}
     """, 2, 3, "column name 'Issues': use lower case", None),
    ("""\
     format: 2
     columns: {}
     """, 1, 9, "format", None),
    ("""\
     columns:
       issues_total: {key: counts.issues
     """, 3, 1, "YAML syntax error", "indentation"),
    ("""\
     columns:
       issues_total: {key: counts.issues}
       issues_total: {key: counts.issues_all}
     """, 3, 3, "YAML syntax error", None),
])
def test_mistakes_are_located(tmp_path, text, line, column, needle, hint):
    exc = error(text, tmp_path)
    assert needle in exc.message, exc.format()
    assert exc.line == line, exc.format()
    if column is not None:
        assert exc.column == column, exc.format()
    if hint:
        assert hint in (exc.hint or ""), exc.format()


@pytest.mark.parametrize("text, needle", [("", "empty"), ("- a\n- b\n", "must be a YAML mapping")])
def test_not_a_mapping_file(tmp_path, text, needle):
    assert needle in error(text, tmp_path).message


def test_a_missing_mapping_file(tmp_path):
    with pytest.raises(DataError, match="mapping file not found") as info:
        load_mapping(tmp_path / "nope.yaml")
    assert info.value.hint and "--mapping" in info.value.hint


def test_base_none_needs_the_identity_paths(tmp_path):
    exc = error("""\
        base: none
        columns:
          issues_total: {key: counts.issues}
        """, tmp_path)
    assert "does not say where the instance is" in exc.message and "instance: uuid" in exc.hint


def test_the_bundled_mapping_loads():
    mapping = load_mapping()
    assert mapping.files == (str(bundled_mapping_path()),)
    assert not set(mapping.names) & set(RESERVED)
    assert {"billable_users", "ci_builds_l28d", "tier", "license_subscription_id", "projects"} <= set(mapping.names)


def test_a_user_file_adds_overrides_and_drops_columns(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(textwrap.dedent("""\
        columns:
          issues_total: {key: counts.issues, description: all issues}
          # our instances report deployments in a custom block
          deployments_l28d: {key: custom.deployments_28d}
          hostname: null
          license_kind:
            type: text
            key: license_plan
            values: {ultimate: top, premium: middle}
        """), encoding="utf-8")
    mapping = load_mapping(mine)
    assert mapping.files == (str(bundled_mapping_path()), str(mine))
    p = payload(counts__issues=77, custom={"deployments_28d": 5})
    r = ingest_payloads([p], mapping).table.to_pylist()[0]
    assert r["issues_total"] == 77
    assert r["deployments_l28d"] == 5  # overridden: the bundled key (1000 here) is not read
    assert "hostname" not in r
    assert r["license_kind"] == "top"
    assert r["billable_users"] == 200  # everything else as bundled


def test_base_none_uses_the_user_file_alone(tmp_path):
    mine = write(tmp_path, "mine.yaml", textwrap.dedent("""\
        base: none
        instance: meta.id
        recorded_at: meta.at
        version: meta.gitlab
        columns:
          seats: {key: license_user_count}
        """))
    p = {"meta": {"id": "x1", "at": "2026-10-02T00:00:00Z", "gitlab": "17.0.0"}, "license_user_count": 9}
    write(tmp_path, "p.json", p)
    result = read_payloads(tmp_path / "p.json", mine)
    assert result.table.column_names == ["account_id", "period", "instance_id", "recorded_at", "gitlab_version",
                                         "seats", "source_file"]
    assert result.table.to_pylist()[0]["seats"] == 9


def test_loads_mapping_names_its_file():
    with pytest.raises(DataError) as info:
        loads_mapping("columns:\n  x: {type: nope}\n", "inline.yaml")
    assert info.value.file == "inline.yaml" and info.value.line == 2


def test_identity_key_path_can_be_nested():
    mapping = loads_mapping("instance: meta.uuid\ncolumns: {}\n")
    p = payload(meta={"uuid": "nested-id"})
    assert ingest_payloads([p], mapping).table.to_pylist()[0]["account_id"] == "nested-id"
