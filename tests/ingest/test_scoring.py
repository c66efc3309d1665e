"""Scoring ingested payloads: one instance worked by hand with the gitlab rubric (thresholds and points
from the reference, section 1 and 2, typed here) and with gitlab-extended (its bands read as text and
applied by a small comparator written here, not the engine's)."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import adoptscore
from adoptscore.ingest.service_ping import ingest_payloads
from tests.ingest.helpers import DELETE, payload

POINTS = {"red": 25, "yellow": 63, "green": 88}


def color_of_score(score: float) -> str:
    return "red" if score <= 50 else "yellow" if score <= 75 else "green"


@pytest.fixture(scope="module")
def scored():
    table = ingest_payloads([payload()]).table
    return adoptscore.score(table, "gitlab"), adoptscore.score(table, "gitlab-extended")


def test_gitlab_rubric_by_hand(scored):
    gitlab, _ = scored
    # the payload: 200 billable, 250 licensed, license from 2025-01-01, recorded 2026-10-20 (21 months)
    expected_metrics = {
        ("scm", "git_ops_utilization"): (80 / 200, "green"),            # 40% > 33%
        ("ci", "ci_builds_per_user"): (5000 / 200, "yellow"),           # 25: > 2 and <= 40
        ("cd", "deployment_users_utilization"): (20 / 200, "yellow"),   # 10%: >= 5% and <= 12%
        ("cd", "deployments_per_user"): (1000 / 200, "yellow"),         # 5: >= 2 and <= 7
        ("cd", "successful_deployments"): (900 / 1000, "green"),        # 90% > 80%
        ("security", "scanner_utilization"): (50 / 200, "green"),       # 25% >= 20%
        ("security", "scans_per_pipeline"): (600 / 1000, "green"),      # (300 + 100 + 200) / 1000 = 0.6 > 0.5
        ("security", "scanners_in_use"): (3, "green"),                  # sast, secret detection, dependency
        ("license", "license_utilization"): (200 / 250, "green"),       # 80% > 75% at 10+ months
        ("engagement", "user_engagement"): (170 / 200, "green"),        # 85% >= 80%
    }
    metrics = gitlab.metrics.set_index(["use_case", "metric"])
    for key, (value, color) in expected_metrics.items():
        assert metrics.loc[key, "value"] == pytest.approx(value), key
        assert metrics.loc[key, "color"] == color, key
    cd = (POINTS["yellow"] * 2 + POINTS["green"]) / 3
    expected_use_cases = {"scm": 88, "ci": 63, "cd": cd, "security": 88, "license": 88, "engagement": 88}
    use_cases = gitlab.use_cases.set_index("use_case")
    for use_case, score in expected_use_cases.items():
        assert use_cases.loc[use_case, "score"] == pytest.approx(score), use_case
        assert use_cases.loc[use_case, "color"] == color_of_score(score), use_case
    weights = {"license": 30, "engagement": 10, "scm": 15, "ci": 15, "cd": 15, "security": 15}
    overall = sum(weights[u] * s for u, s in expected_use_cases.items()) / 100
    row = gitlab.overall.iloc[0]
    assert row["score"] == pytest.approx(overall) and row["color"] == color_of_score(overall)
    assert row["account_id"] == payload()["uuid"] and row["period"] == "2026-10"
    assert row["tier"] == "Self-Managed - Ultimate"


def test_old_instance_without_billable_users_has_no_data_not_red():
    table = ingest_payloads([payload(version="13.12.0", license_billable_users=DELETE)]).table
    result = adoptscore.score(table, "gitlab")
    use_cases = result.use_cases.set_index("use_case")
    for use_case in ("scm", "ci", "license", "engagement"):
        assert use_cases.loc[use_case, "status"] == "no_data" and pd.isna(use_cases.loc[use_case, "color"]), use_case
    # successful deployments do not need billable users: CD still has a score
    assert use_cases.loc["cd", "status"] == "scored"


_EDGE = re.compile(r"(<=|>=|<|>)\s*([0-9.]+)(%?)")


def band_color(bands: dict[str, str], value: float) -> str:
    """Which band holds the value: every band is one or two edges joined by 'and'."""
    for color, text in bands.items():
        ok = True
        for op, number, percent in _EDGE.findall(text):
            edge = float(number) / (100 if percent else 1)
            ok &= {"<": value < edge, "<=": value <= edge, ">": value > edge, ">=": value >= edge}[op]
        if ok:
            return color
    raise AssertionError(f"{value} in no band of {bands}")


def test_gitlab_extended_by_hand(scored):
    _, extended = scored
    rubric = adoptscore.load_rubric("gitlab-extended")
    bands = {(u.id, m.id): m.bands for u, m in rubric.metrics}
    values = {  # straight from the payload's counters
        ("compliance", "compliance_framework_coverage"): 25 / 100,
        ("compliance", "code_owner_approval_coverage"): 10 / 100,
        ("compliance", "approval_rule_mrs_per_user"): 120 / 200,
        ("compliance", "compliance_tool_users"): 6 / 200,
        ("package", "package_registry_users"): 30 / 200,
        ("package", "packages_per_user"): 300 / 200,
        ("package", "package_project_coverage"): 30 / 100,
        ("package", "deploy_token_publishing"): 100 / 400,
        ("gitops", "agents_per_100_projects"): 100 * 2 / 100,
        ("gitops", "ci_tunnel_users"): 10 / 200,
        ("gitops", "terraform_state_users"): 4 / 200,
        ("gitops", "terraform_project_coverage"): 5 / 100,
        ("agile", "issue_authors"): 60 / 200,
        ("agile", "issue_editors"): 110 / 200,
        ("agile", "epic_authors"): 8 / 200,
        ("agile", "iteration_planners"): 24 / 200,
        ("agile", "value_stream_users"): 3 / 200,
    }
    assert set(values) == set(bands)
    metrics = extended.metrics.set_index(["use_case", "metric"])
    points: dict[str, list[int]] = {}
    for key, value in values.items():
        color = band_color(bands[key], value)
        assert metrics.loc[key, "value"] == pytest.approx(value), key
        assert metrics.loc[key, "color"] == color, key
        points.setdefault(key[0], []).append(POINTS[color])
    use_cases = extended.use_cases.set_index("use_case")
    scores = {u: sum(p) / len(p) for u, p in points.items()}
    for use_case, score in scores.items():
        assert use_cases.loc[use_case, "score"] == pytest.approx(score), use_case
        assert use_cases.loc[use_case, "color"] == color_of_score(score), use_case
    overall = extended.overall.iloc[0]
    assert overall["score"] == pytest.approx(sum(scores.values()) / 4)


def test_gitlab_extended_premium_only_use_cases_on_a_free_instance():
    table = ingest_payloads([payload(license_plan=DELETE, edition="CE")]).table
    use_cases = adoptscore.score(table, "gitlab-extended").use_cases.set_index("use_case")
    assert use_cases.loc["compliance", "status"] == "not_applicable"
    assert use_cases.loc["agile", "status"] == "not_applicable"
    assert use_cases.loc["package", "status"] == "scored" and use_cases.loc["gitops", "status"] == "scored"


def test_no_package_publishes_is_no_data_for_the_deploy_token_share():
    table = ingest_payloads([payload(counts__package_events_i_package_push_package=0,
                                     counts__package_events_i_package_push_package_by_deploy_token=0)]).table
    metrics = adoptscore.score(table, "gitlab-extended").metrics.set_index(["use_case", "metric"])
    assert metrics.loc[("package", "deploy_token_publishing"), "status"] == "no_data"
