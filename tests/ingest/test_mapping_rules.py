"""Each rule of the bundled mapping, on hand-built payloads: the expected values are written out here
from the reference (shared/reference/gitlab-scoring.md section 4), not read back from the mapping."""
from __future__ import annotations

import datetime as dt

import pytest

from adoptscore.ingest.mapping import VersionRange, parse_version
from adoptscore.ingest.service_ping import ingest_payloads, read_payloads
from tests.ingest.helpers import DELETE, payload, write


def row(p: dict) -> dict:
    result = ingest_payloads([p])
    assert not result.skipped, [s.format() for s in result.skipped]
    assert result.rows == 1
    return result.table.to_pylist()[0]


def test_every_reference_key_path_feeds_its_column():
    r = row(payload())
    expected = {
        "billable_users": 200, "licensed_users": 250, "git_ops_users_l28d": 80, "unique_active_users_l28d": 170,
        "ci_builds_l28d": 5000, "ci_internal_pipelines_l28d": 1000, "deployment_users_l28d": 20,
        "deployments_l28d": 1000, "successful_deployments_l28d": 900, "failed_deployments_l28d": 100,
        "secure_scanner_users_l28d": 50, "sast_scans_l28d": 300, "dast_scans_l28d": 0,
        "secret_detection_scans_l28d": 100, "dependency_scanning_scans_l28d": 200, "container_scanning_scans_l28d": 0,
        "coverage_fuzzing_scans_l28d": 0, "api_fuzzing_scans_l28d": 0, "ci_pipeline_users_l28d": 90,
    }
    assert {k: r[k] for k in expected} == expected


def test_failure_codes_are_missing_and_counted():
    p = payload(counts_monthly__deployments=-1, license_billable_users=-3,
                usage_activity_by_stage_monthly__secure__sast_scans=-2)
    result = ingest_payloads([p])
    r = result.table.to_pylist()[0]
    assert r["deployments_l28d"] is None and r["billable_users"] is None and r["sast_scans_l28d"] is None
    assert r["successful_deployments_l28d"] == 900  # the neighbours are untouched
    assert result.failure_codes == {"deployments_l28d": 1, "billable_users": 1, "sast_scans_l28d": 1}
    assert "3 failure codes" in result.summary()


def test_a_zero_stays_zero():
    r = row(payload(counts_monthly__deployments=0))
    assert r["deployments_l28d"] == 0


def test_absent_keys_are_missing_not_zero():
    r = row(payload(counts_monthly=DELETE, redis_hll_counters__manage=DELETE))
    for column in ("ci_internal_pipelines_l28d", "deployments_l28d", "successful_deployments_l28d",
                   "failed_deployments_l28d", "unique_active_users_l28d"):
        assert r[column] is None, column
    assert r["billable_users"] == 200


def test_json_null_is_missing():
    assert row(payload(counts_monthly__deployments=None))["deployments_l28d"] is None


@pytest.mark.parametrize("version, billable", [("13.12.15-ee", None), ("14.0.0-ee", 200), ("14.0.12", 200),
                                               ("15.11.3-ee", 200)])
def test_billable_users_exist_from_14_0(version, billable):
    # even when an older payload happens to hold the key, it is not read before 14.0
    assert row(payload(version=version))["billable_users"] == billable


def test_billable_users_absent_in_an_old_version_is_missing():
    assert row(payload(version="13.9.0", license_billable_users=DELETE))["billable_users"] is None


@pytest.mark.parametrize("version, expected", [
    ("16.9.0-ee", 111),     # up to 16.9: the older key
    ("16.9.8-ee", 111),
    ("16.10.0-ee", 222),    # after 16.9: the newer key replaces it
    ("17.0.1-ee", 222),
    ("16.1.0-ee", 111),     # 16.1 < 16.9 < 16.10 as versions, not as decimals
])
def test_ci_builds_key_switches_after_16_9(version, expected):
    p = payload(version=version, counts_monthly__ci_builds=111, counts__count_total_create_ci_build_monthly=222)
    assert row(p)["ci_builds_l28d"] == expected


def test_ci_builds_old_key_alone_in_a_new_version_is_missing():
    p = payload(version="17.0.0", counts__count_total_create_ci_build_monthly=DELETE, counts_monthly__ci_builds=111)
    assert row(p)["ci_builds_l28d"] is None


def test_ci_builds_failure_code_in_the_applicable_key_does_not_fall_back():
    p = payload(version="17.0.0", counts__count_total_create_ci_build_monthly=-1, counts_monthly__ci_builds=111)
    assert row(p)["ci_builds_l28d"] is None


@pytest.mark.parametrize("version, expected", [("15.1.9", None), ("15.2.0", 170), ("16.0.0", 170)])
def test_unique_active_users_from_15_2(version, expected):
    assert row(payload(version=version))["unique_active_users_l28d"] == expected


@pytest.mark.parametrize("recorded_at, period, stamp", [
    ("2026-10-20T10:00:00.000Z", "2026-10", dt.datetime(2026, 10, 20, 10, tzinfo=dt.UTC)),
    ("2026-10-31T23:30:00-02:00", "2026-11", dt.datetime(2026, 11, 1, 1, 30, tzinfo=dt.UTC)),
    ("2026-09-30 22:15:00 UTC", "2026-09", dt.datetime(2026, 9, 30, 22, 15, tzinfo=dt.UTC)),
    ("2026-03-01 00:30:00 +0200", "2026-02", dt.datetime(2026, 2, 28, 22, 30, tzinfo=dt.UTC)),
    ("2026-12-05", "2026-12", dt.datetime(2026, 12, 5, tzinfo=dt.UTC)),
])
def test_period_is_the_utc_month_of_the_recording_time(recorded_at, period, stamp):
    r = row(payload(recorded_at=recorded_at))
    assert r["period"] == period
    assert r["recorded_at"] == stamp


def test_identity_version_edition_and_license_fields_are_kept():
    r = row(payload())
    assert r["account_id"] == r["instance_id"] == "11111111-aaaa-4bbb-accc-000000000001"
    assert r["gitlab_version"] == "17.2.1-ee"
    assert r["edition"] == "EEU" and r["license_plan"] == "ultimate" and r["tier"] == "Self-Managed - Ultimate"
    assert r["license_sha256"] == "0123456789abcdef" * 4
    assert r["license_md5"] is None  # GitLab removed license_md5 in 16.2: a 17.2 payload's is not read
    assert r["license_id"] == "4242"  # text: an id, not a quantity
    assert r["license_subscription_id"] == "2c92a0ff0000000000000000000000aa"
    assert r["licensee_company"] == "Acme Corp"
    assert r["license_trial"] is False
    assert r["license_starts_at"] == dt.date(2025, 1, 1) and r["license_expires_at"] == dt.date(2027, 1, 1)
    assert r["hostname"] == "gitlab.acme.example" and r["installation_type"] == "omnibus-gitlab"
    assert r["segment"] is None and r["industry"] is None  # not in a payload


@pytest.mark.parametrize("starts, recorded, months", [
    ("2025-01-01", "2026-10-20T10:00:00Z", 21),
    ("2025-10-21", "2026-10-20T10:00:00Z", 11),   # one day short of 12 months
    ("2025-10-20", "2026-10-20T10:00:00Z", 12),
    ("2026-11-01", "2026-10-20T10:00:00Z", None),  # starts after the recording: no age
])
def test_account_age_is_whole_months_since_the_license_start(starts, recorded, months):
    assert row(payload(license_starts_at=starts, recorded_at=recorded))["account_age_months"] == months


@pytest.mark.parametrize("overrides, tier", [
    ({}, "Self-Managed - Ultimate"),
    ({"license_plan": "premium", "edition": "EEP"}, "Self-Managed - Premium"),
    ({"license_plan": "gold"}, "Self-Managed - Ultimate"),       # legacy plan name
    ({"license_plan": DELETE, "edition": "CE"}, "Self-Managed - Free"),
    ({"license_plan": DELETE, "edition": "EE Free"}, "Self-Managed - Free"),
    ({"license_plan": DELETE, "edition": "EEP"}, "Self-Managed - Premium"),
])
def test_tier_from_the_license_plan_or_the_edition(overrides, tier):
    assert row(payload(**overrides))["tier"] == tier


def test_the_latest_payload_of_an_instance_month_wins(tmp_path):
    write(tmp_path, "a-week1.json", payload(recorded_at="2026-10-06T10:00:00Z", counts_monthly__deployments=10))
    write(tmp_path, "a-week4.json", payload(recorded_at="2026-10-27T10:00:00Z", counts_monthly__deployments=40))
    write(tmp_path, "a-week2.json", payload(recorded_at="2026-10-13T10:00:00Z", counts_monthly__deployments=20))
    write(tmp_path, "a-sept.json", payload(recorded_at="2026-09-29T10:00:00Z", counts_monthly__deployments=9))
    result = read_payloads(tmp_path)
    rows = result.table.to_pylist()
    assert [(r["period"], r["deployments_l28d"], r["source_file"].rsplit("/", 1)[-1]) for r in rows] == [
        ("2026-09", 9, "a-sept.json"), ("2026-10", 40, "a-week4.json")]
    assert result.superseded == 2 and result.payloads == 4
    assert "2 earlier payloads" in result.summary()


@pytest.mark.parametrize("version, md5, sha256", [
    ("15.1.0-ee", "m" * 32, None),          # before license_sha256
    ("15.11.3-ee", "m" * 32, "s" * 64),     # both sent
    ("16.2.0-ee", None, "s" * 64),          # license_md5 removed in 16.2
])
def test_license_fingerprints_follow_their_versions(version, md5, sha256):
    r = row(payload(version=version, license_md5="m" * 32, license_sha256="s" * 64))
    assert (r["license_md5"], r["license_sha256"]) == (md5, sha256)


def test_instances_are_separate_accounts_sharing_their_subscription():
    a = payload()
    b = payload(uuid="22222222-aaaa-4bbb-accc-000000000002", license_sha256="f" * 64, hostname="gitlab-staging.acme.example")
    rows = ingest_payloads([a, b]).table.to_pylist()
    assert [r["account_id"] for r in rows] == [a["uuid"], b["uuid"]]
    assert {r["license_subscription_id"] for r in rows} == {a["license_subscription_id"]}


def test_unmapped_keys_are_never_looked_at():
    # garbage outside the mapped key paths does not make a payload malformed
    r = row(payload(counts__issues="lots", settings={"weird": [1, {"x": "y"}]}, usage_activity_by_stage_monthly__plan__boards={"a": 1}))
    assert r["deployments_l28d"] == 1000


def test_numeric_instance_id_and_whole_float_counts():
    r = row(payload(uuid=12345, counts_monthly__deployments=1000.0))
    assert r["account_id"] == "12345" and r["deployments_l28d"] == 1000


@pytest.mark.parametrize("text, version", [("16.10.2-ee", (16, 10, 2)), ("17.0", (17, 0, 0)), ("v15.2.1", (15, 2, 1)),
                                           ("16.10.0-pre", (16, 10, 0)), ("banana", None), (16, None)])
def test_parse_version(text, version):
    assert parse_version(text) == version


def test_version_ranges_compare_as_versions():
    between = VersionRange.parse(">= 13.9 and < 16.10")
    assert between.contains((16, 9, 9)) and between.contains((13, 9, 0))
    assert not between.contains((16, 10, 0)) and not between.contains((13, 8, 5)) and not between.contains((17, 0, 0))
    with pytest.raises(ValueError):
        VersionRange.parse("> = 14")
