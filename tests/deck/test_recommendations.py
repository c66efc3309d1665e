"""The bundled gitlab rubric carries GitLab's adoption recommendations (the product features to
suggest per use case, shared/reference/gitlab-scoring.md section 6) that the deck's areas of focus
show, and every metric says what moves it."""
from __future__ import annotations

from adoptscore import load_rubric

# section 6, feature by feature (lower case words that must appear in the use case's list)
SECTION_6 = {
    "scm": ["merge-request approval rules", "codeowners", "push rules", "project templates", "protected branches",
            "gitaly cluster", "geo"],
    "ci": [".gitlab-ci.yml", "pipelines", "shared runners", "container registry", "instance template repositories",
           "jenkinsfiles", "auto devops", "value stream analytics"],
    "cd": ["environments", "deployments", "releases", "release evidence", "feature flags", "review apps"],
    "security": ["sast", "secret detection", "dependency", "container scanning", "dast", "api", "coverage fuzzing",
                 "security approval policies"],
}


def test_gitlab_use_cases_carry_section_6_recommendations():
    rubric = load_rubric("gitlab")
    for use_case, features in SECTION_6.items():
        text = " | ".join(rubric.use_case(use_case).recommendations).lower()
        missing = [f for f in features if f not in text]
        assert not missing, (use_case, missing)


def test_every_gitlab_metric_says_what_moves_it_in_the_customers_units():
    rubric = load_rubric("gitlab")
    for use_case, metric in rubric.metrics:
        assert metric.recommendation, (use_case.id, metric.id)
        assert metric.numerator_unit, (use_case.id, metric.id)
        assert use_case.recommendations, use_case.id
