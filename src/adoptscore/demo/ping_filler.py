"""The bulk of a demo Service Ping payload: ~2,000 realistic metrics nobody scores.

A real payload carries about 2,000 metrics; a scoring rubric reads a few dozen. The demo payloads
carry the same bulk so that reading them costs what reading real ones costs. The key names follow
Service Ping's conventions (``counts.*``, ``counts_monthly.*``, ``usage_activity_by_stage[_monthly]
.<stage>.*``, ``redis_hll_counters.<category>.<event>_{weekly,monthly}``, ``settings.*``) and are
built from word lists, deterministically. Each key has the release in which it "appeared", so older
instances send fewer keys, as they do.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_OBJECTS = (
    "issues", "merge_requests", "projects", "groups", "snippets", "labels", "milestones", "boards", "releases",
    "environments", "deployments", "pages_domains", "protected_branches", "remote_mirrors", "todos", "uploads",
    "web_hooks", "keys", "lfs_objects", "notes", "ci_runners", "ci_triggers", "ci_pipeline_schedules",
    "clusters", "feature_flags", "epics", "requirements", "service_desk_issues", "incident_issues",
    "design_management_designs", "packages", "container_repositories", "terraform_reports", "wiki_pages",
    "suggestions", "approval_project_rules", "alerts", "dast_profiles", "vulnerabilities", "audit_events",
)
_QUALIFIERS = (
    "", "_active", "_enabled", "_disabled", "_created", "_with_assignees", "_with_labels", "_imported",
    "_from_github", "_from_gitlab", "_instance_type", "_group_type", "_project_type", "_online", "_archived",
)
_MONTHLY = (
    "ci_builds_finished", "ci_external_pipelines", "ci_pipeline_config_auto_devops", "ci_pipeline_config_repository",
    "ci_pipeline_schedules", "ci_triggers", "issues_created", "issues_closed", "merge_requests_merged",
    "merge_requests_created", "projects_created", "groups_created", "snippets_created", "personal_snippets",
    "project_snippets", "releases", "environments_created", "feature_flags_toggled", "notes_created",
    "pages_deployments", "incident_issues", "alerts_created", "package_pulls", "container_pushes",
    "terraform_plans", "wiki_edits", "design_uploads", "epics_created", "service_desk_issues",
)
_STAGES = ("configure", "create", "manage", "monitor", "package", "plan", "release", "secure", "verify", "govern")
_STAGE_METRICS = (
    "projects", "users_created", "events", "groups", "issues_imported", "projects_imported_total",
    "projects_with_repositories_enabled", "merge_requests_users", "approval_project_rules",
    "protected_branches", "suggestions", "snippets", "clusters_enabled", "project_clusters_enabled",
    "group_clusters_enabled", "pipelines_with_artifacts", "ci_cd_jobs", "ci_pipeline_config_repository",
    "ci_pipeline_schedules", "ci_triggers", "releases", "environments", "feature_flags", "incidents",
    "alerts", "boards", "label_lists", "milestone_lists", "assignee_lists", "service_desk_enabled_projects",
)
_HLL_CATEGORIES = (
    "analytics", "ide_edit", "search", "source_code", "incident_management", "testing", "ci_secrets_management",
    "snippets", "code_review", "ci_templates", "quickactions", "pipeline_authoring", "deploy_token_packages",
    "ecosystem", "error_tracking", "importer", "epics_usage", "work_items", "ci_users", "environments",
    "growth", "geo", "design_management", "pages", "secure", "navigation", "releases", "wiki", "security_policies",
    "dependency_proxy", "observability", "ml_experiments", "ai_features", "integrations",
)
_HLL_VERBS = (
    "view", "create", "update", "delete", "assign", "comment", "approve", "merge", "close", "reopen", "export",
    "import", "search", "filter", "subscribe", "apply", "toggle", "download",
)
_HLL_OBJECTS = ("page", "item", "note", "template", "report", "dashboard", "setting", "list")
_SETTINGS_BOOL = (
    "gitaly_apdex_enabled", "ldap_encrypted_secrets_enabled", "smtp_encrypted_secrets_enabled",
    "prometheus_enabled", "operating_system_enabled", "gravatar_enabled", "signup_enabled",
    "two_factor_authentication_enforced", "snowplow_enabled", "elasticsearch_enabled", "geo_enabled",
    "ingress_modsecurity_enabled", "web_ide_clientside_preview_enabled", "auto_devops_enabled",
    "container_registry_enabled_setting", "dependency_proxy_enabled", "mattermost_enabled", "reply_by_email_enabled",
    "signup_email_confirmation", "user_cap_enabled", "collected_data_categories_optional",
)


@dataclass(frozen=True)
class Section:
    """A flat group of filler keys at ``path`` in the payload, sorted by the release they appeared in."""

    path: tuple[str, ...]
    keys: tuple[str, ...]
    since: np.ndarray  # release index (0 = 13.0) of each key, ascending
    kind: str  # "count" or "flag"


def _since(name: str, spread: int) -> int:
    """The release a key 'appeared' in: most keys are old, some are recent (stable per name)."""
    h = zlib.crc32(name.encode()) % 1000
    if h < 600:
        return 0
    return int((h - 600) * spread // 400)


def _section(path: tuple[str, ...], names: list[str], kind: str = "count", spread: int = 70) -> Section:
    unique = sorted(set(names), key=lambda n: (_since(".".join((*path, n)), spread), n))
    since = np.asarray([_since(".".join((*path, n)), spread) for n in unique], dtype=np.int64)
    return Section(path, tuple(unique), since, kind)


@lru_cache(maxsize=1)
def catalogue() -> tuple[Section, ...]:
    """Every filler section; about 2,000 keys in all."""
    sections = [_section(("counts",), [o + q for o in _OBJECTS for q in _QUALIFIERS][:400]),
                _section(("counts_monthly",), list(_MONTHLY)),
                _section(("counts_weekly",), list(_MONTHLY[:20]))]
    for stage in _STAGES:
        names = [f"{m}" for m in _STAGE_METRICS] + [f"{stage}_{m}" for m in _STAGE_METRICS[:8]]
        sections.append(_section(("usage_activity_by_stage", stage), names))
        sections.append(_section(("usage_activity_by_stage_monthly", stage), names))
    for i, category in enumerate(_HLL_CATEGORIES):
        verbs = _HLL_VERBS[i % 5: i % 5 + 9]
        objects = _HLL_OBJECTS[i % 3: i % 3 + 3]
        events = [f"i_{category}_{v}_{o}" for v in verbs for o in objects][:12]
        names = [f"{e}_{w}" for e in events for w in ("weekly", "monthly")]
        names += [f"{category}_total_unique_counts_weekly", f"{category}_total_unique_counts_monthly"]
        sections.append(_section(("redis_hll_counters", category), names))
    sections.append(_section(("settings",), list(_SETTINGS_BOOL), kind="flag"))
    return tuple(sections)


def filler_count() -> int:
    return sum(len(s.keys) for s in catalogue())


def add_filler(payload: dict, release: int, scale: float, rng: np.random.Generator,
               skip: frozenset[tuple[str, ...]] = frozenset()) -> None:
    """Put every filler key that exists in ``release`` into ``payload`` with a plausible value.

    Counts are log-uniform up to about ``scale``; 0.5% are failure codes (-1). ``skip`` holds
    section paths not to touch.
    """
    sections = catalogue()
    total = sum(len(s.keys) for s in sections)
    u = rng.random(total)
    values = np.floor(np.exp(u * np.log(max(scale, 2.0) * 4.0)) - 1.0).astype(np.int64)
    values[rng.random(total) < 0.005] = -1
    flags = u < 0.5
    start = 0
    for section in sections:
        n = int(np.searchsorted(section.since, release, side="right"))
        if section.path not in skip and n:
            node = payload
            for key in section.path:
                node = node.setdefault(key, {})
            if section.kind == "flag":
                node.update(zip(section.keys[:n], flags[start:start + n].tolist()))
            else:
                node.update(zip(section.keys[:n], values[start:start + n].tolist()))
        start += len(section.keys)
