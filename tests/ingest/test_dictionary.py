"""The bundled Service Ping mapping checked against its evidence file, service-ping-dictionary.yaml.

The evidence file records, for every key path the mapping reads, what GitLab's metric definition
file says (status, time frame, milestones, successor). These tests fail when:

- a mapped key path has no evidence entry (or an entry has no source to check it by);
- a 28-day column (name ending in ``_l28d``, or described as "last 28 days" / "monthly") is fed by
  an all-time key;
- an evidence entry's time frame disagrees with its column (a 28-day column needs 28-day keys; any
  other column needs keys with time frame ``all`` or ``none``);
- a key removed at milestone M is read for versions >= M, or its successor does not cover them.

Each check is a function that returns the problems it finds, so the tests below also feed them
broken mappings and check that they complain.
"""
from __future__ import annotations

import fnmatch
import re
import textwrap
import tomllib
from importlib import resources
from pathlib import Path

import pytest
import yaml

from adoptscore.ingest.mapping import Mapping, Source, load_mapping, loads_mapping, parse_version

EVIDENCE_FILE = "service-ping-dictionary.yaml"
ROOT = Path(__file__).resolve().parents[2]
TIME_FRAMES = {"28d", "7d", "all", "none"}
STATUSES = {"active", "data_available", "implemented", "deprecated", "broken", "removed", "unknown"}
_WINDOWED = re.compile(r"last 28 days|\bmonthly\b", re.IGNORECASE)
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
# every GitLab minor version from 8.0 to 30.12: the versions a key's range is probed at
GRID = [(major, minor, 0) for major in range(8, 31) for minor in range(13)]


def load_evidence() -> dict:
    text = resources.files("adoptscore.ingest").joinpath(EVIDENCE_FILE).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def is_28_day(column) -> bool:
    """A column that holds a 28-day window: named ``*_l28d`` or described as last 28 days / monthly."""
    return column.name.endswith("_l28d") or bool(column.description and _WINDOWED.search(column.description))


def read_at(source: Source, version: tuple[int, int, int]) -> bool:
    return source.versions is None or source.versions.contains(version)


def mapped_keys(mapping: Mapping) -> list[tuple[str, Source | None]]:
    """(column name, source) for every key path the mapping reads; identity keys have no source."""
    out: list[tuple[str, Source | None]] = [
        (field, None) for field in ("instance", "recorded_at", "version")]
    out += [(column.name, source) for column in mapping.columns for source in column.sources]
    return out


def key_of(mapping: Mapping, name: str, source: Source | None) -> str:
    return source.key_path if source is not None else ".".join(getattr(mapping, name))


# -- the checks -----------------------------------------------------------------------------------
def missing_evidence(mapping: Mapping, evidence: dict) -> list[str]:
    entries = evidence["keys"]
    return [f"{name}: {key_of(mapping, name, source)} has no entry in {EVIDENCE_FILE}"
            for name, source in mapped_keys(mapping) if key_of(mapping, name, source) not in entries]


def incomplete_entries(evidence: dict) -> list[str]:
    """Every entry says where its facts come from: a definition file at a commit, or what was searched."""
    problems = []
    for key, entry in evidence["keys"].items():
        if entry.get("time_frame") not in TIME_FRAMES:
            problems.append(f"{key}: time_frame {entry.get('time_frame')!r} is not one of {sorted(TIME_FRAMES)}")
        if entry.get("status") not in STATUSES:
            problems.append(f"{key}: status {entry.get('status')!r} is not one of {sorted(STATUSES)}")
        if entry.get("found") is True:
            for field in ("repository", "file", "commit"):
                if not entry.get(field):
                    problems.append(f"{key}: found, but no {field}")
            if entry.get("commit") and not _COMMIT.match(str(entry["commit"])):
                problems.append(f"{key}: commit {entry['commit']!r} is not a 40-digit commit hash")
            if entry.get("file") and not re.match(r"^(ee/)?config/metrics/[a-z0-9_]+/[^/]+\.yml$", entry["file"]):
                problems.append(f"{key}: {entry['file']!r} is not a metric definition file")
        elif entry.get("found") is False:
            for field in ("searched", "evidence", "time_frame_basis"):
                if not entry.get(field):
                    problems.append(f"{key}: not found, but no {field}")
        else:
            problems.append(f"{key}: 'found' must be true or false")
        if entry.get("status") == "removed" and not entry.get("milestone_removed"):
            problems.append(f"{key}: removed, but no milestone_removed")
        if entry.get("status") == "broken" and not entry.get("note"):
            problems.append(f"{key}: broken, but no note saying so to the reader")
    return problems


def all_time_in_28_day_columns(mapping: Mapping, evidence: dict) -> list[str]:
    entries = evidence["keys"]
    return [f"{column.name} is a 28-day column but {source.key_path} is an all-time counter"
            for column in mapping.columns if is_28_day(column)
            for source in column.sources
            if entries.get(source.key_path, {}).get("time_frame") == "all"]


def time_frame_disagreements(mapping: Mapping, evidence: dict) -> list[str]:
    entries = evidence["keys"]
    problems = []
    for column in mapping.columns:
        for source in column.sources:
            frame = entries.get(source.key_path, {}).get("time_frame")
            if frame is None:
                continue  # reported by missing_evidence
            if is_28_day(column) and frame != "28d":
                problems.append(f"{column.name} is a 28-day column but {source.key_path} has time frame {frame}")
            if not is_28_day(column) and frame not in ("all", "none"):
                problems.append(f"{column.name} is not a 28-day column but {source.key_path} has time frame "
                                f"{frame}: describe the column as 'last 28 days' or 'monthly', or map another key")
    return problems


def removed_keys_read(mapping: Mapping, evidence: dict) -> list[str]:
    """A key removed at M must not be read at versions >= M, and its successor must be read there."""
    entries = evidence["keys"]
    problems = []
    sources = [(name, source) for name, source in mapped_keys(mapping) if source is not None]
    for name, source in sources:
        entry = entries.get(source.key_path, {})
        read = [v for v in GRID if read_at(source, v)]
        removed = parse_version(entry.get("milestone_removed")) if entry.get("status") == "removed" else None
        if removed is not None:
            late = [v for v in read if v >= removed]
            if late:
                problems.append(f"{name}: {source.key_path} was removed in {entry['milestone_removed']} but is read "
                                f"in {'.'.join(map(str, late[0][:2]))} (give it versions: \"< {entry['milestone_removed']}\")")
        successor = entry.get("successor")
        if not successor:
            continue
        after = [v for v in GRID if read and v > max(read)] if removed is None else [v for v in GRID if v >= removed]
        readers = [s for _, s in sources if s.key_path == successor]
        if not readers:
            problems.append(f"{name}: {source.key_path} is replaced by {successor}, which the mapping does not read")
            continue
        uncovered = [v for v in after if not any(read_at(s, v) for s in readers)]
        if uncovered:
            problems.append(f"{name}: {source.key_path} is replaced by {successor}, which is not read in "
                            f"{'.'.join(map(str, uncovered[0][:2]))}")
    return problems


# -- the bundled mapping ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bundled() -> Mapping:
    return load_mapping()


@pytest.fixture(scope="module")
def evidence() -> dict:
    return load_evidence()


def test_every_mapped_key_path_has_evidence(bundled, evidence):
    assert missing_evidence(bundled, evidence) == []


def test_every_evidence_entry_names_its_source(evidence):
    assert incomplete_entries(evidence) == []


def test_the_evidence_file_has_no_stale_entries(bundled, evidence):
    read = {key_of(bundled, name, source) for name, source in mapped_keys(bundled)}
    assert sorted(set(evidence["keys"]) - read) == []
    assert not set(evidence.get("rejected", {})) & read, "a rejected key path is read again"


def test_no_28_day_column_is_fed_by_an_all_time_key(bundled, evidence):
    assert all_time_in_28_day_columns(bundled, evidence) == []


def test_time_frames_agree_with_their_columns(bundled, evidence):
    assert time_frame_disagreements(bundled, evidence) == []


def test_removed_keys_are_not_read_after_their_removal_and_their_successors_are(bundled, evidence):
    assert removed_keys_read(bundled, evidence) == []


def test_the_evidence_file_is_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["adoptscore"]
    assert any(fnmatch.fnmatch(f"ingest/{EVIDENCE_FILE}", p) for p in patterns), patterns
    assert resources.files("adoptscore.ingest").joinpath(EVIDENCE_FILE).is_file()


@pytest.mark.parametrize("column, keys", [
    ("ci_builds_l28d", ["counts.count_total_create_ci_build_monthly", "counts_monthly.ci_builds"]),
    ("license_md5", ["license_md5"]),
    ("license_sha256", ["license_sha256"]),
    ("code_owner_approval_projects", ["usage_activity_by_stage.create.projects_enforcing_code_owner_approval"]),
])
def test_the_changed_columns_read_what_the_evidence_says(bundled, column, keys):
    assert [s.key_path for s in bundled.column(column).sources] == keys


# -- the checks complain about broken mappings --------------------------------------------------------
def _mapping(columns: str) -> Mapping:
    return loads_mapping("format: 1\nbase: none\ninstance: uuid\nrecorded_at: recorded_at\nversion: version\n"
                         "columns:\n" + textwrap.indent(textwrap.dedent(columns), "  "), base=False)


def _evidence(**entries: dict) -> dict:
    base = {"uuid": {"time_frame": "none"}, "recorded_at": {"time_frame": "none"}, "version": {"time_frame": "none"}}
    return {"keys": {**base, **{k.replace("__", "."): v for k, v in entries.items()}}}


ALL_TIME = {"time_frame": "all", "status": "active"}
MONTHLY = {"time_frame": "28d", "status": "active"}


def test_a_key_without_evidence_is_reported():
    mapping = _mapping("deployments_l28d: {key: counts_monthly.deployments}\n")
    assert missing_evidence(mapping, _evidence()) == [
        f"deployments_l28d: counts_monthly.deployments has no entry in {EVIDENCE_FILE}"]
    assert missing_evidence(mapping, _evidence(counts_monthly__deployments=MONTHLY)) == []


@pytest.mark.parametrize("columns", [
    "ci_builds_l28d: {key: counts.count_total_create_ci_build}\n",                     # by name
    "builds: {key: counts.count_total_create_ci_build, description: 'CI builds, last 28 days'}\n",
    "builds: {key: counts.count_total_create_ci_build, description: CI builds created monthly}\n",
    "ci_builds_l28d:\n  keys:\n    - {path: counts.count_total_create_ci_build_monthly, versions: '>= 16.10'}\n"
    "    - {path: counts.count_total_create_ci_build, versions: '< 16.10'}\n",       # one key of several
])
def test_an_all_time_key_in_a_28_day_column_is_reported(columns):
    evidence = _evidence(counts__count_total_create_ci_build=ALL_TIME,
                         counts__count_total_create_ci_build_monthly=MONTHLY)
    mapping = _mapping(columns)
    assert len(all_time_in_28_day_columns(mapping, evidence)) == 1
    assert len(time_frame_disagreements(mapping, evidence)) == 1


def test_a_28_day_key_in_a_current_count_column_is_reported():
    mapping = _mapping("projects: {key: counts_monthly.projects, description: projects on the instance}\n")
    problems = time_frame_disagreements(mapping, _evidence(counts_monthly__projects=MONTHLY))
    assert problems and "not a 28-day column" in problems[0]
    assert all_time_in_28_day_columns(mapping, _evidence(counts_monthly__projects=MONTHLY)) == []


REMOVED = {"time_frame": "none", "status": "removed", "milestone_removed": "16.2", "successor": "license_sha256"}


@pytest.mark.parametrize("columns, needle", [
    ("license_md5: {type: text, key: license_md5}\nlicense_sha256: {type: text, key: license_sha256}\n",
     "removed in 16.2 but is read in 16.2"),
    ("license_md5: {type: text, keys: [{path: license_md5, versions: '< 16.3'}]}\n"
     "license_sha256: {type: text, key: license_sha256}\n", "removed in 16.2 but is read in 16.2"),
    ("license_md5: {type: text, keys: [{path: license_md5, versions: '< 16.2'}]}\n",
     "replaced by license_sha256, which the mapping does not read"),
    ("license_md5: {type: text, keys: [{path: license_md5, versions: '< 16.2'}]}\n"
     "license_sha256: {type: text, keys: [{path: license_sha256, versions: '>= 17.0'}]}\n",
     "replaced by license_sha256, which is not read in 16.2"),
])
def test_a_removed_key_read_after_its_removal_is_reported(columns, needle):
    evidence = _evidence(license_md5=REMOVED, license_sha256={"time_frame": "none", "status": "active"})
    problems = removed_keys_read(_mapping(columns), evidence)
    assert any(needle in p for p in problems), problems


def test_a_removed_key_with_its_successor_is_accepted():
    columns = ("license_md5: {type: text, keys: [{path: license_md5, versions: '< 16.2'}]}\n"
               "license_sha256: {type: text, keys: [{path: license_sha256, versions: '>= 15.2'}]}\n")
    evidence = _evidence(license_md5=REMOVED, license_sha256={"time_frame": "none", "status": "active"})
    assert removed_keys_read(_mapping(columns), evidence) == []


def test_a_renamed_key_must_hand_over_to_its_successor():
    evidence = _evidence(counts_monthly__ci_builds={**MONTHLY, "successor": "counts.count_total_create_ci_build_monthly"},
                         counts__count_total_create_ci_build_monthly=MONTHLY)
    gap = _mapping("ci_builds_l28d:\n  keys:\n"
                   "    - {path: counts.count_total_create_ci_build_monthly, versions: '>= 17.0'}\n"
                   "    - {path: counts_monthly.ci_builds, versions: '< 16.10'}\n")
    assert removed_keys_read(gap, evidence) == [
        "ci_builds_l28d: counts_monthly.ci_builds is replaced by counts.count_total_create_ci_build_monthly, "
        "which is not read in 16.10"]


def test_entries_without_a_source_are_reported():
    evidence = {"keys": {
        "a": {"found": True, "status": "active", "time_frame": "28d", "repository": "gitlabhq/gitlabhq",
              "file": "config/metrics/counts_28d/x.yml", "commit": "abc"},
        "b": {"found": False, "status": "unknown", "time_frame": "28d", "searched": ["x"]},
        "c": {"found": True, "status": "removed", "time_frame": "monthly", "repository": "r",
              "file": "lib/x.rb", "commit": "0" * 40},
    }}
    problems = incomplete_entries(evidence)
    assert "a: commit 'abc' is not a 40-digit commit hash" in problems
    assert "b: not found, but no evidence" in problems and "b: not found, but no time_frame_basis" in problems
    assert any(p.startswith("c: time_frame 'monthly'") for p in problems)
    assert "c: 'lib/x.rb' is not a metric definition file" in problems
    assert "c: removed, but no milestone_removed" in problems
