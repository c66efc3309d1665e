"""The bundled gitlab rubric against the reference (shared/reference/gitlab-scoring.md, sections 1-2).

The expected colors are written here from the reference table, independently of the YAML file, so
a wrong threshold or inclusivity in the rubric fails these tests.
"""
from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest

from tests.conftest import SCANS, pick, score_rows, usage_row

# (use case, metric, edge, color exactly at the edge, color just below, color just above)
EDGES = [
    ("scm", "git_ops_utilization", 0.10, "red", "red", "yellow"),
    ("scm", "git_ops_utilization", 0.33, "yellow", "yellow", "green"),
    ("ci", "ci_builds_per_user", 2, "red", "red", "yellow"),
    ("ci", "ci_builds_per_user", 40, "yellow", "yellow", "green"),
    ("cd", "deployment_users_utilization", 0.05, "yellow", "red", "yellow"),
    ("cd", "deployment_users_utilization", 0.12, "yellow", "yellow", "green"),
    ("cd", "deployments_per_user", 2, "yellow", "red", "yellow"),
    ("cd", "deployments_per_user", 7, "yellow", "yellow", "green"),
    ("cd", "successful_deployments", 0.25, "yellow", "red", "yellow"),
    ("cd", "successful_deployments", 0.80, "yellow", "yellow", "green"),
    ("security", "scanner_utilization", 0.05, "red", "red", "yellow"),
    ("security", "scanner_utilization", 0.20, "green", "yellow", "green"),
    ("security", "scans_per_pipeline", 0.1, "yellow", "red", "yellow"),
    ("security", "scans_per_pipeline", 0.5, "yellow", "yellow", "green"),
    ("engagement", "user_engagement", 0.50, "yellow", "red", "yellow"),
    ("engagement", "user_engagement", 0.80, "green", "yellow", "green"),
]


def inputs_for(metric: str, numerator: int) -> dict[str, int]:
    """Inputs that give ``metric`` the value numerator / 1000 (all denominators are 1000)."""
    simple = {"git_ops_utilization": "git_ops_users_l28d", "ci_builds_per_user": "ci_builds_l28d",
              "deployment_users_utilization": "deployment_users_l28d", "deployments_per_user": "deployments_l28d",
              "scanner_utilization": "secure_scanner_users_l28d", "user_engagement": "unique_active_users_l28d"}
    if metric in simple:
        return {simple[metric]: numerator}
    if metric == "successful_deployments":
        return {"successful_deployments_l28d": numerator, "failed_deployments_l28d": 1000 - numerator}
    if metric == "scans_per_pipeline":
        return {"sast_scans_l28d": numerator, "dast_scans_l28d": 0}
    raise KeyError(metric)


def test_every_band_edge_on_both_sides():
    rows, expected = [], {}
    for use_case, metric, edge, at, below, above in EDGES:
        at_edge = round(edge * 1000)
        for label, numerator, color in (("at", at_edge, at), ("below", at_edge - 1, below), ("above", at_edge + 1, above)):
            account = f"{metric}-{edge}-{label}"
            rows.append(usage_row(account, **inputs_for(metric, numerator)))
            expected[account] = (use_case, metric, numerator / 1000, color)
    result = score_rows(rows)
    for account, (use_case, metric, value, color) in expected.items():
        row = pick(result, "metrics", account, use_case=use_case, metric=metric)
        assert math.isclose(row["value"], value, rel_tol=1e-12), account
        assert row["color"] == color, f"{account}: value {row['value']} -> {row['color']}, expected {color}"


@pytest.mark.parametrize("used, color", [(0, "red"), (1, "red"), (2, "yellow"), (3, "green"), (7, "green")])
def test_number_of_scanners_in_use(used, color):
    scans = {column: (5 if i < used else 0) for i, column in enumerate(SCANS)}
    result = score_rows([usage_row(**scans)])
    row = pick(result, "metrics", use_case="security", metric="scanners_in_use")
    assert row["value"] == used and row["color"] == color


def test_scanners_in_use_with_no_known_count_is_no_data():
    result = score_rows([usage_row(**{c: None for c in SCANS})])
    row = pick(result, "metrics", use_case="security", metric="scanners_in_use")
    assert row["status"] == "no_data" and pd.isna(row["color"]) and pd.isna(row["points"])


# License utilization: (account age, billable per 1000 licensed, expected color or None for not applicable)
LICENSE = [
    (2, 900, None), (0, 50, None),
    (3, 100, "red"), (3, 101, "yellow"), (6, 500, "yellow"), (6, 501, "green"),
    (7, 500, "red"), (7, 501, "yellow"), (9, 750, "yellow"), (9, 751, "green"),
    (10, 750, "red"), (10, 751, "green"), (40, 600, "red"), (40, 1200, "green"),
]


def test_license_utilization_follows_account_age_bands():
    rows = [usage_row(f"age{age}-{billable}", account_age_months=age, billable_users=billable,
                      git_ops_users_l28d=0) for age, billable, _ in LICENSE]
    result = score_rows(rows)
    for age, billable, color in LICENSE:
        row = pick(result, "metrics", f"age{age}-{billable}", use_case="license")
        if color is None:
            assert row["status"] == "not_applicable", (age, billable)
            assert row["reason"] == "not applicable: account_age_months < 3"
        else:
            assert (row["status"], row["color"]) == ("scored", color), (age, billable)


def test_license_utilization_without_account_age_is_no_data():
    result = score_rows([usage_row(account_age_months=None)])
    row = pick(result, "metrics", use_case="license")
    assert (row["status"], row["reason"]) == ("no_data", "account_age_months missing")


def test_handbook_worked_example_70_83_is_yellow():
    # gitlab-2022 uses the handbook's 62.5 / 87.5 points; its CI use case has three metrics.
    row = usage_row(ci_pipeline_users_l28d=300,         # 30% of licenses: yellow
                    deployments_l28d=10_000,             # 10 per license: green
                    deployment_users_l28d=80,            # 8% of licenses: yellow
                    container_scanning_job_users_l28d=0, secret_detection_job_users_l28d=0)
    result = score_rows([row], "gitlab-2022")
    ci = pick(result, "use_cases", use_case="ci")
    assert ci["score"] == pytest.approx((62.5 + 87.5 + 62.5) / 3) and round(ci["score"], 2) == 70.83
    assert ci["color"] == "yellow"


@pytest.mark.parametrize("deployment_users, deployments, successful, score, color", [
    (130, 8000, 900, (88 + 88 + 88) / 3, "green"),
    (130, 8000, 500, (88 + 88 + 63) / 3, "green"),    # two Greens and a Yellow -> 79.67 Green
    (130, 5000, 500, (88 + 63 + 63) / 3, "yellow"),   # one Green, two Yellows -> 71.33 Yellow
    (130, 8000, 100, (88 + 88 + 25) / 3, "yellow"),   # two Greens and a Red -> 67 Yellow
    (10, 1000, 100, 25, "red"),
])
def test_three_metric_use_case_scores(deployment_users, deployments, successful, score, color):
    result = score_rows([usage_row(deployment_users_l28d=deployment_users, deployments_l28d=deployments,
                                   successful_deployments_l28d=successful,
                                   failed_deployments_l28d=1000 - successful)])
    cd = pick(result, "use_cases", use_case="cd")
    assert cd["score"] == pytest.approx(score, abs=1e-9)
    assert cd["color"] == color
    assert cd["metrics_scored"] == 3 and cd["coverage"] == 1.0


def test_a_missing_metric_renormalises_the_use_case():
    result = score_rows([usage_row(deployment_users_l28d=130, deployments_l28d=8000,
                                   successful_deployments_l28d=None)])
    cd = pick(result, "use_cases", use_case="cd")
    assert cd["score"] == pytest.approx(88.0) and cd["color"] == "green"
    assert cd["metrics_scored"] == 2 and cd["coverage"] == pytest.approx(2 / 3)
    metric = pick(result, "metrics", use_case="cd", metric="successful_deployments")
    assert metric["status"] == "no_data"
    assert metric["reason"] == "numerator missing (successful_deployments_l28d)"


def test_failure_codes_are_no_data_not_zero():
    result = score_rows([usage_row(git_ops_users_l28d=-1, ci_builds_l28d=-3)])
    for use_case in ("scm", "ci"):
        row = pick(result, "use_cases", use_case=use_case)
        assert row["status"] == "no_data" and pd.isna(row["color"]) and pd.isna(row["score"])


def test_security_outside_ultimate_is_not_applicable_and_overall_renormalises():
    rows = [usage_row("premium", tier="SaaS - Premium"), usage_row("ultimate", tier="SaaS - ULTIMATE"),
            usage_row("unknown", tier=None)]
    result = score_rows(rows)
    premium = pick(result, "use_cases", "premium", use_case="security")
    assert premium["status"] == "not_applicable" and pd.isna(premium["color"])
    assert premium["reason"] == "not applicable: contains(lower(tier), 'ultimate')"
    assert pick(result, "use_cases", "ultimate", use_case="security")["status"] == "scored"
    unknown = pick(result, "use_cases", "unknown", use_case="security")
    assert unknown["status"] == "no_data" and unknown["reason"].startswith("applicability unknown")
    # all yellow metrics: scm 63, ci 63, cd 63, license: 1000/1000 at 12 months green 88, engagement 63
    overall = pick(result, "overall", "premium")
    expected = (15 * 63 + 15 * 63 + 15 * 63 + 30 * 88 + 10 * 63) / 85
    assert overall["score"] == pytest.approx(expected) and overall["use_cases_scored"] == 5


def test_overall_weights_and_adopted_use_cases():
    row = usage_row(git_ops_users_l28d=500, ci_builds_l28d=50_000, secure_scanner_users_l28d=300,
                    sast_scans_l28d=600, dast_scans_l28d=1, secret_detection_scans_l28d=1)
    result = score_rows([row])
    scores = {u: pick(result, "use_cases", use_case=u)["score"] for u in ("scm", "ci", "cd", "security", "license", "engagement")}
    assert scores["scm"] == 88 and scores["ci"] == 88 and scores["security"] == 88
    weights = {"license": 30, "engagement": 10, "scm": 15, "ci": 15, "cd": 15, "security": 15}
    expected = sum(weights[u] * s for u, s in scores.items()) / 100
    overall = pick(result, "overall")
    assert overall["score"] == pytest.approx(expected)
    assert overall["adopted_use_cases"] == 3   # scm, ci, security; license is Green but does not count


def test_zero_billable_users_scores_red_as_gitlab_does_but_no_pipelines_is_no_data():
    result = score_rows([usage_row(billable_users=0, ci_internal_pipelines_l28d=0)])
    scm = pick(result, "metrics", use_case="scm")
    assert (scm["value"], scm["color"]) == (0.0, "red")
    scans = pick(result, "metrics", use_case="security", metric="scans_per_pipeline")
    assert scans["status"] == "no_data"
    assert scans["reason"] == "denominator is zero (ci_internal_pipelines_l28d)"


@pytest.mark.parametrize("licensed", [0, None, -1])
def test_instances_without_licensed_users_are_not_scored(licensed):
    result = score_rows([usage_row("kept"), usage_row("dropped", licensed_users=licensed)])
    assert set(result.overall["account_id"]) == {"kept"}
    assert "dropped" not in set(result.metrics["account_id"])


def test_no_data_at_all_gives_no_score_never_red():
    empty = {c: None for c in ("git_ops_users_l28d", "unique_active_users_l28d", "ci_builds_l28d",
                               "deployment_users_l28d", "deployments_l28d", "successful_deployments_l28d",
                               "failed_deployments_l28d", "secure_scanner_users_l28d", "ci_internal_pipelines_l28d",
                               "billable_users", *SCANS)}
    result = score_rows([usage_row(**empty)])
    overall = pick(result, "overall")
    assert overall["status"] == "no_data" and pd.isna(overall["color"]) and pd.isna(overall["score"])
    assert overall["adopted_use_cases"] == 0
    assert set(result.use_cases["status"]) <= {"no_data", "not_applicable"}


def test_a_score_exactly_on_an_edge_is_banded_on_its_exact_value():
    # Points whose float mean is not exactly 50 although the exact mean is.
    points = (21.7, 30.7, 97.6)   # red, yellow, green
    # metrics a, b, c below score yellow, green, red: summed in that order the float mean misses 50
    assert sum(Fraction(str(p)) for p in points) / 3 == 50
    assert (30.7 + 97.6 + 21.7) / 3 != 50.0
    from adoptscore import rubric as rubric_pkg
    text = f"""
name: edge
version: "1"
points: {{red: {points[0]}, yellow: {points[1]}, green: {points[2]}}}
use_cases:
  - id: u
    title: U
    metrics:
      - {{id: a, title: A, numerator: a, bands: {{red: "<= 1", yellow: "> 1 and <= 2", green: "> 2"}}}}
      - {{id: b, title: B, numerator: b, bands: {{red: "<= 1", yellow: "> 1 and <= 2", green: "> 2"}}}}
      - {{id: c, title: C, numerator: c, bands: {{red: "<= 1", yellow: "> 1 and <= 2", green: "> 2"}}}}
"""
    import pandas as pd
    import adoptscore
    rubric = rubric_pkg.loads_rubric(text)
    result = adoptscore.score(pd.DataFrame([{"account_id": "x", "period": "2026-10", "a": 1.5, "b": 3, "c": 0}]), rubric)
    row = pick(result, "use_cases", "x")
    assert row["score"] == pytest.approx(50)
    assert row["color"] == "red"   # <= 50 is red
