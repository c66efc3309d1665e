"""Applicability in words: each expression shape the sentence rephrases, and the general sentence
for every other shape (never a partial or wrong rephrasing)."""
from __future__ import annotations

import pytest

import adoptscore
from adoptscore.rubric.applicability import (applies_sentence, band_case_sentence, metric_sentence,
                                             not_applicable_sentence)
from adoptscore.rubric.models import Metric, UseCase

GITLAB = adoptscore.load_rubric("gitlab")
SECURITY = GITLAB.use_case("security")
LICENSE = GITLAB.use_case("license").metrics[0]


def use_case(applies_when: str | None) -> UseCase:
    data = SECURITY.model_dump(exclude_defaults=True)
    data["applies_when"] = applies_when
    return UseCase.model_validate(data)


def test_the_bundled_rubrics_read_as_sentences():
    assert applies_sentence(SECURITY) == "Security (DevSecOps) applies only to accounts whose tier includes Ultimate."
    extended = adoptscore.load_rubric("gitlab-extended")
    planning = next(u for u in extended.use_cases if u.applies_when and "premium" in u.applies_when)
    assert applies_sentence(planning) == f"{planning.title} applies only to accounts whose tier includes Premium or Ultimate."
    assert band_case_sentence(LICENSE) == "License Utilization does not apply while account age months is under 3."


@pytest.mark.parametrize("expression, clause", [
    ("tier == 'Ultimate'", "tier is Ultimate"),
    ("'Ultimate' == tier", "tier is Ultimate"),
    ("lower(tier) == 'ultimate'", "tier is Ultimate"),                     # case ignored: shown as a name
    ("tier in ('SaaS - Ultimate', 'Self-Managed - Ultimate')", "tier is SaaS - Ultimate or Self-Managed - Ultimate"),
    ("segment in ('SMB', 'Mid-Market', 'Enterprise')", "segment is SMB, Mid-Market or Enterprise"),
    ("tier == 'A' or tier == 'B'", "tier is A or B"),
    ("contains(tier, 'ultimate')", "tier includes ultimate"),                # case matters: shown as written
    ("contains(upper(tier), 'ULTIMATE')", "tier includes Ultimate"),
    ("account_age_months >= 3", "account age months is at least 3"),
    ("3 <= account_age_months", "account age months is at least 3"),
    ("billable_users > 10", "billable users is over 10"),
    ("billable_users < 2.5", "billable users is under 2.5"),
])
def test_simple_tests_of_one_column_read_as_a_clause(expression, clause):
    assert applies_sentence(use_case(expression)) == f"Security (DevSecOps) applies only to accounts whose {clause}."


@pytest.mark.parametrize("expression", [
    "tier != 'Premium'",                                   # a negation says where it does not apply
    "tier not in ('Free', 'Premium')",
    "not contains(lower(tier), 'premium')",
    "contains(lower(tier), 'ultimate') and billable_users > 10",
    "tier == 'Ultimate' or segment == 'Enterprise'",       # two columns
    "tier == 'Ultimate' or contains(tier, 'Gold')",        # two kinds of test
    "billable_users > 10 or billable_users < 2",
    "billable_users > licensed_users",
    "billable_users / licensed_users > 0.5",
    "tier > 'M'",
    "is_null(tier)",
    "tier == null",
    "coalesce(tier, 'x') == 'Ultimate'",
])
def test_any_other_expression_gets_the_general_sentence(expression):
    assert applies_sentence(use_case(expression)) == "Security (DevSecOps) does not apply to this account."


def test_a_use_case_without_applies_when_gets_the_general_sentence():
    assert applies_sentence(use_case(None)) == "Security (DevSecOps) does not apply to this account."


def band_metric(*cases: dict) -> Metric:
    data = LICENSE.model_dump(exclude_defaults=True)
    data["bands_by"] = {"by": "account_age_months", "cases": list(cases)}
    return Metric.model_validate(data)


def test_band_cases_in_words():
    bands = {"red": "<= 0.5", "green": "> 0.5"}
    assert band_case_sentence(band_metric({"range": ">= 3", "bands": bands}, {"range": "< 3", "not_applicable": True})) \
        == "License Utilization does not apply while account age months is under 3."
    assert band_case_sentence(band_metric({"range": "< 1", "not_applicable": True}, {"range": ">= 1 and < 60", "bands": bands},
                                          {"range": ">= 60", "not_applicable": True})) \
        == "License Utilization does not apply while account age months is under 1 or is at least 60."
    assert band_case_sentence(band_metric({"range": "> 0 and <= 2", "not_applicable": True})) \
        == "License Utilization does not apply while account age months is over 0 and at most 2."
    assert band_case_sentence(band_metric({"range": ">= 3", "bands": bands})) is None
    assert band_case_sentence(GITLAB.use_case("ci").metrics[0]) is None   # no band table


def test_the_stored_reason_picks_the_sentence():
    license_case = GITLAB.use_case("license")
    expression = f"not applicable: {SECURITY.applies_when}"
    assert not_applicable_sentence(SECURITY, expression) == applies_sentence(SECURITY)
    assert not_applicable_sentence(SECURITY) == applies_sentence(SECURITY)     # one way only: no reason needed
    assert not_applicable_sentence(license_case, "no metric applies") == band_case_sentence(LICENSE)
    assert not_applicable_sentence(license_case) == band_case_sentence(LICENSE)
    # a use case that can fail to apply two ways, seen without its reason, says neither
    both = use_case(SECURITY.applies_when)
    both = UseCase.model_validate({**both.model_dump(exclude_defaults=True),
                                   "metrics": [LICENSE.model_dump(exclude_defaults=True)]})
    assert not_applicable_sentence(both) == "Security (DevSecOps) does not apply to this account."
    assert not_applicable_sentence(both, expression) == applies_sentence(SECURITY)
    assert not_applicable_sentence(both, "no metric applies") == band_case_sentence(LICENSE)
    assert not_applicable_sentence(GITLAB.use_case("ci"), "no metric applies") == \
        "Continuous Integration does not apply to this account."


def test_a_metric_says_why_unless_its_use_case_already_does():
    license_case = GITLAB.use_case("license")
    assert metric_sentence(SECURITY, SECURITY.metrics[0], f"not applicable: {SECURITY.applies_when}") is None
    assert metric_sentence(license_case, LICENSE, "not applicable: account_age_months < 3") == band_case_sentence(LICENSE)
    assert metric_sentence(license_case, LICENSE, "not applicable: account_age_months outside every band case") == \
        "License Utilization does not apply to this account."
    assert metric_sentence(license_case, LICENSE, None) == "License Utilization does not apply to this account."
