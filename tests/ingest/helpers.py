"""Hand-built Service Ping payloads for the ingest tests: a small, complete payload and dotted overrides."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

_DELETE = object()
DELETE = _DELETE  # an override value that removes the key


def payload(**overrides: Any) -> dict:
    """A GitLab 17.2 Ultimate instance, 200 billable users; ``overrides`` use '__' for dots
    (``counts_monthly__deployments=5``) and DELETE to remove a key."""
    base: dict[str, Any] = {
        "uuid": "11111111-aaaa-4bbb-accc-000000000001",
        "hostname": "gitlab.acme.example",
        "version": "17.2.1-ee",
        "installation_type": "omnibus-gitlab",
        "recorded_at": "2026-10-20T10:00:00.000Z",
        "edition": "EEU",
        "license_md5": "0123456789abcdef0123456789abcdef",  # removed in 16.2: not read from a 17.2 payload
        "license_sha256": "0123456789abcdef" * 4,
        "license_id": 4242,
        "license_subscription_id": "2c92a0ff0000000000000000000000aa",
        "license_plan": "ultimate",
        "license_trial": False,
        "license_starts_at": "2025-01-01",
        "license_expires_at": "2027-01-01",
        "licensee": {"Name": "Admin", "Email": "admin@acme.example", "Company": "Acme Corp"},
        "license_user_count": 250,
        "license_billable_users": 200,
        "counts": {"projects": 100, "count_total_create_ci_build_monthly": 5000, "projects_with_packages": 30,
                   "package_events_i_package_push_package": 400,
                   "package_events_i_package_push_package_by_deploy_token": 100,
                   "kubernetes_agents_with_token": 2, "projects_with_terraform_states": 5},
        "counts_monthly": {"ci_internal_pipelines": 1000, "deployments": 1000, "successful_deployments": 900,
                           "failed_deployments": 100, "packages": 300},
        "usage_activity_by_stage": {"manage": {"projects_with_compliance_framework": 25},
                                    "create": {"projects_enforcing_code_owner_approval": 10}},
        "usage_activity_by_stage_monthly": {
            "create": {"action_monthly_active_users_project_repo": 80, "merge_requests_with_added_rules": 120},
            "release": {"deployments": 20},
            "plan": {"issues": 60, "epics": 8},
            "verify": {"ci_pipelines": 90},
            "secure": {"user_unique_users_all_secure_scanners": 50, "sast_scans": 300, "dast_scans": 0,
                       "secret_detection_scans": 100, "dependency_scanning_scans": 200,
                       "container_scanning_scans": 0, "coverage_fuzzing_scans": 0, "api_fuzzing_scans": 0},
        },
        "redis_hll_counters": {
            "manage": {"unique_active_users_monthly": 170},
            "compliance": {"compliance_total_unique_counts_monthly": 6},
            "user_packages": {"user_packages_total_unique_counts_monthly": 30},
            "kubernetes_agent": {"agent_users_using_ci_tunnel_monthly": 10},
            "terraform": {"p_terraform_state_api_unique_users_monthly": 4},
            "issues_edit": {"issues_edit_total_unique_counts_monthly": 110,
                            "g_project_management_issue_iteration_changed_monthly": 24},
            "analytics": {"g_analytics_valuestream_monthly": 3},
        },
        "settings": {"gitaly_apdex_enabled": True},
    }
    result = copy.deepcopy(base)
    for key, value in overrides.items():
        *parents, leaf = key.split("__")
        node = result
        for part in parents:
            node = node.setdefault(part, {})
        if value is _DELETE:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return result


def write(folder: Path, name: str, content: Any) -> Path:
    """Write a payload (dict/list -> JSON) or raw text/bytes to ``folder/name``."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path
